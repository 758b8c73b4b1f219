"""ProbCover and MaxHerding: worked examples, brute force, and scikit-activeml."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import euclidean_distances
from sklearn.metrics.pairwise import rbf_kernel
from sklearn.preprocessing import normalize

from skal import ActiveLearner
from skal.strategies import MaxHerding, ProbCover, QueryContext, impurity_radius


def line_context(labeled=None, seed=0):
    X = np.array([[0.0], [0.1], [0.2], [0.3], [5.0], [5.1], [9.0]])
    kwargs = {}
    if labeled is not None:
        kwargs = {"X_labeled": np.array(labeled), "y_labeled": np.zeros(len(labeled))}
    return QueryContext(X, random_state=seed, classes=np.arange(2), **kwargs)


def test_probcover_worked_example():
    # balls of radius 0.15: {0,1} {0,1,2} {1,2,3} {2,3} {4,5} {4,5} {6}
    idx, gains = ProbCover(deltas=[0.15]).select(line_context(), 4)
    # 1 or 2 first (3 points); then 4/5 cover two; then the rest one each
    assert idx[0] in (1, 2) and gains.tolist()[:2] == [3.0, 2.0]
    assert idx[1] in (4, 5)
    assert gains.tolist()[2:] == [1.0, 1.0]


def test_probcover_labeled_points_cover_their_balls():
    # a labeled point at 0.05 covers candidates 0 and 1
    idx, gains = ProbCover(deltas=[0.15]).select(line_context([[0.05]]), 2)
    assert gains.tolist() == [2.0, 2.0]
    assert set(idx.tolist()) <= {2, 3, 4, 5}


def brute_force_probcover(Z, Z_labeled, delta, picks):
    """Gain of each pick (given the earlier ones) and the best possible gain."""
    points = np.vstack([Z, Z_labeled])
    ball = euclidean_distances(points, points) <= delta
    covered = ball[len(Z) :].any(axis=0)
    gains, best = [], []
    for p in picks:
        counts = (ball[: len(Z)] & ~covered).sum(axis=1)
        gains.append(counts[p])
        best.append(counts.max())
        covered |= ball[p]
    return gains, best


def test_probcover_is_greedy_max_coverage_against_brute_force():
    Z, _ = make_blobs(80, centers=4, cluster_std=1.0, random_state=1)
    ctx = QueryContext(Z[:70], X_labeled=Z[70:], y_labeled=np.zeros(10), random_state=3)
    idx, gains = ProbCover(deltas=[1.0]).select(ctx, 12)
    ref_gains, best = brute_force_probcover(Z[:70], Z[70:], 1.0, idx)
    assert gains.tolist() == ref_gains == best
    assert gains[0] > gains[-1]


def test_probcover_picks_the_largest_pure_delta():
    Z = np.array([[0.0], [0.5], [4.0], [4.5]])
    clusters = np.array([0, 0, 1, 1])
    assert impurity_radius(Z, clusters).tolist() == [4.0, 3.5, 3.5, 4.0]
    strategy = ProbCover(
        deltas=[1.0, 3.0, 3.6, 5.0],
        alpha=0.5,
        clusterer=KMeans(2, n_init=3, random_state=0),
    )
    delta, purity = strategy.choose_delta(QueryContext(Z), Z)
    assert (delta, purity) == (3.6, 0.5)
    strategy.set_params(alpha=0.9)
    assert strategy.choose_delta(QueryContext(Z), Z) == (3.0, 1.0)


def test_probcover_needs_n_clusters_for_regression():
    X = np.arange(6.0).reshape(-1, 1)
    ctx = QueryContext(X, X_labeled=X[:1] + 10, y_labeled=[2.5], random_state=0)
    with pytest.raises(ValueError, match="set n_clusters, or give one radius"):
        ProbCover().select(ctx, 1)
    assert ProbCover(n_clusters=2).select(ctx, 1)[0].shape == (1,)
    gains = ProbCover(deltas=[1.5]).select(ctx, 2)[1]
    assert gains[0] == 3.0 and gains[1] in (2.0, 3.0)  # ties broken at random
    # before any label (a cold start) two clusters, as scikit-activeml
    assert ProbCover().select(QueryContext(X, random_state=0), 1)[0].shape == (1,)


def test_probcover_rejects_negative_deltas():
    with pytest.raises(ValueError, match="non-negative finite deltas"):
        ProbCover(deltas=[-1.0, 0.5]).select(line_context(), 1)


def skactiveml_replay(ours, make_theirs, Z, labeled, steps):
    """Query one sample at a time in both libraries; label theirs in both.

    Yields our pick and gain, their utilities over the candidates, and their
    strategy.
    """
    labeled = list(labeled)
    for _ in range(steps):
        cand = np.setdiff1d(np.arange(len(Z)), labeled)
        X = np.vstack([Z[cand], Z[labeled]])  # the same row order as ours
        y = np.r_[np.full(len(cand), np.nan), np.zeros(len(labeled))]
        ctx = QueryContext(
            Z[cand],
            X_labeled=Z[labeled],
            y_labeled=np.zeros(len(labeled)),
            classes=np.arange(3),
            random_state=0,
        )
        idx, gains = ours.select(ctx, 1)
        theirs = make_theirs()
        q, util = theirs.query(X, y, batch_size=1, return_utilities=True)
        yield idx[0], gains[0], util[0][: len(cand)], theirs
        labeled.append(cand[q[0]])


def test_probcover_agrees_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    Z = normalize(load_iris().data[::2])
    deltas = [0.01, 0.02, 0.03, 0.04, 0.05, 0.1]

    def theirs():
        return pool.ProbCover(
            n_classes=3,
            deltas=deltas,
            alpha=0.9,
            cluster_algo_dict={"random_state": 0, "n_init": 3},
            random_state=0,
        )

    ours = ProbCover(
        deltas=deltas, alpha=0.9, clusterer=KMeans(3, n_init=3, random_state=0)
    )
    gains = []
    for pick, gain, util, peer in skactiveml_replay(ours, theirs, Z, [0, 30], 6):
        assert gain == util.max() and util[pick] == util.max()
        assert ours.delta_ == peer.delta_max_ == 0.04
        gains.append(gain)
    assert gains[0] > gains[-1] > 0


def test_maxherding_against_brute_force_coverage():
    Z, _ = make_blobs(50, centers=3, random_state=2)
    K = rbf_kernel(Z, gamma=0.3)
    ctx = QueryContext(Z[:40], X_labeled=Z[40:], y_labeled=np.zeros(10), random_state=0)
    idx, gains = MaxHerding(
        metric_params={"gamma": 0.3}, normalize_samples=False
    ).select(ctx, 6)
    chosen = list(range(40, 50))
    for pick, gain in zip(idx, gains):
        # coverage of the candidates: mean over j of the best kernel to L
        def coverage(extra):
            return K[:40][:, chosen + extra].max(axis=1).mean()

        options = [coverage([i]) - coverage([]) for i in range(40)]
        assert gain == pytest.approx(options[pick]) == pytest.approx(max(options))
        chosen.append(pick)


def test_maxherding_worked_example_without_labels():
    # first pick: the largest kernel density; then the other cluster
    idx, gains = MaxHerding(normalize_samples=False).select(line_context(), 3)
    assert idx[0] in (1, 2) and idx[1] in (4, 5)
    assert gains[0] > gains[1] > gains[2] > 0


def test_maxherding_agrees_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    X, _ = make_blobs(300, centers=5, n_features=6, random_state=0)
    labeled = [0, 1, 2]
    cand = np.setdiff1d(np.arange(300), labeled)
    y = np.full(300, np.nan)
    y[labeled] = 0
    q, util = pool.MaxHerding(random_state=0).query(
        X, y, batch_size=8, return_utilities=True
    )
    ctx = QueryContext(
        X, cand, X_labeled=X[labeled], y_labeled=np.zeros(3), random_state=0
    )
    idx, gains = MaxHerding().select(ctx, 8)
    assert cand[idx].tolist() == q.tolist()
    np.testing.assert_allclose(gains, np.nanmax(util, axis=1), rtol=1e-9)


@pytest.mark.parametrize("name", ["probcover", "maxherding"])
def test_coverage_strategies_choose_the_first_labels(name):
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(
        LogisticRegression(max_iter=300),
        query_strategy=name,
        batch_size=4,
        random_state=0,
    )
    learner.fit(X, np.full(len(y), -1))
    idx = learner.query()
    assert len(set(idx.tolist())) == 4
    learner.teach(X[idx], y[idx])
    assert learner.labeled_mask_.sum() == 4


def test_maxherding_without_the_kernel_cache_gives_the_same_batch(monkeypatch):
    from skal.strategies import _coverage

    X, _ = make_blobs(400, n_features=5, random_state=3)
    ctx = QueryContext(X, X_labeled=X[:3], y_labeled=np.zeros(3), random_state=0)
    idx, gains = MaxHerding().select(ctx, 8)
    monkeypatch.setattr(_coverage, "_KERNEL_CACHE_BYTES", 0)
    idx_blocks, gains_blocks = MaxHerding().select(ctx, 8)
    assert idx.tolist() == idx_blocks.tolist()
    np.testing.assert_allclose(gains, gains_blocks, rtol=1e-12)
