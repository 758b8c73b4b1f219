"""Several annotators of unknown accuracy and cost.

Labels from several annotators form an ``(n_samples, n_annotators)`` matrix,
the missing marker where an annotator has not labeled a sample. This package
aggregates them (:func:`majority_vote`, :class:`DawidSkene`), estimates each
annotator's accuracy (:func:`interval_estimation`), chooses who labels a
sample (:class:`IEThresh`, :class:`RandomAnnotators`,
:class:`BestAnnotators`, :class:`ModelBestAnnotators`) and runs active
learning over (sample, annotator) pairs with costs (:class:`MultiAnnotatorLearner`).
:class:`AnnotatorLogisticRegression` (a classifier and every annotator's
confusion matrix, learned at once) and :class:`AnnotatorEnsembleClassifier`
(one classifier per annotator) learn from the whole matrix.
"""

from ._aggregation import DawidSkene, majority_vote
from ._ensemble import AnnotatorEnsembleClassifier
from ._learner import MultiAnnotatorLearner
from ._logistic import AnnotatorLogisticRegression
from ._selection import (
    BestAnnotators,
    IEThresh,
    ModelBestAnnotators,
    RandomAnnotators,
    interval_estimation,
)

__all__ = [
    "AnnotatorEnsembleClassifier",
    "AnnotatorLogisticRegression",
    "BestAnnotators",
    "DawidSkene",
    "IEThresh",
    "ModelBestAnnotators",
    "MultiAnnotatorLearner",
    "RandomAnnotators",
    "interval_estimation",
    "majority_vote",
]
