import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from skal import ActiveLearner
from skal.datasets import make_pool
from skal.loop import (
    BudgetStopping,
    MaxUncertaintyStopping,
    PlateauStopping,
    StabilizingPredictions,
    TargetScoreStopping,
    check_stopping,
    kappa,
    simulate,
)


def test_kappa_by_hand():
    # agreement 3/4; chance: a is 50/50, b is 25/75 -> 0.5*0.25 + 0.5*0.75 = 0.5
    assert kappa([0, 0, 1, 1], [0, 1, 1, 1]) == pytest.approx((0.75 - 0.5) / 0.5)
    assert kappa([2, 2, 2], [2, 2, 2]) == 1.0  # 0/0 for sklearn; identical -> 1
    assert kappa([0, 1, 0, 1], [1, 0, 1, 0]) == pytest.approx(-1.0)


class _Scripted:
    """A stand-in learner whose successive models predict scripted labels."""

    def __init__(self, predictions):
        self.predictions = iter(predictions)

    def predict(self, X):
        return np.asarray(next(self.predictions))


SEQUENCE = [[0, 0, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1], [0, 1, 1, 1]]
# kappas between successive models: 0.5, 1, 1, 1


def test_stabilizing_predictions_on_a_hand_made_sequence():
    crit = StabilizingPredictions(threshold=0.99, k=3, X_stop=np.zeros((4, 1)))
    learner = _Scripted(SEQUENCE)
    stops = [crit.update(learner, {"n_labeled": i}) for i in range(5)]
    # means of the last 3 kappas: -, -, -, (0.5+1+1)/3 = 0.83, 1.0
    assert stops == [False, False, False, False, True]
    assert crit.kappas_ == pytest.approx([0.5, 1.0, 1.0, 1.0])
    crit = StabilizingPredictions(threshold=0.75, k=2)
    assert [crit.update_predictions(p) for p in SEQUENCE[:3]] == [False, False, True]
    with pytest.raises(ValueError, match="'k' parameter of StabilizingPredictions"):
        StabilizingPredictions(k=0).update_predictions([0])


@pytest.mark.parametrize(
    "criterion, param",
    [
        (BudgetStopping(0), "budget"),
        (BudgetStopping(2.5), "budget"),
        (PlateauStopping(patience=0), "patience"),
        (PlateauStopping(min_delta=-1.0), "min_delta"),
        (TargetScoreStopping("high"), "target"),
        (MaxUncertaintyStopping(threshold=2.0), "threshold"),
        (StabilizingPredictions(threshold=1.5), "threshold"),
    ],
)
def test_bad_criterion_parameters_fail_before_the_run(criterion, param):
    with pytest.raises(ValueError, match=f"'{param}' parameter of"):
        check_stopping([criterion])


def test_stabilizing_predictions_uses_the_first_pool_as_stop_set():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(GaussianNB()).fit(X, make_pool(y, 30, random_state=0))
    crit = StabilizingPredictions(k=1, threshold=1.0)
    assert not crit.update(learner, {})
    np.testing.assert_array_equal(
        crit.stop_set_, np.flatnonzero(~learner.labeled_mask_)
    )
    assert crit.update(learner, {})  # the same model agrees with itself: kappa 1


def test_budget_target_and_plateau():
    assert not BudgetStopping(20).update(None, {"n_labeled": 19})
    assert BudgetStopping(20).update(None, {"n_labeled": 21})
    X, y = load_iris(return_X_y=True)
    model = LogisticRegression(max_iter=500).fit(X, y)
    acc = model.score(X, y)
    assert TargetScoreStopping(acc, X_val=X, y_val=y).update(model, {})
    crit = TargetScoreStopping(acc + 1e-9, X_val=X, y_val=y)
    assert not crit.update(model, {}) and crit.last_score_ == pytest.approx(acc)
    with pytest.raises(ValueError, match="needs X_val and y_val"):
        TargetScoreStopping(0.9).update(model, {"n_labeled": 3})
    crit = PlateauStopping(patience=2, min_delta=0.01)
    scores = [0.5, 0.6, 0.605, 0.61, 0.7, 0.7, 0.7]
    # 0.605 and 0.61 improve on 0.6 by < 0.01: stop on the 2nd of them
    assert [crit.update(None, {"score": s}) for s in scores] == [
        False,
        False,
        False,
        True,
        False,
        False,
        True,
    ]


def test_max_uncertainty_matches_brute_force():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(GaussianNB()).fit(X, make_pool(y, 30, random_state=0))
    pool = ~learner.labeled_mask_
    expected = np.max(1 - learner.predict_proba(X[pool]).max(axis=1))
    crit = MaxUncertaintyStopping(threshold=expected)
    assert not crit.update(learner, {})
    assert crit.max_uncertainty_ == pytest.approx(expected)
    assert MaxUncertaintyStopping(threshold=expected + 1e-9).update(learner, {})


def test_check_stopping_clones_and_rejects_junk():
    crit = PlateauStopping(patience=1)
    crit.update(None, {"score": 1.0})
    fresh = check_stopping([crit, BudgetStopping(5)])
    assert fresh[0] is not crit and not hasattr(fresh[0], "best_")
    assert repr(clone(crit)) == "PlateauStopping(patience=1)"
    with pytest.raises(TypeError, match="stopping must be a StoppingCriterion"):
        check_stopping("plateau")


def test_stopping_in_simulate_and_as_a_learner_parameter():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(GaussianNB(), query_strategy="margin")
    curve = simulate(
        learner,
        X,
        y,
        budget=100,
        batch_size=5,
        n_initial=10,
        n_repeats=2,
        stopping=StabilizingPredictions(0.95, k=2),
        random_state=0,
        progress=False,
    )
    for rep in curve.repeats:
        assert rep["stopped_by"] == "StabilizingPredictions"
        assert rep["n_labeled"][-1] < 100
    curve = simulate(
        learner,
        X,
        y,
        budget=100,
        batch_size=5,
        n_initial=10,
        stopping=TargetScoreStopping(0.9),
        random_state=0,
        progress=False,
    )
    scores = curve.repeats[0]["score"]
    assert scores[-1] >= 0.9 and max(scores[:-1]) < 0.9
    stopped = ActiveLearner(
        GaussianNB(),
        budget=100,
        batch_size=5,
        stopping=PlateauStopping(patience=1),
        random_state=0,
    )
    stopped.fit(X, y)
    assert stopped.history_[-1]["stopped_by"] == "PlateauStopping"
    assert stopped.history_[-1]["n_labeled"] < 100
    pool = [h["pool_score"] for h in stopped.history_]
    assert pool[-1] <= max(pool[:-1])


def test_a_criterion_parameter_error_names_the_criterion_not_simulate():
    # scikit-learn's validate_params renamed it "the 'budget' parameter of
    # simulate", which reads as simulate's own budget=20
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match="'budget' parameter of BudgetStopping"):
        simulate(
            ActiveLearner(GaussianNB()),
            X,
            y,
            budget=20,
            batch_size=5,
            n_initial=5,
            stopping=BudgetStopping(5.0),
            progress=False,
        )
    with pytest.raises(ValueError, match="'budget' parameter of simulate"):
        simulate(ActiveLearner(GaussianNB()), X, y, budget=20.0, batch_size=5)


@pytest.mark.parametrize(
    "criterion, name",
    [
        (TargetScoreStopping(np.nan), "target"),  # never reached: ran to the end
        (TargetScoreStopping(True), "target"),
        (BudgetStopping(True), "budget"),
        (PlateauStopping(patience=True), "patience"),
        (StabilizingPredictions(k=True), "k"),
        (MaxUncertaintyStopping(threshold=False), "threshold"),
    ],
)
def test_criteria_refuse_nan_and_bools(criterion, name):
    # bools passed as 1 and 0 (scikit-learn's Integral/Real take them), NaN
    # as a target no score reaches
    with pytest.raises(
        ValueError, match=f"'{name}' parameter of {type(criterion).__name__}"
    ):
        check_stopping(criterion)
