"""make_pool with missing_label=None on string labels (used by the docs)."""

import numpy as np

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
