"""Query strategies: pure scoring functions, selection kernels and strategy objects."""

from ._adaptive import Adaptive
from ._adversarial import MAL, VAAL, shortlist_by_entropy
from ._average_precision import ExpectedAveragePrecision, expected_average_precision
from ._base import (
    BaseStrategy,
    FunctionStrategy,
    RandomSampling,
    ScoreStrategy,
)
from ._batchbald import BatchBALD, StochasticBALD, greedy_batchbald
from ._bayesian import BALD, MaxEntropy, MeanSTD, VariationRatios
from ._bayesopt import (
    ExpectedImprovement,
    ProbabilityOfImprovement,
    UpperConfidenceBound,
    expected_improvement,
    probability_of_improvement,
    upper_confidence_bound,
)
from ._clue import CLUE
from ._committee import QueryByCommittee
from ._context import QueryContext
from ._contrastive import ContrastiveAL, contrastive_divergence
from ._cost_embedding import CostEmbeddingAL, embed_cost_matrix
from ._coverage import MaxHerding, ProbCover, impurity_radius
from ._density import DensityWeighted
from ._disagreement import (
    bald,
    consensus_entropy,
    max_disagreement,
    max_kl,
    mean_std,
    variation_ratio,
    vote_entropy,
)
from ._discriminative import DiscriminativeAL
from ._diversity import (
    CoreSet,
    KMeansSampling,
    TypiClust,
    typicality,
)
from ._dropquery import DropQuery
from ._emcm import ExpectedModelChangeMaximization
from ._emoc import ExpectedModelOutputChange
from ._emvr import ExpectedModelVarianceReduction
from ._epistemic import EpistemicUncertaintySampling, epistemic_uncertainty
from ._falcun import Falcun
from ._four_ds import FourDs
from ._hybrid import (
    BADGE,
    DiverseMiniBatch,
    Hybrid,
    RankedBatch,
    SuggestiveAnnotation,
    gradient_embedding_factors,
)
from ._kcenter import k_center_greedy
from ._kl_divergence import KLDivergenceMaximization
from ._model_change import (
    ExpectedErrorReduction,
    ExpectedGradientLength,
    expected_gradient_length,
)
from ._multilabel import (
    LABEL_MEASURES,
    MMC,
    MULTILABEL_STRATEGIES,
    BinaryMinimum,
    LabelCardinalityInconsistency,
    LabelUncertainty,
    MaxLoss,
    MeanMaxLoss,
    binary_minimum,
    cardinality_inconsistency,
    label_uncertainty,
    max_loss,
    mean_max_loss,
    mmc_loss,
    separation_margin,
)
from ._probabilistic import ProbabilisticAL, expected_cost_reduction
from ._quire import QUIRE, quire_objective
from ._registry import available_strategies, resolve_strategy
from ._regression import GreedySampling, StdSampling
from ._regression_tree import RegressionTreeBasedAL
from ._row_scores import RowScoreStrategy
from ._selection import select_top_k, select_top_k_blocks
from ._training_dynamics import (
    LabelDispersion,
    PredictedLoss,
    forgetting_events,
    label_dispersion,
)
from ._uncertainty import (
    UncertaintySampling,
    entropy,
    expected_cost,
    least_confidence,
    margin,
    ratio,
)
from ._value_of_information import ValueOfInformationEER

__all__ = [
    "ExpectedAveragePrecision",
    "expected_average_precision",
    "LABEL_MEASURES",
    "MMC",
    "MULTILABEL_STRATEGIES",
    "BinaryMinimum",
    "LabelCardinalityInconsistency",
    "LabelUncertainty",
    "MaxLoss",
    "MeanMaxLoss",
    "binary_minimum",
    "cardinality_inconsistency",
    "label_uncertainty",
    "max_loss",
    "mean_max_loss",
    "mmc_loss",
    "separation_margin",
    "CostEmbeddingAL",
    "embed_cost_matrix",
    "FourDs",
    "ValueOfInformationEER",
    "ProbabilisticAL",
    "expected_cost_reduction",
    "DropQuery",
    "ContrastiveAL",
    "contrastive_divergence",
    "QUIRE",
    "quire_objective",
    "RegressionTreeBasedAL",
    "KLDivergenceMaximization",
    "ExpectedModelOutputChange",
    "ExpectedModelVarianceReduction",
    "ExpectedModelChangeMaximization",
    "MAL",
    "VAAL",
    "shortlist_by_entropy",
    "LabelDispersion",
    "PredictedLoss",
    "forgetting_events",
    "label_dispersion",
    "DiscriminativeAL",
    "CLUE",
    "Falcun",
    "EpistemicUncertaintySampling",
    "epistemic_uncertainty",
    "MaxHerding",
    "ProbCover",
    "impurity_radius",
    "ExpectedImprovement",
    "ProbabilityOfImprovement",
    "UpperConfidenceBound",
    "expected_improvement",
    "probability_of_improvement",
    "upper_confidence_bound",
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
    "gradient_embedding_factors",
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
    "QueryContext",
    "RandomSampling",
    "RowScoreStrategy",
    "ScoreStrategy",
    "UncertaintySampling",
    "available_strategies",
    "bald",
    "consensus_entropy",
    "entropy",
    "expected_cost",
    "expected_gradient_length",
    "least_confidence",
    "margin",
    "max_disagreement",
    "max_kl",
    "mean_std",
    "ratio",
    "resolve_strategy",
    "select_top_k",
    "select_top_k_blocks",
    "k_center_greedy",
    "variation_ratio",
    "vote_entropy",
]
