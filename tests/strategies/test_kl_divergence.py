"""KL-divergence maximization: Gaussian KL by quadrature, GP closed forms, peers."""

import numpy as np
import pytest
from scipy import integrate, stats
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF
from sklearn.linear_model import Ridge

from skal import ActiveLearner
from skal.strategies import KLDivergenceMaximization
from skal.strategies._kl_divergence import gaussian_kl

GP = GaussianProcessRegressor(RBF(0.5), alpha=0.05, optimizer=None)


@pytest.fixture
def data():
    X, y = load_diabetes(return_X_y=True)
    X = X[:50, [2, 3]] * 10
    return X, (y[:50] - y[:50].mean()) / y[:50].std()


@pytest.mark.parametrize("p, q", [((0.3, 0.5), (-1.0, 2.0)), ((2.0, 1.5), (2.1, 0.7))])
def test_gaussian_kl_is_the_integral(p, q):
    P, Q = stats.norm(*p), stats.norm(*q)
    brute, _ = integrate.quad(lambda y: P.pdf(y) * (P.logpdf(y) - Q.logpdf(y)), -30, 30)
    assert gaussian_kl(p[0], p[1], q[0], q[1]) == pytest.approx(brute, abs=1e-9)


def gp_parts(gp, X_c):
    """Per (e, x): the new variance at e and the mean's gain k / (var(x) + alpha)."""
    _, cov = gp.predict(X_c, return_cov=True)
    var = np.diag(cov)
    gain = cov / (var + 0.05)
    return var[:, None] - gain * cov, gain, var


@pytest.mark.parametrize("closed_form", [True, False])
def test_gp_closed_forms(data, make_regression_context, closed_form):
    X, y = data
    ctx, gp = make_regression_context(X, y, np.arange(0, 50, 5), GP)
    new_var, gain, var = gp_parts(gp, X[ctx.candidates])
    sd, new_sd = np.sqrt(var)[:, None], np.sqrt(new_var)
    variance_term = np.log(sd / new_sd) + new_var / (2 * sd**2) - 0.5
    scores = KLDivergenceMaximization(
        max_candidates=None, closed_form=closed_form
    ).score(ctx)
    np.testing.assert_allclose(scores, variance_term.mean(axis=0), rtol=1e-6)
    # over y ~ N(mu(x), var(x)) the mean moves by gain * (y - mu): E = gain^2 var
    ctx, _ = make_regression_context(X, y, np.arange(0, 50, 5), GP)
    hermite = KLDivergenceMaximization(
        "gauss_hermite", max_candidates=None, closed_form=closed_form
    )
    mean_term = gain**2 * var[None, :] / (2 * sd**2)
    np.testing.assert_allclose(
        hermite.score(ctx), (variance_term + mean_term).mean(axis=0), rtol=1e-6
    )


def test_learner_and_errors(data):
    X, y = data
    y_pool = np.full(50, np.nan)
    y_pool[::5] = y[::5]
    learner = ActiveLearner(
        GP, query_strategy="kl_divergence", missing_label=np.nan, random_state=0
    ).fit(X, y_pool)
    idx, scores = learner.query(batch_size=3, return_scores=True)
    assert np.isnan(y_pool[idx]).all() and np.all(scores > 0)
    learner = ActiveLearner(
        Ridge(), query_strategy="kl_divergence", missing_label=np.nan
    ).fit(X, y_pool)
    with pytest.raises(TypeError, match=r"needs predict\(X, return_std=True\)"):
        learner.query()


def test_agrees_with_skactiveml(data, make_regression_context):
    pool = pytest.importorskip("skactiveml.pool")
    regressor = pytest.importorskip("skactiveml.regressor")
    X, y = data
    labeled = np.arange(0, 50, 4)
    ctx, _ = make_regression_context(X, y, labeled, GP)
    ours = KLDivergenceMaximization(max_candidates=None).score(ctx)
    y_pool = np.full(50, np.nan)
    y_pool[labeled] = y[labeled]
    _, theirs = pool.KLDivergenceMaximization(random_state=0).query(
        X, y_pool, regressor.SklearnNormalRegressor(clone(GP)), return_utilities=True
    )
    # theirs sums over the unlabeled rows, ours averages
    np.testing.assert_allclose(
        theirs[0, ctx.candidates] / ctx.n_candidates, ours, rtol=1e-6
    )
