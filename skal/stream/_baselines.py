"""Baseline stream strategies: random, periodic, and plain uncertainty."""

import numpy as np
from sklearn.utils._param_validation import StrOptions

from ..strategies import entropy, least_confidence, margin
from ._base import BaseStreamStrategy

__all__ = ["PeriodicSampling", "StreamRandomSampling", "StreamUncertainty"]


class StreamRandomSampling(BaseStreamStrategy):
    """Random sampling: label each sample with probability ``budget``.

    Each sample draws a utility ``u ~ U(0, 1)`` and is labeled when
    ``u >= 1 - budget``. By default no budget manager gates it (it spends
    the budget on average); pass ``budget_manager="fixed"`` to cap it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.stream import StreamActiveLearner, StreamRandomSampling
    >>> X = np.random.RandomState(0).normal(size=(2000, 2))
    >>> learner = StreamActiveLearner(
    ...     GaussianNB(), StreamRandomSampling(), budget=0.1, random_state=0
    ... ).fit(X[:2], [0, 1])
    >>> float(learner.query(X).mean().round(2))
    0.11
    """

    default_budget_manager = "none"
    requires_model = False

    def utilities(self, X, proba):
        return np.zeros(len(X))

    def observe(self, state, x, utility, rng):
        return float(rng.random_sample()), True

    def propose(self, state, utility, rng):
        return bool(utility >= 1.0 - state["budget"])


class PeriodicSampling(StreamRandomSampling):
    """Periodic sampling: label every ``1 / budget``-th sample.

    The ``t``-th sample is labeled when ``t * budget - q >= 1``, where ``q``
    labels were bought before; its utility is 1 then, else 0.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.stream import PeriodicSampling, StreamActiveLearner
    >>> X = np.zeros((8, 1))
    >>> learner = StreamActiveLearner(
    ...     GaussianNB(), PeriodicSampling(), budget=0.25, classes=[0, 1]
    ... ).fit(X[:0], [])
    >>> learner.query(X).astype(int).tolist()
    [0, 0, 0, 1, 0, 0, 0, 1]
    """

    def _init_state(self, budget, n_classes):
        return {"t": 0, "q": 0}

    def observe(self, state, x, utility, rng):
        state["t"] += 1
        return float(state["t"] * state["budget"] - state["q"] >= 1), True

    def propose(self, state, utility, rng):
        return utility >= 1.0

    def commit(self, state, utility, queried):
        state["q"] += bool(queried)


_MEASURES = {"least_confidence": least_confidence, "margin": margin, "entropy": entropy}


class StreamUncertainty(BaseStreamStrategy):
    """Uncertainty utilities, thresholded by the budget manager.

    The strategy only scores (least confidence, margin or entropy, from
    :mod:`skal.strategies`); the decision is the budget manager's, by
    default :class:`~skal.stream.BalancedIncrementalQuantileFilter`, which
    labels the samples whose utility is in the top ``budget`` quantile of
    the recent ones.

    Parameters
    ----------
    measure : {"least_confidence", "margin", "entropy"}, default="margin"
        The uncertainty measure.

    Examples
    --------
    >>> from skal.stream import StreamUncertainty
    >>> StreamUncertainty().utilities([[0]], lambda X: [[0.7, 0.3]]).round(2).tolist()
    [0.6]
    """

    _parameter_constraints: dict = {"measure": [StrOptions(set(_MEASURES))]}
    default_budget_manager = "balanced"

    def __init__(self, measure="margin"):
        self.measure = measure

    def utilities(self, X, proba):
        return _MEASURES[self.measure](proba(X))
