import warnings

import numpy as np
import pytest
from scipy.optimize import check_grad
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from skal.annotators import AnnotatorLogisticRegression
from skal.annotators._raykar import SoftLogistic, log_label_likelihood

TIGHT = {"tol": 1e-10, "max_iter": 1000, "solver_dict": {"maxiter": 1000}}


def crowd(n=150, n_classes=3, accuracies=(0.9, 0.7, 0.5, 0.4), seed=0):
    """Samples, true classes and a label matrix with NaN where nobody answered."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.argmax(X @ rng.normal(size=(3, n_classes)) + rng.normal(size=(n, 1)), 1)
    right = rng.random((n, len(accuracies))) < accuracies
    wrong = (y[:, None] + rng.integers(1, n_classes, right.shape)) % n_classes
    Y = np.where(right, y[:, None], wrong).astype(float)
    Y[rng.random(Y.shape) < 0.3] = np.nan
    Y[:4] = np.nan  # rows nobody labeled
    return X, y, Y


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"annot_prior_full": 2.0, "annot_prior_diag": [1.0, 0.0, 2.0, 0.5]},
        # the peer's L-BFGS-B restarts each M-step from zeros: 1.5e-6 off at
        # tol=1e-10 (skal's warm start: 1e-9), so tighter
        {"fit_intercept": False, "weights_prior": 0.3, "solver": "L-BFGS-B",
         "tol": 1e-13},
    ],
)  # fmt: skip
@pytest.mark.parametrize("n_classes", [2, 3])
def test_agrees_with_scikit_activeml(kwargs, n_classes):
    pytest.importorskip("skactiveml")
    from skactiveml.classifier.multiannotator import AnnotatorLogisticRegression as P

    X, _, Y = crowd(n_classes=n_classes)
    classes = list(range(n_classes))
    kwargs = {**TIGHT, **kwargs}
    ours = AnnotatorLogisticRegression(classes=classes, **kwargs).fit(X, Y)
    peer = P(classes=classes, **kwargs).fit(X, Y)
    X_test = np.random.default_rng(1).normal(size=(40, 3))
    P_peer, perf = peer.predict_proba(X_test, extra_outputs="annotator_perf")
    np.testing.assert_allclose(ours.predict_proba(X_test), P_peer, atol=1e-6)
    np.testing.assert_allclose(ours.predict_annotator_perf(X_test), perf, atol=1e-6)
    np.testing.assert_allclose(ours.confusion_, peer.Alpha_, atol=1e-6)
    np.testing.assert_array_equal(ours.predict(X_test), peer.predict(X_test))


def test_perfect_annotators_give_identity_and_a_plain_logistic_regression():
    X, y, _ = crowd(n=120, seed=3)
    Y = np.tile(y[:, None], (1, 3)).astype(float)
    Y[::3, 0] = Y[1::3, 1] = np.nan  # every row keeps at least one label
    alr = AnnotatorLogisticRegression(weights_prior=0.5, **TIGHT).fit(X, Y)
    # every annotator always agrees with the posterior: identity, exactly
    np.testing.assert_array_equal(alr.confusion_, np.tile(np.eye(3), (3, 1, 1)))
    plain = LogisticRegression(C=1 / 0.5, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(alr.predict_proba(X), plain.predict_proba(X), atol=1e-6)
    np.testing.assert_allclose(alr.predict_annotator_perf(X), 1.0)


def test_rows_nobody_labeled_do_not_move_the_fit():
    X, _, Y = crowd()
    extra = np.random.default_rng(5).normal(size=(30, 3))
    both = AnnotatorLogisticRegression(**TIGHT).fit(
        np.vstack([X, extra]), np.vstack([Y, np.full((30, 4), np.nan)])
    )
    labeled = (~np.isnan(Y)).any(axis=1)
    alone = AnnotatorLogisticRegression(**TIGHT).fit(X[labeled], Y[labeled])
    np.testing.assert_allclose(both.coef_, alone.coef_, atol=1e-9)
    np.testing.assert_allclose(both.confusion_, alone.confusion_, atol=1e-12)


def test_em_never_decreases_the_log_posterior_and_beats_the_vote():
    X, y, Y = crowd(n=400, n_classes=2, accuracies=(0.9, 0.85, 0.55, 0.5, 0.5))
    alr = AnnotatorLogisticRegression(**TIGHT).fit(X, Y)
    assert np.all(np.diff(alr.log_posterior_) > -1e-8) and alr.n_iter_ > 2
    # the good annotators are found: their diagonal is higher
    accuracy = np.diagonal(alr.confusion_, axis1=1, axis2=2).mean(axis=1)
    assert accuracy[:2].min() > 0.8 > 0.6 > accuracy[2:].max()
    assert np.mean(alr.predict(X) == y) > 0.9


def test_e_step_likelihood_and_gradients_by_brute_force():
    rng = np.random.default_rng(0)
    conf = rng.dirichlet(np.ones(3), size=(2, 3))
    codes = np.array([[0, 2], [-1, 1], [-1, -1]])
    want = np.array(
        [[conf[0, k, 0] * conf[1, k, 2], conf[1, k, 1], 1.0] for k in range(3)]
    ).T
    np.testing.assert_allclose(np.exp(log_label_likelihood(codes, np.log(conf))), want)
    X = np.hstack([np.ones((6, 1)), rng.normal(size=(6, 2))])
    objective = SoftLogistic(X, rng.dirichlet(np.ones(3), 6), 0.7, True)
    w, v = rng.normal(size=9), rng.normal(size=9)
    assert check_grad(lambda w: objective.loss_grad(w)[0],
                      lambda w: objective.loss_grad(w)[1], w) < 1e-6  # fmt: skip
    eps = 1e-6
    numeric = (objective.loss_grad(w + eps * v)[1] - objective.loss_grad(w)[1]) / eps
    np.testing.assert_allclose(objective.hessp(w, v), numeric, atol=1e-4)


def test_no_label_at_all_with_classes_is_the_prior():
    X = np.zeros((3, 2))
    alr = AnnotatorLogisticRegression(classes=["a", "b"], annot_prior_diag=2.0)
    alr.set_params(missing_label=None).fit(X, np.full((3, 2), None, dtype=object))
    np.testing.assert_allclose(alr.predict_proba(X), 0.5)
    np.testing.assert_allclose(alr.confusion_[0], [[1.0, 0.0], [0.0, 1.0]])
    assert alr.n_iter_ == 0 and alr.classes_.tolist() == ["a", "b"]


def test_cost_matrix_and_text_classes():
    X, _, Y = crowd(n_classes=2)
    text = np.where(np.isnan(Y), "", np.where(Y == 1, "yes", "no"))
    alr = AnnotatorLogisticRegression(missing_label="").fit(X, text)
    P = alr.predict_proba(X)
    assert alr.classes_.tolist() == ["no", "yes"]
    np.testing.assert_array_equal(alr.predict(X), alr.classes_[P.argmax(1)])
    costly = clone(alr).set_params(classes=["yes", "no"], cost_matrix=[[0, 9], [1, 0]])
    # missing a "yes" costs 9: predict "yes" from P(yes) > 0.1
    pred = costly.fit(X, text).predict(X)
    np.testing.assert_array_equal(pred == "yes", P[:, 1] > 0.1)


@pytest.mark.parametrize(
    "X, Y, kwargs, error, message",
    [
        (np.zeros((3, 1)), [0, 1, 0], {}, ValueError, r"shape \(n_samples, n_ann"),
        (np.zeros((2, 1)), [[np.nan], [np.nan]], {}, ValueError, "holds no label"),
        (np.zeros((2, 1)), [[0], [5]], {"classes": [0, 1]}, ValueError, r"\[5\]"),
        ([[0.0], [np.nan]], [[0], [1]], {}, ValueError, "NaN"),
        (np.zeros((2, 1)), [[0, 1], [1, 0]], {"n_annotators": 3}, ValueError,
         "n_annotators=3 but y has 2"),
        (np.zeros((3, 1)), [[0], [1]], {}, ValueError, "3 rows but y has 2"),
        (np.zeros((2, 1)), [[0], [1]], {"annot_prior_full": [0.5]}, ValueError,
         "must be >= 1"),
        (np.zeros((2, 1)), [[0], [1]], {"annot_prior_diag": [1, 2]}, ValueError,
         "one finite number per annotator"),
        (np.zeros((2, 1)), [[0], [1]], {"cost_matrix": np.ones((3, 3))}, ValueError,
         r"\(2, 2\) array"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_clearly(X, Y, kwargs, error, message):
    with pytest.raises(error, match=message):
        AnnotatorLogisticRegression(**kwargs).fit(X, Y)


def test_predict_checks_the_features():
    alr = AnnotatorLogisticRegression().fit(np.eye(2), [[0], [1]])
    with pytest.raises(ValueError, match="2 features"):
        alr.predict_proba(np.zeros((1, 3)))


def test_scikit_learn_citizenship():
    from sklearn.utils.estimator_checks import (
        check_get_params_invariance,
        check_no_attributes_set_in_init,
        check_param_validation,
    )

    # parametrize_with_checks passes a 1-D y, which this estimator refuses
    est = AnnotatorLogisticRegression(tol=1e-3, classes=[0, 1])
    name = type(est).__name__
    check_no_attributes_set_in_init(name, est)
    check_get_params_invariance(name, est)
    check_param_validation(name, est)
    twin = clone(est).set_params(weights_prior=2.0)
    assert twin.get_params()["weights_prior"] == 2.0 and est.weights_prior == 1
    assert AnnotatorLogisticRegression._annotator_matrix is True


def test_benchmark_runs_and_both_sides_agree(tmp_path, capsys, monkeypatch):
    pytest.importorskip("skactiveml")
    import importlib.util
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "benchmarks"
    monkeypatch.syspath_prepend(str(path))  # it imports a sibling's helper
    spec = importlib.util.spec_from_file_location(
        "bench_annotator_logistic", path / "bench_annotator_logistic.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    argv = ["--n-train", "300", "--n-pool", "500", "--repeats", "1"]
    bench.main([*argv, "--out", str(tmp_path)])
    result = json.loads((tmp_path / "bench_annotator_logistic.json").read_text())
    assert result["max_abs_difference"] < 1e-3 and result["n_train"] == 300
    assert result["skal"]["n_iter"] > 1 and result["limit"]["accuracy"] > 0.5
    assert "skal" in capsys.readouterr().out


def test_every_solver_reaches_the_same_model():
    from skal.annotators._raykar import SOLVERS

    X, _, Y = crowd(n=80)
    ref = AnnotatorLogisticRegression(tol=1e-8, max_iter=500).fit(X, Y)
    ref = ref.predict_proba(X)
    for solver in sorted(SOLVERS):  # TNC's default options have no maxiter
        alr = AnnotatorLogisticRegression(solver=solver, tol=1e-8, max_iter=500)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            P = alr.fit(X, Y).predict_proba(X)
        np.testing.assert_allclose(P, ref, atol=1e-6, err_msg=solver)
