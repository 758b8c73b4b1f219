"""Active learners: scikit-learn meta-estimators with ``query`` and ``teach``."""

from ._active import ActiveLearner
from ._base import BaseLearner
from ._committee import Committee
from ._committee_regressor import CommitteeRegressor

__all__ = ["ActiveLearner", "BaseLearner", "Committee", "CommitteeRegressor"]
