"""ActiveLearner(semi_supervised=True): the estimator learns from the unlabeled pool."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_digits, load_iris
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier

from skal import ActiveLearner
from skal.datasets import make_pool


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def _spreading():
    return LabelSpreading(kernel="knn", n_neighbors=15, alpha=0.2, max_iter=100)


def test_estimator_sees_every_row_with_minus_one(digits):
    X, y = digits
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    learner = ActiveLearner(_spreading(), semi_supervised=True).fit(X, y_pool)
    by_hand = _spreading().fit(X, y_pool)
    assert learner.estimator_.transduction_.shape == (X.shape[0],)
    assert_array_equal(learner.classes_, np.arange(10))
    assert_allclose(learner.predict_proba(X[:50]), by_hand.predict_proba(X[:50]))


def test_teach_refits_on_the_updated_pool(digits):
    X, y = digits
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    learner = ActiveLearner(
        _spreading(), query_strategy="margin", batch_size=10, semi_supervised=True
    ).fit(X, y_pool)
    idx = learner.query()
    learner.teach(X[idx], y[idx])
    y_after = y_pool.copy()
    y_after[idx] = y[idx]
    by_hand = _spreading().fit(X, y_after)
    assert_array_equal(learner.predict(X), by_hand.predict(X))
    # the taught rows left the pool and were not appended
    assert learner.X_.shape[0] == X.shape[0]
    assert learner.labeled_mask_.sum() == 30


def test_unlabeled_rows_make_the_difference(digits):
    # With 20 labels, spreading over the 1,777 unlabeled digits beats the same
    # estimator fitted on the labeled rows alone (where it is a plain kNN).
    X, y = digits
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    unlabeled = y_pool == -1
    semi = ActiveLearner(_spreading(), semi_supervised=True).fit(X, y_pool)
    with pytest.warns(UserWarning, match="Pass semi_supervised=True"):
        alone = ActiveLearner(_spreading()).fit(X, y_pool)
    acc_semi = np.mean(semi.predict(X[unlabeled]) == y[unlabeled])
    acc_alone = np.mean(alone.predict(X[unlabeled]) == y[unlabeled])
    assert acc_semi > acc_alone + 0.05
    assert acc_semi > 0.8


def test_simulation_uses_the_unlabeled_rows(digits):
    X, y = digits
    learner = ActiveLearner(
        _spreading(),
        query_strategy="margin",
        batch_size=10,
        budget=40,
        n_initial=20,
        semi_supervised=True,
        random_state=0,
    ).fit(X, y)
    assert [h["n_labeled"] for h in learner.history_] == [20, 30, 40]
    labeled = learner.labeled_mask_
    y_hidden = np.where(labeled, y, -1)
    by_hand = _spreading().fit(X, y_hidden)
    assert_array_equal(learner.predict(X), by_hand.predict(X))
    rest = ~labeled
    expected = np.mean(by_hand.predict(X[rest]) == y[rest])
    assert learner.history_[-1]["pool_score"] == pytest.approx(expected)


def test_self_training_classifier_works_too():
    X, y = load_iris(return_X_y=True)
    y_pool = make_pool(y, n_labeled=9, random_state=0)
    est = SelfTrainingClassifier(LogisticRegression(max_iter=500), threshold=0.9)
    learner = ActiveLearner(est, semi_supervised=True).fit(X, y_pool)
    # self-training labeled pool rows itself, which it can only do if it saw them
    assert (learner.estimator_.labeled_iter_ > 0).sum() > 0
    by_hand = SelfTrainingClassifier(LogisticRegression(max_iter=500), threshold=0.9)
    assert_array_equal(learner.predict(X), by_hand.fit(X, y_pool).predict(X))


def test_one_labeled_class_falls_back_with_a_warning(digits):
    X, y = digits
    y_pool = np.full_like(y, -1)
    y_pool[np.flatnonzero(y == 3)[:5]] = 3
    with pytest.warns(UserWarning, match="Only one class"):
        learner = ActiveLearner(_spreading(), semi_supervised=True).fit(X, y_pool)
    assert_array_equal(learner.predict(X[:5]), [3] * 5)


@pytest.mark.parametrize(
    "kwargs, y_kind, match",
    [
        ({"warm_start": True}, "int", "warm_start"),
        ({}, "str", "integer class labels"),
        ({"missing_label": np.nan}, "minus_one", "-1 cannot also be a class"),
    ],
)
def test_bad_combinations_raise(digits, kwargs, y_kind, match):
    X, y = digits
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    if y_kind == "str":
        y_pool = np.where(y_pool == -1, None, y_pool.astype(str)).astype(object)
    elif y_kind == "minus_one":
        y_pool = np.where(y_pool == -1, np.nan, y_pool - 1.0)  # classes -1..8
    learner = ActiveLearner(_spreading(), semi_supervised=True, **kwargs)
    with pytest.raises(ValueError, match=match):
        learner.fit(X, y_pool)


def test_regressor_is_refused(digits):
    X, y = digits
    y_pool = np.where(make_pool(y, n_labeled=20, random_state=0) == -1, np.nan, y)
    learner = ActiveLearner(
        Ridge(), query_strategy="random", missing_label=np.nan, semi_supervised=True
    )
    with pytest.raises(ValueError, match="needs a classifier"):
        learner.fit(X, y_pool)


@pytest.mark.parametrize(
    "estimator",
    [
        SelfTrainingClassifier(LogisticRegression(max_iter=500)),
        make_pipeline(StandardScaler(), _spreading()),
    ],
)
def test_semi_supervised_estimator_without_the_flag_warns(digits, estimator):
    # A user moving from scikit-activeml's include_unlabeled_samples=True who
    # forgets semi_supervised=True got a model fitted on the 20 labels alone.
    X, y = digits
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    with pytest.warns(UserWarning, match="Pass semi_supervised=True"):
        learner = ActiveLearner(estimator).fit(X, y_pool)
    assert learner.labeled_mask_.sum() == 20
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ActiveLearner(estimator, semi_supervised=True).fit(X, y_pool)
        ActiveLearner(LogisticRegression(max_iter=500)).fit(X, y_pool)
