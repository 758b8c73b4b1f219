"""The data files the ``skal`` command reads: CSV, npz, or the bundled digits.

:func:`load_data` turns ``--data`` / ``--target`` into arrays and
:func:`check_missing_values` refuses empty cells a model cannot take; both
raise :class:`~skal._cli_inputs.UsageError` on a bad file. CSV files are
read by :mod:`skal._cli_csv`.
"""

import os
import zipfile

import numpy as np

from ._cli_csv import read_csv_data
from ._cli_inputs import ESTIMATORS, REGRESSORS, UsageError, _estimator_type
from .utils import missing_mask


def load_data(path, target=None, *, need_labels=True):
    """Load a data set from a CSV or npz file, or scikit-learn's ``digits``.

    Parameters
    ----------
    path : str or None
        A ``.csv`` file (with ``target``); a ``.npz`` file holding arrays
        ``X`` and ``y``, or ``X_train``, ``y_train`` and optionally a test
        set ``X_test``, ``y_test``; or ``None``/``"digits"`` for
        scikit-learn's digits.
    target : str, default=None
        The label column of a CSV file.
    need_labels : bool, default=True
        Whether labels are required (``skal compare``) or optional
        (``skal label``: a missing ``y`` means all rows are unlabeled, and
        empty cells of the target column are unlabeled).

    Returns
    -------
    data : types.SimpleNamespace
        ``X`` (2-D float array), ``y`` (labels or None; unlabeled entries
        are -1, or None for text labels), ``feature_names`` (CSV columns or
        None), ``X_test`` and ``y_test`` (or None), ``image_shape`` (the
        shape of one image when the rows are images, else None),
        ``n_unlabeled`` (rows left out for an empty target, when labels are
        needed) and ``notes`` (lines to show the user).

    Examples
    --------
    >>> from skal.cli import load_data
    >>> data = load_data(None)
    >>> data.X.shape, data.y.shape, data.image_shape
    ((1797, 64), (1797,), (8, 8))
    """
    from types import SimpleNamespace

    data = SimpleNamespace(
        X=None,
        y=None,
        feature_names=None,
        X_test=None,
        y_test=None,
        image_shape=None,
        n_unlabeled=0,
        notes=[],
    )
    if path is None or path == "digits":
        from sklearn.datasets import load_digits

        data.X, data.y = load_digits(return_X_y=True)
        data.image_shape = (8, 8)
        return data
    if not os.path.isfile(path):
        raise UsageError(f"no such file: {path}")
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".npz":
        try:
            _load_npz(path, data, need_labels)
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            raise UsageError(f"cannot read {path}: {exc}") from None
        _check_lengths(path, data)
        if target is not None:
            data.notes.append(
                f"--target {target} is for a CSV file: an .npz file holds its "
                "labels in y (or y_train), not in named columns"
            )
        if need_labels:
            _check_npz_targets(path, data)
        else:
            _check_npz_marks(path, data)
        return data
    if suffix != ".csv":
        raise UsageError(f"{path}: expected a .csv or .npz file")
    read_csv_data(path, target, need_labels, data)
    return data


_MANY_VALUES = 20
# whole numbers that each label at least this many rows read as class codes
# (31 clusters of 100 rows, the 100 classes of CIFAR-100), not as a count
_CLASS_ROWS = 20


def detect_task(y, estimator, task="auto", *, target_name="the target", name=None):
    """Decide between classification and regression; say why when it matters.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The labels.
    estimator : estimator object or None
        The model the user named, or None for the default one.
    task : {"auto", "classification", "regression"}, default="auto"
        The user's ``--task``.
    target_name : str, default="the target"
        How messages call ``y``.
    name : str, default=None
        How messages call the estimator (its class name when None).

    Returns
    -------
    task : {"classification", "regression"}
        The task.
    note : str or None
        A line to show the user when the task was a guess: regression on
        numbers, or classes read from many whole numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from skal._cli_data import detect_task
    >>> detect_task(np.arange(100.0), None)[0]
    'regression'
    >>> detect_task(np.array([0, 1, 2] * 10), None)
    ('classification', None)
    >>> task, note = detect_task(np.repeat(np.arange(31.0), 100), None)
    >>> task, note.split(":")[0]
    ('classification', 'the target holds 31 whole numbers, each in at least 100 rows')
    """
    kind = None if estimator is None else _estimator_type(estimator)
    y = np.asarray(y)
    numeric = y.dtype.kind in "iuf"
    counts = np.unique(y, return_counts=True)[1] if numeric else np.zeros(0)
    n_values = counts.shape[0]
    fractional = y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0)
    codes = n_values > _MANY_VALUES and not fractional and counts.min() >= _CLASS_ROWS
    looks_continuous = numeric and (fractional or n_values > _MANY_VALUES) and not codes
    if task == "regression" or (task == "auto" and kind == "regressor"):
        if not numeric:
            raise UsageError(
                f"{target_name} holds text labels ({y[0]!r}, ...), and regression "
                "needs numbers; use a classifier (--estimator "
                f"{', '.join(ESTIMATORS)})"
            )
        if task == "regression" or looks_continuous:
            return "regression", None
        return "regression", (
            f"{name or type(estimator).__name__} is a regressor, so {target_name} "
            f"({n_values} distinct values) is treated as regression (score r2)"
        )
    if task == "classification":
        return "classification", None
    if codes:
        return "classification", (
            f"{target_name} holds {n_values} whole numbers, each in at least "
            f"{counts.min()} rows: treated as classes; pass --task regression "
            "to treat them as numbers"
        )
    if not looks_continuous:
        return "classification", None
    what = f"{target_name} is numeric with {n_values} distinct values"
    if kind == "classifier":
        raise UsageError(
            f"{what}, which looks like regression, but "
            f"{name or type(estimator).__name__} is a classifier; use a regressor "
            f"(--estimator {', '.join(REGRESSORS)}) or pass --task classification "
            "to treat the values as classes"
        )
    return "regression", (
        f"{what}: treated as regression (score r2); pass --task classification "
        "to treat the values as classes"
    )


def _check_lengths(path, data):
    for X, y, what in ((data.X, data.y, ""), (data.X_test, data.y_test, "_test")):
        if X is not None and y is not None and X.shape[0] != len(y):
            raise UsageError(
                f"{path}: X{what} has {X.shape[0]} rows but y{what} has {len(y)} labels"
            )


def _check_npz_targets(path, data):
    """One label per row; rows of ``y`` with NaN are left out (as empty cells)."""
    for y, name in ((data.y, "y"), (data.y_test, "y_test")):
        if y is None:
            continue
        if y.ndim != 1:
            raise UsageError(
                f"{path}: {name} has shape {y.shape}; skal compare reads one "
                "label per row (a 1-d array)"
            )
        if y.dtype.kind in "fc" and np.isinf(y).any():
            raise UsageError(
                f"{path}: {name} holds {int(np.isinf(y).sum())} infinite values; "
                "every label must be a class or a finite number"
            )
    if data.y_test is not None and data.y_test.dtype.kind == "f":
        if np.isnan(data.y_test).any():
            raise UsageError(
                f"{path}: y_test has {int(np.isnan(data.y_test).sum())} missing "
                "labels (NaN); a test set needs every label"
            )
    if data.y.dtype.kind == "f" and np.isnan(data.y).any():
        keep = ~np.isnan(data.y)
        data.n_unlabeled = int((~keep).sum())
        data.X, data.y = data.X[keep], data.y[keep]


def _check_npz_marks(path, data):
    """For ``skal label``: NaN in ``y`` marks unlabeled rows too; -1 as a class."""
    y = data.y
    if y is None or y.dtype.kind not in "iuf" or y.ndim != 1:
        return
    nan = np.isnan(y) if y.dtype.kind == "f" else np.zeros(y.shape, dtype=bool)
    minus = y == -1
    if nan.any() and minus.any():
        raise UsageError(
            f"{path}: y marks unlabeled rows with NaN but also holds the label -1, "
            "which skal label reads as unlabeled too: recode the labels (e.g. "
            "-1 -> 0)"
        )
    if nan.any():
        whole = np.all(np.mod(y[~nan], 1) == 0)
        data.y = np.where(nan, -1, y).astype(int if whole else float)
    elif minus.any() and set(np.unique(y).tolist()) == {-1, 1}:
        data.notes.append(
            f"y holds only -1 and +1: its {int(minus.sum())} rows of -1 are "
            "unlabeled (skal label's mark); if -1 is a class, recode it (e.g. "
            "-1 -> 0) and mark the unlabeled rows with NaN"
        )


def _load_npz(path, data, need_labels):
    """Read ``X``, ``y`` (and a test set) from an ``.npz`` file into ``data``."""
    with np.load(path, allow_pickle=False) as arrays:
        keys = set(arrays.files)
        prefix = "" if "X" in keys else "_train" if "X_train" in keys else None
        if prefix is None or (need_labels and f"y{prefix}" not in keys):
            raise UsageError(
                f"{path} must hold arrays named X and y (or X_train and "
                f"y_train); it has {', '.join(sorted(keys)) or 'none'}"
            )
        X = np.asarray(arrays[f"X{prefix}"], dtype=float)
        if f"y{prefix}" in keys:
            data.y = np.asarray(arrays[f"y{prefix}"])
        if prefix and {"X_test", "y_test"} <= keys:
            X_test = np.asarray(arrays["X_test"], dtype=float)
            data.X_test = X_test.reshape(X_test.shape[0], -1)
            data.y_test = np.asarray(arrays["y_test"])
    if X.ndim in (3, 4):
        data.image_shape = X.shape[1:]
    data.X = X.reshape(X.shape[0], -1)


def check_missing_values(data, estimators, source):
    """Refuse empty or infinite feature cells unless every estimator takes NaN.

    Parameters
    ----------
    data : types.SimpleNamespace
        What :func:`load_data` returned.
    estimators : list of (str, bool)
        The models by name, with whether each accepts missing values.
    source : str
        The data's name in the message.

    Raises
    ------
    UsageError
        Naming the columns with such cells and what to do.
    """
    parts = [data.X] + ([] if data.X_test is None else [data.X_test])
    bad = np.vstack([~np.isfinite(np.asarray(p, dtype=float)) for p in parts])
    if not bad.any():
        return
    refusing = [name for name, allow_nan in estimators if not allow_nan]
    if not refusing:
        return
    names = data.feature_names or [f"column {j}" for j in range(bad.shape[1])]
    counts = bad.sum(axis=0)
    worst = [f"{names[j]!r}: {counts[j]}" for j in np.flatnonzero(counts)[:5]]
    more = ", ..." if np.count_nonzero(counts) > 5 else ""
    raise UsageError(
        f"{source} has empty or infinite feature values in "
        f"{int(bad.any(axis=1).sum())} rows ({', '.join(worst)}{more}), and "
        f"{refusing[0]} does not accept missing values: fill them in first, or "
        "pass --estimator hgb (hgb-reg for regression), gradient boosting, "
        "which learns from empty cells"
    )


def free_marker(learner, *targets):
    """Give ``learner`` a ``missing_label`` that no label of ``targets`` equals.

    ``skal compare`` knows every label of its file (empty target cells are
    left out), so a class equal to the learner's marker, such as the -1 of
    ``{-1, +1}`` data, is a class: the learner marks with NaN (or None for
    text labels) instead, and the simulation neither refuses the -1 rows as
    unlabeled nor skips them in the test score.

    Parameters
    ----------
    learner : BaseLearner
        A learner the command built; changed in place.
    *targets : array-like or None
        Every label of the run (train and test).

    Returns
    -------
    learner : BaseLearner
        The same learner.
    """
    marker = learner.get_params(deep=False).get("missing_label")
    if marker is None or (isinstance(marker, float) and np.isnan(marker)):
        return learner
    for y in targets:
        if y is None:
            continue
        y = np.asarray(y).reshape(-1)
        if (missing_mask(y, marker) & ~missing_mask(y, None)).any():
            numeric = y.dtype.kind in "iufb"
            return learner.set_params(missing_label=np.nan if numeric else None)
    return learner
