import itertools

import numpy as np
import pytest
from sklearn.base import clone

from skal.annotators import DawidSkene, majority_vote


def test_majority_vote_counts_weights_and_missing_rows():
    Y = np.array([[0, 0, 1], [2, -1, 2], [-1, -1, -1], [1, 2, 2]])
    assert majority_vote(Y).tolist() == [0, 2, -1, 2]
    # a heavy third annotator wins row 0 and row 3
    assert majority_vote(Y, weights=[1, 1, 3]).tolist() == [1, 2, -1, 2]


def test_majority_vote_breaks_ties_at_random_and_reproducibly():
    Y = np.tile([0, 1], (200, 1))
    first = majority_vote(Y, random_state=0)
    assert 60 < int(first.sum()) < 140  # both classes win some ties
    np.testing.assert_array_equal(first, majority_vote(Y, random_state=0))


def test_majority_vote_text_labels_with_none_marker():
    Y = np.array([["cat", None], ["dog", "dog"], [None, None]], dtype=object)
    assert majority_vote(Y, missing_label=None).tolist() == ["cat", "dog", None]


def test_majority_vote_nan_marker():
    Y = np.array([[0.0, np.nan], [np.nan, np.nan]])
    out = majority_vote(Y, missing_label=np.nan)
    assert out[0] == 0.0 and np.isnan(out[1])


@pytest.mark.parametrize(
    "dtype, marker",
    [(np.int64, -1), (np.int8, -1), (np.uint8, 255), (np.float64, np.nan)],
)
def test_majority_vote_keeps_the_labels_dtype_with_no_vote_at_all(dtype, marker):
    # all missing gave float64 [-1.0, -1.0] where one vote gave int64
    none = np.full((2, 3), marker, dtype=dtype)
    some = none.copy()
    some[0, 1] = 1
    for Y, want in ((none, [marker, marker]), (some, [1, marker])):
        out = majority_vote(Y, missing_label=marker)
        assert out.dtype == dtype
        np.testing.assert_array_equal(out, np.array(want, dtype=dtype))
    text = np.array([["", ""]])
    assert majority_vote(text, missing_label="").tolist() == [""]
    assert majority_vote([[-1, -1]], classes=[0, 1]).dtype == np.int64


@pytest.mark.parametrize(
    "Y, kwargs, message",
    [
        ([0, 1, 1], {}, r"2-D array of shape \(n_samples, n_annotators\)"),
        ([[0, 1]], {"weights": [1, 2, 3]}, r"weights must have shape \(2,\)"),
        ([[0, 1]], {"weights": [1, -2]}, "non-negative"),
        ([[0, 5]], {"classes": [0, 1]}, r"labels \[5\] that are not in classes"),
        ([[0.0, np.inf]], {}, "inf"),
    ],
)
def test_majority_vote_errors(Y, kwargs, message):
    with pytest.raises(ValueError, match=message):
        majority_vote(Y, **kwargs)


def test_dawid_skene_one_em_step_by_hand():
    # init T = vote fractions [[1, 0], [.5, .5], [0, 1]]; M-step by hand:
    # prior = [1.5, 1.5] / 3; annotator 0 (labels 0, 0, 1): class 0 -> [1.5, 0],
    # class 1 -> [.5, 1]; annotator 1 (labels 0, 1, 1): class 0 -> [1, .5],
    # class 1 -> [0, 1.5]; rows normalised. E-step: row 0 joint [1/3, 0],
    # row 1 [1/6, 1/6], row 2 [0, 1/3]; log-likelihood 3 log(1/3).
    Y = [[0, 0], [0, 1], [1, 1]]
    ds = DawidSkene(max_iter=1, smoothing=0, diagonal_prior=0).fit(Y)
    np.testing.assert_allclose(ds.prior_, [0.5, 0.5])
    np.testing.assert_allclose(ds.confusion_[0], [[1, 0], [1 / 3, 2 / 3]])
    np.testing.assert_allclose(ds.confusion_[1], [[2 / 3, 1 / 3], [0, 1]])
    np.testing.assert_allclose(ds.proba_, [[1, 0], [0.5, 0.5], [0, 1]])
    np.testing.assert_allclose(ds.log_likelihood_, [3 * np.log(1 / 3)])
    assert ds.n_iter_ == 1


def test_dawid_skene_posterior_and_likelihood_match_brute_force():
    rng = np.random.RandomState(0)
    Y = rng.randint(0, 3, size=(6, 3))
    Y[rng.rand(6, 3) < 0.3] = -1
    Y[0] = [0, 1, 2]
    ds = DawidSkene(max_iter=4).fit(Y)
    n, K = Y.shape[0], 3
    joint = np.zeros((K,) * n)
    for z in itertools.product(range(K), repeat=n):
        p = 1.0
        for i, k in enumerate(z):
            p *= ds.prior_[k]
            for j in range(Y.shape[1]):
                if Y[i, j] >= 0:
                    p *= ds.confusion_[j, k, Y[i, j]]
        joint[z] = p
    total = joint.sum()
    np.testing.assert_allclose(ds.log_likelihood_[-1], np.log(total))
    for i in range(n):
        axes = tuple(a for a in range(n) if a != i)
        np.testing.assert_allclose(
            ds.predict_proba(Y)[i], joint.sum(axis=axes) / total, atol=1e-12
        )


def _crowd(accuracies, n=2000, seed=0):
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 2, n)
    right = rng.rand(n, len(accuracies)) < np.asarray(accuracies)
    return y, np.where(right, y[:, None], 1 - y[:, None])


def test_dawid_skene_recovers_accuracies_and_beats_majority_vote():
    y, Y = _crowd([0.9, 0.75, 0.6, 0.55, 0.55])
    ds = DawidSkene().fit(Y)
    np.testing.assert_allclose(
        ds.annotator_accuracy_, [0.9, 0.75, 0.6, 0.55, 0.55], atol=0.03
    )
    acc_ds = np.mean(ds.predict(Y) == y)
    acc_mv = np.mean(majority_vote(Y, random_state=0) == y)
    assert acc_ds > acc_mv + 0.03, (acc_ds, acc_mv)


def test_dawid_skene_em_never_lowers_the_likelihood():
    _, Y = _crowd([0.8, 0.7, 0.6], n=300, seed=1)
    Y[np.random.RandomState(2).rand(*Y.shape) < 0.4] = -1
    ll = DawidSkene(smoothing=0, diagonal_prior=0, tol=0).fit(Y).log_likelihood_
    assert len(ll) > 2
    assert np.all(np.diff(ll) >= -1e-9)


def test_dawid_skene_unlabeled_rows_and_errors():
    Y = np.array([[0, 1], [-1, -1], [1, 1]])
    ds = clone(DawidSkene()).fit(Y)
    assert ds.predict(Y).tolist()[1] == -1
    np.testing.assert_allclose(ds.predict_proba(Y)[1], ds.prior_)
    with pytest.raises(
        ValueError, match="Y has 3 annotator columns, but DawidSkene was fitted with 2"
    ):
        ds.predict([[0, 1, 1]])
    with pytest.raises(ValueError, match="holds no label"):
        DawidSkene().fit([[-1, -1]])
    for max_iter in (0, True):
        with pytest.raises(ValueError, match="max_iter"):
            DawidSkene(max_iter=max_iter).fit(Y)
    # smoothing=True ran as 1.0 while max_iter=True was refused
    for param in ("tol", "smoothing", "diagonal_prior"):
        with pytest.raises(ValueError, match=f"'{param}' parameter of DawidSkene"):
            DawidSkene(**{param: True}).fit(Y)


def test_given_classes_are_checked_once_each_and_without_the_marker():
    Y = np.array([[0, 0, 1], [1, 1, -1], [-1, -1, -1]])
    # [0, 0, 1] gave DawidSkene three probability columns, 0 twice
    ds = DawidSkene(classes=[0, 0, 1]).fit(Y)
    assert ds.classes_.tolist() == [0, 1]
    assert ds.predict_proba(Y).shape == (3, 2)
    # the marker as a class was taken, as were bools for integer labels
    with pytest.raises(ValueError, match=r"classes \[-1, 0, 1\] hold the missing"):
        DawidSkene(classes=[-1, 0, 1]).fit(Y)
    with pytest.raises(ValueError, match="Got numeric labels in y, but .* boolean"):
        majority_vote(Y, classes=[False, True])
    with pytest.raises(ValueError, match="classes must be a flat list"):
        majority_vote(Y, classes=[[0, 1]])  # was NumPy's "object too deep"


def test_ragged_label_rows_get_a_message():
    # NumPy's "setting an array element with a sequence ... inhomogeneous"
    with pytest.raises(ValueError, match="rows have different lengths; mark a"):
        majority_vote([[0, 1], [1]])
