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
import threading
import time
import tracemalloc

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner, compare
from skal.strategies import k_center_greedy, select_top_k, select_top_k_blocks
from skal.strategies._kernels import augment, greedy_k_center, min_sq_distances
from skal.utils import from_npy, score_blocks

N_FEATURES, N_CLASSES = 64, 10


def _mixture(rng, n, centres):
    labels = rng.randint(0, N_CLASSES, n)
    X = centres[labels] + rng.standard_normal((n, N_FEATURES)).astype(np.float32)
    return X.astype(np.float32), labels


def make_pool(folder, n, seed=0, chunk=1_000_000, zarr=True):
    """Write the pool as ``pool.npy`` and ``pool.zarr``; return paths and a model."""

    rng = np.random.RandomState(seed)
    centres = (rng.standard_normal((N_CLASSES, N_FEATURES)) * 0.6).astype(np.float32)
    npy = os.path.join(folder, "pool.npy")
    zarr_path = os.path.join(folder, "pool.zarr")
    done = os.path.join(folder, f"complete-{n}-{seed}")
    if not os.path.exists(done):  # files of an earlier run with these sizes are kept
        out = np.lib.format.open_memmap(npy, "w+", np.float32, (n, N_FEATURES))
        for start in range(0, n, chunk):
            out[start : start + chunk] = _mixture(rng, min(chunk, n - start), centres)[
                0
            ]
        out.flush()
        del out
        open(done, "w").close()
    if zarr and not os.path.exists(done + "-zarr"):
        shutil.rmtree(zarr_path, ignore_errors=True)
        from_npy(npy, 262_144).to_zarr(zarr_path)
        open(done + "-zarr", "w").close()
    rng = np.random.RandomState(seed + 1)
    X_lab, y_lab = _mixture(rng, 2000, centres)
    return npy, zarr_path, X_lab, y_lab


def _peer_query(strategy, X, X_lab, y_lab):
    """scikit-activeml's query of the same pool with the same model, or None."""
    try:
        from skactiveml.classifier import SklearnClassifier
        from skactiveml.pool import UncertaintySampling
    except ImportError:
        return None
    method = {"entropy": "entropy", "margin": "margin_sampling"}.get(strategy)
    if method is None or X.shape[0] == 0:
        return None
    clf = SklearnClassifier(
        LogisticRegression(max_iter=500), classes=np.arange(N_CLASSES)
    ).fit(X_lab, y_lab)
    y = np.full(X.shape[0], np.nan)
    qs = UncertaintySampling(method=method, random_state=0)
    return lambda: qs.query(X, y, clf=clf, fit_clf=False, batch_size=100)


def _learner(strategy, X_lab, y_lab):
    model = LogisticRegression(max_iter=500)
    return ActiveLearner(model, query_strategy=strategy, random_state=0).fit(
        X_lab, y_lab
    )


def _start_sampler(dask_worker):
    import psutil

    proc = psutil.Process()
    dask_worker.skal_peak = proc.memory_info().rss
    dask_worker.skal_stop = threading.Event()

    def sample():
        while not dask_worker.skal_stop.wait(0.02):
            dask_worker.skal_peak = max(dask_worker.skal_peak, proc.memory_info().rss)

    threading.Thread(target=sample, daemon=True).start()


def _stop_sampler(dask_worker):
    dask_worker.skal_stop.set()
    return dask_worker.skal_peak


def _timed_on(client, func):
    """Run ``func``; return its result, seconds and each worker's peak RSS (MiB)."""
    client.run(_start_sampler)
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    peaks = client.run(_stop_sampler)
    return result, seconds, sorted(round(p / 2**20) for p in peaks.values())


def _traced(func):
    tracemalloc.start()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, round(peak / 2**20)


def _cluster(n_workers):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=n_workers,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        memory_limit="6GiB",
    )
    return cluster, Client(cluster)


class _Rows(list):
    """A list of table rows that prints each one as it comes (long runs)."""

    def append(self, row):
        super().append(row)
        print("  measured:", row, flush=True)


def throughput(args, npy, zarr_path, X_lab, y_lab, clients):
    import dask.array as da

    rows = _Rows()
    pool = np.load(npy, mmap_mode="r")
    n = pool.shape[0]
    n_mem = min(args.memory_rows, n)
    in_memory = np.array(pool[:n_mem])
    kinds = {
        "npy": lambda: from_npy(npy, args.block_rows),
        "zarr": lambda: da.from_zarr(zarr_path),
    }
    for strategy in args.strategies:
        learner = _learner(strategy, X_lab, y_lab)
        _, sec, mib = _traced(lambda: learner.query(in_memory, 100))
        rows.append([strategy, "numpy in memory", 0, n_mem, sec, n_mem / sec, [mib]])
        peer = _peer_query(strategy, in_memory[: args.peer_query_rows], X_lab, y_lab)
        if peer is not None:
            m = min(args.peer_query_rows, n_mem)
            _, sec, mib = _traced(peer)
            rows.append([strategy, "scikit-activeml, numpy", 0, m, sec, m / sec, [mib]])
        _, sec, mib = _traced(lambda: learner.query(pool, 100))
        rows.append([strategy, "npy memmap, in process", 0, n, sec, n / sec, [mib]])
        for n_workers, client in clients.items():
            for kind, open_pool in ((k, kinds[k]) for k in args.kinds):
                with client.as_current():
                    _, sec, peaks = _timed_on(
                        client, lambda: learner.query(open_pool(), 100)
                    )
                rows.append(
                    [strategy, f"{kind} dask", n_workers, n, sec, n / sec, peaks]
                )
    return rows


def rss_by_block(args, npy, X_lab, y_lab, client):
    learner = _learner("entropy", X_lab, y_lab)
    rows = []
    m = min(args.sweep_rows, args.rows)
    for block in args.block_sizes:
        with client.as_current():
            _, sec, peaks = _timed_on(
                client, lambda: learner.query(from_npy(npy, block)[:m], 100)
            )
        block_mib = block * N_FEATURES * 4 / 2**20
        rows.append([block, round(block_mib, 1), sec, peaks])
    return rows


def same_picks(args, npy, X_lab, y_lab, client):
    pool = np.load(npy, mmap_mode="r")
    m = min(args.check_rows, pool.shape[0])
    sub = np.array(pool[:m])
    out = {}
    with client.as_current():
        for strategy in ["entropy", "margin"]:
            learner = _learner(strategy, X_lab, y_lab)
            expected = learner.query(sub, 100)
            lazy = from_npy(npy, args.block_rows)[:m]
            out[f"{strategy} query"] = bool(
                np.array_equal(
                    _learner(strategy, X_lab, y_lab).query(lazy, 100), expected
                )
            )
        proba = _learner("entropy", X_lab, y_lab).predict_proba
        scores = score_blocks(lambda Z: np.round(proba(Z).max(axis=1), 2), lazy)
        idx, _ = select_top_k_blocks(scores, 500, 0)  # rounded: many ties
        out["block top-k, ties"] = bool(
            np.array_equal(idx, select_top_k(scores.compute(), 500, 0))
        )
    return out


def coreset(args, npy, client):
    pool = np.load(npy, mmap_mode="r")
    n = min(args.coreset_rows, pool.shape[0])
    X = np.array(pool[:n])
    labeled = X[:: max(1, n // 100)][:100].copy()
    rows = []
    with client.as_current():
        # read by the workers from the file, then held in their memory
        lazy = from_npy(npy, args.block_rows)[:n].persist()
        picks, sec, peaks = _timed_on(
            client, lambda: k_center_greedy(lazy, 100, X_labeled=labeled)[0]
        )
    rows.append(
        [f"k_center_greedy, dask ({len(peaks)} workers)", n, sec, f"RSS {peaks}"]
    )
    ref, sec, mib = _traced(lambda: k_center_greedy(X, 100, X_labeled=labeled)[0])
    rows.append(["k_center_greedy, numpy", n, sec, f"+{mib} MiB"])

    def previous():
        Za, z_sq = augment(X[np.arange(n)])  # the candidate copy, then float32
        La, l_sq = augment(labeled, X.mean(axis=0))
        return greedy_k_center(Za, z_sq, 100, min_sq_distances(Za, z_sq, La, l_sq))

    _, sec, mib = _traced(previous)
    rows.append(["before: copy + augment + greedy", n, sec, f"+{mib} MiB"])
    agree = bool(np.array_equal(np.sort(picks), np.sort(ref)))
    try:
        from skactiveml.pool import CoreSet as SkCoreSet

        m = min(args.peer_rows, n)
        y = np.full(m + 100, np.nan)
        y[m:] = 0
        Xp = np.vstack([X[:m], labeled])
        _, sec, mib = _traced(
            lambda: SkCoreSet(random_state=0).query(Xp, y, batch_size=100)
        )
        rows.append(["scikit-activeml CoreSet", m, sec, f"+{mib} MiB"])
    except ImportError:
        rows.append(["scikit-activeml CoreSet", 0, float("nan"), "not installed"])
    return rows, agree, round(X.nbytes / 2**20)


def _cpu_seconds():
    return time.process_time()


def _warm():
    import skal.loop  # noqa: F401
    import skal.strategies  # noqa: F401


def compare_runs(args, client):
    """Serial against the cluster: wall seconds, and CPU seconds spent."""
    X, y = load_digits(return_X_y=True)
    learners = {
        s: ActiveLearner(LogisticRegression(max_iter=300), query_strategy=s)
        for s in ["random", "entropy", "margin", "coreset"]
    }
    kwargs = {"budget": args.budget, "batch_size": 10, "n_initial": 20}
    kwargs.update(n_repeats=args.repeats, random_state=0, progress=False)
    start, cpu = time.perf_counter(), time.process_time()
    serial = compare(learners, X, y, **kwargs)
    t_serial = time.perf_counter() - start
    cpu_serial = time.process_time() - cpu
    import joblib
    from distributed import get_task_stream

    # A long-lived cluster has imported skal and scikit-learn already: warm
    # the workers first, so that their one-time imports are not counted.
    client.run(_warm)
    workers = client.run(_cpu_seconds)
    with client.as_current(), joblib.parallel_config(backend="dask"):
        with get_task_stream(client) as stream:
            start, cpu = time.perf_counter(), time.process_time()
            spread = compare(learners, X, y, n_jobs=-1, **kwargs)
            t_cluster = time.perf_counter() - start
            cpu_client = time.process_time() - cpu  # with the scheduler's thread
    after = client.run(_cpu_seconds)
    same = all(
        [r["score"] for r in serial[k].repeats]
        == [r["score"] for r in spread[k].repeats]
        for k in learners
    )
    # Where the time went: CPU seconds of the serial run against the
    # cluster's (the workers', and the client's with the scheduler), and the
    # seconds the workers spent moving inputs (transfer) and unpickling them.
    spent = {"transfer": 0.0, "deserialize": 0.0}
    for task in stream.data:
        for part in task["startstops"]:
            if part["action"] in spent:
                spent[part["action"]] += part["stop"] - part["start"]
    spent = {k: round(v, 2) for k, v in spent.items()}
    spent["cpu_serial"] = round(cpu_serial, 1)
    spent["cpu_workers"] = round(sum(after[w] - workers[w] for w in after), 1)
    spent["cpu_client_and_scheduler"] = round(cpu_client, 1)
    spent["load_average"] = round(os.getloadavg()[0], 1)
    return t_serial, t_cluster, same, len(stream.data), spent


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
