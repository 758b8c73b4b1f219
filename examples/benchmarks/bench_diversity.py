"""Benchmark diversity and hybrid strategies against scikit-activeml, one thread.

Three cases (issue 3), each timed side by side in one run:

- ``CoreSet`` on a 200,000 x 50 pool with 1,000 labeled, batch 100, vs
  ``skactiveml.pool.CoreSet``, and vs the arithmetic bound:
  ``n_labeled * n * d + b * n * d`` multiply-adds at this machine's measured
  single-thread float32 GEMM rate (measured twice: a square 1024 GEMM, the
  peak, and the distance product's own thin shape). skal computes exact
  distances to the labeled set only for the samples that can be picked, so
  it may beat that bound. Peak memory by ``tracemalloc``.
- ``BADGE`` on 100,000 samples with 64-d embeddings and 10 classes vs
  ``skactiveml.pool.Badge`` (which forms the (n, K d) gradient embeddings).
- ``DiverseMiniBatch`` vs its parts done by hand: an uncertainty query of
  the ``beta * b`` best plus a weighted scikit-learn ``KMeans`` on them.

Run ``PYTHONPATH=. python examples/benchmarks/bench_diversity.py [--quick]
[--out DIR]``. ``--quick`` shrinks the pools (under a minute).
"""

import argparse
import json
import os
import platform
import time
import tracemalloc

import numpy as np
from sklearn.cluster import KMeans
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from skal import ActiveLearner
from skal.strategies import (
    BADGE,
    CoreSet,
    DiverseMiniBatch,
    UncertaintySampling,
    select_top_k,
)


def best_time(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return min(times), out


def peak_mib(func):
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def gemm_rate(m, k, n, repeat=5):
    """Single-thread float32 multiply-adds per second of an (m,k) x (k,n) product."""
    rng = np.random.RandomState(0)
    A = rng.rand(m, k).astype(np.float32)
    B = rng.rand(k, n).astype(np.float32)
    reps = max(1, int(2e9 // (m * k * n)))
    seconds, _ = best_time(lambda: [A @ B for _ in range(reps)], repeat)
    return reps * m * k * n / seconds


def make_pool(n, d, n_labeled, n_classes, seed):
    rng = np.random.RandomState(seed)
    centres = rng.normal(scale=3.0, size=(n_classes, d))
    y = rng.randint(n_classes, size=n)
    X = centres[y] + rng.normal(size=(n, d))
    y_partial = np.full(n, -1)
    labeled = rng.choice(n, n_labeled, replace=False)
    y_partial[labeled] = y[labeled]
    y_partial[labeled[:n_classes]] = np.arange(n_classes)  # every class seen
    return X, y_partial


def skactiveml_labels(y_partial):
    return np.where(y_partial == -1, np.nan, y_partial.astype(float))


def bench_coreset(n, d, n_labeled, b, repeat, run_peer):
    from skactiveml.pool import CoreSet as PeerCoreSet

    X, y_partial = make_pool(n, d, n_labeled, 10, seed=0)
    learner = ActiveLearner(
        LogisticRegression(max_iter=200), query_strategy=CoreSet(), batch_size=b
    ).fit(X, y_partial)
    skal_s, idx = best_time(lambda: learner.query(), repeat)
    skal_mib = peak_mib(lambda: learner.query())
    macs = n_labeled * n * d + b * n * d
    rate_peak = gemm_rate(1024, 1024, 1024)
    rate_shape = gemm_rate(2048, d + 1, n_labeled)
    row = {
        "case": "CoreSet",
        "n": n,
        "d": d,
        "n_labeled": n_labeled,
        "batch": b,
        "skal_s": skal_s,
        "skal_peak_MiB": skal_mib,
        "pool_MiB": X.nbytes / 2**20,
        "bound_peak_s": macs / rate_peak,
        "bound_shape_s": macs / rate_shape,
        "gemm_peak_GMACs": rate_peak / 1e9,
        "gemm_shape_GMACs": rate_shape / 1e9,
    }
    row["skal_over_bound_peak"] = skal_s / row["bound_peak_s"]
    row["skal_over_bound_shape"] = skal_s / row["bound_shape_s"]
    if run_peer:
        peer = PeerCoreSet(random_state=0)
        y_nan = skactiveml_labels(y_partial)
        peer_s, peer_idx = best_time(lambda: peer.query(X, y_nan, batch_size=b), 1)
        row["skactiveml_s"] = peer_s
        row["skactiveml_peak_MiB"] = peak_mib(
            lambda: peer.query(X, y_nan, batch_size=b)
        )
        row["speedup"] = peer_s / skal_s
        row["same_picks"] = float(np.mean(np.isin(idx, peer_idx)))
    return row


def bench_badge(n, d, n_labeled, b, repeat, run_peer):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import Badge

    X, y_partial = make_pool(n, d, n_labeled, 10, seed=1)
    learner = ActiveLearner(
        LogisticRegression(max_iter=200),
        query_strategy=BADGE(),
        batch_size=b,
        random_state=0,
    ).fit(X, y_partial)
    skal_s, _ = best_time(lambda: learner.query(), repeat)
    row = {
        "case": "BADGE",
        "n": n,
        "d": d,
        "n_classes": 10,
        "batch": b,
        "skal_s": skal_s,
        "skal_peak_MiB": peak_mib(lambda: learner.query()),
    }
    if run_peer:
        y_nan = skactiveml_labels(y_partial)
        clf = SklearnClassifier(
            LogisticRegression(max_iter=200), classes=np.arange(10), random_state=0
        ).fit(X, y_nan)
        peer = Badge(random_state=0)
        peer_s, _ = best_time(
            lambda: peer.query(X, y_nan, clf, fit_clf=False, batch_size=b), 1
        )
        row["skactiveml_s"] = peer_s
        row["speedup"] = peer_s / skal_s
    return row


def bench_diverse_mini_batch(n, d, n_labeled, b, beta, repeat):
    X, y_partial = make_pool(n, d, n_labeled, 10, seed=2)
    learner = ActiveLearner(
        LogisticRegression(max_iter=200),
        query_strategy=DiverseMiniBatch(beta=beta),
        batch_size=b,
        random_state=0,
    ).fit(X, y_partial)
    pool = X[y_partial == -1]
    rng = np.random.RandomState(0)
    skal_s, _ = best_time(lambda: learner.query(pool), repeat)

    def by_hand():
        scores = UncertaintySampling("margin").score(learner.query_context(pool))
        top = select_top_k(scores, beta * b, rng)
        km = KMeans(n_clusters=b, n_init=1, random_state=0)
        km.fit(pool[top], sample_weight=scores[top])
        return top

    parts_s, _ = best_time(by_hand, repeat)
    return {
        "case": "DiverseMiniBatch",
        "n": n,
        "d": d,
        "batch": b,
        "beta": beta,
        "skal_s": skal_s,
        "uncertainty_plus_kmeans_s": parts_s,
        "skal_over_parts": skal_s / parts_s,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small pools, < 1 min")
    parser.add_argument("--out", default=None, help="directory for the JSON result")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument(
        "--no-peer", action="store_true", help="skip scikit-activeml (it is slow)"
    )
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    scale = 10 if args.quick else 1
    run_peer = not args.no_peer
    with threadpool_limits(limits=1):
        rows = [
            bench_coreset(200_000 // scale, 50, 1000, 100, repeat, run_peer),
            bench_badge(100_000 // scale, 64, 1000, 100, repeat, run_peer),
            bench_diverse_mini_batch(100_000 // scale, 64, 1000, 100, 10, repeat),
        ]
    for row in rows:
        print(f"\n{row['case']}")
        for key, value in row.items():
            if key != "case":
                text = f"{value:.4g}" if isinstance(value, float) else str(value)
                print(f"  {key:28s} {text}")
    result = {
        "benchmark": "bench_diversity",
        "quick": args.quick,
        "threads": 1,
        "machine": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "rows": rows,
    }
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        path = os.path.join(args.out, "bench_diversity.json")
        with open(path, "w") as fh:
            json.dump(result, fh, indent=2)
        print(f"\nwrote {path}")
    return result


if __name__ == "__main__":
    main()
