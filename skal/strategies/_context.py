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

from ..utils import check_finite, num_rows, score_in_chunks, take_rows
from ._context_model import (
    _ROWS_ON_AXIS_1,
    SIGNAL_NAMES,
    SIGNAL_PROVIDERS,
    ModelView,
    _dense,
)


class QueryContext(ModelView):
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
        ``"gradient_factors"``) to a function of rows. Absent
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
        self.y_labeled = (
            np.asarray([]) if y_labeled is None else np.asarray(y_labeled)
        )
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

    def has(self, signal):
        """Return whether the model provides ``signal``.

        Parameters
        ----------
        signal : str
            A signal name, e.g. ``"proba"``.

        Returns
        -------
        available : bool
            True if the signal can be computed.
        """
        if signal in ("embed", "gradient_factors"):
            return True  # the features themselves / the probabilities' factors
        return signal in self._signals

    def require(self, signal, *, fix=None):
        """Return the provider of ``signal``, or raise the "needs X" error.

        Parameters
        ----------
        signal : str
            The signal name.
        fix : str, default=None
            A sentence saying how to get the signal.

        Returns
        -------
        provider : callable
            Maps rows to the signal's values.

        Raises
        ------
        TypeError
            If the model does not provide ``signal``.
        """
        if signal in self._signals:
            return self._signals[signal]
        asker = "This strategy" if self._asker is None else repr(self._asker)
        name = SIGNAL_NAMES.get(signal, signal)
        if signal in ("proba", "decision", "predict") and not self.fitted:
            raise TypeError(
                f"{asker} needs {name}, but no model is fitted yet (no labels): "
                "use a strategy that needs no model for the first labels, such "
                "as 'random', 'typiclust', 'kmeans' or 'coreset'."
            )
        msg = f"{asker} needs {name}, which {self.model_name} does not provide."
        if SIGNAL_PROVIDERS.get(signal):
            msg += f" It is provided by {SIGNAL_PROVIDERS[signal]}."
        if fix:
            msg += f" {fix}"
        raise TypeError(msg)

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

    # ------------------------------------------------------------- signals
    def signal(self, name, *, fix=None):
        """Return signal ``name`` over the candidates, computed once per query.

        Parameters
        ----------
        name : str
            The signal name.
        fix : str, default=None
            Added to the error when the signal is missing.

        Returns
        -------
        values : ndarray
            Rows of the signal, in candidate order (axis 1 for
            ``"proba_samples"`` and ``"member_votes"``).
        """
        if name in self._cache:
            return self._cache[name]
        if name == "embed" and "embed" not in self._signals:
            value = _dense(self.rows())
        elif name == "gradient_factors" and name not in self._signals:
            from ._hybrid import gradient_embedding_factors

            proba = self.signal("proba", fix=fix)
            value = (gradient_embedding_factors(proba), self.signal("embed"))
        elif name == "gradient_factors":
            value = self._signals[name](self.rows())
        elif name in _ROWS_ON_AXIS_1:
            provider = self.require(name, fix=fix)
            value = np.moveaxis(
                self._chunked(lambda X: np.moveaxis(np.asarray(provider(X)), 1, 0)),
                0,
                1,
            )
        else:
            provider = self.require(name, fix=fix)
            value = self._chunked(lambda X: np.asarray(provider(X)))
            if name == "embed":
                value = _dense(value)
        self._cache[name] = value
        return value

    def map(self, name, func, *, fix=None):
        """Apply ``func`` to signal ``name`` chunk by chunk; concatenate the rows.

        Memory is bounded by a chunk: the full signal is never held, unless
        it is already cached, in which case ``func`` runs on it directly.

        Parameters
        ----------
        name : str
            The signal name.
        func : callable
            Maps a chunk of the signal to per-row values (rows first).
        fix : str, default=None
            Added to the error when the signal is missing.

        Returns
        -------
        values : ndarray
            ``func`` of every candidate's signal, in candidate order.
        """
        if name in self._cache or name in ("embed", "gradient_factors"):
            return np.asarray(func(self.signal(name, fix=fix)))
        provider = self.require(name, fix=fix)
        return self._chunked(lambda X: func(provider(X)))

    def map_rows(self, func):
        """Apply ``func`` to the candidate rows chunk by chunk; concatenate.

        For a strategy's own computation on the features (memory bounded by
        a chunk; chunks in parallel with ``n_jobs``).

        Parameters
        ----------
        func : callable
            Maps a chunk of candidate rows to per-row values (rows first).

        Returns
        -------
        values : ndarray
            ``func`` of every candidate row, in candidate order.
        """
        return self._chunked(func)

    def proba(self):
        """Class probabilities of the candidates, (n_candidates, n_classes)."""
        return self.signal("proba")

    def decision(self):
        """Decision values of the candidates."""
        return self.signal("decision")

    def predict(self):
        """Predictions of the candidates, (n_candidates,)."""
        return self.signal("predict")

    def proba_samples(self):
        """Member / MC-pass probabilities, (n_members, n_candidates, n_classes)."""
        return self.signal("proba_samples")

    def member_votes(self):
        """Each member's predicted class, (n_members, n_candidates)."""
        return self.signal("member_votes")

    def predict_std(self):
        """Predictive standard deviation of the candidates, (n_candidates,)."""
        return self.signal("predict_std")

    def predict_mean_std(self):
        """Predictive mean and std of the candidates from one pass.

        Returns
        -------
        mean : ndarray of shape (n_candidates,)
            Predictive mean.
        std : ndarray of shape (n_candidates,)
            Predictive standard deviation.
        """
        both = self.signal("mean_std")
        return both[:, 0], both[:, 1]

    def embedding(self):
        """Dense float embedding of the candidates (the features if none)."""
        return self.signal("embed")

    def gradient_factors(self):
        """Factors ``(U, H)`` of the last-layer gradient embedding ``U (x) H``."""
        return self.signal("gradient_factors")

    def labeled_embedding(self):
        """Embedding of the labeled rows, or ``None`` when nothing is labeled."""
        if not self.n_labeled:
            return None
        if "labeled_embed" not in self._cache:
            self._cache["labeled_embed"] = self.embed(self.X_labeled)
        return self._cache["labeled_embed"]

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
