"""The bandit arithmetic of Adaptive: EXP4.P probabilities and updates, weights."""

import numpy as np
import pytest

from skal.strategies._bandit import (
    exp4p_probabilities,
    exp4p_update,
    exploration_step,
    heaviest,
    inclusion_probability,
    iw_accuracy,
    iw_r2,
    prediction_change,
    rank_sum_p,
)


def test_exp4p_two_rounds_by_hand():
    # K = 2 arms, p_min = 0.1, delta = 0.1, T = 10.
    # Round 1: equal weights -> p = 0.8 * 0.5 + 0.1 = 0.5 each.
    p1 = exp4p_probabilities([0.0, 0.0], 0.1)
    assert p1.tolist() == [0.5, 0.5]
    # Arm 0 played, reward 0.8: r_hat = (1.6, 0), v_hat = (2, 2),
    # bonus = sqrt(ln(2 / 0.1) / (2 * 10)) = 0.3870230,
    # log w0 = 0.05 * (1.6 + 2 * 0.3870230) = 0.1187023,
    # log w1 = 0.05 * (2 * 0.3870230) = 0.0387023.
    w = exp4p_update([0.0, 0.0], p1, 0, 0.8, p_min=0.1, delta=0.1, horizon=10)
    assert w == pytest.approx([0.1187023, 0.0387023], abs=1e-7)
    # Round 2: w0 / W = 1 / (1 + exp(-0.08)) = 0.5199893,
    # p0 = 0.8 * 0.5199893 + 0.1 = 0.5159914, p1 = 0.4840086.
    p2 = exp4p_probabilities(w, 0.1)
    assert p2 == pytest.approx([0.5159914, 0.4840086], abs=1e-7)
    # Arm 1 played, reward 0.5: r_hat_1 = 0.5 / 0.4840086 = 1.0330395,
    # log w0 += 0.05 * 0.3870230 / 0.5159914 = 0.0375029,
    # log w1 += 0.05 * (1.0330395 + 0.3870230 / 0.4840086) = 0.0916330.
    w = exp4p_update(w, p2, 1, 0.5, p_min=0.1, delta=0.1, horizon=10)
    assert w == pytest.approx([0.1562049, 0.1303358], abs=1e-6)


def test_every_arm_keeps_at_least_p_min():
    # However lopsided the weights, no arm (the random one included) drops
    # below p_min, and the probabilities still sum to one.
    p = exp4p_probabilities([500.0, 0.0, -300.0], 0.05)
    assert p.min() == pytest.approx(0.05)
    assert p[0] == pytest.approx(0.9)
    assert p.sum() == pytest.approx(1.0)


def test_p_min_above_one_over_k_is_refused():
    with pytest.raises(ValueError, match=r"p_min must be in \[0, 1/3\] for 3 arms"):
        exp4p_probabilities([0.0, 0.0, 0.0], 0.5)


def test_rewards_outside_unit_interval_are_refused():
    with pytest.raises(ValueError, match=r"reward must be in \[0, 1\], got 1.5"):
        exp4p_update([0.0], [1.0], 0, 1.5, p_min=0.0, delta=0.1, horizon=5)


def test_inclusion_probability_and_importance_weights():
    p = np.array([0.7, 0.3])  # arm 0 margin, arm 1 random
    # margin's pick: drawn with margin (0.7) or by random (0.3 * 2 / 60)
    assert inclusion_probability(p, 0, 1, 2, 60) == pytest.approx(0.71)
    # random's pick: only random picks it, 2 of 60 candidates
    assert inclusion_probability(p, 1, 1, 2, 60) == pytest.approx(0.01)


def test_iw_accuracy_is_self_normalised():
    assert iw_accuracy([True, False, True], [1.0, 2.0, 1.0]) == 0.5
    assert iw_accuracy([True, True], [3.0, 5.0]) == 1.0
    assert iw_accuracy([], []) == 0.0


def test_heaviest_keeps_enough_weight():
    w = np.array([1.0, 100.0, 2.0, 300.0, 1.0])
    keep = heaviest(w, 0.01)
    assert keep.tolist() == [3, 1]
    assert w[keep].sum() / w.sum() >= 0.99
    # with no tolerance every sample counts
    assert sorted(heaviest(w, 0.0).tolist()) == [0, 1, 2, 3, 4]


def test_iw_r2_is_the_regression_reward():
    # weights 3 and 1: weighted mean 0.5, spread 3 * 0.25 + 1 * 2.25 = 3,
    # squared errors 0 and 1 weighted 3 and 1: R^2 = 1 - 1 / 3
    assert iw_r2([0.0, 2.0], [0.0, 1.0], [3.0, 1.0]) == pytest.approx(2 / 3)
    assert iw_r2([1.0, 1.0], [0.0, 2.0], [1.0, 1.0]) == 0.0  # no spread
    assert iw_r2([0.0, 1.0], [5.0, -5.0], [1.0, 1.0]) == 0.0  # clipped


def test_prediction_change_by_hand():
    assert prediction_change(["a", "b", "b"], ["a", "a", "b"], is_classifier=True) == (
        pytest.approx(1 / 3)
    )
    assert prediction_change([], [], is_classifier=True) == 0.0
    # regression: mean |change| = 1.5, spread of the new predictions = 1
    assert prediction_change([0.0, 1.0], [1.0, 3.0], is_classifier=False) == 1.5
    assert prediction_change([0.0, 1.0], [2.0, 2.0], is_classifier=False) == 0.0


def test_exploration_step_follows_the_one_sided_tests():
    big, small = [0.3, 0.2, 0.4, 0.25], [0.0, 0.01, 0.0, 0.02, 0.0]
    # U = 20 of 20, z = (20 - 10 - 0.5) / 4.014 = 2.37: p = 0.0089
    assert exploration_step(big, small, alpha=0.05) == 1
    assert exploration_step(small, big, alpha=0.05) == -1
    assert exploration_step(big, small, alpha=0.005) == 0  # not significant there
    assert exploration_step(big[:2], small, alpha=0.05) == 0  # too few rounds
    assert exploration_step([0.0] * 4, [0.0] * 5, alpha=0.05) == 0  # all tied
    mixed = [0.1, 0.0, 0.2, 0.05]
    assert exploration_step(mixed, [0.05, 0.1, 0.0, 0.2], alpha=0.05) == 0


def test_rank_sum_p_matches_scipy_asymptotic():
    from scipy.stats import mannwhitneyu

    rng = np.random.RandomState(0)
    x, y = rng.rand(12).round(1), rng.rand(9).round(1) + 0.2  # with ties
    for a, b in ((x, y), (y, x)):
        expected = mannwhitneyu(a, b, alternative="greater", method="asymptotic")
        assert rank_sum_p(a, b) == pytest.approx(expected.pvalue, rel=1e-9)
    assert rank_sum_p([1.0, 1.0], [1.0, 1.0]) == 1.0  # no spread at all
