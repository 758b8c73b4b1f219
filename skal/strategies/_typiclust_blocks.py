"""TypiClust on a dask pool: clusters from a sample, typicality computed by blocks.

The in-memory :class:`~skal.strategies.TypiClust` clusters the pool and the
labeled rows together and, in each visited cluster, takes the row of highest
typicality (inverse mean distance to its nearest neighbours inside the
cluster). Here the pool stays in its blocks (on the workers under
``dask.distributed``), in two stages:

1. k-means on a uniform sample of the pool plus the labeled rows (the same
   estimator and seed as in memory); every row of the pool is then assigned
   to its nearest centre where its block is (the cluster sizes, exact for
   those centres);
2. in each cluster, the ``n_candidates`` member rows nearest to the centre
   are the candidates; the nearest neighbours of each candidate inside its
   cluster are found block by block over the whole pool (plus the labeled
   rows), so their typicality is exact for the clusters of stage 1.

Only O(n_clusters x n_candidates) rows and distances reach the client.
"""

from operator import getitem

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans

#: Rows of a block compared with the candidates at a time.
_ROWS = 16_384


def _sq_dist(A, B):
    """Squared Euclidean distances in float64, (len(A), len(B)), clipped at 0."""
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    d = np.einsum("ij,ij->i", A, A)[:, None] + np.einsum("ij,ij->i", B, B)[None, :]
    d -= 2.0 * (A @ B.T)
    return np.maximum(d, 0.0, out=d)


def _assign(model, block, n_clusters, depth):
    """Cluster of each row; sizes; each cluster's ``depth`` rows nearest its centre."""
    block = np.asarray(block)
    labels = model.predict(block).astype(np.int32)
    centres = model.cluster_centers_
    diff = block - centres[labels]
    d = np.einsum("ij,ij->i", diff, diff)
    order = np.lexsort((np.arange(d.shape[0]), d, labels))  # cluster, distance, row
    ranked = labels[order]
    first = np.searchsorted(ranked, np.arange(n_clusters))
    rank = np.arange(order.shape[0]) - first[ranked]
    keep = order[rank < depth]
    sizes = np.bincount(labels, minlength=n_clusters)
    return labels, sizes, keep, labels[keep], d[keep]


def _nearest_in_cluster(block, labels, cand_X, cand_lab, n_near):
    """Each candidate's ``n_near`` smallest squared distances to its cluster's rows."""
    block = np.asarray(block)
    best = np.full((cand_X.shape[0], n_near), np.inf)
    for c in np.unique(cand_lab):
        mine = np.flatnonzero(cand_lab == c)
        rows = np.flatnonzero(labels == c)
        for start in range(0, rows.shape[0], _ROWS):
            d = _sq_dist(cand_X[mine], block[rows[start : start + _ROWS]])
            both = np.hstack([best[mine], d])
            m = min(n_near, both.shape[1])
            best[mine, :m] = np.partition(both, m - 1, axis=1)[:, :m]
    return best


def _kmeans(n_clusters, seed):
    # The estimator of the in-memory TypiClust, so a full sample reproduces it.
    if n_clusters <= 50:
        return KMeans(n_clusters=n_clusters, n_init=1, random_state=seed)
    return MiniBatchKMeans(n_clusters=n_clusters, n_init=3, random_state=seed)


def typiclust_blocks(
    Z,
    k,
    random_state,
    *,
    X_labeled=None,
    n_neighbors=20,
    max_clusters=500,
    min_cluster_size=5,
    sample_size=100_000,
    n_candidates=64,
):
    """TypiClust's picks on a dask array, in two stages (see the module).

    With ``sample_size >= n_samples`` and ``n_candidates`` at least the
    largest cluster, the clusters, typicalities and picks are those of the
    in-memory :class:`~skal.strategies.TypiClust` with the same
    ``random_state``, up to the rounding of distances. Otherwise two things
    are approximate: the centres come from the sample (each estimates its
    cluster's mean with an error shrinking as ``1 / sqrt`` of its rows in
    the sample), and the most typical row is searched among the
    ``n_candidates`` members nearest to each centre. The cluster sizes, and
    the typicality of every candidate, are exact for those centres.

    Parameters
    ----------
    Z : dask.array.Array of shape (n_samples, n_dims)
        The pool's embedding (its features).
    k : int
        Number of picks.
    random_state : numpy.random.RandomState
        Seeds the sample and k-means, drawn as the in-memory strategy draws.
    X_labeled : ndarray of shape (n_labeled, n_dims), default=None
        The labeled rows, clustered with the pool.
    n_neighbors : int, default=20
        Neighbours in the typicality (at most half the cluster).
    max_clusters : int, default=500
        Cap on the number of clusters.
    min_cluster_size : int, default=5
        Clusters this small are visited last.
    sample_size : int, default=100_000
        Pool rows clustered in stage 1.
    n_candidates : int, default=64
        Members nearest to each centre whose typicality is computed.

    Returns
    -------
    indices : ndarray of int of shape (k,)
        Positions in ``Z``, in pick order.
    typicality : ndarray of float of shape (k,)
        The typicality of each pick.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from skal.strategies._typiclust_blocks import typiclust_blocks
    >>> rng = np.random.RandomState(0)
    >>> X = np.vstack([rng.normal(0, 1, (30, 2)), rng.normal(20, 1, (10, 2))])
    >>> idx, _ = typiclust_blocks(da.from_array(X, chunks=8), 2,
    ...                           np.random.RandomState(0), n_neighbors=5)
    >>> sorted(int(i) >= 30 for i in idx)
    [False, True]
    """
    import dask

    from ..utils import row_blocks

    blocks, starts = row_blocks(Z)
    n = int(starts[-1])
    L = None if X_labeled is None or len(X_labeled) == 0 else np.asarray(X_labeled)
    n_lab = 0 if L is None else L.shape[0]
    n_clusters = int(min(n_lab + k, max_clusters, n + n_lab))
    if sample_size >= n:
        sample = np.asarray(Z.compute())
    else:
        rows = np.sort(random_state.choice(n, sample_size, replace=False))
        sample = np.asarray(Z[rows].compute())
    seed = random_state.randint(np.iinfo(np.int32).max)
    model = _kmeans(n_clusters, seed).fit(
        sample if L is None else np.vstack([sample, L])
    )
    lab_L = np.empty(0, np.intp) if L is None else model.predict(L).astype(np.intp)
    depth = max(int(n_candidates), -(-k // n_clusters))
    while True:  # one pass; a second, deeper one only if too few candidates
        parts = dask.persist(
            *(dask.delayed(_assign)(model, b, n_clusters, depth) for b in blocks)
        )
        found = dask.compute(*(dask.delayed(getitem)(p, slice(1, None)) for p in parts))
        sizes = np.sum([f[0] for f in found], axis=0) + np.bincount(
            lab_L, minlength=n_clusters
        )
        pos = np.concatenate([f[1] + s for f, s in zip(found, starts)])
        lab = np.concatenate([f[2] for f in found])
        dist = np.concatenate([f[3] for f in found])
        order = np.lexsort((pos, dist, lab))
        rank = np.arange(order.shape[0]) - np.searchsorted(lab[order], lab[order])
        keep = order[rank < depth]
        if keep.shape[0] >= min(k, n) or depth >= n:
            break
        depth = n
    keep = keep[np.lexsort((pos[keep], lab[keep]))]  # by cluster, then row
    cand, cand_lab = pos[keep], lab[keep]
    cand_X = np.asarray(Z[cand].compute())
    n_near = int(min(n_neighbors, sizes.max() // 2)) + 1
    near = dask.compute(
        *(
            dask.delayed(_nearest_in_cluster)(
                b, dask.delayed(getitem)(p, 0), cand_X, cand_lab, n_near
            )
            for b, p in zip(blocks, parts)
        )
    )
    best = np.hstack(list(near))
    if L is not None:
        best = np.hstack(
            [best, _nearest_in_cluster(L, lab_L, cand_X, cand_lab, n_near)]
        )
    best = np.sort(np.partition(best, n_near - 1, axis=1)[:, :n_near], axis=1)
    typ = _typicality(best, sizes[cand_lab], n_neighbors)
    covered = np.bincount(lab_L, minlength=n_clusters)
    return _visit(cand, cand_lab, typ, sizes, covered, k, min_cluster_size)


def _typicality(best, size, n_neighbors):
    """``1 / mean`` of the nearest distances, self excluded, per candidate."""
    kk = np.minimum(np.minimum(n_neighbors, size // 2), size - 1)
    cols = np.arange(1, best.shape[1])[None, :]
    near = np.where(cols <= kk[:, None], np.sqrt(best[:, 1:]), 0.0)
    mean = near.sum(axis=1) / np.maximum(kk, 1)
    return np.where(kk < 1, 1.0, 1.0 / np.maximum(mean, 1e-12))


def _visit(cand, cand_lab, typ, sizes, covered, k, min_size):
    """Visit clusters as the in-memory TypiClust does; the most typical free row."""
    n_clusters = sizes.shape[0]
    order = np.lexsort((np.arange(n_clusters), -sizes, covered, sizes <= min_size))
    available = np.ones(cand.shape[0], dtype=bool)
    picks, scores = [], []
    while len(picks) < k:
        for c in order:
            if len(picks) == k:
                break
            mine = np.flatnonzero((cand_lab == c) & available)
            if not mine.shape[0]:
                continue
            j = mine[int(np.argmax(typ[mine]))]
            picks.append(cand[j])
            scores.append(typ[j])
            available[j] = False
    return np.asarray(picks, dtype=np.intp), np.asarray(scores)
