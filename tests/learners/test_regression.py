"""Active learning for regression: std sampling, greedy sampling, committees."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_diabetes, load_iris
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF
from sklearn.linear_model import (
    BayesianRidge,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from sklearn.metrics import pairwise_distances
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

from skal import ActiveLearner, CommitteeRegressor
from skal.strategies import GreedySampling, StdSampling

NAN = np.nan


def _learner(estimator, strategy, **kwargs):
    return ActiveLearner(
        estimator, query_strategy=strategy, missing_label=NAN, **kwargs
    )


def test_gp_std_query_picks_the_point_farthest_from_the_data():
    X = np.linspace(0, 10, 21).reshape(-1, 1)
    y = np.full(21, NAN)
    y[4:9] = np.sin(X[4:9, 0])  # labels on [2, 4]
    gp = GaussianProcessRegressor(RBF(1.0), optimizer=None)
    learner = _learner(gp, "std", batch_size=2).fit(X, y)
    idx, scores = learner.query(return_scores=True)
    assert idx[0] == 20  # x = 10 is the farthest from [2, 4]
    _, std = learner.estimator_.predict(X[idx], return_std=True)
    np.testing.assert_allclose(scores, std)


def test_bayesian_ridge_std_prefers_the_extremes():
    X = np.linspace(-5, 5, 11).reshape(-1, 1)
    y = np.full(11, NAN)
    y[4:7] = 2 * X[4:7, 0]
    learner = _learner(BayesianRidge(), "std").fit(X, y)
    assert learner.query().tolist()[0] in (0, 10)


def test_gsx_picks_the_farthest_point_in_input_space():
    X = np.array([[0, 0], [1, 0], [0, 3], [4, 4], [2, 1]], dtype=float)
    y = np.array([0.0, 1.0, NAN, NAN, NAN])
    learner = _learner(Ridge(), "gsx", batch_size=3).fit(X, y)
    idx, scores = learner.query(return_scores=True)
    # (4,4) is 5 from (1,0); then (0,3) is 3 from (0,0); then (2,1) is sqrt 2.
    assert idx.tolist() == [3, 2, 4]
    np.testing.assert_allclose(scores, [5.0, 3.0, np.sqrt(2)])


def test_gsx_batch_equals_brute_force_greedy():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    y = np.full(300, NAN)
    y[:5] = rng.normal(size=5)
    idx, scores = (
        _learner(Ridge(), "gsx", batch_size=6).fit(X, y).query(return_scores=True)
    )
    ref, chosen = list(range(5)), []
    for _ in range(6):
        d = pairwise_distances(X, X[ref]).min(axis=1)
        d[ref] = -1
        chosen.append(int(d.argmax()))
        ref.append(chosen[-1])
    np.testing.assert_array_equal(idx, chosen)
    assert np.all(np.diff(scores) <= 1e-12)
    sparse = _learner(Ridge(), "gsx", batch_size=6).fit(sp.csr_matrix(X), y)
    idx_sparse, scores_sparse = sparse.query(return_scores=True)
    np.testing.assert_array_equal(idx_sparse, chosen)
    np.testing.assert_allclose(scores_sparse, scores)


def test_gsy_and_igs_on_a_hand_example():
    # LinearRegression learns f(x) = 2x from (0, 0) and (1, 2).
    X = np.array([[0.0], [1.0], [1.5], [3.0], [-1.0]])
    y = np.array([0.0, 2.0, NAN, NAN, NAN])
    gsy = _learner(LinearRegression(), "gsy", batch_size=3).fit(X, y)
    idx, scores = gsy.query(return_scores=True)
    # f = 3, 6, -2: output gaps 1, 4, 2; after 6 joins, -2 keeps gap 2.
    assert idx.tolist() == [3, 4, 2]
    np.testing.assert_allclose(scores, [4.0, 2.0, 1.0])
    igs = _learner(LinearRegression(), "igs", batch_size=3).fit(X, y)
    idx, scores = igs.query(return_scores=True)
    # |x - x_m| |f - y_m| = 2 (x - x_m)^2: 0.5, 8, 2.
    assert idx.tolist() == [3, 4, 2]
    np.testing.assert_allclose(scores, [8.0, 2.0, 0.5])


def test_gsx_measures_distances_after_the_pipeline_transform():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(40, 2)) * [1.0, 1000.0]
    y = np.full(40, NAN)
    y[:4] = X[:4, 0]
    learner = _learner(make_pipeline(StandardScaler(), Ridge()), "gsx").fit(X, y)
    idx, score = learner.query(return_scores=True)
    Z = learner.estimator_[0].transform(X)
    d = pairwise_distances(Z[4:], Z[:4]).min(axis=1)
    assert idx[0] == 4 + d.argmax()
    np.testing.assert_allclose(score, d.max())


def test_committee_regressor_std_is_the_members_spread():
    X, y = load_diabetes(return_X_y=True)
    y_pool = np.full(y.shape, NAN)
    y_pool[:40] = y[:40]
    committee = CommitteeRegressor(
        [("ridge", Ridge()), ("tree", DecisionTreeRegressor(max_depth=2))],
        batch_size=3,
        random_state=0,
    ).fit(X, y_pool)
    ridge = Ridge().fit(X[:40], y[:40]).predict(X)
    tree = committee.named_estimators_["tree"].predict(X)
    np.testing.assert_allclose(committee.predict(X), (ridge + tree) / 2)
    np.testing.assert_allclose(committee.predict_std(X), np.abs(ridge - tree) / 2)
    idx, scores = committee.query(return_scores=True)
    spread = np.abs(ridge - tree)[40:] / 2
    np.testing.assert_allclose(scores, np.sort(spread)[::-1][:3])
    assert committee.score(X, y_pool) == pytest.approx(committee.score(X[:40], y[:40]))


def test_budget_simulation_and_grid_search_for_regressors():
    X, y = load_diabetes(return_X_y=True)
    X, y = X[:240], y[:240]
    committee = CommitteeRegressor(
        estimator=Ridge(alpha=0.1),
        n_members=3,
        budget=30,
        n_initial=10,
        batch_size=10,
        random_state=0,
    )
    grid = GridSearchCV(committee, {"query_strategy": ["std", "gsx", "random"]}, cv=3)
    grid.fit(X, y)
    assert grid.best_params_["query_strategy"] in {"std", "gsx", "random"}
    history = grid.best_estimator_.history_
    assert [h["n_labeled"] for h in history] == [10, 20, 30]
    assert all(-1 < s < 1 for s in grid.cv_results_["mean_test_score"])
    learner = _learner(
        BayesianRidge(),
        GreedySampling(),
        budget=24,
        n_initial=8,
        batch_size=8,
        random_state=0,
    )
    grid = GridSearchCV(learner, {"query_strategy__space": ["x", "y", "xy"]}, cv=3).fit(
        X, y
    )
    assert (grid.cv_results_["mean_test_score"] > 0.2).all()


def test_regressor_errors_are_clear():
    X = np.arange(10.0).reshape(-1, 1)
    y = np.full(10, NAN)
    y[:3] = [0.0, 1.0, 2.0]
    with pytest.raises(ValueError, match="is a regressor.*'std'.*'gsx'"):
        ActiveLearner(Ridge(), missing_label=NAN).fit(X, y)
    with pytest.raises(TypeError, match="needs predict_std.*GaussianProcessRegressor"):
        _learner(Ridge(), StdSampling()).fit(X, y).query()
    # a classification strategy on a regressor is refused at fit, not at query
    with pytest.raises(ValueError, match="'qbc' needs class probabilities.*'std'"):
        CommitteeRegressor(estimator=Ridge(), n_members=2, query_strategy="qbc").fit(
            X, y
        )
    with pytest.raises(ValueError, match="'space' parameter of GreedySampling"):
        _learner(Ridge(), GreedySampling("z")).fit(X, y)
    Xi, yi = load_iris(return_X_y=True)
    yi = yi.copy()
    yi[10:140] = -1
    clf = ActiveLearner(LogisticRegression(), query_strategy="gsy").fit(Xi, yi)
    with pytest.raises(TypeError, match="needs a regressor"):
        clf.query()
    # GSx needs no prediction, so it works for classifiers too.
    assert ActiveLearner(LogisticRegression(), query_strategy="gsx").fit(
        Xi, yi
    ).query().shape == (1,)


def test_wu_et_al_gsx_initialisation_then_igs_in_simulation():
    X, y = load_diabetes(return_X_y=True)
    learner = _learner(
        Ridge(alpha=0.1),
        "igs",
        initial_strategy="gsx",
        budget=20,
        n_initial=5,
        batch_size=5,
        random_state=0,
    ).fit(X[:200], y[:200])
    first = learner.history_[0]["indices"]
    Z = X[:200]
    assert first[0] == np.argmin(((Z - Z.mean(axis=0)) ** 2).sum(axis=1))
    assert [h["n_labeled"] for h in learner.history_] == [5, 10, 15, 20]


def test_text_targets_of_a_regressor_are_refused():
    X, y = load_diabetes(return_X_y=True)
    y_pool = np.where(np.arange(len(y)) % 10 == 0, y, NAN)
    match = r"is a regressor, so its targets must be numbers, .* \(e.g. '151.0'\)"
    for learner in (
        _learner(Ridge(), "random"),
        CommitteeRegressor(estimator=Ridge(), missing_label=NAN),
    ):
        with pytest.raises(ValueError, match=match):
            learner.fit(X, y_pool.astype(str))
    cold = _learner(Ridge(), "random").fit(X, np.full(len(y), NAN))
    with pytest.raises(ValueError, match="targets must be numbers"):
        cold.teach(X[:2], ["1.5", "2.0"])
    assert _learner(Ridge(), "random").fit(X, y_pool).labeled_mask_.sum() == 45
