"""The warning for a labeled set of one class names the class as the user wrote it."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner, Committee

X = np.arange(12.0).reshape(6, 2)


@pytest.mark.parametrize(
    "labels, shown", [([100, 100], "100"), ([7.0, 7.0], "7.0"), (["b", "b"], "'b'")]
)
def test_the_class_is_shown_without_numpy_types(labels, shown):
    y = np.array(labels + [-1] * 4, dtype=object if labels[0] == "b" else None)
    missing = None if labels[0] == "b" else -1
    if missing is None:
        y[2:] = None
    for learner in (
        ActiveLearner(LogisticRegression(), missing_label=missing),
        Committee(estimator=LogisticRegression(), n_members=2, missing_label=missing),
    ):  # was: "Only one class (np.int64(100)) is labeled"
        with pytest.warns(
            UserWarning, match=r"Only one class \((.*)\) is labeled"
        ) as w:
            learner.fit(X, y)
        first = [str(x.message) for x in w if "Only one class" in str(x.message)][0]
        assert first.startswith(f"Only one class ({shown}) is labeled: ")
