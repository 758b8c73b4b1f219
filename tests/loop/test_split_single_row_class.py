"""The held-out quarter stays stratified when a class has a single row."""

import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skal import ActiveLearner
from skal.loop._repeats import _split

X, Y = load_iris(return_X_y=True)


def _test_labels(y, seed=0):
    return _split(ActiveLearner(LogisticRegression()), X, y, None, None, seed)[4]


def test_a_lone_class_joins_the_largest_and_the_rest_stays_stratified():
    y = Y.copy()
    y[0] = 9  # was: the whole split fell back to a random one
    for seed in range(5):
        counts = np.unique(_test_labels(y, seed), return_counts=True)[1]
        assert set(counts[:3].tolist()) <= {12, 13}  # of 49, 50, 50 rows
    groups = np.where(y == 9, 1, y)  # setosa, with 49 rows, is not the largest
    expected = train_test_split(
        np.arange(150), test_size=38, stratify=groups, random_state=3
    )[1]
    np.testing.assert_array_equal(_test_labels(y, 3), y[expected])


def test_several_single_row_classes_are_stratified_as_one():
    y = Y.copy()
    y[[0, 60, 120]] = [7, 8, 9]
    groups = np.where(np.isin(y, [7, 8, 9]), -1, y)
    expected = train_test_split(
        np.arange(150), test_size=38, stratify=groups, random_state=0
    )[1]
    np.testing.assert_array_equal(_test_labels(y), y[expected])
    counts = np.unique(_test_labels(y), return_counts=True)
    assert sorted(counts[1][:3].tolist()) == [12, 12, 13]


def test_classes_without_single_rows_split_as_before():
    expected = train_test_split(
        np.arange(150), test_size=38, stratify=Y, random_state=0
    )[1]
    np.testing.assert_array_equal(_test_labels(Y), Y[expected])
