"""Žliobaitė et al.'s (2014) uncertainty strategies for drifting streams.

I. Žliobaitė, A. Bifet, B. Pfahringer and G. Holmes. Active learning with
drifting streaming data. IEEE Transactions on Neural Networks and Learning
Systems, 25(1):27-39, 2014. All four label a sample whose confidence
``c = max_y P(y | x)`` is below a threshold; they differ in the threshold.
Their utility is ``1 - c``.
"""

from numbers import Real

from ..strategies import least_confidence
from ..utils._validation import _NoBool
from ._base import BaseStreamStrategy

__all__ = [
    "FixedUncertainty",
    "RandomizedVariableUncertainty",
    "Split",
    "VariableUncertainty",
]


class _Confidence(BaseStreamStrategy):
    """Utilities ``1 - max_y P(y | x)`` of the model."""

    def utilities(self, X, proba):
        return least_confidence(proba(X))


class FixedUncertainty(_Confidence):
    """Fixed uncertainty: label when ``c < theta`` for a fixed ``theta``.

    With ``K`` classes and budget ``B`` the threshold is
    ``theta = 1 / K + B (1 - 1 / K)`` (scikit-activeml's choice, which grows
    from the uniform confidence ``1 / K`` with the budget).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.stream import FixedUncertainty, StreamActiveLearner
    >>> X = np.array([[0.0], [1.0], [0.4], [0.6]])
    >>> learner = StreamActiveLearner(GaussianNB(), FixedUncertainty(), budget=0.2)
    >>> learner = learner.fit(X, [0, 1, 0, 1])
    >>> learner.strategy_state_["theta"]
    0.6
    """

    def _init_state(self, budget, n_classes):
        return {"theta": 1.0 / n_classes + budget * (1.0 - 1.0 / n_classes)}

    def propose(self, state, utility, rng):
        return bool(1.0 - utility < state["theta"])


class VariableUncertainty(_Confidence):
    """Variable uncertainty: a threshold that follows the budget.

    Algorithm 3 of Žliobaitė et al. (2014): when the budget allows, label if
    ``c < theta`` and then tighten ``theta <- theta (1 - s)``, otherwise
    widen ``theta <- theta (1 + s)``. The threshold is left alone while the
    budget is exhausted.

    Parameters
    ----------
    theta : float, default=1.0
        Initial threshold on the confidence.
    s : float in (0, 1], default=0.01
        Adjusting step of the threshold.

    Examples
    --------
    >>> from skal.stream import VariableUncertainty
    >>> strategy = VariableUncertainty(theta=1.0, s=0.1)
    >>> state = strategy.init_state(0.1, 2)
    >>> for u in [0.4, 0.05]:
    ...     ask = strategy.propose(state, u, None)
    ...     strategy.commit(state, u, ask)
    >>> round(state["theta"], 4)  # asked (x 0.9), then not (x 1.1)
    0.99
    """

    _parameter_constraints: dict = {
        "theta": [_NoBool(Real, 0, None, closed="neither")],
        "s": [_NoBool(Real, 0, 1, closed="right")],
    }

    def __init__(self, theta=1.0, s=0.01):
        self.theta = theta
        self.s = s

    def _init_state(self, budget, n_classes):
        return {"theta": float(self.theta)}

    def propose(self, state, utility, rng):
        return bool(1.0 - utility < state["theta"])

    def commit(self, state, utility, queried):
        state["theta"] *= (1.0 - self.s) if queried else (1.0 + self.s)


class RandomizedVariableUncertainty(VariableUncertainty):
    """Variable uncertainty with a randomised threshold.

    Algorithm 4 of Žliobaitė et al. (2014): label if
    ``c < theta * eta`` with ``eta ~ N(1, delta)`` drawn afresh for each
    sample, so that confident samples are labeled now and then and a drift
    far from the boundary is noticed. ``theta`` is updated as in
    :class:`VariableUncertainty`.

    Parameters
    ----------
    theta : float, default=1.0
        Initial threshold on the confidence.
    s : float in (0, 1], default=0.01
        Adjusting step of the threshold.
    delta : float, default=1.0
        Standard deviation of the multiplier ``eta``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.stream import RandomizedVariableUncertainty
    >>> strategy = RandomizedVariableUncertainty(delta=1.0)
    >>> state = strategy.init_state(0.1, 2)
    >>> strategy.propose(state, 0.0, np.random.RandomState(0))  # eta = 2.76
    True
    """

    _parameter_constraints: dict = {
        **VariableUncertainty._parameter_constraints,
        "delta": [_NoBool(Real, 0, None, closed="neither")],
    }

    def __init__(self, theta=1.0, s=0.01, delta=1.0):
        self.theta = theta
        self.s = s
        self.delta = delta

    def propose(self, state, utility, rng):
        eta = rng.normal(1.0, self.delta)
        return bool(1.0 - utility < state["theta"] * eta)


class Split(VariableUncertainty):
    """Split: random sampling on a fraction ``v`` of the stream.

    Algorithm 5 of Žliobaitė et al. (2014): each sample the budget allows
    goes, with probability ``v``, to random sampling (labeled with
    probability ``budget``), and otherwise to :class:`VariableUncertainty`,
    whose threshold only moves on its own share of the stream.

    Parameters
    ----------
    v : float in (0, 1), default=0.1
        Fraction of the stream sent to random sampling.
    theta : float, default=1.0
        Initial threshold on the confidence.
    s : float in (0, 1], default=0.01
        Adjusting step of the threshold.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.stream import Split
    >>> strategy = Split(v=0.5)
    >>> state = strategy.init_state(0.1, 2)
    >>> rng = np.random.RandomState(0)  # draws 0.549 (> v): uncertainty branch
    >>> strategy.propose(state, 0.3, rng), state["random_branch"]
    (True, False)
    """

    _parameter_constraints: dict = {
        **VariableUncertainty._parameter_constraints,
        "v": [_NoBool(Real, 0, 1, closed="neither")],
    }

    def __init__(self, v=0.1, theta=1.0, s=0.01):
        self.v = v
        self.theta = theta
        self.s = s

    def _init_state(self, budget, n_classes):
        return {**super()._init_state(budget, n_classes), "random_branch": False}

    def propose(self, state, utility, rng):
        state["random_branch"] = bool(self.v > rng.random_sample())
        if state["random_branch"]:
            return bool(rng.random_sample() <= state["budget"])
        return super().propose(state, utility, rng)

    def commit(self, state, utility, queried):
        if not state["random_branch"]:
            super().commit(state, utility, queried)
