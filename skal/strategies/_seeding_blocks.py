"""Seeding kernels on dask arrays: k-means++ over factored gradients, k-means centres.

The pool stays in its blocks (on the workers under ``dask.distributed``); the
client holds O(k) values per block. See :mod:`skal.strategies._seeding` for
the in-memory kernels these reproduce.
"""

import numpy as np
from sklearn.cluster import KMeans

from ._kernels import _centres_side, augment


def _fold_factored_block(d2, U, H, u, h, g, taken):
    """Lower a block's ``D^2`` to the distance to one centre ``u (x) h``; sum it."""
    U, H = np.asarray(U), np.asarray(H)
    g_sq = np.einsum("ij,ij->i", U, U) * np.einsum("ij,ij->i", H, H)
    new = g_sq + g - 2.0 * ((U @ u) * (H @ h))
    np.maximum(new, 0.0, out=new)
    if d2 is not None:
        np.minimum(new, d2, out=new)
    new[taken] = 0.0
    return new


def _block_argmax_norm(U, H):
    g_sq = np.einsum("ij,ij->i", U, U) * np.einsum("ij,ij->i", H, H)
    j = int(np.argmax(g_sq))
    return j, float(g_sq[j])


def _block_draw(d2, r):
    """First position whose cumulative ``D^2`` exceeds ``r``, and its ``D^2``."""
    cum = np.cumsum(d2, dtype=np.float64)
    j = int(min(np.searchsorted(cum, r, side="right"), d2.shape[0] - 1))
    return j, float(d2[j])


def kmeans_plusplus_factored_blocks(U, H, k, random_state):
    """Factored k-means++ seeding on dask arrays, ``D^2`` kept on the workers.

    The dask counterpart of
    :func:`~skal.strategies._seeding.kmeans_plusplus_factored`. Every block
    holds its part of ``D^2``; each pick is one pass that folds
    the new seed into every block and sums it, then the draw: the block is
    found from the block sums, the row inside it by the block's own
    cumulative sum. The draws are those of ``kmeans_plusplus_factored(...,
    max_pending=1)`` (the inverse-CDF draw on up-to-date ``D^2``) with the
    same ``random_state``; only the rounding of the cumulative sum differs
    (summed per block, then across blocks), which can move a draw to a
    neighbour only when ``r`` falls within float64 rounding of a boundary.

    Parameters
    ----------
    U : dask.array.Array of shape (n_samples, K)
        Left factor.
    H : dask.array.Array of shape (n_samples, d)
        Right factor, with the same row chunks as ``U``.
    k : int
        Number of seeds.
    random_state : numpy.random.RandomState
        Source of the draws.

    Returns
    -------
    indices : ndarray of int of shape (k,)
        Seeds in pick order.
    d2 : ndarray of float of shape (k,)
        Squared distance of each seed to the earlier ones when it was drawn
        (its squared norm for the first).

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from skal.strategies._seeding_blocks import kmeans_plusplus_factored_blocks
    >>> U = da.from_array(np.array([[1.0], [1.0], [2.0]]), chunks=2)
    >>> H = da.from_array(np.array([[1.0], [1.1], [5.0]]), chunks=2)
    >>> kmeans_plusplus_factored_blocks(U, H, 2, np.random.RandomState(0))[0].tolist()
    [2, 1]
    """
    import dask

    from ..utils import row_blocks

    if U.chunks[0] != H.chunks[0]:
        H = H.rechunk({0: U.chunks[0]})
    ub, starts = row_blocks(U)
    hb, _ = row_blocks(H)
    n = int(starts[-1])
    k = int(min(k, n))
    if k <= 0:
        return np.empty(0, dtype=np.intp), np.empty(0)
    found = dask.compute(*map(dask.delayed(_block_argmax_norm), ub, hb))
    b = int(np.argmax([v for _, v in found]))
    picks, picked_d2 = [int(starts[b] + found[b][0])], [found[b][1]]
    fold = dask.delayed(_fold_factored_block, pure=False)
    d2 = [None] * len(ub)
    while len(picks) < k:
        idx = picks[-1]
        u, h = (np.asarray(A[idx].compute(), dtype=float) for A in (U, H))
        g = float(u @ u) * float(h @ h)
        local = np.asarray(picks, dtype=np.intp)
        d2 = dask.persist(
            *(
                fold(
                    d2[i], ub[i], hb[i], u, h, g, local[(local >= s) & (local < e)] - s
                )
                for i, (s, e) in enumerate(zip(starts[:-1], starts[1:]))
            )
        )
        sums = np.asarray(dask.compute(*(dask.delayed(np.sum)(p) for p in d2)))
        cum = np.cumsum(sums)
        if cum[-1] > 0.0:
            r = random_state.uniform() * cum[-1]
            b = int(min(np.searchsorted(cum, r, side="right"), len(d2) - 1))
            offset = r - (cum[b - 1] if b else 0.0)
            j, now = dask.delayed(_block_draw)(d2[b], offset).compute()
            idx = int(starts[b] + j)
        else:  # every row coincides with a seed: draw uniformly, as in memory
            free = np.setdiff1d(np.arange(n), picks)
            idx, now = int(random_state.choice(free)), 0.0
        picks.append(idx)
        picked_d2.append(now)
    return np.asarray(picks, dtype=np.intp), np.asarray(picked_d2)


def _block_nearest(Z, centre, right, depth):
    """Per centre: the ``depth`` nearest rows of a block; and the cluster sizes."""
    Za, z_sq = augment(np.asarray(Z), centre)
    block = Za @ right
    block += z_sq[:, None]
    depth = min(depth, block.shape[0])
    near = np.argpartition(block, depth - 1, axis=0)[:depth]  # (depth, k)
    values = np.take_along_axis(block, near, axis=0)
    sizes = np.bincount(block.argmin(axis=1), minlength=block.shape[1])
    return near, values, sizes


def kmeans_closest_blocks(Z, k, random_state, *, sample_size=100_000, n_init=1):
    """:func:`~skal.strategies._seeding.kmeans_closest` on a dask array, in two stages.

    1. k-means (scikit-learn's ``KMeans``) on a uniform sample of
       ``sample_size`` rows, fetched to the client;
    2. one exact pass over the blocks: every row is assigned to its nearest
       centre (the cluster sizes) and each centre keeps its nearest rows.

    The approximation is stage 1 only: the centres are those of the sample,
    which estimate the pool's as ``1 / sqrt(sample_size)`` per cluster;
    sizes and nearest rows are exact for those centres. With
    ``sample_size >= n_samples`` the whole pool is clustered and the picks
    are those of :func:`kmeans_closest` on the computed array, unless a row
    lies at equal distance from two centres.

    Parameters
    ----------
    Z : dask.array.Array of shape (n_samples, n_dims)
        Points.
    k : int
        Number of clusters (and of returned samples).
    random_state : numpy.random.RandomState
        Seeds the sample and k-means.
    sample_size : int, default=100_000
        Rows clustered in stage 1.
    n_init : int, default=1
        Number of k-means restarts.

    Returns
    -------
    indices : ndarray of int of shape (k,)
        A distinct sample per centre, largest clusters first.
    mass : ndarray of float of shape (k,)
        The size of each of those clusters in the whole pool.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from skal.strategies._seeding_blocks import kmeans_closest_blocks
    >>> Z = da.from_array(np.array([[0.0], [1.0], [2.0], [100.0]]), chunks=2)
    >>> idx, mass = kmeans_closest_blocks(Z, 2, np.random.RandomState(0))
    >>> sorted(idx.tolist()), sorted(mass.tolist())
    ([1, 3], [1.0, 3.0])
    """
    import dask

    from ..utils import row_blocks

    blocks, starts = row_blocks(Z)
    n = int(starts[-1])
    k = int(min(k, n))
    if sample_size >= n:
        sample = np.asarray(Z.compute())
    else:
        rows = np.sort(random_state.choice(n, sample_size, replace=False))
        sample = np.asarray(Z[rows].compute())
    km = KMeans(
        n_clusters=k,
        n_init=n_init,
        random_state=random_state.randint(np.iinfo(np.int32).max),
    ).fit(sample)
    centre = Z.mean(axis=0).compute() if sample_size < n else sample.mean(axis=0)
    Ca, c_sq = augment(km.cluster_centers_.astype(np.float32), centre)
    right = _centres_side(Ca, c_sq)
    depth = min(k, 16)
    found = dask.compute(
        *(dask.delayed(_block_nearest)(b, centre, right, depth) for b in blocks)
    )
    mass = np.sum([f[2] for f in found], axis=0).astype(float)
    near = np.concatenate([f[0] + s for f, s in zip(found, starts)])  # (*, k)
    values = np.concatenate([f[1] for f in found])
    order = np.argsort(-mass, kind="stable")
    picks, taken = [], set()
    for c in order:
        ranked = near[np.argsort(values[:, c], kind="stable"), c]
        free = [int(i) for i in ranked if int(i) not in taken]
        pick = free[0] if free else _nearest_free(Z, right[:, c], centre, taken)
        picks.append(pick)
        taken.add(pick)
    return np.asarray(picks, dtype=np.intp), mass[order]


def _nearest_free(Z, column, centre, taken):
    """Nearest row to one centre outside ``taken`` (a rare full pass)."""
    Za, z_sq = augment(np.asarray(Z.compute()), centre)
    d = Za @ column + z_sq
    d[list(taken)] = np.inf
    return int(np.argmin(d))
