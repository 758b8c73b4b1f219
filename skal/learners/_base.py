"""The learner template: validation, fit, query (``teach`` in ``_teach.py``).

The learner owns the labeled set: ``X_`` holds every row it knows, ``y_``
their labels and ``labeled_mask_`` which are labeled; rows are positions in
``X_`` whatever the container. Nothing but ``fit`` and ``teach`` writes it.
"""

import copy
import time
import warnings

import numpy as np
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    clone,
    is_classifier,
)
from sklearn.dummy import DummyClassifier
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.validation import check_is_fitted

from ..strategies import RandomSampling, resolve_strategy
from ..utils import accepts_nan, check_batch_size, num_rows, take_rows
from ..utils._labels import check_aligned
from ._acquisition import SimulationMixin
from ._checks import (
    LEARNER_CONSTRAINTS,
    check_pool,
    check_semi_supervised,
    check_stopping_items,
    check_strategy_classes,
    check_strategy_fits,
    check_target,
    labeled_rows,
    model_labels,
    warn_if_semi_supervised_off,
)
from ._prediction import PredictionMixin, _as_rows
from ._signals import SignalsMixin
from ._teach import TeachMixin


class BaseLearner(
    TeachMixin,
    SimulationMixin,
    SignalsMixin,
    PredictionMixin,
    MetaEstimatorMixin,
    BaseEstimator,
):
    """Base class of active learners; see :class:`skal.ActiveLearner`.

    Subclasses may override ``_fit_estimator(X, y)`` (return a fitted model)
    and ``_signals(pool)`` (offer more signals to the strategies).
    """

    _parameter_constraints = dict(LEARNER_CONSTRAINTS)
    #: Constraints of a subclass's own parameters, merged with the shared ones.
    _extra_constraints: dict = {}
    #: Whether the learner takes a multi-label (2-d indicator) ``y``.
    _multilabel = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        merged = dict(LEARNER_CONSTRAINTS)
        for klass in reversed(cls.__mro__):
            merged.update(klass.__dict__.get("_extra_constraints", {}))
        names = set(cls._get_param_names())
        cls._parameter_constraints = {k: v for k, v in merged.items() if k in names}

    # ------------------------------------------------------------------ input
    def _check_X(self, X, *, reset, finite=True):
        return check_pool(self, _as_rows(X), reset=reset, finite=finite)

    def _check_y(self, y, X):
        check_aligned(X, y)
        return check_target(self, y, num_rows(X))

    def _labeled_mask(self, y):
        return labeled_rows(self, y)

    # -------------------------------------------------------------- fitting
    def _resolve_query_strategy(self):
        """Return the strategy object for ``query_strategy`` (a hook)."""
        return resolve_strategy(self.query_strategy)

    def _resolve_initial_strategy(self):
        """Return the strategy of the first labels.

        ``initial_strategy=None`` is the query strategy itself when it needs
        neither a model nor labels, else random sampling.
        """
        if self.initial_strategy is not None:
            return resolve_strategy(self.initial_strategy, param="initial_strategy")
        strategy = self.query_strategy_
        if strategy.requires_model or getattr(strategy, "requires_labels", False):
            return RandomSampling()
        return strategy

    def _fit_estimator(self, X, y):
        """Return a model fitted on the labeled rows ``X, y``."""
        if is_classifier(self) and np.unique(y).shape[0] < 2:
            first = y.reshape(-1)[:1].tolist()[0]  # 3, not np.int64(3)
            what = f"class ({first!r})" if y.ndim == 1 else f"value ({first!r})"
            warnings.warn(
                f"Only one {what} is labeled: "
                f"{type(self.estimator).__name__} cannot be trained yet. Predictions "
                "are that class and queries are random until a second class is "
                "labeled.",
                UserWarning,
                stacklevel=4,
            )
            return DummyClassifier(strategy="most_frequent").fit(X, y)
        return clone(self.estimator).fit(X, y)

    def _fit_semi_supervised(self, X, y, labeled):
        """Return a model fitted on every row, the unlabeled ones marked -1.

        scikit-learn's semi-supervised estimators (``LabelSpreading``,
        ``LabelPropagation``, ``SelfTrainingClassifier``) read -1 as
        "unlabeled" and learn from those rows too.
        """
        y_labeled = model_labels(y[labeled])
        if np.unique(y_labeled).shape[0] < 2:
            return self._fit_estimator(take_rows(X, labeled), y_labeled)
        y_semi = np.full(y.shape[0], -1, dtype=np.result_type(y.dtype, np.int8))
        y_semi[labeled] = y_labeled
        return clone(self.estimator).fit(X, y_semi)

    def _refit(self, X, y, labeled):
        """Return ``(model, seconds)``; ``model`` is None when nothing is labeled."""
        start = time.perf_counter()
        if not labeled.any():
            return None, 0.0
        if getattr(self, "semi_supervised", False):
            estimator = self._fit_semi_supervised(X, y, labeled)
        else:
            estimator = self._fit_estimator(
                take_rows(X, labeled), model_labels(y[labeled])
            )
        return estimator, time.perf_counter() - start

    def _set_fitted(self, X, y, labeled, estimator):
        self.X_, self.y_, self.labeled_mask_ = X, y, labeled
        self.estimator_ = estimator
        if getattr(self, "_n_labels", None) is not None:
            self.classes_ = np.arange(self._n_labels)  # label indices, as OvR
        elif is_classifier(self) and estimator is not None:
            self.classes_ = np.asarray(estimator.classes_)
        elif hasattr(self, "classes_"):
            del self.classes_
        check_strategy_classes(self)

    def _start_fit(self):
        """Reset what a subclass keeps per fit (a hook; called by every fit)."""

    def _prepare_fit(self, X, y):
        """Validate parameters and data, resolve the strategies; return X, y.

        Every way of fitting (``fit``, the acquisition engine, the labeling
        session) starts here, so subclasses reset their state in
        ``_start_fit``, not in ``fit``.
        """
        self._validate_params()
        check_stopping_items(getattr(self, "stopping", None))
        self._start_fit()
        for attr in ("X_", "y_", "labeled_mask_", "estimator_", "classes_"):
            self.__dict__.pop(attr, None)
        self._n_labels = None
        X = self._check_X(X, reset=True)
        y = self._check_y(y, X)
        if y.ndim == 2:  # multi-label: a 0/1 indicator (see _multilabel.py)
            if not self._multilabel:
                raise ValueError(
                    f"{type(self).__name__} takes 1-d class labels, but y is a "
                    f"multi-label indicator of shape {y.shape}. Use "
                    "skal.ActiveLearner with a multi-label estimator "
                    "(OneVsRestClassifier, MultiOutputClassifier, k-NN, random "
                    "forest) for multi-label y."
                )
            if getattr(self, "semi_supervised", False):
                raise ValueError("semi_supervised=True needs 1-d class labels.")
            self._n_labels = int(y.shape[1])
        self._rng = check_random_state(self.random_state)
        self.query_strategy_ = self._resolve_query_strategy()
        self._strategy_source = self.query_strategy
        self.initial_strategy_ = self._resolve_initial_strategy()
        check_strategy_fits(self)
        self._last_query = None
        return X, y

    def fit(self, X, y):
        """Fit on the labeled rows of ``y``; with ``budget``, simulate acquisition.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), sparse matrix or DataFrame
            All samples, labeled and unlabeled.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Labels; rows equal to ``missing_label`` (or NaN/None) form the pool.
            A 2-d 0/1 indicator is multi-label: a row is unlabeled when
            every entry is the marker; a partly marked row raises.
            With no labeled row, the learner starts cold: the first ``query``
            uses ``initial_strategy``. With ``budget`` set, ``y`` is the
            hidden oracle.

        Returns
        -------
        self : object
            The fitted learner.
        """
        X, y = self._prepare_fit(X, y)
        labeled = self._labeled_mask(y)
        if getattr(self, "semi_supervised", False):
            check_semi_supervised(self, y[labeled])
        elif hasattr(self, "semi_supervised"):
            warn_if_semi_supervised_off(self)
        if self.budget is not None:
            return self._simulate(X, y, labeled)
        return self._fit_labeled(X, y.copy(), labeled)

    def _fit_labeled(self, X, y, labeled):
        """Fit on the rows where ``labeled`` is True; reset the history."""
        estimator, fit_seconds = self._refit(X, y, labeled)
        self._set_fitted(X, y, labeled, estimator)
        self.history_ = [
            {
                "round": 0,
                "n_labeled": int(labeled.sum()),
                "indices": [],
                "query_seconds": 0.0,
                "fit_seconds": fit_seconds,
            }
        ]
        return self

    # --------------------------------------------------------------- query
    def _query_strategy(self):
        if self.query_strategy is not self._strategy_source:
            # set_params(query_strategy=...) after fit: the next query uses it
            self.query_strategy_ = self._resolve_query_strategy()
            self._strategy_source = self.query_strategy
            self.initial_strategy_ = self._resolve_initial_strategy()
            check_strategy_fits(self)
        strategy = self.query_strategy_
        if self.estimator_ is None:  # cold start: nothing labeled yet
            return self.initial_strategy_
        check_strategy_classes(self)  # set_params(query_strategy=...) after fit
        if strategy.requires_model and is_classifier(self) and len(self.classes_) < 2:
            warnings.warn(
                "Only one class is labeled, so uncertainty is undefined; querying "
                "at random until a second class is labeled.",
                UserWarning,
                stacklevel=4,
            )
            return RandomSampling()
        return strategy

    def _query_rows(
        self, X_pool, batch_size, candidates=None, *, own_pool=False, verify=False
    ):
        """Query ``X_pool`` (or its ``candidates`` rows); positions in ``X_pool``.

        With ``verify``, the pool has not been checked for NaN/inf yet: a
        strategy that reads it through the context's chunks checks each
        chunk while it is in cache; otherwise the pool is checked first.
        """
        n = num_rows(X_pool) if candidates is None else candidates.shape[0]
        batch_size = check_batch_size(batch_size, n)
        verify = verify and not get_tags(self).input_tags.allow_nan
        context = self._context(
            X_pool, candidates, own_pool=own_pool, verify_finite=verify
        )
        strategy = self._query_strategy()
        if verify and not strategy._reads_through_context:
            context.ensure_finite()
        idx, scores = strategy.select(context, batch_size)
        context.ensure_finite()  # e.g. max_candidates read only a subsample
        return context.to_pool(idx), scores

    def query_context(self, X_pool=None):
        """Return the context the next ``query`` hands its strategy.

        Parameters
        ----------
        X_pool : array-like, sparse matrix or DataFrame, default=None
            Candidate samples; ``None`` means the unlabeled rows of ``X_``.

        Returns
        -------
        context : skal.strategies.QueryContext
            Candidates, labeled set and the model's signals.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> from skal import ActiveLearner
        >>> from skal.strategies import UncertaintySampling
        >>> X, y = load_iris(return_X_y=True)
        >>> y_partial = y.copy(); y_partial[10:140] = -1
        >>> learner = ActiveLearner(LogisticRegression(max_iter=500)).fit(X, y_partial)
        >>> ctx = learner.query_context()
        >>> ctx.n_candidates, ctx.n_labeled
        (130, 20)
        >>> UncertaintySampling("margin").select(ctx, 2)[0].shape
        (2,)
        """
        check_is_fitted(self, "labeled_mask_")
        if X_pool is None:
            return self._context(
                self.X_, np.flatnonzero(~self.labeled_mask_), own_pool=True
            )
        return self._context(self._check_X(X_pool, reset=False))

    def query(self, X_pool=None, batch_size=None, return_scores=False):
        """Return the positions of the samples to label next, best first.

        Parameters
        ----------
        X_pool : array-like, sparse matrix or DataFrame, default=None
            Candidate samples. ``None`` queries the unlabeled rows of the last
            ``fit``, and the indices are positions in that ``X``.
        batch_size : int, default=None
            Number of samples; ``None`` uses the learner's ``batch_size``. A
            batch larger than the pool returns the whole pool with a warning.
        return_scores : bool, default=False
            Also return the strategy's score of each chosen sample.

        Returns
        -------
        indices : ndarray of int of shape (batch_size,)
            Positions of the chosen samples.
        scores : ndarray of shape (batch_size,)
            Returned when ``return_scores=True``.

        Notes
        -----
        ``set_params(query_strategy=...)`` on a fitted learner takes effect
        at the next query, so a run can switch strategies, e.g. typical
        samples (``TypiClust``) for the first labels, then margin sampling.
        """
        check_is_fitted(self, "labeled_mask_")
        if not isinstance(return_scores, (bool, np.bool_)):
            raise TypeError(
                f"return_scores must be True or False, got {return_scores!r}. "
                "query(X_pool, batch_size, return_scores) passes no arguments to "
                "the strategy (modAL's query(X, *args) did): bind them to your "
                "function instead, e.g. query_strategy=functools.partial(f, K=16)."
            )
        batch_size = self.batch_size if batch_size is None else batch_size
        start = time.perf_counter()
        if X_pool is None:
            pool = np.flatnonzero(~self.labeled_mask_)
            if pool.shape[0] == 0:
                raise ValueError(
                    "The pool is empty: every row of the last fit is labeled. Pass "
                    "X_pool to query other samples."
                )
            idx, scores = self._query_rows(
                self.X_, batch_size, candidates=pool, own_pool=True
            )
            self._last_query = (idx, time.perf_counter() - start)
        else:
            X_pool = self._check_X(X_pool, reset=False, finite=False)
            idx, scores = self._query_rows(X_pool, batch_size, verify=True)
            self._last_query = (None, time.perf_counter() - start)
        return (idx, scores) if return_scores else idx

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = copy.copy(inner.classifier_tags)
        tags.regressor_tags = copy.copy(inner.regressor_tags)
        tags.input_tags = copy.copy(inner.input_tags)
        tags.input_tags.allow_nan = accepts_nan(self.estimator)  # pipelines too
        tags.target_tags.required = True
        return tags
