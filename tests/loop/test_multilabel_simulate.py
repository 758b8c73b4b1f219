"""simulate / compare and the pool helpers on a multi-label indicator y."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.svm import LinearSVC

from skal import ActiveLearner, compare, simulate
from skal.datasets import initial_indices, make_pool

X, Y = make_multilabel_classification(
    n_samples=200, n_features=10, n_classes=4, random_state=0
)
X_TR, Y_TR, X_TE, Y_TE = X[:150], Y[:150], X[150:], Y[150:]


def _ovr(strategy):
    return ActiveLearner(OneVsRestClassifier(LinearSVC()), query_strategy=strategy)


def test_initial_indices_carry_every_label():
    rare = np.zeros((50, 3), dtype=int)
    rare[:, 0] = 1
    rare[[7], 1] = 1
    rare[[20, 30], 2] = 1
    for seed in range(5):
        idx = initial_indices(rare, 3, random_state=seed)
        assert len(set(idx.tolist())) == 3 and idx.max() < 50
        assert 7 in idx.tolist() and ({20, 30} & set(idx.tolist()))


def test_make_pool_hides_whole_rows():
    pool = make_pool(Y, n_labeled=12, random_state=0)
    hidden = (pool == -1).all(axis=1)
    assert int((~hidden).sum()) == 12
    assert ((pool == -1).any(axis=1) == hidden).all()  # never partly hidden
    assert Y[~hidden].any(axis=0).all()  # every label among the kept rows
    np.testing.assert_array_equal(pool[~hidden], Y[~hidden])
    nan_pool = make_pool(Y, n_labeled=12, missing_label=np.nan, random_state=0)
    assert (
        nan_pool.shape == Y.shape and int(np.isnan(nan_pool).all(axis=1).sum()) == 188
    )


def test_simulate_with_micro_f1():
    fixed = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    curve = simulate(
        _ovr("mmc"),
        X_TR,
        Y_TR,
        X_test=X_TE,
        y_test=Y_TE,
        budget=40,
        batch_size=10,
        initial_indices=fixed,
        n_repeats=1,
        random_state=0,
        scoring="f1_micro",
        progress=False,
    )
    rep = curve.repeats[0]
    assert rep["n_labeled"] == [10, 20, 30, 40]
    first = OneVsRestClassifier(LinearSVC()).fit(X_TR[fixed], Y_TR[fixed])
    expected = f1_score(Y_TE, first.predict(X_TE), average="micro")
    assert rep["score"][0] == pytest.approx(expected)
    assert rep["score"][-1] > rep["score"][0]


def test_compare_multilabel_strategies():
    result = compare(
        {name: _ovr(name) for name in ("binary_minimum", "random")},
        X,
        Y,
        budget=30,
        batch_size=10,
        n_initial=10,
        n_repeats=2,
        random_state=0,
        progress=False,
    )
    assert sorted(result) == ["binary_minimum", "random"]
    for curve in result.values():
        assert [r["n_labeled"] for r in curve.repeats] == [[10, 20, 30]] * 2
        assert all(0 <= s <= 1 for r in curve.repeats for s in r["score"])


class _FirstLabelOracle:
    """Answers only the first label of each row: not a label vector."""

    def label(self, positions, X):
        return Y[positions, 0]


def test_an_oracle_must_answer_label_vectors():
    with pytest.raises(ValueError, match=r"one vector of 4 labels per row is needed"):
        simulate(
            _ovr("mmc"),
            X,
            Y,
            budget=20,
            batch_size=10,
            n_initial=10,
            n_repeats=1,
            random_state=0,
            oracle=_FirstLabelOracle(),
            progress=False,
        )
