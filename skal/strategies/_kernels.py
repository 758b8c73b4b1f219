"""Distance kernels: chunked float32 distances and greedy k-center.

All distances are squared Euclidean, computed chunk by chunk in float32 with
the ``||a||^2 + ||b||^2 - 2 a.b`` identity as one matrix product per chunk
(the squared norm of the centres rides along as an extra column). No kernel
holds an ``(n, n)`` matrix: state is O(n), work memory one chunk.
"""

import numpy as np

#: Rows per chunk of the distance products (blocks are cut to at most 1M
#: float32 entries, 4 MB, by splitting the centres too).
CHUNK_ROWS = 2048


def augment(Z, center=None):
    """Return ``[Z - center, 1]`` in float32, the left side of the distance product.

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_dims)
        Points.
    center : array-like of shape (n_dims,), default=None
        Subtracted first, which keeps the float32 identity accurate; ``None``
        uses the mean of ``Z``.

    Returns
    -------
    Za : ndarray of float32 of shape (n_samples, n_dims + 1)
        Centred points with a column of ones appended.
    sq_norms : ndarray of float32 of shape (n_samples,)
        Squared norms of the centred points.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._kernels import augment
    >>> Za, sq = augment(np.array([[0.0, 0.0], [2.0, 0.0]]))
    >>> Za.tolist(), sq.tolist()
    ([[-1.0, 0.0, 1.0], [1.0, 0.0, 1.0]], [1.0, 1.0])
    """
    Z = np.asarray(Z)
    if center is None:
        center = Z.mean(axis=0)
    Za = np.empty((Z.shape[0], Z.shape[1] + 1), dtype=np.float32)
    np.subtract(Z, center, out=Za[:, :-1], casting="unsafe")
    Za[:, -1] = 1.0
    sq = np.einsum("ij,ij->i", Za[:, :-1], Za[:, :-1])
    return Za, sq


def _centres_side(Ca, c_sq):
    """Return ``[-2 c, ||c||^2]`` transposed: ``Za @ it + ||z||^2`` is a distance."""
    right = Ca * np.float32(-2.0)
    right[:, -1] = c_sq
    return np.ascontiguousarray(right.T)


def min_sq_distances(Za, z_sq, Ca, c_sq, *, chunk_rows=CHUNK_ROWS):
    """Return each point's squared distance to its nearest centre.

    Parameters
    ----------
    Za, z_sq : ndarray
        Points and their squared norms, from :func:`augment`.
    Ca, c_sq : ndarray
        Centres and their squared norms, from :func:`augment` with the same
        ``center``.
    chunk_rows : int, default=2048
        Rows of points per matrix product.

    Returns
    -------
    d2 : ndarray of float32 of shape (n_points,)
        ``min_j ||z_i - c_j||^2``, clipped at 0.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._kernels import augment, min_sq_distances
    >>> Za, z_sq = augment(np.array([[0.0], [3.0], [10.0]]), center=[0.0])
    >>> Ca, c_sq = augment(np.array([[1.0], [9.0]]), center=[0.0])
    >>> min_sq_distances(Za, z_sq, Ca, c_sq).tolist()
    [1.0, 4.0, 1.0]
    """
    n = Za.shape[0]
    out = np.empty(n, dtype=np.float32)
    if Ca.shape[0] == 0:
        out.fill(np.inf)
        return out
    # Cap the block at about 1M floats by cutting the centres too.
    col_step = max(1, (1 << 20) // max(chunk_rows, 1))
    rights = [
        _centres_side(Ca[j : j + col_step], c_sq[j : j + col_step])
        for j in range(0, Ca.shape[0], col_step)
    ]
    buf = np.empty((chunk_rows, min(col_step, Ca.shape[0])), dtype=np.float32)
    for start in range(0, n, chunk_rows):
        stop = min(start + chunk_rows, n)
        rows = Za[start:stop]
        best = None
        for right in rights:
            block = np.matmul(rows, right, out=buf[: stop - start, : right.shape[1]])
            part = block.min(axis=1)
            best = part if best is None else np.minimum(best, part, out=best)
        out[start:stop] = best
    out += z_sq
    np.maximum(out, 0.0, out=out)
    return out


def mean_rbf_similarity(Za, z_sq, gamma, *, chunk_rows=CHUNK_ROWS):
    """Return each point's mean RBF similarity ``exp(-gamma ||z_i - z_j||^2)`` to all.

    Costs O(n^2 d) time but only a block of memory: rows and columns are
    both chunked.

    Parameters
    ----------
    Za, z_sq : ndarray
        Points from :func:`augment`.
    gamma : float
        Kernel width.
    chunk_rows : int, default=2048
        Rows per block.

    Returns
    -------
    density : ndarray of float of shape (n_points,)
        Mean similarity, self included, in ``(0, 1]``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._kernels import augment, mean_rbf_similarity
    >>> Za, z_sq = augment(np.array([[0.0], [0.0], [10.0]]))
    >>> mean_rbf_similarity(Za, z_sq, 1.0).round(3).tolist()
    [0.667, 0.667, 0.333]
    """
    n = Za.shape[0]
    total = np.zeros(n, dtype=np.float64)
    for start in range(0, n, chunk_rows):
        stop = min(start + chunk_rows, n)
        right = _centres_side(Za[start:stop], z_sq[start:stop])
        for row in range(0, n, chunk_rows):
            end = min(row + chunk_rows, n)
            block = Za[row:end] @ right
            block += z_sq[row:end, None]
            np.maximum(block, 0.0, out=block)
            block *= np.float32(-gamma)
            np.exp(block, out=block)
            total[row:end] += block.sum(axis=1, dtype=np.float64)
    return total / n


def _sq_dist_to(Za, z_sq, idx_rows, c_row, c_sq):
    """Squared distances of ``Za[idx_rows]`` to one augmented centre row."""
    right = c_row * np.float32(-2.0)
    right[-1] = c_sq
    d2 = Za[idx_rows] @ right
    d2 += z_sq[idx_rows]
    return np.maximum(d2, 0.0, out=d2)


def greedy_k_center(
    Za, z_sq, k, d2=None, *, n_candidates=None, start=None, stop_below=None
):
    """Choose ``k`` points by farthest-first traversal (greedy k-center).

    Each step takes the point farthest from everything chosen so far (and
    from the centres already folded into ``d2``). The result equals the
    plain greedy, which updates all ``n`` distances after every pick, but the
    work is mostly matrix products: distances are kept for a short list of
    the farthest candidates, and the whole pool is refreshed (one product
    with all pending centres) only when the best candidate falls below the
    farthest point outside the list.

    Parameters
    ----------
    Za, z_sq : ndarray
        Points from :func:`augment`.
    k : int
        Number of points to choose.
    d2 : ndarray of shape (n_points,), default=None
        Squared distance of each point to the existing centres (the labeled
        set). ``None`` means none: the first pick is ``start``.
    n_candidates : int, default=None
        Length of the candidate list; ``None`` uses ``max(8 k, 2048)``.
    start : int, default=None
        First pick when ``d2`` is None; ``None`` takes the point closest to
        the mean.
    stop_below : float, default=None
        Stop early, with fewer than ``k`` picks, when the farthest point's
        squared distance falls below this.

    Returns
    -------
    indices : ndarray of int of shape (k,)
        Chosen points in pick order.
    dists : ndarray of float of shape (k,)
        Distance of each pick to its nearest centre when it was picked.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._kernels import augment, greedy_k_center
    >>> Za, z_sq = augment(np.array([[0.0], [1.0], [5.0], [9.0]]))
    >>> greedy_k_center(Za, z_sq, 3, start=0)[0].tolist()
    [0, 3, 2]
    """
    n = Za.shape[0]
    k = int(min(k, n))
    picks, dists = [], []
    if d2 is None:
        first = int(np.argmin(z_sq)) if start is None else int(start)
        picks.append(first)
        dists.append(np.inf)
        d2 = _sq_dist_to(Za, z_sq, slice(None), Za[first], z_sq[first])
    else:
        d2 = np.array(d2, dtype=np.float32)
    d2[picks] = -np.inf
    n_candidates = max(8 * k, 2048) if n_candidates is None else n_candidates
    pending = []
    cand = None
    while len(picks) < k:
        if cand is None:
            if pending:
                Ca = Za[pending]
                np.minimum(d2, min_sq_distances(Za, z_sq, Ca, z_sq[pending]), out=d2)
                d2[picks] = -np.inf
                pending = []
            if n_candidates >= n:
                cand, bound = np.arange(n), -np.inf
            else:
                part = np.argpartition(d2, n - n_candidates - 1)
                cand = np.sort(part[n - n_candidates :])
                bound = d2[part[n - n_candidates - 1]]
            e = d2[cand]
        j = int(np.argmax(e))
        if e[j] < bound:  # a point outside the list may be farther: refresh
            cand = None
            continue
        if stop_below is not None and e[j] < stop_below:
            break
        idx = int(cand[j])
        picks.append(idx)
        dists.append(float(np.sqrt(max(e[j], 0.0))))
        pending.append(idx)
        np.minimum(e, _sq_dist_to(Za, z_sq, cand, Za[idx], z_sq[idx]), out=e)
        e[j] = -np.inf
    return np.asarray(picks, dtype=np.intp), np.asarray(dists)
