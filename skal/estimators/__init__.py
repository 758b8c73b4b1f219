"""Estimators of active learning's literature that scikit-learn lacks.

A lower layer: nothing here imports :mod:`skal.learners`,
:mod:`skal.strategies` or :mod:`skal.loop`; the estimators are plain
scikit-learn estimators that any learner can wrap.
"""

from ._kernel_params import mean_gamma
from ._mixture import MixtureModelClassifier
from ._nic import NadarayaWatsonRegressor, NICKernelRegressor
from ._parzen import ParzenWindowClassifier

__all__ = [
    "MixtureModelClassifier",
    "NICKernelRegressor",
    "NadarayaWatsonRegressor",
    "ParzenWindowClassifier",
    "mean_gamma",
]
