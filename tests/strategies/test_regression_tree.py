"""Regression-tree-based AL: worked examples, allocation, learner, peers."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes
from sklearn.tree import DecisionTreeRegressor

from skal import ActiveLearner
from skal.strategies import QueryContext, RegressionTreeBasedAL
from skal.strategies._regression_tree import discretize, leaf_allocation

# two groups: labeled variances 1 (left) and 9 (right), three candidates each,
# so a batch of 4 is shared 1 : 3
X_1D = np.array(
    [
        [0.0],
        [0.5],
        [1.0],
        [10.0],
        [10.5],
        [11.0],
        [0.25],
        [0.8],
        [0.9],
        [10.2],
        [10.6],
        [12.0],
    ]
)
Y_1D = np.array([0.0, 1.0, 2.0, 10.0, 13.0, 16.0])
STUMP = DecisionTreeRegressor(max_depth=1)


def context_1d(seed=0):
    return QueryContext(
        X_1D, range(6, 12), X_labeled=X_1D[:6], y_labeled=Y_1D, random_state=seed
    )


@pytest.mark.parametrize("seed", range(4))
def test_random_shares_the_batch_by_leaf(seed):
    idx, scores = RegressionTreeBasedAL(tree=STUMP).select(context_1d(seed), 4)
    picks = context_1d().candidates[idx]
    assert sum(p < 6 + 3 for p in picks) == 1  # one of the left candidates
    assert sorted(p for p in picks if p >= 9) == [9, 10, 11]
    np.testing.assert_allclose(sorted(scores), [1.0, 3.0, 3.0, 3.0])


def test_representativity_worked_example():
    # left cluster {0.25, 0.8, 0.9}: R = 0.6, 0.325, 0.375 and the distance to
    # the nearest label or pick is 0.25, 0.2, 0.1, so 0.8 wins (-0.125)
    ctx = context_1d()
    idx, scores = RegressionTreeBasedAL("representativity", tree=STUMP).select(ctx, 4)
    assert sorted(ctx.candidates[idx].tolist()) == [7, 9, 10, 11]
    left = ctx.candidates[idx].tolist().index(7)
    assert scores[left] == pytest.approx(-0.125)


def test_diversity_spreads_picks_within_a_leaf():
    X = np.array([[0.0], [10.0], [1.0], [2.0], [9.0], [5.0], [5.1]])
    ctx = QueryContext(
        X, range(2, 7), X_labeled=X[:2], y_labeled=[0.0, 1.0], random_state=0
    )
    one_leaf = DecisionTreeRegressor(min_samples_leaf=2)  # two labels: no split
    idx, scores = RegressionTreeBasedAL("diversity", tree=one_leaf).select(ctx, 2)
    # 5.0 is farthest from {0, 10} (5.1: 4.9); then 2.0, not 5.1 next to it
    assert ctx.candidates[idx].tolist() == [5, 3]
    np.testing.assert_allclose(scores, [5.0, 2.0])


def test_allocation_and_rounding():
    leaves, n_k = leaf_allocation(
        np.array([3, 3, 3, 5]),
        np.array([3, 3, 5, 5]),
        np.array([0.0, 2.0, 0.0, 1.0]),
        2,
    )
    # p = 3/4, 1/4; v = 2, 0.5: sqrt(1.5) : sqrt(0.125)
    w = np.sqrt([1.5, 0.125])
    assert leaves.tolist() == [3, 5]
    np.testing.assert_allclose(n_k, 2 * w / w.sum())
    # zero variance everywhere: shares follow the candidates
    _, flat = leaf_allocation(np.array([1, 1, 2]), np.array([1, 2]), np.zeros(2), 3)
    np.testing.assert_allclose(flat, [2.0, 1.0])
    # capacity: a leaf never gets more picks than candidates
    counts = discretize(
        np.array([3.5, 0.5]), np.array([2, 5]), 4, np.random.RandomState(0)
    )
    assert counts.tolist() == [2, 2]


def test_uses_the_learners_tree_and_cold_start():
    X, y = load_diabetes(return_X_y=True)
    y_pool = np.full(150, np.nan)
    y_pool[::5] = y[:150:5]
    learner = ActiveLearner(
        DecisionTreeRegressor(min_samples_leaf=3, random_state=0),
        query_strategy="regression_tree_diversity",
        missing_label=np.nan,
        random_state=0,
    ).fit(X[:150], y_pool)
    ctx = learner.query_context()
    strategy = RegressionTreeBasedAL("diversity")
    assert strategy._fitted_tree(ctx) is learner.estimator_
    idx = learner.query(batch_size=8)
    assert len(set(idx.tolist())) == 8 and np.isnan(y_pool[idx]).all()
    one = QueryContext(X[:10], range(1, 10), X_labeled=X[:1], y_labeled=y[:1])
    idx, scores = RegressionTreeBasedAL().select(one, 3)  # < 2 labels: random
    assert len(set(idx.tolist())) == 3 and np.isnan(scores).all()
    clf = QueryContext(X[:10], classes=[0, 1], X_labeled=X[:4], y_labeled=[0, 1, 0, 1])
    with pytest.raises(TypeError, match="regression strategy, but the model is a"):
        RegressionTreeBasedAL().select(clf, 1)


@pytest.fixture
def diabetes_pool():
    X, y = load_diabetes(return_X_y=True)
    y_pool = np.full(100, np.nan)
    y_pool[::5] = y[:100:5]
    return X[:100], y_pool


def test_allocation_agrees_with_skactiveml(diabetes_pool):
    module = pytest.importorskip("skactiveml.pool._regression_tree_based_al")
    X, y_pool = diabetes_pool
    labeled = ~np.isnan(y_pool)
    tree = DecisionTreeRegressor(min_samples_leaf=5, random_state=0)
    tree.fit(X[labeled], y_pool[labeled])
    theirs = module._calc_acquisitions_per_leaf(X, y_pool, tree, np.nan, batch_size=10)
    leaves, ours = leaf_allocation(
        tree.apply(X[~labeled]), tree.apply(X[labeled]), y_pool[labeled], 10
    )
    np.testing.assert_allclose(ours, theirs[leaves])
    assert theirs.sum() == pytest.approx(10)


def test_skactiveml_shortens_or_fails_when_every_leaf_variance_is_zero(diabetes_pool):
    pool = pytest.importorskip("skactiveml.pool")
    regressor = pytest.importorskip("skactiveml.regressor")
    X, y_pool = diabetes_pool
    # a fully grown tree: one label per leaf, every variance 0; their fallback
    # spreads the batch over all nodes, internal ones included
    reg = regressor.SklearnRegressor(DecisionTreeRegressor(random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        short = pool.RegressionTreeBasedAL(random_state=0).query(
            X, y_pool, reg, batch_size=10
        )
        assert np.ravel(short).shape == (5,)  # and of shape (5, 1)
        with pytest.raises(ValueError, match="0 sample"):
            pool.RegressionTreeBasedAL("representativity", random_state=0).query(
                X, y_pool, reg, batch_size=10
            )
    learner = ActiveLearner(
        DecisionTreeRegressor(random_state=0),
        query_strategy=RegressionTreeBasedAL("representativity"),
        missing_label=np.nan,
        random_state=0,
    ).fit(X, y_pool)
    idx = learner.query(batch_size=10)
    assert len(set(idx.tolist())) == 10 and np.isnan(y_pool[idx]).all()


def test_representativity_with_duplicate_rows_fills_the_batch():
    # one leaf, 4 picks, but only 2 distinct candidate rows: k-means finds 2
    X = np.array([[0.0], [1.0], [5.0], [5.0], [5.0], [7.0], [7.0], [7.0]])
    ctx = QueryContext(
        X, range(2, 8), X_labeled=X[:2], y_labeled=[0.0, 1.0], random_state=0
    )
    one_leaf = DecisionTreeRegressor(min_samples_leaf=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # k-means: fewer distinct clusters
        idx, scores = RegressionTreeBasedAL("representativity", tree=one_leaf).select(
            ctx, 4
        )
    assert len(set(idx.tolist())) == 4
    assert np.isfinite(scores[:2]).all() and np.isnan(scores[2:]).all()
