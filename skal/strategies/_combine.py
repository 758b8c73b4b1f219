"""Combine any strategies by weighted normalised scores or by rank fusion."""

import numpy as np
from scipy.stats import rankdata

from ..utils import num_rows
from ._base import BaseStrategy
from ._registry import resolve_strategy
from ._selection import select_top_k


class Hybrid(BaseStrategy):
    """Combine strategies by weighted normalised scores or by rank fusion.

    Each strategy gives every pool sample a score: its ``scores`` method
    when it has one (uncertainty, density, distance to the labeled set),
    else its own batch, ranked (the first pick scores 1, the last
    ``1 / batch_size``, unpicked samples 0).

    - ``combine="score"``: each score is min-max normalised to [0, 1] and
      the weighted sum is ranked.
    - ``combine="rank"``: weighted Borda count; each strategy ranks the pool
      (ties share their mean rank) and the lowest weighted mean rank wins.

    Parameters
    ----------
    strategies : list of (str, strategy) tuples
        Named strategies (objects, names or callables); parameters are
        reachable as ``<name>__<param>``.
    weights : list of float, default=None
        One weight per strategy; ``None`` weighs them equally.
    combine : {"score", "rank"}, default="score"
        How scores are fused.
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.DensityWeighted : Uncertainty times density.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import CoreSet, Hybrid
    >>> X = np.array([[-2.0], [2.0], [0.0], [0.1], [9.0]])
    >>> learner = ActiveLearner(LogisticRegression()).fit(X, [0, 1, -1, -1, -1])
    >>> both = Hybrid([("unc", "margin"), ("far", CoreSet())], weights=[1, 3])
    >>> both.query(learner, X[2:], 1)[0].tolist()
    [2]
    >>> both.set_params(far__max_candidates=2).far.max_candidates
    2
    """

    def __init__(
        self, strategies, *, weights=None, combine="score", max_candidates=None
    ):
        self.strategies = strategies
        self.weights = weights
        self.combine = combine
        self.max_candidates = max_candidates

    @property
    def needs_model(self):
        """Return whether any combined strategy needs a fitted model.

        Returns
        -------
        needs_model : bool
            False only when every strategy can choose without a model.
        """
        return any(
            getattr(resolve_strategy(s), "needs_model", True) for _, s in self._named()
        )

    def _named(self):
        try:
            pairs = [(str(name), s) for name, s in self.strategies]
        except (TypeError, ValueError):
            raise TypeError(
                "strategies must be a list of (name, strategy) tuples, got "
                f"{self.strategies!r}."
            ) from None
        if not pairs:
            raise ValueError("Hybrid needs at least one strategy.")
        names = [name for name, _ in pairs]
        if len(set(names)) != len(names) or any("__" in name for name in names):
            raise ValueError(
                f"Strategy names must be unique and contain no '__', got {names}."
            )
        return pairs

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
        params = super().get_params(deep=False)
        try:
            pairs = self._named() if deep else []
        except (TypeError, ValueError):
            pairs = []  # reported when the strategy is used
        for name, s in pairs:
            params[name] = s
            if hasattr(s, "get_params"):
                for key, value in s.get_params(deep=True).items():
                    params[f"{name}__{key}"] = value
        return params

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
        own = {k: params.pop(k) for k in list(params) if k in self._param_names()}
        super().set_params(**own)
        pairs = self._named()
        names = [name for name, _ in pairs]
        for key in [k for k in params if k in names]:
            pairs[names.index(key)] = (key, params.pop(key))
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in names or not sub:
                raise ValueError(f"Invalid parameter {key!r} for {self!r}.")
            nested.setdefault(name, {})[sub] = value
        for name, sub in nested.items():
            i = names.index(name)
            pairs[i] = (name, pairs[i][1].set_params(**sub))
        self.strategies = pairs
        return self

    @classmethod
    def _param_names(cls):
        return ("strategies", "weights", "combine", "max_candidates")

    def __getattr__(self, name):
        if not name.startswith("_") and "strategies" in self.__dict__:
            for key, s in self.__dict__["strategies"]:
                if key == name:
                    return s
        raise AttributeError(
            f"{type(self).__name__!r} object has no attribute {name!r}"
        )

    def _scores_of(self, strategy, learner, X_pool, batch_size, rng):
        if hasattr(strategy, "scores"):
            scores = np.asarray(strategy.scores(learner, X_pool), dtype=float)
            return np.where(np.isfinite(scores), scores, 0.0)
        idx, _ = strategy.query(learner, X_pool, batch_size, random_state=rng)
        scores = np.zeros(num_rows(X_pool))
        scores[idx] = 1.0 - np.arange(len(idx)) / len(idx)
        return scores

    def _query(self, learner, X_pool, batch_size, rng):
        pairs = self._named()
        weights = np.ones(len(pairs)) if self.weights is None else self.weights
        weights = np.asarray(weights, dtype=float)
        if weights.shape != (len(pairs),) or (weights < 0).any():
            raise ValueError(
                f"weights must be {len(pairs)} non-negative numbers, got "
                f"{self.weights!r}."
            )
        if self.combine not in ("score", "rank"):
            raise ValueError(
                f"combine must be 'score' or 'rank', got {self.combine!r}."
            )
        total = np.zeros(num_rows(X_pool))
        strategies = [
            resolve_strategy(s, param=f"strategies[{name!r}]") for name, s in pairs
        ]
        for strategy, w in zip(strategies, weights):
            scores = self._scores_of(strategy, learner, X_pool, batch_size, rng)
            if self.combine == "rank":
                total -= w * rankdata(-scores)
            else:
                span = scores.max() - scores.min()
                total += w * ((scores - scores.min()) / span if span > 0 else 0.0)
        idx = select_top_k(total, batch_size, rng)
        return idx, total[idx]
