"""Selection kernels: turn per-sample scores into a batch of indices."""

import numpy as np
from sklearn.utils import check_random_state

_NAN_SCORES = (
    "scores contain NaN: the model returned NaN for some samples "
    "(check the input for NaN or the model for numerical problems; "
    "LabelSpreading and LabelPropagation with kernel='knn' return NaN "
    "probabilities for rows no label has reached: raise n_neighbors or "
    "alpha, see the user guide on semi-supervised learning)."
)


def _distinct_keys(scores):
    """Return keys ordered like ``scores`` with ties broken by position.

    numpy's introselect can slow down a hundredfold on large blocks of equal
    values (vote entropy gives mostly zeros); ``score + 1j * index`` sorts
    lexicographically, so its keys are distinct and the partition is linear.
    A strided sample decides whether ties are likely, leaving continuous
    scores on the plain, cheaper path.
    """
    sample = scores[:: max(1, scores.shape[0] // 512)]
    if np.unique(sample).shape[0] == sample.shape[0]:
        return scores
    return scores + 1j * np.arange(scores.shape[0])


def select_top_k(scores, k, random_state=None):
    """Return the indices of the ``k`` highest scores, best first.

    Runs in O(n + k log k): a partition finds the ``k`` largest scores,
    never a full sort of the pool. Ties are broken at random, reproducibly
    under ``random_state``.

    Parameters
    ----------
    scores : array-like of shape (n_samples,)
        Utility of each sample; higher is more valuable.
    k : int
        Number of indices to return; clipped to ``n_samples``.
    random_state : int, RandomState instance or None, default=None
        Seeds the tie-breaking.

    Returns
    -------
    indices : ndarray of int of shape (min(k, n_samples),)
        Positions of the selected samples, in decreasing order of score.

    Raises
    ------
    ValueError
        If ``scores`` is not one-dimensional or contains NaN.

    Examples
    --------
    >>> from skal.strategies import select_top_k
    >>> select_top_k([0.1, 0.9, 0.5, 0.7], 2).tolist()
    [1, 3]
    """
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 1:
        raise ValueError(f"scores must be 1-D, got shape {scores.shape}.")
    if np.isnan(scores).any():
        raise ValueError(_NAN_SCORES)
    rng = check_random_state(random_state)
    n = scores.shape[0]
    k = int(min(k, n))
    if k <= 0:
        return np.empty(0, dtype=np.intp)
    if k == n:
        candidates = np.arange(n)
    else:
        threshold = scores[np.argpartition(_distinct_keys(scores), n - k)[n - k]]
        above = np.flatnonzero(scores > threshold)
        ties = np.flatnonzero(scores == threshold)
        need = k - above.shape[0]
        if ties.shape[0] > need:
            ties = rng.choice(ties, need, replace=False)
        candidates = np.concatenate([above, ties])
    # Shuffle first so the stable sort leaves equal scores in random order.
    candidates = candidates[rng.permutation(candidates.shape[0])]
    order = np.argsort(-scores[candidates], kind="stable")
    return candidates[order].astype(np.intp, copy=False)


def _block_top(s, k):
    """The ``k`` largest values of a block (with repeats) and whether it has NaN."""
    s = np.asarray(s, dtype=float)
    if np.isnan(s).any():
        return None
    k = min(k, s.shape[0])
    if k == 0:
        return s[:0]
    return s[np.argpartition(_distinct_keys(s), s.shape[0] - k)[s.shape[0] - k :]]


def _block_split(s, threshold):
    """Positions and scores above ``threshold``, and the count equal to it."""
    s = np.asarray(s, dtype=float)
    above = np.flatnonzero(s > threshold)
    return above, s[above], int(np.count_nonzero(s == threshold))


def _block_ties(s, threshold, ranks):
    """Positions of the ``ranks``-th values equal to ``threshold`` in a block."""
    return np.flatnonzero(np.asarray(s) == threshold)[ranks]


def select_top_k_blocks(scores, k, random_state=None):
    """Top-k of a dask array of scores, reduced block by block; as :func:`select_top_k`.

    The result is identical to ``select_top_k(scores.compute(), k,
    random_state)``, ties included, but only O(k) values per block travel:

    1. each block sends its ``k`` largest values; the ``k``-th largest of
       those is the global threshold ``t``;
    2. each block sends the positions of its values above ``t`` and how
       many equal ``t``;
    3. the random choice among the values equal to ``t`` is drawn, as
       :func:`select_top_k` draws it, over their ranks in row order; each
       block turns the ranks that fall in it into positions;
    4. the final shuffle and stable sort run on the ``k`` winners.

    The scores are persisted first, so each block is scored once.

    Parameters
    ----------
    scores : dask.array.Array of shape (n_samples,)
        Utility of each sample, e.g. from :func:`skal.utils.score_blocks`.
    k : int
        Number of indices to return; clipped to ``n_samples``.
    random_state : int, RandomState instance or None, default=None
        Seeds the tie-breaking, as in :func:`select_top_k`.

    Returns
    -------
    indices : ndarray of int of shape (min(k, n_samples),)
        Positions of the selected samples, in decreasing order of score.
    top_scores : ndarray of float of shape (min(k, n_samples),)
        Their scores.

    Raises
    ------
    ValueError
        If ``scores`` is not one-dimensional or contains NaN.

    Examples
    --------
    >>> import dask.array as da
    >>> from skal.strategies import select_top_k_blocks
    >>> s = da.from_array([0.1, 0.9, 0.5, 0.7], chunks=2)
    >>> select_top_k_blocks(s, 2)[0].tolist()
    [1, 3]
    """
    import dask

    from ..utils import row_blocks

    if scores.ndim != 1:
        raise ValueError(f"scores must be 1-D, got shape {scores.shape}.")
    rng = check_random_state(random_state)
    scores = scores.persist()
    blocks, starts = row_blocks(scores)
    n = int(starts[-1])
    k = int(min(k, n))
    tops = dask.compute(*(dask.delayed(_block_top)(b, k) for b in blocks))
    if any(top is None for top in tops):
        raise ValueError(_NAN_SCORES)
    if k <= 0:
        return np.empty(0, dtype=np.intp), np.empty(0)
    if k == n:
        return _rank(np.arange(n), np.asarray(scores.compute(), dtype=float), rng)
    pooled = np.concatenate(tops)
    threshold = np.partition(pooled, pooled.shape[0] - k)[pooled.shape[0] - k]
    splits = dask.compute(*(dask.delayed(_block_split)(b, threshold) for b in blocks))
    above = np.concatenate([a + s for (a, _, _), s in zip(splits, starts)])
    values = np.concatenate([v for _, v, _ in splits])
    counts = np.array([c for _, _, c in splits], dtype=np.intp)
    need = k - above.shape[0]
    ranks = np.arange(need)
    if counts.sum() > need:
        ranks = rng.choice(int(counts.sum()), need, replace=False)
    ties = np.empty(need, dtype=np.intp)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    owner = np.searchsorted(bounds, ranks, side="right") - 1
    wanted = [np.flatnonzero(owner == b) for b in range(len(blocks))]
    found = dask.compute(
        *(
            dask.delayed(_block_ties)(blocks[b], threshold, ranks[w] - bounds[b])
            for b, w in enumerate(wanted)
            if w.shape[0]
        )
    )
    for w, pos in zip((w for w in wanted if w.shape[0]), found):
        ties[w] = pos + starts[owner[w[0]]]
    candidates = np.concatenate([above, ties])
    return _rank(candidates, np.concatenate([values, np.full(need, threshold)]), rng)


def _rank(candidates, values, rng):
    """Order ``candidates`` by decreasing ``values``, ties in random order."""
    perm = rng.permutation(candidates.shape[0])
    order = np.argsort(-values[perm], kind="stable")
    return candidates[perm][order].astype(np.intp, copy=False), values[perm][order]
