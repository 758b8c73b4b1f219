"""Discriminative AL: refits after each pick, greedy mode, and scikit-activeml."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression

from skal.strategies import DiscriminativeAL, QueryContext


def blobs():
    X, _ = make_blobs(120, centers=3, random_state=0)
    labeled = np.arange(0, 120, 20)
    cand = np.setdiff1d(np.arange(120), labeled)
    return X, labeled, cand


def by_hand(X, labeled, cand, batch_size):
    """Refit a logistic regression after each pick: labeled 0, unlabeled 1."""
    picks = []
    for _ in range(batch_size):
        target = np.isin(np.arange(len(X)), cand).astype(int)
        target[cand[picks]] = 0
        proba = (
            LogisticRegression(max_iter=1000)
            .fit(X, target)
            .predict_proba(X[cand])[:, 1]
        )
        proba[picks] = -np.inf
        picks.append(int(np.argmax(proba)))
    return picks


def test_refits_after_each_pick_like_by_hand():
    X, labeled, cand = blobs()
    ctx = QueryContext(
        X, cand, X_labeled=X[labeled], y_labeled=np.zeros(6), random_state=0
    )
    idx, scores = DiscriminativeAL().select(ctx, 4)
    assert idx.tolist() == by_hand(X, labeled, cand, 4)
    assert np.all((scores > 0.5) & (scores < 1))


def test_greedy_fits_once():
    X, labeled, cand = blobs()
    ctx = QueryContext(
        X, cand, X_labeled=X[labeled], y_labeled=np.zeros(6), random_state=0
    )
    idx, scores = DiscriminativeAL(greedy=True).select(ctx, 4)
    assert idx.tolist() == by_hand(X, labeled, cand, 1) + idx.tolist()[1:]
    assert np.all(np.diff(scores) <= 0)


def test_cold_start_picks_uniformly_first():
    X, _, _ = blobs()
    idx, scores = DiscriminativeAL().select(QueryContext(X, random_state=0), 3)
    assert len(set(idx.tolist())) == 3 and np.isnan(scores[0])
    assert np.all(scores[1:] > 0)


def test_agrees_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, labeled, cand = blobs()
    y = np.full(len(X), np.nan)
    y[labeled] = 0
    disc = classifier.SklearnClassifier(LogisticRegression(max_iter=1000))
    for greedy in (False, True):
        q, util = pool.DiscriminativeAL(greedy_selection=greedy, random_state=0).query(
            X, y, disc, batch_size=4, return_utilities=True
        )
        ctx = QueryContext(
            X, cand, X_labeled=X[labeled], y_labeled=np.zeros(6), random_state=0
        )
        idx, scores = DiscriminativeAL(greedy=greedy).select(ctx, 4)
        assert cand[idx].tolist() == q.tolist()
        np.testing.assert_allclose(scores, np.nanmax(util, axis=1), rtol=1e-4)
