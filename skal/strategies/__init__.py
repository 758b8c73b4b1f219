"""Query strategies: pure scoring functions, selection kernels and strategy objects."""

from ._base import (
    BaseStrategy,
    FunctionStrategy,
    RandomSampling,
    ScoreStrategy,
    require_signal,
)
from ._batchbald import BatchBALD, StochasticBALD, greedy_batchbald
from ._bayesian import BALD, MaxEntropy, MeanSTD, VariationRatios
from ._disagreement import (
    bald,
    consensus_entropy,
    max_disagreement,
    mean_std,
    variation_ratio,
    vote_entropy,
)
from ._registry import available_strategies, resolve_strategy
from ._selection import select_top_k
from ._uncertainty import (
    UncertaintySampling,
    entropy,
    least_confidence,
    margin,
    ratio,
)

__all__ = [
    "BALD",
    "BatchBALD",
    "MaxEntropy",
    "MeanSTD",
    "StochasticBALD",
    "VariationRatios",
    "greedy_batchbald",
    "BaseStrategy",
    "FunctionStrategy",
    "RandomSampling",
    "ScoreStrategy",
    "UncertaintySampling",
    "available_strategies",
    "bald",
    "consensus_entropy",
    "entropy",
    "least_confidence",
    "margin",
    "max_disagreement",
    "mean_std",
    "ratio",
    "require_signal",
    "resolve_strategy",
    "select_top_k",
    "variation_ratio",
    "vote_entropy",
]
