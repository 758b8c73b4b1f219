"""CLUE: clustering uncertainty-weighted embeddings (Prabhu et al. 2021).

Prabhu, Chandrasekaran, Saenko & Hoffman, *Active Domain Adaptation via
Clustering Uncertainty-weighted Embeddings*, ICCV 2021. A k-means with one
cluster per batch slot, each candidate weighted by its uncertainty, puts the
centroids in regions that are both dense and uncertain; the batch is the
candidate nearest each centroid.
"""

import numpy as np
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.utils._param_validation import HasMethods, StrOptions

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._uncertainty import MEASURES


class CLUE(BaseStrategy):
    """Query the candidates nearest the centroids of an uncertainty-weighted k-means.

    CLUE minimizes the uncertainty-weighted k-means objective over the
    embeddings ``z`` of the candidates,

    ``sum_i u(x_i) min_{c=1..b} ||z_i - mu_c||^2``,

    with ``b`` the batch size and ``u`` an uncertainty (the entropy of the
    probabilities for a classifier, the predictive standard deviation for a
    regressor), then queries the candidate nearest each centroid ``mu_c``.
    When every uncertainty is 0 the weights are uniform.

    Parameters
    ----------
    measure : {"entropy", "margin", "least_confidence", "ratio"} or callable, \
            default="entropy"
        Uncertainty of a classifier's probabilities (ignored for regressors).
    clusterer : estimator with ``fit_transform`` and ``n_clusters``, default=None
        The weighted clustering; ``n_clusters`` is set to the batch size.
        ``None`` is ``KMeans(n_init="auto")`` seeded by the query's random
        state.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import CLUE, QueryContext
    >>> Z = np.array([[0.0], [0.1], [5.0], [5.1], [9.0]])   # embeddings
    >>> P = np.array([[0.5, 0.5], [0.6, 0.4], [0.9, 0.1], [0.5, 0.5], [1.0, 0.0]])
    >>> row = lambda X: X[:, 0].astype(int)
    >>> ctx = QueryContext(np.arange(5).reshape(-1, 1), classes=[0, 1],
    ...                    signals={"proba": lambda X: P[row(X)],
    ...                             "embed": lambda X: Z[row(X)]}, random_state=0)
    >>> sorted(CLUE().select(ctx, 2)[0].tolist())  # certain row 4 weighs 0
    [0, 3]
    """

    _parameter_constraints = {
        "measure": [StrOptions(MEASURES.keys()), callable],
        "clusterer": [HasMethods(["fit_transform", "set_params"]), None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, measure="entropy", *, clusterer=None, max_candidates=None):
        self.measure = measure
        self.clusterer = clusterer
        self.max_candidates = max_candidates

    def uncertainty(self, context):
        """The weights: each candidate's uncertainty, (n_candidates,).

        Parameters
        ----------
        context : QueryContext
            The candidates and the model's signals.

        Returns
        -------
        weights : ndarray of shape (n_candidates,)
            Non-negative uncertainties (all ones when every one is 0).
        """
        if context.is_classifier:
            measure = self.measure if callable(self.measure) else MEASURES[self.measure]
            weights = np.asarray(context.map("proba", measure), dtype=float)
        else:
            weights = np.asarray(context.predict_std(), dtype=float)
        if not np.nansum(weights) > 0:
            weights = np.ones_like(weights)
        return weights

    def _select(self, context, batch_size):
        weights = self.uncertainty(context)
        Z = context.embedding()
        clusterer = _seeded_clusterer(self.clusterer, batch_size, context.random_state)
        dist = clusterer.fit_transform(Z, sample_weight=weights)
        return nearest_to_centroids(dist, context.random_state)


def _seeded_clusterer(clusterer, n_clusters, rng):
    """A clone of ``clusterer`` (``None``: a KMeans seeded by ``rng``)."""
    if clusterer is None:
        seed = rng.randint(np.iinfo(np.int32).max)
        clusterer = KMeans(n_init="auto", random_state=seed)
    else:
        clusterer = clone(clusterer)
    return clusterer.set_params(n_clusters=n_clusters)


def nearest_to_centroids(dist, rng):
    """The sample nearest each centroid, distinct, ties broken at random.

    Parameters
    ----------
    dist : ndarray of shape (n_samples, n_clusters)
        Distance of each sample to each centroid (``fit_transform``).
    rng : RandomState
        Breaks ties.

    Returns
    -------
    picks : ndarray of int of shape (n_clusters,)
        Centroid ``c``'s sample first-come among those not yet picked.
    scores : ndarray of shape (n_clusters,)
        Minus their distances.
    """
    picks = []
    for c in range(dist.shape[1]):
        closeness = -dist[:, c]
        closeness[picks] = -np.inf
        best = np.flatnonzero(closeness == closeness.max())
        picks.append(int(rng.choice(best)))
    picks = np.asarray(picks, dtype=np.intp)
    return picks, -dist[picks, np.arange(dist.shape[1])]
