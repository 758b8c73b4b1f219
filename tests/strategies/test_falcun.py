"""Falcun: the relevance by hand, the sampling, and scikit-activeml."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import Falcun, QueryContext

P = np.array([[0.5, 0.5], [0.52, 0.48], [0.99, 0.01], [0.1, 0.9]])


def proba_context(P, seed=0):
    return QueryContext(
        P,
        classes=np.arange(P.shape[1]),
        random_state=seed,
        signals={"proba": lambda X: X},
    )


def test_second_draw_probabilities_by_hand():
    # u = 1 - |p1 - p2| = [1, .96, .02, .2]; after drawing 0 the L1
    # distances to it are [0, .04, .98, .8]; min with u: [0, .04, .02, .2];
    # min-max: [0, .2, .1, 1]; relevance u + d = [-, 1.16, .12, 1.2]
    gamma = 2
    relevance = np.array([0, 1.16, 0.12, 1.2]) ** gamma
    for seed in range(20):
        idx, chance = Falcun(gamma=gamma).select(proba_context(P, seed), 2)
        if idx[0] == 0:
            assert chance[1] == pytest.approx(relevance[idx[1]] / relevance.sum())
            return
    pytest.fail("no seed drew sample 0 first")


def test_first_draw_follows_uncertainty_squared_times_two():
    # with S empty, d = u, so r = (2 u) ** gamma
    u = np.array([1, 0.96, 0.02, 0.2])
    draws = np.array(
        [Falcun(gamma=1).select(proba_context(P, s), 1)[0][0] for s in range(3000)]
    )
    freq = np.bincount(draws, minlength=4) / 3000
    np.testing.assert_allclose(freq, u / u.sum(), atol=0.03)


def test_gamma_zero_is_uniform_and_all_zero_relevance_falls_back():
    idx, chance = Falcun(gamma=0).select(proba_context(P), 3)
    np.testing.assert_allclose(chance, [1 / 4, 1 / 3, 1 / 2])
    certain = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]])
    idx, chance = Falcun().select(proba_context(certain), 3)
    assert sorted(idx.tolist()) == [0, 1, 2]
    np.testing.assert_allclose(chance, [1 / 3, 1 / 2, 1])


def test_agrees_with_skactiveml_on_the_first_two_draws():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y = load_iris(return_X_y=True)
    y_partial = np.full(len(y), -1)
    y_partial[::15] = y[::15]
    learner = ActiveLearner(LogisticRegression(max_iter=500)).fit(X, y_partial)
    cand = np.flatnonzero(y_partial == -1)
    y_nan = np.where(y_partial == -1, np.nan, y_partial.astype(float))
    clf = classifier.SklearnClassifier(
        LogisticRegression(max_iter=500), classes=[0, 1, 2]
    ).fit(X, y_nan)
    compared = 0
    for seed in range(30):
        ctx = learner.query_context()
        ctx.random_state = np.random.RandomState(seed)
        idx, chance = Falcun().select(ctx, 2)
        q, util = pool.Falcun(random_state=seed).query(
            X, y_nan, clf, fit_clf=False, batch_size=2, return_utilities=True
        )
        # their random stream differs (they reseed), so compare each draw's
        # probability under their distribution of the same step
        assert chance[0] == pytest.approx(util[0][cand[idx[0]]], rel=1e-9)
        if q[0] == cand[idx[0]]:  # the same first draw: the same second step
            assert chance[1] == pytest.approx(util[1][cand[idx[1]]], rel=1e-9)
            compared += 1
    assert compared >= 3
