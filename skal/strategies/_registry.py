"""Resolve a strategy given by name, object or callable."""

from difflib import get_close_matches
from functools import partial

from sklearn.base import clone

from ._base import BaseStrategy, FunctionStrategy


def _registry():
    from ._adaptive import Adaptive
    from ._adversarial import MAL, VAAL
    from ._average_precision import ExpectedAveragePrecision
    from ._base import RandomSampling
    from ._batchbald import BatchBALD, StochasticBALD
    from ._bayesopt import (
        ExpectedImprovement,
        ProbabilityOfImprovement,
        UpperConfidenceBound,
    )
    from ._clue import CLUE
    from ._contrastive import ContrastiveAL
    from ._cost_embedding import CostEmbeddingAL
    from ._coverage import MaxHerding, ProbCover
    from ._density import DensityWeighted
    from ._discriminative import DiscriminativeAL
    from ._diversity import CoreSet, KMeansSampling, TypiClust
    from ._dropquery import DropQuery
    from ._epistemic import EpistemicUncertaintySampling
    from ._falcun import Falcun
    from ._four_ds import FourDs
    from ._hybrid import BADGE, DiverseMiniBatch, RankedBatch, SuggestiveAnnotation
    from ._model_change import ExpectedErrorReduction, ExpectedGradientLength
    from ._multilabel import MULTILABEL_REGISTRY
    from ._probabilistic import ProbabilisticAL
    from ._quire import QUIRE
    from ._training_dynamics import LabelDispersion, PredictedLoss
    from ._uncertainty import MEASURES, UncertaintySampling
    from ._value_of_information import ValueOfInformationEER

    return {
        "random": RandomSampling,
        # every uncertainty measure is a strategy name: its MEASURES line
        **{name: partial(UncertaintySampling, name) for name in MEASURES},
        "auto": Adaptive,
        "egl": ExpectedGradientLength,
        "eer": ExpectedErrorReduction,
        "expected_average_precision": ExpectedAveragePrecision,
        "coreset": CoreSet,
        "kmeans": KMeansSampling,
        "typiclust": TypiClust,
        "probcover": ProbCover,
        "maxherding": MaxHerding,
        "density": DensityWeighted,
        "diverse_mini_batch": DiverseMiniBatch,
        "ranked_batch": RankedBatch,
        "suggestive_annotation": SuggestiveAnnotation,
        "badge": BADGE,
        "falcun": Falcun,
        "clue": CLUE,
        "discriminative": DiscriminativeAL,
        "batchbald": BatchBALD,
        "stochastic_bald": StochasticBALD,
        "power_bald": lambda: StochasticBALD("power"),
        # Bayesian optimisation (regressors with return_std)
        "pi": ProbabilityOfImprovement,
        "ei": ExpectedImprovement,
        "ucb": UpperConfidenceBound,
        "epistemic": EpistemicUncertaintySampling,
        "quire": QUIRE,
        "cal": ContrastiveAL,
        "dropquery": DropQuery,
        "mcpal": ProbabilisticAL,
        "alce": CostEmbeddingAL,
        "voi": ValueOfInformationEER,
        "4ds": FourDs,
        **_committee_registry(),
        # multi-label y (a 2-d indicator): the MULTILABEL_STRATEGIES
        **MULTILABEL_REGISTRY,
        "label_dispersion": LabelDispersion,
        "predicted_loss": PredictedLoss,
        "vaal": VAAL,
        "mal": MAL,
    }


def _committee_registry():
    from ._bayesian import BALD, MaxEntropy, MeanSTD, VariationRatios
    from ._committee import QueryByCommittee
    from ._disagreement import DISAGREEMENTS
    from ._regression import GreedySampling, StdSampling

    return {
        "qbc": QueryByCommittee,
        # every disagreement measure is a strategy name: its DISAGREEMENTS line
        **{name: partial(QueryByCommittee, name) for name in DISAGREEMENTS},
        # ... except that "bald" and "mean_std" (and "max_entropy",
        # "variation_ratios") name the MC-dropout classes for every learner:
        # on a committee they score the same numbers as QueryByCommittee.
        "bald": BALD,
        "max_entropy": MaxEntropy,
        "variation_ratios": VariationRatios,
        "mean_std": MeanSTD,
        "std": StdSampling,
        "gsx": lambda: GreedySampling("x"),
        "gsy": lambda: GreedySampling("y"),
        "igs": lambda: GreedySampling("xy"),
        **_regression_registry(),
    }


def _regression_registry():
    from ._emcm import ExpectedModelChangeMaximization
    from ._emoc import ExpectedModelOutputChange
    from ._emvr import ExpectedModelVarianceReduction
    from ._kl_divergence import KLDivergenceMaximization
    from ._regression_tree import RegressionTreeBasedAL

    return {
        "emcm": ExpectedModelChangeMaximization,
        "emvr": ExpectedModelVarianceReduction,
        "emoc": ExpectedModelOutputChange,
        "kl_divergence": KLDivergenceMaximization,
        "regression_tree": RegressionTreeBasedAL,
        "regression_tree_diversity": lambda: RegressionTreeBasedAL("diversity"),
        "regression_tree_representativity": lambda: RegressionTreeBasedAL(
            "representativity"
        ),
    }


def did_you_mean(name, names=None):
    """``" (did you mean 'margin'?)"`` for a mistyped strategy name, else ``""``.

    Examples
    --------
    >>> from skal.strategies._registry import did_you_mean
    >>> did_you_mean("Margin"), did_you_mean("nope")
    (" (did you mean 'margin'?)", '')
    """
    names = sorted(_registry()) if names is None else names
    close = get_close_matches(str(name).lower(), names, n=3, cutoff=0.75)
    return f" (did you mean {' or '.join(map(repr, close))}?)" if close else ""


def available_strategies():
    """Return the names accepted wherever a strategy is expected.

    Returns
    -------
    names : list of str
        Sorted strategy names.

    Examples
    --------
    >>> from skal.strategies import available_strategies
    >>> "entropy" in available_strategies()
    True
    """
    return sorted(_registry())


def resolve_strategy(strategy, *, param="query_strategy"):
    """Turn a strategy name, object or callable into a fresh strategy object.

    Parameters
    ----------
    strategy : str, BaseStrategy or callable
        A registered name (see :func:`available_strategies`), a strategy
        object (cloned) or a function (wrapped in :class:`FunctionStrategy`).
    param : str, default="query_strategy"
        Parameter name used in error messages.

    Returns
    -------
    strategy : BaseStrategy
        A new strategy object.

    Examples
    --------
    >>> from skal.strategies import resolve_strategy
    >>> resolve_strategy("margin")
    UncertaintySampling(measure='margin')
    """
    if isinstance(strategy, str):
        registry = _registry()
        if strategy not in registry:
            raise ValueError(
                f"Unknown {param} {strategy!r}{did_you_mean(strategy)}. Known names: "
                f"{', '.join(sorted(registry))}; or pass a strategy object or a "
                "function."
            )
        return registry[strategy]()
    if isinstance(strategy, BaseStrategy):
        return clone(strategy)
    if hasattr(strategy, "select") and hasattr(strategy, "get_params"):
        return clone(strategy)
    if callable(strategy):
        return FunctionStrategy(strategy)
    raise TypeError(
        f"{param} must be a strategy name, a strategy object or a callable, got "
        f"{strategy!r}."
    )
