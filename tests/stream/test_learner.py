"""The stream learner's API: query peeks, update commits, teach learns."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.utils._param_validation import InvalidParameterError

from skal.stream import (
    FixedBudget,
    StreamActiveLearner,
    VariableUncertainty,
    make_rotating_hyperplane,
    prequential_evaluation,
)

from ._peer import stream_learner


def test_query_changes_no_state_and_update_commits():
    learner = stream_learner("split", 0.5, seed=0)
    X = np.array([[0.6], [0.7], [0.55], [0.9]])
    first, u1 = learner.query(X, return_utilities=True)
    second, u2 = learner.query(X, return_utilities=True)
    assert first.tolist() == second.tolist()
    assert u1 == pytest.approx([0.4, 0.3, 0.45, 0.1])
    assert learner.budget_state_["seen"] == 0
    learner.update(X, first, utilities=u1)
    assert learner.budget_state_["seen"] == 4
    assert learner.budget_state_["queried"] == first.sum()


def test_update_accepts_the_oracle_overruling_the_decision():
    learner = stream_learner(VariableUncertainty(s=0.1), 0.5)
    x = np.array([[0.6]])
    assert learner.query(x).tolist() == [True]
    learner.update(x, np.array([False]))  # the annotator declined
    assert learner.strategy_state_["theta"] == pytest.approx(1.1)
    assert learner.budget_state_["queried"] == 0


def test_one_dimensional_input_is_one_sample():
    learner = stream_learner("variable_uncertainty", 0.5)
    assert learner.query(np.array([0.6])).shape == (1,)


def test_partial_fit_estimator_learns_online():
    X, y = make_rotating_hyperplane(600, rotation=0.0, noise=0.0, random_state=0)
    learner = StreamActiveLearner(
        SGDClassifier(loss="log_loss", random_state=0),
        "random",
        budget=1.0,
        classes=[0, 1],
        random_state=0,
    ).fit(X[:0], y[:0])
    with pytest.raises(NotFittedError, match="teach it labeled samples"):
        learner.predict(X[:1])
    for start in range(0, 500, 50):
        learner.teach(X[start : start + 50], y[start : start + 50])
    assert learner.n_labeled_ == 500
    assert learner.score(X[500:], y[500:]) > 0.9


def test_refit_estimator_forgets_beyond_max_labeled():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(60, 2))
    y = (X[:, 0] > 0).astype(int)
    learner = StreamActiveLearner(LogisticRegression(), max_labeled=20)
    learner.fit(X[:40], y[:40])
    assert learner.score(X, y) > 0.9
    learner.teach(X[40:], 1 - y[40:])  # the classes swap: the last 20 rule
    assert learner.n_labeled_ == 60
    assert learner.score(X, 1 - y) > 0.9


def test_prequential_on_a_drifting_stream_beats_no_forgetting():
    X, y = make_rotating_hyperplane(800, swap_at=[400], random_state=0)
    kwargs = {"budget": 0.2, "classes": [0, 1], "random_state": 0}
    forgetful = StreamActiveLearner(LogisticRegression(), max_labeled=30, **kwargs)
    stubborn = StreamActiveLearner(GaussianNB(), **kwargs)
    a = prequential_evaluation(forgetful, X, y, n_initial=10)
    b = prequential_evaluation(stubborn, X, y, n_initial=10)
    assert a.queried.shape == (790,)
    assert a.budget_used == pytest.approx(a.n_queried / 790)
    assert 0.15 < a.budget_used < 0.25
    assert a.accuracy == pytest.approx(0.797, abs=1e-3)
    assert a.accuracy > b.accuracy + 0.05  # GaussianNB never forgets the swap


def test_clone_and_params():
    learner = StreamActiveLearner(GaussianNB(), "split", budget=0.2)
    assert clone(learner).get_params()["query_strategy"] == "split"
    learner.set_params(query_strategy=VariableUncertainty(s=0.02))
    assert clone(learner).get_params()["query_strategy__s"] == 0.02


@pytest.mark.parametrize(
    "params, match",
    [
        ({"query_strategy": "nope"}, "'query_strategy' parameter"),
        ({"budget": 0.0}, "'budget' parameter"),
        ({"budget_manager": "lots"}, "'budget_manager' parameter"),
        ({"query_strategy": VariableUncertainty(s=2.0)}, "'s' parameter"),
        ({"budget": True}, "'budget' parameter"),
        ({"max_labeled": True}, "'max_labeled' parameter"),
        ({"budget_manager": FixedBudget(budget=True)}, "'budget' parameter"),
        ({"query_strategy": VariableUncertainty(s=True)}, "'s' parameter"),
    ],
)
def test_bad_parameters_are_named(params, match):
    learner = StreamActiveLearner(GaussianNB(), **params)
    with pytest.raises(InvalidParameterError, match=match):
        learner.fit([[0.0], [1.0]], [0, 1])


def test_clear_errors():
    with pytest.raises(ValueError, match="pass classes="):
        StreamActiveLearner(GaussianNB()).fit([[0.0]], [-1])
    with pytest.raises(NotFittedError):
        StreamActiveLearner(GaussianNB()).query([[0.0]])
    learner = StreamActiveLearner(GaussianNB()).fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(ValueError, match=r"Labels \[7\] are not among"):
        learner.teach([[0.5]], [7])
    with pytest.raises(TypeError, match="boolean mask of length 1"):
        learner.update([[0.5]], [1])
    with pytest.raises(ValueError, match="utilities must be numbers, what query"):
        learner.update([[0.5]], [True], utilities=["high"])
    with pytest.raises(
        ValueError, match="X has 2 features, but StreamActiveLearner is expecting 1"
    ):
        learner.query([[0.5, 1.0]])


def test_partial_fit_takes_the_classes_on_the_first_call():
    learner = StreamActiveLearner(GaussianNB())
    learner.partial_fit([[0.0]], [1], classes=[0, 1])
    assert learner.classes_.tolist() == [0, 1]
    assert learner.get_params()["classes"] is None
    with pytest.raises(ValueError, match="requires y to be passed"):
        StreamActiveLearner(GaussianNB()).fit([[0.0]], None)


def test_a_bool_label_is_not_taught_as_the_class_1():
    learner = StreamActiveLearner(GaussianNB()).fit([[0.0], [1.0]], [0, 1])
    with pytest.raises(ValueError, match="boolean labels in y, but the labels"):
        learner.teach([[0.5]], [True])
    assert learner.n_labeled_ == 2


def test_labels_indexed_in_another_order_than_X_are_refused():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": [0.0, 1.0, 2.0, 3.0]}, index=[3, 2, 1, 0])
    y = pd.Series([0, 0, 1, 1], index=[0, 1, 2, 3])
    learner = StreamActiveLearner(GaussianNB(), classes=[0, 1])
    with pytest.raises(ValueError, match="y's index holds the rows of X in anoth"):
        learner.fit(X, y)
    learner.fit(X, y.loc[X.index])
    with pytest.raises(ValueError, match="y's index holds the rows of X in anoth"):
        learner.teach(X.iloc[:2], y.loc[[2, 3]])
    with pytest.raises(ValueError, match="y's index holds the rows of X in anoth"):
        prequential_evaluation(learner, X, y)
    with pytest.raises(InvalidParameterError, match="'n_initial' parameter"):
        prequential_evaluation(learner, X, y.loc[X.index], n_initial=True)


@pytest.mark.parametrize("estimator", [GaussianNB(), LogisticRegression()])
def test_a_fraction_taught_to_integer_classes_gets_the_pool_learners_message(
    estimator,
):
    # it was scikit-learn's "Unknown label type: continuous"
    learner = StreamActiveLearner(estimator, classes=[0, 1]).fit([[0.0], [1.0]], [0, 1])
    message = (
        r"^teach got labels that are not whole numbers \(\[0.5\]\), but the "
        r"learner's classes are integers.$"
    )
    for labels in ([0.5], np.array([0.5], dtype=object), [1.0, 0.5]):
        with pytest.raises(ValueError, match=message):
            learner.teach([[0.3]] * len(labels), labels)
    assert learner.n_labeled_ == 2  # nothing was learned
    learner.teach([[0.3], [0.6]], [1.0, np.nan])  # a whole number is its class
    assert learner.n_labeled_ == 3 and learner.classes_.tolist() == [0, 1]
    with pytest.raises(ValueError, match="Got numeric labels in y, but the labels"):
        StreamActiveLearner(estimator).fit([[0.0], [1.0]], ["a", "b"]).teach(
            [[0.3]], [0.5]
        )


def test_prequential_evaluation_names_the_learner_of_a_bad_parameter():
    # was "the 'budget' parameter of prequential_evaluation", which has none
    X, y = make_rotating_hyperplane(20, random_state=0)
    learner = StreamActiveLearner(GaussianNB(), budget=0, classes=[0, 1])
    with pytest.raises(InvalidParameterError, match="of StreamActiveLearner must"):
        prequential_evaluation(learner, X, y)


def test_partial_fit_classes_must_agree_with_the_stream_classes():
    # were taken silently: classes=[0, 1, 2] over the parameter's [0, 1], and
    # a later call's classes=[5, 6] ignored
    X, y = make_rotating_hyperplane(20, random_state=0)
    learner = StreamActiveLearner(GaussianNB(), classes=[0, 1])
    with pytest.raises(ValueError, match=r"classes parameter is \[0, 1\]"):
        learner.partial_fit(X, y, classes=[0, 1, 2])
    learner = StreamActiveLearner(GaussianNB()).partial_fit(X, y, classes=[1, 0])
    learner.partial_fit(X[:2], y[:2], classes=[0, 1])  # the same classes
    with pytest.raises(ValueError, match=r"classes_ is \[0, 1\]"):
        learner.partial_fit(X[:2], y[:2], classes=[5, 6])


def test_prequential_evaluation_refuses_a_missing_true_label_and_text_features():
    # a streamed -1 was taught as "unlabeled" (skipped) and scored wrong
    X, y = make_rotating_hyperplane(30, random_state=0)
    y = y.copy()
    y[[2, 20]] = -1
    learner = StreamActiveLearner(GaussianNB(), classes=[0, 1], budget=1.0)
    with pytest.raises(ValueError, match=r"rows \[20\] are missing"):
        prequential_evaluation(learner, X, y, n_initial=5)
    with pytest.raises(ValueError, match="X must hold numeric features"):
        prequential_evaluation(learner, [["a", "b"]] * 3, [0, 1, 0])


def test_fit_labels_must_be_of_the_kind_of_the_classes_given():
    # y=True/False with classes=[0, 1] was learned as 1/0, while teach refused it
    X, y = make_rotating_hyperplane(20, random_state=0)
    learner = StreamActiveLearner(GaussianNB(), classes=[0, 1])
    with pytest.raises(ValueError, match="Got boolean labels in y, but .* numeric"):
        learner.fit(X, y.astype(bool))
    assert learner.fit(X, y.astype(float)).classes_.tolist() == [0, 1]


@pytest.mark.parametrize(
    "kwargs, name",
    [({"n_samples": True}, "n_samples"), ({"noise": False}, "noise")],
)
def test_make_rotating_hyperplane_refuses_bools(kwargs, name):
    # n_samples=True crashed in NumPy ("an integer is required")
    with pytest.raises(ValueError, match=f"'{name}' parameter of make_rotating"):
        make_rotating_hyperplane(**kwargs)


def test_make_rotating_hyperplane_swap_positions_are_stream_positions():
    # -5 swapped the last five samples (NumPy's negative index), 2.5 at 2
    for swap_at in ([-5], [2.5], [True], [10]):
        with pytest.raises(ValueError, match="swap_at must be"):
            make_rotating_hyperplane(10, swap_at=swap_at)
    _, y = make_rotating_hyperplane(10, rotation=0.0, noise=0.0, random_state=0)
    _, swapped = make_rotating_hyperplane(
        10, rotation=0.0, swap_at=[6], noise=0.0, random_state=0
    )
    assert swapped.tolist() == y[:6].tolist() + (1 - y[6:]).tolist()


def test_score_skips_unlabeled_rows_as_the_pool_learners_do():
    # each -1 counted as a wrong prediction: 0.48 for 0.96
    X, y = make_rotating_hyperplane(200, rotation=0.0, noise=0.0, random_state=0)
    learner = StreamActiveLearner(GaussianNB()).fit(X, y)
    masked = y.copy()
    masked[::2] = -1
    assert learner.score(X, masked) == learner.score(X[1::2], y[1::2])
    with pytest.raises(ValueError, match="score needs labeled rows"):
        learner.score(X, np.full(200, -1))
