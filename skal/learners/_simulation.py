"""Simulated acquisition: ``fit`` with ``budget`` set, ``y`` as the oracle."""

import time

import numpy as np
from sklearn.base import clone



class SimulationMixin:
    """``_simulate``: the whole acquisition run that ``fit`` does with a budget.

    It starts from ``n_initial`` rows chosen by ``initial_strategy``, then
    queries ``batch_size`` rows a round from the labeled rows of ``y`` (the
    oracle) until ``budget`` labels are used or a stopping criterion fires,
    recording each round's score on the rows not yet queried. The labeled
    set is a mask over ``X``: the oracle's labels are never re-read through
    ``missing_label``.
    """

    def _simulate(self, X, y, oracle_mask):
        budget = self.budget
        oracle = np.flatnonzero(oracle_mask)
        if budget > oracle.shape[0]:
            raise ValueError(
                f"budget={budget} is larger than the {oracle.shape[0]} labeled rows "
                "of y that can act as the oracle."
            )
        n_initial = min(self.n_initial, budget)
        stopping = getattr(self, "stopping", None)  # duck-typed: skal.loop criteria
        stopping = [] if stopping is None else stopping
        criteria = [
            clone(c) for c in (stopping if isinstance(stopping, list) else [stopping])
        ]
        acquired = np.zeros(oracle_mask.shape[0], dtype=bool)
        self._set_fitted(X, y, acquired, None)
        start = time.perf_counter()
        new, _ = self._query_rows(X, n_initial, candidates=oracle, own_pool=True)
        query_seconds = time.perf_counter() - start
        acquired[new] = True
        history = []
        while True:
            estimator, fit_seconds = self._refit(X, y, acquired)
            self._set_fitted(X, y, acquired, estimator)
            rest = oracle[~acquired[oracle]]
            entry = {
                "round": len(history),
                "n_labeled": int(acquired.sum()),
                "indices": new.tolist(),
                "query_seconds": query_seconds,
                "fit_seconds": fit_seconds,
            }
            if rest.shape[0]:
                entry["pool_score"] = self._score_rows(X, y[rest], rows=rest)
            history.append(entry)
            info = {**entry, "score": entry.get("pool_score")}
            stops = [type(c).__name__ for c in criteria if c.update(self, info)]
            if stops:
                entry["stopped_by"] = stops[0]
                break
            remaining = budget - int(acquired.sum())
            if remaining <= 0 or rest.shape[0] == 0:
                break
            start = time.perf_counter()
            new, _ = self._query_rows(
                X, min(self.batch_size, remaining), candidates=rest, own_pool=True
            )
            query_seconds = time.perf_counter() - start
            acquired[new] = True
        self.y_ = y.copy()
        try:
            self.y_[~acquired] = self.missing_label
        except (TypeError, ValueError):
            pass  # the label dtype cannot hold the marker; labeled_mask_ says it
        self.history_ = history
        return self



