"""Active learners: scikit-learn meta-estimators with ``query`` and ``teach``."""

from ._active import ActiveLearner
from ._base import BaseLearner
from ._bayes_opt import BayesianOptimizer
from ._bayesian import BayesianLearner
from ._committee import Committee
from ._committee_regressor import CommitteeRegressor
from ._self_training import ActiveSelfTrainingClassifier

__all__ = [
    "ActiveLearner",
    "ActiveSelfTrainingClassifier",
    "BaseLearner",
    "BayesianOptimizer",
    "BayesianLearner",
    "Committee",
    "CommitteeRegressor",
]
