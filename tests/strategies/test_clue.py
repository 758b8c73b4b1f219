"""CLUE: weighted k-means by hand, regression weights, and scikit-activeml."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import euclidean_distances

from skal import ActiveLearner
from skal.strategies import CLUE, QueryContext, entropy


def iris_learner():
    X, y = load_iris(return_X_y=True)
    y_partial = np.full(len(y), -1)
    y_partial[::12] = y[::12]
    return (
        X,
        y_partial,
        ActiveLearner(LogisticRegression(max_iter=500)).fit(X, y_partial),
    )


def test_picks_are_nearest_the_weighted_centroids():
    X, y_partial, learner = iris_learner()
    ctx = learner.query_context()
    kmeans = KMeans(n_clusters=5, n_init=3, random_state=0)
    idx, scores = CLUE(clusterer=KMeans(n_init=3, random_state=0)).select(ctx, 5)
    Z = X[y_partial == -1]
    kmeans.fit(Z, sample_weight=entropy(ctx.proba()))
    D = euclidean_distances(Z, kmeans.cluster_centers_)
    assert idx.tolist() == D.argmin(axis=0).tolist()
    np.testing.assert_allclose(scores, -D.min(axis=0))


def test_regressors_weigh_by_predictive_std():
    Z = np.array([[0.0], [1.0], [10.0], [11.0]])
    std = np.array([0.0, 1.0, 0.0, 1.0])  # only rows 1 and 3 count
    ctx = QueryContext(
        Z,
        signals={
            "predict_std": lambda X: std[
                (X[:, 0] % 10).astype(int) + 2 * (X[:, 0] >= 10)
            ]
        },
        random_state=0,
    )
    idx, scores = CLUE().select(ctx, 2)
    assert sorted(idx.tolist()) == [1, 3]
    np.testing.assert_allclose(scores, [0.0, 0.0])


def test_all_certain_falls_back_to_uniform_weights():
    P = np.tile([1.0, 0.0], (6, 1))
    ctx = QueryContext(
        np.array([[0.0], [0.1], [0.2], [7.0], [7.1], [7.2]]),
        classes=[0, 1],
        signals={"proba": lambda X: P[: len(X)]},
        random_state=0,
    )
    np.testing.assert_allclose(CLUE().uncertainty(ctx), np.ones(6))
    idx, _ = CLUE(clusterer=KMeans(n_init=3, random_state=0)).select(ctx, 2)
    assert sorted(idx.tolist()) == [1, 4]  # the middle of each group


def test_agrees_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y_partial, learner = iris_learner()
    cand = np.flatnonzero(y_partial == -1)
    y_nan = np.where(y_partial == -1, np.nan, y_partial.astype(float))
    clf = classifier.SklearnClassifier(
        LogisticRegression(max_iter=500), classes=[0, 1, 2]
    ).fit(X, y_nan)
    for measure, method in [("entropy", "entropy"), ("margin", "margin_sampling")]:
        q, util = pool.Clue(
            method=method,
            cluster_algo_dict={"random_state": 0, "n_init": 3},
            random_state=0,
        ).query(X, y_nan, clf, fit_estimator=False, batch_size=6, return_utilities=True)
        strategy = CLUE(measure, clusterer=KMeans(n_init=3, random_state=0))
        idx, scores = strategy.select(learner.query_context(), 6)
        assert cand[idx].tolist() == q.tolist()
        np.testing.assert_allclose(scores, np.nanmax(util, axis=1), rtol=1e-6)
