"""What the ``skal`` command reads: an estimator by name, a data set from a file.

:func:`make_estimator` and :func:`load_data` turn command-line strings into a
model and arrays; both raise :class:`UsageError` on a bad argument. All three
are importable from :mod:`skal.cli`.
"""

import importlib
import os
import zipfile
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils._param_validation import Interval


class UsageError(Exception):
    """A bad command-line argument: reported in one line, exit status 2."""


class CalibratedLinearSVC(ClassifierMixin, BaseEstimator):
    """A linear SVM with Platt-calibrated probabilities that fits on tiny label sets.

    ``CalibratedClassifierCV(LinearSVC())`` needs several samples of every
    class for its cross-validation, which the first rounds of active
    learning do not have. This uses ``cv=min(3, smallest class count)`` and,
    with a single sample of some class, calibrates on the training data.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularization strength of the SVM.
    random_state : int or None, default=None
        Seeds the SVM solver.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skal.cli import CalibratedLinearSVC
    >>> X, y = load_iris(return_X_y=True)
    >>> model = CalibratedLinearSVC().fit(X[[0, 50, 100]], y[[0, 50, 100]])
    >>> model.predict_proba(X[:2]).shape
    (2, 3)
    """

    _parameter_constraints = {
        "C": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(self, C=1.0, random_state=None):
        self.C = C
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the SVM and its calibration.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training samples.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : object
            The fitted model.
        """
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.frozen import FrozenEstimator
        from sklearn.svm import LinearSVC

        self._validate_params()
        svc = LinearSVC(C=self.C, random_state=self.random_state)
        smallest = np.unique(y, return_counts=True)[1].min()
        if smallest >= 2:
            model = CalibratedClassifierCV(svc, cv=int(min(3, smallest)))
        else:
            everything = np.arange(len(y))  # one "split": calibrate on the fit data
            model = CalibratedClassifierCV(
                FrozenEstimator(svc.fit(X, y)), cv=[(everything, everything)]
            )
        self.model_ = model.fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        """Return calibrated class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities.
        """
        return self.model_.predict_proba(X)

    def predict(self, X):
        """Return the most probable class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        return self.model_.predict(X)


def _registry():
    from sklearn.ensemble import (
        HistGradientBoostingClassifier,
        HistGradientBoostingRegressor,
        RandomForestClassifier,
        RandomForestRegressor,
    )
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
    from sklearn.linear_model import BayesianRidge, LogisticRegression, Ridge
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def gp():
        kernel = ConstantKernel() * RBF() + WhiteKernel()
        return make_pipeline(
            StandardScaler(),
            GaussianProcessRegressor(kernel, normalize_y=True, random_state=0),
        )

    return {
        "logreg": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=1000)
        ),
        "rf": lambda: RandomForestClassifier(n_estimators=100, random_state=0),
        "svm": lambda: make_pipeline(StandardScaler(), CalibratedLinearSVC()),
        "knn": lambda: KNeighborsClassifier(n_neighbors=3),
        "mlp": lambda: make_pipeline(
            StandardScaler(),
            MLPClassifier(hidden_layer_sizes=(64,), max_iter=300, random_state=0),
        ),
        "hgb": lambda: HistGradientBoostingClassifier(random_state=0),
        "ridge": lambda: make_pipeline(StandardScaler(), Ridge()),
        "bayes-ridge": lambda: make_pipeline(StandardScaler(), BayesianRidge()),
        "gp": gp,
        "rf-reg": lambda: RandomForestRegressor(n_estimators=100, random_state=0),
        "hgb-reg": lambda: HistGradientBoostingRegressor(random_state=0),
    }


#: The classifiers known by name.
ESTIMATORS = ("logreg", "rf", "svm", "knn", "mlp", "hgb")
#: The regressors known by name (``skal compare`` on a numeric target).
REGRESSORS = ("ridge", "bayes-ridge", "gp", "rf-reg", "hgb-reg")


def make_estimator(spec):
    """Return an estimator from a registry name or a ``module:Class`` path.

    Parameters
    ----------
    spec : str
        A classifier: ``logreg``, ``rf``, ``svm`` (calibrated linear SVM),
        ``knn``, ``mlp``, ``hgb`` (histogram gradient boosting, which takes
        missing values); a regressor: ``ridge``, ``bayes-ridge``, ``gp``
        (Gaussian process), ``rf-reg`` (random forest), ``hgb-reg``; or an
        import path such as ``sklearn.naive_bayes:GaussianNB`` (the class is
        built with its default parameters).

    Returns
    -------
    estimator : estimator object
        A new, unfitted estimator.

    Examples
    --------
    >>> from skal.cli import make_estimator
    >>> make_estimator("sklearn.naive_bayes:GaussianNB")
    GaussianNB()
    >>> type(make_estimator("gp")[-1]).__name__
    'GaussianProcessRegressor'
    """
    registry = _registry()
    if spec in registry:
        return registry[spec]()
    if ":" not in spec:
        raise UsageError(
            f"unknown estimator {spec!r}; use a classifier ({', '.join(ESTIMATORS)}), "
            f"a regressor ({', '.join(REGRESSORS)}) or an import path like "
            "sklearn.naive_bayes:GaussianNB"
        )
    module_name, _, attr = spec.partition(":")
    try:
        cls = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"cannot import estimator {spec!r}: {exc}") from None
    from .learners import BaseLearner

    if isinstance(cls, type) and issubclass(cls, BaseLearner):
        raise UsageError(
            f"{spec} is an active learner, not an estimator: choose it with "
            "--learner (active, committee, bayesian) and give its model with "
            "--estimator, e.g. --learner committee --estimator logreg"
        )
    try:
        estimator = cls()
    except Exception as exc:  # a class that needs arguments, or not a class
        raise UsageError(
            f"cannot build estimator {spec!r} with its default parameters: {exc}"
        ) from None
    if not hasattr(estimator, "fit"):
        raise UsageError(f"{spec} is not an estimator: it has no fit method")
    return estimator


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
        None), ``X_test`` and ``y_test`` (or None), and ``image_shape``
        (the shape of one image when the rows are images, else None).

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
        return data
    if suffix != ".csv":
        raise UsageError(f"{path}: expected a .csv or .npz file")
    frame = _read_csv(path)
    _read_frame(path, frame, target, need_labels, data)
    return data


def _check_lengths(path, data):
    for X, y, what in ((data.X, data.y, ""), (data.X_test, data.y_test, "_test")):
        if X is not None and y is not None and X.shape[0] != len(y):
            raise UsageError(
                f"{path}: X{what} has {X.shape[0]} rows but y{what} has {len(y)} labels"
            )


def _check_feature_columns(path, frame):
    """Refuse a column of numbers with a few text cells (a typo, not a category)."""
    import pandas as pd

    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]):
            continue
        values = frame[column].dropna()
        numbers = pd.to_numeric(values, errors="coerce")
        if values.size and numbers.notna().mean() >= 0.5:
            bad = values[numbers.isna()]
            raise UsageError(
                f"{path}: column {column!r} holds numbers but also non-numeric "
                f"values ({', '.join(repr(v) for v in bad.unique()[:3])}, e.g. in "
                f"row {bad.index[0]}); fix or remove them"
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


def _read_frame(path, frame, target, need_labels, data):
    """Split a CSV's frame into features and the ``target`` column, into ``data``."""
    import pandas as pd

    if target is None and need_labels:
        raise UsageError(f"--target COLUMN is needed with a CSV file ({path})")
    if target is not None and target not in frame.columns:
        raise UsageError(
            f"column {target!r} is not in {path}; columns: {', '.join(frame.columns)}"
        )
    if target is not None:
        labels = frame.pop(target)
        if need_labels:
            keep = labels.notna().to_numpy()
            frame, labels = frame[keep], labels[keep]
            data.y = labels.to_numpy()
            data.n_unlabeled = int((~keep).sum())
        else:
            filled = labels.astype(object).where(labels.notna(), None).to_numpy()
            data.y = _as_int_labels(filled)
    if frame.shape[1] == 0:
        raise UsageError(f"{path} has no feature column besides the target")
    _check_feature_columns(path, frame)
    dummies = pd.get_dummies(frame, dtype=float)
    data.X = dummies.to_numpy(dtype=float)
    data.feature_names = list(dummies.columns)


def _read_csv(path):
    """Read a CSV file; a file separated by ``;`` or tabs is read as such."""
    import pandas as pd

    try:
        frame = pd.read_csv(path)
        if frame.shape[1] == 1:
            header = str(frame.columns[0])
            sep = next((c for c in (";", "\t", "|") if c in header), None)
            if sep is not None:
                frame = pd.read_csv(path, sep=sep)
    except (OSError, ValueError) as exc:  # ParserError, EmptyDataError, decoding
        raise UsageError(f"cannot read {path} as a CSV file: {exc}") from None
    return frame


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


def _as_int_labels(values):
    """Turn labels with None holes into ints with -1 holes when all are whole."""
    known = [v for v in values if v is not None]
    try:
        if all(float(v) == int(float(v)) for v in known):
            return np.array([-1 if v is None else int(float(v)) for v in values])
    except (TypeError, ValueError):
        pass
    return values
