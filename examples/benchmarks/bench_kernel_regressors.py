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

import numpy as np
from bench_parzen import options, side_by_side
from sklearn.datasets import make_regression
from sklearn.metrics.pairwise import pairwise_kernels

from skal.estimators import NICKernelRegressor


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
    args = options(__doc__, argv, n_features=20, repeats=3)
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
    side_by_side(models, X_pool, args, "bench_kernel_regressors.json", output="std")


if __name__ == "__main__":
    main()
