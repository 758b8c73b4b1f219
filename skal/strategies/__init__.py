"""Query strategies: pure scoring functions, selection kernels and strategy objects."""

from ._adaptive import Adaptive
from ._base import (
    BaseStrategy,
    FunctionStrategy,
    RandomSampling,
    ScoreStrategy,
    require_signal,
)
from ._batchbald import BatchBALD, StochasticBALD, greedy_batchbald
from ._bayesian import BALD, MaxEntropy, MeanSTD, VariationRatios
from ._committee import QueryByCommittee
from ._density import DensityWeighted
from ._disagreement import (
    bald,
    consensus_entropy,
    max_disagreement,
    mean_std,
    variation_ratio,
    vote_entropy,
)
from ._diversity import (
    CoreSet,
    KMeansSampling,
    TypiClust,
    typicality,
)
from ._embedding import get_embedding, labeled_embedding
from ._hybrid import (
    BADGE,
    DiverseMiniBatch,
    Hybrid,
    RankedBatch,
    SuggestiveAnnotation,
    gradient_embedding_factors,
)
from ._model_change import (
    ExpectedErrorReduction,
    ExpectedGradientLength,
    expected_gradient_length,
)
from ._registry import available_strategies, resolve_strategy
from ._regression import GreedySampling, StdSampling
from ._selection import select_top_k
from ._uncertainty import (
    UncertaintySampling,
    entropy,
    least_confidence,
    margin,
    ratio,
)

__all__ = [
    "Adaptive",
    "GreedySampling",
    "QueryByCommittee",
    "StdSampling",
    "BADGE",
    "CoreSet",
    "DensityWeighted",
    "DiverseMiniBatch",
    "Hybrid",
    "KMeansSampling",
    "RankedBatch",
    "SuggestiveAnnotation",
    "TypiClust",
    "get_embedding",
    "gradient_embedding_factors",
    "labeled_embedding",
    "typicality",
    "BALD",
    "BatchBALD",
    "MaxEntropy",
    "MeanSTD",
    "StochasticBALD",
    "VariationRatios",
    "greedy_batchbald",
    "BaseStrategy",
    "ExpectedErrorReduction",
    "ExpectedGradientLength",
    "FunctionStrategy",
    "RandomSampling",
    "ScoreStrategy",
    "UncertaintySampling",
    "available_strategies",
    "bald",
    "consensus_entropy",
    "entropy",
    "expected_gradient_length",
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
