"""Multi-label targets: a 2-d 0/1 indicator ``y``, unlabeled rows fully marked.

A multi-label target is an indicator matrix of shape (n_samples, n_labels)
with values 0 and 1. A row is unlabeled when every one of its entries is
the missing marker (``missing_label``, NaN or None); a row with some
entries marked and others not is rejected, since skal does not learn
from partial label vectors. The learner then offers its strategies the
model's signals in one layout whatever the estimator:
``proba`` is (n, n_labels) with ``P(label l = 1)``, ``decision`` is
(n, n_labels), ``predict`` the (n, n_labels) indicator.
"""

import numpy as np
from sklearn.base import is_classifier

from ..utils import missing_mask


def is_multilabel_target(learner, y):
    """Whether ``y`` is a multi-label target for ``learner`` (2-d, 2+ columns)."""
    return y.ndim == 2 and y.shape[1] > 1 and is_classifier(learner)


def entry_missing(y, marker):
    """Mask of the missing entries of a 2-d ``y``, of the same shape."""
    flat = y.reshape(-1)
    return missing_mask(flat, marker).reshape(y.shape)


def labeled_rows(y, marker):
    """Return the mask of labeled rows of a multi-label ``y``; check its values.

    Parameters
    ----------
    y : ndarray of shape (n_samples, n_labels)
        The indicator matrix, unlabeled rows marked in every column.
    marker : scalar, None or nan
        The learner's ``missing_label``.

    Returns
    -------
    labeled : ndarray of bool of shape (n_samples,)
        True where the row holds a full label vector.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.learners._multilabel import labeled_rows
    >>> labeled_rows(np.array([[1, 0], [-1, -1], [0, 0]]), -1).tolist()
    [True, False, True]
    """
    missing = entry_missing(y, marker)
    partial = missing.any(axis=1) & ~missing.all(axis=1)
    if partial.any():
        rows = np.flatnonzero(partial)
        raise ValueError(
            f"Rows {rows[:10].tolist()} of the multi-label y are partly "
            f"missing: a row is unlabeled only when every one of its "
            f"{y.shape[1]} entries is missing_label={marker!r} (or NaN/None). "
            "skal does not learn from partial label vectors; mark the whole row "
            "missing or give all its labels."
        )
    labeled = ~missing.all(axis=1)
    check_indicator(y[labeled])
    return labeled


def check_indicator(y):
    """Raise unless every entry of the labeled rows ``y`` is 0 or 1."""
    if y.size == 0:
        return
    try:
        ok = np.isin(y.astype(float), (0.0, 1.0)).all()
    except (TypeError, ValueError):
        ok = False
    if not ok:
        values = np.unique(y.astype(object).reshape(-1).astype(str))[:10]
        raise ValueError(
            "A 2-d y is a multi-label indicator: every labeled entry must be 0 "
            f"or 1, got values {values.tolist()}. Encode the label sets with "
            "sklearn.preprocessing.MultiLabelBinarizer."
        )


def check_taught(learner, y):
    """Reject ``teach`` labels that do not fit a multi-label learner."""
    n_labels = learner._n_labels
    if y.ndim != 2 or y.shape[1] != n_labels:
        raise ValueError(
            f"The learner was fitted on a multi-label y with {n_labels} labels, "
            f"so teach needs y of shape (n_samples, {n_labels}); got shape "
            f"{y.shape}."
        )
    if entry_missing(y, learner.missing_label).any():
        raise ValueError(
            f"teach got missing labels (missing_label={learner.missing_label!r}, "
            "NaN or None); every taught sample needs its full label vector."
        )
    check_indicator(y)


def _positive_column(proba, classes):
    proba = np.asarray(proba)
    classes = None if classes is None else np.asarray(classes)
    if classes is None:
        return proba[:, -1]
    hit = np.flatnonzero(classes == 1)
    if hit.size:
        return proba[:, hit[0]]
    return np.zeros(proba.shape[0])  # this label was never positive


def label_proba(model):
    """``predict_proba`` of ``model`` as (n, n_labels) probabilities of label 1.

    ``OneVsRestClassifier`` already returns that; ``MultiOutputClassifier``,
    ``KNeighborsClassifier`` and forests return one (n, n_classes) array per
    label, of which the column of class 1 is taken.
    """
    classes = getattr(model, "classes_", None)

    def proba(X):
        out = model.predict_proba(X)
        if isinstance(out, list):
            per_label = classes if isinstance(classes, list) else [None] * len(out)
            return np.column_stack(
                [_positive_column(p, c) for p, c in zip(out, per_label)]
            )
        return np.asarray(out)

    return proba


def label_decision(model):
    """``decision_function`` of ``model`` as (n, n_labels) values."""

    def decision(X):
        out = model.decision_function(X)
        if isinstance(out, list):
            return np.column_stack([np.ravel(d) for d in out])
        return np.asarray(out)

    return decision


def multilabel_signals(signals, model):
    """Replace the per-label signals of ``model`` by their (n, n_labels) form."""
    signals = dict(signals)
    if "proba" in signals:
        signals["proba"] = label_proba(model)
    if "decision" in signals:
        signals["decision"] = label_decision(model)
    for name in ("gradient_factors", "proba_samples", "member_votes"):
        signals.pop(name, None)  # single-label layouts only
    return signals
