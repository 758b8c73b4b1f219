"""A multi-annotator classifier inside :class:`MultiAnnotatorLearner`.

The learner's inner :class:`skal.ActiveLearner` fits its model on the rows
that have an aggregated label, in their order. A classifier that learns
from the annotators' labels themselves (``AnnotatorLogisticRegression``,
``AnnotatorEnsembleClassifier``, ``CrowdLayerClassifier``,
``AnnotMixClassifier``: a class attribute ``_annotator_matrix = True``) is
wrapped in
:class:`LabelMatrixFit`, which fits it on the label matrix of those same
rows instead of on the aggregated labels.
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.utils.validation import check_is_fitted


def takes_label_matrix(estimator):
    """Whether ``estimator`` learns from an ``(n_samples, n_annotators)`` matrix."""
    return bool(getattr(estimator, "_annotator_matrix", False))


def with_classes(estimator, classes, all_classes):
    """``estimator`` told every class position when the learner has ``classes``.

    The inner model learns class positions ``0 .. n_classes - 1``; one with a
    ``classes`` parameter (a network with fixed outputs) gets all of them, so
    a class nobody has labeled yet keeps its output.
    """
    if classes is None or "classes" not in estimator.get_params(deep=False):
        return estimator
    return clone(estimator).set_params(classes=np.arange(len(all_classes)))


def label_codes(Y, labeled, classes):
    """``Y`` as class positions among ``classes``, NaN where nobody labeled."""
    codes = np.full(Y.shape, np.nan)
    if labeled.any():
        codes[labeled] = np.searchsorted(classes, Y[labeled])
    return codes


class LabelMatrixFit(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Fit a multi-annotator classifier on the label matrix of the rows given.

    Parameters
    ----------
    estimator : estimator object
        A classifier whose ``fit(X, Y)`` takes one column per annotator and
        has a ``missing_label`` parameter (set to NaN here).
    codes : ndarray of shape (n_rows, n_annotators)
        The annotators' labels of the rows ``fit`` gets, in their order, as
        class positions (NaN: no label).

    Attributes
    ----------
    estimator_ : estimator object
        The fitted classifier.
    classes_ : ndarray of shape (n_classes,)
        The class positions it learned.
    """

    def __init__(self, estimator, codes):
        self.estimator = estimator
        self.codes = codes

    def fit(self, X, y):
        """Fit ``estimator`` on ``X`` and the label matrix of its rows.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)
            The rows with an aggregated label, in order.
        y : array-like of shape (n_rows,)
            Their aggregated labels: only their number is used.

        Returns
        -------
        self : LabelMatrixFit
            The fitted wrapper.
        """
        if len(y) != self.codes.shape[0]:
            raise ValueError(
                f"{type(self.estimator).__name__} learns from the annotators' "
                f"labels of the {self.codes.shape[0]} labeled samples, but was "
                f"asked to fit {len(y)} rows: strategies that refit the model on "
                "hypothetical labels (e.g. 'eer') cannot run with a "
                "multi-annotator classifier; use e.g. 'entropy' or 'margin'."
            )
        estimator = clone(self.estimator)
        if "missing_label" not in estimator.get_params(deep=False):
            raise TypeError(
                f"{type(estimator).__name__} declares _annotator_matrix but has "
                "no missing_label parameter to mark the labels not given."
            )
        self.estimator_ = estimator.set_params(missing_label=np.nan)
        self.estimator_.fit(X, self.codes)
        self.classes_ = np.asarray(self.estimator_.classes_)
        return self

    def predict_proba(self, X):
        """Return the classifier's class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        """Return the classifier's predicted class positions.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Class positions.
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def predict_annotator_perf(self, X):
        """Return the classifier's per-sample annotator performances.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        perf : ndarray of shape (n_samples, n_annotators)
            Each annotator's estimated probability of a correct label.
        """
        check_is_fitted(self)
        return self.estimator_.predict_annotator_perf(X)
