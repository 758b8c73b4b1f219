"""Writing the labels of a session out as a data file (CSV or npz) that loads back."""

import os

import numpy as np

from ..utils import missing_mask, num_rows
from ..utils._validation import check_missing_label
from ._answers import label_kind


def _labels_column(y, labeled, kind):
    """The labels as a column with holes: ints with -1, floats with NaN, or text."""
    if kind == "int":
        col = np.full(y.shape[0], -1, dtype=np.int64)
        col[labeled] = [int(v) for v in y[labeled]]
    elif kind == "float":
        col = np.full(y.shape[0], np.nan)
        col[labeled] = [float(v) for v in y[labeled]]
    else:
        col = np.full(y.shape[0], "", dtype=object)
        col[labeled] = [str(v) for v in y[labeled]]
    return col


def _check_export(X, y, frame, feature_names, target):
    """Refuse labels that do not match the rows, and a feature named ``target``."""
    for what, n in (
        ("X", num_rows(X)),
        ("frame", None if frame is None else len(frame)),
    ):
        if n is not None and (y.ndim != 1 or y.shape[0] != n):
            raise ValueError(
                f"y must hold one label per row of {what} ({n} rows); got shape "
                f"{y.shape}."
            )
    if frame is None and feature_names is not None:
        n_features = np.shape(X)[1] if np.ndim(X) == 2 else None
        if len(feature_names) != n_features:
            raise ValueError(
                f"feature_names has {len(feature_names)} names for the "
                f"{n_features} features of X."
            )
        if target in feature_names:
            raise ValueError(
                f"A feature is named {target!r}, the label column (target), whose "
                "labels would overwrite it: pass another target."
            )


def export_labels(
    path,
    X,
    y,
    *,
    missing_label=-1,
    feature_names=None,
    frame=None,
    target="label",
    image_shape=None,
):
    """Write every row with its label (unlabeled rows left empty) to CSV or npz.

    The file loads back as a data set: ``skal label --data FILE --target
    TARGET`` (CSV) or ``--data FILE`` (npz) starts with every label already
    given, and ``skal compare`` accepts the labeled rows.

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` file (a column ``target`` holds the labels, empty for
        unlabeled rows) or a ``.npz`` file (arrays ``X`` and ``y``; ``y``
        is -1 for unlabeled rows of integer labels, NaN for other numbers,
        ``""`` for text labels).
    X : array-like of shape (n_samples, n_features)
        The samples.
    y : array-like of shape (n_samples,)
        Their labels, unlabeled rows marked with ``missing_label``.
    missing_label : scalar, str, None or nan, default=-1
        The marker of unlabeled rows in ``y``.
    feature_names : list of str, default=None
        CSV column names of the features; ``x0, x1, ...`` when None.
    frame : pandas.DataFrame, default=None
        The original table (e.g. the CSV that was labeled): written as it
        is, with ``target`` set to the labels, instead of ``X``.
    target : str, default="label"
        The label column of a CSV file.
    image_shape : tuple of int, default=None
        Shape of one image: ``X`` is saved in the npz as ``(n, *shape)``.

    Returns
    -------
    n_labeled : int
        Rows written with a label.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skal.loop import export_labels
    >>> path = os.path.join(tempfile.mkdtemp(), "labeled.npz")
    >>> export_labels(path, np.eye(3), np.array([2, -1, 0]))
    2
    >>> np.load(path)["y"].tolist()
    [2, -1, 0]
    """
    path = os.fspath(path)
    y = np.asarray(y)
    check_missing_label(missing_label, "export_labels")  # True: the 1s unlabeled
    _check_export(X, y, frame, feature_names, target)
    labeled = ~missing_mask(y, missing_label)
    kind = label_kind(y[labeled]) or "int"
    column = _labels_column(y, labeled, kind)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in (".csv", ".npz"):
        raise ValueError(f"Cannot export to {path!r}: use a .csv or .npz file name.")
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    if suffix == ".npz" and kind == "int" and np.any(column[labeled] == -1):
        raise ValueError(  # they would load back as unlabeled rows
            f"{int(np.sum(column[labeled] == -1))} rows are labeled -1, the mark of "
            "an unlabeled row in an .npz file; recode the class (e.g. -1 -> 0) or "
            "export to .csv (empty cells)."
        )
    if suffix == ".npz":
        X = np.asarray(X.toarray() if hasattr(X, "toarray") else X)
        if image_shape is not None:
            X = X.reshape((X.shape[0], *image_shape))
        y_out = column.astype(str) if kind == "str" else column
        np.savez(path, X=X, y=y_out)
        return int(labeled.sum())
    import pandas as pd

    if frame is None:
        X = np.asarray(X.toarray() if hasattr(X, "toarray") else X)
        names = feature_names or [f"x{j}" for j in range(X.shape[1])]
        frame = pd.DataFrame(X, columns=list(names))
    frame = frame.copy()
    if kind == "int":
        values = pd.array(np.where(labeled, column, 0), dtype="Int64")
        values[~labeled] = pd.NA
    else:
        values = pd.Series(column).where(labeled, None)
    frame[target] = values
    frame.to_csv(path, index=False)
    return int(labeled.sum())
