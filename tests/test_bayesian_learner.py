"""BayesianLearner with a non-torch estimator that provides predict_proba_samples."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone

from skal import BayesianLearner
from skal.strategies import BALD, MaxEntropy

# Hand-worked stack: 2 passes x 4 samples x 2 classes.
#   sample 0: both passes [0.5, 0.5]    -> BALD = ln 2 - ln 2 = 0
#   sample 1: passes [1, 0] and [0, 1]  -> BALD = ln 2 - 0 = 0.6931
#   sample 2: passes [0.9, 0.1], [0.1, 0.9]
#             -> ln 2 - H(0.9, 0.1) = 0.6931 - 0.3251 = 0.3681
#   sample 3: both passes [1, 0]        -> BALD = 0
STACK = np.array(
    [
        [[0.5, 0.5], [1.0, 0.0], [0.9, 0.1], [1.0, 0.0]],
        [[0.5, 0.5], [0.0, 1.0], [0.1, 0.9], [1.0, 0.0]],
    ]
)


class StackModel(ClassifierMixin, BaseEstimator):
    """Returns rows of STACK selected by the first feature of X."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba_samples(self, X, n_samples=2):
        return STACK[:, np.asarray(X)[:, 0].astype(int)][:n_samples]


X = np.arange(4, dtype=float)[:, None]
Y = np.array([0, -1, -1, 1])


def test_bald_on_hand_worked_stack_through_the_learner():
    learner = BayesianLearner(StackModel(), n_samples=2, random_state=0).fit(X, Y)
    idx, scores = learner.query(batch_size=2, return_scores=True)
    assert idx.tolist() == [1, 2]
    np.testing.assert_allclose(scores, [np.log(2), np.log(2) - 0.325083], atol=1e-6)
    np.testing.assert_allclose(learner.predict_proba(X), STACK.mean(axis=0))
    assert learner.predict(X).tolist() == [0, 0, 0, 0]


def test_named_strategies_and_n_samples_reach_the_estimator():
    learner = BayesianLearner(StackModel(), n_samples=1, query_strategy="max_entropy")
    learner.fit(X, Y)
    assert isinstance(learner.query_strategy_, MaxEntropy)
    assert learner.predict_proba_samples(X).shape == (1, 4, 2)
    assert isinstance(clone(learner).set_params(query_strategy=BALD()), BayesianLearner)


def test_bad_n_samples():
    with pytest.raises(ValueError, match="n_samples"):
        BayesianLearner(StackModel(), n_samples=0).fit(X, Y)
    with pytest.raises(TypeError, match="n_samples"):
        BayesianLearner(StackModel(), n_samples=2.5).fit(X, Y)


def test_proba_and_predict_read_the_cached_passes_of_a_query():
    # BALD + entropy in one query: the stochastic passes run once, and the
    # mean probabilities are the mean of exactly those passes
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression

    from skal import Committee
    from skal.datasets import make_pool

    X, y = load_digits(return_X_y=True)
    members = Committee(
        estimator=LogisticRegression(max_iter=200), n_members=3, random_state=0
    )
    learner = BayesianLearner(members, n_samples=3, random_state=0).fit(
        X, make_pool(y, n_labeled=50, random_state=0)
    )
    ctx = learner.query_context()
    passes = ctx._signals["proba_samples"]
    calls = []

    def counting(rows):
        calls.append(rows.shape[0])
        return passes(rows)

    ctx._signals["proba_samples"] = counting
    stack = ctx.proba_samples()
    np.testing.assert_allclose(ctx.proba(), stack.mean(axis=0))
    np.testing.assert_array_equal(
        ctx.predict(), learner.classes_[stack.mean(axis=0).argmax(axis=1)]
    )
    assert sum(calls) == ctx.n_candidates  # one set of passes, no more
