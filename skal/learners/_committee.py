"""Committees of models: members fitted in parallel, the stack of their opinions."""

import warnings

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import ClassifierTags
from sklearn.utils.metaestimators import available_if

from ..utils import num_rows
from ._base import BaseLearner
from ._committee_base import _CommitteeMixin
from ._docs import fill_shared


class _Members:
    """Hold the fitted members of a classifier committee (its ``estimator_``).

    Parameters
    ----------
    names : list of str
        Member names.
    estimators : list of estimator objects
        Fitted members (on encoded labels).
    classes : ndarray of shape (n_classes,)
        The original class labels.
    """

    def __init__(self, names, estimators, classes):
        self.names = names
        self.estimators_ = estimators
        self.classes_ = classes

    def predict_proba_samples(self, X):
        n_classes = len(self.classes_)
        stack = np.empty((len(self.estimators_), num_rows(X), n_classes))
        for out, est, name in zip(stack, self.estimators_, self.names):
            seen = est.classes_
            if hasattr(est, "predict_proba"):
                proba = est.predict_proba(X)
            else:  # a hard vote, one-hot
                proba = (est.predict(X)[:, None] == seen).astype(float)
            if proba.shape[1] != len(seen):
                raise ValueError(
                    f"Member {name!r} returns {proba.shape[1]} probability columns "
                    f"but knows {len(seen)} classes: a net whose module has more "
                    "outputs than the classes labeled so far. Label every class "
                    "first, or set the net's classes (NeuralNetClassifier(..., "
                    "classes=range(n_outputs))) so that columns and classes agree."
                )
            if len(seen) == n_classes:
                out[...] = proba
            else:  # the member never saw some classes: zero columns there
                out.fill(0.0)
                out[:, seen] = proba
        return stack

    def member_votes(self, X):
        votes = np.empty((len(self.estimators_), num_rows(X)), dtype=np.intp)
        for out, est in zip(votes, self.estimators_):
            out[...] = est.predict(X)  # members are fitted on encoded labels
        return votes

    def predict_proba(self, X):
        return self.predict_proba_samples(X).mean(axis=0)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


@fill_shared
class Committee(_CommitteeMixin, BaseLearner):
    """A committee of classifiers that queries where its members disagree.

    Query by committee (Seung et al. 1992) trains several models and asks
    for labels where they disagree most. The committee is either
    heterogeneous (``estimators=[(name, estimator), ...]``, each member
    tunable as ``<name>__<param>`` in a grid search) or bagged (one
    ``estimator`` cloned ``n_members`` times, each fitted on a bootstrap
    sample of the labeled rows; Abe & Mamitsuka 1998). Members are fitted in
    parallel on label-encoded targets, and ``teach`` refits all of them on
    fresh bootstrap draws (``rebag()`` redraws them without new labels).
    ``predict_proba`` is the consensus (the mean of the members'
    probabilities); :meth:`predict_proba_samples` returns every
    member's probabilities, aligned to ``classes_`` even when a member's
    bootstrap sample missed a class (that column is zero).

    Parameters
    ----------
    estimators : list of (str, estimator) tuples, default=None
        The members of a heterogeneous committee. A member without
        ``predict_proba`` contributes a one-hot vote.
    estimator : estimator object, default=None
        The classifier of a bagged committee (exclusive with
        ``estimators``); members get distinct seeds for their
        ``random_state`` parameters.
    n_members : int, default=5
        Members of a bagged committee.
    bootstrap : {"auto", True, False}, default="auto"
        Fit each member on a bootstrap sample of the labeled rows. ``"auto"``
        bootstraps a bagged committee and not a heterogeneous one.
    .. shared:: member_data
    query_strategy : str, strategy object or callable, default="vote_entropy"
        A disagreement name (``"vote_entropy"``, ``"consensus_entropy"``,
        ``"max_disagreement"``, ``"variation_ratio"``), a strategy such as
        ``QueryByCommittee(measure="bald")``, or any other strategy.
    .. shared:: batch_size
    .. shared:: budget
    .. shared:: n_initial
    .. shared:: initial_strategy
    .. shared:: missing_label
    .. shared:: n_jobs
    .. shared:: random_state

    Attributes
    ----------
    estimators_ : list of estimator objects
        The fitted members (fitted on encoded labels ``0..n_classes-1``).
    named_estimators_ : dict
        The fitted members by name.
    member_masks_ : ndarray of bool of shape (n_members, n_rows) or None
        Which rows of ``X_`` each member trains on; ``None`` with
        ``member_data="shared"``.
    estimator_ : object
        Holds the fitted members; its ``predict_proba`` is the consensus.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    query_strategy_, X_, y_, labeled_mask_, history_, n_features_in_ : object
        As in :class:`skal.ActiveLearner`.

    See Also
    --------
    skal.strategies.QueryByCommittee : The disagreement strategies.
    skal.CommitteeRegressor : The regression committee.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal import Committee
    >>> from skal.datasets import make_pool
    >>> X, y = load_iris(return_X_y=True)
    >>> y_pool = make_pool(y, n_labeled=12, random_state=0)
    >>> committee = Committee([("lr", LogisticRegression()), ("nb", GaussianNB())],
    ...                       batch_size=2, random_state=0).fit(X, y_pool)
    >>> committee.predict_proba_samples(X[:3]).shape
    (2, 3, 3)
    >>> committee.query().shape
    (2,)
    """

    def __init__(
        self,
        estimators=None,
        *,
        estimator=None,
        n_members=5,
        bootstrap="auto",
        member_data="shared",
        query_strategy="vote_entropy",
        batch_size=1,
        budget=None,
        n_initial=10,
        initial_strategy=None,
        missing_label=-1,
        n_jobs=None,
        random_state=None,
    ):
        self.estimators = estimators
        self.estimator = estimator
        self.n_members = n_members
        self.bootstrap = bootstrap
        self.member_data = member_data
        self.query_strategy = query_strategy
        self.batch_size = batch_size
        self.budget = budget
        self.n_initial = n_initial
        self.initial_strategy = initial_strategy
        self.missing_label = missing_label
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _fit_estimator(self, X, y):
        encoder = LabelEncoder().fit(y)
        y_enc = encoder.transform(y)
        if encoder.classes_.shape[0] < 2:
            warnings.warn(
                f"Only one class ({encoder.classes_.tolist()[0]!r}) is labeled: the "
                "committee cannot be trained yet. Predictions are that class and "
                "queries are random until a second class is labeled.",
                UserWarning,
                stacklevel=4,
            )
            names, _, _ = self._member_templates()
            dummy = DummyClassifier(strategy="most_frequent").fit(X, y_enc)
            return _Members(names, [dummy] * len(names), encoder.classes_)
        names, fitted = self._fit_members(X, y_enc, classify=True)
        return _Members(names, fitted, encoder.classes_)

    def _check_fitted_X(self, X):
        self._model()
        return self._check_X(X, reset=False)

    def predict_proba_samples(self, X):
        """Return every member's class probabilities as one stack.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        stack : ndarray of shape (n_members, n_samples, n_classes)
            Columns follow ``classes_``; a class a member never saw has
            probability 0 in that member's rows.
        """
        X = self._check_fitted_X(X)
        return self.estimator_.predict_proba_samples(X)

    def member_votes(self, X):
        """Return each member's vote: the column of ``classes_`` it predicts.

        A member votes with its own ``predict`` (as in Dagan & Engelson 1995,
        modAL and scikit-activeml), which for scikit-learn classifiers is the
        argmax of its probabilities, i.e. ``predict_proba_samples(X).argmax(
        axis=2)``, at the cost of one prediction and no probability stack.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        votes : ndarray of int of shape (n_members, n_samples)
            Indices into ``classes_``.
        """
        X = self._check_fitted_X(X)
        return self.estimator_.member_votes(X)

    def predict_proba(self, X):
        """Return the consensus: the members' mean class probabilities.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        X = self._check_fitted_X(X)
        return self.estimator_.predict_proba(X)

    def predict_log_proba(self, X):
        """Return the log of the consensus probabilities.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Predict the class of highest consensus probability.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        X = self._check_fitted_X(X)
        return self.estimator_.predict(X)

    @available_if(lambda self: False)
    def decision_function(self, X):
        """Not available: a committee predicts probabilities.

        Parameters
        ----------
        X : array-like
            Samples.
        """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.regressor_tags = None
        return tags
