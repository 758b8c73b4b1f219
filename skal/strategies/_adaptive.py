"""Adaptive: a bandit that learns online which strategy to follow (ALBL).

Active Learning by Learning (Hsu & Lin, AAAI 2015) treats each candidate
strategy as an arm of a bandit and plays EXP4.P (Beygelzimer et al.,
AISTATS 2011) over them, rewarded by the importance-weighted accuracy of
the current model on the samples queried so far. Random sampling is always
an arm: its picks make the importance-weighted accuracy an unbiased
estimate of the test accuracy, and its probability never falls below
``p_min``.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval

from ..utils import take_rows
from ._bandit import (
    exp4p_probabilities,
    exp4p_update,
    heaviest,
    inclusion_probability,
    iw_accuracy,
    iw_r2,
)
from ._base import BaseStrategy, RandomSampling
from ._registry import resolve_strategy

#: Share of the importance weight the reward may leave out (see ``heaviest``).
_REWARD_TOL = 0.01


def _arm_name(strategy, taken):
    name = strategy if isinstance(strategy, str) else type(strategy).__name__
    base, i = name, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    return name


class Adaptive(BaseStrategy):
    """Learn online which strategy to follow: Active Learning by Learning.

    Each candidate strategy is an arm of a bandit (random sampling is
    always one; it is added when missing). Every round one arm is drawn
    with EXP4.P's probabilities ``p_k = (1 - K p_min) w_k / sum(w) + p_min``
    and chooses the whole batch. When the next query comes, the model has
    been refitted on the new labels, and the arm is rewarded with the
    importance-weighted accuracy of that model on every sample queried so
    far, each weighted by ``1 / q`` (``q``: the probability it was queried)::

        r = sum_i W_i [f(x_i) = y_i] / sum_i W_i

    and the weights follow EXP4.P's update (``exp4p_update`` in
    ``skal.strategies._bandit``). Hsu & Lin, "Active Learning by Learning",
    AAAI 2015. Deliberate departures from the paper: the whole batch is
    drawn by one arm (a round costs one strategy, not all of them; the
    inclusion probability then counts the sample in no other arm's batch),
    the accuracy is self-normalised (always in [0, 1], as EXP4.P's bound
    needs), and only the samples holding 99 % of the weight are predicted.
    For regressors the reward is the importance-weighted R^2, clipped to
    [0, 1].

    On the benchmark of Zhan et al. the weights hardly move over a run, so
    the bandit behaves like an even mix of its arms: never significantly
    worse than random, but below margin sampling where margin wins (see the
    user guide).

    Parameters
    ----------
    strategies : list of str or strategy objects, default=("random", "margin")
        The arms. Random sampling is added when none of them is random.
    p_min : float, default=None
        Smallest probability of each arm; ``None`` uses EXP4.P's
        ``sqrt(ln K / (K T))``. At most ``1 / K``.
    delta : float, default=0.1
        Confidence of EXP4.P's high-probability bound.
    horizon : int, default=None
        Rounds ``T`` the bandit is tuned for; ``None`` takes the candidates
        at the first bandit round divided by the batch size (query until
        the pool is empty).
    cold_start : str or strategy object, default=None
        Strategy for the rounds before ``cold_start_labels`` labels (e.g.
        ``"typiclust"`` then the bandit, as in TCM, Doucet et al. 2024).
        ``None``: the bandit from the first round.
    cold_start_labels : int, default=0
        Labels below which ``cold_start`` chooses.

    Attributes
    ----------
    arms_ : list of BaseStrategy
        The resolved arms (random included).
    arm_names_ : list of str
        Their names, as recorded in ``history_``.
    log_weights_ : ndarray of shape (n_arms,)
        EXP4.P's log-weights.
    history_ : list of dict
        One entry per round: ``n_labeled``, ``strategy`` (the arm or
        ``"cold_start"``), ``probabilities`` and ``reward`` (filled in at
        the next round).

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
    >>> len(strategy.history_), strategy.arm_names_
    (30, ['random', 'margin'])
    >>> sorted({h["strategy"] for h in strategy.history_})
    ['margin', 'random']
    """

    requires_model = False
    _parameter_constraints = {
        "strategies": [list, tuple],
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
        p_min=None,
        delta=0.1,
        horizon=None,
        cold_start=None,
        cold_start_labels=0,
    ):
        self.strategies = strategies
        self.p_min = p_min
        self.delta = delta
        self.horizon = horizon
        self.cold_start = cold_start
        self.cold_start_labels = cold_start_labels

    # ------------------------------------------------------------- state
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

    def _p_min(self):
        k = len(self.arms_)
        if self.p_min is not None:
            if self.p_min > 1.0 / k:
                raise ValueError(
                    f"p_min={self.p_min} is above 1/{k}, the largest value "
                    f"for {k} arms."
                )
            return float(self.p_min)
        return float(np.sqrt(np.log(k) / (k * self._horizon)))

    # ------------------------------------------------------------ reward
    def _labeled_rows(self, context):
        """Labeled-set indices of every sample the bandit queried (None: lost)."""
        keys, is_position, _ = self._queried
        keys = np.asarray(keys, dtype=np.intp)
        flags = np.asarray(is_position, dtype=bool)
        out = keys.copy()
        if flags.any():
            positions = context.labeled_positions
            order = np.argsort(positions, kind="stable")
            sorted_pos = positions[order]
            where = np.searchsorted(sorted_pos, keys[flags])
            where = np.minimum(where, max(len(sorted_pos) - 1, 0))
            if len(sorted_pos) == 0 or np.any(sorted_pos[where] != keys[flags]):
                return None
            out[flags] = order[where]
        if out.size and out.max() >= context.n_labeled:
            return None
        return out

    def _record_pending(self, context):
        """Add last round's batch to the queried set (labels are in now)."""
        arm, keys, is_position, weights = self._pending
        self._pending = None
        if not is_position:  # taught from outside: the newest labeled rows
            if context.n_labeled - self._n_labeled != len(keys):
                return None
            keys = np.arange(self._n_labeled, context.n_labeled)
        self._queried[0].extend(int(k) for k in keys)
        self._queried[1].extend([is_position] * len(keys))
        self._queried[2].extend(weights)
        return arm

    def _reward(self, context):
        rows = self._labeled_rows(context)
        if rows is None or not context.fitted:
            return None
        keep = heaviest(self._queried[2], _REWARD_TOL)
        rows = rows[keep]
        weights = np.asarray(self._queried[2])[keep]
        y_true = context.y_labeled[rows]
        X = context.X_labeled
        X = X[rows] if isinstance(X, np.ndarray) else take_rows(X, rows)
        y_pred = np.asarray(context.predict_rows(X))
        if context.is_classifier:
            return iw_accuracy(y_pred == y_true, weights)
        return iw_r2(y_true, y_pred, weights)

    # ------------------------------------------------------------- query
    def _select(self, context, batch_size):
        if not hasattr(self, "history_") or context.n_labeled < self._n_labeled:
            self._reset()
        if self._pending is not None:
            arm = self._record_pending(context)
            reward = None if arm is None else self._reward(context)
            if reward is not None:
                self.log_weights_ = exp4p_update(
                    self.log_weights_,
                    self.history_[-1]["probabilities"],
                    arm,
                    reward,
                    p_min=self._p_min(),
                    delta=self.delta,
                    horizon=self._horizon,
                )
                self.history_[-1]["reward"] = reward
        self._n_labeled = context.n_labeled
        entry = {"n_labeled": context.n_labeled, "reward": None}
        cold = self.cold_start is not None and (
            context.n_labeled < self.cold_start_labels
        )
        if cold or not context.fitted:
            strategy = resolve_strategy(
                self.cold_start if cold else "random", param="cold_start"
            )
            entry.update(strategy="cold_start" if cold else "random",
                         probabilities=None)
            self.history_.append(entry)
            return strategy.select(context, batch_size)
        if self._horizon is None:
            self._horizon = self.horizon or -(-context.n_candidates // batch_size)
        p = exp4p_probabilities(self.log_weights_, self._p_min())
        arm = int(context.random_state.choice(len(p), p=p))
        idx, scores = self.arms_[arm].select(context, batch_size)
        q = inclusion_probability(
            p, arm, self.random_arm_, batch_size, context.n_candidates
        )
        if context.own_pool:
            keys, is_position = context.candidates[np.asarray(idx)], True
        else:
            keys, is_position = np.asarray(idx), False
        self._pending = (arm, keys, is_position, [1.0 / q] * len(idx))
        entry.update(strategy=self.arm_names_[arm], probabilities=p.tolist())
        self.history_.append(entry)
        return idx, scores
