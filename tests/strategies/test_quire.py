"""QUIRE: the paper's objective by brute force, and scikit-activeml's scores."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics.pairwise import rbf_kernel

from skal.strategies import QUIRE, QueryContext, quire_objective, resolve_strategy


def blobs(n=60, step=6, seed=0):
    X, y = make_blobs(n, centers=3, cluster_std=2.0, random_state=seed)
    labeled = np.arange(0, n, step)
    cand = np.setdiff1d(np.arange(n), labeled)
    return X, y, labeled, cand


def context(X, y, labeled, cand, classes=np.arange(3)):
    return QueryContext(
        X,
        cand,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=classes,
        random_state=0,
    )


def paper_objective(X, y, labeled, s, c, gamma, lmbda):
    """min over real y_u of y^T L y, L = (K + lambda I)^-1 over the whole pool."""
    n = X.shape[0]
    L = np.linalg.inv(rbf_kernel(X, gamma=gamma) + lmbda * np.eye(n))
    u = np.setdiff1d(np.setdiff1d(np.arange(n), labeled), [s])
    known = np.r_[labeled, s]
    y_known = np.r_[np.where(y[labeled] == c, 1.0, -1.0), 1.0]
    y_u = -np.linalg.solve(L[np.ix_(u, u)], L[np.ix_(u, known)] @ y_known)
    full = np.zeros(n)
    full[known], full[u] = y_known, y_u
    return full @ L @ full


def test_scores_are_the_papers_objective_with_the_pool_minimized_out():
    X, y, labeled, cand = blobs()
    scores = QUIRE(lmbda=0.5, metric_params={"gamma": 0.1}).score(
        context(X, y, labeled, cand)
    )
    for i in (0, 7, 31):
        brute = max(
            paper_objective(X, y, labeled, cand[i], c, 0.1, 0.5) for c in range(3)
        )
        assert scores[i] == pytest.approx(-brute, rel=1e-9)


def test_no_labels_is_one_over_k_plus_lambda_and_ties():
    X = np.array([[0.0], [1.0], [5.0]])
    ctx = QueryContext(X, classes=[0, 1], random_state=0)
    np.testing.assert_allclose(QUIRE(lmbda=1.0).score(ctx), [-0.5, -0.5, -0.5])
    assert quire_objective(
        np.zeros((1, 0)), np.array([2.0]), np.zeros((0, 0)), np.zeros((0, 3)), 2.0
    ).tolist() == [[0.25, 0.25, 0.25]]


def test_picks_between_the_classes_not_beside_a_label():
    X = np.array([[0.1], [2.0], [3.9]])
    ctx = QueryContext(
        X,
        classes=[0, 1],
        X_labeled=np.array([[0.0], [4.0]]),
        y_labeled=[0, 1],
        random_state=0,
    )
    scores = QUIRE().score(ctx)
    assert np.argmax(scores) == 1
    assert scores[0] < scores[1] and scores[2] < scores[1]


def test_parameters_are_validated_and_named():
    ctx = QueryContext(np.zeros((3, 1)), classes=[0, 1])
    with pytest.raises(ValueError, match="'lmbda' parameter of QUIRE must be"):
        QUIRE(lmbda=0).select(ctx, 1)
    with pytest.raises(ValueError, match="QUIRE needs the classes"):
        QUIRE().select(QueryContext(np.zeros((3, 1))), 1)
    assert isinstance(resolve_strategy("quire"), QUIRE)


def test_agrees_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    X, y, labeled, cand = blobs(n=90, step=9)
    y_nan = np.full(X.shape[0], np.nan)
    y_nan[labeled] = y[labeled]
    peer = pool.Quire(
        classes=[0, 1, 2], lmbda=0.5, metric_dict={"gamma": 0.1}, random_state=0
    )
    q, util = peer.query(X, y_nan, return_utilities=True)
    strategy = QUIRE(lmbda=0.5, metric_params={"gamma": 0.1})
    ctx = context(X, y, labeled, cand)
    np.testing.assert_allclose(strategy.score(ctx), util[0][cand], rtol=1e-10)
    assert cand[strategy.select(ctx, 1)[0][0]] == q[0]


def test_binary_agrees_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    X, y = make_blobs(50, centers=2, cluster_std=3.0, random_state=1)
    labeled = np.arange(0, 50, 5)
    cand = np.setdiff1d(np.arange(50), labeled)
    y_nan = np.full(50, np.nan)
    y_nan[labeled] = y[labeled]
    _, util = pool.Quire(classes=[0, 1], random_state=0).query(
        X, y_nan, return_utilities=True
    )
    ours = QUIRE().score(context(X, y, labeled, cand, classes=np.arange(2)))
    np.testing.assert_allclose(ours, util[0][cand], rtol=1e-10)
