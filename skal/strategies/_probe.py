"""The probe of Adaptive's explore policy: rows whose predictions measure a round.

Each round :class:`~skal.strategies.Adaptive` predicts the same pool rows and
compares with the round before (:func:`~skal.strategies._bandit.prediction_change`).
When the followed strategy is uncertainty sampling on a small own pool, the
predictions come from the signal it scores the candidates with (computed
once, cached in the query context), so the probe costs no model call; the
probe rows that have been labeled since then drop out of the comparison.
Otherwise the probe rows are kept and predicted each round, at most half as
many as the candidates so that this costs at most half of scoring them.
"""

import numpy as np

from ._bandit import prediction_change
from ._uncertainty import UncertaintySampling

#: Largest candidate signal (rows x columns) held whole to share with the arm.
_SHARED_CELLS = 2**22


def shared_signal(context, arm):
    """Return the candidate signal ``arm`` scores with when it can be shared, or None.

    Parameters
    ----------
    context : QueryContext
        The query's context.
    arm : BaseStrategy
        The followed strategy.

    Returns
    -------
    name : {"proba", "decision"} or None
        ``"proba"`` or ``"decision"`` for uncertainty sampling of a classifier
        on the learner's own pool of at most ``2**22`` signal cells; None
        otherwise.
    """
    if not (
        isinstance(arm, UncertaintySampling)
        and context.own_pool
        and context.is_classifier
        and arm.cost_matrix is None
    ):
        return None
    if context.has("proba"):
        name, width = "proba", len(context.classes)
    elif arm.measure == "margin" and context.has("decision"):
        name, width = "decision", len(context.classes)
    else:
        return None
    return name if context.n_candidates * width <= _SHARED_CELLS else None


class Probe:
    """Pool rows drawn once, predicted each round.

    Parameters
    ----------
    context : QueryContext
        The context of the first round, whose candidates the rows are drawn
        from.
    n_rows : int
        Most rows to draw.
    signal : {"proba", "decision"} or None
        The shared signal (:func:`shared_signal`), or None to predict rows.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies._probe import Probe
    >>> X, y = load_iris(return_X_y=True)
    >>> learner = ActiveLearner(LogisticRegression(max_iter=300), budget=20,
    ...                         n_initial=10, random_state=0).fit(X, y)
    >>> context = learner.query_context()
    >>> probe = Probe(context, 50, "proba")
    >>> before = probe.predict(context)
    >>> before.shape, probe.change(before, before, is_classifier=True)
    ((50,), 0.0)
    """

    def __init__(self, context, n_rows, signal):
        self.signal = signal
        n = context.n_candidates
        n = min(n_rows, n) if signal else min(n_rows, max(n // 2, 1))
        local = np.sort(
            context.random_state.choice(context.n_candidates, n, replace=False)
        )
        if signal:
            self.positions, self.rows = context.candidates[local], None
        else:
            self.positions, self.rows = None, context.subset(local).rows()

    def __len__(self):
        return len(self.positions) if self.signal else self.rows.shape[0]

    def predict(self, context):
        """Predictions of the probe rows (NaN: no longer a candidate)."""
        if not self.signal:
            return np.asarray(context.predict_rows(self.rows))
        values = np.asarray(context.signal(self.signal))
        if values.ndim == 1:
            labels = (values > 0).astype(float)
        else:
            labels = values.argmax(axis=1).astype(float)
        order = np.argsort(context.candidates, kind="stable")
        ordered = context.candidates[order]
        out = np.full(len(self.positions), np.nan)
        if ordered.size:
            where = np.minimum(
                np.searchsorted(ordered, self.positions), ordered.size - 1
            )
            found = ordered[where] == self.positions
            out[found] = labels[order[where[found]]]
        return out

    def change(self, before, after, *, is_classifier):
        """The share of the probe that changed (None: no row to compare)."""
        if self.signal:
            both = ~(np.isnan(before) | np.isnan(after))
            if not both.any():
                return None
            before, after = before[both], after[both]
        return prediction_change(before, after, is_classifier=is_classifier)
