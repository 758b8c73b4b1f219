"""Labeled-set bookkeeping, the query template and masked scoring for learners."""

import copy
import inspect
import time
import warnings

import numpy as np
from sklearn.base import (
    BaseEstimator,
    MetaEstimatorMixin,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.dummy import DummyClassifier
from sklearn.utils import check_random_state, get_tags
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ..strategies import RandomSampling, UncertaintySampling, resolve_strategy
from ..utils import (
    check_batch_size,
    check_finite,
    concat_rows,
    missing_mask,
    num_rows,
    take_rows,
)
from ._checks import check_int, check_semi_supervised, check_target, labeled_rows
from ._prediction import PredictionMixin, _as_rows
from ._simulation import SimulationMixin


class BaseLearner(SimulationMixin, PredictionMixin, MetaEstimatorMixin, BaseEstimator):
    """Base class of active learners; see :class:`skal.ActiveLearner`.

    Subclasses may override ``_fit_estimator(X, y)`` (return a fitted model)
    and provide more signals (``predict_proba_samples``, ``embed``).
    """

    # ------------------------------------------------------------------ input
    def _check_X(self, X, *, reset):
        if not reset and getattr(self, "_checked_pool", False):
            return X  # a chunk of a pool that query() has already checked
        X = _as_rows(X)
        validate_data(self, X, reset=reset, skip_check_array=True)
        return X

    def _check_y(self, y, n_rows):
        return check_target(self, y, n_rows)

    def _labeled_mask(self, y):
        return labeled_rows(self, y)

    # -------------------------------------------------------------- fitting
    def _resolve_query_strategy(self):
        """Return the strategy object for ``query_strategy`` (a hook)."""
        return resolve_strategy(self.query_strategy)

    def _warm_refit(self, X_new, y_new, X_labeled, y_labeled):
        """Return the fitted model updated with new labels (``warm_start``)."""
        if hasattr(self.estimator_, "partial_fit"):
            return copy.deepcopy(self.estimator_).partial_fit(X_new, y_new)
        estimator = copy.deepcopy(self.estimator_)
        return estimator.fit(X_labeled, y_labeled)

    def _fit_estimator(self, X, y):
        """Return a model fitted on the labeled rows ``X, y``."""
        if is_classifier(self) and np.unique(y).shape[0] < 2:
            warnings.warn(
                f"Only one class ({y[0]!r}) is labeled: "
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
        y_labeled = y[labeled]
        if np.unique(y_labeled).shape[0] < 2:
            return self._fit_estimator(take_rows(X, labeled), y_labeled)
        y_semi = np.full(y.shape[0], -1, dtype=np.result_type(y.dtype, np.int8))
        y_semi[labeled] = y_labeled
        return clone(self.estimator).fit(X, y_semi)

    def _refit(self, X, y, labeled):
        start = time.perf_counter()
        if getattr(self, "semi_supervised", False):
            estimator = self._fit_semi_supervised(X, y, labeled)
        else:
            estimator = self._fit_estimator(take_rows(X, labeled), y[labeled])
        return estimator, time.perf_counter() - start

    def _set_fitted(self, X, y, labeled, estimator):
        self.X_, self.y_, self.labeled_mask_ = X, y, labeled
        self.estimator_ = estimator
        if is_classifier(self):
            self.classes_ = np.asarray(estimator.classes_)
        elif hasattr(self, "classes_"):
            del self.classes_

    def fit(self, X, y):
        """Fit on the labeled rows of ``y``; with ``budget``, simulate acquisition.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), sparse matrix or DataFrame
            All samples, labeled and unlabeled.
        y : array-like of shape (n_samples,)
            Labels; rows equal to ``missing_label`` (or NaN/None) form the pool.
            With ``budget`` set, ``y`` is the hidden oracle.

        Returns
        -------
        self : object
            The fitted learner.
        """
        # A strategy reads the labeled set of the learner (CoreSet, TypiClust):
        # the initial query of a refit must not see the previous fit's.
        for attr in ("X_", "y_", "labeled_mask_", "estimator_"):
            self.__dict__.pop(attr, None)
        X = self._check_X(X, reset=True)
        # Unlabeled rows are queried later: reject NaN the estimator cannot take now.
        check_finite(X, allow_nan=get_tags(self).input_tags.allow_nan)
        y = self._check_y(y, num_rows(X))
        check_int(self.batch_size, "batch_size", 1)
        self._rng = check_random_state(self.random_state)
        self.query_strategy_ = self._resolve_query_strategy()
        self._strategy_source = self.query_strategy
        if is_regressor(self) and isinstance(self.query_strategy_, UncertaintySampling):
            inner = getattr(self, "estimator", None)
            raise ValueError(
                f"query_strategy={self.query_strategy!r} needs class probabilities, "
                f"but {type(self if inner is None else inner).__name__} is a "
                "regressor. For regression "
                "use 'std' (predictive std: GaussianProcessRegressor, BayesianRidge "
                "or skal.CommitteeRegressor), 'gsx', 'gsy' or 'igs' (greedy "
                "sampling) or 'random'."
            )
        self._last_query = None
        labeled = self._labeled_mask(y)
        if getattr(self, "semi_supervised", False):
            check_semi_supervised(self, y[labeled])
        if self.budget is not None:
            return self._simulate(X, y, labeled)
        estimator, fit_seconds = self._refit(X, y, labeled)
        self._set_fitted(X, y.copy(), labeled, estimator)
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
        if is_classifier(self) and len(self.classes_) < 2:
            warnings.warn(
                "Only one class is labeled, so uncertainty is undefined; querying "
                "at random until a second class is labeled.",
                UserWarning,
                stacklevel=4,
            )
            return RandomSampling()
        return self.query_strategy_

    def _query_rows(self, X_pool, batch_size, candidates=None):
        """Query ``X_pool`` (or its ``candidates`` rows); positions in ``X_pool``."""
        n = num_rows(X_pool) if candidates is None else candidates.shape[0]
        batch_size = check_batch_size(batch_size, n)
        strategy = self._query_strategy()
        query = strategy.query
        # The strategy asks for signals chunk by chunk: the pool was checked once,
        # so the learner's own per-call validation is skipped meanwhile.
        self._checked_pool = True
        try:
            if candidates is None:
                idx, scores = query(self, X_pool, batch_size, random_state=self._rng)
            elif "candidates" in inspect.signature(query).parameters:
                idx, scores = query(
                    self,
                    X_pool,
                    batch_size,
                    random_state=self._rng,
                    candidates=candidates,
                )
            else:  # a strategy with its own query(): hand it the candidate rows
                sub = take_rows(X_pool, candidates)
                idx, scores = query(self, sub, batch_size, random_state=self._rng)
                idx = candidates[np.asarray(idx, dtype=np.intp)]

        finally:
            self._checked_pool = False
        return np.asarray(idx, dtype=np.intp), np.asarray(scores, dtype=float)

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
        check_is_fitted(self)
        batch_size = self.batch_size if batch_size is None else batch_size
        start = time.perf_counter()
        if X_pool is None:
            pool = np.flatnonzero(~self.labeled_mask_)
            if pool.shape[0] == 0:
                raise ValueError(
                    "The pool is empty: every row of the last fit is labeled. Pass "
                    "X_pool to query other samples."
                )
            idx, scores = self._query_rows(self.X_, batch_size, candidates=pool)
            self._last_query = (idx, time.perf_counter() - start)
        else:
            X_pool = self._check_X(X_pool, reset=False)
            idx, scores = self._query_rows(X_pool, batch_size)
            self._last_query = (None, time.perf_counter() - start)
        return (idx, scores) if return_scores else idx

    # --------------------------------------------------------------- teach
    def _pool_positions(self, X_new, n_new, pool_indices):
        if pool_indices is not None:
            pos = np.asarray(pool_indices)
            if pos.dtype.kind not in "iu" or pos.shape != (n_new,):
                raise ValueError(
                    f"pool_indices must be {n_new} integer positions in the fitted X."
                )
            if pos.min() < 0 or pos.max() >= num_rows(self.X_):
                raise ValueError("pool_indices fall outside the fitted X.")
            return pos
        last = self._last_query[0] if self._last_query else None
        if last is None or last.shape[0] != n_new or not isinstance(X_new, np.ndarray):
            return None
        stored = take_rows(self.X_, last)
        if isinstance(stored, np.ndarray) and np.array_equal(stored, X_new):
            return last
        return None

    def teach(self, X, y, *, pool_indices=None):
        """Add labeled samples and refit; the labeled set changes only on success.

        Rows that are the last ``query()`` (without ``X_pool``) taken from the
        fitted ``X`` are recognised and leave the pool; other rows are
        appended.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features), sparse matrix or DataFrame
            The newly labeled samples.
        y : array-like of shape (n_new,)
            Their labels (no missing labels).
        pool_indices : array-like of int, default=None
            Positions of these rows in the fitted ``X``, when they come from it.

        Returns
        -------
        self : object
            The refitted learner.
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        n_new = num_rows(X)
        y = self._check_y(y, n_new)
        if n_new == 0:
            raise ValueError("teach got no samples.")
        if missing_mask(y, self.missing_label).any():
            raise ValueError(
                f"teach got missing labels (missing_label={self.missing_label!r}, NaN "
                "or None); every taught sample needs a label."
            )
        if self.y_.dtype.kind in "iufb" and y.dtype.kind in "USO":
            raise ValueError(
                f"teach got labels of type {y.dtype} but the learner was fitted on "
                f"{self.y_.dtype} labels."
            )
        if is_classifier(self):
            check_classification_targets(y)
            new_classes = np.setdiff1d(np.unique(y), self.classes_)
            if new_classes.size and self.warm_start:
                raise ValueError(
                    f"teach got classes {new_classes.tolist()} that the model has not "
                    f"seen (classes_={self.classes_.tolist()}); a warm-started model "
                    "cannot add classes. Use warm_start=False."
                )
            if new_classes.size:
                warnings.warn(
                    f"teach added new classes {new_classes.tolist()}; the model is "
                    "refit on all classes.",
                    UserWarning,
                    stacklevel=2,
                )
        pos = self._pool_positions(X, n_new, pool_indices)
        labeled = self.labeled_mask_.copy()
        if pos is not None:
            X_all = self.X_
            y_all = self.y_.astype(np.result_type(self.y_, y), copy=True)
            y_all[pos] = y
            labeled[pos] = True
        else:
            X_all = concat_rows(self.X_, X)
            y_all = np.concatenate([self.y_, y])
            labeled = np.concatenate([labeled, np.ones(n_new, dtype=bool)])
        start = time.perf_counter()
        if self.warm_start:
            estimator = self._warm_refit(
                X, y, take_rows(X_all, labeled), y_all[labeled]
            )
        else:
            estimator, _ = self._refit(X_all, y_all, labeled)
        fit_seconds = time.perf_counter() - start
        self._set_fitted(X_all, y_all, labeled, estimator)
        self.history_.append(
            {
                "round": len(self.history_),
                "n_labeled": int(labeled.sum()),
                "indices": [] if pos is None else pos.tolist(),
                "query_seconds": self._last_query[1] if self._last_query else 0.0,
                "fit_seconds": fit_seconds,
            }
        )
        self._last_query = None
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.estimator_type = inner.estimator_type
        tags.classifier_tags = copy.copy(inner.classifier_tags)
        tags.regressor_tags = copy.copy(inner.regressor_tags)
        tags.input_tags = copy.copy(inner.input_tags)
        tags.target_tags.required = True
        return tags
