"""The Parzen window classifier (Chapelle 2005), scikit-activeml's model.

Chapelle, *Active Learning for Parzen Window Classifier*, AISTATS 2005. The
classes' frequencies near a sample are the kernel-weighted counts of the
training labels, ``F_c(x) = sum_{i: y_i = c} w_i k(x, x_i)``; the
probabilities are the frequencies plus a prior, normalised.
"""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.metrics.pairwise import KERNEL_PARAMS, pairwise_kernels
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ..utils import chunk_slices
from ..utils._validation import POSITIVE_INT, _NoBool
from ._frequencies import (
    FrequencyClassifierMixin,
    check_costs,
    check_prior,
    encode_classes,
)
from ._kernel_params import check_kernel_values, fit_metric_dict, kernel_input

#: Kernel entries per chunk of ``predict_freq`` (16 MiB of float64).
_KERNEL_ENTRIES = 2**21

_METRICS = set(KERNEL_PARAMS) - {"precomputed"}


class ParzenWindowClassifier(FrequencyClassifierMixin, ClassifierMixin, BaseEstimator):
    """Parzen window classifier: kernel-weighted label counts, normalised.

    The frequency of class ``c`` at ``x`` is the kernel-weighted count of
    the training labels of that class (Chapelle 2005),
    ``F_c(x) = sum_{i: y_i = c} w_i k(x, x_i)`` (:meth:`predict_freq`), and
    the probability is ``(F_c(x) + prior_c) / sum_j (F_j(x) + prior_j)``,
    uniform where every term is zero (no label near ``x``). It is the model
    of scikit-activeml's tutorials
    (``skactiveml.classifier.ParzenWindowClassifier``), with the same
    parameters and numbers, and a plain scikit-learn classifier: ``y``
    holds labels only (an active learner passes its labeled rows), and ties
    are broken towards the first class rather than at random. Kernels are
    evaluated in chunks of rows, so memory stays bounded on a large ``X``.

    Parameters
    ----------
    metric : str or callable, default="rbf"
        Kernel of :func:`sklearn.metrics.pairwise.pairwise_kernels`
        (``"rbf"``, ``"laplacian"``, ``"cosine"``, ...) or a callable of two
        rows.
    metric_dict : dict, default=None
        The kernel's parameters, e.g. ``{"gamma": 0.5}``. With ``"rbf"``,
        ``{"gamma": "mean"}`` takes the mean criterion's bandwidth on the
        training rows (:func:`mean_gamma`).
    n_neighbors : int, default=None
        Count only the ``n_neighbors`` training rows of largest kernel value
        at each sample; ``None`` counts all of them. A weight is then not a
        repeat: a row repeated twice fills two of the slots.
    class_prior : float or array-like of shape (n_classes,), default=0.0
        Prior counts added to every class's frequency (a float) or to each
        (an array in the order of ``classes_``).
    classes : array-like of shape (n_classes,), default=None
        Every class, including those ``y`` does not hold yet; ``None`` takes
        the classes of ``y``.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]`` is the cost of predicting class ``j`` for a
        sample of class ``i``, rows and columns in the order of ``classes``
        (or of ``classes_``); :meth:`predict` minimises the expected cost.
        ``None`` is ``1 - I`` (the most probable class).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted classes.
    class_prior_ : ndarray of shape (n_classes,)
        The prior count of each class.
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The costs, in the order of ``classes_``.
    metric_dict_ : dict
        The kernel's parameters (``"mean"`` replaced by its value).
    X_ : ndarray or sparse matrix of shape (n_samples, n_features)
        The training rows.
    V_ : ndarray of shape (n_samples, n_classes)
        One row per training row: its weight in its class's column.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features,)
        Feature names seen in ``fit`` (only when ``X`` has string column
        names).

    References
    ----------
    O. Chapelle, "Active Learning for Parzen Window Classifier", AISTATS 2005.

    Examples
    --------
    >>> from skal.estimators import ParzenWindowClassifier
    >>> X, y = [[0.0], [0.1], [2.0]], [0, 0, 1]
    >>> pwc = ParzenWindowClassifier(metric_dict={"gamma": 1.0}).fit(X, y)
    >>> pwc.predict_freq([[0.0], [2.0]]).round(3)
    array([[1.99 , 0.018],
           [0.045, 1.   ]])
    >>> pwc.predict_proba([[60.0]])  # no label near: uniform
    array([[0.5, 0.5]])
    >>> pwc.predict([[0.0], [2.0]])
    array([0, 1])
    """

    _parameter_constraints = {
        "metric": [StrOptions(_METRICS), callable],
        "metric_dict": [dict, None],
        "n_neighbors": [POSITIVE_INT, None],
        "class_prior": [_NoBool(Real, 0, None, closed="left"), "array-like"],
        "classes": ["array-like", None],
        "cost_matrix": ["array-like", None],
    }

    def __init__(
        self,
        metric="rbf",
        metric_dict=None,
        *,
        n_neighbors=None,
        class_prior=0.0,
        classes=None,
        cost_matrix=None,
    ):
        self.metric = metric
        self.metric_dict = metric_dict
        self.n_neighbors = n_neighbors
        self.class_prior = class_prior
        self.classes = classes
        self.cost_matrix = cost_matrix

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Store the training rows and their labels.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
            The training rows.
        y : array-like of shape (n_samples,)
            Their labels (no missing label: pass the labeled rows only).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each label (``None``: 1).

        Returns
        -------
        self : ParzenWindowClassifier
            The fitted classifier.
        """
        refuse_missing_targets(y, "ParzenWindowClassifier")
        X, y = validate_data(self, X, y, **self._accept())
        check_classification_targets(y)
        self.classes_, y_index = encode_classes(y, self.classes)
        n_classes = len(self.classes_)
        weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
        self.class_prior_ = check_prior(self.class_prior, n_classes)
        self.cost_matrix_ = check_costs(self.cost_matrix, self.classes, n_classes)
        self.metric_dict_ = fit_metric_dict(self.metric, self.metric_dict, X, weight)
        self.X_ = X
        self.V_ = np.zeros((X.shape[0], n_classes))
        self.V_[np.arange(X.shape[0]), y_index] = weight
        return self

    def predict_freq(self, X):
        """Return the kernel frequency estimate of each class at each sample.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        F : ndarray of shape (n_samples, n_classes)
            ``F[s, c] = sum_{i: y_i = c} w_i k(X[s], X_[i])``, columns in the
            order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, **self._accept())
        n_train = self.X_.shape[0]
        F = np.empty((X.shape[0], len(self.classes_)))
        k = self.n_neighbors
        rows = max(1, _KERNEL_ENTRIES // n_train)
        for part in chunk_slices(X.shape[0], rows):
            K = self._kernel(X[part])
            if k is None or n_train <= k:
                F[part] = K @ self.V_
            else:
                near = np.argpartition(K, -k, axis=1)[:, -k:]
                K_near = np.take_along_axis(K, near, axis=1)
                F[part] = np.einsum("sk,skc->sc", K_near, self.V_[near])
        return F

    def _accept(self):
        return kernel_input(self.metric)

    def _kernel(self, X):
        K = pairwise_kernels(X, self.X_, metric=self.metric, **self.metric_dict_)
        return check_kernel_values(K, self.metric)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def refuse_missing_targets(y, name):
    """Refuse NaN in ``y``: these estimators have no ``missing_label``."""
    values = np.asarray(y)
    if values.dtype.kind in "fc" and np.isnan(values).any():
        raise ValueError(
            f"Input y contains NaN. {name} takes labeled rows "
            "only (it has no missing_label, unlike scikit-activeml's): pass "
            "X[labeled], y[labeled], or wrap it in skal.ActiveLearner, which "
            "fits it on the labeled rows."
        )
