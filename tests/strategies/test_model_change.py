"""Expected gradient length and expected error reduction against brute force."""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.base import clone
from sklearn.datasets import load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from skal import ActiveLearner, Committee
from skal.strategies import (
    ExpectedErrorReduction,
    ExpectedGradientLength,
    QueryContext,
    expected_gradient_length,
    resolve_strategy,
)


@pytest.fixture(autouse=True)
def _one_blas_thread():
    # Hundreds of refits on tiny sets: BLAS threads only add contention.
    with threadpool_limits(1):
        yield


def _partial(y, n_labeled, seed=0):
    rng = np.random.RandomState(seed)
    y_partial = np.full_like(y, -1)
    for c in np.unique(y):  # every class labeled at least once
        y_partial[rng.choice(np.flatnonzero(y == c), 2, replace=False)] = c
    extra = rng.choice(len(y), n_labeled, replace=False)
    y_partial[extra] = y[extra]
    return y_partial


def _log_loss(params, z, label, shape):
    """Log-loss of one sample as a function of the flattened weights."""
    if shape[0] == 1:  # binary: one weight vector [w, b], p1 = sigmoid
        t = params @ z
        p1 = 1.0 / (1.0 + np.exp(-t))
        return -np.log(p1 if label == 1 else 1.0 - p1)
    W = params.reshape(shape)
    t = W @ z
    t = t - t.max()
    return -(t[label] - np.log(np.exp(t).sum()))


def _numerical_egl(head, Z):
    """Sum_k p_k ||d loss_k / d theta|| by central differences on theta."""
    W = np.hstack([head.coef_, head.intercept_[:, None]])
    theta = W.ravel()
    proba = head.predict_proba(Z)
    out = []
    for z, p in zip(np.hstack([Z, np.ones((len(Z), 1))]), proba):
        egl = 0.0
        for k in range(proba.shape[1]):
            grad = np.empty_like(theta)
            for j in range(theta.size):
                e = np.zeros_like(theta)
                e[j] = 1e-6
                grad[j] = (
                    _log_loss(theta + e, z, k, W.shape)
                    - _log_loss(theta - e, z, k, W.shape)
                ) / 2e-6
            egl += p[k] * np.linalg.norm(grad)
        out.append(egl)
    return np.array(out)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_egl_equals_numerical_gradient_norms(n_classes):
    X, y = load_iris(return_X_y=True)
    keep = y < n_classes
    X, y = X[keep], y[keep]
    learner = ActiveLearner(LogisticRegression(C=0.1), random_state=0)
    learner.fit(X, _partial(y, 6))
    scores = ExpectedGradientLength().score(learner.query_context(X[::7]))
    brute = _numerical_egl(learner.estimator_, X[::7])
    np.testing.assert_allclose(scores, brute, rtol=1e-5)
    assert scores.std() > 0


def test_egl_in_pipeline_uses_transformed_features():
    X, y = load_wine(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), LogisticRegression(C=0.5))
    learner = ActiveLearner(pipe, random_state=0).fit(X, _partial(y, 10))
    scores = ExpectedGradientLength().score(learner.query_context(X[::9]))
    fitted = learner.estimator_
    brute = _numerical_egl(fitted[-1], fitted[0].transform(X[::9]))
    np.testing.assert_allclose(scores, brute, rtol=1e-5)


def test_egl_without_intercept_and_sparse():
    import scipy.sparse as sp

    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(LogisticRegression(fit_intercept=False))
    learner.fit(X, _partial(y, 6))
    head = learner.estimator_
    proba = head.predict_proba(X)
    expected = expected_gradient_length(proba, np.linalg.norm(X, axis=1))
    strategy = ExpectedGradientLength()
    np.testing.assert_allclose(strategy.score(learner.query_context(X)), expected)
    sparse = QueryContext(sp.csr_matrix(X), model=head)
    np.testing.assert_allclose(strategy.score(sparse), expected)
    # Chunked over the candidates: the same values chunk by chunk, in order.
    rows = QueryContext(X, candidates=np.arange(len(X))[::-1], model=head)
    np.testing.assert_allclose(strategy.score(rows), expected[::-1])


def test_egl_worked_values():
    # p = (0.5, 0.5, 0): ||p - e_0|| = ||p - e_1|| = sqrt(0.5), so EGL = sqrt(0.5).
    assert expected_gradient_length([[0.5, 0.5, 0.0]], [1.0])[0] == pytest.approx(
        np.sqrt(0.5)
    )
    # binary: 2 p0 p1 ||z||, the multinomial value over sqrt(2)
    binary = expected_gradient_length([[0.2, 0.8]], [3.0])[0]
    assert binary == pytest.approx(2 * 0.2 * 0.8 * 3.0)
    with pytest.raises(ValueError, match="feature_norms"):
        expected_gradient_length([[0.5, 0.5]], [1.0, 2.0])


def test_egl_query_is_top_scores_and_deterministic():
    X, y = load_wine(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    learner = ActiveLearner(pipe, query_strategy="egl", batch_size=5, random_state=3)
    learner.fit(X, _partial(y, 10))
    idx, top = learner.query(return_scores=True)
    pool = np.flatnonzero(~learner.labeled_mask_)
    all_scores = ExpectedGradientLength().score(learner.query_context())
    np.testing.assert_allclose(top, np.sort(all_scores)[::-1][:5])
    np.testing.assert_array_equal(idx, pool[np.argsort(-all_scores)[:5]])
    again = clone(learner).fit(X, _partial(y, 10)).query()
    np.testing.assert_array_equal(idx, again)


def test_egl_rejects_models_without_softmax_head():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(GaussianNB(), query_strategy="egl").fit(X, _partial(y, 6))
    with pytest.raises(TypeError, match="LogisticRegression or LogisticRegressionCV"):
        learner.query()
    with pytest.raises(TypeError, match="needs a fitted model"):
        ExpectedGradientLength().select(QueryContext(X), 1)


def _brute_eer(learner, X_cand, X_eval, loss, refit=None):
    def risk(model):
        p = model.predict_proba(X_eval)
        if loss == "zero_one":
            return np.mean(1 - p.max(axis=1))
        return np.mean(-(p * np.log(np.maximum(p, 1e-300))).sum(axis=1))

    X_lab = learner.X_[learner.labeled_mask_]
    y_lab = learner.y_[learner.labeled_mask_]
    current = risk(learner.estimator_)
    out = []
    for x, p in zip(X_cand, learner.predict_proba(X_cand)):
        expected = 0.0
        for k, label in enumerate(learner.classes_):
            X_train, y_train = np.vstack([X_lab, x]), np.append(y_lab, label)
            if refit is None:
                model = clone(learner.estimator).fit(X_train, y_train)
            else:
                model = refit(X_train, y_train)
            expected += p[k] * risk(model)
        out.append(current - expected)
    return np.array(out)


@pytest.mark.parametrize("loss", ["zero_one", "log"])
def test_eer_equals_brute_force_loop(loss):
    X, y = load_iris(return_X_y=True)
    X = X[::5]
    y = y[::5]
    learner = ActiveLearner(LogisticRegression(C=0.5), random_state=0)
    learner.fit(X, _partial(y, 3))
    pool = np.flatnonzero(~learner.labeled_mask_)[:5]
    eer = ExpectedErrorReduction(loss, max_candidates=None)
    idx, scores = eer.select(learner.query_context(X[pool]), len(pool))
    brute = _brute_eer(learner, X[pool], X[pool], loss)
    np.testing.assert_allclose(scores, brute[idx], rtol=1e-8, atol=1e-12)
    assert np.all(np.diff(scores) <= 0)
    assert sorted(idx.tolist()) == list(range(len(pool)))


def test_eer_subsamples_candidates_and_eval_deterministically():
    X, y = load_wine(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    eer = ExpectedErrorReduction(max_candidates=4, n_eval=30, n_jobs=2)
    learner = ActiveLearner(pipe, query_strategy=eer, batch_size=2, random_state=1)
    learner.fit(X, _partial(y, 6))
    with parallel_config(backend="threading"):  # n_jobs=2 without process start-up
        first = learner.query(return_scores=True)
    second = clone(learner).set_params(query_strategy__n_jobs=None)
    second = second.fit(X, _partial(y, 6)).query(return_scores=True)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_allclose(first[1], second[1])
    # Brute force over the same subsamples, drawn in the same order.
    pool = np.flatnonzero(~learner.labeled_mask_)
    rng = np.random.RandomState(1)
    cand = np.sort(rng.choice(len(pool), 4, replace=False))
    ev = np.sort(rng.choice(len(pool), 30, replace=False))
    brute = _brute_eer(learner, X[pool][cand], X[pool][ev], "zero_one")
    np.testing.assert_allclose(np.sort(first[1]), np.sort(brute)[::-1][:2][::-1])


def test_eer_bad_parameters_and_signals():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(LogisticRegression()).fit(X, _partial(y, 6))
    ctx = learner.query_context(X[:5])
    with pytest.raises(ValueError, match="'loss' parameter of ExpectedErrorReduction"):
        ExpectedErrorReduction("hinge").select(ctx, 1)
    with pytest.raises(ValueError, match="'n_eval' parameter of ExpectedErrorRed"):
        ExpectedErrorReduction(n_eval=0).select(ctx, 1)
    with pytest.raises(TypeError, match="needs a skal.strategies.QueryContext"):
        ExpectedErrorReduction().select(DecisionTreeClassifier().fit(X, y), 1)
    model = LogisticRegression().fit(X[::10], y[::10])
    no_learner = QueryContext(
        X[:5], signals={"proba": model.predict_proba}, classes=[0, 1, 2], model=model
    )
    with pytest.raises(TypeError, match="refits the model, which needs a learner"):
        ExpectedErrorReduction().select(no_learner, 1)
    regression = QueryContext(X[:5], signals={"proba": model.predict_proba})
    with pytest.raises(TypeError, match="no classes"):
        ExpectedErrorReduction().select(regression, 1)


def test_model_change_strategies_are_grid_searchable():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(
        LogisticRegression(), budget=10, n_initial=8, batch_size=2, random_state=0
    )
    grid = GridSearchCV(
        learner,
        {
            "query_strategy": [
                resolve_strategy("egl"),
                ExpectedErrorReduction(max_candidates=3, n_eval=20),
            ]
        },
        cv=2,
    ).fit(X, y)
    assert len(grid.cv_results_["mean_test_score"]) == 2
    assert grid.best_estimator_.labeled_mask_.sum() == 10


def test_eer_warm_start_matches_cold_refits():
    X, y = load_wine(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    learner = ActiveLearner(LogisticRegression(tol=1e-8), random_state=0)
    learner.fit(X, _partial(y, 6))
    pool = np.flatnonzero(~learner.labeled_mask_)[::10]
    cold = ExpectedErrorReduction("log", max_candidates=None)
    warm = clone(cold).set_params(warm_start=True)
    idx_c, s_c = cold.select(learner.query_context(X[pool]), len(pool))
    idx_w, s_w = warm.select(learner.query_context(X[pool]), len(pool))
    np.testing.assert_allclose(s_w, s_c, atol=1e-6)
    assert idx_w[0] == idx_c[0]
    # The learner's fitted model is copied, never modified.
    assert learner.estimator_.get_params()["warm_start"] is False
    nb = ActiveLearner(GaussianNB()).fit(X, _partial(y, 6))
    with pytest.raises(TypeError, match="warm_start parameter"):
        warm.select(nb.query_context(X[pool]), 1)


@pytest.mark.parametrize(
    "strategy",
    [ExpectedGradientLength(), ExpectedErrorReduction(max_candidates=None)],
    ids=["egl", "eer"],
)
def test_invariant_to_permuting_the_pool(strategy):
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(LogisticRegression()).fit(X, _partial(y, 4))
    pool = np.flatnonzero(~learner.labeled_mask_)[::12]
    perm = np.random.RandomState(0).permutation(len(pool))
    idx, scores = strategy.select(learner.query_context(X[pool]), 3)
    idx_p, scores_p = strategy.select(learner.query_context(X[pool][perm]), 3)
    np.testing.assert_array_equal(perm[idx_p], idx)
    np.testing.assert_allclose(scores_p, scores, rtol=1e-10)


def test_eer_never_returns_fewer_rows_than_the_batch():
    # Formerly a batch larger than max_candidates (default 100, e.g. a batch
    # of 150) was cut to max_candidates rows; the same case, made small.
    assert ExpectedErrorReduction().max_candidates == 100
    X, y = load_iris(return_X_y=True)
    X, y = X[::4], y[::4]
    learner = ActiveLearner(GaussianNB(), random_state=0).fit(X, _partial(y, 0))
    ctx = learner.query_context()
    assert ctx.n_candidates == 32
    idx, scores = ExpectedErrorReduction(max_candidates=5, n_eval=10).select(ctx, 8)
    assert idx.shape == (8,) and len(set(idx.tolist())) == 8
    # max(max_candidates, batch) = 8 of the 32 candidates were scored.
    drawn = np.sort(np.random.RandomState(0).choice(32, 8, replace=False))
    assert sorted(idx.tolist()) == drawn.tolist()
    assert np.all(np.diff(scores) <= 0)


def test_eer_with_a_committee_refits_the_committee():
    # Formerly Committee(..., query_strategy=ExpectedErrorReduction()) crashed
    # in clone(None): the strategy cloned the learner's estimator, which a
    # committee of named members does not have.
    X, y = load_iris(return_X_y=True)
    X, y = X[::3], y[::3]
    committee = Committee(
        [("lr", LogisticRegression()), ("knn", KNeighborsClassifier(3))],
        query_strategy=ExpectedErrorReduction(max_candidates=None),
        random_state=0,
    ).fit(X, _partial(y, 2))
    candidates = X[np.flatnonzero(~committee.labeled_mask_)[::8]]
    assert candidates.shape[0] == 6
    idx, top = committee.query(candidates, return_scores=True)
    ctx = committee.query_context(candidates)
    _, scores = ExpectedErrorReduction(max_candidates=None).select(ctx, 6)

    def refit(X_train, y_train):  # the committee's own fit: both members
        fitted = [
            m.fit(X_train, y_train)
            for m in (LogisticRegression(), KNeighborsClassifier(3))
        ]

        class Mean:
            def predict_proba(self, Z):
                return np.mean([m.predict_proba(Z) for m in fitted], axis=0)

        return Mean()

    brute = _brute_eer(committee, candidates, candidates, "zero_one", refit=refit)
    np.testing.assert_allclose(np.sort(scores), np.sort(brute), atol=1e-10)
    assert idx.tolist() == [int(np.argmax(brute))]
    np.testing.assert_allclose(top, brute.max(), atol=1e-10)
