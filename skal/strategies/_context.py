"""The query context: everything a strategy may use for one query, and nothing more.

A learner builds one :class:`QueryContext` per query and hands only that to
the strategy. The context holds the candidate rows, the labeled set, the
random state and the model's signals; each signal is computed the first
time a strategy asks for it and cached for the rest of the query, so a
hybrid of three strategies pays for one ``predict_proba`` pass.
"""

import contextlib

import numpy as np
from sklearn import config_context
from sklearn.utils import check_random_state

from ..utils import accepts_nan, check_finite, num_rows, score_in_chunks, take_rows
from ._context_model import _ROWS_ON_AXIS_1, ModelView
from ._context_signals import SignalReader


class QueryContext(SignalReader, ModelView):
    """What a strategy sees of one query: candidates, labeled set, signals.

    Strategies read the candidate rows, the labeled rows and the model's
    signals from the context; they never see the learner. Signals are
    computed lazily over the candidate rows, chunk by chunk, and cached
    for the rest of the query.

    Parameters
    ----------
    pool : array-like, sparse matrix or DataFrame
        The rows the candidates are taken from (already validated).
    candidates : array-like of int, default=None
        Positions in ``pool`` to choose among; ``None`` means every row.
    signals : dict, default=None
        Maps a signal name (``"proba"``, ``"decision"``, ``"predict"``,
        ``"proba_samples"``, ``"member_votes"``, ``"predict_std"``,
        ``"mean_std"`` (the (n, 2) columns mean, std), ``"embed"``,
        ``"gradient_factors"``, ``"freq"`` (class frequencies,
        ``predict_freq``)) to a function of rows. Absent
        names are signals the model does not provide.
    X_labeled : array-like, default=None
        The labeled rows (``None``: none yet).
    y_labeled : ndarray, default=None
        Their labels.
    labeled_positions : ndarray of int, default=None
        Position of each labeled row in the learner's own rows (-1 for rows
        that came from outside).
    own_pool : bool, default=False
        Whether ``pool`` is the learner's own rows, so ``candidates`` and
        ``labeled_positions`` index the same rows.
    classes : ndarray, default=None
        The classes (``None`` for regression).
    random_state : int, RandomState instance or None, default=None
        Seeds sampling and tie-breaking.
    n_jobs : int, default=None
        Chunks scored in parallel.
    estimator : estimator object, default=None
        The unfitted estimator template (for strategies that refit).
    model : estimator object, default=None
        The fitted model; ``None`` in a cold start.
    refit : callable, default=None
        ``refit(X, y)`` returns a model fitted as the learner fits one.
    model_name : str, default="the model"
        Named in the error for a missing signal.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext
    >>> ctx = QueryContext(np.array([[0.0], [1.0], [2.0]]), candidates=[2, 0],
    ...                    signals={"proba": lambda X: np.hstack([X / 2, 1 - X / 2])})
    >>> ctx.proba().tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    >>> ctx.has("proba_samples")
    False
    """

    def __init__(
        self,
        pool,
        candidates=None,
        *,
        signals=None,
        X_labeled=None,
        y_labeled=None,
        labeled_positions=None,
        own_pool=False,
        classes=None,
        random_state=None,
        n_jobs=None,
        estimator=None,
        model=None,
        refit=None,
        model_name="the model",
        verify_finite=False,
    ):
        self.pool = pool
        n_pool = num_rows(pool)
        if candidates is None:  # every row: no index array of the pool's size
            self._rows = None
            self.n_candidates = int(n_pool)
        else:
            self._rows = np.asarray(candidates, dtype=np.intp).reshape(-1)
            self.n_candidates = int(self._rows.shape[0])
        self._signals = dict(signals or {})
        self.X_labeled = X_labeled
        self.y_labeled = np.asarray([]) if y_labeled is None else np.asarray(y_labeled)
        self.n_labeled = int(self.y_labeled.shape[0])
        if labeled_positions is None:
            labeled_positions = np.full(self.n_labeled, -1, dtype=np.intp)
        self.labeled_positions = np.asarray(labeled_positions, dtype=np.intp)
        self.own_pool = bool(own_pool)
        self.classes = None if classes is None else np.asarray(classes)
        self.is_classifier = self.classes is not None
        self.random_state = check_random_state(random_state)
        self.n_jobs = n_jobs
        self.estimator = estimator
        self.model = model
        self._refit = refit
        self.model_name = model_name
        self._cache = {}
        self._asker = None
        # The pool is not checked for NaN/inf yet: chunks are checked as they
        # are read, and ensure_finite() checks what no full pass has.
        self._verify = bool(verify_finite)
        self._verified = not self._verify
        #: The context of the whole query: ``subset`` narrows the candidates,
        #: ``root`` still sees them all (e.g. EER measures risk on them).
        self.root = self

    # ----------------------------------------------------------- plumbing
    def __repr__(self):
        return (
            f"QueryContext(n_candidates={self.n_candidates}, "
            f"n_labeled={self.n_labeled}, signals={sorted(self._signals)})"
        )

    @property
    def candidates(self):
        """Positions in ``pool`` of the candidates, in candidate order."""
        if self._rows is None:
            return np.arange(self.n_candidates, dtype=np.intp)
        return self._rows

    @property
    def embeds_features(self):
        """Whether ``embedding()`` is the features themselves (no learned one)."""
        return "embed" not in self._signals

    @property
    def rows_index(self):
        """Candidate positions in ``pool``, or ``None`` when every row is one."""
        return self._rows

    def to_pool(self, local):
        """Map positions among the candidates to positions in ``pool``.

        Parameters
        ----------
        local : array-like of int
            Positions in ``candidates``.

        Returns
        -------
        positions : ndarray of int
            The same rows' positions in ``pool``.
        """
        local = np.asarray(local, dtype=np.intp)
        return local if self._rows is None else self._rows[local]

    @property
    def fitted(self):
        """Whether a fitted model backs the signals (False in a cold start)."""
        return self.model is not None

    @contextlib.contextmanager
    def asked_by(self, strategy):
        """Name ``strategy`` in the errors raised while it reads signals.

        Parameters
        ----------
        strategy : object
            The strategy about to read signals.

        Yields
        ------
        context : QueryContext
            This context.
        """
        previous, self._asker = self._asker, strategy
        try:
            yield self
        finally:
            self._asker = previous

    @property
    def _raw_nan(self):
        """Whether the raw features may hold NaN/inf (the estimator takes them)."""
        return accepts_nan(self.estimator)

    def _chunked(self, func):
        """``func`` over the candidate rows, chunk by chunk.

        An unchecked pool is checked for NaN/inf one chunk at a time, while
        the chunk is in cache; the model then runs under ``assume_finite``.
        """
        with config_context(assume_finite=True):
            out = score_in_chunks(
                func,
                self.pool,
                allow_nan=not self._verify,
                n_jobs=self.n_jobs,
                rows=self._rows,
            )
        if self.root is self:
            self._verified = True
        return out

    def ensure_finite(self):
        """Check the query's candidates for NaN/inf unless a full pass did.

        Raises
        ------
        ValueError
            If a candidate row holds NaN or infinity.
        """
        root = self.root
        if not root._verified:
            root.rows()  # checks the rows as it takes them

    def over(self, rows):
        """Return a context over other ``rows``, with this query's model and labels.

        The new context has the same signal providers, labeled set, classes
        and finiteness rule, every row of ``rows`` a candidate, no cached
        signal and a fresh random state. Block-wise scoring uses it: a
        worker builds one per block of a dask pool.

        Parameters
        ----------
        rows : array-like
            The rows to score (already in memory).

        Returns
        -------
        context : QueryContext
            The context over ``rows``.
        """
        return QueryContext(
            rows,
            signals=self._signals,
            X_labeled=self.X_labeled,
            y_labeled=self.y_labeled,
            labeled_positions=self.labeled_positions,
            classes=self.classes,
            model=self.model,
            estimator=self.estimator,
            model_name=self.model_name,
            verify_finite=self._verify,
        )

    # -------------------------------------------------------------- rows
    def rows(self):
        """The candidate rows themselves, in the pool's container type."""
        if "rows" not in self._cache:
            rows = self.pool if self._rows is None else take_rows(self.pool, self._rows)
            if self._verify and not self.root._verified:
                check_finite(rows)
                if self.root is self:
                    self._verified = True
            self._cache["rows"] = rows
        return self._cache["rows"]

    def subset(self, local):
        """Return a context over the candidates at ``local`` positions only.

        Cached signals are sliced, not recomputed.

        Parameters
        ----------
        local : array-like of int
            Positions in ``candidates``.

        Returns
        -------
        context : QueryContext
            The narrower context; its positions are positions in ``local``.
        """
        local = np.asarray(local, dtype=np.intp)
        sub = object.__new__(QueryContext)
        sub.__dict__.update(self.__dict__)
        sub._rows = self.to_pool(local)
        sub.n_candidates = int(local.shape[0])
        sub.root = self.root
        sub._cache = {}
        for name, value in self._cache.items():
            if name == "labeled_embed":
                sub._cache[name] = value
            elif name == "gradient_factors":
                sub._cache[name] = (value[0][local], value[1][local])
            elif name in _ROWS_ON_AXIS_1:
                sub._cache[name] = value[:, local]
            else:
                sub._cache[name] = take_rows(value, local)
        return sub
