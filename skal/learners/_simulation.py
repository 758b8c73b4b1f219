"""Simulated acquisition: ``fit`` with ``budget`` set, ``y`` as the oracle."""

import time

import numpy as np
from sklearn.base import clone

from ._acquisition import Answers, run_acquisition


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
        self._fit_labeled(X, y, acquired)  # cold: the initial strategy picks
        start = time.perf_counter()
        first, _ = self._query_rows(X, n_initial, candidates=oracle, own_pool=True)
        query_seconds = time.perf_counter() - start
        acquired[first] = True
        self._fit_labeled(X, y, acquired)
        self.history_[0].update(indices=first.tolist(), query_seconds=query_seconds)

        def pool_score(learner, rest):
            return self._score_rows(X, y[rest], rows=rest) if rest.shape[0] else None

        rounds = run_acquisition(
            self,
            lambda positions: Answers(positions, y[positions]),
            candidates=oracle,
            budget=budget - n_initial,
            batch_size=self.batch_size,
            criteria=criteria,
            evaluate=pool_score,
        )
        for entry in rounds:
            score = entry.pop("score")
            if score is not None:
                entry["pool_score"] = score
        rounds[0].update(indices=first.tolist(), query_seconds=query_seconds)
        acquired = self.labeled_mask_
        self.y_ = y.copy()
        try:
            self.y_[~acquired] = self.missing_label
        except (TypeError, ValueError):
            pass  # the label dtype cannot hold the marker; labeled_mask_ says it
        self.history_ = rounds
        return self
