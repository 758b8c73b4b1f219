"""Expected model variance reduction: GP closed form, learner, scikit-activeml."""

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF
from sklearn.linear_model import Ridge

from skal import ActiveLearner
from skal.strategies import ExpectedModelVarianceReduction, QueryContext

GP = GaussianProcessRegressor(RBF(0.5), alpha=0.05, optimizer=None)


@pytest.fixture
def gp_context(make_regression_context):
    def build(X, y, labeled, estimator=GP, seed=0):
        return make_regression_context(X, y, labeled, estimator, seed=seed)

    return build


@pytest.fixture
def data():
    X, y = load_diabetes(return_X_y=True)
    X = X[:60, [2, 3]] * 10  # BMI and blood pressure, unit scale
    return X, (y[:60] - y[:60].mean()) / y[:60].std()


@pytest.mark.parametrize("closed_form", [True, False])
def test_gp_scores_are_the_closed_form_variance_reduction(
    data, gp_context, closed_form
):
    X, y = data
    labeled = np.arange(0, 60, 6)
    ctx, gp = gp_context(X, y, labeled)
    scores = ExpectedModelVarianceReduction(
        max_candidates=None, closed_form=closed_form
    ).score(ctx)
    # a label at x lowers the variance at e by k(e, x)^2 / (var(x) + alpha),
    # k the posterior covariance (Cohn et al. 1996)
    X_c = X[ctx.candidates]
    _, cov = gp.predict(X_c, return_cov=True)
    expected = np.mean(cov**2, axis=0) / (np.diag(cov) + 0.05)
    np.testing.assert_allclose(scores, expected, rtol=1e-6, atol=1e-12)
    # the new variance does not depend on y: Gauss-Hermite agrees
    ctx, _ = gp_context(X, y, labeled)
    hermite = ExpectedModelVarianceReduction(
        "gauss_hermite",
        n_integration_points=3,
        max_candidates=None,
        closed_form=closed_form,
    ).score(ctx)
    np.testing.assert_allclose(hermite, expected, rtol=1e-6, atol=1e-12)


def test_n_eval_and_max_candidates_subsample(data, gp_context):
    X, y = data
    ctx, _ = gp_context(X, y, np.arange(0, 60, 6))
    idx, scores = ExpectedModelVarianceReduction(n_eval=10, max_candidates=8).select(
        ctx, 2
    )
    assert idx.shape == (2,) and len(set(idx.tolist())) == 2
    assert np.all(scores > 0) and scores[0] >= scores[1]


def test_in_a_learner_and_the_missing_std_error(data):
    X, y = data
    y_pool = np.full(60, np.nan)
    y_pool[::6] = y[::6]
    learner = ActiveLearner(
        GP, query_strategy="emvr", missing_label=np.nan, random_state=0
    ).fit(X, y_pool)
    idx = learner.query(batch_size=3)
    ctx = learner.query_context()
    expected = ExpectedModelVarianceReduction(max_candidates=None).score(ctx)
    # the learner's query: the 3 largest closed-form reductions
    assert set(idx.tolist()) == set(ctx.candidates[np.argsort(-expected)[:3]])
    ridge = ActiveLearner(
        Ridge(), query_strategy="emvr", missing_label=np.nan, random_state=0
    ).fit(X, y_pool)
    with pytest.raises(TypeError, match=r"needs predict_std \(predict\(X, return_"):
        ridge.query()
    cold = QueryContext(X, signals={"predict_std": lambda r: r[:, 0]})
    with pytest.raises(ValueError, match="needs a fitted model; start with"):
        ExpectedModelVarianceReduction().select(cold, 1)


def test_agrees_with_skactiveml(data, gp_context):
    pool = pytest.importorskip("skactiveml.pool")
    regressor = pytest.importorskip("skactiveml.regressor")
    X, y = data
    labeled = np.arange(0, 60, 5)
    ctx, _ = gp_context(X, y, labeled)
    ours = ExpectedModelVarianceReduction(max_candidates=None).score(ctx)
    y_pool = np.full(60, np.nan)
    y_pool[labeled] = y[labeled]
    _, theirs = pool.ExpectedModelVarianceReduction(random_state=0).query(
        X,
        y_pool,
        regressor.SklearnNormalRegressor(clone(GP)),
        X_eval=X[ctx.candidates],  # theirs evaluates on all of X by default
        return_utilities=True,
    )
    np.testing.assert_allclose(theirs[0, ctx.candidates], ours, rtol=1e-6, atol=1e-12)


def test_refits_in_parallel_give_the_same_scores(data, make_regression_context):
    X, y = data
    ctx, _ = make_regression_context(X, y, np.arange(0, 60, 6), GP)
    refits = ExpectedModelVarianceReduction(max_candidates=None, closed_form=False)
    serial = refits.score(ctx)
    ctx, _ = make_regression_context(X, y, np.arange(0, 60, 6), GP)
    ctx.n_jobs = 2
    with parallel_backend("threading"):  # processes take seconds to start
        parallel = refits.score(ctx)
    np.testing.assert_allclose(parallel, serial, rtol=1e-12)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_closed_form_applies_only_where_exact(
    data, make_regression_context, monkeypatch
):
    from skal.strategies import _gp_lookahead
    from skal.strategies._gp_lookahead import exact_gp

    X, y = data
    fitted = clone(GP).fit(X[:10], y[:10])
    assert exact_gp(fitted) is fitted
    for change in (
        {"optimizer": "fmin_l_bfgs_b"},
        {"normalize_y": True},
        {"alpha": np.full(10, 0.05)},
    ):
        assert exact_gp(clone(GP).set_params(**change).fit(X[:10], y[:10])) is None
    assert exact_gp(Ridge().fit(X[:10], y[:10])) is None
    # evaluation rows in chunks of 7: the same scores as the refits
    monkeypatch.setattr(_gp_lookahead, "_EVAL_CHUNK", 7)
    ctx, _ = make_regression_context(X, y, np.arange(0, 60, 6), GP)
    chunked = ExpectedModelVarianceReduction(max_candidates=None).score(ctx)
    ctx, _ = make_regression_context(X, y, np.arange(0, 60, 6), GP)
    refits = ExpectedModelVarianceReduction(max_candidates=None, closed_form=False)
    np.testing.assert_allclose(chunked, refits.score(ctx), rtol=1e-6, atol=1e-12)
