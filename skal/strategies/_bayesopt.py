"""Bayesian optimisation: acquisition functions of a regressor's mean and std.

The pure functions take the predictive mean and standard deviation of the
candidates and the best value labeled so far; the strategies read both from
the query context (one ``predict(X, return_std=True)`` pass) and query the
candidates of highest acquisition. They *maximise* the target: to minimise
a function, teach its negative.
"""

from numbers import Real

import numpy as np
from scipy.special import ndtr
from scipy.stats import norm
from sklearn.utils._param_validation import Interval

from ._base import _MAX_CANDIDATES
from ._row_scores import RowScoreStrategy


def _improvement(mean, std, y_max, xi):
    mean = np.asarray(mean, dtype=float).reshape(-1)
    std = np.asarray(std, dtype=float).reshape(-1)
    if mean.shape != std.shape:
        raise ValueError(
            f"mean and std must have the same length, got {mean.shape[0]} and "
            f"{std.shape[0]}."
        )
    if np.any(std < 0):
        raise ValueError("std must be non-negative.")
    gain = mean - float(y_max) - float(xi)
    safe = np.where(std > 0, std, 1.0)
    return gain, std, gain / safe


def probability_of_improvement(mean, std, y_max, xi=0.0):
    """Probability of improvement, ``Phi((mean - y_max - xi) / std)``.

    Kushner (1964): the posterior probability that a candidate beats the
    best value ``y_max`` by at least ``xi``. Where ``std`` is 0 the value is
    its limit: 1 if ``mean - y_max - xi > 0``, else 0.

    Parameters
    ----------
    mean : array-like of shape (n_samples,)
        Predictive mean.
    std : array-like of shape (n_samples,)
        Predictive standard deviation (non-negative).
    y_max : float
        The best value observed so far.
    xi : float, default=0.0
        Required margin of improvement (modAL's ``tradeoff``); larger values
        explore more.

    Returns
    -------
    pi : ndarray of shape (n_samples,)
        Probabilities in [0, 1].

    Examples
    --------
    >>> from skal.strategies import probability_of_improvement
    >>> probability_of_improvement([1.0, 0.0], [1.0, 1.0], y_max=1.0).tolist()
    [0.5, 0.15865525393145707]
    """
    gain, std, z = _improvement(mean, std, y_max, xi)
    return np.where(std > 0, ndtr(z), (gain > 0).astype(float))


def expected_improvement(mean, std, y_max, xi=0.0):
    """Expected improvement, ``g Phi(g / std) + std phi(g / std)``.

    Mockus, Tiesis & Zilinskas (1978); Jones, Schonlau & Welch (1998): the
    expected amount by which a candidate beats ``y_max + xi`` under a
    Gaussian posterior, with ``g = mean - y_max - xi``. Where ``std`` is 0
    the value is ``max(g, 0)``.

    Parameters
    ----------
    mean : array-like of shape (n_samples,)
        Predictive mean.
    std : array-like of shape (n_samples,)
        Predictive standard deviation (non-negative).
    y_max : float
        The best value observed so far.
    xi : float, default=0.0
        Margin of improvement (modAL's ``tradeoff``).

    Returns
    -------
    ei : ndarray of shape (n_samples,)
        Non-negative expected improvements.

    Examples
    --------
    >>> from skal.strategies import expected_improvement
    >>> expected_improvement([1.0, 2.0], [1.0, 0.0], y_max=1.0).round(4).tolist()
    [0.3989, 1.0]
    """
    gain, std, z = _improvement(mean, std, y_max, xi)
    ei = gain * ndtr(z) + std * norm.pdf(z)
    return np.where(std > 0, ei, np.maximum(gain, 0.0))


def upper_confidence_bound(mean, std, beta=1.0):
    """Upper confidence bound, ``mean + beta * std``.

    Srinivas, Krause, Kakade & Seeger (2010), GP-UCB, whose bound is
    ``mean + sqrt(beta_t) std``: here ``beta`` multiplies ``std`` directly,
    as in modAL, so it is their ``sqrt(beta_t)``.

    Parameters
    ----------
    mean : array-like of shape (n_samples,)
        Predictive mean.
    std : array-like of shape (n_samples,)
        Predictive standard deviation.
    beta : float, default=1.0
        Weight of the std; larger values explore more.

    Returns
    -------
    ucb : ndarray of shape (n_samples,)
        The bounds.

    Examples
    --------
    >>> from skal.strategies import upper_confidence_bound
    >>> upper_confidence_bound([1.0, 0.0], [0.5, 2.0], beta=2.0).tolist()
    [2.0, 4.0]
    """
    mean = np.asarray(mean, dtype=float).reshape(-1)
    std = np.asarray(std, dtype=float).reshape(-1)
    if mean.shape != std.shape:
        raise ValueError(
            f"mean and std must have the same length, got {mean.shape[0]} and "
            f"{std.shape[0]}."
        )
    return mean + float(beta) * std


_FIX = (
    "Use a regressor whose predict accepts return_std=True "
    "(GaussianProcessRegressor, BayesianRidge) or a skal.CommitteeRegressor."
)


class _Acquisition(RowScoreStrategy):
    """Score candidates by an acquisition function of the predictive mean and std."""

    task = "regression"
    #: the mean comes with the std (``mean_std``), or from ``predict``
    required_signals = ("predict_std",)

    def _mean_std(self, context):
        if context.is_classifier:
            raise TypeError(
                f"{self!r} is a Bayesian-optimisation acquisition for regressors, "
                "but the model is a classifier."
            )
        if context.has("mean_std"):
            return context.predict_mean_std()
        return context.signal("predict", fix=_FIX), context.signal(
            "predict_std", fix=_FIX
        )


class _Improvement(_Acquisition):
    """An improvement over the best labeled value: PI or EI, margin ``xi``."""

    _parameter_constraints = {
        "xi": [Interval(Real, None, None, closed="neither")],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, xi=0.0, *, max_candidates=None):
        self.xi = xi
        self.max_candidates = max_candidates

    def _score(self, context):
        mean, std = self._mean_std(context)
        y_max = float(np.max(np.asarray(context.y_labeled, dtype=float)))
        return self._improvement(mean, std, y_max, self.xi)


class ProbabilityOfImprovement(_Improvement):
    """Query the candidates most likely to beat the best value so far (PI).

    The score is :func:`probability_of_improvement` of the model's
    predictive mean and std, with ``y_max`` the largest labeled target
    (Kushner 1964). modAL's ``max_PI``; ties break at random.

    Parameters
    ----------
    xi : float, default=0.0
        Required margin of improvement (modAL's ``tradeoff``).
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    ExpectedImprovement, UpperConfidenceBound, skal.BayesianOptimizer

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import ProbabilityOfImprovement, QueryContext
    >>> mean_std = lambda X: np.column_stack([X[:, 0], np.ones(len(X))])
    >>> ctx = QueryContext(np.array([[0.0], [3.0], [1.0]]), y_labeled=[2.0],
    ...                    signals={"mean_std": mean_std})
    >>> ProbabilityOfImprovement().select(ctx, 1)[0].tolist()
    [1]
    """

    _improvement = staticmethod(probability_of_improvement)


class ExpectedImprovement(_Improvement):
    """Query the candidates of largest expected improvement (EI).

    The score is :func:`expected_improvement` of the model's predictive
    mean and std, with ``y_max`` the largest labeled target (Mockus et al.
    1978; Jones et al. 1998). modAL's ``max_EI``; ties break at random.

    Parameters
    ----------
    xi : float, default=0.0
        Margin of improvement (modAL's ``tradeoff``).
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    ProbabilityOfImprovement, UpperConfidenceBound, skal.BayesianOptimizer

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import ExpectedImprovement, QueryContext
    >>> mean_std = lambda X: np.column_stack([np.zeros(len(X)), X[:, 0]])
    >>> ctx = QueryContext(np.array([[0.1], [2.0], [1.0]]), y_labeled=[1.0],
    ...                    signals={"mean_std": mean_std})
    >>> ExpectedImprovement().select(ctx, 1)[0].tolist()  # the widest std
    [1]
    """

    _improvement = staticmethod(expected_improvement)


class UpperConfidenceBound(_Acquisition):
    """Query the candidates of largest upper confidence bound (UCB).

    The score is :func:`upper_confidence_bound`, ``mean + beta * std``
    (Srinivas et al. 2010, with ``beta`` their ``sqrt(beta_t)``). modAL's
    ``max_UCB``; ties break at random.

    Parameters
    ----------
    beta : float, default=1.0
        Weight of the std (non-negative); larger values explore more.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    ProbabilityOfImprovement, ExpectedImprovement, skal.BayesianOptimizer

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext, UpperConfidenceBound
    >>> mean_std = lambda X: np.column_stack([X[:, 0], X[:, 1]])
    >>> ctx = QueryContext(np.array([[1.0, 0.0], [0.0, 2.0]]), y_labeled=[0.0],
    ...                    signals={"mean_std": mean_std})
    >>> UpperConfidenceBound(beta=0.1).select(ctx, 1)[0].tolist()
    [0]
    >>> UpperConfidenceBound(beta=1.0).select(ctx, 1)[0].tolist()
    [1]
    """

    _parameter_constraints = {
        "beta": [Interval(Real, 0, None, closed="left")],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, beta=1.0, *, max_candidates=None):
        self.beta = beta
        self.max_candidates = max_candidates

    def _score(self, context):
        mean, std = self._mean_std(context)
        return upper_confidence_bound(mean, std, self.beta)
