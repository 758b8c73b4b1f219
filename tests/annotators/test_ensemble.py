"""AnnotatorEnsembleClassifier: by hand, against scikit-activeml, bad input, params."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier

from skal.annotators import AnnotatorEnsembleClassifier


def _members(model, n):
    return [(f"a{j}", clone(model)) for j in range(n)]


def _problem(n_annotators=4, seed=0):
    """Three classes; annotators label 30-70 % of the rows, flipping some; the
    last one labels 6 rows only."""
    X, y = make_classification(
        300, n_features=4, n_informative=3, n_redundant=0, n_classes=3,
        random_state=seed,
    )  # fmt: skip
    rng = np.random.RandomState(seed)
    Y = np.tile(y[:, None], (1, n_annotators)).astype(float)
    flip = rng.rand(*Y.shape) < np.linspace(0.0, 0.4, n_annotators)
    Y[flip] = rng.randint(3, size=flip.sum())
    Y[rng.rand(*Y.shape) < rng.uniform(0.3, 0.7, n_annotators)] = np.nan
    few = rng.choice(len(y), 6, replace=False)
    Y[:, -1] = np.nan
    Y[few, -1] = [0, 1, 2, 0, 1, 2]
    return X, Y


# ---------------------------------------------------------------- by hand
X_HAND = np.array([[0.0], [1.0], [2.0], [3.0]])
Y_HAND = np.array([[0, 0, 1], [0, 1, np.nan], [1, 1, 0], [1, np.nan, 1]])
X_TEST = np.array([[0.0], [1.1], [2.0], [3.0]])
# 1-NN members: a says 0, 0, 1, 1; b 0, 1, 1, 1; c (labels at 0, 2, 3) 1, 0, 0, 1
P_HAND = np.array([[2, 1], [2, 1], [1, 2], [0, 3]]) / 3


@pytest.mark.parametrize("voting", ["hard", "soft"])
def test_three_annotators_majority_by_hand(voting):
    ens = AnnotatorEnsembleClassifier(
        _members(KNeighborsClassifier(1), 3), voting=voting
    ).fit(X_HAND, Y_HAND)
    np.testing.assert_allclose(ens.predict_proba(X_TEST), P_HAND)
    assert ens.predict(X_TEST).tolist() == [0, 0, 1, 1]
    assert ens.classes_.tolist() == [0, 1]
    assert ens.n_labels_.tolist() == [4, 3, 3]
    assert ens._annotator_matrix is True


def test_cost_matrix_least_expected_cost_by_hand():
    # predicting 0 for a 1 costs 3: class 0 wins only where P(0) > 3 P(1)
    ens = AnnotatorEnsembleClassifier(
        _members(KNeighborsClassifier(1), 3), cost_matrix=[[0, 1], [3, 0]]
    ).fit(X_HAND, Y_HAND)
    # expected costs [3 P1, P0]: [1, 2/3], [1, 2/3], [2, 1/3], [3, 0]
    assert ens.predict(X_TEST).tolist() == [1, 1, 1, 1]
    np.testing.assert_allclose(ens.cost_matrix_, [[0, 1], [3, 0]])


def test_tie_goes_to_first_class_and_string_labels():
    Y = np.array([["cat", "dog"], ["cat", "dog"], [None, "dog"]], dtype=object)
    ens = AnnotatorEnsembleClassifier(
        _members(KNeighborsClassifier(1), 2), missing_label=None
    ).fit(np.zeros((3, 1)), Y)
    np.testing.assert_allclose(ens.predict_proba([[0.0]]), [[0.5, 0.5]])
    assert ens.predict([[0.0]]).tolist() == ["cat"]


def test_soft_is_the_mean_of_members_fitted_by_hand():
    X, Y = _problem()
    ens = AnnotatorEnsembleClassifier(_members(GaussianNB(), 4), voting="soft").fit(
        X, Y
    )
    P = np.zeros((len(X), 3))
    for j in range(4):
        rows = ~np.isnan(Y[:, j])
        P += GaussianNB().fit(X[rows], Y[rows, j]).predict_proba(X)
    np.testing.assert_allclose(ens.predict_proba(X), P / 4)


def test_single_class_annotator_predicts_it():
    Y = np.array([[0, 1], [1, 1], [0, np.nan], [1, 1]])
    ens = AnnotatorEnsembleClassifier(
        _members(LogisticRegression(), 2), voting="soft"
    ).fit(X_HAND, Y)
    assert isinstance(ens.estimators_[1], DummyClassifier)
    P0 = ens.estimators_[0].predict_proba(X_TEST)
    np.testing.assert_allclose(ens.predict_proba(X_TEST), (P0 + [0, 1]) / 2)


def test_sample_weight_reaches_members():
    X, Y = _problem()
    w = np.random.RandomState(1).uniform(0.1, 3, Y.shape)
    ens = AnnotatorEnsembleClassifier(_members(GaussianNB(), 4), voting="soft").fit(
        X, Y, sample_weight=w
    )
    rows = ~np.isnan(Y[:, 0])
    member = GaussianNB().fit(X[rows], Y[rows, 0], sample_weight=w[rows, 0])
    np.testing.assert_allclose(ens.estimators_[0].theta_, member.theta_)
    with pytest.raises(ValueError, match="sample_weight must have the shape"):
        ens.fit(X, Y, sample_weight=w[:, :2])
    knn = AnnotatorEnsembleClassifier(_members(KNeighborsClassifier(), 4))
    with pytest.raises(TypeError, match="takes no sample_weight"):
        knn.fit(X, Y, sample_weight=w)


# ------------------------------------------------------- the peer's model
@pytest.mark.parametrize("model", [GaussianNB(), LogisticRegression()])
@pytest.mark.parametrize("voting", ["hard", "soft"])
def test_agrees_with_scikit_activeml(model, voting):
    multi = pytest.importorskip("skactiveml.classifier.multiannotator")
    from skactiveml.classifier import SklearnClassifier

    X, Y = _problem()
    ours = AnnotatorEnsembleClassifier(_members(model, 4), voting=voting).fit(X, Y)
    peer = multi.AnnotatorEnsembleClassifier(
        [(f"a{j}", SklearnClassifier(clone(model))) for j in range(4)],
        voting=voting,
        random_state=0,
    ).fit(X, Y)
    P = ours.predict_proba(X)
    np.testing.assert_allclose(P, peer.predict_proba(X), atol=1e-10)
    top = np.sort(P, axis=1)
    clear = top[:, -1] > top[:, -2]  # the peer breaks ties at random
    assert clear.mean() > 0.7
    np.testing.assert_array_equal(ours.predict(X)[clear], peer.predict(X)[clear])


def test_annotator_without_label_abstains_peer_counts_it_uniform():
    multi = pytest.importorskip("skactiveml.classifier.multiannotator")
    from skactiveml.classifier import SklearnClassifier

    X, Y = _problem()
    Y[:, 1] = np.nan
    ours = AnnotatorEnsembleClassifier(_members(GaussianNB(), 4), voting="soft")
    ours.fit(X, Y)
    assert ours.estimators_[1] is None and ours.n_labels_[1] == 0
    without = AnnotatorEnsembleClassifier(_members(GaussianNB(), 3), voting="soft")
    P = ours.predict_proba(X)
    np.testing.assert_allclose(P, without.fit(X, Y[:, [0, 2, 3]]).predict_proba(X))
    peer = multi.AnnotatorEnsembleClassifier(
        [(f"a{j}", SklearnClassifier(GaussianNB())) for j in range(4)],
        voting="soft",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "could not be fitted"
        P_peer = peer.fit(X, Y).predict_proba(X)
    # the peer's empty member adds 1/3 to every class: (3 P + 1/3) / 4
    np.testing.assert_allclose(P_peer, (3 * P + 1 / 3) / 4)


# -------------------------------------------------------------- bad input
def test_bad_input_is_refused_clearly():
    X, Y = _problem(3)
    ens = AnnotatorEnsembleClassifier(_members(GaussianNB(), 3))
    with pytest.raises(ValueError, match="2-D array of shape"):
        ens.fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="3 annotator columns but estimators lists 2"):
        AnnotatorEnsembleClassifier(_members(GaussianNB(), 2)).fit(X, Y)
    with pytest.raises(ValueError, match="holds no label"):
        ens.fit(X, np.full(Y.shape, np.nan))
    with pytest.raises(ValueError, match="one row per sample"):
        ens.fit(X[:-1], Y)
    X_nan = X.copy()
    X_nan[5, 0] = np.nan
    with pytest.raises(ValueError, match="contains NaN"):
        ens.fit(X_nan, Y)
    ens.fit(X, Y)
    with pytest.raises(ValueError, match="contains NaN"):
        ens.predict_proba(X_nan)
    with pytest.raises(ValueError, match="voting"):
        AnnotatorEnsembleClassifier(_members(GaussianNB(), 3), voting="max").fit(X, Y)
    with pytest.raises(ValueError, match="list of \\(name, estimator\\) tuples"):
        AnnotatorEnsembleClassifier([GaussianNB()] * 3).fit(X, Y)
    with pytest.raises(ValueError, match="unique"):
        AnnotatorEnsembleClassifier([("a", GaussianNB())] * 3).fit(X, Y)
    with pytest.raises(TypeError, match="has no predict_proba"):
        AnnotatorEnsembleClassifier(_members(RidgeClassifier(), 3), voting="soft").fit(
            X, Y
        )
    with pytest.raises(ValueError, match="not in classes"):
        AnnotatorEnsembleClassifier(_members(GaussianNB(), 3), classes=[0, 1]).fit(X, Y)
    with pytest.raises(ValueError, match="cost_matrix must be a \\(3, 3\\)"):
        AnnotatorEnsembleClassifier(
            _members(GaussianNB(), 3), cost_matrix=np.ones((2, 2))
        ).fit(X, Y)


def test_nan_in_X_passes_to_members_that_take_it():
    X, Y = _problem(3)
    X[::7, 0] = np.nan
    ens = AnnotatorEnsembleClassifier(
        _members(HistGradientBoostingClassifier(max_iter=5), 3), voting="soft"
    ).fit(X, Y)
    assert ens.__sklearn_tags__().input_tags.allow_nan
    assert np.isfinite(ens.predict_proba(X)).all()


def test_classes_given_add_an_unlabeled_class():
    Y = np.array([[0, 0], [0, 1], [1, 1], [1, np.nan]])
    ens = AnnotatorEnsembleClassifier(
        _members(KNeighborsClassifier(1), 2), classes=[2, 1, 0], voting="soft"
    ).fit(X_HAND, Y)
    assert ens.classes_.tolist() == [0, 1, 2]
    P = ens.predict_proba(X_TEST)
    assert P.shape == (4, 3) and not P[:, 2].any()


# ------------------------------------------------------------------ params
def test_clone_get_params_set_params_nested():
    ens = AnnotatorEnsembleClassifier(
        [("ann", GaussianNB()), ("bob", LogisticRegression(C=1.0))], voting="soft"
    )
    params = ens.get_params(deep=True)
    assert params["bob__C"] == 1.0 and params["ann__var_smoothing"] == 1e-9
    assert params["voting"] == "soft" and "ann" in params
    assert "bob__C" not in ens.get_params(deep=False)
    ens.set_params(bob__C=0.01, voting="hard")
    assert ens.estimators[1][1].C == 0.01 and ens.voting == "hard"
    ens.set_params(ann=KNeighborsClassifier(1))
    assert isinstance(ens.estimators[0][1], KNeighborsClassifier)
    twin = clone(ens)
    assert twin.get_params()["bob__C"] == 0.01
    assert twin.estimators[1][1] is not ens.estimators[1][1]
    assert not hasattr(twin, "estimators_")
    twin.fit(X_HAND, Y_HAND[:, :2])
    assert twin.named_estimators_["bob"].C == 0.01
    assert ens.estimators[1][1].__dict__.get("coef_") is None  # not fitted in place
