"""ALCE: scikit-activeml's embedding, utilities and picks, and the clear errors."""

import functools

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris, make_classification
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import euclidean_distances
from sklearn.neighbors import KNeighborsRegressor

from skal import ActiveLearner
from skal.strategies import (
    CostEmbeddingAL,
    QueryContext,
    embed_cost_matrix,
    resolve_strategy,
)

skactiveml = pytest.importorskip("skactiveml")
from skactiveml.pool import CostEmbeddingAL as SkCostEmbeddingAL  # noqa: E402
from skactiveml.pool import _cost_embedding_al  # noqa: E402
from skactiveml.pool._cost_embedding_al import MDSP  # noqa: E402


@pytest.fixture(autouse=True)
def threaded_skactiveml(monkeypatch):
    """scikit-activeml's parallel SMACOF starts in threads: the same seeds, no spawn."""
    threads = functools.partial(joblib.Parallel, prefer="threads")
    monkeypatch.setattr(_cost_embedding_al, "Parallel", threads)


C4 = np.array([[0, 1, 3, 8], [2, 0, 1, 4], [6, 1, 0, 1], [9, 5, 2, 0.0]])


def iris(n_labeled=12):
    X, y = load_iris(return_X_y=True)
    labeled = np.zeros(150, dtype=bool)
    labeled[np.random.RandomState(0).choice(150, n_labeled, replace=False)] = True
    return X, y, labeled


def four_classes():
    X, y = make_classification(
        300, 6, n_informative=4, n_classes=4, n_clusters_per_class=1, random_state=0
    )
    labeled = np.zeros(300, dtype=bool)
    labeled[np.random.RandomState(1).choice(300, 20, replace=False)] = True
    return X, y, labeled


def skactiveml_seed(random_state, n_unlabeled):
    """The RandomState scikit-activeml's query derives from an int random_state."""
    draw = np.random.RandomState(random_state).randint(1, 2**31)
    return np.random.RandomState((draw * (n_unlabeled + 1)) % 2**31)


def context(X, y, labeled, rng):
    return QueryContext(
        X,
        np.flatnonzero(~labeled),
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=np.unique(y),
        random_state=rng,
    )


def mdsp(C, random_state, **params):
    k = C.shape[0]
    D = np.zeros((2 * k, 2 * k))
    D[:k, k:], D[k:, :k] = C, C.T
    defaults = {"metric": False, "n_components": k, "n_uq": k, "max_iter": 300}
    defaults.update(eps=1e-6, n_init=8, n_jobs=1, dissimilarity="precomputed")
    defaults.update(params)
    return MDSP(**defaults, random_state=random_state).fit(D).embedding_


@pytest.mark.parametrize(
    "params, seed, C",
    [
        ({}, 0, 1 - np.eye(3)),
        ({}, 5, C4),
        ({"n_jobs": 2, "n_init": 3}, 0, C4),  # a seed per start, then the starts
        ({"metric": True, "n_init": 2}, 0, C4),
        ({"max_iter": 5}, 1, C4),
    ],
)
def test_embedding_is_scikit_activemls_mdsp(params, seed, C):
    np.testing.assert_allclose(
        embed_cost_matrix(C, random_state=seed, **params),
        mdsp(C, seed, **params),
        rtol=0,
        atol=1e-12,
    )


def test_costly_confusions_are_far_and_only_the_order_counts():
    C = np.array([[0, 1, 4], [1, 0, 1], [4, 1, 0.0]])
    Z = embed_cost_matrix(C, random_state=1)
    d = np.linalg.norm(Z[:3, None] - Z[None, 3:], axis=2)  # true to predicted
    assert d[0, 2] > d[0, 1] and d[2, 0] > d[2, 1]
    # non-metric: a monotone transform of the costs gives the same points
    np.testing.assert_allclose(embed_cost_matrix(C**2 * 3, random_state=1), Z)


@pytest.mark.parametrize(
    "data, C, random_state, mds_params",
    [
        (iris, None, 0, None),
        (iris, None, 3, {"random_state": 0}),
        (four_classes, C4, 0, None),
        (four_classes, C4, 7, {"n_jobs": 2}),
        (four_classes, C4, 7, {"metric": True, "n_init": 2}),
    ],
)
def test_agrees_with_skactiveml(data, C, random_state, mds_params):
    X, y, labeled = data()
    sk = SkCostEmbeddingAL(
        classes=np.unique(y),
        cost_matrix=C,
        mds_params=mds_params,
        random_state=random_state,
    )
    sk_idx, sk_util = sk.query(
        X, np.where(labeled, y, np.nan), batch_size=3, return_utilities=True
    )
    n_unlabeled = int((~labeled).sum())
    strategy = CostEmbeddingAL(C, mds_params=mds_params)
    rng = skactiveml_seed(random_state, n_unlabeled)
    scores = strategy.score(context(X, y, labeled, rng))
    np.testing.assert_allclose(scores, sk_util[0][~labeled], rtol=0, atol=1e-10)
    rng = skactiveml_seed(random_state, n_unlabeled)
    idx, picked = strategy.select(context(X, y, labeled, rng), 3)
    assert np.flatnonzero(~labeled)[idx].tolist() == sk_idx.tolist()
    np.testing.assert_allclose(picked, scores[idx])


def test_a_learner_picks_what_skactiveml_picks_on_every_container():
    X, y, labeled = four_classes()
    fixed = {"random_state": 0}  # the same MDS starts on both sides
    sk = SkCostEmbeddingAL(classes=np.arange(4), cost_matrix=C4, mds_params=fixed)
    expected = sk.query(X, np.where(labeled, y, np.nan), batch_size=4).tolist()
    names = np.array(["a", "b", "c", "d"], dtype=object)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
    for pool, labels, missing in [
        (X, np.where(labeled, y, -1), -1),
        (frame, np.where(labeled, names[y], None), None),
    ]:
        learner = ActiveLearner(
            LogisticRegression(),
            query_strategy=CostEmbeddingAL(C4, mds_params=fixed),
            batch_size=4,
            missing_label=missing,
            random_state=0,
        ).fit(pool, labels)
        assert learner.query().tolist() == expected


def test_registered_as_alce_and_first_labels_are_random():
    assert isinstance(resolve_strategy("alce"), CostEmbeddingAL)
    X, y, _ = iris()
    learner = ActiveLearner(LogisticRegression(), query_strategy="alce")
    learner.fit(X, np.full(150, -1))
    assert type(learner.initial_strategy_).__name__ == "RandomSampling"
    # called directly with no labels (or one class): uniform, as scikit-activeml
    ctx = QueryContext(X[:5], classes=[0, 1], random_state=0)
    assert CostEmbeddingAL().score(ctx).tolist() == [1.0] * 5
    one = QueryContext(X[:5], classes=[0], X_labeled=X[5:7], y_labeled=[0, 0])
    assert CostEmbeddingAL().score(one).tolist() == [1.0] * 5
    with pytest.raises(ValueError, match="has no labeled sample"):
        CostEmbeddingAL().hidden_points(ctx)


def test_embed_dim_regressor_and_max_candidates():
    X, y, labeled = four_classes()
    ctx = context(X, y, labeled, 0)
    # any regressor: scikit-activeml passes sample_weight to fit, skal does not
    knn = CostEmbeddingAL(C4, embed_dim=2, base_regressor=KNeighborsRegressor(3))
    embedding, predicted = knn.hidden_points(ctx)
    assert embedding.shape == (8, 2) and predicted.shape == (280, 2)
    idx, scores = knn.set_params(max_candidates=50).select(ctx, 5)
    assert idx.shape == (5,) and np.all(scores >= 0)
    fixed = {"random_state": 2}
    sk = SkCostEmbeddingAL(
        classes=np.arange(4),
        cost_matrix=C4,
        embed_dim=2,
        base_regressor=Ridge(),
        mds_params=fixed,
    )
    _, util = sk.query(X, np.where(labeled, y, np.nan), return_utilities=True)
    ridge = CostEmbeddingAL(C4, embed_dim=2, base_regressor=Ridge(), mds_params=fixed)
    scores = ridge.score(context(X, y, labeled, 0))
    np.testing.assert_allclose(scores, util[0][~labeled], rtol=0, atol=1e-10)


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"cost_matrix": np.ones((3, 3))}, ValueError, r"\(4, 4\).*\[0, 1, 2, 3\]"),
        ({"cost_matrix": -C4}, ValueError, "finite non-negative"),
        ({"cost_matrix": np.zeros((4, 4))}, ValueError, "at least one positive"),
        ({"cost_matrix": np.full((4, 4), "a")}, TypeError, "must hold numbers"),
        ({"mds_params": {"n_components": 2}}, ValueError, "set embed_dim instead"),
        ({"mds_params": {"n_int": 2}}, ValueError, r"unknown keys \['n_int'\]"),
        ({"mds_params": {"n_init": 0}}, ValueError, "'n_init' parameter of mds_par"),
        ({"nn_params": {"n_neighbors": 3}}, ValueError, "ALCE needs 1"),
        ({"nn_params": {"algo": "brute"}}, ValueError, r"keys \['algo'\]"),
        ({"base_regressor": LogisticRegression()}, TypeError, "must be a regressor"),
        ({"embed_dim": 0}, ValueError, "'embed_dim' parameter of CostEmbeddingAL"),
    ],
)
def test_bad_parameters_say_what_is_wrong(params, error, message):
    X, y, labeled = four_classes()
    with pytest.raises(error, match=message):
        CostEmbeddingAL(**params).select(context(X, y, labeled, 0), 1)


def test_labels_outside_the_classes_and_a_regression_context_are_refused():
    X = np.arange(8.0).reshape(4, 2)
    ctx = QueryContext(X, classes=[0, 1], X_labeled=X[:2], y_labeled=[0, 5])
    with pytest.raises(ValueError, match=r"labels \[5\] are not among"):
        CostEmbeddingAL().select(ctx, 1)
    ctx = QueryContext(X, X_labeled=X[:2], y_labeled=[0.5, 1.5])
    with pytest.raises(ValueError, match="needs the classes of a classifier"):
        CostEmbeddingAL().select(ctx, 1)
    with pytest.raises(ValueError, match="must be square"):
        embed_cost_matrix(np.ones((2, 3)))


def test_an_embed_dim_beyond_twice_the_classes_is_refused():
    rng = np.random.RandomState(0)
    Z = rng.randn(10, 2)
    ctx = QueryContext(
        Z[4:], X_labeled=Z[:4], y_labeled=np.array([0, 1, 2, 0]), classes=[0, 1, 2]
    )
    with pytest.raises(ValueError, match=r"embed_dim=7 is more than 2 \* n_classes"):
        CostEmbeddingAL(embed_dim=7).score(ctx)
    scores = CostEmbeddingAL(embed_dim=6, mds_params={"n_init": 1}).score(ctx)
    assert scores.shape == (6,) and np.isfinite(scores).all()


def test_classes_let_the_cost_matrix_name_a_class_nobody_labeled_yet():
    # libact's ALCE tutorial: 10 labels, 7 classes, the full cost matrix; here
    # class 3 has no label yet and C4 still has its row and column
    X, y, labeled = four_classes()
    labeled &= y != 3
    sk = SkCostEmbeddingAL(classes=np.arange(4), cost_matrix=C4, random_state=2)
    sk_idx, sk_util = sk.query(
        X, np.where(labeled, y, np.nan), batch_size=2, return_utilities=True
    )
    ctx = QueryContext(
        X,
        np.flatnonzero(~labeled),
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=np.unique(y[labeled]),  # what the model knows: 0, 1, 2
        random_state=skactiveml_seed(2, int((~labeled).sum())),
    )
    scores = CostEmbeddingAL(C4, classes=[0, 1, 2, 3]).score(ctx)
    np.testing.assert_allclose(scores, sk_util[0][~labeled], rtol=0, atol=1e-10)
    # without classes, the 4 x 4 matrix does not fit the 3 classes labeled
    with pytest.raises(ValueError, match=r"shape \(3, 3\).*\[0, 1, 2\]"):
        CostEmbeddingAL(C4).score(ctx)
    with pytest.raises(ValueError, match=r"labels \[2\] are not among the classes"):
        CostEmbeddingAL(C4[:2, :2], classes=[0, 1]).score(ctx)
    with pytest.raises(ValueError, match="two or more distinct classes"):
        CostEmbeddingAL(C4, classes=[0, 1, 1, 3]).score(ctx)


def test_the_fast_isotonic_step_is_scikit_learns_to_the_bit():
    from sklearn.isotonic import IsotonicRegression

    from skal.strategies._cost_mds import _euclidean, _Isotonic

    rng = np.random.RandomState(0)
    for trial in range(60):
        n = rng.randint(2, 60)
        x = rng.choice(rng.rand(rng.randint(1, n + 1)) * 10, size=n)  # ties
        if trial % 4 == 0:
            x = np.ones(n)  # one threshold: a constant fit
        if trial % 5 == 0:
            x = x + rng.rand(n) * 1e-16  # ties within float resolution
        y = rng.rand(n) if trial % 3 else np.round(rng.rand(n) * 3)
        expected = IsotonicRegression().fit_transform(x, y)
        assert np.array_equal(_Isotonic(x)(y), expected)
        Z = rng.rand(n, 3)
        assert np.array_equal(_euclidean(Z), euclidean_distances(Z))
