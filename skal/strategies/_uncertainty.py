"""Uncertainty sampling: least confidence, margin, entropy and ratio.

The measures are pure functions from class probabilities of shape
``(n_samples, n_classes)`` to scores of shape ``(n_samples,)``; higher
means more uncertain. :class:`UncertaintySampling` queries the samples with
the highest score.
"""

import numpy as np
from sklearn.utils._param_validation import StrOptions

from ._base import _MAX_CANDIDATES
from ._row_scores import RowScoreStrategy

_TINY = np.finfo(np.float64).tiny


def _check_proba(proba):
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2:
        raise ValueError(
            "Expected class probabilities of shape (n_samples, n_classes), got "
            f"an array of shape {proba.shape}."
        )
    return proba


def _column_max(proba):
    # A running maximum over the columns: for a handful of classes this beats
    # a reduction along the short last axis several times over.
    best = proba[:, 0].copy()
    for j in range(1, proba.shape[1]):
        np.maximum(best, proba[:, j], out=best)
    return best


def _top_two(proba):
    if proba.shape[1] == 1:
        return proba[:, 0], np.zeros(proba.shape[0])
    if proba.shape[1] > 32:
        part = np.partition(proba, proba.shape[1] - 2, axis=1)
        return part[:, -1], part[:, -2]
    first = proba[:, 0].copy()
    second = np.full(proba.shape[0], -np.inf)
    low = np.empty_like(first)
    for j in range(1, proba.shape[1]):
        column = proba[:, j]
        np.minimum(first, column, out=low)
        np.maximum(second, low, out=second)
        np.maximum(first, column, out=first)
    return first, second


def least_confidence(proba):
    """Compute the least-confidence score ``1 - max_k p_k``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        ``1 - p(1)`` where ``p(1)`` is the largest probability; higher is
        more uncertain.

    Examples
    --------
    >>> from skal.strategies import least_confidence
    >>> least_confidence([[0.3, 0.4, 0.3]]).round(4).tolist()
    [0.6]
    """
    proba = _check_proba(proba)
    if proba.shape[1] > 32:
        return 1.0 - proba.max(axis=1)
    return 1.0 - _column_max(proba)


def margin(proba):
    """Compute the margin score ``1 - (p(1) - p(2))``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        One minus the gap between the two largest probabilities; higher is
        more uncertain (a small margin).

    Examples
    --------
    >>> from skal.strategies import margin
    >>> margin([[0.5, 0.49, 0.01], [0.9, 0.05, 0.05]]).round(2).tolist()
    [0.99, 0.15]
    """
    first, second = _top_two(_check_proba(proba))
    return 1.0 - (first - second)


def ratio(proba):
    """Compute the ratio of confidence ``p(2) / p(1)``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Second-largest over largest probability, in ``[0, 1]``; higher is
        more uncertain.

    Examples
    --------
    >>> from skal.strategies import ratio
    >>> ratio([[0.5, 0.25, 0.25]]).tolist()
    [0.5]
    """
    first, second = _top_two(_check_proba(proba))
    return second / np.maximum(first, _TINY)


def entropy(proba):
    """Compute the Shannon entropy ``-sum_k p_k log p_k`` in nats.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes) or (..., n_classes)
        Class probabilities along the last axis.

    Returns
    -------
    scores : ndarray of shape (n_samples,) or (...)
        Entropy of each distribution; ``0 * log 0`` counts as 0.

    Examples
    --------
    >>> from skal.strategies import entropy
    >>> entropy([[0.3, 0.4, 0.3]]).round(4).tolist()
    [1.0889]
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim < 2:
        raise ValueError(
            "Expected class probabilities with classes on the last axis, got "
            f"an array of shape {proba.shape}."
        )
    logp = np.maximum(proba, _TINY)
    np.log(logp, out=logp)
    if proba.ndim == 2:
        return -np.einsum("ij,ij->i", proba, logp)
    return -(proba * logp).sum(axis=-1)


def expected_cost(proba, cost_matrix, *, measure="least_confidence"):
    """Score samples by their expected misclassification cost.

    With ``C[i, j]`` the cost of predicting class ``j`` when the truth is
    ``i``, the expected cost of predicting ``j`` is ``c_j = sum_i p_i C[i, j]``
    (``proba @ C``). ``"least_confidence"`` scores the cost of the best
    decision, ``min_j c_j``; ``"margin"`` scores ``-(c(2) - c(1))``, minus
    the gap between the two cheapest decisions (Chen et al. 2013, as in
    scikit-activeml). With ``C = 1 - I`` they are least confidence and
    margin minus one.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.
    cost_matrix : array-like of shape (n_classes, n_classes)
        Non-negative costs, zero on the diagonal.
    measure : {"least_confidence", "margin"}, default="least_confidence"
        Which of the two scores.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Higher is more uncertain (a costlier or closer decision).

    Examples
    --------
    >>> from skal.strategies import expected_cost
    >>> C = [[0, 1], [10, 0]]   # missing class 1 costs ten times more
    >>> expected_cost([[0.8, 0.2], [0.95, 0.05]], C).round(2).tolist()
    [0.8, 0.5]
    """
    proba = _check_proba(proba)
    C = _check_cost_matrix(cost_matrix, proba.shape[1])
    costs = proba @ C
    if measure == "least_confidence":
        return costs.min(axis=1)
    if measure == "margin":
        low, second = _top_two(-costs)
        return second - low
    raise ValueError(
        "A cost matrix works with measure='least_confidence' or 'margin', got "
        f"{measure!r}."
    )


def _check_cost_matrix(cost_matrix, n_classes):
    C = np.asarray(cost_matrix, dtype=float)
    if C.shape != (n_classes, n_classes):
        raise ValueError(
            f"cost_matrix must have shape ({n_classes}, {n_classes}), one row and "
            f"column per class; got {C.shape}."
        )
    if not np.all(np.isfinite(C)) or (C < 0).any() or np.diag(C).any():
        raise ValueError(
            "cost_matrix must hold finite non-negative costs with zeros on the "
            "diagonal (a correct prediction costs nothing)."
        )
    return C


MEASURES = {
    "entropy": entropy,
    "least_confidence": least_confidence,
    "margin": margin,
    "ratio": ratio,
}


def _decision_margin(decision):
    """Margin score on decision values: small gap between the top two = uncertain."""
    decision = np.asarray(decision, dtype=float)
    if decision.ndim == 1:
        return -np.abs(decision)
    first, second = _top_two(decision)
    return -(first - second)


class UncertaintySampling(RowScoreStrategy):
    """Query the samples the model is least sure about.

    Scores every pool sample with an uncertainty ``measure`` of its class
    probabilities and returns the highest, ties broken at random (Lewis &
    Gale 1994; Settles 2009, section 3.1).

    Parameters
    ----------
    measure : {"entropy", "margin", "least_confidence", "ratio"} or callable, \
            default="entropy"
        How uncertainty is computed from ``predict_proba``. A callable maps
        probabilities of shape (n_samples, n_classes) to scores of shape
        (n_samples,), higher meaning more uncertain. With ``"margin"`` a
        model that has only ``decision_function`` (e.g. ``LinearSVC``) is
        scored by the gap between its two largest decision values.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``C[i, j]``, the cost of predicting class ``j`` for a sample of class
        ``i``. When given, ``"least_confidence"`` and ``"margin"`` score the
        expected costs ``proba @ C`` (see :func:`expected_cost`); the other
        measures refuse it.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples (for huge pools):
        this many (int) or this share of them (a float in (0, 1), rounded
        up), never fewer than the batch; ``None`` scores the whole pool.

    See Also
    --------
    skal.strategies.entropy : Shannon entropy of the probabilities.
    skal.strategies.margin : Gap between the two most probable classes.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import UncertaintySampling
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = y.copy(); y_partial[10:140] = -1
    >>> learner = ActiveLearner(LogisticRegression(max_iter=500),
    ...                         query_strategy=UncertaintySampling("margin"),
    ...                         batch_size=3, random_state=0).fit(X, y_partial)
    >>> learner.query().shape
    (3,)
    """

    def __init__(self, measure="entropy", *, cost_matrix=None, max_candidates=None):
        self.measure = measure
        self.cost_matrix = cost_matrix
        self.max_candidates = max_candidates

    task = "classification"
    _parameter_constraints = {
        # a live view of MEASURES: a measure added there is a valid name
        "measure": [StrOptions(MEASURES.keys()), callable],
        "cost_matrix": ["array-like", None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def _score(self, context):
        if self.cost_matrix is not None:
            return self._cost_score(context)
        measure = self.measure if callable(self.measure) else MEASURES[self.measure]
        if context.has("proba"):
            return context.map("proba", measure)
        if self.measure == "margin" and context.has("decision"):
            return context.map("decision", _decision_margin)
        context.require(
            "proba",
            fix=(
                "Wrap the estimator in CalibratedClassifierCV(...) to get "
                "probabilities, or use UncertaintySampling(measure='margin'), "
                "which works on decision_function."
            ),
        )

    def _cost_score(self, context):
        if self.measure not in ("least_confidence", "margin"):
            raise ValueError(
                "cost_matrix works with measure='least_confidence' or 'margin', "
                f"got measure={self.measure!r}."
            )
        C = _check_cost_matrix(self.cost_matrix, len(context.classes))
        return context.map(
            "proba", lambda proba: expected_cost(proba, C, measure=self.measure)
        )
