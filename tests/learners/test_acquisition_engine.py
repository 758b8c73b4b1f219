"""The acquisition engine that fit(budget), simulate and label_loop share."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.naive_bayes import GaussianNB

from skal import ActiveLearner
from skal.learners._acquisition import Answers, run_acquisition

X, Y = load_iris(return_X_y=True)


def _fitted(labeled):
    y = np.full(150, -1)
    y[labeled] = Y[labeled]
    return ActiveLearner(GaussianNB(), random_state=0).fit(X, y)


def test_skips_retractions_and_stop_shape_the_labeled_set():
    learner = _fitted([0, 50, 100])
    calls = []

    def label(rows):
        calls.append(rows.tolist())
        if len(calls) == 1:  # label the first two, skip the third
            return Answers(rows[:2], Y[rows[:2]], skipped=rows[2:])
        if len(calls) == 2:  # take row 0 back, label nothing, stop
            return Answers([], [], retracted=[0], stop=True)
        raise AssertionError("asked after a stop")

    rounds = run_acquisition(learner, label, budget=10, batch_size=3)
    assert [r["n_labeled"] for r in rounds] == [3, 5, 4]
    assert rounds[1]["indices"] == calls[0][:2]
    assert rounds[-1]["stopped_by"] == "oracle"
    labeled = {50, 100, *calls[0][:2]}
    assert set(np.flatnonzero(learner.labeled_mask_)) == labeled
    assert learner.history_[-1]["forgotten"] == [0]
    # the skipped row is not asked again; the retracted row may be
    assert calls[0][2] not in calls[1]


def test_budget_is_net_of_retracted_labels_and_warmup_is_random():
    learner = _fitted([0, 50, 100])
    seen = []

    def label(rows):
        seen.append(rows.tolist())
        retract = [0] if len(seen) == 1 else []
        return Answers(rows, Y[rows], retracted=retract)

    rounds = run_acquisition(
        learner, label, budget=6, batch_size=2, warmup=8, random_state=0
    )
    # warm-up asks the 5 (then 1) rows still missing to reach 8, at random
    assert [len(s) for s in seen] == [5, 1, 1]
    expected = np.random.RandomState(0).choice(
        np.setdiff1d(np.arange(150), [0, 50, 100]), 5, replace=False
    )
    assert seen[0] == expected.tolist()
    # 5 + 1 + 1 labels given, 1 taken back: the budget of 6 is used up
    assert int(learner.labeled_mask_.sum()) == 3 + 6
    assert rounds[0]["n_labeled"] == 8  # the first state worth evaluating


def test_a_criterion_ends_the_run_and_names_itself():
    from skal.loop import BudgetStopping

    learner = _fitted([0, 50, 100])
    rounds = run_acquisition(
        learner,
        lambda rows: Answers(rows, Y[rows]),
        budget=None,
        batch_size=4,
        criteria=[BudgetStopping(8)],
    )
    assert rounds[-1]["stopped_by"] == "BudgetStopping"
    assert rounds[-1]["n_labeled"] == 11


def test_an_oracle_of_several_annotators_is_refused_clearly():
    from skal import simulate
    from skal.loop import NoisyOracle

    crowd = NoisyOracle(Y, [0.0, 0.2, 0.5], random_state=0)
    with pytest.raises(ValueError, match="answered 10 rows with labels of shape"):
        simulate(
            ActiveLearner(GaussianNB()),
            X,
            Y,
            budget=20,
            batch_size=5,
            n_initial=10,
            oracle=crowd,
            random_state=0,
            progress=False,
        )


def test_a_label_taken_back_then_skipped_is_not_asked_again():
    learner = _fitted([0, 50, 100])
    calls = []

    def label(rows):
        calls.append(rows.tolist())
        if len(calls) == 1:  # take row 50's label back, asked again: skipped
            return Answers([], [], retracted=[50], skipped=[50, *rows])
        return Answers(rows, Y[rows])

    run_acquisition(learner, label, budget=6, batch_size=3)
    asked_later = [i for call in calls[1:] for i in call]
    assert 50 not in asked_later and not learner.labeled_mask_[50]
    assert int(learner.labeled_mask_.sum()) == 2 + 6 + 1  # budget net of the undo


def test_a_model_free_strategy_picks_the_first_labels_by_default():
    cold = np.full(150, -1)

    def learner(strategy, **kwargs):
        kwargs.setdefault("batch_size", 5)
        return ActiveLearner(
            GaussianNB(), query_strategy=strategy, random_state=0, **kwargs
        )

    typiclust = learner("typiclust").fit(X, cold)
    assert typiclust.initial_strategy_ is typiclust.query_strategy_
    named = learner("margin", initial_strategy="typiclust").fit(X, cold)
    first = typiclust.query()
    assert first.tolist() == named.query().tolist()
    # a strategy that needs a model starts at random
    margin = learner("margin").fit(X, cold)
    assert type(margin.initial_strategy_).__name__ == "RandomSampling"
    drawn = np.random.RandomState(0).choice(150, 5, replace=False)
    assert margin.query().tolist() == drawn.tolist()
    # a strategy set after fit brings its own first labels
    margin.set_params(query_strategy="coreset")
    assert margin.query().tolist() == learner("coreset").fit(X, cold).query().tolist()
    # fit(budget=...) draws its n_initial rows the same way
    run = learner("typiclust", budget=15, n_initial=10).fit(X, Y)
    initial = learner("typiclust", batch_size=10).fit(X, cold).query()
    assert set(run.history_[0]["indices"]) == set(initial.tolist())


def test_a_strategy_that_needs_labels_does_not_pick_the_first_ones():
    cold = np.full(150, -1)
    for name in ("quire", "mcpal"):  # no model, but the labeled rows' classes
        learner = ActiveLearner(
            GaussianNB(), query_strategy=name, batch_size=4, random_state=0
        ).fit(X, cold)
        assert type(learner.initial_strategy_).__name__ == "RandomSampling"
        drawn = np.random.RandomState(0).choice(150, 4, replace=False)
        assert learner.query().tolist() == drawn.tolist()
        with pytest.raises(ValueError, match=f"'{name}' needs labeled rows, but"):
            ActiveLearner(GaussianNB(), initial_strategy=name).fit(X, cold)


def test_fit_with_a_budget_refuses_more_initial_labels_than_simulate_does():
    # fit took min(n_initial, budget) = 3 labels where simulate raised
    from skal.loop import simulate

    message = (
        "n_initial=5 is larger than budget=3: the budget counts the initial "
        "labels. Lower n_initial or raise budget."
    )
    learner = ActiveLearner(GaussianNB(), budget=3, n_initial=5, random_state=0)
    with pytest.raises(ValueError) as fit_error:
        learner.fit(X, Y)
    with pytest.raises(ValueError) as simulate_error:
        simulate(learner, X, Y, budget=3, batch_size=1, n_initial=5, progress=False)
    assert str(fit_error.value) == str(simulate_error.value) == message
    # a budget of exactly the initial labels is those labels, no query
    learner.set_params(budget=5).fit(X, Y)
    assert learner.labeled_mask_.sum() == 5
    assert [h["n_labeled"] for h in learner.history_] == [5]
