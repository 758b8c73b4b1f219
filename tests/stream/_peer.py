"""Shared helpers for the stream tests: a model whose confidence is the input."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from skal.stream import StreamActiveLearner


class ConfidenceIsX(ClassifierMixin, BaseEstimator):
    """predict_proba([[c]]) = [[c, 1 - c]]: the stream sets the confidences."""

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        return self

    def partial_fit(self, X, y, classes=None):
        return self.fit(X, y)

    def predict_proba(self, X):
        c = np.asarray(X, dtype=float)[:, 0]
        return np.column_stack([c, 1.0 - c])


def stream_learner(strategy, budget, manager=None, seed=0):
    """A learner on ConfidenceIsX, fitted on two rows so the model is ready."""
    learner = StreamActiveLearner(
        ConfidenceIsX(),
        strategy,
        budget=budget,
        budget_manager=manager,
        random_state=seed,
    )
    return learner.fit([[0.5], [0.5]], [0, 1])


def run_stream(learner, confidences):
    """Offer each confidence as one sample; return the decisions."""
    decisions = []
    for c in confidences:
        x = np.array([[c]])
        ask = learner.query(x)
        learner.update(x, ask)
        decisions.append(bool(ask[0]))
    return np.array(decisions)


def run_peer(manager, utilities, with_utilities=False):
    """Drive a scikit-activeml budget manager one utility at a time."""
    decisions = []
    for u in utilities:
        idx = manager.query_by_utility(np.array([u]))
        kwargs = {"utilities": np.array([u])} if with_utilities else {}
        manager.update(np.array([[u]]), idx, **kwargs)
        decisions.append(len(idx) > 0)
    return np.array(decisions)
