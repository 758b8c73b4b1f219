"""Worked examples of the stream strategies and budget managers."""

import numpy as np
import pytest

from skal.stream import (
    BalancedIncrementalQuantileFilter,
    EstimatedBudget,
    FixedBudget,
    FixedUncertainty,
    PeriodicSampling,
    Split,
    StreamDensityBasedAL,
    StreamRandomSampling,
    StreamUncertainty,
    VariableUncertainty,
)

from ._peer import run_stream, stream_learner


def test_variable_uncertainty_thresholds_follow_the_hand_computed_sequence():
    # budget 0.5 over a window w=4, theta=1, s=0.1; confidences c_t:
    # t1 c=.90 < 1      ask,  theta .9,      u = 1
    # t2 c=.95 > .9     no,   theta .99,     u = .75
    # t3 c=.60 < .99    ask,  theta .891,    u = 1.5625
    # t4 c=.80 < .891   ask,  theta .8019,   u = 2.171875
    # t5 u/w = .543 >= .5: no budget, theta unchanged, u = 1.62890625
    # t6 c=.85 > .8019  no,   theta .88209,  u = 1.2216796875
    learner = stream_learner(
        VariableUncertainty(theta=1.0, s=0.1), 0.5, EstimatedBudget(w=4)
    )
    asked = run_stream(learner, [0.9, 0.95, 0.6, 0.8, 0.99, 0.85])
    assert asked.tolist() == [True, False, True, True, False, False]
    assert learner.strategy_state_["theta"] == pytest.approx(0.88209)
    assert learner.budget_state_["u"] == pytest.approx(1.2216796875)
    assert learner.budget_state_["queried"] == 3
    assert learner.budget_used_ == pytest.approx(0.5)


def test_fixed_uncertainty_threshold_and_decisions():
    # theta = 1/K + B (1 - 1/K) = 1/2 + 0.2 / 2 = 0.6 on two classes
    learner = stream_learner(FixedUncertainty(), 0.2, EstimatedBudget(w=10))
    assert learner.strategy_state_["theta"] == pytest.approx(0.6)
    # asks below 0.6 while u/w < 0.2: the third low one finds u = 1.9 / 10
    asked = run_stream(learner, [0.55, 0.9, 0.59, 0.58, 0.7])
    assert asked.tolist() == [True, False, True, True, False]
    learner.set_params(budget=0.25).fit([[0.5], [0.5]], [0, 1])
    # three classes: 1/3 + 0.25 * 2/3 = 0.5
    state = FixedUncertainty().init_state(0.25, 3)
    assert state["theta"] == pytest.approx(0.5)


def test_estimated_budget_spends_the_budget_on_a_long_stream():
    # a strategy that always wants the label: the estimate alone holds it
    learner = stream_learner(StreamUncertainty(), 0.1, EstimatedBudget(w=100))
    asked = run_stream(learner, np.full(5000, 0.6))
    # spends at once: the estimate starts at zero, so the first 11 are asked
    # (u reaches 1 + .99 + ... = 10.4 > B w = 10 after eleven labels)
    assert asked[:12].tolist() == [True] * 11 + [False]
    assert asked.sum() == 529
    # in the long run u hovers just above B w, so a little over B is spent
    assert 0.1 <= asked[1000:].mean() <= 0.105
    assert learner.budget_state_["u"] / 100 < 0.1 + 1 / 100


def test_fixed_budget_never_exceeds_budget_times_t_plus_one():
    learner = stream_learner(StreamUncertainty(), 0.2, FixedBudget())
    asked = run_stream(learner, np.full(101, 0.6))
    spent = np.cumsum(asked)
    t = np.arange(1, 102)
    assert (spent <= 0.2 * t + 1).all()
    # the t-th sample is asked while q_{t-1} < 0.2 t: t = 1, 6, 11, ...
    assert np.flatnonzero(asked)[:4].tolist() == [0, 5, 10, 15]
    assert spent[-1] == 21


def test_balanced_quantile_filter_hand_computed():
    # B=.5, w=4, w_tol=2 -- theta_bal = quantile(window, .5) - range * owed / 2
    # t1 [.1]            theta .1, owed .5,  range 0  -> .1 >= .1  ask
    # t2 [.1 .9]         theta .5, owed 0           -> .9 >= .5  ask
    # t3 [.1 .9 .2]      theta .2, owed -.5, range .8 -> .2 < .4  no
    # t4 [.1 .9 .2 .8]   theta .5, owed 0           -> .8 >= .5  ask
    manager = BalancedIncrementalQuantileFilter(w=4, w_tol=2)
    state = manager.init_state(0.5)
    asked = []
    for u in [0.1, 0.9, 0.2, 0.8]:
        asked.append(manager.allow(state, u))
        manager.record(state, u, asked[-1])
    assert asked == [True, True, False, True]
    assert list(state["history"]) == pytest.approx([0.1, 0.9, 0.2, 0.8])
    assert (state["seen"], state["queried"]) == (4, 3)


def test_balanced_quantile_filter_in_the_learner():
    # utilities .1 .45 .2 .4: t2 median .275 -> ask; t3 median .2, owed -.5,
    # range .35 -> theta_bal .2875 > .2 no; t4 median .3 -> ask
    manager = BalancedIncrementalQuantileFilter(w=4, w_tol=2)
    learner = stream_learner(StreamUncertainty("least_confidence"), 0.5, manager)
    asked = run_stream(learner, [0.9, 0.55, 0.8, 0.6])
    assert asked.tolist() == [True, True, False, True]


def test_split_sends_v_of_the_stream_to_random_sampling():
    v, budget, n = 0.3, 0.4, 2000
    # s tiny and theta .5: the uncertainty branch never asks on c = .99
    learner = stream_learner(Split(v=v, theta=0.5, s=1e-6), budget, "none", seed=7)
    rng = np.random.RandomState(7)
    n_random = n_random_asked = 0
    for _ in range(n):
        if v > rng.random_sample():  # the same draws, replayed by hand
            n_random += 1
            n_random_asked += rng.random_sample() <= budget
    asked = run_stream(learner, np.full(n, 0.99))
    assert n_random == 658  # of 2000 with seed 7: about v = 0.3 of the stream
    assert asked.sum() == n_random_asked == 257  # about budget 0.4 of those
    # the threshold moved only on the 1342 uncertainty samples (never asked)
    expected = 0.5 * (1 + 1e-6) ** (n - n_random)
    assert learner.strategy_state_["theta"] == pytest.approx(expected, rel=1e-12)


def test_periodic_asks_every_one_over_budget():
    learner = stream_learner(PeriodicSampling(), 0.3)
    asked = run_stream(learner, np.full(20, 0.6))
    # t * 0.3 - q >= 1 at t = 4, 7, 10, 14, 17, 20 (1-based)
    assert (np.flatnonzero(asked) + 1).tolist() == [4, 7, 10, 14, 17, 20]


def test_random_sampling_spends_the_budget_on_average():
    learner = stream_learner(StreamRandomSampling(), 0.2, seed=0)
    asked = run_stream(learner, np.full(3000, 0.6))
    assert asked.mean() == pytest.approx(0.2, abs=0.02)
    expected = np.random.RandomState(0).random_sample(3000) >= 0.8
    assert (asked == expected).all()


def test_density_filter_counts_new_nearest_neighbours():
    strategy = StreamDensityBasedAL(window_size=3)
    state = strategy.init_state(0.1, 2)
    points = [[0.0], [10.0], [1.0], [20.0], [0.5]]
    eligible = [strategy.observe(state, np.array(p), 0.5, None)[1] for p in points]
    # 10 is nearer 0 than inf; 1 nearer both; 20 farther than all nn
    # (nn: 0 -> 1, 10 -> 9, 1 -> 1); 0.5 is a new nn of 1 (window 10, 1, 20)
    # and enters with nn .5, pushing 10 out: window 1, 20, .5
    assert eligible == [False, True, True, False, True]
    assert list(state["nn"]) == pytest.approx([0.5, 10.0, 0.5])
    assert len(state["window"]) == 3


def test_density_strategy_leaves_theta_alone_on_sparse_samples():
    learner = stream_learner(StreamDensityBasedAL(delta=1e-9), 0.5, seed=0)
    x = np.array([[0.7, 5.0]])  # only the first column is the confidence
    learner.fit(np.array([[0.5, 0.0], [0.5, 0.0]]), [0, 1])
    learner.update(x, np.array([False]))  # first sample: no window, not dense
    assert learner.strategy_state_["theta"] == 1.0
    learner.update(np.array([[0.7, 4.0]]), np.array([True]))  # dense: asked
    assert learner.strategy_state_["theta"] == pytest.approx(0.99)
