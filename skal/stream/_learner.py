"""The stream-based active learner."""

import copy
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..utils import missing_mask
from ..utils._labels import as_integer_labels, check_label_types, model_labels
from ..utils._validation import MISSING_LABEL_CONSTRAINT, POSITIVE_INT, _NoBool
from ._budget import BUDGET_MANAGERS
from ._draws import RandomDraws
from ._inputs import (
    agreed_classes,
    check_known,
    check_stream_X,
    check_stream_Xy,
    labeled_mask,
    masked_score,
    stream_classes,
)
from ._model import StreamModel
from ._registry import (
    _STRATEGY_API,
    STREAM_STRATEGIES,
    copy_state,
    resolve_manager,
    resolve_strategy,
)

__all__ = ["STREAM_STRATEGIES", "StreamActiveLearner"]


class StreamActiveLearner(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Stream-based active learner: ask for a label or not, one sample at a time.

    Each arriving sample gets a utility from ``query_strategy``; the budget
    manager says whether a label may be bought now, and the strategy decides.
    ``query`` tries the decisions without changing any state; ``update``
    commits them (the budget and the thresholds move); ``teach`` learns the
    labels bought, with the estimator's ``partial_fit`` when it has one,
    else by refitting on the labeled samples kept (the last ``max_labeled``).

    Parameters
    ----------
    estimator : classifier with ``predict_proba``
        The model; ``partial_fit`` is used when present.
    query_strategy : str or stream strategy, default="variable_uncertainty"
        A name of :data:`STREAM_STRATEGIES` or a strategy object.
    budget : float in (0, 1], default=0.1
        Fraction of the stream that may be labeled.
    budget_manager : {"estimated", "fixed", "balanced", "none"}, object or None, \
default=None
        The budget gate; None takes the strategy's default (Žliobaitė's
        estimate for the uncertainty strategies).
    classes : array-like or None, default=None
        All the classes; needed when ``fit`` sees no label (cold start).
    max_labeled : int or None, default=None
        Without ``partial_fit``, refit on at most the last ``max_labeled``
        labeled samples (forgetting, for drifting streams); also caps the
        labels kept for a strategy that counts them (stream PAL).
    missing_label : scalar, default=-1
        Marks unlabeled rows in ``fit`` and ``teach``.
    random_state : int, RandomState or None, default=None
        Seeds the strategy's random draws.

    Attributes
    ----------
    estimator_ : estimator
        The fitted model.
    classes_ : ndarray of shape (n_classes,)
    strategy_ : stream strategy
    budget_manager_ : budget manager
    strategy_state_ : dict
        The strategy's state (``theta`` for the threshold strategies).
    budget_state_ : dict
        The manager's state (``seen``, ``queried`` and its own entries).
    n_labeled_ : int
        Labeled samples learned from.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.stream import StreamActiveLearner
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(500, 2))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> learner = StreamActiveLearner(GaussianNB(), budget=0.1, random_state=0)
    >>> learner = learner.fit(X[:10], y[:10])
    >>> for x, label in zip(X[10:], y[10:]):
    ...     ask, utility = learner.query(x, return_utilities=True)
    ...     learner = learner.update(x, ask, utilities=utility)
    ...     if ask[0]:
    ...         learner = learner.teach(x, [label])
    >>> learner.n_labeled_, round(learner.budget_used_, 3)
    (70, 0.122)
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "query_strategy": [
            StrOptions(set(STREAM_STRATEGIES)),
            HasMethods(_STRATEGY_API),
        ],
        "budget": [_NoBool(Real, 0, 1, closed="right")],
        "budget_manager": [
            StrOptions(set(BUDGET_MANAGERS)),
            HasMethods(["init_state", "allow", "record"]),
            None,
        ],
        "classes": ["array-like", None],
        "max_labeled": [POSITIVE_INT, None],
        "missing_label": MISSING_LABEL_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        query_strategy="variable_uncertainty",
        *,
        budget=0.1,
        budget_manager=None,
        classes=None,
        max_labeled=None,
        missing_label=-1,
        random_state=None,
    ):
        self.estimator = estimator
        self.query_strategy = query_strategy
        self.budget = budget
        self.budget_manager = budget_manager
        self.classes = classes
        self.max_labeled = max_labeled
        self.missing_label = missing_label
        self.random_state = random_state

    # ------------------------------------------------------------ fitting
    def fit(self, X, y):
        """Start the stream: reset the budget and the strategy, learn ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Initial samples (may be empty when ``classes`` is given).
        y : array-like of shape (n_samples,)
            Their labels; ``missing_label`` marks unlabeled rows.

        Returns
        -------
        self : StreamActiveLearner
            The learner.
        """
        return self._fit(X, y, None)

    def _fit(self, X, y, classes):
        self._validate_params()
        X, y = self._check_Xy(X, y, reset=True)
        labeled = self._labeled(y)
        classes = agreed_classes(self.classes, classes)
        y_labeled = model_labels(y[labeled])  # ints or bools beside None holes
        self.classes_ = stream_classes(classes, y_labeled, self.missing_label)
        rs = self.random_state
        self.random_state_ = check_random_state(
            copy.deepcopy(rs) if isinstance(rs, np.random.RandomState) else rs
        )
        self._draws = RandomDraws(self.random_state_)
        self.strategy_ = resolve_strategy(self.query_strategy)
        self.budget_manager_ = resolve_manager(self.budget_manager, self.strategy_)
        self.budget_state_ = self.budget_manager_.init_state(self.budget)
        self.strategy_state_ = self.strategy_.init_state(
            self.budget_state_["budget"], self.classes_.size
        )
        self.estimator_ = clone(self.estimator)
        self.model_fitted_ = False
        self._X_kept, self._y_kept = X[:0], y[:0]
        self.n_labeled_ = 0
        return self._learn(X[labeled], y_labeled)

    def partial_fit(self, X, y, classes=None):
        """Learn labeled samples (``fit`` first when never fitted).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_features,)
            Samples.
        y : array-like of shape (n_samples,)
            Their labels; ``missing_label`` rows are skipped.
        classes : array-like or None, default=None
            All the classes, on the first call (scikit-learn's convention);
            must agree with the ``classes`` parameter when both are given.

        Returns
        -------
        self : StreamActiveLearner
            The learner.
        """
        if not hasattr(self, "classes_"):
            return self._fit(X, y, classes)
        agreed_classes(self.classes, classes, self.classes_)
        X, y = self._check_Xy(X, y)
        # another kind of label, or 0.5 for integer classes: the pool learners'
        # messages (scikit-learn's was "Unknown label type: continuous")
        taught = y[~missing_mask(y, self.missing_label)]
        check_label_types(taught, known=self.classes_)
        as_integer_labels(model_labels(taught), self.classes_.dtype)
        labeled = self._labeled(y)
        check_known(y[labeled], self.classes_)
        return self._learn(X[labeled], model_labels(y[labeled]))

    teach = partial_fit
    score = masked_score  # unlabeled rows skipped, as the pool learners score

    def _learn(self, X, y):
        if len(y) == 0:
            return self
        self.n_labeled_ += len(y)
        online = hasattr(self.estimator_, "partial_fit")
        if not online or getattr(self.strategy_, "uses_labeled", False):
            self._X_kept = np.concatenate([self._X_kept, X])
            self._y_kept = model_labels(np.concatenate([self._y_kept, y]))
            if self.max_labeled is not None:
                self._X_kept = self._X_kept[-self.max_labeled :]
                self._y_kept = self._y_kept[-self.max_labeled :]
        if online:
            self.estimator_.partial_fit(X, y, classes=self.classes_)
            self.model_fitted_ = True
        elif np.unique(self._y_kept).size >= 2:
            self.estimator_ = clone(self.estimator_).fit(self._X_kept, self._y_kept)
            self.model_fitted_ = True
        return self

    # ------------------------------------------------------------ querying
    def query(self, X, return_utilities=False):
        """Whether to ask for the label of each sample; changes no state.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_features,)
            The arriving samples, in stream order (a 1-D array is one sample).
        return_utilities : bool, default=False
            Also return the utilities.

        Returns
        -------
        queried : ndarray of bool, shape (n_samples,)
            Whether to ask for each label.
        utilities : ndarray of shape (n_samples,)
            Only with ``return_utilities=True``.
        """
        check_is_fitted(self, "classes_")
        X = self._check_X(X, one_sample=True)
        queried, utilities = self._run(X, None, None, commit=False)
        return (queried, utilities) if return_utilities else queried

    def update(self, X, queried, utilities=None):
        """Commit the decisions on samples: the budget and thresholds move.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_features,)
            The samples passed to :meth:`query`.
        queried : array-like of bool, shape (n_samples,)
            Whether each label was bought.
        utilities : array-like of shape (n_samples,), default=None
            The utilities :meth:`query` returned (recomputed when None; pass
            them when the model has been taught in between).

        Returns
        -------
        self : StreamActiveLearner
            The learner.
        """
        check_is_fitted(self, "classes_")
        X = self._check_X(X, one_sample=True)
        queried = np.asarray(queried).reshape(-1)
        if queried.dtype != bool or queried.shape[0] != X.shape[0]:
            raise TypeError(
                f"queried must be a boolean mask of length {X.shape[0]} (what "
                f"query returns); got dtype {queried.dtype}, shape {queried.shape}."
            )
        if utilities is not None:
            try:
                utilities = np.asarray(utilities, dtype=float).reshape(-1)
            except (TypeError, ValueError):
                raise ValueError(
                    f"utilities must be numbers, what query returns; got {utilities!r}"
                ) from None
            if utilities.shape[0] != X.shape[0]:
                raise ValueError(
                    f"utilities has {utilities.shape[0]} values for "
                    f"{X.shape[0]} samples."
                )
            if not np.isfinite(utilities).all():
                raise ValueError("utilities must be finite (what query returns).")
        self._run(X, queried, utilities, commit=True)
        return self

    def _run(self, X, forced, utilities, commit):
        if utilities is None:
            utilities = self.strategy_.utilities(X, StreamModel(self))
        utilities = np.array(utilities, dtype=float)
        state, budget = self.strategy_state_, self.budget_state_
        if commit:
            result = self._loop(X, forced, utilities, state, budget, self._draws)
            self._draws.trim()
            return result
        state, budget = copy_state(state), copy_state(budget)
        return self._loop(X, forced, utilities, state, budget, self._draws.fork())

    def _loop(self, X, forced, utilities, state, budget, rng):
        strategy, manager = self.strategy_, self.budget_manager_
        queried = np.zeros(X.shape[0], dtype=bool)
        for i in range(X.shape[0]):
            u, eligible = strategy.observe(state, X[i], utilities[i], rng)
            utilities[i] = u
            ask = False
            if eligible and manager.allow(budget, u):
                ask = strategy.propose(state, u, rng)
                if forced is not None:
                    ask = bool(forced[i])
                strategy.commit(state, u, ask)
            elif forced is not None:
                ask = bool(forced[i])
            if eligible is None and not ask:  # hidden from the budget manager
                budget["hidden"] = budget.get("hidden", 0) + 1
            else:
                manager.record(budget, u, ask)
            queried[i] = ask
        return queried, utilities

    # ------------------------------------------------------------ prediction
    def _check_model(self):
        check_is_fitted(self, "classes_")
        if not self.model_fitted_:
            raise NotFittedError(
                "The model has not learned two classes yet: teach it labeled "
                "samples first (fit or teach)."
            )

    def predict_proba(self, X):
        """Class probabilities of the model, one column per ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_features,)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The probabilities, columns in the order of ``classes_``.
        """
        self._check_model()
        return StreamModel(self)(self._check_X(X))

    def predict(self, X):
        """Predicted classes of the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_features,)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            The predicted classes.
        """
        self._check_model()
        return self.estimator_.predict(self._check_X(X))

    @property
    def budget_used_(self):
        """Fraction of the samples seen by ``update`` whose label was bought.

        Returns
        -------
        float
            Labels bought over samples committed by ``update``.
        """
        check_is_fitted(self, "classes_")
        state = self.budget_state_
        return state["queried"] / max(state["seen"] + state.get("hidden", 0), 1)

    # ------------------------------------------------------------ helpers
    def _labeled(self, y):
        return labeled_mask(y, self.missing_label)

    def _check_X(self, X, one_sample=False):
        return check_stream_X(self, X, one_sample=one_sample)

    def _check_Xy(self, X, y, reset=False):
        return check_stream_Xy(self, X, y, reset=reset)
