"""Labels of every dtype a user hands over: pandas' nullable and categorical
dtypes, bools, datetimes; missing entries read as unlabeled, classes keep
their type."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from skal import ActiveLearner
from skal.datasets import make_pool
from skal.stream import StreamActiveLearner

X, Y = load_iris(return_X_y=True)
HOLES = np.arange(150) % 15 != 0  # 10 labeled rows, every class
NAMES = np.array(["setosa", "versicolor", "virginica"], dtype=object)


def _with_holes(values, dtype):
    values = np.asarray(values, dtype=object).copy()
    values[HOLES] = None
    return pd.Series(values).astype(dtype)


def _learner(**kw):
    return ActiveLearner(LogisticRegression(max_iter=500), random_state=0, **kw)


@pytest.mark.parametrize(
    "y_user, classes, kind",
    [
        (_with_holes(Y, "Int64"), [0, 1, 2], "i"),  # ints, not floats
        (_with_holes(NAMES[Y], "string"), list(NAMES), "O"),
        (_with_holes(NAMES[Y], "category"), list(NAMES), "O"),
        (_with_holes(Y == 1, "boolean"), [False, True], "b"),
        (pd.array(np.where(HOLES, None, NAMES[Y]), dtype="string"), list(NAMES), "O"),
    ],
)
@pytest.mark.parametrize("marker", [-1, None])
def test_pandas_missing_values_are_unlabeled(y_user, classes, kind, marker):
    learner = _learner(missing_label=marker).fit(X, y_user)
    assert learner.labeled_mask_.sum() == 10
    assert learner.classes_.tolist() == classes
    assert learner.classes_.dtype.kind == kind
    idx = learner.query()
    learner.teach(X[idx], np.asarray(classes, dtype=object)[[0]].repeat(len(idx)))
    assert learner.labeled_mask_.sum() == 11
    assert learner.score(X, y_user) == learner.score(X[~HOLES], y_user[~HOLES])


def test_nat_marks_unlabeled_datetime_labels():
    days = pd.Series(pd.to_datetime(["2020-01-01", "2020-06-01", "2021-01-01"])[Y])
    days[HOLES] = pd.NaT
    learner = _learner().fit(X, days)
    assert learner.labeled_mask_.sum() == 10 and len(learner.classes_) == 3


def test_bool_labels_with_none_holes_are_classes():
    y_obj = np.where(HOLES, None, Y == 1).astype(object)
    learner = _learner(missing_label=None).fit(X, y_obj)
    assert learner.classes_.dtype == bool
    assert learner.predict(X[:2]).dtype == bool


def test_make_pool_of_nullable_labels_sees_their_holes():
    with pytest.raises(ValueError, match="y must be fully labeled, but 140"):
        make_pool(_with_holes(NAMES[Y], "string"), 5)
    pool = make_pool(pd.Series(NAMES[Y]).astype("string"), 5, random_state=0)
    assert (pool != -1).sum() == 5


def test_whole_float_labels_taught_to_integer_classes_stay_integers():
    y_pool = np.where(HOLES, -1, Y)
    learner = _learner().fit(X, y_pool)
    rows = np.flatnonzero(HOLES)[:2]
    learner.teach(X[rows], Y[rows].astype(float))
    assert learner.y_.dtype.kind == "i" and learner.classes_.dtype.kind == "i"
    assert learner.y_[rows].tolist() == Y[rows].tolist()
    with pytest.raises(ValueError, match=r"not whole numbers \(\[1.5\]\)"):
        learner.teach(X[[rows[0] + 1]], [1.5])
    assert learner.labeled_mask_.sum() == 12
    small = _learner(missing_label=255).fit(X, np.where(HOLES, 255, Y).astype("u1"))
    with pytest.warns(UserWarning, match=r"new classes \[300.0\]"):
        small.teach(X[rows], [1.0, 300.0])  # not cast to uint8 (300 -> 44)
    assert small.y_[rows].tolist() == [1, 300]


@pytest.mark.parametrize("y_score, kind", [(Y == 1, "boolean"), (NAMES[Y], "string")])
def test_score_refuses_labels_of_another_type(y_score, kind):
    learner = _learner().fit(X, np.where(HOLES, -1, Y))
    with pytest.raises(ValueError, match=f"Got {kind} labels in score's y, but"):
        learner.score(X, y_score)
    assert learner.score(X, Y.astype(float)) == learner.score(X, Y)


@pytest.mark.parametrize("estimator", [GaussianNB(), LogisticRegression()])
@pytest.mark.parametrize("kind", ["i", "b"])
def test_stream_learns_ints_or_bools_with_none_holes(estimator, kind):
    labels = Y if kind == "i" else Y == 1
    y_obj = np.where(HOLES, None, labels).astype(object)
    stream = StreamActiveLearner(estimator, missing_label=None, random_state=0)
    stream.fit(X, y_obj)  # was sklearn's "Unknown label type: unknown"
    assert stream.classes_.dtype.kind == kind and stream.n_labeled_ == 10
    assert stream.predict(X[:2]).dtype.kind == kind
    stream.partial_fit(X[:2], np.array([labels[0], None], dtype=object))
    assert stream.n_labeled_ == 11


def test_the_marker_as_text_among_text_labels_is_a_class_with_a_warning():
    y_text = np.where(HOLES, -1, Y).astype(str)  # '-1' where the holes were
    with pytest.warns(UserWarning, match="140 labels are the text '-1', which is"):
        learner = _learner().fit(X, y_text)
    assert learner.labeled_mask_.all() and "-1" in learner.classes_
    assert _learner(missing_label="-1").fit(X, y_text).labeled_mask_.sum() == 10
