"""How a strategy reads the model's signals from its query context.

:class:`SignalReader` is the signal half of
:class:`~skal.strategies.QueryContext`: ``has`` / ``require`` (the "needs X,
provided by Y" error), ``signal`` (computed once per query over the
candidates and cached), ``map`` (chunk by chunk, memory bounded by a chunk)
and the named accessors (``proba()``, ``proba_samples()``, ...).

A provider may carry a ``from_samples`` attribute: a function of the
``(n_samples, n, K)`` stack of stochastic passes. When the passes are
already cached for the query, the signal is derived from them instead of
running the passes again (MC dropout: ``proba`` is the mean of the cached
passes, so BALD plus entropy in one hybrid costs one set of passes).
"""

import numpy as np

from ._context_model import (
    _ROWS_ON_AXIS_1,
    SIGNAL_NAMES,
    SIGNAL_PROVIDERS,
    _dense,
    _finite_features,
)


class SignalReader:
    """The model's signals over the candidates; mixed into ``QueryContext``."""

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
        derive = getattr(self._signals.get(name), "from_samples", None)
        if derive is not None and "proba_samples" in self._cache:
            value = derive(self._cache["proba_samples"])
        elif name == "embed" and "embed" not in self._signals:
            rows = self.rows()
            value = _finite_features(rows) if self._raw_nan else _dense(rows)
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
            # a transform may output sparse rows (OneHotEncoder, TfidfVectorizer)
            to_array = _dense if name == "embed" else np.asarray
            value = self._chunked(lambda X: to_array(provider(X)))
            if name == "embed":  # e.g. a pipeline's transform, which may keep NaN
                value = _finite_features(value) if self._raw_nan else _dense(value)
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
        derived = getattr(self._signals.get(name), "from_samples", None) is not None
        if (
            name in self._cache
            or name in ("embed", "gradient_factors")
            or (derived and "proba_samples" in self._cache)
        ):
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

    def predict(self, X=None, return_std=False):
        """Predictions of the candidates (or of rows ``X``), with their std.

        Called with no argument, the cached predictions of the candidates.
        With rows ``X`` it is the model's ``predict(X)``, so a modAL-style
        function written for a regressor, ``regressor.predict(X,
        return_std=True)``, runs on the context unchanged.

        Parameters
        ----------
        X : array-like, default=None
            Rows in the pool's feature space; ``None``: the candidates.
        return_std : bool, default=False
            Also return the predictive standard deviation (regressors whose
            ``predict`` takes ``return_std``).

        Returns
        -------
        y_pred : ndarray of shape (n_rows,)
            Predictions.
        y_std : ndarray of shape (n_rows,)
            Their standard deviation; only with ``return_std=True``.
        """
        if not return_std:
            return self.signal("predict") if X is None else self.predict_rows(X)
        if X is None:
            return self.predict_mean_std()
        both = self._apply("mean_std", X)
        return both[:, 0], both[:, 1]

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
