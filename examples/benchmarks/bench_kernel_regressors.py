"""NIC kernel regressor: skal's ``predict(X, return_std=True)`` beside the peer's.

A pool of 100,000 samples (20 features of ``make_regression``, targets
scaled to unit variance) and 1,000 training rows; both regressors with the
default RBF kernel (``gamma = 1 / n_features``) and prior, fitted on the
same rows, in one process. The table gives the best of ``--repeats``
timings of the predictive mean and std on the pool, the peak memory it
allocates (``tracemalloc``) and the largest difference of the stds.
scikit-activeml evaluates the whole 100,000 x 1,000 kernel matrix at once
and builds a ``scipy.stats.t``; skal evaluates it in chunks of 2**21
entries. The limit is the work done the plainest way: one scikit-learn
``pairwise_kernels`` matrix, its products with ``1``, ``y`` and ``y^2``
(weight, mean, scatter), and the posterior in closed form.

Usage (with ``PYTHONPATH=.``)::

    python examples/benchmarks/bench_kernel_regressors.py [--quick] [--out DIR]

``--quick`` uses a pool of 5,000 (< 10 s); the JSON goes to
``DIR/bench_kernel_regressors.json``.
"""

import argparse
import json
import os
import time
import tracemalloc

import numpy as np
from sklearn.datasets import make_regression
from sklearn.metrics.pairwise import pairwise_kernels
from threadpoolctl import threadpool_limits

from skal.estimators import NICKernelRegressor


def measure(model, X, repeats):
    """Best seconds and peak MiB of ``model.predict(X, return_std=True)``."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        mean, std = model.predict(X, return_std=True)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    model.predict(X, return_std=True)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best, peak, np.asarray(mean), np.asarray(std)


class KernelLimit:
    """One kernel matrix and its products, then the NIC posterior's t-law."""

    def __init__(self, X_train, y_train, kappa_0=0.1, nu_0=2.5, mu_0=0.0, s_0=1.0):
        self.X_train, self.prior = X_train, (kappa_0, nu_0, mu_0, s_0)
        self.Y = np.column_stack([np.ones_like(y_train), y_train, y_train**2])

    def predict(self, X, return_std=True):
        kappa_0, nu_0, mu_0, s_0 = self.prior
        N, S1, S2 = (pairwise_kernels(X, self.X_train, metric="rbf") @ self.Y).T
        mean = S1 / N
        scatter = np.maximum(S2 - S1 * mean, 0.0)
        kappa, nu = kappa_0 + N, nu_0 + N
        mu = (kappa_0 * mu_0 + S1) / kappa
        sigma_sq = (
            nu_0 * s_0 + scatter + kappa_0 * N * (mean - mu_0) ** 2 / kappa
        ) / nu
        scale = np.sqrt((1 + kappa) / kappa * sigma_sq)
        return mu, scale * np.sqrt(nu / (nu - 2))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pool of 5,000")
    parser.add_argument("--out", default=None, help="directory for the JSON result")
    parser.add_argument("--n-pool", type=int, default=None, help="default 100,000")
    parser.add_argument("--n-train", type=int, default=1000)
    parser.add_argument("--n-features", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    args.n_pool = args.n_pool or (5000 if args.quick else 100_000)
    from skactiveml.regressor import NICKernelRegressor as TheirNIC

    X, y = make_regression(
        args.n_pool + args.n_train, args.n_features, n_informative=5,
        noise=10.0, random_state=0,
    )  # fmt: skip
    X /= X.std(axis=0)
    y = (y - y.mean()) / y.std()
    X_train, y_train, X_pool = X[: args.n_train], y[: args.n_train], X[args.n_train :]
    models = {
        "skal": NICKernelRegressor().fit(X_train, y_train),
        "scikit-activeml": TheirNIC().fit(X_train, y_train),
        "limit": KernelLimit(X_train, y_train),
    }
    rows = {}
    with threadpool_limits(args.threads):
        for name, model in models.items():
            seconds, mib, mean, std = measure(model, X_pool, args.repeats)
            rows[name] = {"seconds": seconds, "peak_mib": mib, "mean": mean, "std": std}
    print(f"pool {args.n_pool}, {args.n_train} training rows, {args.threads} thread(s)")
    print(f"{'':16s} {'seconds':>8s} {'peak MiB':>9s} {'/ limit':>8s}")
    for name, row in rows.items():
        ratio = row["seconds"] / rows["limit"]["seconds"]
        print(f"{name:16s} {row['seconds']:8.3f} {row['peak_mib']:9.1f} {ratio:8.2f}")
    diff = {
        other: float(
            np.max(
                np.abs(rows["skal"]["std"] - rows[other]["std"]) / rows[other]["std"]
            )
        )
        for other in ("scikit-activeml", "limit")
    }
    peer = rows["skal"]["seconds"] / rows["scikit-activeml"]["seconds"]
    print(f"skal / scikit-activeml {peer:.2f}")
    print(f"largest relative difference of the stds: {diff}")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "n_pool": args.n_pool,
            "n_train": args.n_train,
            "n_features": args.n_features,
            "threads": args.threads,
            "quick": args.quick,
            "max_rel_difference_std": diff,
            **{
                name: {k: v for k, v in row.items() if k not in ("mean", "std")}
                for name, row in rows.items()
            },
        }
        with open(os.path.join(args.out, "bench_kernel_regressors.json"), "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
