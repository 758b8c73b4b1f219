"""Checks of the arguments a learner gets: integers, targets, labeled rows."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ..utils import missing_mask


def check_int(value, name, min_val):
    """Return ``value`` as an int at least ``min_val``, or raise a clear error."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an int, got {value!r}.")
    if value < min_val:
        raise ValueError(f"{name} must be >= {min_val}, got {value}.")
    return int(value)


def check_target(learner, y, n_rows):
    """Return ``y`` as a 1-d array of ``n_rows`` labels, or raise a clear error."""
    if y is None:
        raise ValueError(
            f"{type(learner).__name__} requires y to be passed, but the target y "
            "is None."
        )
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    if y.ndim != 1:
        raise ValueError(f"y should be a 1d array, got an array of shape {y.shape}.")
    if y.shape[0] != n_rows:
        raise ValueError(
            f"X has {n_rows} rows but y has {y.shape[0]} labels; they must match."
        )
    return y


def labeled_rows(learner, y):
    """Return the mask of labeled rows of ``y``; reject targets skal would misread."""
    labeled = ~missing_mask(y, learner.missing_label)
    if not labeled.any():
        raise ValueError(
            "y has no labeled rows: every entry equals missing_label="
            f"{learner.missing_label!r} (or is NaN/None). Label at least a few "
            "rows, or pass budget=... to simulate acquisition with y as the "
            "oracle."
        )
    if is_classifier(learner):
        check_classification_targets(y[labeled])
        values = set(np.unique(y[labeled]).tolist())
        if learner.missing_label == -1 and values == {1} and (~labeled).any():
            raise ValueError(
                "y holds only the values -1 and 1. skal reads -1 as 'unlabeled' "
                "(missing_label=-1), which would leave the single class 1. If -1 "
                "is a class, encode the labels as {0, 1} or set missing_label to a "
                "value that does not occur, e.g. missing_label=None."
            )
    elif learner.missing_label == -1 and y.dtype.kind in "iuf" and (~labeled).any():
        n_minus = int(np.sum(y == -1))
        if n_minus:
            warnings.warn(
                f"{n_minus} targets equal -1 and are read as unlabeled "
                "(missing_label=-1). For regression, mark unlabeled rows with "
                "NaN and set missing_label=np.nan.",
                UserWarning,
                stacklevel=4,
            )
    return labeled


def check_semi_supervised(learner, y_labeled):
    """Reject what ``semi_supervised=True`` cannot honour, before any fit."""
    if not is_classifier(learner):
        raise ValueError(
            "semi_supervised=True needs a classifier: scikit-learn's "
            "semi-supervised estimators (LabelSpreading, LabelPropagation, "
            "SelfTrainingClassifier) are classifiers."
        )
    if learner.warm_start:
        raise ValueError(
            "semi_supervised=True refits on every row each round; it cannot be "
            "combined with warm_start=True."
        )
    if y_labeled.dtype.kind not in "iu" and not (
        y_labeled.dtype.kind == "f" and np.all(np.mod(y_labeled, 1) == 0)
    ):
        raise ValueError(
            "semi_supervised=True needs integer class labels: the estimator sees "
            "unlabeled rows marked -1, scikit-learn's convention. Encode the "
            f"labels first (e.g. with LabelEncoder); got dtype {y_labeled.dtype}."
        )
    if np.any(y_labeled == -1):
        raise ValueError(
            "semi_supervised=True marks unlabeled rows -1 for the estimator, so "
            "-1 cannot also be a class label. Encode the labels first (e.g. with "
            "LabelEncoder)."
        )
