"""Regression strategies on query contexts: std sampling and greedy sampling."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import pairwise_distances
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skal import ActiveLearner, CommitteeRegressor
from skal.strategies import GreedySampling, QueryContext, StdSampling


def _context(X, labeled, y_labeled=None, signals=None, **kwargs):
    """The context of a pool ``X`` whose ``labeled`` rows are labeled."""
    labeled = np.asarray(labeled, dtype=int)
    candidates = np.setdiff1d(np.arange(X.shape[0]), labeled)
    kwargs.setdefault("random_state", 0)
    return QueryContext(
        X,
        candidates,
        signals=signals,
        X_labeled=X[labeled] if labeled.size else None,
        y_labeled=y_labeled,
        **kwargs,
    )


def test_gp_std_picks_the_point_farthest_from_the_data():
    X = np.linspace(0, 10, 21).reshape(-1, 1)
    gp = GaussianProcessRegressor(RBF(1.0), optimizer=None)
    gp.fit(X[4:9], np.sin(X[4:9, 0]))  # labels on [2, 4]
    std = lambda rows: gp.predict(rows, return_std=True)[1]  # noqa: E731
    ctx = _context(X, range(4, 9), signals={"predict_std": std})
    idx, scores = StdSampling().select(ctx, 2)
    assert ctx.candidates[idx[0]] == 20  # x = 10 is the farthest from [2, 4]
    _, expected = gp.predict(X[ctx.candidates[idx]], return_std=True)
    np.testing.assert_allclose(scores, expected)


def test_std_is_read_chunk_by_chunk():
    X = np.random.RandomState(0).normal(size=(20_000, 2))
    calls = []

    def std(rows):
        calls.append(rows.shape[0])
        return np.abs(rows[:, 0])

    ctx = QueryContext(X, signals={"predict_std": std}, random_state=0)
    idx, scores = StdSampling().select(ctx, 3)
    assert idx.tolist() == np.argsort(-np.abs(X[:, 0]))[:3].tolist()
    np.testing.assert_allclose(scores, np.abs(X[idx, 0]))
    assert len(calls) > 1 and max(calls) < 20_000


def test_gsx_picks_the_farthest_point_in_input_space():
    X = np.array([[0, 0], [1, 0], [0, 3], [4, 4], [2, 1]], dtype=float)
    ctx = _context(X, [0, 1], [0.0, 1.0])
    idx, scores = GreedySampling("x").select(ctx, 3)
    # (4,4) is 5 from (1,0); then (0,3) is 3 from (0,0); then (2,1) is sqrt 2.
    assert ctx.candidates[idx].tolist() == [3, 2, 4]
    np.testing.assert_allclose(scores, [5.0, 3.0, np.sqrt(2)])


@pytest.mark.parametrize("sparse", [False, True])
def test_gsx_batch_equals_brute_force_greedy(sparse):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    ref, chosen = list(range(5)), []
    for _ in range(6):
        d = pairwise_distances(X, X[ref]).min(axis=1)
        d[ref] = -1
        chosen.append(int(d.argmax()))
        ref.append(chosen[-1])
    pool = sp.csr_matrix(X) if sparse else X
    ctx = _context(pool, range(5), rng.normal(size=5))
    idx, scores = GreedySampling("x").select(ctx, 6)
    np.testing.assert_array_equal(ctx.candidates[idx], chosen)
    d = pairwise_distances(X, X[:5]).min(axis=1)
    np.testing.assert_allclose(scores[0], d.max())
    assert np.all(np.diff(scores) <= 1e-12)


def test_gsy_and_igs_on_a_hand_example():
    # LinearRegression learns f(x) = 2x from (0, 0) and (1, 2).
    X = np.array([[0.0], [1.0], [1.5], [3.0], [-1.0]])
    model = LinearRegression().fit(X[:2], [0.0, 2.0])
    signals = {"predict": model.predict}
    gsy = _context(X, [0, 1], [0.0, 2.0], signals=signals, model=model)
    idx, scores = GreedySampling("y").select(gsy, 3)
    # f = 3, 6, -2: output gaps 1, 4, 2; after 6 joins, -2 keeps gap 2.
    assert gsy.candidates[idx].tolist() == [3, 4, 2]
    np.testing.assert_allclose(scores, [4.0, 2.0, 1.0])
    igs = _context(X, [0, 1], [0.0, 2.0], signals=signals, model=model)
    idx, scores = GreedySampling("xy").select(igs, 3)
    # |x - x_m| |f - y_m| = 2 (x - x_m)^2: 0.5, 8, 2.
    assert igs.candidates[idx].tolist() == [3, 4, 2]
    np.testing.assert_allclose(scores, [8.0, 2.0, 0.5])


def test_gsx_measures_distances_in_the_embedding():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(40, 2)) * [1.0, 1000.0]
    scaler = StandardScaler().fit(X[:4])
    ctx = _context(X, range(4), X[:4, 0], signals={"embed": scaler.transform})
    idx, score = GreedySampling("x").select(ctx, 1)
    Z = scaler.transform(X)
    d = pairwise_distances(Z[4:], Z[:4]).min(axis=1)
    assert ctx.candidates[idx[0]] == 4 + d.argmax()
    np.testing.assert_allclose(score, d.max())


def test_gsx_cold_start_begins_at_the_centroid():
    X = np.array([[0.0], [1.0], [2.0], [6.0], [9.0]])
    idx, scores = GreedySampling("x").select(QueryContext(X, random_state=0), 3)
    # Centroid 3.6: closest is 2; then 9 (7 away); then 6 (3 from 9, 4 from 2).
    assert idx.tolist() == [2, 4, 3]
    np.testing.assert_allclose(scores, [np.nan, 7.0, 3.0])
    assert GreedySampling("x").requires_model is False
    assert GreedySampling("xy").requires_model is True
    assert GreedySampling("y").requires_model is True
    with pytest.raises(ValueError, match="needs a fitted regressor.*'gsx'"):
        GreedySampling("y").select(QueryContext(X), 1)


def test_regression_strategies_on_a_classifier_raise_clear_errors():
    X = np.array([[0.0], [1.0], [2.0], [6.0], [9.0]])
    classifier = _context(
        X,
        [0, 1],
        np.array([0, 1]),
        classes=[0, 1],
        signals={"predict": lambda rows: (rows[:, 0] > 1).astype(int)},
    )
    with pytest.raises(TypeError, match="is a classifier; use 'entropy'"):
        StdSampling().select(classifier, 1)
    for space in ("y", "xy"):
        with pytest.raises(TypeError, match="needs a regressor.*GreedySampling"):
            GreedySampling(space).select(classifier, 1)
    # GSx needs no prediction, so it works for classifiers too.
    idx, scores = GreedySampling("x").select(classifier, 2)
    assert classifier.candidates[idx].tolist() == [4, 3]
    np.testing.assert_allclose(scores, [8.0, 3.0])


def test_regression_strategy_errors_are_clear():
    X = np.arange(10.0).reshape(-1, 1)
    ctx = _context(X, [0, 1, 2], [0.0, 1.0, 2.0], signals={"predict": X.ravel})
    with pytest.raises(TypeError, match="needs predict_std.*GaussianProcessRegressor"):
        StdSampling().select(ctx, 1)
    with pytest.raises(InvalidParameterError, match="'space' parameter"):
        GreedySampling("z").select(ctx, 1)
    with pytest.raises(InvalidParameterError, match="'max_candidates' parameter"):
        StdSampling(max_candidates=0).select(ctx, 1)


def test_std_through_learners_pipelines_and_committees():
    X = np.linspace(0, 10, 21).reshape(-1, 1)
    y = np.full(21, np.nan)
    y[4:9] = np.sin(X[4:9, 0])
    gp = make_pipeline(
        StandardScaler(),
        GaussianProcessRegressor(RBF(10.0), optimizer=None, alpha=1e-6),
    )
    learner = ActiveLearner(gp, query_strategy="std", missing_label=np.nan)
    idx, scores = learner.fit(X, y).query(batch_size=2, return_scores=True)
    # The pipeline's last step gives the std: the two largest over the pool,
    # x = 10 and 9.5, the farthest from the labels on [2, 4].
    assert idx.tolist() == [20, 19]
    _, std = learner.estimator_.predict(X, return_std=True)
    std[4:9] = -np.inf
    np.testing.assert_allclose(scores, np.sort(std)[::-1][:2])
    np.testing.assert_allclose(scores, std[idx])
    committee = CommitteeRegressor(
        estimator=Ridge(), n_members=3, random_state=0, missing_label=np.nan
    ).fit(X, y)
    ctx = committee.query_context()
    local, scores = StdSampling().select(ctx, 3)
    spread = committee.predict_std(X[ctx.candidates])
    np.testing.assert_allclose(scores, np.sort(spread)[::-1][:3])
    np.testing.assert_array_equal(ctx.candidates[local], committee.query(batch_size=3))
