"""Adaptive: follow a strategy, explore at random, and learn how much.

Two policies. The default, ``"explore"``, follows one strategy (margin
sampling by default) and lets random sampling choose a share of the rounds;
the share moves when a one-sided test says random labels change the model
more, or less, than the followed strategy's (exploration with a
hypothesis-change signal, after Osugi, Kun & Scott, ICDM 2005). With
``stable_labels`` set, the followed strategy chooses alone until its labels
stop changing the model (stabilizing predictions, Bloodgood &
Vijay-Shanker, CoNLL 2009), and again after a random label moves it.
``"albl"`` is Active Learning by Learning (Hsu & Lin, AAAI 2015): EXP4.P
over the strategies, rewarded by an importance-weighted accuracy. Random
sampling is always an arm of either.
"""

from functools import cache
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._adaptive_policies import _AlblPolicy, _ExplorePolicy
from ._base import BaseStrategy, RandomSampling
from ._registry import resolve_strategy


@cache
def _param_names(cls):
    return cls._get_param_names()


def _arm_name(strategy, taken):
    name = strategy if isinstance(strategy, str) else type(strategy).__name__
    base, i = name, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    return name


class Adaptive(_ExplorePolicy, _AlblPolicy, BaseStrategy):
    """Follow a strategy, explore at random, and learn online how much.

    Random sampling is always an arm (it is added when missing). Each round
    one arm chooses the whole batch.

    ``policy="explore"`` (the default) follows the first strategy that is
    not random (margin sampling by default) and lets random sampling choose
    each round with probability ``explore_``, starting at ``explore``. Each
    round it predicts a fixed probe of ``n_probe`` pool rows (drawn at the
    first round) and records the share of the probe whose prediction the
    last round's labels changed, by the arm that chose them. When the
    changes after random rounds are larger than after the followed
    strategy's (one-sided Mann-Whitney test, p < ``alpha``), random labels
    teach the model what the followed strategy misses, and ``explore_``
    doubles (at most ``explore_bounds[1]``); when they are smaller it halves
    (at least ``explore_bounds[0]``). When the followed strategy is
    uncertainty sampling on a small own pool, the probe's predictions are
    read off the signal it scores the candidates with (the probe rows
    labeled since drop out), so the probe costs no model call.

    With ``stable_labels`` set (e.g. 20), the followed strategy first
    chooses alone, until its rounds holding the last ``stable_labels``
    labels each changed at most ``stable_change`` of the probe (stabilizing
    predictions, Bloodgood & Vijay-Shanker, CoNLL 2009): its labels are no
    longer teaching the model anything, and only then may random sampling
    choose: a label where the stable model is confidently wrong is what
    random sampling can find and the followed strategy cannot (sampling
    bias, Dasgupta & Hsu, ICML 2008). When a random round changes the model by
    more than ``stable_change`` (``resume``), the followed strategy takes
    over again, alone, until the model is stable again. This matches the
    followed strategy more closely where it does well, and protects less
    where it loses early (see the user guide).

    ``policy="albl"`` is Active Learning by Learning (Hsu & Lin, AAAI 2015):
    EXP4.P over all the strategies, each arm rewarded at the next round by
    the importance-weighted accuracy (regressors: R^2 clipped to [0, 1]) of
    the refitted model on every sample queried so far (formulas in the user
    guide). On the benchmark of Zhan et al. its weights hardly move: it
    behaves like an even mix of its arms.

    Parameters
    ----------
    strategies : list of str or strategy objects, default=("random", "margin")
        The arms. Random sampling is added when none of them is random.
        ``policy="explore"`` takes at most one that is not random.
    policy : {"explore", "albl"}, default="explore"
        Exploration around one strategy, or the ALBL bandit over several.
    explore : float, default=0.2
        Probability of a random round when exploration starts
        (``policy="explore"``).
    explore_bounds : tuple of two floats, default=(0.05, 0.5)
        Smallest and largest probability of a random round once exploring.
    alpha : float, default=0.05
        Significance level of each one-sided test that moves ``explore_``.
    n_probe : int, default=256
        Pool rows whose predictions measure how much a round changed the
        model. When they are predicted apart from the followed strategy's
        signal, at most half the candidates of the first round, so that
        predicting them costs at most half of scoring the candidates.
    stable_labels : int or None, default=None
        ``policy="explore"``: labels of the followed strategy's last rounds
        that must each have changed at most ``stable_change`` of the probe
        before random sampling may choose (e.g. 20). ``None`` (the default):
        explore from the first round, with probability ``explore``.
    stable_change : float, default=0.01
        Largest change of the probe (share of its rows for a classifier;
        mean absolute change over the spread of the predictions for a
        regressor) of a round that leaves the model stable.
    resume : bool, default=True
        Whether a random round that changes the model by more than
        ``stable_change`` hands the rounds back to the followed strategy
        until the model is stable again.
    p_min : float, default=None
        ``policy="albl"``: smallest probability of each arm; ``None`` uses
        EXP4.P's ``sqrt(ln K / (K T))``. At most ``1 / K``.
    delta : float, default=0.1
        ``policy="albl"``: confidence of EXP4.P's high-probability bound.
    horizon : int, default=None
        ``policy="albl"``: rounds ``T`` the bandit is tuned for; ``None``
        takes the candidates at the first bandit round divided by the batch
        size (query until the pool is empty).
    cold_start : str or strategy object, default=None
        Strategy for the rounds before ``cold_start_labels`` labels (e.g.
        ``"typiclust"`` then the bandit, as in TCM, Doucet et al. 2024).
        ``None``: the policy from the first round.
    cold_start_labels : int, default=0
        Labels below which ``cold_start`` chooses.

    Attributes
    ----------
    arms_ : list of BaseStrategy
        The resolved arms (random included).
    arm_names_ : list of str
        Their names, as recorded in ``history_``.
    explore_ : float
        ``policy="explore"``: the current probability of a random round
        (0 while the followed strategy chooses alone).
    stable_at_ : int or None
        ``policy="explore"``: the number of labels at which the current
        exploring phase began; None while the followed strategy chooses
        alone (0 with ``stable_labels=None``).
    log_weights_ : ndarray of shape (n_arms,)
        ``policy="albl"``: EXP4.P's log-weights.
    history_ : list of dict
        One entry per round: ``n_labeled``, ``strategy`` (the arm or
        ``"cold_start"``); with ``"explore"`` also ``explore`` (the
        probability of a random round) and ``change`` (the share of the
        probe the round's labels changed, filled in at the next round); with
        ``"albl"`` ``probabilities`` and ``reward`` (filled in at the next
        round).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import Adaptive
    >>> X, y = load_iris(return_X_y=True)
    >>> learner = ActiveLearner(LogisticRegression(max_iter=500),
    ...                         query_strategy=Adaptive(), budget=40, n_initial=10,
    ...                         random_state=0).fit(X, y)
    >>> strategy = learner.query_strategy_
    >>> len(strategy.history_), strategy.arm_names_  # 10 initial rows, then 30
    (31, ['random', 'margin'])
    >>> strategy.history_[0]["strategy"], strategy.history_[0]["n_labeled"]
    ('random', 0)
    >>> sorted({h["strategy"] for h in strategy.history_})
    ['margin', 'random']
    """

    requires_model = False
    _parameter_constraints = {
        "strategies": [list, tuple],
        "policy": [StrOptions({"explore", "albl"})],
        "explore": [Interval(Real, 0, 1, closed="both")],
        "explore_bounds": [tuple, list],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "n_probe": [Interval(Integral, 1, None, closed="left")],
        "stable_labels": [Interval(Integral, 1, None, closed="left"), None],
        "stable_change": [Interval(Real, 0, None, closed="left")],
        "resume": ["boolean"],
        "p_min": [Interval(Real, 0, 1, closed="both"), None],
        "delta": [Interval(Real, 0, None, closed="neither")],
        "horizon": [Interval(Integral, 1, None, closed="left"), None],
        "cold_start": [str, HasMethods("select"), None],
        "cold_start_labels": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        strategies=("random", "margin"),
        *,
        policy="explore",
        explore=0.2,
        explore_bounds=(0.05, 0.5),
        alpha=0.05,
        n_probe=256,
        stable_labels=None,
        stable_change=0.01,
        resume=True,
        p_min=None,
        delta=0.1,
        horizon=None,
        cold_start=None,
        cold_start_labels=0,
    ):
        self.strategies = strategies
        self.policy = policy
        self.explore = explore
        self.explore_bounds = explore_bounds
        self.alpha = alpha
        self.n_probe = n_probe
        self.stable_labels = stable_labels
        self.stable_change = stable_change
        self.resume = resume
        self.p_min = p_min
        self.delta = delta
        self.horizon = horizon
        self.cold_start = cold_start
        self.cold_start_labels = cold_start_labels

    # ------------------------------------------------------------- state
    def _validate_params(self):
        # select() validates every query, as costly as a margin query of a
        # small pool: only when the parameters have changed since the last
        key = repr([(name, getattr(self, name)) for name in _param_names(type(self))])
        if getattr(self, "_checked_params", None) != key:
            super()._validate_params()
            self._checked_params = key

    def _reset(self):
        if not len(self.strategies):
            raise ValueError("Adaptive needs at least one strategy in strategies.")
        arms, names = [], []
        for i, s in enumerate(self.strategies):
            arm = resolve_strategy(s, param=f"strategies[{i}]")
            arms.append(arm)
            names.append(_arm_name(s, names))
        if not any(isinstance(a, RandomSampling) for a in arms):
            arms.append(RandomSampling())
            names.append(_arm_name("random", names))
        self.arms_, self.arm_names_ = arms, names
        self.random_arm_ = next(
            i for i, a in enumerate(arms) if isinstance(a, RandomSampling)
        )
        self.log_weights_ = np.zeros(len(arms))
        self.history_ = []
        self._pending = None  # (arm, positions or labeled indices, weights)
        self._queried = ([], [], [])  # keys, is-position flags, weights
        self._n_labeled = 0
        self._horizon = None
        if self.policy == "explore":
            self._check_explore()
        self._probe = None  # rows whose predictions measure a round's change
        self._last = None  # (arm, probe predictions, batch) of the last round
        self._changes = ([], [])  # after random rounds, after exploit rounds
        self._unchanged = 0  # labels of the last exploit rounds that changed nothing

    # ------------------------------------------------------------- query
    def _select(self, context, batch_size):
        if not hasattr(self, "history_") or context.n_labeled < self._n_labeled:
            self._reset()
        albl = self.policy == "albl"
        if albl:
            self._albl_update(context)
        self._n_labeled = context.n_labeled
        entry = {"n_labeled": context.n_labeled}
        cold = self.cold_start is not None and (
            context.n_labeled < self.cold_start_labels
        )
        if cold or not context.fitted:
            self._last = None
            strategy = resolve_strategy(
                self.cold_start if cold else "random", param="cold_start"
            )
            entry.update(strategy="cold_start" if cold else "random")
            entry.update(
                {"probabilities": None, "reward": None}
                if albl
                else {"explore": None, "change": None}
            )
            self.history_.append(entry)
            return strategy.select(context, batch_size)
        if albl:
            return self._albl_select(context, batch_size, entry)
        return self._explore_select(context, batch_size, entry)
