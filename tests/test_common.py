"""scikit-learn's estimator checks and the clone/params contract over every class."""

import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from skal import (
    ActiveLearner,
    ActiveSelfTrainingClassifier,
    BayesianLearner,
    Committee,
    CommitteeRegressor,
)
from skal.strategies import (
    BADGE,
    BALD,
    BatchBALD,
    CoreSet,
    DensityWeighted,
    DiverseMiniBatch,
    ExpectedErrorReduction,
    ExpectedGradientLength,
    FunctionStrategy,
    Hybrid,
    KMeansSampling,
    MaxEntropy,
    MeanSTD,
    RandomSampling,
    RankedBatch,
    StochasticBALD,
    SuggestiveAnnotation,
    TypiClust,
    UncertaintySampling,
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
]


def _expected_failed_checks(estimator):
    # scikit-learn exempts only its own semi-supervised classes from the
    # {-1, 1} label check; skal uses -1 for "unlabeled" exactly as
    # SelfTrainingClassifier does, so a -1 class cannot be learned by default.
    return {"check_classifiers_classes": "-1 marks unlabeled samples in y"}


@parametrize_with_checks(LEARNERS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("obj", LEARNERS + STRATEGIES, ids=repr)
def test_clone_and_params_round_trip(obj):
    params = obj.get_params(deep=False)
    copy = clone(obj)
    assert copy is not obj
    assert copy.get_params(deep=False).keys() == params.keys()
    copy.set_params(**params)
    assert repr(copy) == repr(obj)
