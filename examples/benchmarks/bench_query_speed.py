"""Query speed: skal against scikit-activeml and against the limit.

For every strategy row and pool size, the benchmark times one query of
``batch_size`` samples from a pool of Gaussian-mixture data (50 features,
10 classes) with a ``LogisticRegression`` already fitted on a small labeled
set:

- **skal**: ``ActiveLearner(...).fit(X_labeled, y_labeled)``, then
  ``learner.query(X_pool)`` (only the query is timed);
- **peer**: scikit-activeml's strategy for the same measure, called as
  ``qs.query(X_pool, y_nan, clf=..., fit_clf=False, batch_size=...)`` with a
  ``SklearnClassifier`` fitted on the same labeled set (only the query is
  timed);
- **limit**: the cost no implementation can beat; for uncertainty sampling
  it is the model's own ``predict_proba`` on the pool.

Each time is the best of ``--repeats`` rounds, taken in turn (skal, peer,
limit, skal, ...) so that all three see the same load; a query faster than
``--min-round`` seconds is called several times a round and its fastest call
counts. The ratio columns divide by the limit. ``skal MiB`` is the peak
memory traced by :mod:`tracemalloc` during one extra skal query. BLAS runs
on ``--threads`` threads (one by default) through :mod:`threadpoolctl`.

Add a strategy by appending a :class:`Case` to :data:`CASES` (or to the
list returned by :func:`default_cases`): a name, a skal factory, a peer
factory (or ``None``) and a limit kind from :data:`LIMITS`. A factory takes
the :class:`Context` of one pool size and returns a function of no
arguments that runs one query. The cases, the factories and the limits are
in ``_query_speed_cases.py`` beside this script.

Run::

    PYTHONPATH=. python examples/benchmarks/bench_query_speed.py --out bench-out
    PYTHONPATH=. python examples/benchmarks/bench_query_speed.py --quick --out /tmp/q
"""

import argparse
import gc
import json
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

# The script's rows, beside it (``python examples/benchmarks/bench_query_speed.py``
# puts this folder on ``sys.path``); every name is also reachable from here.
from _query_speed_cases import (  # noqa: F401
    LIMITS,
    Case,
    Context,
    SklearnClassifier,
    _model,
    default_cases,
    make_blobs_pool,
    make_context,
    skactiveml_random,
    skactiveml_uncertainty,
    skal_query,
)
from threadpoolctl import threadpool_limits

CASES = default_cases()


# ------------------------------------------------------------------ timing
def _timed(run, calls=1):
    """Return the fastest of ``calls`` calls of ``run`` and its last output."""
    gc.collect()
    gc.disable()  # as timeit does: no collection pauses inside a call
    try:
        best = float("inf")
        for _ in range(calls):
            start = time.perf_counter()
            out = run()
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best, out


def best_of(runs, repeats, min_round=0.0):
    """Time several runs in turn, ``repeats`` rounds; keep each one's best call.

    Interleaving skal, the peer and the limit puts them under the same load,
    which matters on a shared machine. A run faster than ``min_round``
    seconds is called several times a round (as :mod:`timeit` does), and the
    fastest call counts.
    """
    calls, best, out = {}, {}, {}
    for name, run in runs.items():  # one call to warm up and calibrate
        best[name], out[name] = _timed(run)
        calls[name] = max(1, int(np.ceil(min_round / max(best[name], 1e-9))))
    for _ in range(repeats):
        for name, run in runs.items():
            seconds, out[name] = _timed(run, calls[name])
            best[name] = min(best[name], seconds)
    return best, out


def peak_mib(run):
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _ratio(a, b):
    return None if a is None or not b else a / b


def bench_size(n_pool, cases, args):
    ctx = make_context(n_pool, args)
    rows = []
    for case in cases:
        row = {"pool": n_pool, "strategy": case.name, "limit_kind": case.limit}
        runs = {"skal": case.skal(ctx)}
        if case.peer is None:
            row["note"] = "no peer strategy" if SklearnClassifier else "peer missing"
        elif n_pool > args.peer_max_pool:
            row["note"] = f"peer skipped above --peer-max-pool={args.peer_max_pool}"
        else:
            runs["peer"] = case.peer(ctx)
        if LIMITS[case.limit] is not None:
            runs["limit"] = LIMITS[case.limit](ctx)
        best, out = best_of(runs, args.repeats, args.min_round)
        row["skal_s"] = best["skal"]
        row["peer_s"] = best.get("peer")
        row["limit_s"] = best.get("limit")
        row["skal_peak_mib"] = peak_mib(runs["skal"])
        row["peer_peak_mib"] = row["overlap"] = None
        if "peer" in runs:
            if args.peer_memory:
                row["peer_peak_mib"] = peak_mib(runs["peer"])
            if case.same_choice:
                same = np.intersect1d(out["skal"], out["peer"])
                row["overlap"] = len(same) / len(out["skal"])
        row["skal_over_limit"] = _ratio(row["skal_s"], row["limit_s"])
        row["peer_over_limit"] = _ratio(row["peer_s"], row["limit_s"])
        row["skal_over_peer"] = _ratio(row["skal_s"], row["peer_s"])
        rows.append(row)
        print(_format_row(row), flush=True)
    return rows


# ----------------------------------------------------------------- report
COLUMNS = [
    ("pool", "pool", "{:>9,d}"),
    ("strategy", "strategy", "{:<16}"),
    ("skal_s", "skal s", "{:>8.4f}"),
    ("peer_s", "peer s", "{:>8.4f}"),
    ("limit_s", "limit s", "{:>8.4f}"),
    ("skal_over_limit", "skal/lim", "{:>8.2f}"),
    ("peer_over_limit", "peer/lim", "{:>8.2f}"),
    ("skal_peak_mib", "skal MiB", "{:>8.1f}"),
    ("peer_peak_mib", "peer MiB", "{:>8.1f}"),
    ("overlap", "same top", "{:>8.2f}"),
]


def _format_row(row):
    cells = []
    for key, head, fmt in COLUMNS:
        width = max(len(head), len(fmt.format(0) if "d" not in fmt else "0" * 9))
        value = row.get(key)
        cells.append(fmt.format(value) if value is not None else "-".rjust(width))
    text = "  ".join(cells)
    return text + (f"  ({row['note']})" if row.get("note") else "")


def header():
    widths = [
        len(fmt.format(0) if "d" not in fmt else "0" * 9) for _, _, fmt in COLUMNS
    ]
    heads = [
        h.ljust(max(w, len(h))) if k == "strategy" else h.rjust(max(w, len(h)))
        for (k, h, _), w in zip(COLUMNS, widths)
    ]
    return "  ".join(heads)


def machine():
    info = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            names = [
                ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")
            ]
        info["cpu"] = names[0] if names else None
    except OSError:
        pass
    import sklearn

    info["numpy"], info["sklearn"] = np.__version__, sklearn.__version__
    if SklearnClassifier is not None:
        import skactiveml

        info["skactiveml"] = skactiveml.__version__
    return info


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    p.add_argument("--n-features", type=int, default=50)
    p.add_argument("--n-classes", type=int, default=10)
    p.add_argument("--n-labeled", type=int, default=200)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--repeats", type=int, default=3, help="best of R rounds")
    p.add_argument(
        "--min-round",
        type=float,
        default=0.1,
        help="call a fast query several times a round, for at least this many s",
    )
    p.add_argument("--threads", type=int, default=1, help="BLAS threads")
    p.add_argument(
        "--peer-max-pool",
        type=int,
        default=1_000_000,
        help="skip scikit-activeml on larger pools",
    )
    p.add_argument(
        "--no-peer-memory",
        dest="peer_memory",
        action="store_false",
        help="do not trace scikit-activeml's peak memory (saves one call)",
    )
    p.add_argument("--strategies", nargs="+", default=None, help="rows to run")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quick", action="store_true", help="10k and 100k, 1 repeat")
    p.add_argument("--out", default="bench-out", help="folder for the JSON file")
    args = p.parse_args(argv)
    if args.quick:
        args.sizes = [s for s in args.sizes if s <= 100_000] or [10_000]
        args.repeats = 1
    return args


def main(argv=None):
    args = parse_args(argv)
    cases = [c for c in CASES if args.strategies is None or c.name in args.strategies]
    if not cases:
        raise SystemExit(f"no strategy among {[c.name for c in CASES]} selected")
    print(
        f"query of {args.batch_size} from a pool, {args.n_features} features, "
        f"{args.n_classes} classes, LogisticRegression; best of {args.repeats}; "
        f"{args.threads} BLAS thread(s)"
    )
    if SklearnClassifier is None:
        print("scikit-activeml is not installed: peer columns are empty")
    print(header())
    rows = []
    start = time.perf_counter()
    with threadpool_limits(limits=args.threads):
        for n in args.sizes:
            rows.extend(bench_size(n, cases, args))
    seconds = time.perf_counter() - start
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "bench_query_speed.json")
    report = {
        "benchmark": "query_speed",
        "args": vars(args),
        "machine": machine(),
        "seconds": seconds,
        "results": rows,
    }
    with open(path, "w") as f:
        json.dump(report, f, indent=2)
    print(f"wrote {path} ({seconds:.1f} s)")
    return report


if __name__ == "__main__":
    main()
