"""Scaling out: pools on disk, a dask cluster, and simulations spread over it.

Five measurements, each printed as a table and written to ``--out``:

1. **Throughput** of an entropy and a margin query (``learner.query(pool,
   100)`` with a ``LogisticRegression`` fitted on 2,000 labeled rows, 10
   classes) on a pool of ``--rows`` x 64 float32 rows (Gaussian mixture)
   stored as a ``.npy`` file and as a zarr array: read in process as a
   memmap, and as a dask array on a ``LocalCluster`` of 1 and of 2 worker
   processes (one thread each); against NumPy in memory on the largest pool
   that fits (``--memory-rows``). Rows per second of the whole query, and
   the peak RSS of each worker; scikit-activeml's ``UncertaintySampling``
   on the first ``--peer-query-rows`` rows in memory, with the same model.
2. **Peak RSS per worker against the block size** (2 workers, ``.npy``, the
   first ``--sweep-rows`` rows; measured last).
3. **Same picks**: on the first ``--check-rows`` rows, the dask query, and
   the block-wise top-k (:func:`skal.strategies.select_top_k_blocks`) equal
   the in-memory query.
4. **CoreSet, batch 100** (100 labeled rows) on ``--coreset-rows`` x 64:
   :func:`skal.strategies.k_center_greedy` on the dask pool (2 workers) and
   on the NumPy pool, the pre-scale-out path (augmented copy of the pool,
   then ``greedy_k_center``), and scikit-activeml's ``CoreSet`` on
   ``--peer-rows`` rows. Time and peak memory (traced, beyond the pool).
5. **compare** of 4 strategies x ``--repeats`` repeats on digits: serial
   against joblib's dask backend on the 2-worker cluster, with the CPU
   seconds each side spent (the workers', the client's with the scheduler)
   and the workers' transfer seconds, which say where the time went.

``--sections`` picks some of them (``throughput picks coreset compare
rss``); ``--quick`` runs them all on 20,000 rows with one worker and one
strategy.

Run (the full sizes need about 11 GB of disk and 4 GB of memory)::

    OMP_NUM_THREADS=1 PYTHONPATH=. python examples/benchmarks/bench_scale.py \\
        --out bench-out --data /tmp/skal-scale
    PYTHONPATH=. python examples/benchmarks/bench_scale.py --quick --out /tmp/s
"""

import argparse
import json
import os
import platform
import shutil
import tempfile
import time

# The script's helpers, beside it (``python examples/benchmarks/bench_scale.py``
# puts this folder on ``sys.path``); every name is also reachable from here.
from _scale_measure import (  # noqa: F401
    N_CLASSES,
    N_FEATURES,
    _cluster,
    _learner,
    _mixture,
    _peer_query,
    _Rows,
    _start_sampler,
    _stop_sampler,
    _timed_on,
    _traced,
    make_pool,
)
from _scale_sections import (  # noqa: F401
    _cpu_seconds,
    _warm,
    compare_runs,
    coreset,
    rss_by_block,
    same_picks,
    throughput,
)


def _table(header, rows):
    print(" | ".join(header))
    for row in rows:
        print(
            " | ".join(
                f"{v:,.1f}"
                if isinstance(v, float)
                else f"{v:,}"
                if isinstance(v, int)
                else str(v)
                for v in row
            )
        )
    print()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, < 1 min")
    parser.add_argument("--out", default=None, help="folder for bench_scale.json")
    parser.add_argument("--data", default=None, help="folder for the pool files")
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--memory-rows", type=int, default=5_000_000)
    parser.add_argument("--check-rows", type=int, default=1_000_000)
    parser.add_argument("--sweep-rows", type=int, default=5_000_000)
    parser.add_argument("--coreset-rows", type=int, default=5_000_000)
    parser.add_argument("--peer-rows", type=int, default=100_000)
    parser.add_argument("--block-rows", type=int, default=262_144)
    parser.add_argument("--block-sizes", type=int, nargs="+", default=None)
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--strategies", nargs="+", default=["entropy", "margin"])
    parser.add_argument("--kinds", nargs="+", default=["npy", "zarr"])
    parser.add_argument(
        "--peer-query-rows",
        type=int,
        default=1_000_000,
        help="rows of scikit-activeml's entropy/margin query, beside NumPy",
    )
    parser.add_argument(
        "--sections",
        nargs="+",
        choices=SECTIONS,
        default=list(SECTIONS),
        help="what to measure (default: all)",
    )
    parser.add_argument("--name", default="bench_scale", help="JSON file name")
    parser.add_argument("--budget", type=int, default=120)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.memory_rows, args.check_rows = 20_000, 20_000, 20_000
        args.sweep_rows, args.peer_query_rows = 20_000, 5_000
        args.coreset_rows, args.peer_rows, args.block_rows = 20_000, 1_000, 8192
        args.repeats, args.budget = 1, 30
        args.strategies = ["entropy"]
    if args.block_sizes is None:
        b = args.block_rows
        args.block_sizes = [b // 4, b, 4 * b] if not args.quick else [b, 2 * b]
    folder = args.data or tempfile.mkdtemp(prefix="skal-scale-")
    os.makedirs(folder, exist_ok=True)
    start = time.perf_counter()
    npy, zarr_path, X_lab, y_lab = make_pool(
        folder, args.rows, zarr="zarr" in args.kinds
    )
    print(
        f"pool {args.rows:,} x {N_FEATURES} float32 written in "
        f"{time.perf_counter() - start:.0f} s to {folder}\n"
    )
    # --quick: one worker (a cluster start costs seconds of spawn and imports)
    sizes = [1] if args.quick else [1, 2] if "throughput" in args.sections else [2]
    start = time.perf_counter()
    clusters = {w: _cluster(w) for w in sizes}
    print(f"clusters started in {time.perf_counter() - start:.1f} s\n", flush=True)
    clients = {w: c for w, (_, c) in clusters.items()}
    result = {
        "args": vars(args),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_at_start": os.getloadavg(),
    }
    try:
        _run_sections(args, result, npy, zarr_path, X_lab, y_lab, clients)
    finally:
        for cluster, client in clusters.values():
            client.close()
            cluster.close()
        if args.data is None:
            shutil.rmtree(folder, ignore_errors=True)
    result["load_average_at_end"] = os.getloadavg()
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        with open(os.path.join(args.out, f"{args.name}.json"), "w") as f:
            json.dump(result, f, indent=1, default=float)
    return result


SECTIONS = ("throughput", "picks", "coreset", "compare", "rss")


def _run_sections(args, result, npy, zarr_path, X_lab, y_lab, clients):
    """Run the chosen sections in order; print each table; fill ``result``."""
    seconds = result.setdefault("section_seconds", {})
    if "throughput" in args.sections:
        clock = time.perf_counter()
        result["throughput"] = throughput(args, npy, zarr_path, X_lab, y_lab, clients)
        header = ["strategy", "pool", "workers", "rows", "seconds", "rows/s"]
        _table(header + ["peak MiB (traced, or RSS per worker)"], result["throughput"])
        seconds["throughput"] = round(time.perf_counter() - clock, 1)
    if "picks" in args.sections:
        clock = time.perf_counter()
        result["same_picks"] = same_picks(
            args, npy, X_lab, y_lab, clients[max(clients)]
        )
        print("same picks as in memory:", result["same_picks"], "\n")
        seconds["picks"] = round(time.perf_counter() - clock, 1)
    if "coreset" in args.sections:
        clock = time.perf_counter()
        core, agree, pool_mib = coreset(args, npy, clients[max(clients)])
        result["coreset"], result["coreset_dask_equals_numpy"] = core, agree
        _table(["CoreSet batch 100", "rows", "seconds", "memory"], core)
        print(f"(pool {pool_mib} MiB; dask picks == numpy picks: {agree})\n")
        seconds["coreset"] = round(time.perf_counter() - clock, 1)
    if "compare" in args.sections:
        clock = time.perf_counter()
        t_serial, t_cluster, same, n_tasks, spent = compare_runs(
            args, clients[max(clients)]
        )
        result["compare"] = {
            "serial_s": t_serial,
            "cluster_s": t_cluster,
            "speed_up": t_serial / t_cluster,
            "same": same,
            "tasks": n_tasks,
            "worker_seconds": spent,
        }
        print(
            f"compare 4 x {args.repeats}: serial {t_serial:.1f} s, "
            f"{max(clients)} workers {t_cluster:.1f} s, speed-up "
            f"{t_serial / t_cluster:.2f}, same curves: {same}; {n_tasks} tasks, "
            f"seconds {spent}\n"
        )
        seconds["compare"] = round(time.perf_counter() - clock, 1)
    if "rss" in args.sections:
        clock = time.perf_counter()
        result["rss_by_block"] = rss_by_block(
            args, npy, X_lab, y_lab, clients[max(clients)]
        )
        header = ["block rows", "block MiB", "seconds", "peak RSS per worker MiB"]
        _table(header, result["rss_by_block"])
        seconds["rss"] = round(time.perf_counter() - clock, 1)


if __name__ == "__main__":
    main()
