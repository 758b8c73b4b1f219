"""The annotator label matrix: checks and encoding shared by the family."""

import warnings
from numbers import Real

import numpy as np

from ..utils import missing_mask, num_rows
from ..utils._labels import (
    as_label_array,
    check_aligned,
    check_given_classes,
    check_label_types,
    masked_score_method,
)


def check_annotator_labels(Y, missing_label=-1, *, name="Y", X=None):
    """Return ``(Y, labeled)``: the 2-D label matrix and its labeled mask.

    Parameters
    ----------
    Y : array-like of shape (n_samples, n_annotators)
        ``Y[i, j]`` is annotator ``j``'s label of sample ``i``, or the
        missing marker where ``j`` has not labeled ``i``.
    missing_label : scalar, str, None or nan, default=-1
        The missing marker; NaN and None are always missing.
    name : str, default="Y"
        Name used in error messages.
    X : array-like or DataFrame, default=None
        The samples, when ``Y`` must have one row per sample, in their order.

    Returns
    -------
    Y : ndarray of shape (n_samples, n_annotators)
    labeled : ndarray of bool of shape (n_samples, n_annotators)
    """
    if X is not None:
        check_aligned(X, Y, name=name)
    if hasattr(Y, "iloc") and getattr(Y, "ndim", 0) == 2 and Y.shape[1]:
        # a DataFrame of nullable columns: pd.NA failed in every comparison
        Y = np.column_stack([as_label_array(Y.iloc[:, j]) for j in range(Y.shape[1])])
    try:
        Y = np.asarray(Y)
    except ValueError:  # NumPy's "inhomogeneous shape"
        raise ValueError(
            f"{name} must be a matrix of shape (n_samples, n_annotators), but its "
            "rows have different lengths; mark a missing label with "
            f"{missing_label!r} instead of leaving it out."
        ) from None
    if X is not None and Y.ndim and Y.shape[0] != num_rows(X):
        raise ValueError(
            f"X has {num_rows(X)} rows but {name} has {Y.shape[0]}; {name} needs "
            "one row per sample."
        )
    if Y.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (n_samples, n_annotators), one "
            f"column per annotator with {missing_label!r} where an annotator has "
            f"not labeled a sample; got an array of shape {Y.shape}. For a single "
            "annotator pass y.reshape(-1, 1)."
        )
    if Y.shape[1] == 0:
        raise ValueError(f"{name} has no annotator column (shape {Y.shape}).")
    if Y.dtype.kind == "f" and np.isinf(Y).any():
        raise ValueError(f"{name} contains inf; labels must be finite classes.")
    missing = missing_mask(Y.ravel(), missing_label).reshape(Y.shape)
    check_label_types(Y[~missing], name=name)
    return Y, ~missing


def _check_classes(classes, values, missing_label):
    """The given classes, once each, in their order; checked against the labels."""
    given = check_given_classes(classes, values, missing_label)
    first = {}
    for i, v in enumerate(given.tolist()):
        first.setdefault(v, i)
    return np.asarray(classes)[sorted(first.values())]  # [0, 0, 1]: 2 classes


def encode_labels(Y, labeled, classes=None, missing_label=-1):
    """Return ``(codes, classes)``: class positions, -1 where unlabeled.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_annotators)
    labeled : ndarray of bool of shape (n_samples, n_annotators)
    classes : array-like, default=None
        The classes; the sorted labels present in ``Y`` when None.
    missing_label : scalar, str, None or nan, default=-1
        The marker, which ``classes`` may not hold.

    Returns
    -------
    codes : ndarray of int of shape (n_samples, n_annotators)
    classes : ndarray of shape (n_classes,)
    """
    values = Y[labeled]
    if classes is None:
        classes = np.unique(values)
    else:
        classes = _check_classes(classes, values, missing_label)
        unknown = np.setdiff1d(np.unique(values), classes)
        if unknown.size:
            raise ValueError(
                f"Y holds labels {unknown[:5].tolist()} that are not in classes "
                f"{classes.tolist()}."
            )
    codes = np.full(Y.shape, -1, dtype=np.intp)
    if values.size:
        order = np.argsort(classes, kind="stable")
        codes[labeled] = order[np.searchsorted(classes, values, sorter=order)]
    return codes, classes


def vote_counts(codes, n_classes, weights=None):
    """Return the (weighted) number of votes of each class per sample.

    Parameters
    ----------
    codes : ndarray of int of shape (n_samples, n_annotators)
        Class positions, -1 where unlabeled.
    n_classes : int
    weights : ndarray of shape (n_annotators,) or (n_samples, n_annotators)
        Weight of each vote; 1 when None.

    Returns
    -------
    counts : ndarray of shape (n_samples, n_classes)
    """
    n, m = codes.shape
    w = np.ones((n, m)) if weights is None else np.broadcast_to(weights, (n, m))
    counts = np.zeros((n, n_classes))
    rows, cols = np.nonzero(codes >= 0)
    np.add.at(counts, (rows, codes[rows, cols]), w[rows, cols])
    return counts


def check_taught_pairs(idx, annotator, label, shape, missing_label):
    """Validate ``teach(idx, annotator, label)``; return them as 1-D arrays.

    Parameters
    ----------
    idx, annotator : array-like of int of shape (n_labels,)
        Sample positions and annotator indices.
    label : array-like of shape (n_labels,)
        The labels given.
    shape : tuple of int
        ``(n_samples, n_annotators)`` of the label matrix.
    missing_label : scalar, str, None or nan
        The missing marker, which a given label may not be.

    Returns
    -------
    idx, annotator, label : ndarray of shape (n_labels,)
    """
    idx, annotator = np.atleast_1d(idx), np.atleast_1d(annotator)
    label = np.atleast_1d(np.asarray(label))
    n = idx.shape[0]
    if n == 0:
        raise ValueError("teach got no labels.")
    for name, arr in (("idx", idx), ("annotator", annotator)):
        if arr.ndim != 1 or arr.dtype.kind not in "iu":
            raise ValueError(f"{name} must be a 1-D array of integers.")
    if annotator.shape[0] != n or label.shape != (n,):
        raise ValueError(
            f"idx, annotator and label must have the same length; got "
            f"{n}, {annotator.shape[0]} and {label.shape}."
        )
    n_samples, n_annotators = shape
    if idx.min() < 0 or idx.max() >= n_samples:
        raise ValueError(
            f"idx must be positions in X_ (0 to {n_samples - 1}); got "
            f"{idx.min()} to {idx.max()}."
        )
    if annotator.min() < 0 or annotator.max() >= n_annotators:
        raise ValueError(
            f"annotator must be in 0..{n_annotators - 1} (there are "
            f"{n_annotators} annotators); got {annotator.min()} to "
            f"{annotator.max()}."
        )
    _, given = check_annotator_labels(label.reshape(-1, 1), missing_label)
    if not given.all():
        raise ValueError(
            f"label holds missing values (NaN, None or {missing_label!r}) at "
            f"positions {np.flatnonzero(~given[:, 0])[:10].tolist()}; teach only "
            "labels that were given."
        )
    if len(set(zip(idx.tolist(), annotator.tolist()))) != n:
        raise ValueError("teach got the same (sample, annotator) pair twice.")
    return idx, annotator, label


def check_relabel(Y, labeled, idx, annotator, label):
    """Raise if a taught pair already holds a different label of that annotator;
    return the mask of the pairs that are new.

    The annotator's first answer was silently replaced; ``ActiveLearner.teach``
    raises on the same change (its ``relabel="raise"``). A pair taught again
    with the label it holds adds nothing and costs nothing, with a warning
    (``ActiveLearner.teach`` warns the same).
    """
    old = Y[idx, annotator]
    changed = labeled[idx, annotator] & (old != label)
    if changed.any():
        where = np.flatnonzero(changed)[:10]
        pairs = np.column_stack([idx[where], annotator[where]]).tolist()
        raise ValueError(
            f"teach relabels (sample, annotator) pairs {pairs} that already hold "
            f"another label ({old[where].tolist()} -> {label[where].tolist()}). "
            "To correct an annotator's label, change Y and fit again."
        )
    new = ~labeled[idx, annotator]
    if not new.all():
        warnings.warn(
            f"teach got {int((~new).sum())} (sample, annotator) pairs that already "
            "hold these labels: they add nothing, and their cost is not counted "
            "again.",
            UserWarning,
            stacklevel=3,
        )
    return new


def check_costs(costs, n_annotators):
    """Return the annotators' costs (ones when None), finite and positive."""
    if costs is None:
        return np.ones(n_annotators)
    costs = np.asarray(costs)
    if costs.dtype.kind not in "iuf":
        raise ValueError(
            "annotator_costs must be numbers, one cost per annotator; got "
            f"{costs.ravel()[:5].tolist()}."
        )
    costs = costs.astype(float)
    if costs.shape != (n_annotators,):
        raise ValueError(
            f"annotator_costs must hold one cost per annotator "
            f"({n_annotators}), got shape {costs.shape}."
        )
    if not np.all(np.isfinite(costs)) or np.any(costs <= 0):
        raise ValueError("annotator_costs must be finite and positive.")
    return costs


def check_max_cost(max_cost):
    """Raise unless ``max_cost`` is None or a positive, finite number (no bool)."""
    if max_cost is not None and not (
        isinstance(max_cost, Real)
        and not isinstance(max_cost, (bool, np.bool_))
        and np.isfinite(max_cost)
        and max_cost > 0
    ):
        raise ValueError(f"max_cost must be a positive number, got {max_cost!r}.")


def _score_inputs(learner, X, y):
    learner._model()
    check_aligned(X, y)
    y = as_label_array(y)
    if y.ndim != 1 or y.shape[0] != num_rows(X):
        raise ValueError(
            f"score needs one label per row of X ({num_rows(X)}); got y of shape "
            f"{y.shape}."
        )
    return X, y


masked_score = masked_score_method(_score_inputs)


def all_classes(labels, classes=None):
    """The sorted classes: ``classes`` when given (checked), else ``labels``'."""
    if classes is None:
        return np.unique(labels) if labels.size else np.array([])
    classes = np.unique(np.asarray(classes))
    unknown = np.setdiff1d(np.unique(labels), classes) if labels.size else []
    if len(unknown):
        raise ValueError(
            f"Labels {np.asarray(unknown).tolist()} are not among classes="
            f"{classes.tolist()}; add them to classes or leave classes=None."
        )
    return classes


def history_entry(round_, labeled, pairs, cost, query_seconds, fit_seconds):
    """One entry of ``MultiAnnotatorLearner.history_``."""
    return {
        "round": round_,
        "n_labels": int(labeled.sum()),
        "pairs": pairs,
        "cost": cost,
        "query_seconds": query_seconds,
        "fit_seconds": fit_seconds,
    }
