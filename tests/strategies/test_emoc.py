"""Expected model output change: GP closed form, the degenerate default, peers."""

import numpy as np
import pytest
from scipy.special import roots_hermitenorm
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF

from skal import ActiveLearner
from skal.strategies import ExpectedModelOutputChange

GP = GaussianProcessRegressor(RBF(0.5), alpha=0.05, optimizer=None)


@pytest.fixture
def data():
    X, y = load_diabetes(return_X_y=True)
    X = X[:50, [2, 3]] * 10
    return X, (y[:50] - y[:50].mean()) / y[:50].std()


def gp_gain(gp, X_c):
    """``k(e, x) / (var(x) + alpha)``: the mean's move at e per unit of y - mu(x)."""
    _, cov = gp.predict(X_c, return_cov=True)
    return cov / (np.diag(cov) + 0.05), np.sqrt(np.diag(cov))


@pytest.mark.parametrize("closed_form", [True, False])
def test_gp_squared_change_is_the_closed_form(
    data, make_regression_context, closed_form
):
    X, y = data
    ctx, gp = make_regression_context(X, y, np.arange(0, 50, 5), GP)
    scores = ExpectedModelOutputChange(
        max_candidates=None, closed_form=closed_form
    ).score(ctx)
    # f_{x,y}(e) - f(e) = g(e, x) (y - mu(x)) and E (y - mu)^2 = sigma^2(x)
    gain, sigma = gp_gain(gp, X[ctx.candidates])
    np.testing.assert_allclose(
        scores, np.mean(gain**2, axis=0) * sigma**2, rtol=1e-6, atol=1e-12
    )


@pytest.mark.parametrize("closed_form", [True, False])
def test_gp_absolute_change_is_the_quadrature_of_abs(
    data, make_regression_context, closed_form
):
    X, y = data
    ctx, gp = make_regression_context(X, y, np.arange(0, 50, 5), GP)
    scores = ExpectedModelOutputChange(
        "absolute", n_integration_points=4, max_candidates=None, closed_form=closed_form
    ).score(ctx)
    nodes, weights = roots_hermitenorm(4)
    # E|t| by 4 nodes is 0.888, not sqrt(2 / pi) = 0.798: |t| is not smooth
    mean_abs = np.sum(weights * np.abs(nodes)) / weights.sum()
    gain, sigma = gp_gain(gp, X[ctx.candidates])
    expected = np.mean(np.abs(gain), axis=0) * sigma * mean_abs
    np.testing.assert_allclose(scores, expected, rtol=1e-6, atol=1e-12)
    assert mean_abs == pytest.approx(0.8880738, abs=1e-7)


@pytest.mark.parametrize("closed_form", [True, False])
def test_assume_linear_is_zero_for_a_gp(data, make_regression_context, closed_form):
    X, y = data
    ctx, _ = make_regression_context(X, y, np.arange(0, 50, 5), GP)
    scores = ExpectedModelOutputChange(
        integration="assume_linear", max_candidates=None, closed_form=closed_form
    ).score(ctx)
    np.testing.assert_allclose(scores, 0.0, atol=1e-20)


def test_callable_loss_and_learner(data):
    X, y = data
    y_pool = np.full(50, np.nan)
    y_pool[::5] = y[::5]
    learner = ActiveLearner(
        GP,
        query_strategy=ExpectedModelOutputChange(
            lambda old, new: np.max(np.abs(new - old)), max_candidates=10
        ),
        missing_label=np.nan,
        random_state=0,
    ).fit(X, y_pool)
    idx, scores = learner.query(batch_size=2, return_scores=True)
    assert np.isnan(y_pool[idx]).all() and scores[0] >= scores[1] > 0
    with pytest.raises(ValueError, match="'loss' parameter"):
        learner.set_params(query_strategy=ExpectedModelOutputChange("l3")).query()


def test_agrees_with_skactiveml(data, make_regression_context):
    pool = pytest.importorskip("skactiveml.pool")
    regressor = pytest.importorskip("skactiveml.regressor")
    X, y = data
    labeled = np.arange(0, 50, 4)
    ctx, _ = make_regression_context(X, y, labeled, GP)
    ours = ExpectedModelOutputChange(max_candidates=None).score(ctx)
    y_pool = np.full(50, np.nan)
    y_pool[labeled] = y[labeled]
    reg = regressor.SklearnNormalRegressor(clone(GP))
    hermite = {"method": "gauss_hermite", "n_integration_samples": 5}
    _, theirs = pool.ExpectedModelOutputChange(integration_dict=hermite).query(
        X, y_pool, reg, return_utilities=True
    )
    np.testing.assert_allclose(theirs[0, ctx.candidates], ours, rtol=1e-6, atol=1e-12)
    # their default (assume_linear) scores every candidate 0: random picks
    _, default = pool.ExpectedModelOutputChange().query(
        X, y_pool, reg, return_utilities=True
    )
    np.testing.assert_allclose(default[0, ctx.candidates], 0.0, atol=1e-20)
