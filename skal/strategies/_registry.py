"""Resolve a strategy given by name, object or callable."""

from sklearn.base import clone

from ._base import BaseStrategy, FunctionStrategy


def _registry():
    from ._adaptive import Adaptive
    from ._base import RandomSampling
    from ._batchbald import BatchBALD, StochasticBALD
    from ._density import DensityWeighted
    from ._diversity import CoreSet, KMeansSampling, TypiClust
    from ._hybrid import BADGE, DiverseMiniBatch, RankedBatch, SuggestiveAnnotation
    from ._model_change import ExpectedErrorReduction, ExpectedGradientLength
    from ._uncertainty import UncertaintySampling

    return {
        "random": RandomSampling,
        "auto": Adaptive,
        "entropy": lambda: UncertaintySampling("entropy"),
        "margin": lambda: UncertaintySampling("margin"),
        "least_confidence": lambda: UncertaintySampling("least_confidence"),
        "ratio": lambda: UncertaintySampling("ratio"),
        "egl": ExpectedGradientLength,
        "eer": ExpectedErrorReduction,
        "coreset": CoreSet,
        "kmeans": KMeansSampling,
        "typiclust": TypiClust,
        "density": DensityWeighted,
        "diverse_mini_batch": DiverseMiniBatch,
        "ranked_batch": RankedBatch,
        "suggestive_annotation": SuggestiveAnnotation,
        "badge": BADGE,
        "batchbald": BatchBALD,
        "stochastic_bald": StochasticBALD,
        "power_bald": lambda: StochasticBALD("power"),
        **_committee_registry(),
    }


def _committee_registry():
    from ._committee import QueryByCommittee
    from ._regression import GreedySampling, StdSampling

    return {
        "qbc": QueryByCommittee,
        "vote_entropy": lambda: QueryByCommittee("vote_entropy"),
        "consensus_entropy": lambda: QueryByCommittee("consensus_entropy"),
        "max_disagreement": lambda: QueryByCommittee("max_disagreement"),
        "variation_ratio": lambda: QueryByCommittee("variation_ratio"),
        "bald": lambda: QueryByCommittee("bald"),
        "mean_std": lambda: QueryByCommittee("mean_std"),
        "std": StdSampling,
        "gsx": lambda: GreedySampling("x"),
        "gsy": lambda: GreedySampling("y"),
        "igs": lambda: GreedySampling("xy"),
    }


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
                f"Unknown {param} {strategy!r}. Known names: "
                f"{', '.join(sorted(registry))}; or pass a strategy object or a "
                "function."
            )
        return registry[strategy]()
    if isinstance(strategy, BaseStrategy):
        return clone(strategy)
    if hasattr(strategy, "query") and hasattr(strategy, "get_params"):
        return clone(strategy)
    if callable(strategy):
        return FunctionStrategy(strategy)
    raise TypeError(
        f"{param} must be a strategy name, a strategy object or a callable, got "
        f"{strategy!r}."
    )
