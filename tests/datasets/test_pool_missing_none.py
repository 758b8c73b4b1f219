"""make_pool writes its marker exactly, whatever the labels' dtype: None on
string labels (used by the docs), -1 beside bools or uint8, -1.5 beside ints."""

import numpy as np
import pytest
from sklearn.datasets import load_iris

from skal.datasets import make_pool


def test_make_pool_none_marker_on_string_labels_is_none_not_text():
    y = np.array(["a", "b", "c", "a", "b", "c"])
    y_pool = make_pool(y, n_labeled=3, missing_label=None, random_state=0)
    assert y_pool.dtype == object
    hidden = [v for v in y_pool if v is None]
    assert len(hidden) == 3
    assert "None" not in y_pool.tolist()
    assert sorted(v for v in y_pool if v is not None) == ["a", "b", "c"]


def test_make_pool_int_marker_on_string_labels_keeps_labels():
    y = np.array(["cat", "dog", "cat", "dog"])
    y_pool = make_pool(y, n_labeled=2, missing_label=-1, random_state=0)
    assert y_pool.dtype == object
    assert sum(v == -1 for v in y_pool) == 2
    assert sorted(v for v in y_pool if v != -1) == ["cat", "dog"]


_, Y = load_iris(return_X_y=True)


@pytest.mark.parametrize(
    "y, marker",
    [
        (Y == 1, -1),  # was True: every hidden row read as the class True
        (Y == 1, np.nan),  # was floats 0.0 / 1.0
        (Y, -1.5),  # was -1
        (Y.astype(np.uint8), -1),  # was an OverflowError inside NumPy
    ],
)
def test_make_pool_marker_is_not_cast_into_the_labels(y, marker):
    y_pool = make_pool(y, n_labeled=10, missing_label=marker, random_state=0)
    hidden = np.array(
        [
            v != v if marker != marker else type(v) is type(marker) and v == marker
            for v in y_pool.tolist()
        ]
    )
    assert hidden.sum() == 140
    kept = y_pool[~hidden]
    assert [type(v) for v in kept.tolist()] == [type(v) for v in y[~hidden].tolist()]
    np.testing.assert_array_equal(kept.astype(y.dtype), y[~hidden])
