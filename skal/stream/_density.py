"""Density-focused uncertainty sampling on streams (DBALStream).

D. Ienco, I. Žliobaitė and B. Pfahringer. High density-focused uncertainty
sampling for active learning over evolving stream data. Proceedings of the
3rd International Workshop on Big Data, Streams and Heterogeneous Source
Mining (BigMine), PMLR 36:133-148, 2014.
"""

from collections import deque

import numpy as np
from sklearn.metrics import pairwise_distances
from sklearn.utils._param_validation import StrOptions

from ..strategies import margin
from ..utils._validation import POSITIVE_INT
from ._uncertainty import RandomizedVariableUncertainty

__all__ = ["StreamDensityBasedAL"]


def _distances(window, x, metric):
    if metric in ("euclidean", "l2"):  # the default, without sklearn's checks
        return np.sqrt(((window - x) ** 2).sum(axis=1))
    return pairwise_distances(window, x.reshape(1, -1), metric=metric).ravel()


class StreamDensityBasedAL(RandomizedVariableUncertainty):
    """Uncertainty sampling restricted to dense regions of the stream.

    A sliding window keeps the last ``window_size`` samples and, for each,
    the distance to its nearest neighbour seen since. The local density
    factor of a new sample ``x`` counts the window samples for which ``x``
    is a new nearest neighbour::

        ldf(x) = |{ x_i in W : d(x, x_i) < nn(x_i) }|

    Only samples with ``ldf(x) > 0`` (in a dense region) go to the
    randomised variable-uncertainty rule of
    :class:`~skal.stream.RandomizedVariableUncertainty` on the margin
    confidence ``c = p(1) - p(2)``; the default budget manager counts the
    spending over the whole stream (:class:`~skal.stream.FixedBudget`).
    Samples outside dense regions leave the threshold alone.

    Parameters
    ----------
    window_size : int, default=100
        Samples kept in the density window.
    metric : str, default="euclidean"
        Distance, as in :func:`sklearn.metrics.pairwise_distances`.
    theta : float, default=1.0
        Initial threshold on the margin confidence.
    s : float in (0, 1], default=0.01
        Adjusting step of the threshold.
    delta : float, default=1.0
        Standard deviation of the threshold multiplier ``eta ~ N(1, delta)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.stream import StreamDensityBasedAL
    >>> strategy = StreamDensityBasedAL()
    >>> state = strategy.init_state(0.1, 2)
    >>> [strategy.observe(state, np.array(x), 0.5, None)[1]
    ...  for x in ([0.0], [10.0], [1.0])]
    [False, True, True]
    """

    _parameter_constraints: dict = {
        **RandomizedVariableUncertainty._parameter_constraints,
        "window_size": [POSITIVE_INT],
        "metric": [StrOptions({"euclidean", "manhattan", "cosine", "l1", "l2"})],
    }
    default_budget_manager = "fixed"

    def __init__(
        self, window_size=100, metric="euclidean", theta=1.0, s=0.01, delta=1.0
    ):
        self.window_size = window_size
        self.metric = metric
        self.theta = theta
        self.s = s
        self.delta = delta

    def _init_state(self, budget, n_classes):
        return {
            **super()._init_state(budget, n_classes),
            "window": deque(maxlen=self.window_size),
            "nn": deque(maxlen=self.window_size),
        }

    def utilities(self, X, proba):
        return margin(proba(X))

    def observe(self, state, x, utility, rng):
        window, nn = state["window"], state["nn"]
        ldf = 0
        nearest = np.inf
        if window:
            dist = _distances(np.asarray(window), x, self.metric)
            closer = np.flatnonzero(dist < np.asarray(nn))
            ldf = closer.size
            for i in closer:
                nn[i] = dist[i]
            nearest = dist.min()
        window.append(np.array(x, dtype=float))
        nn.append(nearest)
        return utility, ldf > 0
