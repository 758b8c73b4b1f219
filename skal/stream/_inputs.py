"""What a stream learner accepts: samples, labels with their missing marker, classes.

Module-level checks used by :class:`~skal.stream.StreamActiveLearner`: one
sample arrives as a 1-D array, labels are of one kind, the classes are fixed
at ``fit`` (given, or read from the first labels) and never hold the marker.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d, validate_data

from ..utils import missing_mask
from ..utils._labels import (
    check_aligned,
    check_given_classes,
    check_label_types,
    masked_score_method,
    model_labels,
)


def labeled_mask(y, missing_label):
    """Return which entries of ``y`` are labels (not NaN, None or the marker).

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Labels with unlabeled entries marked.
    missing_label : scalar, str, None or nan
        The marker.

    Returns
    -------
    labeled : ndarray of bool of shape (n_samples,)
        True where ``y`` holds a label; the labels are checked to be
        classification targets of one kind.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.stream._inputs import labeled_mask
    >>> labeled_mask(np.array([0.0, -1.0, np.nan, 1.0]), -1).tolist()
    [True, False, False, True]
    """
    labeled = ~missing_mask(y, missing_label)
    check_label_types(y[labeled])
    if labeled.any():
        check_classification_targets(model_labels(y[labeled]))
    return labeled


def check_known(labels, classes):
    """Raise unless every label is one of ``classes``."""
    unknown = np.setdiff1d(labels, classes)
    if unknown.size:
        raise ValueError(
            f"Labels {unknown.tolist()} are not among the classes "
            f"{np.unique(classes).tolist()}: pass classes=[...] with all of them."
        )


def _class_set(classes):
    return set(np.asarray(classes, dtype=object).ravel().tolist())


def agreed_classes(param, given, fitted=None):
    """Return the classes of ``partial_fit``: ``given`` must agree with the rest.

    ``given`` (``partial_fit``'s ``classes``) must equal the ``classes``
    parameter, and on a later call the ``classes_`` of the first; scikit-learn's
    ``partial_fit`` raises on the same mismatch.
    """
    if given is None:
        return param
    for other, what in ((param, "the classes parameter"), (fitted, "classes_")):
        if other is not None and _class_set(given) != _class_set(other):
            raise ValueError(
                f"partial_fit got classes={np.asarray(given).tolist()}, but "
                f"{what} is {np.asarray(other).tolist()}: the classes of a "
                "stream are fixed at its start; pass the same classes, or none."
            )
    return given


def stream_classes(classes, labels, missing_label):
    """Return the sorted classes of a stream: ``classes``, or the first labels.

    Parameters
    ----------
    classes : array-like or None
        The classes the user gave.
    labels : ndarray
        The labels seen at ``fit``.
    missing_label : scalar, str, None or nan
        The marker, which cannot be a class.

    Returns
    -------
    classes_ : ndarray
        At least two classes.
    """
    if classes is not None:
        classes = check_given_classes(classes, labels, missing_label)
        classes = np.asarray(classes.tolist())
        labeled_mask(classes, missing_label)  # classification targets
        check_known(labels, classes)
        classes = np.unique(classes)
    elif labels.size:
        classes = np.unique(labels)
    else:
        raise ValueError(
            "fit saw no labeled sample, so the classes are unknown: pass "
            "classes=[...] to StreamActiveLearner for a cold start."
        )
    if classes.size < 2:
        raise ValueError(
            f"Need at least two classes, got one class {classes.tolist()}: pass "
            "classes=[...] with every class the stream can bring."
        )
    return classes


def _one_row(X):
    """A single sample given as a 1-D array becomes one row."""
    if not sp.issparse(X) and np.ndim(X) == 1:
        return np.reshape(X, (1, -1))
    return X


def check_stream_X(learner, X, *, one_sample=False):
    """Validate samples against the fitted feature count (float, finite)."""
    if one_sample:  # query, update and teach take one sample as a 1-D array
        X = _one_row(X)
    return validate_data(learner, X, reset=False, dtype=float)


def check_stream_Xy(learner, X, y, *, reset=False):
    """Validate samples and their labels (``y`` is required, one per row)."""
    if y is None:
        raise ValueError(
            "StreamActiveLearner requires y to be passed, but the target y is "
            "None: pass the labels, missing_label for unlabeled rows."
        )
    check_aligned(X, y)
    if not reset:
        X = _one_row(X)
    X = validate_data(learner, X, reset=reset, dtype=float, ensure_min_samples=0)
    y = column_or_1d(y, warn=True)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} samples but y has {y.shape[0]}.")
    return X, y


def _score_inputs(learner, X, y):
    learner._check_model()
    return check_stream_Xy(learner, X, y)


masked_score = masked_score_method(_score_inputs)
