"""Value-of-information EER: the total risk by hand, and scikit-activeml's scores."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import ValueOfInformationEER, resolve_strategy

LR = LogisticRegression(max_iter=1000)


def iris(step=12, subsample=3):
    X, y = load_iris(return_X_y=True)
    X, y = X[::subsample], y[::subsample]
    y_partial = np.full(y.shape[0], -1)
    y_partial[::step] = y[::step]
    learner = ActiveLearner(clone(LR), query_strategy="entropy").fit(X, y_partial)
    return X, y_partial, learner


def total_risk(model, X, y_partial, C):
    labeled = y_partial >= 0
    P = model.predict_proba(X)
    on_labeled = sum(P[i] @ C[y_partial[i]] for i in np.flatnonzero(labeled))
    on_unlabeled = sum(P[i] @ C @ P[i] for i in np.flatnonzero(~labeled))
    return on_labeled + on_unlabeled


def test_scores_are_the_drop_in_total_risk():
    X, y_partial, learner = iris()
    C = 1 + np.arange(9.0).reshape(3, 3)
    np.fill_diagonal(C, 0)
    ctx = learner.query_context()
    local = np.array([0, 11, 25])
    voi = ValueOfInformationEER(C, max_candidates=None).scores(ctx.subset(local))
    current = total_risk(learner.estimator_, X, y_partial, C)
    P = learner.predict_proba(X)
    for i, x in enumerate(ctx.candidates[local]):
        expected = 0.0
        for k in range(3):
            y_new = y_partial.copy()
            y_new[x] = k
            model = clone(LR).fit(X[y_new >= 0], y_new[y_new >= 0])
            expected += P[x, k] * total_risk(model, X, y_new, C)
        assert voi[i] == pytest.approx(current - expected, rel=1e-6)


def test_without_the_current_risk_the_picks_are_the_same():
    _, _, learner = iris()
    ctx = learner.query_context().subset(np.arange(0, 40, 5))
    a = ValueOfInformationEER(max_candidates=None).scores(ctx)
    b = ValueOfInformationEER(max_candidates=None, subtract_current=False).scores(ctx)
    np.testing.assert_allclose(a - b, (a - b)[0])  # a constant shift
    assert np.argmax(a) == np.argmax(b)


def test_validation_and_names():
    _, _, learner = iris()
    with pytest.raises(ValueError, match=r"cost_matrix must have shape \(3, 3\)"):
        ValueOfInformationEER(np.ones((2, 2))).select(learner.query_context(), 1)
    with pytest.raises(ValueError, match="'normalize' parameter of Value"):
        ValueOfInformationEER(normalize="yes").select(learner.query_context(), 1)
    assert isinstance(resolve_strategy("voi"), ValueOfInformationEER)


@pytest.mark.parametrize("normalize", [True])
def test_agrees_with_skactiveml(normalize):
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y_partial, learner = iris()
    y_nan = np.where(y_partial < 0, np.nan, y_partial)
    clf = classifier.SklearnClassifier(clone(LR), classes=[0, 1, 2])
    peer = pool.ValueOfInformationEER(
        subtract_current=True, normalize=normalize, random_state=0
    )
    ctx = learner.query_context()
    local = np.arange(0, ctx.n_candidates, 6)  # a few candidates: fast
    cand = ctx.candidates[local]
    q, util = peer.query(X, y_nan, clf, candidates=cand, return_utilities=True)
    ours = ValueOfInformationEER(normalize=normalize, max_candidates=None)
    sub = ctx.subset(local)
    np.testing.assert_allclose(ours.scores(sub), util[0][cand], rtol=1e-4)
    assert cand[ours.select(sub, 1)[0][0]] == q[0]
