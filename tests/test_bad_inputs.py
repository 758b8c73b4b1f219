"""Bad input at the public entry points: a clear error, never a crash deep
inside NumPy or a silently wrong answer; taught labels are never duplicated,
dropped or reinterpreted."""

import io

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB

from skal import (
    ActiveLearner,
    CallbackOracle,
    SimulatedOracle,
    compare,
    label_loop,
    simulate,
)
from skal.annotators import MultiAnnotatorLearner, majority_vote
from skal.cli import main
from skal.datasets import initial_indices, make_pool
from skal.loop import (
    NoisyOracle,
    PlateauStopping,
    StabilizingPredictions,
    TargetScoreStopping,
    kappa,
)
from skal.stream import StreamActiveLearner, prequential_evaluation
from skal.utils._labels import check_label_types
from skal.utils._validation import check_positions

X, y = load_iris(return_X_y=True)
Y_POOL = make_pool(y, n_labeled=9, random_state=0)
UNLABELED = np.flatnonzero(Y_POOL == -1)
SIM = {"budget": 20, "batch_size": 5, "n_initial": 6, "random_state": 0}
SIM["progress"] = False


def _fitted(**params):
    return ActiveLearner(LogisticRegression(max_iter=300), **params).fit(X, Y_POOL)


def _nb():
    return ActiveLearner(GaussianNB(), query_strategy="margin")


# ------------------------------------------------------------------ helpers
def test_check_label_types():
    check_label_types(np.array([0, 1]))
    with pytest.raises(ValueError, match="mixes numeric and string labels"):
        check_label_types(np.array([0, "a"], dtype=object))
    with pytest.raises(ValueError, match="must not change type"):
        check_label_types(np.array([True]), known=np.array([0, 1]))


@pytest.mark.parametrize(
    "indices, match",
    [
        ([1.5], "integer positions"),
        ([True, False], "integer positions"),
        ([-1], "between 0 and 2"),
        ([3], "between 0 and 2"),
    ],
)
def test_check_positions(indices, match):
    with pytest.raises(ValueError, match=match):
        check_positions(indices, 3)


# ------------------------------------------------------------------ learners
@pytest.mark.parametrize("X_bad", [None, 5, {"a": 1}])
def test_fit_rejects_non_array_X(X_bad):
    with pytest.raises(TypeError, match="X must be array-like"):
        ActiveLearner(LogisticRegression()).fit(X_bad, Y_POOL)


def test_fit_rejects_zero_features_even_in_a_cold_start():
    with pytest.raises(ValueError, match="0 feature"):
        ActiveLearner(LogisticRegression()).fit(np.empty((150, 0)), np.full(150, -1))


def test_fit_rejects_mixed_label_types():
    y_mixed = Y_POOL.astype(object)
    y_mixed[UNLABELED[0]] = "a"
    with pytest.raises(ValueError, match="mixes numeric and string labels"):
        ActiveLearner(LogisticRegression()).fit(X, y_mixed)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_jobs": 0}, "n_jobs"),
        ({"missing_label": [1]}, "missing_label"),
        ({"missing_label": True}, r"'missing_label' .* a number \(not a bool\)"),
        ({"batch_size": True}, "'batch_size' parameter .* Got True"),
    ],
)
def test_learner_parameter_constraints(params, match):
    with pytest.raises(ValueError, match=match):
        _fitted(**params)


def test_fit_rejects_a_stopping_list_of_non_criteria():
    with pytest.raises(TypeError, match="stopping must be a stopping criterion"):
        _fitted(stopping=[5])


def test_query_and_predict_reject_other_dimensions():
    learner = _fitted()
    with pytest.raises(ValueError, match="fitted on 2-d X"):
        learner.query(X.reshape(150, 2, 2))
    with pytest.raises(ValueError, match="fitted on 2-d X"):
        learner.predict(X.reshape(150, 2, 2))


def test_query_return_scores_must_be_boolean():
    with pytest.raises(TypeError, match="return_scores must be True or False"):
        _fitted().query(return_scores="yes")


def test_score_sample_weight_length():
    with pytest.raises(ValueError, match="one weight per row"):
        _fitted().score(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match=r"must hold numbers, got <U1 .*\['a'\]"):
        _fitted().score(X, y, sample_weight=["a"] * 150)  # was a NumPy TypeError


@pytest.mark.parametrize("labels", [[0, 0], [0, 1]])
def test_teach_same_row_twice_is_not_counted_twice(labels):
    learner = _fitted()
    row = UNLABELED[0]
    with pytest.raises(ValueError, match="the same sample twice"):
        learner.teach(X[[row, row]], labels)
    assert learner.labeled_mask_.sum() == 9 and learner.X_.shape == X.shape


def test_teach_new_rows_may_repeat():
    learner = _fitted()
    new = np.full((2, 4), 99.0)
    learner.teach(new, [0, 0])
    assert learner.X_.shape == (152, 4) and learner.labeled_mask_.sum() == 11


def test_teach_pool_indices_must_name_the_taught_rows():
    learner = _fitted()
    rows = UNLABELED[:2]
    with pytest.raises(ValueError, match="labels would go to the wrong samples"):
        learner.teach(X[rows], y[rows], pool_indices=UNLABELED[5:7])
    learner.teach(X[rows], y[rows], pool_indices=rows)
    assert learner.labeled_mask_[rows].all()


@pytest.mark.parametrize(
    "y_fit, marker, taught",
    [
        (Y_POOL, -1, [True]),
        (np.where(Y_POOL == -1, None, Y_POOL.astype(str)).astype(object), None, [1]),
    ],
)
def test_teach_labels_keep_their_type(y_fit, marker, taught):
    learner = ActiveLearner(LogisticRegression(max_iter=300), missing_label=marker)
    learner.fit(X, y_fit)
    with pytest.raises(ValueError, match="must not change type"):
        learner.teach(X[UNLABELED[:1]], np.array(taught))


# ------------------------------------------------------------------ loop
@pytest.mark.parametrize(
    "change, error, match",
    [
        ({"X": np.empty((0, 4)), "y": np.empty(0)}, ValueError, "X has no rows"),
        ({"y": Y_POOL}, ValueError, "y is the oracle"),
        ({"y": np.where(Y_POOL == -1, np.nan, Y_POOL)}, ValueError, "y is the oracle"),
        ({"n_jobs": 0}, ValueError, "n_jobs"),
        ({"batch_size": True}, ValueError, "'batch_size' parameter of simulate"),
        (
            {"oracle": CallbackOracle(lambda r, i: np.full(len(i), np.nan))},
            ValueError,
            "with a missing label",
        ),
        (
            {"oracle": CallbackOracle(lambda r, i: np.array(["a"] * len(i)))},
            ValueError,
            "must not change type",
        ),
        ({"oracle": CallbackOracle(lambda r, i: None)}, ValueError, "returned no"),
        ({"oracle": SimulatedOracle(y[:10])}, ValueError, "between 0 and 9"),
    ],
)
def test_simulate_bad_inputs(change, error, match):
    params = dict(SIM)
    params.update(change)
    X_run, y_run = params.pop("X", X), params.pop("y", y)
    with pytest.raises(error, match=match):
        simulate(_nb(), X_run, y_run, **params)


def test_simulate_reads_a_column_vector_y_as_labels():
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        curve = simulate(_nb(), X, y.reshape(-1, 1), **SIM)
    assert curve.aulc() == simulate(_nb(), X, y, **SIM).aulc()
    with pytest.raises(ValueError, match="string labels in y_test, but the labels"):
        simulate(_nb(), X, y, X_test=X[:5], y_test=np.array(["a"] * 5), **SIM)


@pytest.mark.parametrize(
    "learners, error, match",
    [
        ({"a": 5}, TypeError, "'a' is a builtins.int; simulate and compare run"),
        ({"a": GaussianNB()}, TypeError, "run skal learners .* wrap the estimator"),
        ({1: None}, TypeError, "named by str"),
        (
            {"a": "clf", "b": ActiveLearner(Ridge(), query_strategy="random")},
            ValueError,
            "classifiers and regressors",
        ),
    ],
)
def test_compare_bad_learners(learners, error, match):
    learners = {k: _nb() if v in ("clf", None) else v for k, v in learners.items()}
    with pytest.raises(error, match=match):
        compare(learners, X, y, **SIM)


@pytest.mark.parametrize(
    "change, match",
    [
        ({"budget": 2.5}, "'budget' parameter of label_loop"),  # looped forever
        ({"batch_size": 0}, "'batch_size' parameter of label_loop"),  # stopped
        ({"n_initial": -3}, "'n_initial' parameter of label_loop"),
        ({"oracle": y}, "'oracle' parameter of label_loop"),
        ({"ids": np.zeros(150, int)}, "0 is the id of rows 0 and 1; the journal"),
    ],
)
def test_label_loop_bad_inputs(change, match):
    params = {"oracle": SimulatedOracle(y), "budget": 20, "log": io.StringIO()}
    params.update(change)
    with pytest.raises(ValueError, match=match):
        label_loop(_nb(), X, params.pop("oracle"), **params)


@pytest.mark.parametrize("indices", [[1.5], [-1], [True, False], [500]])
def test_oracles_reject_bad_positions(indices):
    for oracle in (SimulatedOracle(y), NoisyOracle(y, 0.1, random_state=0)):
        with pytest.raises(ValueError, match="positions"):
            oracle.label(indices)


def test_callback_oracle_checks_its_function():
    with pytest.raises(TypeError, match="needs a function"):
        CallbackOracle(5).label([0], X)
    with pytest.raises(ValueError, match="returned no labels"):
        CallbackOracle(lambda rows, idx: 0).label([0], X)


# ------------------------------------------------------------------ datasets
@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: make_pool(y, 5, missing_label=0), ValueError, "fully labeled"),
        (lambda: make_pool(np.array([-1, 0, 1, 1]), 2), ValueError, "fully labeled"),
        (lambda: make_pool(np.array([np.nan, 0, 1.0]), 2), ValueError, "fully"),
        (lambda: make_pool(y.reshape(-1, 1, 1), 2), ValueError, "1-d labels"),
        (lambda: make_pool(y, 5, missing_label=[1]), ValueError, "missing_label"),
        (lambda: make_pool(y, 5, missing_label=True), ValueError, "not a bool"),
        (lambda: make_pool(y, True), ValueError, "'n_labeled' parameter"),
        (lambda: initial_indices(None, 2), ValueError, "'y' parameter"),
        (lambda: initial_indices(y, 2.5), ValueError, "'n_labeled' parameter"),
    ],
)
def test_pool_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ------------------------------------------------------------------ stream
def _stream(**params):
    return StreamActiveLearner(GaussianNB(), random_state=0, **params)


def test_stream_bad_labels():
    yb = (y > 0).astype(int)
    with pytest.raises(ValueError, match="mixes numeric and string"):
        _stream().fit(X[:4], np.array([0, "a", 1, "b"], dtype=object))
    with pytest.raises(ValueError, match="not among the classes"):
        _stream(classes=[0, 1]).fit(X, y)
    with pytest.raises(ValueError, match="hold the missing marker"):
        _stream(classes=[-1, 0, 1]).fit(X, yb)
    assert _stream().fit(X[48:52], [0, np.nan, 1, 1]).n_labeled_ == 3
    with pytest.raises(ValueError, match="utilities must be finite"):
        _stream().fit(X, yb).update(X[:2], [True, False], utilities=[np.nan, 0.1])
    with pytest.raises(ValueError, match="n_initial=1000 is larger"):
        prequential_evaluation(_stream(), X, yb, n_initial=1000)


# ------------------------------------------------------------------ annotators
def test_annotators_bad_labels():
    with pytest.raises(ValueError, match="mixes numeric and string"):
        majority_vote(np.array([[0, "a"], [1, 1]], dtype=object))
    Y = np.full((150, 3), -1)
    Y[:15] = y[:15, None]  # one class labeled: a constant model
    learner = MultiAnnotatorLearner(
        ActiveLearner(LogisticRegression(max_iter=300)), random_state=0
    )
    with pytest.warns(UserWarning, match="Only one class"):
        learner.fit(X, Y)
    with pytest.raises(ValueError, match="must not change type"):
        learner.teach([20], [0], ["a"])
    with pytest.raises(ValueError, match="features"):
        learner.predict(X[:, :2])


# ------------------------------------------------------------------ CLI
@pytest.mark.parametrize(
    "content, target, extra, match",
    [
        ("a,b,t\n1,2,0\n3,oops,1\n5,6,0\n", "t", [], "holds numbers but also"),
        ('a,b\n1,2,3\n"x\n', "a", [], "cannot read"),
        ("t\n0\n1\n", "t", [], "no feature column"),
        ("a,t\n1,0\n2,1\n", "t", ["--n-jobs", "0"], "--n-jobs"),
        ("a,t\n", "t", [], "has no rows of data"),  # was an IndexError
        ("a,t\n1,\n2,\n", "t", [], "column 't' has no label in its 2 rows"),
        ("a,t\n1,0\n2,1\n", "t", ["--seed", "-1"], "--seed: must be an integer"),
        ("a,t\n1,0\n2,1\n", "t", ["--target-score", "nan"], "a finite number"),
        ("a,t\n1,0\n2,1\n", "t", ["--budget", "2.5"], "integer, got '2.5'"),
    ],
)
def test_cli_bad_csv(tmp_path, capsys, content, target, extra, match):
    path = tmp_path / "data.csv"
    path.write_text(content)
    argv = ["compare", "--data", str(path), "--target", target, *extra]
    assert main(argv) == 2
    assert match in capsys.readouterr().err


def test_cli_bad_npz(tmp_path, capsys):
    bad = tmp_path / "mismatch.npz"
    np.savez(bad, X=X, y=y[:-1])
    assert main(["compare", "--data", str(bad)]) == 2
    assert "X has 150 rows but y has 149 labels" in capsys.readouterr().err
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip")
    assert main(["compare", "--data", str(broken)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_cli_unwritable_out(tmp_path, capsys):
    path = tmp_path / "data.csv"
    path.write_text("a,t\n" + "".join(f"{i},{i % 2}\n" for i in range(40)))
    (tmp_path / "file").write_text("")
    argv = [
        "compare",
        "--data",
        str(path),
        "--target",
        "t",
        "--budget",
        "10",
        "--out",
        str(tmp_path / "file" / "out"),
        "--quiet",
    ]
    assert main(argv) == 2
    assert "cannot write to --out" in capsys.readouterr().err


def test_loop_helpers_name_the_parameter_at_fault():
    X, y = load_iris(return_X_y=True)
    kw = {"budget": 20, "batch_size": 5, "n_initial": 5, "progress": False}
    learner = ActiveLearner(LogisticRegression(max_iter=300))
    for stop, message in [
        (TargetScoreStopping(0.9, X_val=X[:10]), "needs both X_val and y_val"),
        (PlateauStopping(y_val=y[:10]), "needs both X_val and y_val"),
        (StabilizingPredictions(X_stop=X[:10, :2]), "X_stop has 2 features, but"),
    ]:
        with pytest.raises(ValueError, match=message):
            simulate(learner, X, y, stopping=stop, **kw)
    for a, b in [([], []), ([1, 2], [1])]:
        with pytest.raises(ValueError, match="two equal-length vectors"):
            kappa(a, b)

    class ModalStyle:  # fit, query and teach, but not a skal learner
        def fit(self, X, y):
            return self

        query = teach = fit

    with pytest.raises(TypeError, match=r"run skal learners .* wrap the estimator"):
        simulate(ModalStyle(), X, y, **kw)
