"""Parzen window classifier: skal's ``predict_proba`` beside scikit-activeml's.

A pool of 100,000 samples (20 features, 4 classes of ``make_blobs``) and
1,000 labeled training rows; both classifiers with the default RBF kernel
(``gamma = 1 / n_features``), fitted on the same rows, in one process. The
table gives the best of ``--repeats`` timings of ``predict_proba`` on the
pool, the peak memory it allocates (``tracemalloc``, which NumPy reports
to) and the largest difference of the probabilities. scikit-activeml
evaluates the whole 100,000 x 1,000 kernel matrix at once; skal in chunks
of 2**21 kernel entries.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_parzen.py [--n-pool N]
"""

import argparse
import time
import tracemalloc

import numpy as np
from sklearn.datasets import make_blobs
from threadpoolctl import threadpool_limits

from skal.estimators import ParzenWindowClassifier


def measure(model, X, repeats):
    """Best seconds and peak MiB of ``model.predict_proba(X)``, and its output."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        P = model.predict_proba(X)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    model.predict_proba(X)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, P


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-pool", type=int, default=100_000)
    parser.add_argument("--n-train", type=int, default=1000)
    parser.add_argument("--n-features", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    from skactiveml.classifier import ParzenWindowClassifier as TheirPWC

    X, y = make_blobs(
        args.n_pool + args.n_train, n_features=args.n_features, centers=4,
        cluster_std=4.0, random_state=0,
    )  # fmt: skip
    X_train, y_train, X_pool = X[: args.n_train], y[: args.n_train], X[args.n_train :]
    ours = ParzenWindowClassifier().fit(X_train, y_train)
    theirs = TheirPWC(classes=np.unique(y)).fit(X_train, y_train)
    with threadpool_limits(args.threads):
        t_ours, m_ours, P_ours = measure(ours, X_pool, args.repeats)
        t_theirs, m_theirs, P_theirs = measure(theirs, X_pool, args.repeats)
    print(f"pool {args.n_pool}, {args.n_train} training rows, {args.threads} thread(s)")
    print(f"skal           {t_ours:8.3f} s  {m_ours:8.1f} MiB")
    print(f"scikit-activeml {t_theirs:7.3f} s  {m_theirs:8.1f} MiB")
    print(f"ratio (theirs / skal) {t_theirs / t_ours:.2f}")
    print(
        f"largest difference of the probabilities {np.abs(P_ours - P_theirs).max():.1e}"
    )


if __name__ == "__main__":
    main()
