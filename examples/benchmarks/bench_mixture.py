"""Mixture model classifier: skal's ``predict_proba`` beside scikit-activeml's.

A pool of 100,000 samples (10 features, 4 classes of ``make_blobs``) and
1,000 labeled training rows. One ``GaussianMixture`` of 4 full-covariance
components is fitted on the pool once (not timed: it is the same in all
three) and shared: skal's classifier takes it in a ``FrozenEstimator``,
scikit-activeml's as a fitted ``mixture_model`` (used as it is). The table
gives the best of ``--repeats`` timings of ``predict_proba`` on the pool,
the peak memory it allocates (``tracemalloc``) and the largest difference
of the probabilities. The limit is the work itself done the plainest way:
the mixture's own ``predict_proba`` times the per-component class weights
``F_components_``, normalised.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_mixture.py [--quick] [--out DIR]

``--quick`` uses a pool of 5,000 (< 10 s); the JSON goes to
``DIR/bench_mixture.json``.
"""

import numpy as np
from bench_parzen import blob_pool, side_by_side
from sklearn.frozen import FrozenEstimator
from sklearn.mixture import GaussianMixture
from threadpoolctl import threadpool_limits

from skal.estimators import MixtureModelClassifier


class MixtureLimit:
    """The plain computation: responsibilities times the components' labels."""

    def __init__(self, mixture, F_components):
        self.mixture, self.F_components = mixture, F_components

    def predict_proba(self, X):
        freq = self.mixture.predict_proba(X) @ self.F_components
        return freq / freq.sum(axis=1, keepdims=True)


def main(argv=None):
    args, X, y = blob_pool(__doc__, argv, n_features=10, repeats=5)
    from skactiveml.classifier import MixtureModelClassifier as TheirCMM

    X_train, y_train, X_pool = X[: args.n_train], y[: args.n_train], X[args.n_train :]
    with threadpool_limits(args.threads):
        gmm = GaussianMixture(4, random_state=0).fit(X_pool)
    ours = MixtureModelClassifier(FrozenEstimator(gmm)).fit(X_train, y_train)
    theirs = TheirCMM(gmm, classes=np.unique(y)).fit(X_train, y_train)
    limit = MixtureLimit(gmm, ours.F_components_)
    models = {"skal": ours, "scikit-activeml": theirs, "limit": limit}
    side_by_side(models, X_pool, args, "bench_mixture.json", digits=4)


if __name__ == "__main__":
    main()
