"""Combine any strategies by weighted normalised scores or by rank fusion."""

import numpy as np
from scipy.stats import rankdata
from sklearn.utils import Bunch
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import _BaseComposition

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._registry import resolve_strategy
from ._selection import select_top_k


class Hybrid(_BaseComposition, BaseStrategy):
    """Combine strategies by weighted normalised scores or by rank fusion.

    Each strategy gives every candidate a score: its ``score(context)``
    method when it has one (uncertainty, density, distance to the labeled
    set), else its own batch, ranked (the first pick scores 1, the last
    ``1 / batch_size``, unpicked candidates 0). All strategies read the same
    query context, so a signal they share (the embedding, the
    probabilities: with two or more parts that need a model they are
    computed once up front) is computed once per query.

    - ``combine="score"``: each score is min-max normalised to [0, 1] and
      the weighted sum is ranked.
    - ``combine="rank"``: weighted Borda count; each strategy ranks the
      candidates (ties share their mean rank) and the lowest weighted mean
      rank wins.

    Parameters
    ----------
    strategies : list of (str, strategy) tuples
        Named strategies (objects, names or callables); parameters are
        reachable as ``<name>__<param>``, as in a ``Pipeline``.
    weights : array-like of float, default=None
        One non-negative weight per strategy; ``None`` weighs them equally.
    combine : {"score", "rank"}, default="score"
        How scores are fused.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Attributes
    ----------
    named_strategies : Bunch
        The strategies by name (read-only).

    See Also
    --------
    skal.strategies.DensityWeighted : Uncertainty times density.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import CoreSet, Hybrid, QueryContext
    >>> X = np.array([[-2.0], [2.0], [0.0], [0.1], [9.0]])
    >>> model = LogisticRegression().fit(X[:2], [0, 1])
    >>> ctx = QueryContext(X[2:], signals={"proba": model.predict_proba},
    ...                    X_labeled=X[:2], y_labeled=[0, 1], model=model)
    >>> both = Hybrid([("unc", "margin"), ("far", CoreSet())], weights=[1, 3])
    >>> both.select(ctx, 1)[0].tolist()
    [2]
    >>> both.set_params(far__max_candidates=2).named_strategies.far.max_candidates
    2
    """

    _parameter_constraints = {
        "strategies": [list],
        "weights": ["array-like", None],
        "combine": [StrOptions({"score", "rank"})],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self, strategies, *, weights=None, combine="score", max_candidates=None
    ):
        self.strategies = strategies
        self.weights = weights
        self.combine = combine
        self.max_candidates = max_candidates

    @property
    def requires_model(self):
        """Whether any combined strategy needs a fitted model.

        False only when every strategy can choose without a model (e.g.
        ``CoreSet`` with ``KMeansSampling``).
        """
        return any(s.requires_model for _, s in self._resolved())

    @property
    def binary_only(self):
        """Whether any combined strategy is defined for two classes only."""
        return any(getattr(s, "binary_only", False) for _, s in self._resolved())

    @property
    def requires_torch(self):
        """Whether any combined strategy trains its own PyTorch network."""
        return any(getattr(s, "requires_torch", False) for _, s in self._resolved())

    @property
    def named_strategies(self):
        """The strategies by name, as a :class:`~sklearn.utils.Bunch`."""
        return Bunch(**dict(self.strategies))

    def get_params(self, deep=True):
        """Get parameters, with the strategies' own as ``<name>__<param>``.

        Parameters
        ----------
        deep : bool, default=True
            Include the named strategies and their parameters.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("strategies", deep=deep)

    def set_params(self, **params):
        """Set parameters, including ``<name>`` and ``<name>__<param>``.

        Parameters
        ----------
        **params : dict
            Parameters to set.

        Returns
        -------
        self : Hybrid
            This strategy.
        """
        return self._set_params("strategies", **params)

    def _resolved(self):
        """Validate the names and resolve every strategy to an object."""
        try:
            names = [str(name) for name, _ in self.strategies]
        except (TypeError, ValueError):
            raise TypeError(
                "strategies must be a list of (name, strategy) tuples, got "
                f"{self.strategies!r}."
            ) from None
        if not names:
            raise ValueError("Hybrid needs at least one strategy.")
        self._validate_names(names)
        return [
            (name, resolve_strategy(s, param=f"strategies[{name!r}]"))
            for name, s in self.strategies
        ]

    @staticmethod
    def _scores_of(strategy, context, batch_size):
        score = getattr(strategy, "score", None)
        if score is not None:
            scores = np.asarray(score(context), dtype=float)
            return np.where(np.isfinite(scores), scores, 0.0)
        idx, _ = strategy.select(context, batch_size)
        scores = np.zeros(context.n_candidates)
        scores[idx] = 1.0 - np.arange(len(idx)) / len(idx)
        return scores

    def _select(self, context, batch_size):
        pairs = self._resolved()
        weights = np.ones(len(pairs)) if self.weights is None else self.weights
        weights = np.asarray(weights, dtype=float)
        if weights.shape != (len(pairs),) or (weights < 0).any():
            raise ValueError(
                f"weights must be {len(pairs)} non-negative numbers, got "
                f"{self.weights!r}."
            )
        if sum(s.requires_model for _, s in pairs) > 1 and context.has("proba"):
            # Several parts read the probabilities: compute them once and
            # cache them (chunked reads would each ask the model again).
            context.proba()
        total = np.zeros(context.n_candidates)
        for (_, strategy), w in zip(pairs, weights):
            scores = self._scores_of(strategy, context, batch_size)
            if self.combine == "rank":
                total -= w * rankdata(-scores)
            else:
                span = scores.max() - scores.min()
                total += w * ((scores - scores.min()) / span if span > 0 else 0.0)
        idx = select_top_k(total, batch_size, context.random_state)
        return idx, total[idx]
