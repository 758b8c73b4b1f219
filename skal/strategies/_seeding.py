"""Seeding and covering kernels: factored k-means++, weighted k-means, max-cover.

Distances use the chunked float32 products of :mod:`skal.strategies._kernels`;
no kernel holds an ``(n, n)`` matrix.
"""

import heapq

import numpy as np
from sklearn.cluster import KMeans

from ._kernels import CHUNK_ROWS, _centres_side, augment


def _fold_centres(U, H, g_sq, d2, pending, chunk_rows=8192):
    """Lower ``d2`` to the squared distances to the ``pending`` centres, in place."""
    Up, Hp, gp = U[pending].T, H[pending].T, g_sq[pending]
    for start in range(0, U.shape[0], chunk_rows):
        rows = slice(start, start + chunk_rows)
        inner = U[rows] @ Up
        inner *= H[rows] @ Hp
        inner *= -2.0
        inner += gp
        closest = inner.min(axis=1)
        closest += g_sq[rows]
        np.minimum(d2[rows], closest, out=d2[rows])
    np.maximum(d2, 0.0, out=d2)


def kmeans_plusplus_factored(U, H, k, random_state, *, max_pending=32):
    """Seed k-means++ on the outer products ``g_i = U_i (x) H_i`` without forming them.

    ``<g_i, g_j> = <U_i, U_j> <H_i, H_j>``, so a distance to a centre costs
    ``O(K + d)`` per point instead of ``O(K d)``, and memory is
    ``O(n (K + d))``. The first pick is the largest ``||g_i||`` (as in Ash et
    al.'s code); each next pick is drawn with probability proportional to
    ``D^2``, the squared distance to the nearest pick.

    The draws are exact but cheap: ``D^2`` of the whole pool is brought up
    to date only every ``max_pending`` picks (one matrix product with the
    picks since the last update). In between, a candidate is drawn from the
    stale ``D^2``, an upper bound (``r = u * sum(D^2)``; the first index
    whose cumulative ``D^2`` exceeds ``r``), and accepted with probability
    ``D^2_now / D^2_stale``: rejection sampling, which gives exactly the
    k-means++ distribution. With ``max_pending=1`` every draw is the plain
    inverse-CDF draw on up-to-date ``D^2``.

    Parameters
    ----------
    U : ndarray of shape (n_samples, K)
        Left factor, e.g. ``p - onehot(argmax p)``.
    H : ndarray of shape (n_samples, d)
        Right factor, e.g. the embedding.
    k : int
        Number of seeds.
    random_state : numpy.random.RandomState
        Source of the draws.
    max_pending : int, default=32
        Picks between two updates of the whole pool's ``D^2`` (an update
        also happens after 8 rejections in a row).

    Returns
    -------
    indices : ndarray of int of shape (k,)
        Seeds in pick order.
    d2 : ndarray of float of shape (k,)
        Squared distance of each seed to the earlier ones when it was drawn
        (its squared norm for the first).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._seeding import kmeans_plusplus_factored
    >>> U = np.array([[1.0], [1.0], [2.0]]); H = np.array([[1.0], [1.1], [5.0]])
    >>> kmeans_plusplus_factored(U, H, 2, np.random.RandomState(0))[0].tolist()
    [2, 1]
    """
    n = U.shape[0]
    k = int(min(k, n))
    g_sq = np.einsum("ij,ij->i", U, U) * np.einsum("ij,ij->i", H, H)
    first = int(np.argmax(g_sq))
    picks, picked_d2 = [first], [float(g_sq[first])]
    taken = np.zeros(n, dtype=bool)
    taken[first] = True
    d2 = np.full(n, np.inf, dtype=g_sq.dtype)
    pending, cum = [first], None

    def refresh():
        _fold_centres(U, H, g_sq, d2, pending)
        d2[taken] = 0.0
        pending.clear()
        return np.cumsum(d2, dtype=np.float64)

    while len(picks) < k:
        if cum is None or len(pending) >= max_pending:
            cum = refresh()
        idx, now, rejected = None, 0.0, 0
        while idx is None and cum[-1] > 0.0:
            r = random_state.uniform() * cum[-1]
            cand = int(min(np.searchsorted(cum, r, side="right"), n - 1))
            if not pending:  # D^2 is up to date: no rejection step
                idx, now = cand, float(d2[cand])
            elif not taken[cand]:
                to_pending = (
                    g_sq[pending]
                    + g_sq[cand]
                    - 2.0 * ((U[pending] @ U[cand]) * (H[pending] @ H[cand]))
                )
                now = max(min(float(d2[cand]), float(to_pending.min())), 0.0)
                if random_state.uniform() * d2[cand] < now:
                    idx = cand
            rejected += 1
            if idx is None and rejected % 8 == 0:
                cum = refresh()
        if idx is None:  # every point coincides with a pick: draw uniformly
            idx, now = int(random_state.choice(np.flatnonzero(~taken))), 0.0
        picks.append(idx)
        picked_d2.append(now)
        taken[idx] = True
        pending.append(idx)
    return np.asarray(picks, dtype=np.intp), np.asarray(picked_d2)


def kmeans_closest(Z, k, random_state, *, sample_weight=None, n_init=1):
    """Cluster with (weighted) k-means and return the sample closest to each centre.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_dims)
        Points.
    k : int
        Number of clusters (and of returned samples).
    random_state : numpy.random.RandomState
        Seeds k-means.
    sample_weight : ndarray of shape (n_samples,), default=None
        Weights of the points in the centre updates.
    n_init : int, default=1
        Number of k-means restarts.

    Returns
    -------
    indices : ndarray of int of shape (k,)
        A distinct sample per centre, clusters of largest total weight first.
    mass : ndarray of float of shape (k,)
        The total weight (size when unweighted) of each of those clusters.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._seeding import kmeans_closest
    >>> Z = np.array([[0.0], [1.0], [2.0], [100.0]])
    >>> idx, _ = kmeans_closest(Z, 2, np.random.RandomState(0),
    ...                         sample_weight=np.array([1.0, 1.0, 10.0, 1.0]))
    >>> sorted(idx.tolist())
    [2, 3]
    """
    n = Z.shape[0]
    k = int(min(k, n))
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
    km = KMeans(
        n_clusters=k,
        n_init=n_init,
        random_state=random_state.randint(np.iinfo(np.int32).max),
    ).fit(Z, sample_weight=w)
    mass = np.bincount(km.labels_, weights=w, minlength=k)
    order = np.argsort(-mass, kind="stable")
    centres = km.cluster_centers_[order].astype(np.float32)
    centre = Z.mean(axis=0)
    Za, z_sq = augment(Z, centre)
    Ca, c_sq = augment(centres, centre)
    right = _centres_side(Ca, c_sq)
    # Nearest sample of every centre: one chunked product, O(k) state.
    best = np.full(k, np.inf, dtype=np.float32)
    nearest = np.zeros(k, dtype=np.intp)
    cols = np.arange(k)
    for start in range(0, n, CHUNK_ROWS):
        block = Za[start : start + CHUNK_ROWS] @ right
        block += z_sq[start : start + CHUNK_ROWS, None]
        rows = block.argmin(axis=0)
        values = block[rows, cols]
        better = values < best
        best[better] = values[better]
        nearest[better] = rows[better] + start
    # A sample nearest to two centres goes to the heavier cluster; the
    # other centre takes its nearest sample still free.
    taken = np.zeros(n, dtype=bool)
    picks = np.empty(k, dtype=np.intp)
    for c in range(k):
        if taken[nearest[c]]:
            d = Za @ right[:, c] + z_sq
            d[taken] = np.inf
            nearest[c] = int(np.argmin(d))
        picks[c] = nearest[c]
        taken[picks[c]] = True
    return picks, mass[order]


def greedy_max_cover(S, k):
    """Choose ``k`` rows of ``S`` greedily to maximise ``sum_j max_i S[i, j]``.

    The coverage function is monotone submodular, so lazy evaluation
    (re-scoring only the candidate on top of a heap of stale gains) gives the
    same picks as the plain greedy, ties going to the lower row.

    Parameters
    ----------
    S : ndarray of shape (n_candidates, n_reference)
        Non-negative similarity of each candidate to each reference point.
    k : int
        Number of candidates to choose.

    Returns
    -------
    indices : ndarray of int of shape (k,)
        Chosen rows in pick order.
    gains : ndarray of float of shape (k,)
        Coverage gained by each pick.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._seeding import greedy_max_cover
    >>> S = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.1], [0.0, 0.0, 1.0]])
    >>> greedy_max_cover(S, 2)[0].tolist()
    [1, 2]
    """
    S = np.asarray(S)
    k = int(min(k, S.shape[0]))
    cover = np.zeros(S.shape[1], dtype=S.dtype)
    heap = [(-float(g), i, -1) for i, g in enumerate(S.sum(axis=1))]
    heapq.heapify(heap)
    picks, gains = [], []
    while len(picks) < k:
        neg, i, stamp = heapq.heappop(heap)
        if stamp == len(picks):
            picks.append(i)
            gains.append(-neg)
            np.maximum(cover, S[i], out=cover)
            continue
        gain = float(np.maximum(S[i] - cover, 0.0).sum())
        heapq.heappush(heap, (-gain, i, len(picks)))
    return np.asarray(picks, dtype=np.intp), np.asarray(gains)
