"""The cost_matrix option of UncertaintySampling: values, errors, scikit-activeml."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import (
    QueryContext,
    UncertaintySampling,
    expected_cost,
    least_confidence,
    margin,
)

PROBA = np.array([[0.7, 0.2, 0.1], [0.4, 0.35, 0.25], [0.1, 0.1, 0.8]])
# missing class 2 is expensive
COSTS = np.array([[0, 1, 1], [1, 0, 1], [8, 8, 0]])


def test_expected_cost_by_hand():
    # expected cost of each decision: proba @ C
    # row 0: [0.2 + 0.8, 0.7 + 0.8, 0.7 + 0.2] -> [1.0, 1.5, 0.9]
    # row 1: [0.35 + 2.0, 0.4 + 2.0, 0.75] -> [2.35, 2.4, 0.75]
    # row 2: [0.1 + 6.4, 0.1 + 6.4, 0.2] -> [6.5, 6.5, 0.2]
    np.testing.assert_allclose(expected_cost(PROBA, COSTS), [0.9, 0.75, 0.2])
    np.testing.assert_allclose(
        expected_cost(PROBA, COSTS, measure="margin"), [-0.1, -1.6, -6.3]
    )


def test_zero_one_costs_are_least_confidence_and_margin():
    C = 1 - np.eye(3)
    np.testing.assert_allclose(expected_cost(PROBA, C), least_confidence(PROBA))
    np.testing.assert_allclose(
        expected_cost(PROBA, C, measure="margin"), margin(PROBA) - 1
    )


def cost_context():
    return QueryContext(
        np.arange(3.0).reshape(-1, 1),
        signals={"proba": lambda X: PROBA[X[:, 0].astype(int)]},
        classes=np.arange(3),
        random_state=0,
    )


def test_cost_matrix_changes_the_pick():
    # without costs the flattest row 1 is picked; with them row 0, whose
    # 10% chance of the expensive class 2 makes its best decision costlier
    ctx = cost_context()
    assert UncertaintySampling("least_confidence").select(ctx, 1)[0].tolist() == [1]
    strategy = UncertaintySampling("least_confidence", cost_matrix=COSTS)
    idx, scores = strategy.select(ctx, 3)
    assert idx.tolist() == [0, 1, 2]
    np.testing.assert_allclose(scores, [0.9, 0.75, 0.2])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"measure": "entropy"}, "cost_matrix works with measure='least_confidence'"),
        ({"cost_matrix": np.ones((2, 2)) - np.eye(2)}, r"shape \(3, 3\)"),
        ({"cost_matrix": np.ones((3, 3))}, "zeros on the diagonal"),
        ({"cost_matrix": -COSTS}, "non-negative"),
    ],
)
def test_bad_cost_matrix_is_refused(kwargs, match):
    params = {"measure": "least_confidence", "cost_matrix": COSTS, **kwargs}
    with pytest.raises(ValueError, match=match):
        UncertaintySampling(**params).select(cost_context(), 1)


@pytest.mark.parametrize(
    "measure, method",
    [("least_confidence", "least_confident"), ("margin", "margin_sampling")],
)
def test_cost_matrix_agrees_with_skactiveml(measure, method):
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y = load_iris(return_X_y=True)
    y_partial = np.full(len(y), -1)
    y_partial[::10] = y[::10]
    C = np.array([[0, 1, 2], [3, 0, 1], [5, 4, 0]])
    learner = ActiveLearner(
        LogisticRegression(max_iter=500),
        query_strategy=UncertaintySampling(measure, cost_matrix=C),
    ).fit(X, y_partial)
    ours = learner.query_strategy.score(learner.query_context())
    y_nan = np.where(y_partial == -1, np.nan, y_partial.astype(float))
    clf = classifier.SklearnClassifier(
        LogisticRegression(max_iter=500), classes=[0, 1, 2]
    ).fit(X, y_nan)
    theirs = pool.UncertaintySampling(method=method, cost_matrix=C).query(
        X, y_nan, clf, fit_clf=False, return_utilities=True
    )[1][0]
    np.testing.assert_allclose(ours, theirs[y_partial == -1], rtol=1e-6)
