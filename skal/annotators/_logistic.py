"""Logistic regression learned from several noisy annotators (Raykar et al. 2010)."""

from numbers import Real

import numpy as np
from scipy.optimize import minimize
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..estimators._frequencies import (
    LeastCostPredictMixin,
    check_costs,
    encode_classes,
)
from ..utils._validation import MISSING_LABEL_CONSTRAINT, POSITIVE_INT
from ._labels import check_annotator_labels, vote_counts
from ._raykar import (
    SOLVERS,
    SoftLogistic,
    dirichlet_counts,
    log_label_likelihood,
    log_softmax,
    normalise_rows,
    posteriors,
)


class AnnotatorLogisticRegression(
    LeastCostPredictMixin, ClassifierMixin, BaseEstimator
):
    r"""Logistic regression learned from several noisy annotators by EM.

    Raykar et al. (2010), "Learning From Crowds": the true class of ``x``
    follows a multinomial logistic regression ``P(k | x) = softmax(W x)_k``
    and annotator ``j`` answers ``l`` for a sample of class ``k`` with
    probability ``confusion_[j, k, l]``, independently of ``x`` and of the
    other annotators. EM starts from the (fractional) majority vote
    ``mu_ik`` and alternates the M-step, the confusion matrices
    ``confusion_[j, k, l] ∝ A_jkl - 1 + sum_i mu_ik [Y_ij = l]`` and the
    weights minimising ``-sum_ik mu_ik log P(k | x_i) + weights_prior / 2
    ||W||^2`` (``scipy.optimize.minimize`` with the analytic gradient),
    with the E-step ``mu_ik ∝ P(k | x_i) prod_j confusion_[j, k, Y_ij]``
    (products over those who labeled ``x_i``, in logs), until the expected
    log posterior ``sum_ik mu_ik log(P(k | x_i) U_ik)`` plus the log priors
    changes by less than ``tol``, as in scikit-activeml (it changes faster
    than the marginal one near the optimum, so it stops later). It is
    scikit-activeml's
    ``skactiveml.classifier.multiannotator.AnnotatorLogisticRegression``
    with the same parameters and model.

    Differences from scikit-activeml 1.0.1, each for a reason:
    ``annot_prior_full`` must be >= 1 (below 1 the M-step gave negative
    "probabilities"); the weight prior in the stopping rule leaves the
    intercept out, as the M-step does; the M-step starts from the previous
    weights instead of zeros (the same optimum, fewer solver iterations);
    no ``random_state`` (ties of ``predict`` go to the first class, as in
    :mod:`skal.estimators`) and no ``sample_weight`` (scikit-activeml used
    it only in the first vote and the confusion counts, not in the
    classifier); ``solver`` takes the gradient-based methods only. Rows
    nobody labeled are dropped, as there: their likelihood
    ``sum_k P(k | x) = 1`` does not depend on the parameters, so they do
    not move the optimum. The weights are ``coef_`` and ``intercept_``
    (scikit-activeml's ``W_`` is ``np.vstack([intercept_, coef_.T])``) and
    ``confusion_`` is its ``Alpha_``, named as in :class:`DawidSkene`.

    The estimator takes the whole label matrix (``_annotator_matrix =
    True``), so :class:`MultiAnnotatorLearner` fits it on ``Y`` instead of
    aggregated labels; scikit-learn's ``parametrize_with_checks`` does not
    apply (its checks pass a 1-D ``y``).

    Parameters
    ----------
    n_annotators : int, default=None
        The number of annotators, checked against the columns of ``y``;
        None takes them from ``y``.
    tol : float, default=1e-4
        Stop EM when the expected log posterior changes by less than
        ``tol``; also the solver's ``tol``.
    max_iter : int, default=100
        Largest number of EM iterations.
    fit_intercept : bool, default=True
        Learn an (unpenalised) intercept per class.
    annot_prior_full : float or array-like of shape (n_annotators,), default=1
        Dirichlet parameter of every cell of annotator ``j``'s confusion
        matrix, ``A[j] = annot_prior_full[j] * ones``; 1 adds no
        pseudo-count (maximum likelihood).
    annot_prior_diag : float or array-like of shape (n_annotators,), default=0
        Added to the diagonal of ``A[j]``: a prior belief that annotators
        beat chance.
    weights_prior : float, default=1
        Precision of the Gaussian prior on the weights (an L2 penalty
        ``weights_prior / 2 ||W||^2``, intercept excluded).
    solver : str or callable, default="Newton-CG"
        ``method`` of ``scipy.optimize.minimize`` for the M-step: one of
        "L-BFGS-B", "Newton-CG", "BFGS", "CG", "TNC", "trust-ncg",
        "trust-krylov", or a callable method.
    solver_dict : dict, default=None
        ``options`` of ``scipy.optimize.minimize``; None is
        ``{"maxiter": 100}`` (``{"maxfun": 100}`` for "TNC", which has no
        ``maxiter``).
    classes : array-like of shape (n_classes,), default=None
        Every class; None takes the labels present in ``y``.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]``: cost of predicting ``classes[j]`` for a
        sample of class ``classes[i]``; None is ``1 - I``.
    missing_label : scalar, str, None or nan, default=np.nan
        Marker of a label an annotator has not given (NaN and None always
        are).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The classes, sorted.
    n_annotators_ : int
        Number of annotators (columns of ``y``).
    n_features_in_ : int
        Number of features.
    coef_ : ndarray of shape (n_classes, n_features)
        Weights of the classifier, one row per class.
    intercept_ : ndarray of shape (n_classes,)
        Intercepts (zeros when ``fit_intercept=False``).
    confusion_ : ndarray of shape (n_annotators, n_classes, n_classes)
        ``confusion_[j, k, l]``: probability that annotator ``j`` answers
        ``classes_[l]`` for a sample of class ``classes_[k]``
        (scikit-activeml's ``Alpha_``).
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The costs, in the order of ``classes_``.
    log_posterior_ : list of float
        The log posterior ``sum_i log sum_k P(k | x_i) U_ik`` plus the log
        priors after each EM iteration (EM never decreases it).
    n_iter_ : int
        Number of EM iterations run.

    References
    ----------
    V. C. Raykar, S. Yu, L. H. Zhao, G. H. Valadez, C. Florin, L. Bogoni and
    L. Moy. Learning from crowds. *Journal of Machine Learning Research*
    11:1297-1322, 2010.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.annotators import AnnotatorLogisticRegression
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> y = np.array([[0, 0, 1], [0, np.nan, 1], [1, 1, 0], [1, 1, np.nan]])
    >>> alr = AnnotatorLogisticRegression().fit(X, y)
    >>> alr.predict([[-1.5], [1.5]]).tolist()
    [0.0, 1.0]
    >>> alr.predict_annotator_perf([[0.0]]).round(2).tolist()
    [[1.0, 1.0, 0.0]]
    """

    _annotator_matrix = True

    _parameter_constraints = {
        "n_annotators": [POSITIVE_INT, None],
        "tol": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [POSITIVE_INT],
        "fit_intercept": ["boolean"],
        "annot_prior_full": [Interval(Real, 1, None, closed="left"), "array-like"],
        "annot_prior_diag": [Interval(Real, 0, None, closed="left"), "array-like"],
        "weights_prior": [Interval(Real, 0, None, closed="left")],
        "solver": [StrOptions(SOLVERS), callable],
        "solver_dict": [dict, None],
        "classes": ["array-like", None],
        "cost_matrix": ["array-like", None],
        "missing_label": MISSING_LABEL_CONSTRAINT,
    }

    def __init__(
        self,
        n_annotators=None,
        tol=1e-4,
        max_iter=100,
        fit_intercept=True,
        annot_prior_full=1,
        annot_prior_diag=0,
        weights_prior=1,
        solver="Newton-CG",
        solver_dict=None,
        classes=None,
        cost_matrix=None,
        missing_label=np.nan,
    ):
        self.n_annotators = n_annotators
        self.tol = tol
        self.max_iter = max_iter
        self.fit_intercept = fit_intercept
        self.annot_prior_full = annot_prior_full
        self.annot_prior_diag = annot_prior_diag
        self.weights_prior = weights_prior
        self.solver = solver
        self.solver_dict = solver_dict
        self.classes = classes
        self.cost_matrix = cost_matrix
        self.missing_label = missing_label

    def _check_labels(self, X, y):
        """The class codes of ``y`` (-1 where missing); sets ``classes_``."""
        if np.ndim(y) != 2:
            raise ValueError(
                "y must be the annotators' label matrix of shape (n_samples, "
                f"n_annotators), got shape {np.shape(y)}; for one annotator "
                "pass y.reshape(-1, 1)."
            )
        Y, labeled = check_annotator_labels(y, self.missing_label, name="y", X=X)
        if self.n_annotators is not None and Y.shape[1] != self.n_annotators:
            raise ValueError(
                f"n_annotators={self.n_annotators} but y has {Y.shape[1]} "
                "annotator columns: pass one column per annotator."
            )
        if not labeled.any() and self.classes is None:
            raise ValueError(
                "y holds no label (every entry is missing) and classes=None, so "
                "the classes are unknown: pass classes=[...] or label a sample."
            )
        self.classes_, positions = encode_classes(Y[labeled], self.classes)
        codes = np.full(Y.shape, -1, dtype=np.intp)
        codes[labeled] = positions
        return codes

    def _design(self, X):
        if self.fit_intercept:
            return np.hstack([np.ones((X.shape[0], 1)), X])
        return X

    def _m_step_weights(self, objective, W):
        method = self.solver
        hessp = objective.hessp if method in {"Newton-CG", "trust-ncg",
                                              "trust-krylov"} else None  # fmt: skip
        result = minimize(
            objective.loss_grad, W.ravel(), method=method, jac=True, hessp=hessp,
            tol=self.tol, options=self._solver_options(),
        )  # fmt: skip
        return result.x.reshape(W.shape)

    def _solver_options(self):
        if self.solver_dict is not None:
            return self.solver_dict
        return {"maxfun" if self.solver == "TNC" else "maxiter": 100}

    def _objectives(self, joint, Mu, evidence, W, prior_counts):
        """The log posterior and EM's expected one (the stopping rule's).

        ``joint = log P(k | x_i) + log U_ik``. The log posterior is
        ``sum_i log sum_k exp(joint_ik)`` (the ``evidence``) plus the log
        priors; the expected one ``sum_ik Mu_ik joint_ik`` plus the same.
        """
        with np.errstate(divide="ignore"):
            log_conf = np.log(self.confusion_)
        prior_w = 0.5 * self.weights_prior * np.sum(W[int(self.fit_intercept) :] ** 2)
        prior = np.sum(prior_counts * np.where(prior_counts > 0, log_conf, 0.0))
        prior -= prior_w
        expected = np.sum(Mu * np.where(Mu > 0, joint, 0.0))
        return float(np.sum(evidence[np.isfinite(evidence)]) + prior), expected + prior

    def _e_step(self, Xd, codes, W):
        """``log P(k | x_i) + log U_ik``, the posteriors and the evidence."""
        with np.errstate(divide="ignore"):
            log_u = log_label_likelihood(codes, np.log(self.confusion_))
        joint = log_softmax(Xd @ W) + log_u
        return joint, *posteriors(joint)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Run EM on the samples ``X`` and the annotators' labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples (finite numbers).
        y : array-like of shape (n_samples, n_annotators)
            ``y[i, j]``: annotator ``j``'s label of ``X[i]``, or
            ``missing_label``. Rows nobody labeled are allowed (and ignored).

        Returns
        -------
        self : AnnotatorLogisticRegression
            The fitted classifier.
        """
        X = validate_data(self, X, dtype="float64")
        codes = self._check_labels(X, y)
        n_classes, self.n_annotators_ = len(self.classes_), codes.shape[1]
        self.cost_matrix_ = check_costs(self.cost_matrix, self.classes, n_classes)
        prior_counts = dirichlet_counts(
            self.annot_prior_full, self.annot_prior_diag, self.n_annotators_, n_classes
        )
        rows = (codes >= 0).any(axis=1)
        Xd, codes = self._design(X[rows]), codes[rows]
        W = np.zeros((Xd.shape[1], n_classes))
        self.confusion_ = normalise_rows(prior_counts)
        self.log_posterior_, self.n_iter_ = [], 0
        if rows.any():
            Mu = vote_counts(codes, n_classes)
            Mu /= Mu.sum(axis=1, keepdims=True)
            expected = -np.inf
            for self.n_iter_ in range(1, self.max_iter + 1):
                W = self._em_step(Xd, codes, Mu, W, prior_counts)
                joint, Mu, evidence = self._e_step(Xd, codes, W)
                log_posterior, gain = self._objectives(
                    joint, Mu, evidence, W, prior_counts
                )
                self.log_posterior_.append(log_posterior)
                gain, expected = abs(gain - expected), gain
                if gain < self.tol:
                    break
        start = int(self.fit_intercept)
        self.coef_ = W[start:].T.copy()
        self.intercept_ = W[0].copy() if self.fit_intercept else np.zeros(n_classes)
        return self

    def _em_step(self, Xd, codes, Mu, W, prior_counts):
        """M-step from the posteriors ``Mu``: sets ``confusion_``, returns W."""
        onehot = np.eye(self.confusion_.shape[1])
        counts = prior_counts.copy()
        for j in range(codes.shape[1]):
            rows = np.flatnonzero(codes[:, j] >= 0)
            counts[j] += Mu[rows].T @ onehot[codes[rows, j]]
        self.confusion_ = normalise_rows(counts)
        objective = SoftLogistic(Xd, Mu, self.weights_prior, self.fit_intercept)
        return self._m_step_weights(objective, W)

    def decision_function(self, X):
        """Return the class scores ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, dtype="float64", reset=False)
        return X @ self.coef_.T + self.intercept_

    def predict_proba(self, X):
        """Return the classifier's probability of each true class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        P : ndarray of shape (n_samples, n_classes)
            In the order of ``classes_``.
        """
        return softmax(self.decision_function(X), axis=1)

    def predict_annotator_perf(self, X):
        """Return each annotator's probability of labeling ``X`` correctly.

        ``sum_k P(k | x) confusion_[j, k, k]``: scikit-activeml's
        ``predict_proba(X, extra_outputs="annotator_perf")``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        perf : ndarray of shape (n_samples, n_annotators)
        """
        P = self.predict_proba(X)
        return P @ np.diagonal(self.confusion_, axis1=1, axis2=2).T
