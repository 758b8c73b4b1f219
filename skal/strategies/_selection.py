"""Selection kernels: turn per-sample scores into a batch of indices."""

import numpy as np
from sklearn.utils import check_random_state


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
        raise ValueError(
            "scores contain NaN: the model returned NaN for some samples "
            "(check the input for NaN or the model for numerical problems; "
            "LabelSpreading and LabelPropagation with kernel='knn' return NaN "
            "probabilities for rows no label has reached: raise n_neighbors or "
            "alpha, see the user guide on semi-supervised learning)."
        )
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
