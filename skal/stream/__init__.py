"""Stream-based active learning: ask for a label or not, one sample at a time.

Samples arrive one at a time; a :class:`StreamActiveLearner` scores each with
a stream strategy and, under a budget manager, decides whether to buy its
label. Strategies: Žliobaitė et al.'s (2014) fixed, variable and randomized
variable uncertainty and Split; periodic and random sampling; density-focused
uncertainty (DBALStream, Ienco et al., 2014); plain uncertainty under a
balanced incremental quantile filter (Kottke et al., 2015).
"""

from ._base import BaseStreamStrategy
from ._baselines import PeriodicSampling, StreamRandomSampling, StreamUncertainty
from ._budget import (
    BUDGET_MANAGERS,
    BalancedIncrementalQuantileFilter,
    EstimatedBudget,
    FixedBudget,
)
from ._data import make_rotating_hyperplane
from ._density import StreamDensityBasedAL
from ._evaluate import prequential_evaluation
from ._learner import STREAM_STRATEGIES, StreamActiveLearner
from ._uncertainty import (
    FixedUncertainty,
    RandomizedVariableUncertainty,
    Split,
    VariableUncertainty,
)

__all__ = [
    "BUDGET_MANAGERS",
    "STREAM_STRATEGIES",
    "BalancedIncrementalQuantileFilter",
    "BaseStreamStrategy",
    "EstimatedBudget",
    "FixedBudget",
    "FixedUncertainty",
    "PeriodicSampling",
    "RandomizedVariableUncertainty",
    "Split",
    "StreamActiveLearner",
    "StreamDensityBasedAL",
    "StreamRandomSampling",
    "StreamUncertainty",
    "VariableUncertainty",
    "make_rotating_hyperplane",
    "prequential_evaluation",
]
