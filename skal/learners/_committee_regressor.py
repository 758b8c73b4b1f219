"""A committee of regressors: query where the members' predictions spread most."""

import numpy as np
from sklearn.utils import RegressorTags

from ..utils import num_rows
from ._base import BaseLearner
from ._committee_base import _CommitteeMixin
from ._docs import fill_shared


class _RegressionMembers:
    """Hold the fitted members of a regression committee (its ``estimator_``).

    Parameters
    ----------
    names : list of str
        Member names.
    estimators : list of estimator objects
        Fitted members.
    """

    def __init__(self, names, estimators):
        self.names = names
        self.estimators_ = estimators

    def predict_samples(self, X):
        out = np.empty((len(self.estimators_), num_rows(X)))
        for row, est in zip(out, self.estimators_):
            row[...] = np.asarray(est.predict(X), dtype=float).reshape(-1)
        return out

    def predict(self, X, return_std=False):
        samples = self.predict_samples(X)
        mean = samples.mean(axis=0)
        return (mean, samples.std(axis=0)) if return_std else mean


@fill_shared
class CommitteeRegressor(_CommitteeMixin, BaseLearner):
    """A committee of regressors that queries where its members disagree.

    Query by committee for regression (Burbidge, Rowland & King 2007):
    several regressors are trained, on bootstrap samples for a bagged
    committee, and the samples whose predictions vary most across members
    (largest standard deviation) are queried. ``predict`` is the members'
    mean; ``predict(X, return_std=True)`` and :meth:`predict_std` give their
    spread, the signal of :class:`skal.strategies.StdSampling`.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples, default=None
        The members of a heterogeneous committee, each tunable as
        ``<name>__<param>``.
    estimator : estimator object, default=None
        The regressor of a bagged committee (exclusive with
        ``estimators``); members get distinct ``random_state`` seeds.
    n_members : int, default=5
        Members of a bagged committee.
    bootstrap : {"auto", True, False}, default="auto"
        Fit each member on a bootstrap sample of the labeled rows. ``"auto"``
        bootstraps a bagged committee and not a heterogeneous one.
    .. shared:: member_data
    query_strategy : str, strategy object or callable, default="std"
        ``"std"`` (the members' spread), ``"gsx"``, ``"gsy"``, ``"igs"``
        (greedy sampling), ``"random"``, or a strategy object.
    .. shared:: batch_size
    .. shared:: budget
    .. shared:: n_initial
    .. shared:: initial_strategy
    missing_label : float, default=np.nan
        Marker of unlabeled rows in ``y``; NaN always marks them.
    .. shared:: n_jobs
    .. shared:: random_state

    Attributes
    ----------
    estimators_ : list of estimator objects
        The fitted members.
    named_estimators_ : dict
        The fitted members by name.
    member_masks_ : ndarray of bool of shape (n_members, n_rows) or None
        Which rows of ``X_`` each member trains on; ``None`` with
        ``member_data="shared"``.
    estimator_ : object
        Holds the fitted members.
    query_strategy_, X_, y_, labeled_mask_, history_, n_features_in_ : object
        As in :class:`skal.ActiveLearner`.

    See Also
    --------
    skal.Committee : The classifier committee.
    skal.strategies.GreedySampling : Greedy sampling in input/output space.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skal import CommitteeRegressor
    >>> X = np.linspace(0, 6, 60).reshape(-1, 1)
    >>> y = np.sin(X).ravel()
    >>> y_pool = np.full(60, np.nan); y_pool[::10] = y[::10]
    >>> committee = CommitteeRegressor(estimator=DecisionTreeRegressor(),
    ...                                n_members=4, random_state=0).fit(X, y_pool)
    >>> committee.predict_samples(X[:2]).shape
    (4, 2)
    >>> committee.query(batch_size=3).shape
    (3,)
    """

    def __init__(
        self,
        estimators=None,
        *,
        estimator=None,
        n_members=5,
        bootstrap="auto",
        member_data="shared",
        query_strategy="std",
        batch_size=1,
        budget=None,
        n_initial=10,
        initial_strategy=None,
        missing_label=np.nan,
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
        names, fitted = self._fit_members(X, y, classify=False)
        return _RegressionMembers(names, fitted)

    def predict_samples(self, X):
        """Return every member's predictions.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        samples : ndarray of shape (n_members, n_samples)
            One row per member.
        """
        self._model()
        return self.estimator_.predict_samples(self._check_X(X, reset=False))

    def predict(self, X, return_std=False):
        """Predict the members' mean, and optionally their standard deviation.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.
        return_std : bool, default=False
            Also return the members' standard deviation.

        Returns
        -------
        y_mean : ndarray of shape (n_samples,)
            Mean prediction.
        y_std : ndarray of shape (n_samples,)
            Standard deviation over members; only with ``return_std=True``.
        """
        self._model()
        return self.estimator_.predict(
            self._check_X(X, reset=False), return_std=return_std
        )

    def predict_std(self, X):
        """Return the standard deviation of the members' predictions.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame
            Samples.

        Returns
        -------
        y_std : ndarray of shape (n_samples,)
            Spread of the committee; zero where all members agree.
        """
        return self.predict(X, return_std=True)[1]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.classifier_tags = None
        tags.regressor_tags = RegressorTags()
        return tags
