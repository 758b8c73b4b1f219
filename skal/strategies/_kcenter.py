"""Greedy k-center on raw pools: NumPy or memmap chunk by chunk, dask block by block.

:func:`k_center_greedy` takes the pool itself, never an augmented copy of
it: rows are centred and augmented one chunk at a time, so on a NumPy or
memmap pool the extra memory is one float32 distance per row plus a chunk.
On a dask array the distance vector stays on the workers, one block per
pool block; each refresh of it is one pass over the pool, and the client
only ever holds the short list of candidates.

The picks are those of the plain farthest-first traversal, by the same
candidate-list argument as :func:`skal.strategies._kernels.greedy_k_center`.
"""

import numpy as np

from ..utils import is_dask_array, row_blocks
from ..utils._validation import dense_array
from ._kernels import CHUNK_ROWS, greedy_k_center, min_sq_distances


def _augment_rows(Z, centre):
    """``[Z - centre, 1]`` in float32 and the squared norms (one chunk)."""
    Za = np.empty((Z.shape[0], Z.shape[1] + 1), dtype=np.float32)
    np.subtract(Z, centre, out=Za[:, :-1], casting="unsafe")
    Za[:, -1] = 1.0
    return Za, np.einsum("ij,ij->i", Za[:, :-1], Za[:, :-1])


def _chunk_min_sq(Z, centre, Ca, c_sq, chunk_rows):
    """Squared distance of each raw row of ``Z`` to its nearest centre."""
    out = np.empty(Z.shape[0], dtype=np.float32)
    for start in range(0, Z.shape[0], chunk_rows):
        Za, z_sq = _augment_rows(dense_array(Z[start : start + chunk_rows]), centre)
        out[start : start + Za.shape[0]] = min_sq_distances(Za, z_sq, Ca, c_sq)
    return out


def _fold_block(d2, Z, centre, Ca, c_sq, picks, chunk_rows):
    """``min(d2, distance to the centres)``, with the local ``picks`` at -inf."""
    new = _chunk_min_sq(Z, centre, Ca, c_sq, chunk_rows)
    if d2 is not None:
        np.minimum(new, d2, out=new)
    new[picks] = -np.inf
    return new


def _block_closest(Z, centre):
    """Local position and squared norm of the row closest to ``centre``."""
    _, z_sq = _augment_rows(dense_array(Z), centre)
    j = int(np.argmin(z_sq))
    return j, float(z_sq[j])


def _count_at_least(d2, value):
    return int(np.count_nonzero(d2 >= value))


def _block_top(d2, m):
    """Local positions and values of the ``m`` largest entries of a block."""
    m = min(m, d2.shape[0])
    pos = np.argpartition(d2, d2.shape[0] - m)[d2.shape[0] - m :]
    return pos, d2[pos]


def _top(values, m, positions=None):
    """Positions (sorted) and values of the ``m`` largest ``values``; the next.

    ``positions`` names the entries of ``values`` (``None``: 0, 1, ...).
    """
    n = values.shape[0]
    if m >= n:
        keep, bound = np.arange(n), -np.inf
    else:
        part = np.argpartition(values, n - m - 1)
        keep, bound = part[n - m :], values[part[n - m - 1]]
    if positions is None:
        keep = np.sort(keep)
        return keep, values[keep], bound
    keep = keep[np.argsort(positions[keep])]
    return positions[keep], values[keep], bound


class _NumpyPool:
    """A NumPy or memmap pool (or its ``rows``), augmented chunk by chunk."""

    def __init__(self, X, rows, centre, chunk_rows):
        self.X, self.rows, self.chunk_rows = X, rows, chunk_rows
        self.n = X.shape[0] if rows is None else rows.shape[0]
        self.centre = self._mean() if centre is None else np.asarray(centre, float)

    def _chunks(self):
        for start in range(0, self.n, self.chunk_rows):
            stop = min(start + self.chunk_rows, self.n)
            if self.rows is None:
                yield start, self.X[start:stop]
            else:
                yield start, self.X[self.rows[start:stop]]

    def _mean(self):
        total = np.zeros(self.X.shape[1])
        for _, Z in self._chunks():
            total += dense_array(Z).sum(axis=0, dtype=np.float64)
        return total / max(self.n, 1)

    def closest_to_centre(self):
        found = [
            (start, *_block_closest(Z, self.centre)) for start, Z in self._chunks()
        ]
        start, j, _ = min(found, key=lambda f: f[2])
        return start + j

    def take(self, idx):
        idx = np.asarray(idx, dtype=np.intp)
        Z = self.X[idx] if self.rows is None else self.X[self.rows[idx]]
        return _augment_rows(dense_array(Z), self.centre)

    def fold(self, d2, Ca, c_sq, picks):
        new = np.empty(self.n, dtype=np.float32)
        for start, Z in self._chunks():
            new[start : start + Z.shape[0]] = _chunk_min_sq(
                Z, self.centre, Ca, c_sq, CHUNK_ROWS
            )
        if d2 is not None:
            np.minimum(new, d2, out=new)
        new[np.asarray(picks, dtype=np.intp)] = -np.inf
        return new

    def top(self, d2, m):
        return _top(d2, m)

    def count_at_least(self, d2, value):
        return _count_at_least(d2, value)


class _DaskPool:
    """A dask array pool; the distance vector is a list of blocks on the workers."""

    def __init__(self, X, centre, chunk_rows):
        import dask

        self.dask, self.chunk_rows = dask, chunk_rows
        self.blocks, self.starts = row_blocks(X)
        self.X = X.rechunk(dict.fromkeys(range(1, X.ndim), -1))
        self.n = int(self.starts[-1])
        if centre is None:
            centre = X.mean(axis=0, dtype=np.float64).compute()
        self.centre = np.asarray(centre, dtype=float)

    def closest_to_centre(self):
        task = self.dask.delayed(_block_closest)
        found = self.dask.compute(*(task(b, self.centre) for b in self.blocks))
        block = int(np.argmin([v for _, v in found]))
        return int(self.starts[block] + found[block][0])

    def take(self, idx):
        idx = np.asarray(idx, dtype=np.intp)
        order = np.argsort(idx)
        rows = np.empty((idx.shape[0], self.X.shape[1]), dtype=self.X.dtype)
        rows[order] = self.X[idx[order]].compute()
        return _augment_rows(rows, self.centre)

    def fold(self, d2, Ca, c_sq, picks):
        picks = np.asarray(picks, dtype=np.intp)
        task = self.dask.delayed(_fold_block, pure=False)
        d2 = [None] * len(self.blocks) if d2 is None else d2
        parts = []
        for b, (Z, start, stop) in enumerate(
            zip(self.blocks, self.starts[:-1], self.starts[1:])
        ):
            local = picks[(picks >= start) & (picks < stop)] - start
            parts.append(task(d2[b], Z, self.centre, Ca, c_sq, local, self.chunk_rows))
        return list(self.dask.persist(*parts))

    def count_at_least(self, d2, value):
        task = self.dask.delayed(_count_at_least)
        return int(sum(self.dask.compute(*(task(b, value) for b in d2))))

    def top(self, d2, m):
        found = self.dask.compute(
            *(self.dask.delayed(_block_top)(b, m + 1) for b in d2)
        )
        positions = np.concatenate([p + s for (p, _), s in zip(found, self.starts)])
        values = np.concatenate([v for _, v in found])
        return _top(values, m, positions)


def _one_sq_dist(Zc, zc, row, row_sq):
    right = row * np.float32(-2.0)
    right[-1] = row_sq
    d2 = Zc @ right
    d2 += zc
    return np.maximum(d2, 0.0, out=d2)


def _from_labeled(pool, La, l_sq, k, step=8):
    """Start from the labeled rows; pick outright when bounds prove it suffices.

    Distances to every ``step``-th labeled row bound the distances to all of
    them from above; the greedy on the rows of largest bound, with exact
    distances, is the global greedy while each pick is at least the largest
    bound left out. Returns ``(picks, dists), None`` then, else ``None`` and
    the exact distance vector.
    """
    size = max(16 * k, 2048)
    if step <= 1 or La.shape[0] < 4 * step or 4 * size >= pool.n:
        return None, pool.fold(None, La, l_sq, [])
    upper = pool.fold(None, La[::step], l_sq[::step], [])
    while 4 * size < pool.n:
        top, up, bound = pool.top(upper, size)
        Zt, zt = pool.take(top)
        exact = np.minimum(up, min_sq_distances(Zt, zt, La, l_sq))
        idx, dists = greedy_k_center(Zt, zt, k, exact, stop_below=bound)
        if idx.shape[0] == k:
            return (top[idx], dists), None
        reached = dists[-1] ** 2 if dists.shape[0] else bound
        size = max(2 * size, 2 * pool.count_at_least(upper, reached))
    return None, pool.fold(upper, La, l_sq, [])


def k_center_greedy(
    X,
    k,
    *,
    X_labeled=None,
    rows=None,
    centre=None,
    n_candidates=None,
    chunk_rows=CHUNK_ROWS * 16,
):
    """Farthest-first traversal (greedy k-center) on a raw pool, lean in memory.

    Each step picks the row farthest from its nearest centre (the labeled
    rows and the earlier picks). Distances to the farthest ``n_candidates``
    rows are kept on the client and updated after each pick; the distance
    vector of the whole pool is refreshed (one pass, with every pick since
    the last refresh) only when the best candidate falls below the farthest
    row outside the list, so the picks are those of the plain greedy.

    Parameters
    ----------
    X : {ndarray, memmap, sparse matrix, dask array} of shape (n_samples, n_dims)
        The pool (or an embedding of it). Never copied: NumPy rows are
        augmented (sparse rows densified) one chunk at a time, dask blocks on
        the workers.
    k : int
        Number of rows to choose; clipped to the number of candidates.
    X_labeled : array-like of shape (n_labeled, n_dims), default=None
        The labeled rows (existing centres). ``None``: cold start, the first
        pick is the row closest to the pool mean.
    rows : array-like of int, default=None
        Choose among these rows of a NumPy ``X`` only (``None``: all rows);
        the returned indices are positions in ``rows``.
    centre : array-like of shape (n_dims,), default=None
        Subtracted before the float32 products; ``None`` uses the pool mean.
    n_candidates : int, default=None
        Length of the candidate list; ``None`` uses ``max(8 k, 2048)``.
    chunk_rows : int, default=32768
        Rows augmented at a time (NumPy) or inside a block (dask).

    Returns
    -------
    indices : ndarray of int of shape (k,)
        Chosen rows in pick order.
    dists : ndarray of float of shape (k,)
        Distance of each pick to its nearest centre when it was picked
        (``inf`` for a cold-start first pick).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import k_center_greedy
    >>> X = np.array([[0.0], [1.0], [5.0], [9.0], [11.0]])
    >>> k_center_greedy(X, 2, X_labeled=np.array([[0.0]]))[0].tolist()
    [4, 2]
    """
    if is_dask_array(X):
        if rows is not None:
            X = X[np.asarray(rows, dtype=np.intp)]
        pool = _DaskPool(X, centre, chunk_rows)
    else:
        rows = None if rows is None else np.asarray(rows, dtype=np.intp)
        pool = _NumpyPool(X, rows, centre, chunk_rows)
    k = int(min(k, pool.n))
    picks, dists, d2 = [], [], None
    X_labeled = None if X_labeled is None else dense_array(X_labeled)
    if X_labeled is not None and X_labeled.shape[0]:
        La, l_sq = _augment_rows(X_labeled, pool.centre)
        done, d2 = _from_labeled(pool, La, l_sq, k)
        if done is not None:
            return np.asarray(done[0], dtype=np.intp), np.asarray(done[1])
    elif k > 0:
        picks, dists = [pool.closest_to_centre()], [np.inf]
        d2 = pool.fold(None, *pool.take(picks), picks)
    n_candidates = max(8 * k, 2048) if n_candidates is None else n_candidates
    pending, cand = [], None
    while len(picks) < k:
        if cand is None:
            if pending:
                d2 = pool.fold(d2, *pool.take(pending), picks)
                pending = []
            cand, e, bound = pool.top(d2, n_candidates)
            Zc, zc = pool.take(cand)
        j = int(np.argmax(e))
        if e[j] < bound:  # a row outside the list may be farther: refresh
            cand = None
            continue
        picks.append(int(cand[j]))
        dists.append(float(np.sqrt(max(e[j], 0.0))))
        pending.append(int(cand[j]))
        np.minimum(e, _one_sq_dist(Zc, zc, Zc[j], zc[j]), out=e)
        e[j] = -np.inf
    return np.asarray(picks, dtype=np.intp), np.asarray(dists)
