"""BayesianOptimizer and predict(X, return_std=True)."""

import numpy as np
import pytest
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern
from sklearn.linear_model import BayesianRidge, LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

from skal import ActiveLearner, BayesianOptimizer, CommitteeRegressor

# modAL's Bayesian-optimisation tutorial function: maximum f(8.008) = 2.4147
X_GRID = np.linspace(0, 20, 1000).reshape(-1, 1)


def f(x):
    return np.sin(x) / 2 - (10 - x) ** 2 / 50 + 2


def _run(strategy, n_queries, start=150):
    y = np.full(X_GRID.shape[0], np.nan)
    y[start] = f(X_GRID[start, 0])
    opt = BayesianOptimizer(
        GaussianProcessRegressor(Matern(length_scale=1.0)),
        query_strategy=strategy,
        random_state=0,
    ).fit(X_GRID, y)
    for _ in range(n_queries):
        idx = opt.query()
        opt.teach(X_GRID[idx], f(X_GRID[idx, 0]))
    return opt


@pytest.mark.parametrize("strategy", ["ei", "ucb"])
def test_finds_the_maximum_of_a_1d_function_within_10_evaluations(strategy):
    opt = _run(strategy, 10)
    X_max, y_max = opt.get_max()
    best = f(X_GRID[:, 0]).max()
    assert y_max == pytest.approx(best, abs=1e-3)
    assert X_max.shape == (1,) and X_max[0] == pytest.approx(8.0, abs=0.05)
    assert int(opt.labeled_mask_.sum()) == 11


def test_get_max_is_the_best_labeled_row():
    opt = _run("ei", 3)
    rows = np.flatnonzero(opt.labeled_mask_)
    best = rows[np.argmax(opt.y_[rows])]
    X_max, y_max = opt.get_max()
    assert X_max.tolist() == X_GRID[best].tolist()
    assert y_max == opt.y_[best]


def test_simulated_run_with_a_budget_finds_the_maximum():
    y = f(X_GRID[:, 0])
    opt = BayesianOptimizer(
        GaussianProcessRegressor(Matern(length_scale=1.0)),
        budget=12,
        n_initial=2,
        random_state=0,
    ).fit(X_GRID, y)
    assert int(opt.labeled_mask_.sum()) == 12
    assert opt.get_max()[1] == pytest.approx(y.max(), abs=1e-3)


def test_cold_start_then_get_max_errors_clearly():
    opt = BayesianOptimizer(GaussianProcessRegressor(), random_state=0)
    opt.fit(X_GRID[:50], np.full(50, np.nan))
    with pytest.raises(ValueError, match="none is labeled yet"):
        opt.get_max()
    first = opt.query(batch_size=2)  # initial_strategy="random" picks
    assert first.shape == (2,)


def test_refuses_a_classifier():
    with pytest.raises(ValueError, match="needs a regressor"):
        BayesianOptimizer(LogisticRegression()).fit([[0.0], [1.0]], [0, 1])


# --------------------------------------------------- predict(return_std=True)
X = np.linspace(0, 6, 30).reshape(-1, 1)
Y = np.where(np.arange(30) % 5 == 0, np.sin(X[:, 0]), np.nan)


@pytest.mark.parametrize(
    "estimator",
    [
        GaussianProcessRegressor(),
        BayesianRidge(),
        make_pipeline(StandardScaler(), GaussianProcessRegressor()),
    ],
    ids=["gp", "bayesian_ridge", "pipeline"],
)
def test_predict_return_std_passes_through(estimator):
    learner = ActiveLearner(estimator, query_strategy="std", missing_label=np.nan)
    learner.fit(X, Y)
    mean, std = learner.predict(X, return_std=True)
    ref_mean, ref_std = learner.estimator_.predict(X, return_std=True)
    np.testing.assert_allclose(mean, ref_mean)
    np.testing.assert_allclose(std, ref_std)
    np.testing.assert_allclose(learner.predict(X), ref_mean)


def test_committee_regressor_return_std_is_member_spread():
    committee = CommitteeRegressor(
        estimator=DecisionTreeRegressor(), n_members=4, random_state=0
    ).fit(X, Y)
    mean, std = committee.predict(X, return_std=True)
    samples = committee.predict_samples(X)
    np.testing.assert_allclose(mean, samples.mean(axis=0))
    np.testing.assert_allclose(std, samples.std(axis=0))


def test_return_std_on_a_model_without_it_raises():
    learner = ActiveLearner(Ridge(), query_strategy="random", missing_label=np.nan)
    learner.fit(X, Y)
    with pytest.raises(TypeError, match="Ridge.predict does not"):
        learner.predict(X, return_std=True)
