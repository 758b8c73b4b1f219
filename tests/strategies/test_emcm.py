"""Expected model change maximization: brute force, learner, scikit-activeml."""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from skal import ActiveLearner
from skal.strategies import ExpectedModelChangeMaximization, QueryContext


@pytest.fixture
def linear_context(make_regression_context):
    def build(X, y, labeled, estimator=None, seed=0):
        estimator = LinearRegression() if estimator is None else estimator
        return make_regression_context(X, y, labeled, estimator, seed=seed)

    return build


@pytest.fixture
def diabetes():
    X, y = load_diabetes(return_X_y=True)
    return X[:120], y[:120]


def test_scores_are_the_mean_bootstrap_gap_times_the_feature_norm(
    diabetes, linear_context
):
    X, y = diabetes
    labeled = np.arange(0, 120, 6)
    ctx, model = linear_context(X, y, labeled)
    scores = ExpectedModelChangeMaximization(4, max_samples=0.5).score(ctx)
    # brute force: the same draws, by hand
    rng = np.random.RandomState(0)
    X_c = X[ctx.candidates]
    gaps = []
    for _ in range(4):
        rows = rng.randint(0, 20, size=10)
        boot = LinearRegression().fit(X[labeled][rows], y[labeled][rows])
        gaps.append(np.abs(boot.predict(X_c) - model.predict(X_c)))
    expected = np.mean(gaps, axis=0) * np.sqrt((X_c**2).sum(axis=1))
    np.testing.assert_allclose(scores, expected, rtol=1e-12)
    idx, top = ExpectedModelChangeMaximization(4, max_samples=0.5).select(
        linear_context(X, y, labeled)[0], 3
    )
    assert idx.tolist() == np.argsort(-expected)[:3].tolist()
    np.testing.assert_allclose(top, np.sort(expected)[::-1][:3])


def test_bootstrap_size_is_the_share_without_float_error(linear_context):
    # 0.07 * 100 is 7.000000000000001 in floats: ceil gave 8 rows, not 7
    rng = np.random.RandomState(0)
    X, y = rng.normal(size=(120, 3)), rng.normal(size=120)
    ctx = linear_context(X, y, np.arange(100))[0]
    sizes, refit = [], ctx.refit
    ctx.refit = lambda X_b, y_b: sizes.append(len(y_b)) or refit(X_b, y_b)
    ExpectedModelChangeMaximization(3, max_samples=0.07).bootstrap_models(ctx)
    assert sizes == [7, 7, 7]


def test_one_dimensional_worked_example(linear_context):
    # labels on the line y = x except one point; a far candidate with the
    # same bootstrap gap per unit of x changes the model most
    X = np.array([[1.0], [2.0], [3.0], [4.0], [0.5], [8.0]])
    y = np.array([1.0, 2.0, 3.0, 6.0, 0.0, 0.0])
    ctx, model = linear_context(X, y, [0, 1, 2, 3])
    strategy = ExpectedModelChangeMaximization(2, ord=1)
    scores = strategy.score(ctx)
    boots = strategy.bootstrap_models(linear_context(X, y, [0, 1, 2, 3])[0])
    gap = np.mean([np.abs(b.predict(X[4:]) - model.predict(X[4:])) for b in boots], 0)
    np.testing.assert_allclose(scores, gap * np.array([0.5, 8.0]))


def test_feature_map_and_pipeline_embedding(diabetes, linear_context):
    X, y = diabetes
    poly = PolynomialFeatures(2).fit_transform
    ctx, _ = linear_context(X, y, np.arange(0, 120, 4))
    with_map = ExpectedModelChangeMaximization(feature_map=poly).score(ctx)
    ctx, _ = linear_context(X, y, np.arange(0, 120, 4))
    plain = ExpectedModelChangeMaximization().score(ctx)
    X_c = X[ctx.candidates]
    ratio = np.linalg.norm(poly(X_c), axis=1) / np.linalg.norm(X_c, axis=1)
    np.testing.assert_allclose(with_map, plain * ratio, rtol=1e-10)
    # in a learner, a Pipeline's scaled features are the gradient features
    y_pool = np.full(120, np.nan)
    y_pool[::10] = y[::10]
    learner = ActiveLearner(
        make_pipeline(StandardScaler(), Ridge()),
        query_strategy="emcm",
        missing_label=np.nan,
        random_state=0,
    ).fit(X, y_pool)
    idx, scores = learner.query(batch_size=4, return_scores=True)
    assert len(set(idx.tolist())) == 4 and np.isnan(y_pool[idx]).all()
    assert np.all(np.diff(scores) <= 0) and scores[-1] > 0
    ctx = learner.query_context()
    Z = learner.estimator_[:-1].transform(X[ctx.candidates])
    np.testing.assert_allclose(ctx.embedding(), Z)


def test_errors(linear_context):
    X = np.arange(6.0).reshape(-1, 1)
    ctx = QueryContext(X, classes=[0, 1], X_labeled=X[:2], y_labeled=[0, 1])
    with pytest.raises(TypeError, match="regression strategy, but the model is a"):
        ExpectedModelChangeMaximization().select(ctx, 1)
    ctx = QueryContext(X, signals={"predict": lambda r: r[:, 0]}, random_state=0)
    with pytest.raises(ValueError, match="needs labeled rows to bootstrap"):
        ExpectedModelChangeMaximization().select(ctx, 1)
    y = X[:, 0] * 2
    ctx, _ = linear_context(X, y, [0, 1, 2])
    with pytest.raises(ValueError, match=r"one row per sample, shape \(3, n_f"):
        ExpectedModelChangeMaximization(feature_map=lambda r: r[:1]).select(ctx, 1)
    with pytest.raises(ValueError, match="max_samples"):
        ExpectedModelChangeMaximization(max_samples=0).select(ctx, 1)


def test_agrees_with_skactiveml_given_the_same_bootstraps(
    diabetes, monkeypatch, linear_context
):
    pool = pytest.importorskip("skactiveml.pool")
    regressor = pytest.importorskip("skactiveml.regressor")
    module = pytest.importorskip("skactiveml.pool._expected_model_change_maximization")
    X, y = diabetes
    labeled = np.arange(0, 120, 5)
    ctx, _ = linear_context(X, y, labeled, seed=3)
    ours = ExpectedModelChangeMaximization(3)
    scores = ours.score(ctx)
    boots = ours.bootstrap_models(linear_context(X, y, labeled, seed=3)[0])
    # their bootstraps (see the next test) replaced by ours: same formula
    monkeypatch.setattr(module, "_bootstrap_estimators", lambda *a, **k: boots)
    y_pool = np.full(120, np.nan)
    y_pool[labeled] = y[labeled]
    _, utilities = pool.ExpectedModelChangeMaximization(random_state=0).query(
        X,
        y_pool,
        regressor.SklearnRegressor(LinearRegression()),
        return_utilities=True,
    )
    np.testing.assert_allclose(utilities[0, ctx.candidates], scores, rtol=1e-10)


def test_skactiveml_bootstraps_are_far_larger_than_the_labeled_set():
    module = pytest.importorskip("skactiveml.pool._expected_model_change_maximization")
    regressor = pytest.importorskip("skactiveml.regressor")
    from sklearn.neighbors import KNeighborsRegressor

    X = np.random.RandomState(0).normal(size=(40, 2))
    y = np.full(40, np.nan)
    y[:8] = X[:8, 0]
    boots = module._bootstrap_estimators(
        regressor.SklearnRegressor(KNeighborsRegressor(1)),
        X,
        y,
        bootstrap_size=2,
        n_train=0.5,
        random_state=0,
    )
    # n_train=0.5 becomes 20 rows, then 40 * 20 + 1 = 801 draws from all 40
    # rows: about 160 of them labeled, 20 times the 8 labels (Cai et al.
    # resample the labeled set), so the bootstraps barely differ
    sizes = [b.estimator_.n_samples_fit_ for b in boots]
    assert all(120 < s < 200 for s in sizes)
