"""Cognitive dual-query strategies (CogDQS) for drifting streams.

S. Liu, S. Xue, J. Wu, C. Zhou, J. Yang, Z. Li and J. Cao. Online active
learning for drifting data streams. IEEE Transactions on Neural Networks and
Learning Systems, 34(1):186-200, 2023. A small *cognition window* keeps the
most representative recent samples, forgetting the one of weakest memory
(Ebbinghaus' curve); a sample may be labeled only in a dense region of that
window, and then by one of Žliobaitė et al.'s (2014) uncertainty rules.
"""

import numpy as np
from sklearn.utils._param_validation import StrOptions

from ..utils._validation import POSITIVE_INT, IntInterval
from ._density import _distances
from ._uncertainty import (
    FixedUncertainty,
    RandomizedVariableUncertainty,
    VariableUncertainty,
    _Confidence,
)

__all__ = [
    "CognitiveDualQuery",
    "CognitiveDualQueryFixed",
    "CognitiveDualQueryRandom",
    "CognitiveDualQueryVariable",
]


class _CognitionWindow:
    """The cognition window filter, mixed into an uncertainty rule.

    The window keeps for each sample ``x_i`` its nearest-neighbour distance
    ``nn_i`` seen since, the number of times ``h_i`` it was a new sample's
    nearest neighbour, and the time ``t_i`` of the last. A new ``x`` at time
    ``t`` is a new nearest neighbour of ``N(x) = {i : d(x, x_i) < nn_i}``;
    ``ldf(x) = |N(x)|``. Memory strength ``s_i = exp(-(t - t_i) / (h_i + 1))``;
    while the window holds more than ``cognition_window_size`` samples the
    weakest is forgotten before ``x`` joins. Arrays in the state are never
    written in place (``query`` tries the filter on a shallow copy).
    """

    _window_constraints: dict = {
        "density_threshold": [IntInterval(0, None, closed="left")],
        "cognition_window_size": [POSITIVE_INT],
        "force_full_budget": ["boolean"],
        "metric": [StrOptions({"euclidean", "manhattan", "cosine", "l1", "l2"})],
    }

    def _init_state(self, budget, n_classes):
        return {
            **super()._init_state(budget, n_classes),
            "t": 0,
            "window": None,
            "nn": np.zeros(0),
            "hits": np.zeros(0, dtype=int),
            "last": np.zeros(0, dtype=int),
        }

    def observe(self, state, x, utility, rng):
        t, window = state["t"], state["window"]
        x = np.array(x, dtype=float).reshape(1, -1)
        ldf, nearest = 0, np.inf
        nn, hits, last = state["nn"], state["hits"], state["last"]
        if window is not None:
            dist = _distances(window, x[0], self.metric)
            closer = dist < nn
            ldf = int(closer.sum())
            nn = np.where(closer, dist, nn)
            hits = hits + closer
            last = np.where(closer, t, last)
            nearest = dist.min()
            if window.shape[0] > self.cognition_window_size:
                strength = np.exp(-(1.0 / (hits + 1)) * (t - last))
                keep = np.arange(window.shape[0]) != np.argmin(strength)
                window, nn, hits, last = window[keep], nn[keep], hits[keep], last[keep]
        state["window"] = x if window is None else np.vstack([window, x])
        state["nn"] = np.append(nn, nearest)
        state["hits"] = np.append(hits, 0)
        state["last"] = np.append(last, t)
        state["t"] = t + 1
        if ldf >= self.density_threshold:
            return utility, True
        return utility, (False if self.force_full_budget else None)


_DOC_PARAMS = """density_threshold : int, default=1
        Least local density factor ``ldf`` for a sample to be labeled.
    cognition_window_size : int, default=10
        Samples kept in the cognition window (one more while a new sample
        is compared with it, as in scikit-activeml).
    force_full_budget : bool, default=False
        Let the budget manager count the samples outside dense regions as
        not labeled (its spending estimate then decays on them). By default
        they are hidden from it, as scikit-activeml does by default (its
        documentation says the article does not update the budget there).
    metric : str, default="euclidean"
        Distance, as in :func:`sklearn.metrics.pairwise_distances`."""


class CognitiveDualQuery(_CognitionWindow, RandomizedVariableUncertainty):
    """Cognitive dual-query strategy with randomized variable uncertainty.

    A sample passes the cognition-window density filter when its local
    density factor reaches ``density_threshold``; then the rule of
    :class:`~skal.stream.RandomizedVariableUncertainty` decides on its
    confidence ``c = max_y P(y | x)`` (utility ``1 - c``), under the
    Žliobaitė budget estimate (:class:`~skal.stream.EstimatedBudget`).
    scikit-activeml's ``CognitiveDualQueryStrategy`` and
    ``CognitiveDualQueryStrategyRanVarUn``.

    The window keeps for each sample its nearest-neighbour distance seen
    since, how often ``h`` it was a new sample's nearest neighbour and when
    ``t_i``; ``ldf(x)`` counts the window samples of which ``x`` is a new
    nearest neighbour, and the sample of weakest memory strength
    ``exp(-(t - t_i) / (h + 1))`` is forgotten when the window is full.

    Parameters
    ----------
    {params}
    theta : float, default=1.0
        Initial threshold on the confidence.
    s : float in (0, 1], default=0.01
        Adjusting step of the threshold.
    delta : float, default=1.0
        Standard deviation of the threshold multiplier ``eta ~ N(1, delta)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.stream import CognitiveDualQuery
    >>> strategy = CognitiveDualQuery(cognition_window_size=2)
    >>> state = strategy.init_state(0.1, 2)
    >>> [strategy.observe(state, np.array(x), 0.5, None)[1]
    ...  for x in ([0.0], [10.0], [9.0], [1.0])]
    [None, True, True, True]
    >>> state["window"].ravel().tolist()  # 9 forgotten: weakest memory
    [0.0, 10.0, 1.0]
    """

    _parameter_constraints: dict = {
        **RandomizedVariableUncertainty._parameter_constraints,
        **_CognitionWindow._window_constraints,
    }

    def __init__(
        self,
        density_threshold=1,
        cognition_window_size=10,
        force_full_budget=False,
        metric="euclidean",
        theta=1.0,
        s=0.01,
        delta=1.0,
    ):
        self.density_threshold = density_threshold
        self.cognition_window_size = cognition_window_size
        self.force_full_budget = force_full_budget
        self.metric = metric
        self.theta = theta
        self.s = s
        self.delta = delta


class CognitiveDualQueryVariable(_CognitionWindow, VariableUncertainty):
    """Cognitive dual-query strategy with variable uncertainty.

    The density filter of :class:`CognitiveDualQuery`, then the rule of
    :class:`~skal.stream.VariableUncertainty`: label when ``c < theta``,
    tighten ``theta`` by ``1 - s`` after a label, widen it by ``1 + s``
    after a skip. scikit-activeml's ``CognitiveDualQueryStrategyVarUn``.

    Parameters
    ----------
    {params}
    theta : float, default=1.0
        Initial threshold on the confidence.
    s : float in (0, 1], default=0.01
        Adjusting step of the threshold.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.stream import CognitiveDualQueryVariable, StreamActiveLearner
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(300, 2))
    >>> learner = StreamActiveLearner(
    ...     GaussianNB(), CognitiveDualQueryVariable(), budget=0.1
    ... ).fit(X[:2], [0, 1])
    >>> int(learner.query(X[2:]).sum())
    25
    """

    _parameter_constraints: dict = {
        **VariableUncertainty._parameter_constraints,
        **_CognitionWindow._window_constraints,
    }

    def __init__(
        self,
        density_threshold=1,
        cognition_window_size=10,
        force_full_budget=False,
        metric="euclidean",
        theta=1.0,
        s=0.01,
    ):
        self.density_threshold = density_threshold
        self.cognition_window_size = cognition_window_size
        self.force_full_budget = force_full_budget
        self.metric = metric
        self.theta = theta
        self.s = s


class CognitiveDualQueryFixed(_CognitionWindow, FixedUncertainty):
    """Cognitive dual-query strategy with fixed uncertainty.

    The density filter of :class:`CognitiveDualQuery`, then the rule of
    :class:`~skal.stream.FixedUncertainty`: label when
    ``c < 1 / K + B (1 - 1 / K)``. scikit-activeml's
    ``CognitiveDualQueryStrategyFixUn``, which takes the classes; skal reads
    them from the learner.

    Parameters
    ----------
    {params}

    Examples
    --------
    >>> from skal.stream import CognitiveDualQueryFixed
    >>> CognitiveDualQueryFixed().init_state(0.2, 2)["theta"]
    0.6
    """

    _parameter_constraints: dict = dict(_CognitionWindow._window_constraints)

    def __init__(
        self,
        density_threshold=1,
        cognition_window_size=10,
        force_full_budget=False,
        metric="euclidean",
    ):
        self.density_threshold = density_threshold
        self.cognition_window_size = cognition_window_size
        self.force_full_budget = force_full_budget
        self.metric = metric


class CognitiveDualQueryRandom(_CognitionWindow, _Confidence):
    """Cognitive dual-query strategy with random sampling.

    The density filter of :class:`CognitiveDualQuery`; a sample that passes
    it draws ``r ~ U(0, 1)`` and is labeled when ``r <= B`` and the budget
    estimate allows. The utility reported is still ``1 - c``.
    scikit-activeml's ``CognitiveDualQueryStrategyRan`` (its
    ``RandomBudgetManager``).

    Parameters
    ----------
    {params}

    Examples
    --------
    >>> import numpy as np
    >>> from skal.stream import CognitiveDualQueryRandom
    >>> strategy = CognitiveDualQueryRandom(density_threshold=0)
    >>> state = strategy.init_state(0.5, 2)
    >>> strategy.observe(state, np.zeros(1), 0.3, np.random.RandomState(0))
    (0.3, True)
    >>> round(state["draw"], 3), strategy.propose(state, 0.3, None)
    (0.549, False)
    """

    _parameter_constraints: dict = dict(_CognitionWindow._window_constraints)

    def __init__(
        self,
        density_threshold=1,
        cognition_window_size=10,
        force_full_budget=False,
        metric="euclidean",
    ):
        self.density_threshold = density_threshold
        self.cognition_window_size = cognition_window_size
        self.force_full_budget = force_full_budget
        self.metric = metric

    def observe(self, state, x, utility, rng):
        utility, eligible = super().observe(state, x, utility, rng)
        if eligible is not None:  # scikit-activeml draws for every sample counted
            state["draw"] = float(rng.random_sample())
        return utility, eligible

    def propose(self, state, utility, rng):
        return bool(state["draw"] <= state["budget"])


for _cls in (
    CognitiveDualQuery,
    CognitiveDualQueryVariable,
    CognitiveDualQueryFixed,
    CognitiveDualQueryRandom,
):
    _cls.__doc__ = _cls.__doc__.replace("{params}", _DOC_PARAMS)
