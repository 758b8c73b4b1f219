"""Strategy base classes, random sampling and the adapter for user functions.

A strategy is configuration: a scikit-learn estimator whose parameters are
grid-searchable and whose one method, :meth:`BaseStrategy.select`, chooses
among the candidates of a :class:`~skal.strategies.QueryContext`. It never
sees the learner.
"""

import inspect
import math
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, RealNotInt, StrOptions

from ..utils._validation import POSITIVE_INT
from ._context import QueryContext
from ._selection import select_top_k


def _check_selection(strategy, idx, scores, batch_size, n):
    idx = np.asarray(idx)
    if idx.dtype.kind not in "iu" or idx.ndim != 1:
        raise TypeError(
            f"{strategy!r} returned {idx.dtype} indices of shape {idx.shape}; a "
            "strategy must return a 1-d array of integer positions."
        )
    if idx.shape[0] != batch_size:
        raise ValueError(
            f"{strategy!r} returned {idx.shape[0]} indices for a batch of "
            f"{batch_size}. If it chooses its own batch size (as modAL's query "
            f"functions may), ask for that many: batch_size={idx.shape[0]} on the "
            "learner or in query()."
        )
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ValueError(f"{strategy!r} returned positions outside the {n} candidates.")
    if np.unique(idx).shape[0] != idx.shape[0]:
        raise ValueError(f"{strategy!r} returned the same position twice: {idx}.")
    scores = np.asarray(scores, dtype=float).reshape(-1)
    if scores.shape[0] != idx.shape[0]:
        raise ValueError(
            f"{strategy!r} returned {scores.shape[0]} scores for {idx.shape[0]} "
            "indices."
        )
    return idx.astype(np.intp), scores


class BaseStrategy(BaseEstimator):
    """Base class of query strategies.

    A strategy is a scikit-learn estimator with parameters only: ``clone``,
    ``get_params`` and ``set_params`` work, parameters are validated by
    scikit-learn's constraint system (``_parameter_constraints``) at each
    query, and a learner's ``query_strategy__<param>`` is reachable by
    ``GridSearchCV``. Subclasses implement ``_select(context, batch_size)``
    returning ``(indices, scores)``: positions among ``context.candidates``,
    most valuable first.

    The class attribute ``task`` says which learners it serves. The class
    attribute ``requires_model`` (default True) says whether the
    strategy needs a fitted model; learners use only strategies with
    ``requires_model = False`` where no model exists yet (the first labels,
    ``initial_strategy``). ``requires_labels`` (default False) says that it
    needs labeled rows even without a model (the classes they hold): such a
    strategy cannot choose the first labels either. ``binary_only``
    (default False) says that it is defined for two classes only, and
    ``requires_torch`` (default False) that it trains its own PyTorch
    network at each query.
    """

    requires_model = True
    requires_labels = False
    #: "classification", "regression" or "any": learners refuse a strategy
    #: of the other task at fit, before any model is trained.
    task = "any"
    #: Signals the strategy cannot choose without, beyond the candidates
    #: (e.g. ``("proba_samples",)``): tools such as ``skal compare`` read it
    #: to build a learner that provides them.
    required_signals = ()
    #: The targets it can choose for: "single" (1-d labels) and/or
    #: "multilabel" (a 2-d 0/1 indicator ``y``). Learners refuse a strategy
    #: that cannot handle their ``y`` at fit, naming the ones that can.
    label_types = ("single",)
    #: Whether it is defined for two classes only: learners refuse it once
    #: their labels hold more, naming a strategy for any number of classes.
    binary_only = False
    #: Whether it trains its own PyTorch network at each query (torch must be
    #: installed, ``pip install skal[torch]``): tools check it up front.
    requires_torch = False
    #: Whether the strategy reads the pool only through the context's chunked
    #: signals (then an unchecked pool is checked chunk by chunk, in cache).
    _reads_through_context = False
    _parameter_constraints: dict = {}

    def select(self, context, batch_size):
        """Choose ``batch_size`` of the context's candidates for labeling.

        Parameters
        ----------
        context : QueryContext
            The candidates, the labeled set and the model's signals.
        batch_size : int
            Number of candidates to choose; at most ``context.n_candidates``.

        Returns
        -------
        indices : ndarray of int of shape (batch_size,)
            Positions in ``context.candidates``, most valuable first.
        scores : ndarray of shape (batch_size,)
            The strategy's score of each chosen candidate.
        """
        self._validate_params()
        if not isinstance(context, QueryContext):
            raise TypeError(
                f"{self!r}.select needs a skal.strategies.QueryContext, got "
                f"{type(context).__name__}; learners build it (learner.query())."
            )
        n = context.n_candidates
        if isinstance(batch_size, bool) or not isinstance(batch_size, Integral):
            raise TypeError(f"batch_size must be an int, got {batch_size!r}.")
        if not 1 <= batch_size <= n:
            raise ValueError(
                f"batch_size={batch_size} must be between 1 and the {n} candidates."
            )
        m = n_subsample(getattr(self, "max_candidates", None), n, batch_size)
        with context.asked_by(self):
            if m is not None:
                local = np.sort(context.random_state.choice(n, m, replace=False))
                idx, scores = self._select(context.subset(local), batch_size)
                idx, scores = _check_selection(self, idx, scores, batch_size, m)
                return local[idx], scores
            idx, scores = self._select(context, batch_size)
        return _check_selection(self, idx, scores, batch_size, n)

    def _select(self, context, batch_size):
        raise NotImplementedError


class ScoreStrategy(BaseStrategy):
    """Base class of strategies that score candidates one by one and take the top.

    Subclasses implement ``_score(context)``, returning one score per
    candidate (higher is more valuable); the batch is the top of the scores
    with ties broken at random (:func:`select_top_k`).
    """

    _reads_through_context = True

    def score(self, context):
        """Score every candidate of ``context``; higher is more valuable.

        Parameters
        ----------
        context : QueryContext
            The candidates and the model's signals.

        Returns
        -------
        scores : ndarray of shape (n_candidates,)
            The strategy's utility of each candidate.
        """
        self._validate_params()
        with context.asked_by(self):
            scores = np.asarray(self._score(context), dtype=float).reshape(-1)
        if scores.shape[0] != context.n_candidates:
            raise ValueError(
                f"{self!r} scored {scores.shape[0]} of {context.n_candidates} "
                "candidates."
            )
        return scores

    def _score(self, context):
        raise NotImplementedError

    def _select(self, context, batch_size):
        scores = self.score(context)
        idx = select_top_k(scores, batch_size, context.random_state)
        return idx, scores[idx]


#: ``max_candidates``: a count (an int, not a bool), a share of the
#: candidates (a float in (0, 1); an int never reads as a share, so 1 is one
#: candidate and 1.0 is refused) or None.
_MAX_CANDIDATES = [POSITIVE_INT, Interval(RealNotInt, 0, 1, closed="neither"), None]


def ceil_product(share, n):
    """``ceil(share * n)``, except that a product within float error of a whole
    number is that number: 0.3 of 10 is 3, not the 4 that ceil gives
    ``3.0000000000000004``.

    Examples
    --------
    >>> from skal.strategies._base import ceil_product
    >>> ceil_product(0.07, 100), ceil_product(1.1, 10), ceil_product(0.31, 10)
    (7, 11, 4)
    """
    product = share * n
    m = round(product)
    if not math.isclose(product, m, rel_tol=1e-12, abs_tol=0.0):
        m = math.ceil(product)
    return int(m)


def n_subsample(max_candidates, n_candidates, batch_size):
    """How many of the candidates a strategy's ``max_candidates`` scores.

    Parameters
    ----------
    max_candidates : int, float or None
        A count, or a share of the candidates (a float in (0, 1), rounded
        up: ``ceil(max_candidates * n_candidates)``, as scikit-activeml's
        ``SubSamplingWrapper`` does, except that a share of exactly
        ``k / n_candidates`` gives ``k``: 0.3 of 10 is 3, where the float
        product ``3.0000000000000004`` rounds up to 4), or None for all.
    n_candidates : int
        The query's candidates.
    batch_size : int
        The batch: never fewer candidates than this, since a subsample
        smaller than the batch would silently shorten it.

    Returns
    -------
    n : int or None
        The subsample's size, or None where every candidate is scored.

    Examples
    --------
    >>> from skal.strategies._base import n_subsample
    >>> n_subsample(0.1, 1437, 10), n_subsample(144, 1437, 10)
    (144, 144)
    >>> n_subsample(0.1, 50, 10), n_subsample(0.5, 10, 10)
    (10, None)
    >>> n_subsample(0.3, 10, 1), n_subsample(0.31, 10, 1)
    (3, 4)
    """
    if max_candidates is None:
        return None
    if isinstance(max_candidates, Integral):
        m = int(max_candidates)
    else:
        m = ceil_product(max_candidates, n_candidates)
    m = max(m, batch_size)
    return m if m < n_candidates else None


class RandomSampling(BaseStrategy):
    """Query samples uniformly at random: the baseline every strategy must beat.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        A count, a share of the candidates (a float in (0, 1)) or None:
        accepted for a uniform interface; random sampling is already O(batch).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext, RandomSampling
    >>> ctx = QueryContext(np.zeros((10, 2)), random_state=0)
    >>> idx, _ = RandomSampling().select(ctx, 3)
    >>> len(set(idx.tolist()))
    3
    """

    requires_model = False
    label_types = ("single", "multilabel")
    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        n = context.n_candidates
        idx = context.random_state.choice(n, batch_size, replace=False)
        return idx.astype(np.intp), np.zeros(batch_size)


def _n_positional(func):
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return 3
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind == inspect.Parameter.VAR_POSITIONAL for p in params):
        return 3
    return sum(p.kind in kinds for p in params)


def _are_positions(out, n_candidates):
    """Whether a two-argument function's result reads as positions, not scores."""
    if isinstance(out, tuple):
        return True
    out = np.asarray(out)
    return out.dtype.kind in "iu" and (out.ndim == 0 or out.size != n_candidates)


class FunctionStrategy(BaseStrategy):
    """Make a user's function a query strategy.

    The function receives the query context (which offers the model's
    ``predict_proba(X)``, ``predict_proba_samples(X)``, ``decision_function(X)``
    and the cached signals, see :class:`QueryContext`) and the candidate
    rows. Two kinds of function are accepted:

    - a scorer ``func(context, X_candidates) -> scores`` of shape
      (n_candidates,), higher meaning more valuable; the top ``batch_size``
      are queried;
    - a modAL-style selector ``func(context, X_candidates[, n_instances])``
      that returns positions in ``X_candidates`` (one integer, or an
      array), or a tuple whose first item is those positions. modAL's own
      functions work unchanged: they call ``classifier.predict_proba(X)``
      or ``regressor.predict(X, return_std=True)``, which the context
      answers for any rows.

    Parameters
    ----------
    func : callable
        The user's function.
    returns : {"auto", "scores", "indices"}, default="auto"
        What ``func`` returns. ``"auto"`` calls a three-argument function
        as a selector; a two-argument function is a scorer when it returns
        one float per candidate and a selector when it returns a tuple, an
        integer, or integers of another length than the candidates.
    requires_model : bool, default=True
        Whether ``func`` needs a fitted model (False lets it choose the
        first labels, e.g. as ``initial_strategy``).
    max_candidates : int, float or None, default=None
        Pass only a random subsample of the candidates to ``func``: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import FunctionStrategy, QueryContext
    >>> largest_first = FunctionStrategy(lambda ctx, X: X[:, 0], requires_model=False)
    >>> ctx = QueryContext(np.array([[1.0], [5.0], [3.0]]))
    >>> largest_first.select(ctx, 2)[0].tolist()
    [1, 2]
    """

    label_types = ("single", "multilabel")  # the user's function decides
    _parameter_constraints = {
        "func": [callable],
        "returns": [StrOptions({"auto", "scores", "indices"})],
        "requires_model": ["boolean"],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self, func, *, returns="auto", requires_model=True, max_candidates=None
    ):
        self.func = func
        self.returns = returns
        self.requires_model = requires_model
        self.max_candidates = max_candidates

    def __repr__(self, N_CHAR_MAX=700):
        name = getattr(self.func, "__name__", type(self.func).__name__)
        return f"FunctionStrategy({name})"

    def _select(self, context, batch_size):
        n = context.n_candidates
        returns = self.returns
        X = context.rows()
        two = _n_positional(self.func) == 2
        out = None
        if returns == "auto" and two:
            out = self.func(context, X)
            returns = "indices" if _are_positions(out, n) else "scores"
        if returns == "scores":
            out = self.func(context, X) if out is None else out
            scores = np.asarray(out, dtype=float).ravel()
            if scores.shape[0] != n:
                raise ValueError(
                    f"{self!r} returned {scores.shape[0]} scores for {n} candidates; "
                    "a scorer must return one score per candidate."
                )
            idx = select_top_k(scores, batch_size, context.random_state)
            return idx, scores[idx]
        if out is None:
            out = self.func(context, X) if two else self.func(context, X, batch_size)
        if isinstance(out, tuple):
            out = out[0]
        idx = np.asarray(out).ravel()
        if idx.dtype.kind not in "iu":
            raise ValueError(
                f"{self!r} returned values of dtype {idx.dtype}; a selector must "
                "return integer positions in X_pool (returns='scores' for a scorer)."
            )
        return idx, np.full(idx.shape[0], np.nan)
