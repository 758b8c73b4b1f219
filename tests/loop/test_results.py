import json

import matplotlib
import numpy as np
import pytest

from skal.loop import Comparison, LearningCurve

matplotlib.use("Agg")

ZERO = [0.0, 0.0, 0.0]


def _rep(n, s, q=ZERO, f=ZERO, seed=0):
    return {
        "n_labeled": n,
        "score": s,
        "query_seconds": q,
        "fit_seconds": f,
        "seed": seed,
    }


def test_aulc_on_hand_computed_curves():
    # trapezoids: (0.5+0.7)/2*10 + (0.7+0.8)/2*20 = 6 + 15 = 21 over 30 labels
    a = _rep([10, 20, 40], [0.5, 0.7, 0.8])
    # (0.3+0.5)/2*10 + (0.5+0.6)/2*20 = 4 + 11 = 15 over 30 labels
    b = _rep([10, 20, 40], [0.3, 0.5, 0.6])
    curve = LearningCurve([a, b])
    np.testing.assert_allclose(curve.aulc(per_repeat=True), [0.7, 0.5])
    assert curve.aulc() == pytest.approx(0.6)
    assert LearningCurve([_rep([5], [0.4], [0.0], [0.0])]).aulc() == 0.4
    assert curve.final_score() == pytest.approx(0.7)


def test_mean_curve_aligns_repeats_that_stopped_early():
    a = _rep([10, 20, 30], [0.5, 0.6, 0.9])
    b = _rep([10, 20], [0.3, 0.8], [0.0, 0.0], [0.0, 0.0])
    counts, mean, std = LearningCurve([a, b]).mean_curve()
    np.testing.assert_array_equal(counts, [10, 20, 30])
    np.testing.assert_allclose(mean, [0.4, 0.7, 0.9])
    np.testing.assert_allclose(std, [0.1, 0.1, 0.0])


def test_labels_to_uses_the_mean_curve():
    curve = LearningCurve(
        [_rep([10, 20, 30], [0.5, 0.6, 0.9]), _rep([10, 20, 30], [0.5, 0.8, 0.9])]
    )
    assert curve.labels_to(0.7) == 20  # mean 0.7 at 20 labels
    assert curve.labels_to(0.71) == 30
    assert curve.labels_to(0.95) is None


def test_seconds_are_totals_per_repeat():
    curve = LearningCurve(
        [
            _rep([1, 2, 3], ZERO, [0.0, 1.0, 2.0], [1.0, 1.0, 1.0]),
            _rep([1, 2, 3], ZERO, [0.0, 3.0, 4.0], [1.0, 2.0, 3.0]),
        ]
    )
    assert curve.seconds() == pytest.approx((5.0, 4.5))


def test_to_frame_has_one_row_per_round():
    curve = LearningCurve([_rep([10, 20, 40], [0.5, 0.7, 0.8])] * 2, name="m")
    frame = curve.to_frame()
    assert list(frame.columns) == [
        "learner",
        "repeat",
        "round",
        "n_labeled",
        "score",
        "query_seconds",
        "fit_seconds",
    ]
    assert frame.shape == (6, 7)
    assert frame["score"].tolist() == [0.5, 0.7, 0.8] * 2
    assert frame["repeat"].tolist() == [0, 0, 0, 1, 1, 1]


def _comparison():
    return Comparison(
        {
            "good": LearningCurve([_rep([10, 20, 40], [0.5, 0.9, 1.0])], name="good"),
            "bad": LearningCurve([_rep([10, 20, 40], [0.5, 0.6, 0.7])], name="bad"),
        }
    )


def test_json_round_trip(tmp_path):
    result = _comparison()
    result["good"].repeats[0]["stopped_by"] = "PlateauStopping"
    path = tmp_path / "curves.json"
    result.save(path)
    json.loads(path.read_text())  # plain JSON
    loaded = Comparison.load(path)
    assert loaded.to_dict() == result.to_dict()
    assert loaded.summary() == result.summary()
    result["bad"].save(tmp_path / "one.json")
    one = LearningCurve.load(tmp_path / "one.json")
    assert one.to_dict() == result["bad"].to_dict()


def test_summary_and_table():
    result = _comparison()
    rows = result.summary()
    assert [r["learner"] for r in rows] == ["good", "bad"]
    # default target: 95 % of the best final score (1.0)
    assert rows[0]["target"] == pytest.approx(0.95)
    assert rows[0]["labels_to_target"] == 40 and rows[1]["labels_to_target"] is None
    assert rows[0]["aulc"] == pytest.approx((7 + 19) / 30)
    table = result.table(target=0.6)
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["learner", "AULC"] and "labels to 0.600" in table
    assert lines[2].split()[0] == "good" and lines[3].split()[0] == "bad"
    assert lines[3].split()[8] == "20"  # learner, AULC, CI, vs, p, p, below, final


def test_plot_draws_mean_and_band():
    import matplotlib.pyplot as plt

    curve = LearningCurve(
        [_rep([10, 20, 40], [0.5, 0.7, 0.8]), _rep([10, 20, 40], [0.3, 0.5, 0.6])],
        name="m",
    )
    ax = curve.plot()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [0.4, 0.6, 0.7])
    assert len(ax.collections) == 1  # the +/- std band
    ax = _comparison().plot(title="t")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "good (AULC 0.867)",
        "bad (AULC 0.617)",
    ]
    plt.close("all")


def test_a_target_that_is_no_score_gets_a_type_error():
    # True was the score 1.0; None and "0.9" crashed in NumPy's comparison
    curve = LearningCurve([_rep([10, 20, 30], [0.5, 0.6, 1.0])])
    for target in (True, None, "0.9"):
        with pytest.raises(TypeError, match="target must be a score"):
            curve.labels_to(target)
    with pytest.raises(TypeError, match="target must be a score"):
        Comparison({"a": curve}).summary(target="0.9")
    assert curve.labels_to(np.int64(1)) == 30


def test_malformed_results_and_files_say_what_is_wrong(tmp_path):
    # they crashed with a bare KeyError / TypeError from deep in the code
    with pytest.raises(TypeError, match="'a' maps to int"):
        Comparison({"a": 1})
    with pytest.raises(ValueError, match=r"repeat 0 lacks \['score', 'query_s"):
        LearningCurve([{"n_labeled": [10]}])
    ragged = {"n_labeled": [1, 2], "score": [1], "query_seconds": [0]}
    with pytest.raises(ValueError, match=r"got lengths \[2, 1, 1, 1\]"):
        LearningCurve([{**ragged, "fit_seconds": [0]}])
    with pytest.raises(TypeError, match="a list of dicts, got dict"):
        LearningCurve({"n_labeled": [1]})
    (tmp_path / "cut.json").write_text('{"curves": [')
    with pytest.raises(ValueError, match="cut.json is not JSON"):
        Comparison.load(tmp_path / "cut.json")
    (tmp_path / "other.json").write_text('{"curves": [{"name": "x"}]}')
    with pytest.raises(ValueError, match="other.json holds no Comparison written by"):
        Comparison.load(tmp_path / "other.json")
    # a curve's file read as a comparison names the class it lacks
    curve = LearningCurve([{**ragged, "score": [0.1, 0.2], "query_seconds": [0, 0],
                            "fit_seconds": [0, 0]}])  # fmt: skip
    curve.save(tmp_path / "curve.json")
    with pytest.raises(ValueError, match="holds no Comparison"):
        Comparison.load(tmp_path / "curve.json")
    assert LearningCurve.load(tmp_path / "curve.json").repeats[0]["score"] == [0.1, 0.2]
