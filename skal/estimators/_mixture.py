"""The classifier on a Gaussian mixture (CMM), scikit-activeml's model of 4DS.

Reitmaier & Sick, *Let us know your decision: Pool-based active training of
a generative classifier with the selection strategy 4DS*, Information
Sciences 230, 2013. A (Bayesian) Gaussian mixture is fitted on the rows,
labeled and unlabeled; each component collects the labels of the rows it is
responsible for, ``F_jc = sum_{i: y_i = c} w_i r_j(x_i)``, and the
frequencies at ``x`` are its responsibilities times those counts,
``F_c(x) = sum_j r_j(x) F_jc``; the probabilities are the frequencies plus
a prior, normalised.
"""

from copy import deepcopy
from inspect import signature
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context, clone
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.mixture import BayesianGaussianMixture
from sklearn.utils._param_validation import HasMethods, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ..utils._validation import MISSING_LABEL_CONSTRAINT, _NoBool
from ._frequencies import (
    FrequencyClassifierMixin,
    check_costs,
    check_prior,
    encode_classes,
)


class MixtureModelClassifier(FrequencyClassifierMixin, ClassifierMixin, BaseEstimator):
    """Classifier on a Gaussian mixture: responsibilities times label counts.

    A (Bayesian) Gaussian mixture is fitted on ``X``; component ``j``
    collects the labels of the rows it is responsible for,
    ``F_jc = sum_{i: y_i = c} w_i r_j(x_i)``, and the frequency of class
    ``c`` at ``x`` is ``F_c(x) = sum_j s_j(x) F_jc`` (:meth:`predict_freq`),
    ``s_j`` the responsibilities ``r_j`` or, with
    ``weight_mode="similarities"``, ``exp(-d_j(x))`` with ``d_j`` the
    Mahalanobis distance to the component's mean. The probability is
    ``(F_c(x) + prior_c) / sum_j (F_j(x) + prior_j)``, uniform where every
    term is zero. It is scikit-activeml's
    ``skactiveml.classifier.MixtureModelClassifier`` (Reitmaier & Sick
    2013), with the same parameters and numbers; ties go to the first class
    rather than to a random one.

    The mixture learns from unlabeled rows in two ways. With
    ``missing_label`` set, ``y`` marks them (``-1``, as
    ``skal.ActiveLearner(semi_supervised=True)`` passes the pool, or
    ``np.nan`` as in scikit-activeml): the mixture is fitted on every row
    and only the labeled ones vote. Or pass a ``mixture_model`` fitted on
    the pool already: it is used as it is. ``clone`` (which every learner
    calls) returns a mixture unfitted, so inside a learner wrap it in
    :class:`sklearn.frozen.FrozenEstimator`.

    Parameters
    ----------
    mixture_model : GaussianMixture or BayesianGaussianMixture, default=None
        The mixture. Unfitted: cloned and fitted on ``X`` at each ``fit``;
        fitted (or a ``FrozenEstimator`` of one): used as it is. ``None`` is
        ``BayesianGaussianMixture(n_components=n_classes,
        random_state=random_state)``.
    weight_mode : {"responsibilities", "similarities"}, \
default="responsibilities"
        The component weights ``s_j(x)`` of :meth:`predict_freq`: the
        mixture's responsibilities, or ``exp`` of minus the Mahalanobis
        distance to each component (any ``covariance_type``).
    classes : array-like of shape (n_classes,), default=None
        Every class, including those ``y`` does not hold yet; ``None`` takes
        the classes of the labeled rows.
    missing_label : int, float, str or None, default=None
        The value of ``y`` that marks an unlabeled row (``np.nan`` works);
        ``None``: every row is labeled.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]`` is the cost of predicting class ``j`` for a
        sample of class ``i``, in the order of ``classes`` (or of
        ``classes_``); ``None`` is ``1 - I`` (the most probable class).
    class_prior : float or array-like of shape (n_classes,), default=0.0
        Prior counts added to every class's frequency (a float) or to each
        (an array in the order of ``classes_``).
    random_state : int, RandomState instance or None, default=None
        Seeds the default mixture (a given one keeps its own).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The sorted classes.
    class_prior_ : ndarray of shape (n_classes,)
        The prior count of each class.
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The costs, in the order of ``classes_``.
    mixture_model_ : GaussianMixture or BayesianGaussianMixture
        The fitted mixture.
    F_components_ : ndarray of shape (n_components, n_classes)
        ``F_jc``: the weighted labels of class ``c`` component ``j`` holds.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features,)
        Feature names seen in ``fit`` (only when ``X`` has string column
        names).

    References
    ----------
    T. Reitmaier and B. Sick, "Let us know your decision: Pool-based active
    training of a generative classifier with the selection strategy 4DS",
    Information Sciences 230, 106-131, 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.mixture import GaussianMixture
    >>> from skal.estimators import MixtureModelClassifier
    >>> X = np.r_[np.linspace(0, 1, 10), np.linspace(5, 6, 10)].reshape(-1, 1)
    >>> y = np.full(20, -1)
    >>> y[[0, 19]] = [0, 1]  # two labels; the other 18 rows shape the mixture
    >>> cmm = MixtureModelClassifier(GaussianMixture(2, random_state=0),
    ...                              missing_label=-1).fit(X, y)
    >>> cmm.predict_freq([[0.5], [5.5]]).round(3)
    array([[1., 0.],
           [0., 1.]])
    >>> cmm.predict([[0.2], [4.0]])
    array([0, 1])
    """

    _parameter_constraints = {
        "mixture_model": [HasMethods(["fit", "predict_proba"]), None],
        "weight_mode": [StrOptions({"responsibilities", "similarities"})],
        "classes": ["array-like", None],
        "missing_label": MISSING_LABEL_CONSTRAINT,  # True would mark the 1s
        "cost_matrix": ["array-like", None],
        "class_prior": [_NoBool(Real, 0, None, closed="left"), "array-like"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        mixture_model=None,
        weight_mode="responsibilities",
        classes=None,
        missing_label=None,
        cost_matrix=None,
        class_prior=0.0,
        random_state=None,
    ):
        self.mixture_model = mixture_model
        self.weight_mode = weight_mode
        self.classes = classes
        self.missing_label = missing_label
        self.cost_matrix = cost_matrix
        self.class_prior = class_prior
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the mixture on ``X`` and count each component's labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The rows, labeled and (with ``missing_label``) unlabeled.
        y : array-like of shape (n_samples,)
            Their labels, ``missing_label`` for an unlabeled row.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each label (``None``: 1); the mixture
            itself is fitted unweighted.

        Returns
        -------
        self : MixtureModelClassifier
            The fitted classifier.
        """
        X, y_labeled, labeled = self._check_data(X, y)
        self.classes_, y_index = encode_classes(y_labeled, self.classes)
        n_classes = len(self.classes_)
        weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
        self.class_prior_ = check_prior(self.class_prior, n_classes)
        self.cost_matrix_ = check_costs(self.cost_matrix, self.classes, n_classes)
        self.mixture_model_ = self._fit_mixture(X, n_classes)
        if self.weight_mode == "similarities":
            _check_gaussian(self.mixture_model_)
        V = np.zeros((X.shape[0], n_classes))
        V[np.flatnonzero(labeled), y_index] = weight[labeled]
        R = np.asarray(self.mixture_model_.predict_proba(X))
        self.F_components_ = R.T @ V
        return self

    def _check_data(self, X, y):
        """``X``, ``y`` and the mask of labeled rows, each checked."""
        if self.missing_label is None:
            values = np.asarray(y)
            if (
                values.dtype.kind in "fcO"
                and y is not None
                and _is_missing(values.ravel(), np.nan).any()
            ):
                raise ValueError(  # None among text labels crashed np.unique
                    "Input y contains NaN or None. MixtureModelClassifier with "
                    "missing_label=None takes labeled rows only: pass "
                    "missing_label=np.nan to mark unlabeled rows (the mixture "
                    "then learns from them too), or X[labeled], y[labeled]."
                )
            X, y = validate_data(self, X, y, dtype="float64")
            check_classification_targets(y)
            return X, y, np.ones(len(y), dtype=bool)
        X = validate_data(self, X, dtype="float64")
        y = column_or_1d(check_array(y, ensure_2d=False, dtype=None,
                                     ensure_all_finite=False))  # fmt: skip
        check_consistent_length(X, y)
        _check_missing_label(y, self.missing_label, self.classes)
        labeled = ~_is_missing(y, self.missing_label)
        if not labeled.any() and self.classes is None:
            raise ValueError(
                f"y holds no label (every row is missing_label="
                f"{self.missing_label!r}) and classes=None, so the classes are "
                "unknown: pass classes=[...] or label a row."
            )
        y_labeled = y[labeled]
        if y_labeled.dtype == object and all(isinstance(v, Real) for v in y_labeled):
            y_labeled = np.asarray(y_labeled.tolist())  # [0, None, 1]: numbers
        check_array(y_labeled, ensure_2d=False, ensure_min_samples=0, dtype=None,
                    input_name="y")  # fmt: skip
        if labeled.any():
            check_classification_targets(y_labeled)
        return X, y_labeled, labeled

    def _fit_mixture(self, X, n_classes):
        """The fitted mixture: the given fitted one, or one fitted on ``X``."""
        with np.errstate(over="ignore"):  # else NumPy's "must not contain infs"
            if not np.isfinite(np.square(X).sum(axis=0)).all():
                raise ValueError(
                    "X's features are too large for a Gaussian mixture (their "
                    "squares overflow float64): scale them, e.g. StandardScaler."
                )
        if self.mixture_model is None:
            mixture = BayesianGaussianMixture(
                n_components=n_classes, random_state=self.random_state
            )
            return mixture.fit(X)
        try:
            check_is_fitted(self.mixture_model)
        except NotFittedError:
            _check_unsupervised(self.mixture_model)
            return clone(self.mixture_model).fit(X)
        _check_unsupervised(self.mixture_model)
        n_in = getattr(self.mixture_model, "n_features_in_", X.shape[1])
        if n_in != X.shape[1]:
            raise ValueError(
                f"The fitted mixture_model takes {n_in} features, but X has "
                f"{X.shape[1]}: fit it on rows of the same features, or pass it "
                "unfitted to have it fitted on X."
            )
        return deepcopy(self.mixture_model)

    def predict_freq(self, X):
        """Return the class frequency estimates: component weights times counts.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        F : ndarray of shape (n_samples, n_classes)
            ``F[s, c] = sum_j s_j(X[s]) F_components_[j, c]``, columns in the
            order of ``classes_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype="float64")
        if self.weight_mode == "similarities":
            S = np.exp(-mahalanobis(self.mixture_model_, X))
        else:
            S = np.asarray(self.mixture_model_.predict_proba(X))
        return S @ self.F_components_


def _is_missing(y, missing_label):
    if isinstance(missing_label, float) and np.isnan(missing_label):
        if y.dtype.kind in "fc":
            return np.isnan(y)
        return np.array([v is None or v != v for v in y], dtype=bool)
    return np.asarray(y == missing_label, dtype=bool).reshape(len(y))


def _check_unsupervised(mixture):
    """Refuse a model whose ``fit`` needs ``y``: it is no mixture of ``X``."""
    if isinstance(mixture, FrozenEstimator):
        mixture = mixture.estimator
    params = list(signature(mixture.fit).parameters.values())[1:]
    if any(p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD for p in params):
        raise TypeError(
            f"mixture_model={mixture!r} is fitted on X and y, so it is no "
            "mixture of X: pass a GaussianMixture or BayesianGaussianMixture."
        )


def _check_missing_label(y, missing_label, classes):
    """Refuse a marker that cannot occur in ``y`` or that names a class."""
    text = isinstance(missing_label, str)
    nan = isinstance(missing_label, float) and np.isnan(missing_label)
    if (text and y.dtype.kind in "biuf") or (
        not text and not nan and y.dtype.kind in "US"
    ):
        raise TypeError(
            f"missing_label={missing_label!r} cannot mark a row of a y of "
            f"dtype {y.dtype}: pass a missing_label of the labels' type."
        )
    if classes is not None and np.any(_is_missing(np.asarray(classes), missing_label)):
        raise ValueError(
            f"classes={np.asarray(classes).tolist()!r} holds missing_label="
            f"{missing_label!r}, the marker of unlabeled rows: drop it from classes."
        )


def _check_gaussian(mixture):
    needed = ("means_", "precisions_cholesky_", "covariance_type")
    if not all(hasattr(mixture, name) for name in needed):
        raise TypeError(
            "weight_mode='similarities' measures Mahalanobis distances to the "
            f"components, which needs a Gaussian mixture's {list(needed)}; "
            f"{type(mixture).__name__} lacks them: use a GaussianMixture or "
            "BayesianGaussianMixture, or weight_mode='responsibilities'."
        )


def mahalanobis(mixture, X):
    """Mahalanobis distance of each row to each component of a Gaussian mixture.

    Parameters
    ----------
    mixture : GaussianMixture or BayesianGaussianMixture
        A fitted mixture of any ``covariance_type``.
    X : ndarray of shape (n_samples, n_features)
        The rows.

    Returns
    -------
    D : ndarray of shape (n_samples, n_components)
        ``sqrt((x - mu_j)^T Lambda_j (x - mu_j))``, ``Lambda_j`` the
        component's precision matrix.
    """
    means, L = mixture.means_, mixture.precisions_cholesky_
    kind = mixture.covariance_type
    D = np.empty((X.shape[0], means.shape[0]))
    for j, mean in enumerate(means):
        diff = X - mean
        if kind == "full":
            diff = diff @ L[j]
        elif kind == "tied":
            diff = diff @ L
        else:  # "diag": a vector per component; "spherical": a number
            diff = diff * L[j]
        D[:, j] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    return D
