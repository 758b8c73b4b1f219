"""The two policies of :class:`~skal.strategies.Adaptive`, one mixin each.

``_ExplorePolicy`` follows one strategy and lets random sampling choose a
share of the rounds, moved by a test on a probe of the model's predictions;
``_AlblPolicy`` is Active Learning by Learning's EXP4.P bandit, rewarded by
an importance-weighted accuracy. Both read and write the state that
``Adaptive._reset`` sets up.
"""

import numpy as np

from ..utils import take_rows
from ._bandit import (
    exp4p_probabilities,
    exp4p_update,
    exploration_step,
    heaviest,
    inclusion_probability,
    iw_accuracy,
    iw_r2,
)
from ._probe import Probe, shared_signal

#: Share of the importance weight the reward may leave out (see ``heaviest``).
_REWARD_TOL = 0.01


class _ExplorePolicy:
    """``policy="explore"``: follow a strategy, explore at random."""

    def _check_explore(self):
        others = [i for i in range(len(self.arms_)) if i != self.random_arm_]
        if len(others) > 1:
            raise ValueError(
                f"policy='explore' follows one strategy besides random, got "
                f"{len(others)}: {[self.arm_names_[i] for i in others]}. Pass one, "
                "or use policy='albl' to choose among several."
            )
        self.exploit_arm_ = others[0] if others else self.random_arm_
        self.stable_at_ = None if self.stable_labels else 0
        bounds = tuple(self.explore_bounds)
        if len(bounds) != 2 or not 0 <= bounds[0] <= self.explore <= bounds[1] <= 1:
            raise ValueError(
                f"explore_bounds={self.explore_bounds!r} must be (low, high) with "
                f"0 <= low <= explore={self.explore} <= high <= 1."
            )
        self.explore_ = float(self.explore) if self.stable_at_ == 0 else 0.0

    def _probe_predictions(self, context):
        if self._probe is None:
            signal = shared_signal(context, self.arms_[self.exploit_arm_])
            self._probe = Probe(context, self.n_probe, signal)
        return self._probe.predict(context)

    def _explore_update(self, context):
        """Record last round's change; move ``explore_`` when the test says so."""
        last, self._last = self._last, None
        if last is None or not context.fitted:
            return None
        arm, before, n_batch = last
        now = self._probe_predictions(context)
        change = self._probe.change(before, now, is_classifier=context.is_classifier)
        self.history_[-1]["change"] = change
        if change is None:
            return now
        still = change <= self.stable_change
        if self.stable_at_ is None:  # exploration waits for a stable model
            if arm == self.exploit_arm_:
                self._unchanged = self._unchanged + n_batch if still else 0
                if self._unchanged >= self.stable_labels:
                    self.stable_at_ = context.n_labeled
                    self.explore_ = float(self.explore)
                    self._changes = ([], [])
            return now
        if self.resume and self.stable_labels and arm == self.random_arm_ and not still:
            # random labels moved a stable model: follow the strategy again
            self.stable_at_, self.explore_, self._unchanged = None, 0.0, 0
            return now
        self._changes[arm != self.random_arm_].append(change)
        step = exploration_step(*self._changes, alpha=self.alpha)
        if step:
            low, high = self.explore_bounds
            self.explore_ = float(np.clip(self.explore_ * 2.0**step, low, high))
            self._changes = ([], [])
        return now

    def _explore_select(self, context, batch_size, entry):
        probe = self._explore_update(context)
        if probe is None:
            probe = self._probe_predictions(context)
        explore = context.random_state.random_sample() < self.explore_
        arm = self.random_arm_ if explore else self.exploit_arm_
        idx, scores = self.arms_[arm].select(context, batch_size)
        self._last = (arm, probe, len(idx))
        entry.update(strategy=self.arm_names_[arm], explore=self.explore_, change=None)
        self.history_.append(entry)
        return idx, scores


class _AlblPolicy:
    """``policy="albl"``: EXP4.P over the strategies (Hsu & Lin, 2015)."""

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

    def _albl_update(self, context):
        if self._pending is None:
            return
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

    def _albl_select(self, context, batch_size, entry):
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
        entry.update(
            strategy=self.arm_names_[arm], probabilities=p.tolist(), reward=None
        )
        self.history_.append(entry)
        return idx, scores
