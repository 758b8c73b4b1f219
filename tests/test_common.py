"""scikit-learn's estimator checks and the clone/params contract over every class."""

import pytest
from sklearn.base import clone
from sklearn.linear_model import BayesianRidge, LogisticRegression, Ridge
from sklearn.mixture import GaussianMixture
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from skal import (
    ActiveLearner,
    ActiveSelfTrainingClassifier,
    BayesianLearner,
    BayesianOptimizer,
    Committee,
    CommitteeRegressor,
)
from skal.estimators import (
    MixtureModelClassifier,
    NadarayaWatsonRegressor,
    NICKernelRegressor,
    ParzenWindowClassifier,
)
from skal.strategies import (
    BADGE,
    BALD,
    MAL,
    MMC,
    QUIRE,
    VAAL,
    BatchBALD,
    ContrastiveAL,
    CoreSet,
    CostEmbeddingAL,
    DensityWeighted,
    DiverseMiniBatch,
    DropQuery,
    ExpectedErrorReduction,
    ExpectedGradientLength,
    ExpectedImprovement,
    FourDs,
    FunctionStrategy,
    Hybrid,
    KMeansSampling,
    LabelCardinalityInconsistency,
    LabelDispersion,
    LabelUncertainty,
    MaxEntropy,
    MeanSTD,
    PredictedLoss,
    ProbabilisticAL,
    ProbabilityOfImprovement,
    RandomSampling,
    RankedBatch,
    StochasticBALD,
    SuggestiveAnnotation,
    TypiClust,
    UncertaintySampling,
    UpperConfidenceBound,
    ValueOfInformationEER,
    VariationRatios,
)

LEARNERS = [
    ActiveLearner(LogisticRegression()),
    ActiveLearner(GaussianNB(), query_strategy="margin"),
    ActiveLearner(make_pipeline(StandardScaler(), LogisticRegression())),
    ActiveLearner(Ridge(), query_strategy="random", missing_label=float("nan")),
    ActiveSelfTrainingClassifier(LogisticRegression()),
    ActiveLearner(LabelSpreading(), query_strategy="margin", semi_supervised=True),
    Committee([("nb", GaussianNB()), ("tree", DecisionTreeClassifier(max_depth=3))]),
    Committee(estimator=GaussianNB(), n_members=3),
    CommitteeRegressor(estimator=Ridge(), n_members=3),
    CommitteeRegressor([("ridge", Ridge()), ("tree", DecisionTreeRegressor())]),
    # Any estimator with predict_proba_samples is a sampler; a bagged committee
    # runs the checks in seconds where a skorch net would take minutes.
    BayesianLearner(Committee(estimator=GaussianNB(), n_members=3), n_samples=3),
    BayesianOptimizer(BayesianRidge(), query_strategy="ucb"),
    # tagged multi_label: scikit-learn's multi-label checks run on it too
    ActiveLearner(KNeighborsClassifier(), query_strategy="random"),
]

STRATEGIES = [
    RandomSampling(),
    UncertaintySampling(),
    UncertaintySampling("margin", max_candidates=100),
    FunctionStrategy(len),
    ExpectedGradientLength(),
    ExpectedErrorReduction("log", n_eval=100, max_candidates=20),
    CoreSet(),
    KMeansSampling(n_init=2),
    TypiClust(n_neighbors=5),
    DensityWeighted(beta=2.0, similarity="rbf"),
    DiverseMiniBatch(beta=3),
    RankedBatch(),
    SuggestiveAnnotation(beta=3),
    BADGE(max_candidates=1000),
    Hybrid([("unc", UncertaintySampling()), ("far", CoreSet())], combine="rank"),
    BALD(max_candidates=100),
    MaxEntropy(),
    VariationRatios(),
    MeanSTD(),
    BatchBALD(n_configurations=512),
    StochasticBALD("softmax", beta=2.0),
    ProbabilityOfImprovement(xi=0.1),
    ExpectedImprovement(),
    UpperConfidenceBound(beta=2.0),
    MMC(),
    LabelCardinalityInconsistency(beta=0.5),
    LabelUncertainty("max_score"),
    QUIRE(lmbda=0.5),
    ContrastiveAL(n_neighbors=3),
    DropQuery(dropout_rate=0.5),
    ProbabilisticAL(m_max=2),
    ValueOfInformationEER(normalize=True),
    FourDs(lmbda=0.1),
    CostEmbeddingAL(embed_dim=2, mds_params={"n_init": 2}),
    LabelDispersion(),
    PredictedLoss(max_candidates=10),
    VAAL(n_steps=10),
    MAL(shortlist=3.0),
]


def _expected_failed_checks(estimator):
    # scikit-learn exempts only its own semi-supervised classes from the
    # {-1, 1} label check; skal uses -1 for "unlabeled" exactly as
    # SelfTrainingClassifier does, so a -1 class cannot be learned by default.
    return {
        "check_classifiers_classes": "-1 marks unlabeled samples in y",
        "check_supervised_y_no_nan": (
            "NaN in y marks unlabeled rows (scikit-learn's semi-supervised "
            "convention): a y of all NaN is a cold start with no labels, not an error"
        ),
    }


@parametrize_with_checks(LEARNERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# skal's own models: plain scikit-learn estimators, every check applies
ESTIMATORS = [
    ParzenWindowClassifier(),
    ParzenWindowClassifier(class_prior=0.5, metric_dict={"gamma": "mean"}),
    ParzenWindowClassifier("laplacian", n_neighbors=3),
    NICKernelRegressor(),
    NICKernelRegressor(metric_dict={"gamma": "mean"}, mu_0=1.0, kappa_0=0.0, nu_0=4),
    NadarayaWatsonRegressor("laplacian"),
    MixtureModelClassifier(),
    MixtureModelClassifier(
        GaussianMixture(3, covariance_type="diag", random_state=0), "similarities"
    ),
]


def _expected_failed_estimator_checks(estimator):
    if isinstance(estimator, MixtureModelClassifier):
        reason = (
            "the weights weigh the labels only: scikit-learn's mixtures take no "
            "sample_weight, so a repeated row moves the mixture and a row of "
            "weight 2 does not"
        )
        return {"check_sample_weight_equivalence_on_dense_data": reason}
    if getattr(estimator, "n_neighbors", None) is None:
        return {}
    reason = (
        "with n_neighbors a weight is not a repeat: a row repeated twice fills "
        "two of the n_neighbors slots, a row of weight 2 one"
    )
    return {
        "check_sample_weight_equivalence_on_dense_data": reason,
        "check_sample_weight_equivalence_on_sparse_data": reason,
    }


@parametrize_with_checks(
    ESTIMATORS, expected_failed_checks=_expected_failed_estimator_checks
)
def test_estimators_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_estimator_parameters_are_validated_by_sklearn(estimator):
    from sklearn.utils.estimator_checks import check_param_validation

    check_param_validation(type(estimator).__name__, clone(estimator))


@pytest.mark.parametrize("obj", LEARNERS + STRATEGIES + ESTIMATORS, ids=repr)
def test_clone_and_params_round_trip(obj):
    params = obj.get_params(deep=False)
    copy = clone(obj)
    assert copy is not obj
    assert copy.get_params(deep=False).keys() == params.keys()
    copy.set_params(**params)
    assert repr(copy) == repr(obj)


@pytest.mark.parametrize("learner", LEARNERS, ids=repr)
def test_learner_parameters_are_validated_by_sklearn(learner):
    from sklearn.utils.estimator_checks import check_param_validation

    check_param_validation(type(learner).__name__, clone(learner))


def _strategy_classes():
    import inspect

    import skal.strategies as mod

    return sorted(
        (
            obj
            for obj in vars(mod).values()
            if inspect.isclass(obj)
            and issubclass(obj, mod.BaseStrategy)
            and not inspect.isabstract(obj)
            and obj not in (mod.BaseStrategy, mod.ScoreStrategy)
        ),
        key=lambda c: c.__name__,
    )


@pytest.mark.parametrize("cls", _strategy_classes(), ids=lambda c: c.__name__)
def test_every_strategy_parameter_has_a_constraint(cls):
    assert set(cls._parameter_constraints) == set(cls._get_param_names())


@pytest.mark.parametrize("strategy", STRATEGIES, ids=repr)
def test_invalid_strategy_parameters_fail_in_select(strategy):
    import numpy as np
    from sklearn.utils._param_validation import (
        InvalidParameterError,
        generate_invalid_param_val,
        make_constraint,
    )

    from skal.strategies import QueryContext

    ctx = QueryContext(np.eye(5), random_state=0)
    for name, constraints in strategy._parameter_constraints.items():
        if constraints == "no_validation":
            continue
        constraints = [make_constraint(c) for c in constraints]
        for constraint in constraints:
            try:
                bad = generate_invalid_param_val(constraint)
            except NotImplementedError:
                continue
            broken = clone(strategy).set_params(**{name: bad})
            with pytest.raises(InvalidParameterError, match=name):
                broken.select(ctx, 1)
