"""ParzenWindowClassifier: scikit-activeml's numbers, chunking, weights, errors."""

import ast
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_breast_cancer, load_iris, make_blobs
from sklearn.preprocessing import StandardScaler

from skal.estimators import (
    MixtureModelClassifier,
    ParzenWindowClassifier,
    _parzen,
    mean_gamma,
)


def _iris():
    X, y = load_iris(return_X_y=True)
    return X[::4], y[::4], X


def _cancer():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return X[::6], y[::6], X


def _blobs_text():
    X, y = make_blobs(300, centers=4, cluster_std=2.0, random_state=1)
    names = np.array(["d", "b", "c", "a"])[y]
    return X[::5], names[::5], X


CASES = {
    "iris, default rbf": (_iris, {}, {}),
    "iris, gamma 0.5, prior 1": (_iris, {"metric_dict": {"gamma": 0.5}}, {}),
    "cancer, laplacian, prior array": (
        _cancer,
        {"metric": "laplacian", "metric_dict": {"gamma": 0.05}},
        {"class_prior": [0.3, 2.0]},
    ),
    "cancer, 7 neighbours": (_cancer, {"n_neighbors": 7}, {"class_prior": 1e-3}),
    "blobs, text labels, an unseen class": (
        _blobs_text,
        {"metric": "laplacian"},
        {"classes": ["d", "a", "c", "b", "e"], "class_prior": 0.1},
        {"missing_label": ""},
    ),
    "blobs, cost matrix": (
        _blobs_text,
        {"metric_dict": {"gamma": 0.2}},
        {
            "classes": ["d", "b", "c", "a"],
            "cost_matrix": [[0, 1, 1, 1], [4, 0, 1, 1], [1, 1, 0, 1], [2, 1, 1, 0]],
        },
        {"missing_label": ""},
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_same_numbers_as_skactiveml(case):
    classifier = pytest.importorskip("skactiveml.classifier")
    data, kernel, others, *marker = CASES[case]
    X_train, y_train, X = data()
    ours = ParzenWindowClassifier(**kernel, **others).fit(X_train, y_train)
    theirs = classifier.ParzenWindowClassifier(
        **kernel, **others, **(marker[0] if marker else {}), random_state=0
    )
    theirs.fit(X_train, y_train)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    F, P = ours.predict_freq(X), ours.predict_proba(X)
    np.testing.assert_allclose(F, theirs.predict_freq(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(P, theirs.predict_proba(X), rtol=1e-12, atol=1e-12)
    # theirs breaks ties at random: compare where the best cost is unique
    costs = np.sort(P @ ours.cost_matrix_, axis=1)
    unique = costs[:, 1] - costs[:, 0] > 1e-9
    assert unique.mean() > 0.5
    np.testing.assert_array_equal(ours.predict(X)[unique], theirs.predict(X)[unique])
    assert ours.score(X_train, y_train) > 0.5


def test_sample_weight_as_skactiveml_and_as_repeated_rows():
    classifier = pytest.importorskip("skactiveml.classifier")
    X_train, y_train, X = _iris()
    w = np.random.RandomState(0).randint(0, 4, len(y_train)).astype(float)
    ours = ParzenWindowClassifier(metric_dict={"gamma": 0.5}).fit(X_train, y_train, w)
    theirs = classifier.ParzenWindowClassifier(metric_dict={"gamma": 0.5})
    theirs.fit(X_train, y_train, sample_weight=w)
    np.testing.assert_allclose(ours.predict_freq(X), theirs.predict_freq(X), rtol=1e-12)
    repeat = np.repeat(np.arange(len(y_train)), w.astype(int))
    mean = {"metric_dict": {"gamma": "mean"}}  # its bandwidth too counts a weight twice
    weighted = ParzenWindowClassifier(**mean).fit(X_train, y_train, w)
    repeated = ParzenWindowClassifier(**mean).fit(X_train[repeat], y_train[repeat])
    np.testing.assert_allclose(
        weighted.predict_proba(X), repeated.predict_proba(X), rtol=1e-12
    )


def test_sparse_rows_give_the_dense_numbers():
    X_train, y_train, X = _cancer()
    X_train, X = (
        np.where(np.abs(X_train) < 0.5, 0, X_train),
        np.where(np.abs(X) < 0.5, 0, X),
    )
    for kernel in ({}, {"metric": "laplacian"}, {"metric_dict": {"gamma": "mean"}}):
        dense = ParzenWindowClassifier(**kernel, class_prior=1).fit(X_train, y_train)
        sparse = ParzenWindowClassifier(**kernel, class_prior=1)
        sparse.fit(sp.csr_matrix(X_train), y_train)
        np.testing.assert_allclose(
            sparse.predict_proba(sp.csr_matrix(X)), dense.predict_proba(X), rtol=1e-10
        )


def test_mean_gamma_is_skactivemls_bandwidth():
    classifier = pytest.importorskip("skactiveml.classifier")
    X_train, _, _ = _cancer()
    theirs = classifier.ParzenWindowClassifier._calculate_mean_gamma(
        len(X_train), np.var(X_train, axis=0), X_train.shape[1]
    )
    assert mean_gamma(X_train) == pytest.approx(theirs, rel=1e-12)
    assert mean_gamma(sp.csr_matrix(X_train)) == pytest.approx(theirs, rel=1e-12)
    # by hand: N = 3, var = 2/3, gamma = 2 log(2 / 2e-12) / (4 * 3 * 2/3)
    by_hand = 2 * np.log(2 / 2e-12) / 8
    assert mean_gamma(np.array([[0.0], [1.0], [2.0]])) == pytest.approx(by_hand)
    assert mean_gamma(np.ones((4, 2))) == 0.5  # constant features: 1 / n_features


def test_chunks_give_the_one_pass_numbers(monkeypatch):
    X_train, y_train, X = _cancer()
    for k in (None, 5):
        pwc = ParzenWindowClassifier(n_neighbors=k).fit(X_train, y_train)
        whole = pwc.predict_freq(X)
        monkeypatch.setattr(_parzen, "_KERNEL_ENTRIES", 7 * len(X_train) + 3)
        np.testing.assert_allclose(pwc.predict_freq(X), whole, rtol=1e-14)
        monkeypatch.undo()


def test_no_label_near_is_uniform_and_ties_take_the_first_class():
    pwc = ParzenWindowClassifier(metric_dict={"gamma": 10.0}, classes=[2, 0, 1])
    pwc.fit([[0.0], [1.0]], [1, 2])
    np.testing.assert_allclose(pwc.predict_proba([[50.0]]), [[1 / 3] * 3])
    assert pwc.predict([[50.0], [0.5], [0.9]]).tolist() == [0, 1, 2]
    np.testing.assert_allclose(pwc.predict_freq([[0.0]]), [[0, 1, np.exp(-10)]])


def test_bad_input_gets_a_clear_error():
    X, y = [[0.0], [1.0], [2.0]], [0, 1, 1]
    with pytest.raises(ValueError, match="labeled rows only.*missing_label"):
        ParzenWindowClassifier().fit(X, [0, np.nan, 1])
    with pytest.raises(ValueError, match=r"labels \[1\] that are not in classes"):
        ParzenWindowClassifier(classes=[0, 2]).fit(X, y)
    with pytest.raises(ValueError, match="class_prior must be .* 2 non-negative"):
        ParzenWindowClassifier(class_prior=[1, 2, 3]).fit(X, y)
    with pytest.raises(ValueError, match="class_prior must be"):
        ParzenWindowClassifier(class_prior=[1, -2]).fit(X, y)
    with pytest.raises(ValueError, match=r"cost_matrix must be a \(2, 2\) array"):
        ParzenWindowClassifier(cost_matrix=np.ones((3, 3))).fit(X, y)
    with pytest.raises(ValueError, match="only named gamma is 'mean'"):
        ParzenWindowClassifier("laplacian", {"gamma": "mean"}).fit(X, y)
    with pytest.raises(ValueError, match="'metric' parameter of ParzenWindow"):
        ParzenWindowClassifier("gaussian").fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        ParzenWindowClassifier().fit(X, [0.5, 1.5, 2.5])
    with pytest.raises(ValueError, match="sample_weight"):
        ParzenWindowClassifier().fit(X, y, sample_weight=[1, -1, 1])
    X_train, y_train, X_all = _blobs_text()  # features of both signs
    pwc = ParzenWindowClassifier("cosine").fit(X_train, y_train)
    assert (pwc.predict_freq(X_all) < 0).any()
    with pytest.raises(ValueError, match="'cosine' gave negative class freq"):
        pwc.predict_proba(X_all)
    with pytest.raises(ValueError, match=r"not fit the kernel 'rbf'.*\['gamma'\]"):
        ParzenWindowClassifier(metric_dict={"degree": 2}).fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features"):
        ParzenWindowClassifier().fit(X, y).predict([[0.0, 1.0]])


def test_the_estimators_import_no_higher_layer():
    root = Path(_parzen.__file__).parent
    imported = set()
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                imported.add("." * node.level + (node.module or ""))
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert "..utils" in imported  # the walk sees the relative imports
    higher = ("learners", "strategies", "loop", "annotators", "stream", "torch")
    for name in imported:
        parts = name.lstrip(".").split(".")
        relative_up = name.startswith("..")
        assert not (relative_up and parts[0] in higher), name
        assert not (parts[0] == "skal" and len(parts) > 1 and parts[1] in higher), name


@pytest.mark.parametrize(
    "metric_dict, error, match",
    [
        ({"gamma": 0}, ValueError, r"gamma=0 with metric='rbf' must be a finite"),
        ({"gamma": -1.0}, ValueError, r"gamma=-1.0 .* finite number > 0"),
        ({"gamma": np.nan}, ValueError, r"gamma=nan .* finite number > 0"),
        ({"gamma": [1.0]}, TypeError, r"gamma=\[1.0\] must be a number, got list"),
    ],
)
def test_bad_gamma_is_refused_not_a_nan_or_growing_kernel(metric_dict, error, match):
    from skal.estimators import NICKernelRegressor

    X, y = [[0.0], [1.0], [2.0]], [0, 0, 1]
    with pytest.raises(error, match=match):
        ParzenWindowClassifier(metric_dict=metric_dict).fit(X, y)
    with pytest.raises(error, match=match):
        NICKernelRegressor(metric_dict=metric_dict).fit(X, [0.0, 1.0, 2.0])


def test_poly_coef0_must_be_finite_but_may_be_negative():
    X, y = [[0.0], [1.0], [2.0]], [0, 0, 1]
    with pytest.raises(ValueError, match=r"coef0=inf with metric='poly'"):
        ParzenWindowClassifier("poly", {"coef0": np.inf}).fit(X, y)
    pwc = ParzenWindowClassifier("sigmoid", {"gamma": -0.5, "coef0": 1.0}).fit(X, y)
    assert pwc.metric_dict_ == {"gamma": -0.5, "coef0": 1.0}


def test_classes_with_repeats_or_mixed_types_are_refused():
    X, y = [[0.0], [1.0], [2.0]], [0, 0, 1]
    with pytest.raises(ValueError, match=r"classes=\[1, 0, 1\] must list each class"):
        ParzenWindowClassifier(classes=[1, 0, 1], cost_matrix=1 - np.eye(3)).fit(X, y)
    with pytest.raises(TypeError, match=r"cannot be sorted together"):
        ParzenWindowClassifier(classes=[0, 1, None]).fit(X, y)
    pwc = ParzenWindowClassifier(classes=[1, 0], cost_matrix=[[0, 1], [5, 0]])
    np.testing.assert_array_equal(pwc.fit(X, y).cost_matrix_, [[0, 5], [1, 0]])


def test_mean_gamma_checks_its_input():
    assert mean_gamma([[0.0], [1.0], [2.0]]) == pytest.approx(6.9078, abs=1e-4)
    assert mean_gamma(sp.coo_matrix([[0.0], [1.0], [2.0]])) == pytest.approx(
        6.9078, abs=1e-4
    )
    with pytest.raises(ValueError, match="Input X contains NaN"):
        mean_gamma(np.array([[0.0], [np.nan]]))
    with pytest.raises(
        ValueError, match=r"sample_weight.shape == \(3,\), expected \(2,\)"
    ):
        mean_gamma(np.array([[0.0], [1.0]]), [1, 2, 3])
    with pytest.raises(
        ValueError, match="Negative values in data passed to `sample_weight`"
    ):
        mean_gamma(np.array([[0.0], [1.0]]), [-1, 2])


def test_an_overflowing_kernel_is_refused_not_nan_probabilities():
    from skal.estimators import NICKernelRegressor

    X, y = [[10.0], [20.0], [30.0]], [0, 0, 1]
    match = r"The kernel 'poly' gave NaN or infinite values"
    with pytest.raises(ValueError, match=match):
        ParzenWindowClassifier("poly", {"degree": 300}).fit(X, y).predict_proba(X)
    with pytest.raises(ValueError, match=match):
        NICKernelRegressor("poly", {"degree": 300}).fit(X, [0.0, 1, 2]).predict(X)
    with pytest.raises(ValueError, match="gave NaN or infinite values"):
        ParzenWindowClassifier(lambda a, b: np.nan).fit(X, y).predict_proba(X)


def test_an_all_zero_cost_matrix_is_refused():
    from skal.estimators import MixtureModelClassifier

    X, y = [[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]
    with pytest.raises(ValueError, match="cost_matrix is all zero"):
        ParzenWindowClassifier(cost_matrix=np.zeros((2, 2))).fit(X, y)
    with pytest.raises(ValueError, match="cost_matrix is all zero"):
        MixtureModelClassifier(cost_matrix=np.zeros((2, 2))).fit(X, y)


def test_numpy_scalar_kernel_parameters_are_numbers():
    X, y = [[0.0], [1.0]], [0, 1]
    for gamma in (np.float32(0.5), np.array(0.5)):
        pwc = ParzenWindowClassifier(metric_dict={"gamma": gamma}).fit(X, y)
        np.testing.assert_allclose(
            pwc.predict_proba(X)[:, 0],
            [1 / (1 + np.exp(-0.5)), 1 - 1 / (1 + np.exp(-0.5))],
        )
    with pytest.raises(ValueError, match=r"gamma=-1.0 with metric='rbf'"):
        ParzenWindowClassifier(metric_dict={"gamma": np.array(-1.0)}).fit(X, y)


@pytest.mark.parametrize(
    "estimator, name",
    [
        (ParzenWindowClassifier(class_prior=True), "class_prior"),
        (ParzenWindowClassifier(n_neighbors=True), "n_neighbors"),
        (MixtureModelClassifier(class_prior=True), "class_prior"),
    ],
)
def test_bools_are_no_prior_or_count(estimator, name):
    # True ran as a prior of 1 and as one neighbour
    X, y = load_iris(return_X_y=True)
    with pytest.raises(ValueError, match=f"'{name}' parameter of"):
        estimator.fit(X, y)
