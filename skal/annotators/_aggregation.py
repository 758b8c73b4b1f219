"""Aggregating noisy labels: majority vote and Dawid–Skene EM."""

from numbers import Integral, Real

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import validate_params
from sklearn.utils.validation import check_is_fitted

from ..utils._validation import MISSING_LABEL_CONSTRAINT, POSITIVE_INT, _NoBool
from ._labels import check_annotator_labels, encode_labels, vote_counts


def _decode(codes, classes, missing_label):
    """Class labels of ``codes``; ``missing_label`` where a code is -1."""
    missing = codes < 0
    if not missing.any():
        return classes[codes]
    dtype = np.result_type(classes.dtype, np.asarray(missing_label).dtype)
    if classes.dtype.kind in "iu" and isinstance(missing_label, Integral):
        limits = np.iinfo(classes.dtype)  # int8 labels stay int8 beside -1
        if limits.min <= missing_label <= limits.max:
            dtype = classes.dtype
    if missing_label is None or classes.dtype.kind in "USO":
        dtype = object
    out = np.empty(codes.shape, dtype=dtype)
    out[~missing] = classes[codes[~missing]]
    out[missing] = missing_label
    return out


@validate_params(
    {
        "Y": ["array-like"],
        "weights": ["array-like", None],
        "classes": ["array-like", None],
        "missing_label": MISSING_LABEL_CONSTRAINT,
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def majority_vote(
    Y, *, weights=None, classes=None, missing_label=-1, random_state=None
):
    """Return the most voted label of each sample; ties broken at random.

    Parameters
    ----------
    Y : array-like of shape (n_samples, n_annotators)
        Labels of each annotator, ``missing_label`` where it has not labeled.
    weights : array-like of shape (n_annotators,) or (n_samples, n_annotators)
        Weight of each vote (e.g. estimated accuracies); 1 when None.
    classes : array-like, default=None
        The classes; the labels present in ``Y`` when None.
    missing_label : scalar, str, None or nan, default=-1
        Marker of a missing label, also returned for samples without votes.
    random_state : int, RandomState instance or None, default=None
        Breaks ties.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The winning label of each sample.

    Examples
    --------
    >>> from skal.annotators import majority_vote
    >>> majority_vote([[0, 0, 1], [1, -1, 1], [-1, -1, -1]]).tolist()
    [0, 1, -1]
    >>> majority_vote([[0, 1]], weights=[1.0, 2.0]).tolist()
    [1]
    """
    Y, labeled = check_annotator_labels(Y, missing_label)
    codes, classes = encode_labels(Y, labeled, classes, missing_label)
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        if weights.shape not in ((Y.shape[1],), Y.shape):
            raise ValueError(
                f"weights must have shape ({Y.shape[1]},) or {Y.shape}, got "
                f"{weights.shape}."
            )
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError("weights must be finite and non-negative.")
    if len(classes) == 0:
        return _decode(np.full(Y.shape[0], -1), classes, missing_label)  # Y's dtype
    counts = vote_counts(codes, len(classes), weights)
    rng = check_random_state(random_state)
    top = counts.max(axis=1, keepdims=True)
    winners = (counts == top) & (top > 0)
    noise = rng.random_sample(counts.shape)
    out = np.where(winners.any(axis=1), np.argmax(np.where(winners, noise, -1), 1), -1)
    return _decode(out, classes, missing_label)


class DawidSkene(BaseEstimator):
    """Estimate each annotator's confusion matrix and the true labels by EM.

    Dawid and Skene (1979): annotator ``j`` answers class ``l`` for a sample
    of true class ``k`` with probability ``pi_j[k, l]``, independently of
    the other annotators. EM alternates the posterior of each sample's class
    (E-step) with the prior and confusion matrices it implies (M-step),
    starting from the majority vote's class fractions.

    Parameters
    ----------
    classes : array-like, default=None
        The classes; the labels present in ``Y`` when None.
    missing_label : scalar, str, None or nan, default=-1
        Marker of a missing label.
    max_iter : int, default=100
        Largest number of EM iterations.
    tol : float, default=1e-6
        Stop when the log-likelihood gains less than ``tol``.
    smoothing : float, default=0.01
        Pseudo-count added to every cell of the confusion matrices and the
        prior (a Dirichlet prior), so an unseen answer is not impossible.
    diagonal_prior : float, default=1.0
        Extra pseudo-count on the diagonal of every confusion matrix: the
        prior belief that annotators are better than chance, which keeps EM
        from swapping the classes when each annotator has few labels. 0
        gives Dawid and Skene's maximum-likelihood EM.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    n_annotators_ : int
    prior_ : ndarray of shape (n_classes,)
        Estimated class frequencies.
    confusion_ : ndarray of shape (n_annotators, n_classes, n_classes)
        ``confusion_[j, k, l]``: probability that annotator ``j`` answers
        ``classes_[l]`` for a sample of class ``classes_[k]``.
    annotator_accuracy_ : ndarray of shape (n_annotators,)
        ``sum_k prior_[k] * confusion_[j, k, k]``.
    proba_ : ndarray of shape (n_samples, n_classes)
        Posterior class probabilities of the fitted samples (the prior for a
        sample without labels).
    log_likelihood_ : list of float
        Log-likelihood of the labels after each iteration.
    n_iter_ : int

    References
    ----------
    A. P. Dawid and A. M. Skene. Maximum likelihood estimation of observer
    error-rates using the EM algorithm. Journal of the Royal Statistical
    Society C, 28(1):20-28, 1979.

    Examples
    --------
    >>> from skal.annotators import DawidSkene
    >>> Y = [[0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 1, 0]]
    >>> ds = DawidSkene().fit(Y)
    >>> ds.predict(Y).tolist()
    [0, 1, 0, 1]
    >>> ds.annotator_accuracy_.round(2).tolist()
    [1.0, 1.0, 0.67]
    """

    _parameter_constraints = {
        "classes": ["array-like", None],
        "missing_label": MISSING_LABEL_CONSTRAINT,
        "max_iter": [POSITIVE_INT],
        "tol": [_NoBool(Real, 0, None, closed="left")],
        "smoothing": [_NoBool(Real, 0, None, closed="left")],
        "diagonal_prior": [_NoBool(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        classes=None,
        missing_label=-1,
        max_iter=100,
        tol=1e-6,
        smoothing=0.01,
        diagonal_prior=1.0,
    ):
        self.classes = classes
        self.missing_label = missing_label
        self.max_iter = max_iter
        self.tol = tol
        self.smoothing = smoothing
        self.diagonal_prior = diagonal_prior

    def _codes(self, Y, *, fitting):
        Y, labeled = check_annotator_labels(Y, self.missing_label)
        if not fitting and Y.shape[1] != self.n_annotators_:
            raise ValueError(
                f"Y has {Y.shape[1]} annotator columns, but DawidSkene was fitted "
                f"with {self.n_annotators_}."
            )
        classes = self.classes if fitting else self.classes_
        return encode_labels(Y, labeled, classes, self.missing_label)

    def _log_joint(self, codes):
        """``log p(class k, labels of sample i)`` for every i and k."""
        with np.errstate(divide="ignore"):
            log_conf = np.log(self.confusion_)
            log_joint = np.tile(np.log(self.prior_), (codes.shape[0], 1))
        for j in range(codes.shape[1]):
            rows = np.flatnonzero(codes[:, j] >= 0)
            log_joint[rows] += log_conf[j][:, codes[rows, j]].T
        return log_joint

    def _e_step(self, codes):
        log_joint = self._log_joint(codes)
        impossible = ~np.isfinite(log_joint.max(axis=1))
        log_joint[impossible] = np.log(self.prior_ + 1e-300)
        evidence = logsumexp(log_joint, axis=1, keepdims=True)
        return np.exp(log_joint - evidence), float(evidence[~impossible].sum())

    def _m_step(self, codes, T):
        n_classes = T.shape[1]
        has = (codes >= 0).any(axis=1)
        prior = T[has].sum(axis=0) + self.smoothing
        self.prior_ = prior / prior.sum()
        conf = np.full((codes.shape[1], n_classes, n_classes), float(self.smoothing))
        conf += self.diagonal_prior * np.eye(n_classes)
        for j in range(codes.shape[1]):
            rows = np.flatnonzero(codes[:, j] >= 0)
            np.add.at(conf[j].T, codes[rows, j], T[rows])
        totals = conf.sum(axis=2, keepdims=True)
        # a class no sample of which annotator j saw: uniform answers
        self.confusion_ = np.divide(
            conf, totals, out=np.full_like(conf, 1.0 / n_classes), where=totals > 0
        )

    def fit(self, Y, y=None):
        """Run EM on the label matrix ``Y``.

        Parameters
        ----------
        Y : array-like of shape (n_samples, n_annotators)
            Labels of each annotator, ``missing_label`` where missing.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._validate_params()
        codes, classes = self._codes(Y, fitting=True)
        if classes.size == 0:
            raise ValueError("Y holds no label: every entry is missing.")
        self.classes_, self.n_annotators_ = classes, codes.shape[1]
        counts = vote_counts(codes, len(classes))
        totals = counts.sum(axis=1, keepdims=True)
        T = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
        self.log_likelihood_ = []
        for self.n_iter_ in range(1, self.max_iter + 1):
            self._m_step(codes, T)
            T, log_likelihood = self._e_step(codes)
            self.log_likelihood_.append(log_likelihood)
            if (
                len(self.log_likelihood_) > 1
                and log_likelihood - self.log_likelihood_[-2] < self.tol
            ):
                break
        self.proba_ = T
        self.annotator_accuracy_ = np.einsum("k,jkk->j", self.prior_, self.confusion_)
        return self

    def predict_proba(self, Y):
        """Return the posterior class probabilities of each sample.

        Parameters
        ----------
        Y : array-like of shape (n_samples, n_annotators)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The prior for a sample without labels.
        """
        check_is_fitted(self, "confusion_")
        codes, _ = self._codes(Y, fitting=False)
        return self._e_step(codes)[0]

    def predict(self, Y):
        """Return the most probable class; ``missing_label`` without labels.

        Parameters
        ----------
        Y : array-like of shape (n_samples, n_annotators)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "confusion_")
        codes, _ = self._codes(Y, fitting=False)
        best = np.argmax(self._e_step(codes)[0], axis=1)
        best[~(codes >= 0).any(axis=1)] = -1
        return _decode(best, self.classes_, self.missing_label)


def aggregate(Y, labeled, aggregation, missing_label, rng):
    """One label per row from the annotators' labels: ``(y, fitted aggregator)``.

    ``aggregation`` is ``"majority"`` (ties broken at random by ``rng``),
    ``"dawid_skene"`` or an aggregator object (cloned, given
    ``missing_label``); rows nobody labeled get ``missing_label``, and the
    aggregator is None for a majority vote or when no row is labeled.
    """
    if not labeled.any():
        dtype = object if missing_label is None else None
        return np.full(len(Y), missing_label, dtype=dtype), None
    if isinstance(aggregation, str) and aggregation == "majority":
        return majority_vote(Y, missing_label=missing_label, random_state=rng), None
    template = DawidSkene() if isinstance(aggregation, str) else clone(aggregation)
    if "missing_label" in template.get_params():
        template = template.set_params(missing_label=missing_label)
    aggregator = template.fit(Y)
    return aggregator.predict(Y), aggregator
