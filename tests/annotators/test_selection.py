import numpy as np
import pytest
from scipy.stats import t

from skal.annotators import (
    BestAnnotators,
    IEThresh,
    ModelBestAnnotators,
    RandomAnnotators,
    interval_estimation,
    majority_vote,
)


def test_interval_estimation_matches_the_formula():
    Y = np.array([[0, 1, -1], [1, 1, -1], [1, 0, -1], [0, 0, -1]])
    bounds = interval_estimation(Y, [0, 1, 1, 0])
    # annotator 1: agreements [0, 1, 0, 1] plus the pseudo-rewards [0, 1]
    r = np.array([0, 1, 0, 1, 0, 1.0])
    half = t.isf(0.025, 5) * r.std(ddof=1) / np.sqrt(6)
    np.testing.assert_allclose(bounds[1], [0.5 - half, 0.5, 0.5 + half])
    # nobody's labels: only the pseudo-rewards, t with 1 degree of freedom
    np.testing.assert_allclose(bounds[2], [0.5 - 6.353102, 0.5, 0.5 + 6.353102])
    assert bounds[0, 1] == pytest.approx(5 / 6)


def test_interval_estimation_skips_rows_without_reference():
    bounds = interval_estimation([[0], [1]], [0, -1])
    assert bounds[0, 1] == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match=r"y_ref must have shape \(2,\)"):
        interval_estimation([[0], [1]], [0])


def test_ie_thresh_keeps_annotators_near_the_best_upper_bound():
    bounds = np.array([[0, 0, 1.0], [0, 0, 0.85], [0, 0, 0.95], [0, 0, 0.2]])
    rng = np.random.RandomState(0)
    assert IEThresh(0.9).choose(bounds, 1, rng).tolist() == [[True, False, True, False]]
    assert IEThresh(1.0).choose(bounds, 1, rng).tolist() == [
        [True, False, False, False]
    ]
    assert IEThresh(0.0).choose(bounds, 2, rng).all()
    with pytest.raises(ValueError, match="epsilon"):
        IEThresh(1.5).choose(bounds, 1, rng)


def test_random_and_best_annotators():
    bounds = np.array([[0, 0.5, 1], [0, 0.9, 1], [0, 0.7, 1], [0, 0.1, 1]])
    mask = RandomAnnotators(2).choose(bounds, 300, np.random.RandomState(0))
    assert mask.sum(axis=1).tolist() == [2] * 300
    assert np.all(mask.mean(axis=0) > 0.4)  # every annotator gets asked
    assert RandomAnnotators(9).choose(bounds, 1, np.random.RandomState(0)).all()
    best = BestAnnotators(2).choose(bounds, 1, None)
    assert best.tolist() == [[False, True, True, False]]


def test_interval_estimation_leave_one_out_reference():
    Y = np.array([[0, 0, 0, 1], [1, 1, 1, 0], [-1, -1, -1, 1]])
    bounds = interval_estimation(Y)
    # annotator 3 disagrees with the others' vote twice; the row it labels
    # alone says nothing (against a vote including itself it would agree)
    assert bounds[3, 1] == pytest.approx(1 / 4)
    assert bounds[0, 1] == pytest.approx(3 / 4)
    assert interval_estimation(Y, majority_vote(Y, random_state=0))[3, 1] > 0.25


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: IEThresh(epsilon=True), "epsilon"),
        (lambda: BestAnnotators(n_annotators=True), "n_annotators"),
        (lambda: RandomAnnotators(n_annotators=True), "n_annotators"),
    ],
)
def test_selectors_refuse_bools(make, name):
    # True ran as epsilon=1 / one annotator (scikit-learn's Real/Integral)
    bounds = np.array([[0.5, 0.6, 0.7], [0.6, 0.7, 0.8]])
    with pytest.raises(ValueError, match=f"'{name}' parameter of"):
        make().choose(bounds, 2, np.random.RandomState(0))


def test_interval_estimation_refuses_a_reference_of_another_label_type():
    # text references against integer labels agreed nowhere: bounds near 0
    Y = [[0, 0], [1, 0], [1, 1], [0, 0]]
    with pytest.raises(ValueError, match="Got string labels in y_ref"):
        interval_estimation(Y, ["a", "b", "b", "a"])
    bounds = interval_estimation(Y, [0, 1, -1, 0])  # the marker: no reference
    assert bounds[0, 1] == pytest.approx(4 / 5)  # 3 agreements + 1 of 2 prior


def test_model_best_annotators_takes_the_highest_performances():
    perf = np.array([[0.2, 0.9, 0.5, 0.1], [0.7, 0.1, 0.6, 0.8]])
    mask = ModelBestAnnotators(2).choose(
        np.zeros((4, 3)), 2, np.random.RandomState(0), annotator_perf=perf
    )
    assert mask.tolist() == [[False, True, True, False], [True, False, False, True]]
    # ties go either way, at random; without performances: random annotators
    tied = np.array([[0.5, 0.9, 0.9]])
    firsts = {
        int(
            np.flatnonzero(
                ModelBestAnnotators().choose(
                    np.zeros((3, 3)), 1, np.random.RandomState(s), annotator_perf=tied
                )[0]
            )[0]
        )
        for s in range(20)
    }
    assert firsts == {1, 2}
    drawn = ModelBestAnnotators().choose(
        np.zeros((3, 3)), 300, np.random.RandomState(0)
    )
    assert drawn.sum(axis=1).tolist() == [1] * 300
    assert drawn.any(axis=0).all()
    with pytest.raises(ValueError, match=r"finite \(1, 3\) array"):
        ModelBestAnnotators().choose(
            np.zeros((3, 3)), 1, np.random.RandomState(0), annotator_perf=[[0.1, 0.2]]
        )
