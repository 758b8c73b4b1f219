"""The stream strategies by name, and how a learner resolves and copies them.

A stream strategy is any object with the methods of ``_STRATEGY_API``
(see :class:`~skal.stream.BaseStreamStrategy`); a name picks one of
:data:`STREAM_STRATEGIES`. A budget manager is named in
:data:`~skal.stream.BUDGET_MANAGERS`, or left to the strategy's default.
"""

from collections import deque

from sklearn.base import clone

from ._baselines import PeriodicSampling, StreamRandomSampling, StreamUncertainty
from ._budget import BUDGET_MANAGERS
from ._cognitive import (
    CognitiveDualQuery,
    CognitiveDualQueryFixed,
    CognitiveDualQueryRandom,
    CognitiveDualQueryVariable,
)
from ._density import StreamDensityBasedAL
from ._probabilistic import StreamProbabilisticAL
from ._uncertainty import (
    FixedUncertainty,
    RandomizedVariableUncertainty,
    Split,
    VariableUncertainty,
)

#: The stream strategies by name.
STREAM_STRATEGIES = {
    "fixed_uncertainty": FixedUncertainty,
    "variable_uncertainty": VariableUncertainty,
    "randomized_variable_uncertainty": RandomizedVariableUncertainty,
    "split": Split,
    "periodic": PeriodicSampling,
    "random": StreamRandomSampling,
    "density": StreamDensityBasedAL,
    "uncertainty": StreamUncertainty,
    "probabilistic": StreamProbabilisticAL,
    "cognitive_dual_query": CognitiveDualQuery,
    "cognitive_dual_query_variable": CognitiveDualQueryVariable,
    "cognitive_dual_query_fixed": CognitiveDualQueryFixed,
    "cognitive_dual_query_random": CognitiveDualQueryRandom,
}
_STRATEGY_API = ["init_state", "utilities", "observe", "propose", "commit"]


def resolve_strategy(spec):
    """Return a fresh strategy: one of :data:`STREAM_STRATEGIES`, or a clone.

    Examples
    --------
    >>> from skal.stream._registry import resolve_strategy
    >>> resolve_strategy("split")
    Split()
    """
    if isinstance(spec, str):
        return STREAM_STRATEGIES[spec]()
    return clone(spec)


def resolve_manager(spec, strategy):
    """Return a fresh budget manager: ``spec``, or the strategy's default."""
    if spec is None:
        spec = strategy.default_budget_manager
    if isinstance(spec, str):
        return BUDGET_MANAGERS[spec]()
    return clone(spec)


def copy_state(state):
    """Copy a state dict: numbers are immutable, windows (deques) are copied."""
    return {
        k: deque(v, maxlen=v.maxlen) if isinstance(v, deque) else v
        for k, v in state.items()
    }
