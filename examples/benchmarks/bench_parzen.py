"""Parzen window classifier: skal's ``predict_proba`` beside scikit-activeml's.

A pool of 100,000 samples (20 features, 4 classes of ``make_blobs``) and
1,000 labeled training rows; both classifiers with the default RBF kernel
(``gamma = 1 / n_features``), fitted on the same rows, in one process. The
table gives the best of ``--repeats`` timings of ``predict_proba`` on the
pool, the peak memory it allocates (``tracemalloc``, which NumPy reports
to) and the largest difference of the probabilities. scikit-activeml
evaluates the whole 100,000 x 1,000 kernel matrix at once; skal in chunks
of 2**21 kernel entries. The limit is the work itself done the plainest
way: scikit-learn's ``rbf_kernel`` of the pool against the training rows
times the one-hot labels (one kernel matrix, one product), normalised.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_parzen.py [--quick] [--out DIR]

``--quick`` uses a pool of 5,000 (< 10 s); the JSON goes to
``DIR/bench_parzen.json``.
"""

import argparse
import json
import os
import time
import tracemalloc

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.metrics.pairwise import rbf_kernel
from threadpoolctl import threadpool_limits

from skal.estimators import ParzenWindowClassifier


def measure(call, X, repeats):
    """Best seconds and peak MiB of ``call(X)``, and its output."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        out = call(X)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    call(X)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, out


#: What ``side_by_side`` times, and how it compares the outputs: the call,
#: the difference to the others, its words and its JSON key.
OUTPUTS = {
    "proba": (
        lambda model: model.predict_proba,
        lambda ours, theirs: float(np.abs(ours - theirs).max()),
        "largest difference of the probabilities",
        "max_abs_difference",
    ),
    "std": (
        lambda model: lambda X: np.asarray(model.predict(X, return_std=True)[1]),
        lambda ours, theirs: float(np.max(np.abs(ours - theirs) / theirs)),
        "largest relative difference of the stds",
        "max_rel_difference_std",
    ),
}


class KernelLimit:
    """The plain computation: one kernel matrix, one product with the labels."""

    def __init__(self, X_train, y_train):
        self.X_train = X_train
        self.onehot = (y_train[:, None] == np.unique(y_train)).astype(float)

    def predict_proba(self, X):
        freq = rbf_kernel(X, self.X_train) @ self.onehot
        return freq / freq.sum(axis=1, keepdims=True)


def options(doc, argv, n_features, repeats):
    """The options ``--quick``, ``--out``, ``--n-pool``, ... of these benchmarks.

    Also used by ``bench_mixture.py`` and ``bench_kernel_regressors.py``.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pool of 5,000")
    parser.add_argument("--out", default=None, help="directory for the JSON result")
    parser.add_argument("--n-pool", type=int, default=None, help="default 100,000")
    parser.add_argument("--n-train", type=int, default=1000)
    parser.add_argument("--n-features", type=int, default=n_features)
    parser.add_argument("--repeats", type=int, default=repeats)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    args.n_pool = args.n_pool or (5000 if args.quick else 100_000)
    return args


def blob_pool(doc, argv, n_features, repeats):
    """The :func:`options` and the blobs (pool + training).

    Also used by ``bench_mixture.py``: the same options and the same data.
    """
    args = options(doc, argv, n_features, repeats)
    X, y = make_blobs(
        args.n_pool + args.n_train, n_features=args.n_features, centers=4,
        cluster_std=4.0, random_state=0,
    )  # fmt: skip
    return args, X, y


def main(argv=None):
    args, X, y = blob_pool(__doc__, argv, n_features=20, repeats=3)
    from skactiveml.classifier import ParzenWindowClassifier as TheirPWC

    X_train, y_train, X_pool = X[: args.n_train], y[: args.n_train], X[args.n_train :]
    ours = ParzenWindowClassifier().fit(X_train, y_train)
    theirs = TheirPWC(classes=np.unique(y)).fit(X_train, y_train)
    limit = KernelLimit(X_train, y_train)
    models = {"skal": ours, "scikit-activeml": theirs, "limit": limit}
    side_by_side(models, X_pool, args, "bench_parzen.json")


def side_by_side(models, X_pool, args, filename, digits=3, output="proba"):
    """Time each model's ``output`` on the pool, print the table, write the JSON.

    ``models`` maps "skal", "scikit-activeml" and "limit" to models;
    ``output`` is a key of :data:`OUTPUTS`; ``args`` holds ``repeats``,
    ``threads``, ``n_pool``, ``n_train``, ``n_features``, ``quick`` and
    ``out``. Also used by ``bench_mixture.py`` and
    ``bench_kernel_regressors.py``.
    """
    call, difference, words, key = OUTPUTS[output]
    rows = {}
    with threadpool_limits(args.threads):
        for name, model in models.items():
            seconds, mib, out = measure(call(model), X_pool, args.repeats)
            rows[name] = {"seconds": seconds, "peak_mib": mib, "out": out}
    print(f"pool {args.n_pool}, {args.n_train} training rows, {args.threads} thread(s)")
    print(f"{'':16s} {'seconds':>8s} {'peak MiB':>9s} {'/ limit':>8s}")
    for name, row in rows.items():
        ratio = row["seconds"] / rows["limit"]["seconds"]
        seconds = f"{row['seconds']:8.{digits}f}"
        print(f"{name:16s} {seconds} {row['peak_mib']:9.1f} {ratio:8.2f}")
    diff = {
        other: difference(rows["skal"]["out"], rows[other]["out"])
        for other in ("scikit-activeml", "limit")
    }
    peer = rows["skal"]["seconds"] / rows["scikit-activeml"]["seconds"]
    print(f"skal / scikit-activeml {peer:.2f}")
    print(f"{words}: {diff}")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "n_pool": args.n_pool,
            "n_train": args.n_train,
            "n_features": args.n_features,
            "threads": args.threads,
            "quick": args.quick,
            key: diff,
            **{
                name: {k: v for k, v in row.items() if k != "out"}
                for name, row in rows.items()
            },
        }
        with open(os.path.join(args.out, filename), "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
