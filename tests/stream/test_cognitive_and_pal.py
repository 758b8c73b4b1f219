"""Worked examples of the cognition window and of stream PAL's frequencies."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.naive_bayes import GaussianNB

from skal.strategies import expected_cost_reduction
from skal.stream import (
    CognitiveDualQueryRandom,
    CognitiveDualQueryVariable,
    StreamActiveLearner,
    StreamProbabilisticAL,
    VariableUncertainty,
    make_rotating_hyperplane,
)

from ._peer_models import run_skal


def test_cognition_window_hand_computed():
    # size 2 (the window holds 3 while a sample is compared); times 0..4
    # t0 x=0   empty window: ldf 0 (hidden)         W [0]
    # t1 x=10  new nn of 0 (d 10 < inf): ldf 1      W [0 10]      h [1 0]
    # t2 x=9   new nn of 0 (9 < 10) and 10 (1 < 10) W [0 10 9]    h [2 1 0]
    # t3 x=1   new nn of 0 (1 < 9) only; 3 > 2, strengths
    #          exp(-0/3), exp(-1/2), exp(-1/1): forget 9 W [0 10 1]  h [3 1 0]
    # t4 x=20  nn of none (20 > 1, 10 > 1, 19 > 1): ldf 0; strengths
    #          exp(-1/4), exp(-2/2), exp(-1/1): a tie, the first (10) is
    #          forgotten, as numpy's argmin in scikit-activeml  W [0 1 20]
    strategy = CognitiveDualQueryVariable(cognition_window_size=2)
    state = strategy.init_state(0.1, 2)
    eligible = [
        strategy.observe(state, np.array([x]), 0.5, None)[1]
        for x in [0.0, 10.0, 9.0, 1.0, 20.0]
    ]
    assert eligible == [None, True, True, True, None]
    assert state["window"].ravel().tolist() == [0.0, 1.0, 20.0]
    assert state["nn"].tolist() == [1.0, 1.0, 10.0]  # 20's nearest: 10
    assert state["hits"].tolist() == [3, 0, 0]
    assert state["last"].tolist() == [3, 3, 4]
    assert state["t"] == 5


def test_no_density_threshold_is_variable_uncertainty():
    # density_threshold=0 lets every sample through: the decisions are
    # variable uncertainty's, sample for sample
    X, y = make_rotating_hyperplane(400, random_state=1)
    ours = CognitiveDualQueryVariable(density_threshold=0)
    asked, u, learner = run_skal(LogisticRegression(), ours, X, y, 10, 0.1)
    plain, plain_u, _ = run_skal(
        LogisticRegression(), VariableUncertainty(), X, y, 10, 0.1
    )
    assert (asked == plain).all() and (u == plain_u).all()
    assert "hidden" not in learner.budget_state_
    assert asked.sum() == 50


def test_hidden_samples_do_not_move_the_budget_estimate():
    # a sample outside dense regions is hidden from the manager: its
    # spending estimate u does not decay, but budget_used_ counts the sample
    X = np.array([[0.0], [1.0], [0.5], [9.0]])
    learner = StreamActiveLearner(
        GaussianNB(), CognitiveDualQueryRandom(), budget=1.0, random_state=0
    ).fit(X[:2], [0, 1])
    learner.update(X[2], np.array([True]))  # first sample: empty window, hidden
    assert learner.budget_state_ == {
        "budget": 1.0,
        "seen": 1,
        "queried": 1,
        "u": 1.0,
    }  # overruled to a label: recorded
    learner.update(X[3], learner.query(X[3]))  # a new nn of 0.5: counted
    learner.update(X[2] + 100, np.array([False]))  # far away: hidden
    assert learner.budget_state_["hidden"] == 1
    assert learner.budget_state_["seen"] == 2
    assert learner.budget_used_ == pytest.approx(learner.budget_state_["queried"] / 3)


def _parzen(X, X_lab, y_lab, gamma, n_classes):
    return rbf_kernel(X, X_lab, gamma=gamma) @ np.eye(n_classes)[y_lab]


def test_stream_pal_utilities_are_mcpal_of_the_parzen_counts():
    rng = np.random.RandomState(0)
    X_lab, y_lab = rng.normal(size=(12, 2)), np.arange(12) % 3
    X = rng.normal(size=(5, 2))
    learner = StreamActiveLearner(
        LogisticRegression(), StreamProbabilisticAL(metric_params={"gamma": 0.5})
    ).fit(X_lab, y_lab)
    F = _parzen(X, X_lab, y_lab, 0.5, 3)
    expected = expected_cost_reduction(F, prior=1e-3, m_max=2)
    _, u = learner.query(X, return_utilities=True)
    np.testing.assert_allclose(u, expected, rtol=1e-13)
    model = StreamProbabilisticAL(frequencies="model", metric_params={"gamma": 0.5})
    _, u = (
        learner.set_params(query_strategy=model)
        .fit(X_lab, y_lab)
        .query(X, return_utilities=True)
    )
    F = F.sum(axis=1, keepdims=True) * learner.predict_proba(X)
    np.testing.assert_allclose(u, expected_cost_reduction(F, m_max=2, prior=1e-3))


def test_stream_pal_keeps_the_last_max_labeled_for_an_online_model():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(30, 2))
    y = (X[:, 0] > 0).astype(int)
    pal = StreamProbabilisticAL(metric_params={"gamma": 1.0})
    learner = StreamActiveLearner(
        SGDClassifier(loss="log_loss", random_state=0), pal, max_labeled=8
    ).fit(X[:20], y[:20])
    learner.teach(X[20:25], y[20:25])
    F = _parzen(X[25:], X[17:25], y[17:25], 1.0, 2)
    _, u = learner.query(X[25:], return_utilities=True)
    np.testing.assert_allclose(u, expected_cost_reduction(F, prior=1e-3, m_max=2))
    assert learner.n_labeled_ == 25


def test_stream_pal_cold_start_and_clear_errors():
    learner = StreamActiveLearner(
        GaussianNB(), StreamProbabilisticAL(), classes=[0, 1]
    ).fit(np.zeros((0, 2)), [])
    _, u = learner.query(np.zeros((3, 2)), return_utilities=True)
    # no label anywhere: every sample has the gain of empty frequencies
    assert (
        u.tolist()
        == [expected_cost_reduction([[0.0, 0.0]], prior=1e-3, m_max=2)[0]] * 3
    )
    with pytest.raises(TypeError, match="GaussianNB has no predict_freq"):
        learner.set_params(
            query_strategy=StreamProbabilisticAL(frequencies="estimator")
        ).fit([[0.0, 0.0], [1.0, 1.0]], [0, 1]).query([[0.5, 0.5]])
    linear = StreamProbabilisticAL(metric="linear")
    learner.set_params(query_strategy=linear).fit([[-1.0, 0.0], [1.0, 0.0]], [0, 1])
    with pytest.raises(ValueError, match="metric='linear' is not a valid Parzen"):
        learner.query([[2.0, 0.0]])
    assert StreamProbabilisticAL().uses_labeled
    assert not StreamProbabilisticAL(frequencies="estimator").uses_labeled


def test_query_leaves_the_cognition_window_alone():
    X, y = make_rotating_hyperplane(60, random_state=2)
    learner = StreamActiveLearner(
        LogisticRegression(), "cognitive_dual_query", random_state=0
    ).fit(X[:10], y[:10])
    learner.update(X[10:30], learner.query(X[10:30]))
    before = {k: np.copy(v) for k, v in learner.strategy_state_.items()}
    first = learner.query(X[30:])
    assert (learner.query(X[30:]) == first).all()
    for key, value in learner.strategy_state_.items():
        np.testing.assert_array_equal(value, before[key])
    learner.update(X[30:], first)
    assert learner.strategy_state_["t"] == 50
    assert learner.strategy_state_["window"].shape == (11, 2)
