"""DropQuery: dropout disagreement by hand, the filter, scikit-activeml's picks."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import DropQuery, QueryContext, resolve_strategy


def predict_sum(X):
    return (np.asarray(X).sum(axis=1) > 1).astype(int)


def test_disagreement_replays_the_masks():
    X = np.random.RandomState(1).rand(30, 4) * 1.2
    ctx = QueryContext(
        X, classes=[0, 1], signals={"predict": predict_sum}, random_state=3
    )
    rate = DropQuery(dropout_rate=0.5, n_dropout_samples=4).disagreement(ctx)
    rng = np.random.RandomState(3)
    expected = np.zeros(30)
    for _ in range(4):
        keep = rng.random_sample(X.shape) >= 0.5
        expected += predict_sum(X * keep) != predict_sum(X)
    np.testing.assert_array_equal(rate, expected / 4)


def test_picks_only_among_the_unstable_and_spreads_them():
    # rows 0-5 sit just above the threshold (dropping either feature flips
    # them: probability 3/4), rows 6-8 never flip, rows 9-11 flip only when
    # both features drop (1/4); the batch of 2 takes one per cluster
    X = np.r_[
        [[0.6, 0.6], [0.62, 0.6], [0.6, 0.62]],
        [[0.9, 0.2], [0.95, 0.2], [1.0, 0.2]],
        np.full((3, 2), 0.01),
        np.full((3, 2), 20.0),
    ]
    ctx = QueryContext(
        X, classes=[0, 1], signals={"predict": predict_sum}, random_state=0
    )
    strategy = DropQuery(dropout_rate=0.5, n_dropout_samples=40)
    rate = strategy.disagreement(
        QueryContext(
            X, classes=[0, 1], signals={"predict": predict_sum}, random_state=0
        )
    )
    assert np.all(rate[:6] > 0.5) and np.all(rate[6:9] == 0) and np.all(rate[9:] < 0.5)
    idx, _ = strategy.select(ctx, 2)
    assert sorted(i // 3 for i in idx) == [0, 1]


def test_too_few_unstable_rows_fill_up_from_the_top():
    X = np.array([[0.6, 0.6], [0.01, 0.01], [0.02, 0.0], [9.0, 9.0]])
    ctx = QueryContext(
        X, classes=[0, 1], signals={"predict": predict_sum}, random_state=0
    )
    idx, _ = DropQuery(n_dropout_samples=20).select(ctx, 3)
    assert len(set(idx.tolist())) == 3 and 0 in idx and 3 in idx


def test_validation_and_name():
    ctx = QueryContext(
        np.zeros((3, 1)), classes=[0, 1], signals={"predict": predict_sum}
    )
    with pytest.raises(ValueError, match="'dropout_rate' parameter of DropQuery"):
        DropQuery(dropout_rate=1.0).select(ctx, 1)
    assert isinstance(resolve_strategy("dropquery"), DropQuery)


def test_agrees_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    utils = pytest.importorskip("skactiveml.utils")
    X, y = load_digits(return_X_y=True)
    X, y = X[:400] / 16, y[:400]
    y_partial = np.full(400, -1)
    y_partial[::8] = y[::8]
    y_nan = np.where(y_partial < 0, np.nan, y_partial)
    learner = ActiveLearner(LogisticRegression(max_iter=2000)).fit(X, y_partial)
    clf = classifier.SklearnClassifier(
        LogisticRegression(max_iter=2000), classes=np.arange(10)
    ).fit(X, y_nan)
    kmeans = KMeans(n_init=1, random_state=0)
    q = pool.DropQuery(
        cluster_algo=lambda **kw: KMeans(**kw, n_init=1, random_state=0), random_state=0
    ).query(X, y_nan, clf, fit_clf=False, batch_size=5)
    # scikit-activeml seeds each query from its seed and the unlabeled count
    rng = utils.check_random_state(0, int(np.isnan(y_nan).sum()) + 1)
    ctx = learner.query_context()
    ctx.random_state = rng
    idx, _ = DropQuery(clusterer=kmeans).select(ctx, 5)
    np.testing.assert_array_equal(ctx.candidates[idx], q)
