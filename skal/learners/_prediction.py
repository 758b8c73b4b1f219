"""Prediction, masked scoring and tags that learners take from their estimator."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import is_classifier
from sklearn.exceptions import NotFittedError
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ..utils import is_dask_array, missing_mask, score_in_chunks, take_rows
from ..utils._labels import check_label_types, model_labels
from ._multilabel import labeled_rows as multilabel_rows
from ._signals import _takes_return_std


def _estimator_has(attr):
    """Check the fitted ``estimator_`` first, then the unfitted ``estimator``."""

    def check(self):
        fitted = getattr(self, "estimator_", None)
        return hasattr(self.estimator if fitted is None else fitted, attr)

    return check


def _as_rows(X):
    """Make lists and tuples arrays; keep arrays, sparse matrices and frames."""
    if X is None or isinstance(X, (dict, set, str, bytes, int, float, complex)):
        raise TypeError(
            "X must be array-like (an ndarray, a list of rows, a sparse matrix or "
            f"a DataFrame), got {type(X).__name__}."
        )
    if isinstance(X, (list, tuple)) or (
        hasattr(X, "__array__")
        and not isinstance(X, np.ndarray)
        and not hasattr(X, "iloc")
        and not sp.issparse(X)
        and not is_dask_array(X)  # a dask pool is scored block by block, lazily
    ):
        X = np.asarray(X)
    if isinstance(X, np.ndarray) and X.ndim == 1 and X.dtype.kind not in "USO":
        raise ValueError(
            "Expected 2D array, got 1D array instead. Reshape your data either "
            "using array.reshape(-1, 1) if your data has a single feature or "
            "array.reshape(1, -1) if it contains a single sample."
        )
    if sp.issparse(X) and X.format not in ("csr", "csc"):
        return X.tocsr()  # row indexing needs CSR or CSC
    return X


class PredictionMixin:
    """Delegate predictions to ``estimator_``; score only labeled rows.

    Each delegated method exists only when the wrapped estimator has it
    (``available_if``), so ``hasattr(learner, "predict_proba")`` tells the
    truth, as for scikit-learn's own meta-estimators.
    """

    def _model(self):
        """The fitted model, or a clear error in a cold start (no labels)."""
        check_is_fitted(self)
        if self.estimator_ is None:
            raise NotFittedError(
                f"{type(self).__name__} has no labeled rows yet, so no model is "
                "trained: query() picks the first samples with initial_strategy; "
                "teach() their labels, then predict."
            )
        return self.estimator_

    @available_if(_estimator_has("predict"))
    def predict(self, X, return_std=False):
        """Predict with the fitted model.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.
        return_std : bool, default=False
            Also return the predictive standard deviation. Only for models
            whose ``predict`` takes ``return_std`` (``GaussianProcessRegressor``,
            ``BayesianRidge``, ``ARDRegression``, or a ``Pipeline`` ending in
            one); other models raise a ``TypeError``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predictions of ``estimator_``.
        y_std : ndarray of shape (n_samples,)
            Predictive standard deviation; only with ``return_std=True``.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.linear_model import BayesianRidge
        >>> from skal import ActiveLearner
        >>> X = np.arange(6.0).reshape(-1, 1)
        >>> y = np.array([0.0, 1.0, 2.0, np.nan, np.nan, np.nan])
        >>> learner = ActiveLearner(BayesianRidge(), query_strategy="std",
        ...                         missing_label=np.nan).fit(X, y)
        >>> mean, std = learner.predict(X, return_std=True)
        >>> bool(std[5] > std[1])  # farther from the labels: less certain
        True
        """
        model = self._model()
        X = self._check_X(X, reset=False)
        if not return_std:
            return model.predict(X)
        if not _takes_return_std(model):
            raise TypeError(
                f"predict(X, return_std=True) needs a model whose predict takes "
                f"return_std, but {type(model).__name__}.predict does not. Use "
                "GaussianProcessRegressor, BayesianRidge, ARDRegression or "
                "skal.CommitteeRegressor."
            )
        return model.predict(X, return_std=True)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Return class probabilities from the fitted model.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        model = self._model()
        return model.predict_proba(self._check_X(X, reset=False))

    @available_if(_estimator_has("predict_log_proba"))
    def predict_log_proba(self, X):
        """Return log class probabilities from the fitted model.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        model = self._model()
        return model.predict_log_proba(self._check_X(X, reset=False))

    @available_if(_estimator_has("decision_function"))
    def decision_function(self, X):
        """Return decision values from the fitted model.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        decision : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Decision values of ``estimator_``.
        """
        model = self._model()
        return model.decision_function(self._check_X(X, reset=False))

    def _score_rows(self, X, y, sample_weight=None, rows=None):
        """Score ``X`` (or its ``rows``, read chunk by chunk, never copied whole)."""
        metric = accuracy_score if is_classifier(self) else r2_score
        if rows is None:
            y_pred = self.predict(X)
        else:  # X was checked in fit: no second finiteness pass
            y_pred = score_in_chunks(self.predict, X, allow_nan=True, rows=rows)
        return float(metric(y, y_pred, sample_weight=sample_weight))

    def score(self, X, y, sample_weight=None):
        """Score on the labeled rows of ``y`` only; unlabeled rows are ignored.

        Accuracy for classifiers (subset accuracy for a multi-label ``y``:
        a row counts when all its labels are right), R^2 for regressors.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.
        y : array-like of shape (n_samples,)
            True labels; rows equal to ``missing_label`` are skipped.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Accuracy or R^2 on the labeled rows.
        """
        self._model()
        X = _as_rows(X)
        y = self._check_y(y, X)
        if y.ndim == 2:  # multi-label: subset accuracy on the labeled rows
            labeled = multilabel_rows(y, self.missing_label)
        else:
            labeled = ~missing_mask(y, self.missing_label)
        if not labeled.any():
            raise ValueError("score needs labeled rows; every entry of y is missing.")
        if y.ndim == 1:  # True among integer classes would silently read as 1
            check_label_types(
                y[labeled], name="score's y", known=self.y_[self.labeled_mask_]
            )
        sw = None
        if sample_weight is not None:
            sw = np.asarray(sample_weight)
            if sw.dtype.kind not in "iufb":
                raise ValueError(
                    f"sample_weight must hold numbers, got {sw.dtype} values "
                    f"(e.g. {sw.ravel()[:1].tolist()})."
                )
            if sw.shape != (y.shape[0],):
                raise ValueError(
                    f"sample_weight has shape {sw.shape}; score needs one weight "
                    f"per row of X, shape ({y.shape[0]},)."
                )
            sw = sw[labeled]
        if labeled.all():
            return self._score_rows(X, model_labels(y), sw)
        return self._score_rows(take_rows(X, labeled), model_labels(y[labeled]), sw)
