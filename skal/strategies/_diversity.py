"""Diversity: CoreSet, KMeansSampling and TypiClust.

These strategies choose samples that cover the pool (or its dense regions)
in an embedding: the context's :meth:`~skal.strategies.QueryContext.embedding`,
which is the model's ``embed``, a pipeline's transform steps, or the raw
features. None of them needs a fitted model.
"""

from numbers import Integral

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import Interval

from ..utils import is_dask_array
from ._base import _MAX_CANDIDATES, BaseStrategy
from ._kcenter import k_center_greedy
from ._kernels import (
    augment,
    min_sq_distances,
)
from ._seeding import kmeans_closest
from ._seeding_blocks import kmeans_closest_blocks
from ._typiclust_blocks import typiclust_blocks

_POSITIVE_INT = [Interval(Integral, 1, None, closed="left")]


def _dask_features(context):
    """The candidates as a dask array when they are the embedding, else None."""
    if not (is_dask_array(context.pool) and context.embeds_features):
        return None
    rows = context.rows_index
    return context.pool if rows is None else context.pool[rows]


def _embed_candidates_and_labeled(context):
    """Embed candidates and labeled rows, both centred on the candidates' mean."""
    Z = context.embedding()
    centre = Z.mean(axis=0)
    Za, z_sq = augment(Z, centre)
    L = context.labeled_embedding()
    if L is None:
        return Za, z_sq, None, None
    if L.shape[1] != Z.shape[1]:
        raise ValueError(
            f"The pool embeds into {Z.shape[1]} dimensions but the labeled rows into "
            f"{L.shape[1]}; they must come from the same representation."
        )
    La, l_sq = augment(L, centre)
    return Za, z_sq, La, l_sq


def _candidates_and_labeled(context):
    """Embed the candidates; squared distances to the labeled rows (None without)."""
    Za, z_sq, La, l_sq = _embed_candidates_and_labeled(context)
    if La is None:
        return Za, z_sq, None
    return Za, z_sq, min_sq_distances(Za, z_sq, La, l_sq)


class CoreSet(BaseStrategy):
    """Query the samples that best cover the pool: greedy k-center (core-set).

    Each pick is the candidate farthest from its nearest labeled (or
    already picked) sample in the embedding (Sener & Savarese, "Active
    Learning for Convolutional Neural Networks: A Core-Set Approach", ICLR
    2018). Distances are computed chunk by chunk in float32 as matrix
    products; the state is one distance per candidate. Exact distances to
    the labeled set are computed only for the candidates that can be picked
    (bounded by the distances to a subset of it), and the picks are those
    of the plain greedy. Without labeled rows (cold start) the first pick is
    the candidate closest to the candidates' mean.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.KMeansSampling : Cover the pool with k-means centres.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import CoreSet, QueryContext
    >>> X = np.array([[0.0], [1.0], [5.0], [9.0], [11.0]])
    >>> CoreSet().select(QueryContext(X), 2)[0].tolist()
    [2, 4]
    """

    requires_model = False
    label_types = ("single", "multilabel")  # reads the rows only
    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def score(self, context):
        """Return each candidate's distance to the nearest labeled sample.

        Parameters
        ----------
        context : QueryContext
            The candidates and the labeled rows.

        Returns
        -------
        scores : ndarray of shape (n_candidates,)
            Euclidean distances in the embedding; ``inf`` without labels.
        """
        self._validate_params()
        with context.asked_by(self):
            _, _, d2 = _candidates_and_labeled(context)
        if d2 is None:
            return np.full(context.n_candidates, np.inf)
        return np.sqrt(d2.astype(np.float64))

    def _select(self, context, batch_size):
        # On the raw features the pool is read in place, a chunk at a time
        # (NumPy, memmap) or block by block on the workers (dask): no copy of
        # the candidate rows. A learned embedding is computed first.
        if context.embeds_features:
            X, rows = context.pool, context.rows_index
        else:
            X, rows = context.embedding(), None
        labeled = context.labeled_embedding()
        if labeled is not None and labeled.shape[1] != X.shape[1]:
            raise ValueError(
                f"The pool embeds into {X.shape[1]} dimensions but the labeled rows "
                f"into {labeled.shape[1]}; they must come from the same "
                "representation."
            )
        idx, dists = k_center_greedy(X, batch_size, X_labeled=labeled, rows=rows)
        return idx, dists


class KMeansSampling(BaseStrategy):
    """Query the samples closest to the centres of a k-means clustering of the pool.

    The pool embedding is cut into ``batch_size`` clusters and the sample
    nearest to each centre is queried, largest clusters first.

    Parameters
    ----------
    n_init : int, default=1
        Number of k-means restarts.
    max_candidates : int, float or None, default=None
        Cluster only a random subsample of the pool samples: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.TypiClust : Typical samples of uncovered clusters.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import KMeansSampling, QueryContext
    >>> X = np.array([[0.0], [0.1], [0.2], [10.0], [10.1]])
    >>> idx, _ = KMeansSampling().select(QueryContext(X, random_state=0), 2)
    >>> idx.tolist()
    [1, 3]
    """

    requires_model = False
    label_types = ("single", "multilabel")  # reads the rows only
    _parameter_constraints = {
        "n_init": _POSITIVE_INT,
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, *, n_init=1, max_candidates=None):
        self.n_init = n_init
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        pool = _dask_features(context)
        if pool is not None:
            # two stages on the workers: k-means on a sample, one exact pass
            return kmeans_closest_blocks(
                pool, batch_size, context.random_state, n_init=self.n_init
            )
        Z = context.embedding()
        return kmeans_closest(Z, batch_size, context.random_state, n_init=self.n_init)


def typicality(Z, n_neighbors):
    """Return the inverse mean distance of each point to its nearest neighbours.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_dims)
        Points.
    n_neighbors : int
        Neighbours averaged over (the point itself excluded); clipped to
        ``n_samples - 1``.

    Returns
    -------
    typicality : ndarray of shape (n_samples,)
        ``1 / mean_{j in kNN(i)} ||z_i - z_j||``; higher is more typical.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import typicality
    >>> typicality(np.array([[0.0], [1.0], [2.0], [10.0]]), 1).tolist()
    [1.0, 1.0, 1.0, 0.125]
    """
    n = Z.shape[0]
    k = min(int(n_neighbors), n - 1)
    if k < 1:
        return np.ones(n)
    dist, _ = NearestNeighbors(n_neighbors=k + 1).fit(Z).kneighbors(Z)
    # Column 0 is the point itself (distance 0, or a duplicate at distance 0).
    return 1.0 / np.maximum(dist[:, 1:].mean(axis=1), 1e-12)


class TypiClust(BaseStrategy):
    """Query the most typical sample of each of the largest uncovered clusters.

    The pool and the labeled rows are clustered together into
    ``min(n_labeled + batch_size, max_clusters)`` clusters; clusters are
    visited by fewest labeled samples, then largest size, and from each the
    pool sample of highest typicality (inverse mean distance to its
    ``n_neighbors`` nearest neighbours inside the cluster) is taken
    (Hacohen, Dekel & Weinshall, "Active Learning on a Budget: Opposite
    Strategies Suit High and Low Budgets", ICML 2022). It needs no model, so
    it is a good ``initial_strategy`` for a cold start.

    Parameters
    ----------
    n_neighbors : int, default=20
        Neighbours in the typicality; at most half the cluster size is used.
    max_clusters : int, default=500
        Cap on the number of clusters.
    min_cluster_size : int, default=5
        Clusters with at most this many samples are visited only when no
        larger cluster is left.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the pool samples: this many (int)
        or this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.KMeansSampling : Samples closest to k-means centres.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext, TypiClust
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, (30, 2)), rng.normal(20, 1, (10, 2))])
    >>> idx, _ = TypiClust(n_neighbors=5).select(QueryContext(X, random_state=0), 2)
    >>> sorted(int(i) >= 30 for i in idx)
    [False, True]
    """

    requires_model = False
    label_types = ("single", "multilabel")  # reads the rows only
    _parameter_constraints = {
        "n_neighbors": _POSITIVE_INT,
        "max_clusters": _POSITIVE_INT,
        "min_cluster_size": [Interval(Integral, 0, None, closed="left")],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        *,
        n_neighbors=20,
        max_clusters=500,
        min_cluster_size=5,
        max_candidates=None,
    ):
        self.n_neighbors = n_neighbors
        self.max_clusters = max_clusters
        self.min_cluster_size = min_cluster_size
        self.max_candidates = max_candidates

    def _cluster(self, Z, n_clusters, rng):
        seed = rng.randint(np.iinfo(np.int32).max)
        if n_clusters <= 50:
            model = KMeans(n_clusters=n_clusters, n_init=1, random_state=seed)
        else:
            model = MiniBatchKMeans(n_clusters=n_clusters, n_init=3, random_state=seed)
        return model.fit_predict(Z)

    def _select(self, context, batch_size):
        pool = _dask_features(context)
        if pool is not None:
            # two stages on the workers: clusters from a sample, then the
            # typicality of each cluster's central rows over every block
            return typiclust_blocks(
                pool,
                batch_size,
                context.random_state,
                X_labeled=context.labeled_embedding(),
                n_neighbors=self.n_neighbors,
                max_clusters=self.max_clusters,
                min_cluster_size=self.min_cluster_size,
            )
        n_neighbors, min_size = self.n_neighbors, self.min_cluster_size
        Z = context.embedding()
        n = Z.shape[0]
        L = context.labeled_embedding()
        n_lab = 0 if L is None else L.shape[0]
        all_Z = Z if L is None else np.vstack([Z, L])
        n_clusters = min(n_lab + batch_size, self.max_clusters, all_Z.shape[0])
        labels = self._cluster(all_Z, n_clusters, context.random_state)
        sizes = np.bincount(labels, minlength=n_clusters)
        covered = np.bincount(labels[n:], minlength=n_clusters)
        # Fewest labeled first, then largest, then lowest id; small clusters last.
        order = np.lexsort((np.arange(n_clusters), -sizes, covered, sizes <= min_size))
        available = np.ones(n, dtype=bool)
        cache, picks, scores = {}, [], []
        while len(picks) < batch_size:
            for c in order:
                if len(picks) == batch_size:
                    break
                members = np.flatnonzero(labels == c)
                in_pool = members[members < n]
                if not available[in_pool].any():
                    continue
                if c not in cache:
                    k = min(n_neighbors, members.shape[0] // 2)
                    cache[c] = typicality(all_Z[members], k)[members < n]
                typ = np.where(available[in_pool], cache[c], -np.inf)
                j = int(np.argmax(typ))
                picks.append(in_pool[j])
                scores.append(typ[j])
                available[in_pool[j]] = False
        return np.asarray(picks, dtype=np.intp), np.asarray(scores)
