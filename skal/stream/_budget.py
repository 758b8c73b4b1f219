"""Budget managers: whether the stream learner may buy one more label now.

A budget manager is stateless: its state lives in a small ``dict`` that the
:class:`~skal.stream.StreamActiveLearner` owns, so that ``query`` can try a
decision on a copy and ``update`` commit it. Each manager answers
``allow(state, utility)`` for the sample at hand and learns the outcome in
``record(state, utility, queried)``.
"""

from collections import deque
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator

from ..utils._validation import POSITIVE_INT, _NoBool

__all__ = ["BalancedIncrementalQuantileFilter", "EstimatedBudget", "FixedBudget"]

_BUDGET = [_NoBool(Real, 0, 1, closed="right"), None]


class BaseBudgetManager(BaseEstimator):
    """Base class of budget managers (one family: the budget gate).

    Parameters
    ----------
    budget : float in (0, 1] or None, default=None
        Fraction of the stream that may be labeled. ``None`` takes the
        learner's ``budget``.
    """

    _parameter_constraints: dict = {"budget": _BUDGET}

    def __init__(self, budget=None):
        self.budget = budget

    def init_state(self, budget):
        """Validate the parameters and return a fresh state.

        Parameters
        ----------
        budget : float
            The budget to use when ``self.budget`` is None.

        Returns
        -------
        state : dict
            The manager's state; ``state["budget"]`` is the budget in force.
        """
        self._validate_params()
        budget = float(budget if self.budget is None else self.budget)
        return {"budget": budget, "seen": 0, "queried": 0, **self._init_state()}

    def _init_state(self):
        return {}

    def allow(self, state, utility):
        """Whether one more label may be bought for a sample of ``utility``.

        Parameters
        ----------
        state : dict
            The state made by :meth:`init_state`.
        utility : float
            The sample's utility (ignored by the counting managers).

        Returns
        -------
        allowed : bool
            Whether a label may be bought.
        """
        raise NotImplementedError

    def record(self, state, utility, queried):
        """Learn that the sample was (or was not) labeled.

        Parameters
        ----------
        state : dict
            The state made by :meth:`init_state`; updated in place.
        utility : float
            The sample's utility.
        queried : bool
            Whether its label was bought.
        """
        state["seen"] += 1
        state["queried"] += bool(queried)


class FixedBudget(BaseBudgetManager):
    """Count-based budget: at most ``budget * t`` labels among the first ``t``.

    The ``t``-th sample may be labeled while ``q / t < budget``, where ``q``
    labels were bought among the ``t - 1`` samples before it. This is the
    budget of DBALStream (Ienco et al., 2014): the spent fraction of the
    whole stream never exceeds the budget by more than one label.

    Parameters
    ----------
    budget : float in (0, 1] or None, default=None
        Fraction of the stream that may be labeled. ``None`` takes the
        learner's ``budget``.

    Examples
    --------
    >>> from skal.stream import FixedBudget
    >>> manager = FixedBudget(budget=0.5)
    >>> state = manager.init_state(0.5)
    >>> decisions = []
    >>> for _ in range(4):
    ...     ask = manager.allow(state, 1.0)
    ...     manager.record(state, 1.0, ask)
    ...     decisions.append(ask)
    >>> decisions
    [True, False, True, False]
    """

    def __init__(self, budget=None):
        self.budget = budget

    def allow(self, state, utility):
        return state["queried"] < state["budget"] * (state["seen"] + 1)


class EstimatedBudget(BaseBudgetManager):
    """Žliobaitė et al.'s (2014) forgetting estimate of the spent budget.

    The spending ``u_t = u_{t-1} (w - 1) / w + labeling_t`` is a labels count
    over a fading window of about ``w`` samples; a label may be bought while
    ``u_t / w < budget``. After a drift the learner may spend again at once,
    unlike with :class:`FixedBudget`, which remembers the whole stream.

    Parameters
    ----------
    budget : float in (0, 1] or None, default=None
        Fraction of the stream that may be labeled. ``None`` takes the
        learner's ``budget``.
    w : int, default=100
        Memory window of the estimate.

    Examples
    --------
    >>> from skal.stream import EstimatedBudget
    >>> manager = EstimatedBudget(budget=0.1, w=10)
    >>> state = manager.init_state(0.1)
    >>> manager.allow(state, 1.0)
    True
    >>> manager.record(state, 1.0, True)
    >>> state["u"], manager.allow(state, 1.0)
    (1.0, False)
    """

    _parameter_constraints: dict = {
        **BaseBudgetManager._parameter_constraints,
        "w": [POSITIVE_INT],
    }

    def __init__(self, budget=None, w=100):
        self.budget = budget
        self.w = w

    def _init_state(self):
        return {"u": 0.0}

    def allow(self, state, utility):
        return state["u"] / self.w < state["budget"]

    def record(self, state, utility, queried):
        super().record(state, utility, queried)
        state["u"] = state["u"] * (self.w - 1) / self.w + bool(queried)


class BalancedIncrementalQuantileFilter(BaseBudgetManager):
    """Balanced incremental quantile filter (Kottke et al., 2015).

    The threshold is the ``1 - budget`` quantile of the last ``w`` utilities
    (the current one included), lowered when labels are owed and raised when
    too many were bought::

        theta_bal = theta - range * (budget * t - q) / w_tol

    where ``range`` is the spread (max - min) of that window, ``t`` counts
    the samples including the current one and ``q`` the labels bought. A
    sample is labeled when its utility is at least ``theta_bal``, so this
    manager also decides on the utility, not only on the spending.

    Parameters
    ----------
    budget : float in (0, 1] or None, default=None
        Fraction of the stream that may be labeled. ``None`` takes the
        learner's ``budget``.
    w : int, default=100
        Number of past utilities the quantile is taken over.
    w_tol : float, default=50
        Tolerance window: how many samples the spending may lag or lead.

    Examples
    --------
    >>> from skal.stream import BalancedIncrementalQuantileFilter
    >>> manager = BalancedIncrementalQuantileFilter(budget=0.5, w=4, w_tol=2)
    >>> state = manager.init_state(0.5)
    >>> decisions = []
    >>> for u in [0.1, 0.9, 0.2, 0.8]:
    ...     ask = manager.allow(state, u)
    ...     manager.record(state, u, ask)
    ...     decisions.append(ask)
    >>> decisions
    [True, True, False, True]
    """

    _parameter_constraints: dict = {
        **BaseBudgetManager._parameter_constraints,
        "w": [POSITIVE_INT],
        "w_tol": [_NoBool(Real, 0, None, closed="neither")],
    }

    def __init__(self, budget=None, w=100, w_tol=50):
        self.budget = budget
        self.w = w
        self.w_tol = w_tol

    def _init_state(self):
        return {"history": deque(maxlen=self.w)}

    def allow(self, state, utility):
        if np.isnan(utility):
            return False
        window = np.append(np.asarray(state["history"], dtype=float), utility)
        window = window[-self.w :]
        theta = np.quantile(window, 1.0 - state["budget"])
        spread = window.max() - window.min()
        owed = state["budget"] * (state["seen"] + 1) - state["queried"]
        return bool(utility >= theta - spread * owed / self.w_tol)

    def record(self, state, utility, queried):
        super().record(state, utility, queried)
        if not np.isnan(utility):
            state["history"].append(float(utility))


class _NoBudget(BaseBudgetManager):
    """No gate: the strategy keeps to the budget by itself (periodic, random)."""

    def allow(self, state, utility):
        return True


BUDGET_MANAGERS = {
    "fixed": FixedBudget,
    "estimated": EstimatedBudget,
    "balanced": BalancedIncrementalQuantileFilter,
    "none": _NoBudget,
}
