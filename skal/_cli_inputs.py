"""The models the ``skal`` command knows by name, and its usage error.

:func:`make_estimator` turns a command-line string into a model and raises
:class:`UsageError` on a bad argument (the data files are read by
:mod:`skal._cli_data`). All are importable from :mod:`skal.cli`.
"""

import importlib
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


def _estimator_type(estimator):
    """Return "classifier", "regressor" or None, without failing on odd objects."""
    from sklearn.utils import get_tags

    try:
        return get_tags(estimator).estimator_type
    except (AttributeError, TypeError):
        return None


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
