"""Stream-based active learning: ask for a label or not, one sample at a time.

Samples arrive one at a time; a :class:`StreamActiveLearner` scores each with
a stream strategy and, under a budget manager, decides whether to buy its
label. Strategies: Žliobaitė et al.'s (2014) fixed, variable and randomized
variable uncertainty and Split; periodic and random sampling; density-focused
uncertainty (DBALStream, Ienco et al., 2014); plain uncertainty and
probabilistic active learning (stream PAL) under a balanced incremental
quantile filter (Kottke et al., 2015); the cognitive dual-query strategies
(CogDQS, Liu et al., 2023).
"""

from ._base import BaseStreamStrategy
from ._baselines import PeriodicSampling, StreamRandomSampling, StreamUncertainty
from ._budget import (
    BUDGET_MANAGERS,
    BalancedIncrementalQuantileFilter,
    EstimatedBudget,
    FixedBudget,
)
from ._cognitive import (
    CognitiveDualQuery,
    CognitiveDualQueryFixed,
    CognitiveDualQueryRandom,
    CognitiveDualQueryVariable,
)
from ._data import make_rotating_hyperplane
from ._density import StreamDensityBasedAL
from ._evaluate import prequential_evaluation
from ._learner import STREAM_STRATEGIES, StreamActiveLearner
from ._probabilistic import StreamProbabilisticAL
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
    "CognitiveDualQuery",
    "CognitiveDualQueryFixed",
    "CognitiveDualQueryRandom",
    "CognitiveDualQueryVariable",
    "EstimatedBudget",
    "FixedBudget",
    "FixedUncertainty",
    "PeriodicSampling",
    "RandomizedVariableUncertainty",
    "Split",
    "StreamActiveLearner",
    "StreamDensityBasedAL",
    "StreamProbabilisticAL",
    "StreamRandomSampling",
    "StreamUncertainty",
    "VariableUncertainty",
    "make_rotating_hyperplane",
    "prequential_evaluation",
]
