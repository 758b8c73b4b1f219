"""Strategy base classes, random sampling and the adapter for user functions."""

import inspect
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state, get_tags

from ..utils import num_rows, score_in_chunks, take_rows
from ._selection import select_top_k

#: Which learners provide each signal, for error messages.
SIGNAL_PROVIDERS = {
    "predict_proba": (
        "any classifier with predict_proba (LogisticRegression, "
        "RandomForestClassifier, CalibratedClassifierCV(LinearSVC()), ...)"
    ),
    "decision_function": "classifiers with decision_function (LinearSVC, SVC, ...)",
    "predict_proba_samples": (
        "skal.Committee (its members) and skal.BayesianLearner (MC-dropout passes)"
    ),
    "embed": "learners wrapping a Pipeline with transform steps, or a skal.torch net",
}


def _estimator_name(learner):
    est = getattr(learner, "estimator_", getattr(learner, "estimator", learner))
    return type(est).__name__


def require_signal(learner, signal, strategy, *, fix=None):
    """Raise a ``TypeError`` naming a signal ``learner`` does not provide.

    Parameters
    ----------
    learner : object
        The learner the strategy was asked to work with.
    signal : str
        The method the strategy needs, e.g. ``"predict_proba"``.
    strategy : object
        The strategy, named in the message.
    fix : str, default=None
        A sentence saying how to get the signal.

    Returns
    -------
    method : callable
        ``getattr(learner, signal)`` when it exists.

    Raises
    ------
    TypeError
        If ``learner`` lacks ``signal``.

    Examples
    --------
    >>> from sklearn.svm import LinearSVC
    >>> from skal.strategies import UncertaintySampling, require_signal
    >>> try:
    ...     require_signal(LinearSVC(), "predict_proba", UncertaintySampling())
    ... except TypeError as exc:
    ...     print(str(exc).split(" It is")[0])
    UncertaintySampling() needs predict_proba, which LinearSVC does not provide.
    """
    if hasattr(learner, signal):
        return getattr(learner, signal)
    providers = SIGNAL_PROVIDERS.get(signal, "")
    msg = (
        f"{strategy!r} needs {signal}, which {_estimator_name(learner)} does not "
        f"provide."
    )
    if providers:
        msg += f" It is provided by {providers}."
    if fix:
        msg += f" {fix}"
    raise TypeError(msg)


def _check_max_candidates(max_candidates):
    if max_candidates is None:
        return None
    if isinstance(max_candidates, bool) or not isinstance(max_candidates, Integral):
        raise TypeError(
            f"max_candidates must be an int or None, got {max_candidates!r}."
        )
    if max_candidates < 1:
        raise ValueError(f"max_candidates must be >= 1, got {max_candidates}.")
    return int(max_candidates)


class BaseStrategy(BaseEstimator):
    """Base class of query strategies.

    A strategy is a scikit-learn estimator with parameters only: ``clone``,
    ``get_params`` and ``set_params`` work, and a learner's
    ``query_strategy__<param>`` is reachable by ``GridSearchCV``.
    Subclasses implement ``_query(learner, X_pool, batch_size, rng)``
    returning ``(indices, scores)``.

    Set the class attribute ``needs_model = False`` when the strategy can
    choose without a fitted model (usable as ``initial_strategy``).
    """

    needs_model = True

    def query(self, learner, X_pool, batch_size, *, random_state=None, candidates=None):
        """Choose ``batch_size`` samples of ``X_pool`` for labeling.

        Parameters
        ----------
        learner : object
            The fitted learner (its signals are what the strategy scores).
        X_pool : array-like, sparse matrix or DataFrame
            Candidate samples.
        batch_size : int
            Number of samples to choose; at most the number of candidates.
        random_state : int, RandomState instance or None, default=None
            Seeds subsampling and tie-breaking.
        candidates : array-like of int, default=None
            Choose only among these rows of ``X_pool`` (``None``: all rows).
            Strategies that score rows one by one read them chunk by chunk,
            so the candidates are never copied out of ``X_pool`` at once.

        Returns
        -------
        indices : ndarray of int of shape (batch_size,)
            Positions in ``X_pool``, most valuable first.
        scores : ndarray of shape (batch_size,)
            The strategy's score of each chosen sample.
        """
        rng = check_random_state(random_state)
        rows = None if candidates is None else np.asarray(candidates, dtype=np.intp)
        n = num_rows(X_pool) if rows is None else rows.shape[0]
        max_candidates = _check_max_candidates(getattr(self, "max_candidates", None))
        if max_candidates is not None and n > max_candidates:
            subset = np.sort(rng.choice(n, max_candidates, replace=False))
            rows = subset if rows is None else rows[subset]
            batch_size = min(batch_size, max_candidates)
        if rows is None:
            return self._query(learner, X_pool, batch_size, rng)
        return self._query_candidates(learner, X_pool, rows, batch_size, rng)

    def _query_candidates(self, learner, X_pool, rows, batch_size, rng):
        """Choose among ``rows`` of ``X_pool``; return positions in ``X_pool``."""
        idx, scores = self._query(learner, take_rows(X_pool, rows), batch_size, rng)
        return rows[idx], scores

    def _query(self, learner, X_pool, batch_size, rng):
        raise NotImplementedError


class ScoreStrategy(BaseStrategy):
    """Base class of strategies that score samples one by one and take the top.

    Subclasses implement ``_scorer(learner)``, returning a function from a
    chunk of rows to scores (higher is more valuable). The pool is scored
    chunk by chunk and the batch is chosen by :func:`select_top_k`.
    """

    def scores(self, learner, X):
        """Score every row of ``X``; higher is more valuable.

        Parameters
        ----------
        learner : object
            The fitted learner.
        X : array-like, sparse matrix or DataFrame
            Samples to score.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            The strategy's utility of each sample.
        """
        return self._chunked_scores(learner, X)

    def _chunked_scores(self, learner, X, rows=None):
        try:
            allow_nan = get_tags(learner).input_tags.allow_nan
        except (AttributeError, TypeError):  # not a scikit-learn estimator
            allow_nan = False
        return score_in_chunks(
            self._scorer(learner),
            X,
            allow_nan=allow_nan,
            n_jobs=getattr(learner, "n_jobs", None),
            rows=rows,
        )

    def _scorer(self, learner):
        raise NotImplementedError

    def _query(self, learner, X_pool, batch_size, rng):
        scores = self.scores(learner, X_pool)
        idx = select_top_k(scores, batch_size, rng)
        return idx, scores[idx]

    def _query_candidates(self, learner, X_pool, rows, batch_size, rng):
        if type(self).scores is not ScoreStrategy.scores:  # scores overridden
            return super()._query_candidates(learner, X_pool, rows, batch_size, rng)
        scores = self._chunked_scores(learner, X_pool, rows)
        idx = select_top_k(scores, batch_size, rng)
        return rows[idx], scores[idx]


class RandomSampling(BaseStrategy):
    """Query samples uniformly at random: the baseline every strategy must beat.

    Parameters
    ----------
    max_candidates : int, default=None
        Accepted for a uniform interface; random sampling is already O(batch).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import RandomSampling
    >>> idx, _ = RandomSampling().query(None, np.zeros((10, 2)), 3, random_state=0)
    >>> sorted(idx.tolist()) == sorted(set(idx.tolist()))
    True
    """

    needs_model = False

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _query(self, learner, X_pool, batch_size, rng):
        n = num_rows(X_pool)
        idx = rng.choice(n, batch_size, replace=False).astype(np.intp)
        return idx, np.zeros(idx.shape[0])


def _n_positional(func):
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 3
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in params):
        return 3
    return sum(p.kind in kinds for p in params)


class FunctionStrategy(BaseStrategy):
    """Make a user's function a query strategy.

    Two kinds of function are accepted:

    - a scorer ``func(learner, X_pool) -> scores`` of shape (n_samples,),
      higher meaning more valuable; the top ``batch_size`` are queried;
    - a modAL-style selector ``func(learner, X_pool, n_instances)`` that
      returns indices, or a tuple whose first item is the indices.

    Parameters
    ----------
    func : callable
        The user's function.
    returns : {"auto", "scores", "indices"}, default="auto"
        What ``func`` returns. ``"auto"`` treats two-argument functions as
        scorers and three-argument functions as selectors.
    max_candidates : int, default=None
        Pass only a random subsample of this many pool samples to ``func``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import FunctionStrategy
    >>> largest_first = FunctionStrategy(lambda learner, X: X[:, 0])
    >>> largest_first.query(None, np.array([[1.0], [5.0], [3.0]]), 2)[0].tolist()
    [1, 2]
    """

    needs_model = False

    def __init__(self, func, *, returns="auto", max_candidates=None):
        self.func = func
        self.returns = returns
        self.max_candidates = max_candidates

    def __repr__(self, N_CHAR_MAX=700):
        name = getattr(self.func, "__name__", type(self.func).__name__)
        return f"FunctionStrategy({name})"

    def _query(self, learner, X_pool, batch_size, rng):
        if self.returns not in ("auto", "scores", "indices"):
            raise ValueError(
                f"returns must be 'auto', 'scores' or 'indices', got {self.returns!r}."
            )
        n = num_rows(X_pool)
        returns = self.returns
        if returns == "auto":
            returns = "scores" if _n_positional(self.func) == 2 else "indices"
        if returns == "scores":
            scores = np.asarray(self.func(learner, X_pool), dtype=float).ravel()
            if scores.shape[0] != n:
                raise ValueError(
                    f"{self!r} returned {scores.shape[0]} scores for a pool of {n} "
                    "samples; a scorer must return one score per sample."
                )
            idx = select_top_k(scores, batch_size, rng)
            return idx, scores[idx]
        out = self.func(learner, X_pool, batch_size)
        if isinstance(out, tuple):
            out = out[0]
        idx = np.asarray(out).ravel()
        if idx.dtype.kind not in "iu":
            raise ValueError(
                f"{self!r} returned values of dtype {idx.dtype}; a selector must "
                "return integer positions in X_pool (returns='scores' for a scorer)."
            )
        if idx.shape[0] > batch_size or len(np.unique(idx)) != idx.shape[0]:
            raise ValueError(
                f"{self!r} returned {idx.shape[0]} indices (unique: "
                f"{len(np.unique(idx))}) for a batch of {batch_size}."
            )
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise ValueError(
                f"{self!r} returned indices outside the pool of {n} samples."
            )
        return idx.astype(np.intp), np.full(idx.shape[0], np.nan)
