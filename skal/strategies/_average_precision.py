"""Expected average precision (Wang, Chang, Shi, Yang & Shen 2018).

For each class ``k`` the candidates are ranked by ``p(k | x)``; the score of
candidate ``j`` adds up, over the classes, the expected average precision of
the ranking of the *other* candidates, with each label drawn from its
probability. The expectation is a dynamic programme over ranks ``n`` and
numbers of positives ``t``; the recursion (and its boundary values) is
scikit-activeml 1.0.1's ``expected_average_precision``.

scikit-activeml runs the programme once per candidate and class, ``O(K N^3)``
Python steps for ``N`` candidates. Here every candidate's ranking is the
sorted column with one entry left out, so all of them share the forward
programme up to the left-out rank and the same linear map after it: one
forward pass and one backward (adjoint) pass per class give every score,
``O(K N^2)`` array operations and ``O(N^2)`` memory.
"""

import numpy as np
from scipy.sparse import issparse

from ._base import _MAX_CANDIDATES, ScoreStrategy
from ._uncertainty import _check_proba

#: Most candidates scored together: the adjoints take 16 N^2 bytes (400 MB).
MAX_SCORED = 5000


def _forward_step(f, g, p, n):
    """State after the ``n``-th ranked sample (positive with probability ``p``)."""
    f_new, g_new = np.zeros_like(f), np.zeros_like(g)
    g_new[1:] = p * g[:-1] + (1.0 - p) * g[1:]
    t = np.arange(1, f.shape[0])
    f_new[1:] = p * f[:-1] + (p * t / n) * g[:-1] + (1.0 - p) * f[1:]
    return f_new, g_new


def _backward_step(a, b, p, n):
    """Adjoint of :func:`_forward_step`: the score's weights on its input."""
    a_new, b_new = np.zeros_like(a), np.zeros_like(b)
    u = np.arange(a.shape[0] - 1)
    a_new[:-1] = p * a[1:]
    a_new[1:] += (1.0 - p) * a[1:]
    b_new[:-1] = p * ((u + 1) / n * a[1:] + b[1:])
    b_new[1:] += (1.0 - p) * b[1:]
    return a_new, b_new


def _class_scores(column):
    """Expected average precision without each sample, for one class."""
    n = column.shape[0]
    order = np.argsort(-column, kind="stable")
    s = column[order]
    m = n - 1  # length of each ranking (one sample left out)
    # adjoints[r]: weights of the state after r ranks on the final score,
    # when ranks r + 1, ..., m are the sorted samples s[r + 1], ..., s[m]
    a = np.zeros(n + 1)
    a[1:n] = 1.0 / np.arange(1, n)
    b = np.zeros(n + 1)
    adjoints = np.empty((n, 2, n + 1))
    adjoints[m] = a, b
    for step in range(m, 0, -1):
        a, b = _backward_step(a, b, s[step], step)
        adjoints[step - 1] = a, b
    f, g = np.zeros(n + 1), np.zeros(n + 1)
    f[0] = g[0] = 1.0
    scores = np.empty(n)
    for r in range(n):  # the sample of rank r is left out after r ranks
        scores[order[r]] = adjoints[r, 0] @ f + adjoints[r, 1] @ g
        f, g = _forward_step(f, g, s[r], r + 1)
    return scores


def _check_probabilities(proba):
    """Dense, finite rows in [0, 1] summing to 1, else a clear error."""
    if issparse(proba):
        raise TypeError(
            "expected_average_precision takes dense class probabilities: pass "
            "proba.toarray()."
        )
    proba = _check_proba(proba)
    if not np.all(np.isfinite(proba)):
        raise ValueError("proba contains NaN or infinity.")
    sums = proba.sum(axis=1)
    outside = (proba < -1e-8) | (proba > 1 + 1e-8)
    wrong = ~np.isclose(sums, 1, atol=1e-4) | outside.any(axis=1)
    if wrong.any():
        bad = int(np.flatnonzero(wrong)[0])
        raise ValueError(
            "proba must hold class probabilities, each row in [0, 1] and summing "
            f"to 1; row {bad} is {proba[bad].tolist()} (sum {sums[bad]:g}): "
            "normalise it, e.g. proba / proba.sum(axis=1, keepdims=True)."
        )
    return proba


def expected_average_precision(proba):
    """Compute the expected average precision score of each sample.

    For class ``k``, let ``q_1 >= ... >= q_m`` be the probabilities
    ``p(k | x)`` of the ``m = N - 1`` samples other than ``j``. With
    ``g_0(0) = f_0(0) = 1``, ``g_n(0) = f_n(0) = 0`` for ``n > 0`` and

    ``g_n(t) = q_n g_{n-1}(t-1) + (1 - q_n) g_{n-1}(t)``,

    ``f_n(t) = q_n f_{n-1}(t-1) + q_n (t / n) g_{n-1}(t-1)
    + (1 - q_n) f_{n-1}(t)``,

    the score of ``j`` is ``sum_k sum_{t=1}^{m} f_m(t) / t`` (Wang et al.
    2018), as scikit-activeml 1.0.1 computes it. Samples are queried by
    highest score.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities of the candidates, scored together: a sample's
        score depends on every other candidate. At most 5,000 samples
        (``16 n_samples^2`` bytes of memory).

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        The expected average precision score of each sample.

    References
    ----------
    H. Wang, X. Chang, L. Shi, Y. Yang and Y.-D. Shen. Uncertainty sampling
    for action recognition via maximizing expected average precision.
    IJCAI 2018, pages 964-970.

    Examples
    --------
    >>> from skal.strategies import expected_average_precision
    >>> proba = [[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]]
    >>> expected_average_precision(proba).round(4).tolist()
    [2.58, 3.27, 2.31]
    """
    proba = _check_probabilities(proba)
    if proba.shape[0] < 2 or proba.shape[1] < 2:
        raise ValueError(
            "expected_average_precision needs at least 2 samples and 2 classes "
            f"(it ranks the other samples per class), got proba of shape "
            f"{proba.shape}."
        )
    if proba.shape[0] > MAX_SCORED:
        gib = 16 * proba.shape[0] ** 2 / 2**30
        raise ValueError(
            f"expected_average_precision scores the {proba.shape[0]} candidates "
            f"together in O(N^2) memory ({gib:.1f} GiB); at most {MAX_SCORED} are "
            f"scored at once: pass max_candidates={MAX_SCORED} (or fewer) to "
            "ExpectedAveragePrecision, or score a subsample."
        )
    return sum(_class_scores(proba[:, k]) for k in range(proba.shape[1]))


class ExpectedAveragePrecision(ScoreStrategy):
    """Query the samples of highest expected average precision score.

    Uncertainty sampling by :func:`expected_average_precision` (Wang et al.
    2018), scikit-activeml's ``UncertaintySampling(method=
    "expected_average_precision")``. The candidates are scored together (a
    score ranks the other candidates), in ``O(n_classes N^2)`` time and
    ``O(N^2)`` memory for ``N`` candidates, at most 5,000 at once;
    ``max_candidates`` bounds ``N`` on a large pool.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates per query: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch; ``None`` scores every candidate.

    See Also
    --------
    skal.strategies.UncertaintySampling : Row-wise uncertainty measures.

    References
    ----------
    H. Wang, X. Chang, L. Shi, Y. Yang and Y.-D. Shen. Uncertainty sampling
    for action recognition via maximizing expected average precision.
    IJCAI 2018, pages 964-970.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = np.full(len(y), -1)
    >>> y_partial[::25] = y[::25]
    >>> learner = ActiveLearner(
    ...     LogisticRegression(), query_strategy="expected_average_precision",
    ...     batch_size=2, random_state=0,
    ... ).fit(X, y_partial)
    >>> learner.query().shape
    (2,)
    """

    task = "classification"
    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _score(self, context):
        context.require("proba")
        proba = context.proba()
        if proba.shape[0] < 2:
            _check_probabilities(proba)
            return np.zeros(proba.shape[0])
        return expected_average_precision(proba)
