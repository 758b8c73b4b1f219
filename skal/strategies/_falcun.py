"""FALCUN: uncertainty plus diversity in the probability space, sampled.

Gilhuber, Beer, Ma & Seidl, *FALCUN: A Simple and Efficient Deep Active
Learning Strategy*, ECML PKDD 2024. Each candidate's relevance adds its
margin uncertainty and its (normalized) L1 distance, in class-probability
space, to the samples already in the batch; the next sample is drawn with
probability proportional to ``relevance ** gamma``.
"""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._uncertainty import margin


def _min_max(values):
    low = values.min()
    span = values.max() - low
    return (values - low) / span if span > 0 else values - low


class Falcun(BaseStrategy):
    """Draw a batch by uncertainty plus diversity in class-probability space.

    With ``u_i`` the margin uncertainty ``1 - (p_(1) - p_(2))`` of candidate
    ``i`` and ``S`` the samples drawn so far, its diversity is
    ``d_i = minmax(min(u_i, min_{s in S} ||p_i - p_s||_1))`` over the
    candidates (``d_i = u_i`` while ``S`` is empty), its relevance
    ``r_i = (u_i + d_i) ** gamma``, and the next sample is drawn with
    probability ``r_i / sum_j r_j`` among those not yet drawn (uniformly
    when every relevance is 0).

    Parameters
    ----------
    gamma : float, default=10
        Sharpness: 0 draws uniformly, large values approach the arg-max.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import Falcun, QueryContext
    >>> P = np.array([[0.5, 0.5], [0.52, 0.48], [0.99, 0.01], [0.1, 0.9]])
    >>> ctx = QueryContext(P, classes=[0, 1], random_state=0,
    ...                    signals={"proba": lambda X: X})
    >>> idx, probability = Falcun(gamma=50).select(ctx, 2)
    >>> idx.tolist()   # most uncertain, then far from it and still uncertain
    [0, 3]
    """

    task = "classification"
    _parameter_constraints = {
        "gamma": [Interval(Real, 0, None, closed="left")],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, gamma=10, *, max_candidates=None):
        self.gamma = gamma
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        proba = np.asarray(context.proba(), dtype=float)
        n = proba.shape[0]
        uncertainty = margin(proba)
        distance = uncertainty.copy()  # min(u, raw L1 distances to the batch)
        diversity = uncertainty
        rng = context.random_state
        picks, chances = [], []
        for b in range(batch_size):
            if b:
                last = proba[picks[-1]]
                np.minimum(distance, np.abs(proba - last).sum(axis=1), out=distance)
                diversity = _min_max(distance)
            relevance = (uncertainty + diversity) ** self.gamma
            relevance[picks] = 0
            total = relevance.sum()
            if not total > 0:
                relevance = np.ones(n)
                relevance[picks] = 0
                total = relevance.sum()
            chance = relevance / total
            pick = int(rng.choice(n, p=chance))
            picks.append(pick)
            chances.append(chance[pick])
        return np.asarray(picks, dtype=np.intp), np.asarray(chances)
