"""simulate / compare with a fixed initial labeled set (``initial_indices=``)."""

import numpy as np
import pytest
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skal import ActiveLearner, compare, simulate

X, Y = load_wine(return_X_y=True)
X_TR, X_TE, Y_TR, Y_TE = train_test_split(
    X, Y, test_size=0.3, stratify=Y, random_state=0
)
FIXED = [3, 60, 100, 7]


def _lr(strategy="margin"):
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    return ActiveLearner(model, query_strategy=strategy)


def test_every_repeat_and_learner_starts_from_the_fixed_rows():
    result = compare(
        {"random": _lr("random"), "margin": _lr()},
        X_TR,
        Y_TR,
        X_test=X_TE,
        y_test=Y_TE,
        budget=14,
        batch_size=5,
        initial_indices=FIXED,
        n_repeats=3,
        random_state=0,
        progress=False,
    )
    for curve in result.values():
        assert [r["initial_indices"] for r in curve.repeats] == [FIXED] * 3
        assert [r["n_labeled"] for r in curve.repeats] == [[4, 9, 14]] * 3
    # the first score is the model on exactly those 4 rows, in every repeat
    first = _lr().fit(X_TR, np.where(np.isin(np.arange(len(Y_TR)), FIXED), Y_TR, -1))
    expected = first.score(X_TE, Y_TE)
    for curve in result.values():
        assert [r["score"][0] for r in curve.repeats] == [expected] * 3


def test_the_fixed_rows_stay_out_of_the_held_out_quarter():
    fixed = [0, 1, 177, 90]
    seen = []

    def scorer(estimator, X_test, y_test):
        seen.append(X_test)
        return estimator.score(X_test, y_test)

    curve = simulate(
        _lr(),
        X,
        Y,
        budget=10,
        batch_size=3,
        initial_indices=fixed,
        scoring=scorer,
        n_repeats=2,
        random_state=1,
        progress=False,
    )
    assert [r["initial_indices"] for r in curve.repeats] == [fixed] * 2
    assert curve.repeats[0]["n_labeled"] == [4, 7, 10]
    X_test = seen[0]
    assert X_test.shape[0] == int(np.ceil(0.25 * len(Y)))  # still a quarter
    for row in X[fixed]:
        assert not (X_test == row).all(axis=1).any()


def test_the_oracle_is_asked_for_the_fixed_rows_by_position_in_X():
    asked = []

    class Recorder:
        def label(self, positions, X):
            asked.append(sorted(np.asarray(positions).tolist()))
            return Y_TR[positions]

    simulate(
        _lr(),
        X_TR,
        Y_TR,
        X_test=X_TE,
        y_test=Y_TE,
        budget=6,
        batch_size=2,
        initial_indices=FIXED,
        oracle=Recorder(),
        random_state=0,
        progress=False,
    )
    assert asked[0] == sorted(FIXED)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"initial_indices": [0, 0, 5]}, ValueError, "same row twice"),
        ({"initial_indices": [0, 500]}, ValueError, r"between 0 and 123; got"),
        ({"initial_indices": [-1, 2]}, ValueError, "positions in X"),
        ({"initial_indices": [0.5, 2.0]}, ValueError, "integer positions"),
        ({"initial_indices": []}, ValueError, "non-empty"),
        ({"initial_indices": [1, 2], "n_initial": 3}, ValueError, "disagrees"),
        ({}, ValueError, "Pass n_initial .* or initial_indices"),
        ({"initial_indices": list(range(20))}, ValueError, "larger than budget=10"),
        ({"initial_indices": "0,1"}, InvalidParameterError, "initial_indices"),
    ],
)
def test_bad_initial_indices_raise_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        simulate(
            _lr(),
            X_TR,
            Y_TR,
            X_test=X_TE,
            y_test=Y_TE,
            budget=10,
            batch_size=2,
            progress=False,
            **kwargs,
        )
