"""Contrastive AL (CAL): a worked example, a loop-by-loop check, scikit-activeml."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import (
    ContrastiveAL,
    QueryContext,
    contrastive_divergence,
    resolve_strategy,
)


def iris_learner(step=10):
    X, y = load_iris(return_X_y=True)
    y_partial = np.full(y.shape[0], -1)
    y_partial[::step] = y[::step]
    learner = ActiveLearner(
        LogisticRegression(max_iter=1000), query_strategy=ContrastiveAL()
    ).fit(X, y_partial)
    return X, y, y_partial, learner


def test_worked_example():
    # KL([0.1, 0.9] || [0.9, 0.1]) = 0.1 ln(1/9) + 0.9 ln 9 = 0.8 ln 9
    p = np.array([[0.9, 0.1]])
    q = np.array([[0.1, 0.9], [0.9, 0.1]])
    assert contrastive_divergence(p, q, [[0, 1]])[0] == pytest.approx(0.4 * np.log(9))


def test_scores_are_the_mean_kl_to_the_nearest_labeled_predictions():
    X, y, y_partial, learner = iris_learner()
    ctx = learner.query_context()
    scores = ContrastiveAL(n_neighbors=3).score(ctx)
    labeled = np.flatnonzero(y_partial >= 0)
    P = learner.predict_proba(X)
    for i in (0, 17, 90):
        x = ctx.candidates[i]
        near = labeled[np.argsort(np.linalg.norm(X[labeled] - X[x], axis=1))[:3]]
        kl = [np.sum(P[j] * np.log(P[j] / P[x])) for j in near]
        assert scores[i] == pytest.approx(np.mean(kl), rel=1e-6)


def test_no_labels_scores_zero_and_names_resolve():
    ctx = QueryContext(
        np.zeros((4, 1)),
        classes=[0, 1],
        signals={"proba": lambda X: np.full((len(X), 2), 0.5)},
    )
    assert ContrastiveAL().score(ctx).tolist() == [0.0] * 4
    assert isinstance(resolve_strategy("cal"), ContrastiveAL)
    with pytest.raises(ValueError, match="'n_neighbors' parameter of ContrastiveAL"):
        ContrastiveAL(n_neighbors=0).select(ctx, 1)


def test_needs_probabilities():
    ctx = QueryContext(
        np.zeros((4, 1)), classes=[0, 1], X_labeled=np.zeros((1, 1)), y_labeled=[0]
    )
    with pytest.raises(TypeError, match="predict_proba"):
        ContrastiveAL().select(ctx, 1)


def test_agrees_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y, y_partial, learner = iris_learner()
    y_nan = np.where(y_partial < 0, np.nan, y_partial)
    clf = classifier.SklearnClassifier(
        LogisticRegression(max_iter=1000), classes=[0, 1, 2]
    ).fit(X, y_nan)
    q, util = pool.ContrastiveAL(random_state=0).query(
        X, y_nan, clf, fit_clf=False, batch_size=1, return_utilities=True
    )
    ctx = learner.query_context()
    ours = ContrastiveAL().score(ctx)
    np.testing.assert_allclose(ours, util[0][ctx.candidates], rtol=1e-6)
    assert ctx.candidates[np.argmax(ours)] == q[0]
