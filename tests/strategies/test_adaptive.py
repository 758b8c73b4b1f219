"""Adaptive: the ALBL bandit over strategies, through the query context and learners."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import InvalidParameterError

import skal.strategies
from skal import ActiveLearner
from skal.strategies import Adaptive, resolve_strategy
from skal.strategies._bandit import (
    exp4p_probabilities,
    exp4p_update,
    inclusion_probability,
)

QueryContext = skal.strategies.QueryContext


@pytest.fixture(scope="module")
def iris():
    return load_iris(return_X_y=True)


def _run(X, y, strategy, *, budget=40, batch_size=1, n_initial=10, initial="random"):
    # initial="random": the first n_initial rows are not the strategy's rounds
    return ActiveLearner(
        LogisticRegression(max_iter=300),
        query_strategy=strategy,
        budget=budget,
        batch_size=batch_size,
        n_initial=n_initial,
        initial_strategy=initial,
        random_state=0,
    ).fit(X, y)


def test_albl_history_records_every_round(iris):
    learner = _run(*iris, Adaptive(["margin"], policy="albl"))
    strategy = learner.query_strategy_
    assert strategy.arm_names_ == ["margin", "random"]  # random added
    assert len(strategy.history_) == 30
    assert [h["n_labeled"] for h in strategy.history_] == list(range(10, 40))
    assert {h["strategy"] for h in strategy.history_} <= {"margin", "random"}
    # every round but the last has been rewarded, and rewards are accuracies
    rewards = [h["reward"] for h in strategy.history_]
    assert rewards[-1] is None
    assert all(0.0 <= r <= 1.0 for r in rewards[:-1])
    # the learner's own history holds the same picks
    picked = [h["indices"] for h in learner.history_[1:]]
    assert len(picked) == 30


def test_random_never_below_p_min(iris):
    learner = _run(
        *iris, Adaptive(["margin", "least_confidence"], policy="albl", p_min=0.2)
    )
    strategy = learner.query_strategy_
    random_arm = strategy.arm_names_.index("random")
    for entry in strategy.history_:
        p = np.asarray(entry["probabilities"])
        assert p.sum() == pytest.approx(1.0)
        assert p[random_arm] >= 0.2 - 1e-12


def test_default_p_min_follows_exp4p(iris):
    learner = _run(*iris, Adaptive(policy="albl"))
    strategy = learner.query_strategy_
    # 140 candidates at the first round, batch 1: T = 140, K = 2
    assert strategy._horizon == 140
    assert strategy._p_min() == pytest.approx(np.sqrt(np.log(2) / (2 * 140)))


def test_reward_and_update_by_hand():
    # Pool of 6 rows on a line; rows 0 and 5 labeled; the model predicts
    # class 1 for x > 2.5. Arms: random and margin.
    X = np.arange(6, dtype=float).reshape(-1, 1)

    def predict(rows):
        return (np.asarray(rows)[:, 0] > 2.5).astype(int)

    def decision(rows):
        return np.asarray(rows)[:, 0] - 2.5

    def context(labeled, y, seed):
        pool = np.setdiff1d(np.arange(6), labeled)
        return QueryContext(
            X,
            pool,
            signals={"predict": predict, "decision": decision},
            X_labeled=X[labeled],
            y_labeled=np.asarray(y),
            labeled_positions=np.asarray(labeled),
            own_pool=True,
            classes=np.array([0, 1]),
            random_state=seed,
            model=object(),
        )

    strategy = Adaptive(["margin"], policy="albl", p_min=0.25, horizon=4)
    idx, _ = strategy.select(context([0, 5], [0, 1], 0), 1)
    first = strategy.history_[0]
    arm = strategy.arm_names_.index(first["strategy"])
    p = np.asarray(first["probabilities"])
    assert p.tolist() == [0.5, 0.5]
    picked = int(np.setdiff1d(np.arange(6), [0, 5])[idx[0]])
    # label the pick with the class the model gets WRONG: accuracy 0
    wrong = 1 - int(picked > 2.5)
    labeled = [0, 5, picked]
    strategy.select(context(labeled, [0, 1, wrong], 1), 1)
    assert strategy.history_[0]["reward"] == 0.0
    expected = exp4p_update(np.zeros(2), p, arm, 0.0, p_min=0.25, delta=0.1, horizon=4)
    assert strategy.log_weights_ == pytest.approx(expected)
    q = inclusion_probability(p, arm, strategy.random_arm_, 1, 4)
    assert strategy._queried[2] == [pytest.approx(1.0 / q)]
    assert exp4p_probabilities(expected, 0.25) == pytest.approx(
        strategy.history_[1]["probabilities"]
    )


def test_fewer_labels_resets_the_bandit(iris):
    X, y = iris
    strategy = Adaptive()
    learner = _run(X, y, strategy, budget=20)
    fitted = learner.query_strategy_
    assert len(fitted.history_) == 10
    learner.set_params(budget=15).fit(X, y)
    assert len(learner.query_strategy_.history_) == 5


def test_batches_are_drawn_by_one_arm(iris):
    learner = _run(*iris, Adaptive(["margin"]), budget=40, batch_size=5)
    strategy = learner.query_strategy_
    assert [h["n_labeled"] for h in strategy.history_] == [10, 15, 20, 25, 30, 35]
    for entry in learner.history_[1:]:
        assert len(set(entry["indices"])) == 5


def test_cold_start_comes_first(iris):
    strategy = Adaptive(cold_start="typiclust", cold_start_labels=15)
    learner = _run(*iris, strategy, budget=25)
    names = [h["strategy"] for h in learner.query_strategy_.history_]
    assert names[:5] == ["cold_start"] * 5
    assert "cold_start" not in names[5:]
    # By default (initial_strategy=None) the strategy also picks the first
    # n_initial rows, a model-free strategy needing no model: TypiClust does.
    learner = _run(*iris, strategy, budget=25, initial=None)
    history = learner.query_strategy_.history_
    assert [h["n_labeled"] for h in history[:2]] == [0, 10]
    assert [h["strategy"] for h in history[:7]] == ["cold_start"] * 6 + ["margin"]


def test_clone_and_params():
    strategy = Adaptive(["margin", "coreset"], p_min=0.1, delta=0.05)
    copy = clone(strategy)
    assert copy.get_params() == strategy.get_params()
    assert copy.set_params(p_min=0.2).p_min == 0.2
    assert not hasattr(copy, "history_")
    assert repr(resolve_strategy("auto")) == "Adaptive()"


def test_grid_search_over_its_parameters(iris):
    X, y = iris
    learner = ActiveLearner(
        LogisticRegression(max_iter=300),
        query_strategy=Adaptive(),
        budget=30,
        n_initial=10,
        batch_size=5,
        random_state=0,
    )
    grid = GridSearchCV(
        learner,
        {
            "query_strategy__explore": [0.1, 0.3],
            "query_strategy__policy": ["explore", "albl"],
        },
        cv=3,
        error_score="raise",
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_params_["query_strategy__explore"] in (0.1, 0.3)
    assert 0.6 < grid.best_score_ <= 1.0


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"p_min": 0.9, "policy": "albl"}, ValueError, r"p_min=0.9 is above 1/2"),
        ({"policy": "ucb"}, InvalidParameterError, r"'policy' parameter"),
        (
            {"strategies": ["margin", "entropy"]},
            ValueError,
            r"policy='explore' follows one strategy besides random, got 2: "
            r"\['margin', 'entropy'\]",
        ),
        ({"explore_bounds": (0.3, 0.5)}, ValueError, r"0 <= low <= explore=0.2"),
        ({"explore_bounds": (0.1,)}, ValueError, r"must be \(low, high\)"),
        ({"alpha": 0.0}, InvalidParameterError, r"'alpha' parameter"),
        ({"delta": -1.0}, InvalidParameterError, r"'delta' parameter"),
        ({"strategies": []}, ValueError, "at least one strategy"),
        ({"strategies": ["nope"]}, ValueError, r"Unknown strategies\[0\] 'nope'"),
        ({"cold_start_labels": -2}, InvalidParameterError, "cold_start_labels"),
        ({"stable_labels": 0}, InvalidParameterError, "'stable_labels' parameter"),
    ],
)
def test_bad_parameters(iris, params, error, message):
    with pytest.raises(error, match=message):
        _run(*iris, Adaptive(**params), budget=15)


def test_explore_history_and_rate(iris):
    # stable_labels=None: explore from the first round
    learner = _run(*iris, Adaptive(stable_labels=None), budget=60)
    strategy = learner.query_strategy_
    assert strategy.exploit_arm_ == strategy.arm_names_.index("margin")
    history = strategy.history_
    assert [h["n_labeled"] for h in history] == list(range(10, 60))
    assert {h["strategy"] for h in history} == {"margin", "random"}
    # every round but the last measured its change on the probe, a share
    changes = [h["change"] for h in history]
    assert changes[-1] is None
    assert all(0.0 <= c <= 1.0 for c in changes[:-1])
    assert max(changes[:-1]) > 0.0
    # the rate starts at `explore` and only ever doubles or halves in bounds
    rates = [h["explore"] for h in history]
    assert rates[0] == 0.2
    for before, after in zip(rates, rates[1:]):
        assert after in (before, min(2 * before, 0.5), max(before / 2, 0.05))
    assert strategy.explore_ in (0.05, 0.1, 0.2, 0.4, 0.5)
    # margin on a logistic regression: the probe reads margin's probabilities
    assert strategy._probe.signal == "proba"
    assert len(strategy._probe) == 140  # every candidate, fewer than n_probe
    random_share = np.mean([h["strategy"] == "random" for h in history])
    assert 0.0 < random_share < 0.5


def test_explore_moves_with_the_test(iris):
    X, y = iris
    strategy = Adaptive(
        explore=0.2, explore_bounds=(0.05, 0.5), n_probe=50, stable_labels=None
    )
    ctx = _run(X, y, "random", budget=20).query_context()
    strategy.select(ctx, 1)
    assert len(strategy._probe) == 50
    # random rounds changed the model more, significantly: the rate doubles
    strategy._changes = ([0.3, 0.2, 0.4], [0.0, 0.0, 0.01])
    strategy._last = (strategy.exploit_arm_, strategy._probe_predictions(ctx), 1)
    strategy.select(ctx, 1)
    assert strategy.explore_ == 0.4
    assert strategy._changes == ([], [])  # the test starts again
    assert strategy.history_[-2]["change"] == 0.0  # same model: no change
    # the followed strategy's changed it more: the rate halves
    strategy._changes = ([0.0, 0.0, 0.0, 0.01], [0.3, 0.2, 0.4])
    strategy._last = (strategy.random_arm_, strategy._probe_predictions(ctx), 1)
    strategy.select(ctx, 1)
    assert strategy.explore_ == 0.2


def test_explore_waits_for_a_stable_model(iris):
    X, y = iris
    learner = _run(X, y, Adaptive(stable_labels=20), budget=60)
    strategy = learner.query_strategy_
    history = strategy.history_
    # the probe changed by more than 1 % (2 of its 131 rows left) last after
    # the round at 18 labels; the 20 margin rounds from 19 to 38 labels
    # changed at most one row each: exploration starts at 39
    changes = [h["change"] for h in history]
    assert changes[8] == pytest.approx(2 / 131)
    assert all(c <= 0.01 for c in changes[9:29]) and changes[10] > 0.0
    assert strategy.stable_at_ == 39
    before = history[:29]
    assert {h["strategy"] for h in before} == {"margin"}
    assert {h["explore"] for h in before} == {0.0}
    assert {h["explore"] for h in history[29:]} == {0.2}
    assert strategy.explore_ == 0.2
    assert [h["strategy"] for h in history[29:]].count("random") == 6
    # until then it is margin sampling, pick for pick
    margin = _run(X, y, skal.strategies.UncertaintySampling("margin"), budget=39)
    picks = [list(h["indices"]) for h in learner.history_[1:30]]
    assert picks == [list(h["indices"]) for h in margin.history_[1:]]


def test_stable_labels_count_labels_not_rounds(iris):
    learner = _run(*iris, Adaptive(stable_labels=20), budget=100, batch_size=5)
    strategy = learner.query_strategy_
    changes = [h["change"] for h in strategy.history_]
    # rounds at 25, 30, 35 and 40 labels changed at most 1 %: 20 labels
    assert changes[2] > 0.01 and all(c <= 0.01 for c in changes[3:7])
    assert changes[3] > 0.0
    assert strategy.stable_at_ == 45
    assert [h["explore"] for h in strategy.history_[6:8]] == [0.0, 0.2]


@pytest.mark.parametrize("resume", [True, False])
def test_a_random_round_that_moves_the_model_resumes(iris, resume):
    X, y = iris
    strategy = Adaptive(n_probe=50, resume=resume, stable_labels=20)
    ctx = _run(X, y, "random", budget=20).query_context()
    strategy.select(ctx, 1)
    assert strategy.stable_at_ is None and strategy.explore_ == 0.0
    strategy.stable_at_, strategy.explore_ = 12, 0.2  # as if stable at 12 labels
    now = strategy._probe_predictions(ctx)
    # a random round that changed 1 of the 50 rows (2 %): more than 1 %
    before = now.copy()
    before[0] = (before[0] + 1) % 3
    strategy._last = (strategy.random_arm_, before, 1)
    strategy.select(ctx, 1)
    assert strategy.history_[-2]["change"] == pytest.approx(0.02)
    if resume:  # margin alone again, until the model is stable again
        assert strategy.stable_at_ is None and strategy.explore_ == 0.0
        assert strategy.history_[-1]["strategy"] == "margin"
    else:
        assert strategy.stable_at_ == 12 and strategy.explore_ == 0.2
    # a random round that changed nothing keeps the exploring phase
    strategy.stable_at_, strategy.explore_ = 12, 0.2
    strategy._last = (strategy.random_arm_, now, 1)
    strategy.select(ctx, 1)
    assert strategy.stable_at_ == 12 and strategy.explore_ == 0.2


def test_explore_with_batches(iris):
    learner = _run(*iris, Adaptive(explore=0.5), budget=60, batch_size=10)
    history = learner.query_strategy_.history_
    assert [h["n_labeled"] for h in history] == [10, 20, 30, 40, 50]
    for entry in learner.history_[1:]:
        assert len(set(entry["indices"])) == 10


def test_explore_with_a_regressor():
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge

    X, y = load_diabetes(return_X_y=True)
    learner = ActiveLearner(
        Ridge(),
        query_strategy=Adaptive(["coreset"]),
        budget=40,
        n_initial=10,
        initial_strategy="random",
        random_state=0,
    ).fit(X[:200], y[:200])
    history = learner.query_strategy_.history_
    assert len(history) == 30
    assert {h["strategy"] for h in history} <= {"coreset", "random"}
    # a regressor's change: mean |change| over the spread of the predictions
    changes = [h["change"] for h in history[:-1]]
    assert all(c >= 0.0 for c in changes) and max(changes) > 0.0


class _CountingLR(LogisticRegression):
    calls = {"predict_proba": 0, "predict": 0}

    def predict_proba(self, X):
        type(self).calls["predict_proba"] += 1
        return super().predict_proba(X)

    def predict(self, X):
        type(self).calls["predict"] += 1
        return super().predict(X)


def test_probe_shares_margins_signal(iris):
    X, y = iris
    learner = ActiveLearner(
        _CountingLR(max_iter=300),
        query_strategy=Adaptive(),
        budget=30,
        n_initial=10,
        random_state=0,
    ).fit(X, y)
    calls = _CountingLR.calls
    calls.update(predict_proba=0, predict=0)
    learner.query()
    # one pass over the candidates, shared by margin and the probe
    assert calls == {"predict_proba": 1, "predict": 0}
    # the probe's labels are the model's predictions of those rows
    ctx = learner.query_context()
    probe = learner.query_strategy_._probe
    still = np.isin(probe.positions, ctx.candidates)
    labels = probe.predict(ctx)
    assert np.isnan(labels[~still]).all()
    expected = np.searchsorted(ctx.classes, learner.predict(X[probe.positions[still]]))
    assert labels[still].tolist() == expected.astype(float).tolist()


def test_probe_of_rows_for_other_strategies(iris):
    from sklearn.svm import SVC

    learner = _run(*iris, Adaptive(["coreset"]), budget=20)
    probe = learner.query_strategy_._probe
    assert probe.signal is None and len(probe) == 70  # half the 140 candidates
    svc = ActiveLearner(
        SVC(), query_strategy=Adaptive(), budget=20, n_initial=10, random_state=0
    ).fit(*iris)
    assert svc.query_strategy_._probe.signal == "decision"
