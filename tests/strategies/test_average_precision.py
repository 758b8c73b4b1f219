"""Expected average precision: scikit-activeml's numbers and picks."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import (
    ExpectedAveragePrecision,
    expected_average_precision,
    resolve_strategy,
)

pool = pytest.importorskip("skactiveml.pool")
skclf = pytest.importorskip("skactiveml.classifier")


@pytest.mark.parametrize("n, n_classes", [(2, 2), (7, 3), (16, 4)])
def test_scores_equal_skactiveml(n, n_classes):
    proba = np.random.default_rng(n).dirichlet(np.ones(n_classes), size=n)
    proba[1] = proba[0]  # tied probabilities rank either way: same score
    theirs = pool.expected_average_precision(np.arange(n_classes), proba)
    ours = expected_average_precision(proba)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    assert ours[0] == ours[1]


def test_hand_worked_two_samples():
    # one other sample per class: f_1(1) = 2 q, so the score is 2 q + 2 (1 - q)
    assert expected_average_precision([[0.3, 0.7], [0.9, 0.1]]).tolist() == [2, 2]


def test_learner_picks_what_skactiveml_picks():
    X, y = load_iris(return_X_y=True)
    X, y = X[::5], y[::5]
    y_nan = np.full(len(y), np.nan)
    y_nan[::6] = y[::6]
    lr = LogisticRegression(max_iter=1000)
    clf = skclf.SklearnClassifier(lr, classes=[0, 1, 2], random_state=0)
    qs = pool.UncertaintySampling(method="expected_average_precision", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs, utilities = qs.query(X, y_nan, clf=clf, return_utilities=True)
    learner = ActiveLearner(
        lr, query_strategy="expected_average_precision", missing_label=np.nan
    ).fit(X, y_nan)
    unlabeled = np.flatnonzero(np.isnan(y_nan))
    scores = learner.query_strategy_.score(learner.query_context())
    np.testing.assert_allclose(scores, utilities[0, unlabeled], rtol=1e-8)
    assert learner.query().tolist() == theirs.tolist()


def test_name_subsample_and_errors():
    assert isinstance(
        resolve_strategy("expected_average_precision"), ExpectedAveragePrecision
    )
    X, y = load_iris(return_X_y=True)
    y_partial = np.full(len(y), -1)
    y_partial[::25] = y[::25]
    learner = ActiveLearner(
        LogisticRegression(),
        query_strategy=ExpectedAveragePrecision(max_candidates=20),
        batch_size=3,
        random_state=0,
    ).fit(X, y_partial)
    idx, scores = learner.query(return_scores=True)
    assert len(set(idx.tolist())) == 3 and np.all(y_partial[idx] == -1)
    with pytest.raises(ValueError, match="at least 2 samples and 2 classes"):
        expected_average_precision([[0.4, 0.6]])
    with pytest.raises(ValueError, match="NaN or infinity"):
        expected_average_precision([[0.4, np.nan], [0.5, 0.5]])
    with pytest.raises(ValueError, match="pass max_candidates=5000"):
        expected_average_precision(np.full((5001, 2), 0.5))
    with pytest.raises(ValueError, match="shape"):
        expected_average_precision([0.4, 0.6])
    with pytest.raises(ValueError, match="max_candidates"):
        ExpectedAveragePrecision(max_candidates=-1).select(learner.query_context(), 1)


@pytest.mark.parametrize(
    "proba, row",
    [
        ([[0.6, 2.4], [0.5, 0.5]], r"row 0 is \[0.6, 2.4\] \(sum 3\)"),
        ([[0.5, 0.5], [-0.2, 1.2]], r"row 1 is \[-0.2, 1.2\] \(sum 1\)"),
    ],
)
def test_rows_that_are_no_probabilities_are_refused(proba, row):
    with pytest.raises(ValueError, match="summing to 1; " + row):
        expected_average_precision(proba)


def test_sparse_proba_is_refused_with_the_fix():
    import scipy.sparse as sp

    with pytest.raises(TypeError, match=r"pass proba.toarray\(\)"):
        expected_average_precision(sp.csr_matrix([[0.5, 0.5], [1.0, 0.0]]))
    proba = np.float32([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])
    scores = expected_average_precision(proba)
    np.testing.assert_allclose(scores, [2.58, 3.27, 2.31], atol=1e-4)


def test_a_single_candidate_with_nan_probabilities_is_refused():
    from skal.strategies import QueryContext

    def nan_proba(X):
        return np.array([[np.nan, 0.5]])

    ctx = QueryContext(np.zeros((1, 1)), signals={"proba": nan_proba}, classes=[0, 1])
    with pytest.raises(ValueError, match="proba contains NaN or infinity"):
        ExpectedAveragePrecision().score(ctx)
    ctx = QueryContext(
        np.zeros((1, 1)), signals={"proba": lambda X: np.array([[0.3, 0.7]])},
        classes=[0, 1],
    )  # fmt: skip
    np.testing.assert_array_equal(ExpectedAveragePrecision().score(ctx), [0.0])
