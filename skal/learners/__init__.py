"""Active learners: scikit-learn meta-estimators with ``query`` and ``teach``."""

from ._active import ActiveLearner
from ._base import BaseLearner
from ._bayesian import BayesianLearner

__all__ = ["ActiveLearner", "BaseLearner", "BayesianLearner"]
