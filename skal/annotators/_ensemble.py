"""One classifier per annotator, combined by hard or soft voting."""

import numpy as np
from sklearn.base import ClassifierMixin, MetaEstimatorMixin, _fit_context, clone
from sklearn.dummy import DummyClassifier
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

from ..estimators._frequencies import (
    LeastCostPredictMixin,
    check_costs,
    encode_classes,
)
from ..utils import accepts_nan, check_finite, take_rows
from ..utils._validation import MISSING_LABEL_CONSTRAINT
from ._labels import check_annotator_labels


class AnnotatorEnsembleClassifier(
    LeastCostPredictMixin, ClassifierMixin, MetaEstimatorMixin, _BaseComposition
):
    """One classifier per annotator, combined by hard or soft voting.

    Member ``j`` is a clone of ``estimators[j]`` fitted on the samples
    annotator ``j`` labeled, with ``j``'s labels. Hard voting gives each
    member one vote for its predicted class; soft voting averages the
    members' probabilities. Members of annotators without a label abstain.
    See :ref:`annotator_ensemble` for the formulas.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        One named scikit-learn classifier per annotator (column of ``y``),
        in the order of the columns. Soft voting needs ``predict_proba``.
    voting : {"hard", "soft"}, default="hard"
        ``"hard"``: the fraction of members voting for a class (their
        ``predict``); ``"soft"``: the mean of their ``predict_proba``.
    classes : array-like of shape (n_classes,), default=None
        All classes; the labels present in ``y`` when None.
    missing_label : scalar, str, None or nan, default=nan
        The marker of an unlabeled entry of ``y``; NaN and None always
        count as missing.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]`` is the cost of predicting class ``j`` for a
        sample of class ``i``, rows and columns in the order of ``classes``
        (of the sorted classes when ``classes`` is None); ``1 - I`` when
        None (``predict`` is then the most probable class).

    Attributes
    ----------
    estimators_ : list of estimators or None
        The fitted member of each annotator: a clone of its estimator; a
        fitted ``DummyClassifier`` that predicts the one class when the
        annotator gave only one (most classifiers cannot be fitted on a
        single class); None when the annotator labeled nothing.
    named_estimators_ : dict
        ``estimators_`` by name.
    classes_ : ndarray of shape (n_classes,)
        The sorted classes.
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        The costs, in the order of ``classes_``.
    n_labels_ : ndarray of shape (n_annotators,)
        How many samples each annotator labeled.

    See Also
    --------
    MultiAnnotatorLearner : Active learning over (sample, annotator) pairs.
    majority_vote : The vote over the annotators' own labels.

    Notes
    -----
    scikit-activeml 1.0.1's ``AnnotatorEnsembleClassifier`` fits the same
    members (``SkactivemlClassifier`` wrappers there, any scikit-learn
    classifier here) and votes the same way. Differences: a member whose
    annotator labeled nothing is left out here, where scikit-activeml's
    predicts uniform probabilities (soft) or a random class (hard), which
    flattens the probabilities or adds a random vote; ``predict`` breaks ties
    towards the first class of ``classes_``, as skal's estimators do, so
    there is no ``random_state``; ``fit`` with no label at all raises
    instead of predicting uniformly.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.annotators import AnnotatorEnsembleClassifier
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0], [1.1], [1.2]])
    >>> Y = np.array([[0, 0, 1], [0, 0, 0], [0, np.nan, 0],
    ...               [1, 1, 1], [1, 1, np.nan], [1, 0, 1]])
    >>> ens = AnnotatorEnsembleClassifier(
    ...     [("ann", GaussianNB()), ("bob", GaussianNB()), ("cy", GaussianNB())]
    ... ).fit(X, Y)
    >>> ens.predict([[0.05], [1.15]]).tolist()
    [0.0, 1.0]
    >>> ens.predict_proba([[1.15]]).round(2).tolist()
    [[0.0, 1.0]]
    """

    _annotator_matrix = True

    _parameter_constraints = {
        "estimators": [list],
        "voting": [StrOptions({"hard", "soft"})],
        "classes": ["array-like", None],
        "missing_label": MISSING_LABEL_CONSTRAINT,
        "cost_matrix": ["array-like", None],
    }

    def __init__(
        self,
        estimators,
        *,
        voting="hard",
        classes=None,
        missing_label=np.nan,
        cost_matrix=None,
    ):
        self.estimators = estimators
        self.voting = voting
        self.classes = classes
        self.missing_label = missing_label
        self.cost_matrix = cost_matrix

    # ----------------------------------------------------- nested parameters
    def get_params(self, deep=True):
        """Get parameters, with each member's as ``<name>__<param>``.

        Parameters
        ----------
        deep : bool, default=True
            Also return the members and their parameters.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params):
        """Set parameters; ``<name>=est`` replaces a member, ``<name>__p`` tunes it.

        Parameters
        ----------
        **params : dict
            Parameters of the ensemble or of a member.

        Returns
        -------
        self : object
            The ensemble.
        """
        return self._set_params("estimators", **params)

    def _check_members(self, n_annotators):
        pairs = self.estimators
        if not pairs or not all(
            isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)
            for p in pairs
        ):
            raise ValueError(
                "estimators must be a non-empty list of (name, estimator) tuples, "
                "one per annotator; for the same model everywhere pass "
                "[(f'a{j}', model) for j in range(n_annotators)]. Got "
                f"{pairs!r}."
            )
        names, members = zip(*pairs)
        self._validate_names(names)
        if len(members) != n_annotators:
            raise ValueError(
                f"y has {n_annotators} annotator columns but estimators lists "
                f"{len(members)} members: give one (name, estimator) per annotator, "
                "in the order of the columns."
            )
        soft = self.voting == "soft"
        needed = ["fit", "predict", "predict_proba"] if soft else ["fit", "predict"]
        for name, est in pairs:
            lacking = [m for m in needed if not hasattr(est, m)]
            if lacking:
                raise TypeError(
                    f"Member {name!r} ({est!r}) has no {', '.join(lacking)}; "
                    f"voting={self.voting!r} needs classifiers with "
                    f"{', '.join(needed)}."
                )
        return names, members

    def _allow_nan(self, members):
        return all(accepts_nan(est) for est in members if est is not None)

    # ------------------------------------------------------------- fitting
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Fit one member per annotator on the samples it labeled.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, ...)
            The samples, in a form the members accept.
        y : array-like of shape (n_samples, n_annotators)
            ``y[i, j]`` is annotator ``j``'s label of sample ``i``, or
            ``missing_label`` where ``j`` has not labeled ``i``.
        sample_weight : array-like of shape (n_samples, n_annotators), default=None
            The weight of each label, passed to the members' ``fit``.

        Returns
        -------
        self : object
            The fitted ensemble.
        """
        Y, labeled = check_annotator_labels(y, self.missing_label, name="y", X=X)
        names, members = self._check_members(Y.shape[1])
        if not labeled.any():
            raise ValueError(
                "y holds no label (every entry is missing): the members need at "
                "least one labeled sample to be fitted."
            )
        check_finite(X, allow_nan=self._allow_nan(members))
        self.classes_, codes = encode_classes(Y[labeled], self.classes)
        n_classes = len(self.classes_)
        self.cost_matrix_ = check_costs(self.cost_matrix, self.classes, n_classes)
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=float)
            if sample_weight.shape != Y.shape:
                raise ValueError(
                    f"sample_weight must have the shape of y {Y.shape} (one weight "
                    f"per label); got {sample_weight.shape}."
                )
            for name, est in zip(names, members):
                if not has_fit_parameter(est, "sample_weight"):
                    raise TypeError(
                        f"Member {name!r} ({est!r}) takes no sample_weight in fit; "
                        "fit without sample_weight or use members that take it."
                    )
        label_codes = np.full(Y.shape, -1, dtype=np.intp)
        label_codes[labeled] = codes
        self.n_labels_ = labeled.sum(axis=0)
        self.estimators_ = [
            self._fit_member(est, X, label_codes[:, j], sample_weight, j)
            for j, est in enumerate(members)
        ]
        self.named_estimators_ = dict(zip(names, self.estimators_))
        first = next(e for e in self.estimators_ if e is not None)
        if hasattr(first, "n_features_in_"):
            self.n_features_in_ = first.n_features_in_
        return self

    def _fit_member(self, estimator, X, codes, sample_weight, j):
        rows = np.flatnonzero(codes >= 0)
        if rows.size == 0:
            return None
        y_j = self.classes_[codes[rows]]
        single = np.all(codes[rows] == codes[rows[0]])
        member = (
            DummyClassifier(strategy="most_frequent") if single else clone(estimator)
        )
        kwargs = (
            {} if sample_weight is None else {"sample_weight": sample_weight[rows, j]}
        )
        return member.fit(take_rows(X, rows), y_j, **kwargs)

    # ----------------------------------------------------------- predicting
    def _positions(self, labels):
        labels = np.asarray(labels)
        pos = np.clip(np.searchsorted(self.classes_, labels), 0, len(self.classes_) - 1)
        if not np.array_equal(self.classes_[pos], labels):
            raise ValueError(
                "A member predicted labels that are not in classes_ "
                f"{self.classes_.tolist()}."
            )
        return pos

    def predict_proba(self, X):
        """Return the vote fractions (hard) or mean probabilities (soft).

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame of shape (n_samples, ...)
            The samples.

        Returns
        -------
        P : ndarray of shape (n_samples, n_classes)
            Rows summing to 1, columns in the order of ``classes_``.
        """
        check_is_fitted(self, "estimators_")
        active = [e for e in self.estimators_ if e is not None]
        check_finite(X, allow_nan=self._allow_nan(active))
        P = None
        for member in active:
            if self.voting == "hard":
                pos = self._positions(member.predict(X))
                if P is None:
                    P = np.zeros((len(pos), len(self.classes_)))
                P[np.arange(len(pos)), pos] += 1.0
            else:
                proba = member.predict_proba(X)
                if P is None:
                    P = np.zeros((proba.shape[0], len(self.classes_)))
                P[:, self._positions(member.classes_)] += proba
        P /= len(active)
        return P

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        try:
            members = [e for _, e in self.estimators]
        except (TypeError, ValueError):  # not (name, estimator) pairs
            members = []
        tags.input_tags.allow_nan = bool(members) and self._allow_nan(members)
        tags.target_tags.two_d_labels = True
        return tags
