"""Coverage strategies for low budgets: ProbCover and MaxHerding.

Both choose samples that *cover* the embedding space: ProbCover counts the
uncovered points inside a ball of radius ``delta`` (Yehuda et al. 2022),
MaxHerding the gain in a smooth kernel coverage (Bae et al. 2024). Neither
needs a model, so both can choose the first labels.
"""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.metrics import euclidean_distances
from sklearn.metrics.pairwise import KERNEL_PARAMS, pairwise_kernels
from sklearn.preprocessing import normalize
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._base import _MAX_CANDIDATES, BaseStrategy

#: Rows of a pairwise block computed at once (a block is chunk x n floats).
_CHUNK = 1024
#: MaxHerding keeps its (n, n) kernel matrix up to this size (n = 11,585).
_KERNEL_CACHE_BYTES = 2**30


def _random_argmax(values, rng):
    best = np.flatnonzero(values == values.max())
    return int(best[0] if best.shape[0] == 1 else rng.choice(best))


def _blocks(n):
    for start in range(0, n, _CHUNK):
        yield slice(start, min(start + _CHUNK, n))


def _stack(context):
    """Candidate embedding, with the labeled embedding below it (or None)."""
    Z = context.embedding()
    Z_labeled = context.labeled_embedding()
    if Z_labeled is None or Z_labeled.shape[0] == 0:
        return Z, None
    return Z, np.asarray(Z_labeled, dtype=float)


def impurity_radius(Z, clusters):
    """Distance from each point to the nearest point of another cluster.

    A ball of radius ``delta`` around point ``i`` is pure (holds one cluster
    only) exactly when ``delta`` is below this distance, so the purity of
    every ``delta`` follows from one pass over the pairs.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_features)
        Points.
    clusters : ndarray of shape (n_samples,)
        Cluster label of each point.

    Returns
    -------
    radius : ndarray of shape (n_samples,)
        ``min_{j: c_j != c_i} ||z_i - z_j||`` (``inf`` with one cluster).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import impurity_radius
    >>> impurity_radius(np.array([[0.0], [1.0], [3.0]]), np.array([0, 0, 1])).tolist()
    [3.0, 2.0, 2.0]
    """
    clusters = np.asarray(clusters)
    radius = np.empty(Z.shape[0])
    for rows in _blocks(Z.shape[0]):
        D = euclidean_distances(Z[rows], Z)
        D[clusters[rows, None] == clusters[None, :]] = np.inf
        radius[rows] = D.min(axis=1)
    return radius


def _ball_graph(Z, delta):
    """Boolean CSR matrix of the pairs at distance at most ``delta``."""
    parts = []
    for rows in _blocks(Z.shape[0]):
        parts.append(sp.csr_matrix(euclidean_distances(Z[rows], Z) <= delta))
    return sp.vstack(parts, format="csr")


def _greedy_cover(graph, covered, n, batch_size, rng):
    """Greedy max coverage over the first ``n`` vertices; returns picks, gains."""
    graph = graph.astype(np.int32)
    degree = np.asarray(graph[:n] @ (~covered).astype(np.int32)).ravel().astype(float)
    picks, gains = [], []
    for _ in range(batch_size):
        best = _random_argmax(degree, rng)
        picks.append(best)
        gains.append(degree[best])
        new = graph[best].indices[~covered[graph[best].indices]]
        covered[new] = True
        if new.shape[0]:
            # every point whose ball held a newly covered point loses it
            degree -= np.asarray(graph[new][:, :n].sum(axis=0)).ravel()
        degree[best] = -np.inf
    return np.asarray(picks, dtype=np.intp), np.asarray(gains)


class ProbCover(BaseStrategy):
    """Query the samples whose ``delta``-balls cover the most uncovered points.

    ProbCover (Yehuda et al. 2022) builds a graph on the embedding with an
    edge between points at distance at most ``delta``; points within
    ``delta`` of a labeled sample are covered. It then greedily queries the
    candidate whose ball holds the most uncovered points and covers them.
    ``delta`` is the largest value in ``deltas`` whose balls are pure for a
    fraction ``alpha`` of the points, purity meaning that a ball holds one
    cluster of a k-means clustering into as many clusters as classes.

    Parameters
    ----------
    deltas : array-like of float, default=None
        Candidate radii; ``None`` is ``0.2, 0.4, ..., 2.0`` (for normalized
        embeddings, as in the paper). A single value is used as is.
    alpha : float, default=0.95
        Required purity, in (0, 1).
    n_clusters : int, default=None
        Clusters for the purity test; ``None`` is the number of classes
        (2 before any label, as in scikit-activeml). Required for a
        regressor with labels, unless ``deltas`` holds one radius.
    clusterer : estimator with ``fit_predict``, default=None
        Clustering for the purity test; ``None`` is scikit-learn's
        ``KMeans(n_clusters)`` seeded by the query's random state. Its own
        number of clusters is used as given.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Attributes
    ----------
    delta_ : float
        The radius of the last query.
    purity_ : float
        The purity of the balls of radius ``delta_`` (NaN for one radius).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import ProbCover, QueryContext
    >>> X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1]])
    >>> ctx = QueryContext(X, random_state=0)
    >>> ProbCover(deltas=[0.15]).select(ctx, 2)[0].tolist()
    [1, 3]
    """

    requires_model = False
    _parameter_constraints = {
        "deltas": ["array-like", None],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "n_clusters": [Interval(Integral, 2, None, closed="left"), None],
        "clusterer": [HasMethods(["fit_predict"]), None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        deltas=None,
        *,
        alpha=0.95,
        n_clusters=None,
        clusterer=None,
        max_candidates=None,
    ):
        self.deltas = deltas
        self.alpha = alpha
        self.n_clusters = n_clusters
        self.clusterer = clusterer
        self.max_candidates = max_candidates

    def _check_deltas(self):
        if self.deltas is None:
            return np.arange(0.2, 2.2, 0.2)
        deltas = np.sort(np.asarray(self.deltas, dtype=float).reshape(-1))
        if deltas.shape[0] == 0 or not np.all(np.isfinite(deltas)) or deltas[0] < 0:
            raise ValueError(
                f"ProbCover needs non-negative finite deltas, got {self.deltas!r}."
            )
        return deltas

    def _clusters(self, context, Z):
        if self.clusterer is not None:
            return clone(self.clusterer).fit_predict(Z)
        k = self.n_clusters
        if k is None and not context.is_classifier and context.n_labeled:
            raise ValueError(
                "ProbCover chooses its radius by the purity of a clustering into "
                "as many clusters as classes, and a regressor has no classes: "
                "set n_clusters, or give one radius (deltas=[0.5])."
            )
        if k is None:
            # before any label the classes are unknown: 2, as scikit-activeml
            k = max(len(context.classes) if context.is_classifier else 0, 2)
        seed = context.random_state.randint(np.iinfo(np.int32).max)
        return KMeans(n_clusters=k, n_init="auto", random_state=seed).fit_predict(Z)

    def choose_delta(self, context, Z):
        """Return the largest radius of ``deltas`` with purity at least ``alpha``.

        Parameters
        ----------
        context : QueryContext
            Supplies the random state and the number of classes.
        Z : ndarray of shape (n_samples, n_features)
            All points of the graph (candidates and labeled).

        Returns
        -------
        delta : float
            The smallest radius when none is pure enough.
        purity : float
            The purity of ``delta``'s balls (NaN for a single radius).
        """
        deltas = self._check_deltas()
        if deltas.shape[0] == 1:
            return float(deltas[0]), np.nan
        radius = impurity_radius(Z, self._clusters(context, Z))
        purity = np.array([np.mean(radius > d) for d in deltas])
        pure = np.flatnonzero(purity >= self.alpha)
        # the first radius below alpha stops the search, as in the paper
        stop = np.flatnonzero(purity < self.alpha)
        if stop.shape[0]:
            pure = pure[pure < stop[0]]
        best = pure[-1] if pure.shape[0] else 0
        return float(deltas[best]), float(purity[best])

    def _select(self, context, batch_size):
        Z, Z_labeled = _stack(context)
        n = Z.shape[0]
        points = Z if Z_labeled is None else np.vstack([Z, Z_labeled])
        self.delta_, self.purity_ = self.choose_delta(context, points)
        graph = _ball_graph(points, self.delta_)
        covered = np.zeros(points.shape[0], dtype=bool)
        if Z_labeled is not None:
            covered[np.unique(graph[n:].indices)] = True
        return _greedy_cover(graph, covered, n, batch_size, context.random_state)


_METRICS = set(KERNEL_PARAMS) - {"precomputed"}


class MaxHerding(BaseStrategy):
    """Query the samples that most raise a kernel coverage of the candidates.

    MaxHerding (Bae, Noh & Sutherland 2024) maximizes the generalized
    coverage ``C(L) = 1/n sum_j max_{l in L} k(x_j, x_l)`` greedily: each
    pick is the candidate ``i`` with the largest gain
    ``1/n sum_j max(k(x_j, x_i) - m_j, 0)``, ``m_j`` being the best kernel
    value of ``x_j`` to the labeled and already picked samples (0 for
    none). Only the ``m_j`` a pick raises change, so the gains are updated
    on those columns only. The ``(n, n)`` kernel matrix is kept while it
    takes at most 1 GiB; beyond, its blocks are recomputed as needed, so
    memory stays bounded by a block.

    Parameters
    ----------
    metric : str, default="rbf"
        Kernel of :func:`sklearn.metrics.pairwise.pairwise_kernels`.
    metric_params : dict, default=None
        Its parameters, e.g. ``{"gamma": 0.5}``.
    normalize_samples : bool, default=True
        Scale the embeddings to unit norm first.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import MaxHerding, QueryContext
    >>> X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1]])
    >>> ctx = QueryContext(X, random_state=0)
    >>> MaxHerding(normalize_samples=False).select(ctx, 2)[0].tolist()
    [1, 3]
    """

    requires_model = False
    _parameter_constraints = {
        "metric": [StrOptions(_METRICS)],
        "metric_params": [dict, None],
        "normalize_samples": ["boolean"],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        metric="rbf",
        *,
        metric_params=None,
        normalize_samples=True,
        max_candidates=None,
    ):
        self.metric = metric
        self.metric_params = metric_params
        self.normalize_samples = normalize_samples
        self.max_candidates = max_candidates

    def _kernel(self, A, B):
        return pairwise_kernels(A, B, metric=self.metric, **(self.metric_params or {}))

    def _select(self, context, batch_size):
        Z, Z_labeled = _stack(context)
        if self.normalize_samples:
            Z = normalize(Z)
            Z_labeled = None if Z_labeled is None else normalize(Z_labeled)
        n = Z.shape[0]
        best = np.zeros(n)
        if Z_labeled is not None:
            for rows in _blocks(n):
                best[rows] = self._kernel(Z[rows], Z_labeled).max(axis=1)
        # the kernel matrix is kept when it fits the cache, else recomputed
        # by blocks (the kernel is symmetric: column j is row j)
        cached = self._kernel(Z, Z) if n * n * 8 <= _KERNEL_CACHE_BYTES else None

        def kernel_rows(rows):
            return cached[rows] if cached is not None else self._kernel(Z[rows], Z)

        gain = np.empty(n)
        for rows in _blocks(n):
            gain[rows] = np.maximum(kernel_rows(rows) - best, 0).sum(axis=1)
        rng = context.random_state
        picks, gains = [], []
        for _ in range(batch_size):
            pick = _random_argmax(gain, rng)
            picks.append(pick)
            gains.append(gain[pick] / n)
            k_pick = kernel_rows(slice(pick, pick + 1))[0]
            raised = np.flatnonzero(k_pick > best)
            old, new = best[raised], k_pick[raised]
            for cols in _blocks(raised.shape[0]):
                K = kernel_rows(raised[cols]).T
                gain -= (
                    np.maximum(K - old[cols], 0) - np.maximum(K - new[cols], 0)
                ).sum(axis=1)
            best[raised] = new
            gain[picks] = -np.inf
        return np.asarray(picks, dtype=np.intp), np.asarray(gains)
