"""Query strategies: pure scoring functions, selection kernels and strategy objects."""

from ._base import (
    BaseStrategy,
    FunctionStrategy,
    RandomSampling,
    ScoreStrategy,
    require_signal,
)
from ._diversity import (
    CoreSet,
    DensityWeighted,
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
    "BaseStrategy",
    "FunctionStrategy",
    "RandomSampling",
    "ScoreStrategy",
    "UncertaintySampling",
    "available_strategies",
    "entropy",
    "least_confidence",
    "margin",
    "ratio",
    "require_signal",
    "resolve_strategy",
    "select_top_k",
]
