"""Is it beating random? Intervals, paired tests and verdicts of a Comparison.

On hand-made curves; the statistical functions on plain numbers and the split
that pairs compare's repeats are in test_stats_functions.py.
"""

import json
import math
import warnings

import matplotlib
import numpy as np
import pytest
from scipy import stats

from skal.loop import Comparison, LearningCurve
from skal.loop._stats import (
    paired_difference,
    t_interval,
)

matplotlib.use("Agg")

COUNTS = [10, 20, 30]


def _curve(finals, name, seeds=None, mid=None):
    """Curves 0.5 -> mid -> final; AULC = (0.5 + 2 * mid + final) / 4."""
    seeds = range(len(finals)) if seeds is None else seeds
    mid = [0.6] * len(finals) if mid is None else mid
    repeats = [
        {
            "n_labeled": COUNTS,
            "score": [0.5, m, f],
            "query_seconds": [0, 0, 0],
            "fit_seconds": [0, 0, 0],
            "seed": s,
            "initial_indices": [s, s + 1],
        }
        for f, m, s in zip(finals, mid, seeds)
    ]
    return LearningCurve(repeats, name=name)


def _aulc(finals, mid=0.6):
    return (0.5 + 2 * np.asarray(mid) + np.asarray(finals)) / 4


RANDOM = [0.70, 0.74, 0.72, 0.69, 0.75, 0.71]
MARGIN = [0.80, 0.78, 0.83, 0.76, 0.82, 0.74]
ENTROPY = [0.66, 0.75, 0.70, 0.71, 0.72, 0.70]


def _six():
    return Comparison(
        {
            "random": _curve(RANDOM, "random"),
            "margin": _curve(MARGIN, "margin"),
            "entropy": _curve(ENTROPY, "entropy"),
        }
    )


def test_aulc_interval_is_the_student_t_interval():
    curve = _curve(MARGIN, "margin")
    areas = _aulc(MARGIN)
    for level in (0.95, 0.9):
        half = stats.t.ppf((1 + level) / 2, 5) * areas.std(ddof=1) / math.sqrt(6)
        mean, low, high = curve.aulc_interval(level)
        assert mean == pytest.approx(areas.mean())
        assert (low, high) == pytest.approx((areas.mean() - half, areas.mean() + half))
    row = next(r for r in _six().summary() if r["learner"] == "margin")
    half = stats.t.ppf(0.975, 5) * areas.std(ddof=1) / math.sqrt(6)
    assert row["aulc_low"] == pytest.approx(areas.mean() - half)
    assert row["aulc_high"] == pytest.approx(areas.mean() + half)
    assert t_interval([0.3]) == (0.3, None, None)
    assert t_interval([0.4, 0.4]) == (0.4, 0.4, 0.4)


def test_paired_tests_match_scipy_on_hand_data():
    rows = {r["learner"]: r for r in _six().summary()}
    base = _aulc(RANDOM)
    for name, finals in [("margin", MARGIN), ("entropy", ENTROPY)]:
        areas = _aulc(finals)
        row = rows[name]
        assert row["baseline"] == "random" and row["n_paired"] == 6
        assert row["diff"] == pytest.approx(np.mean(areas - base))
        assert row["p_ttest"] == pytest.approx(stats.ttest_rel(areas, base).pvalue)
        assert row["p_wilcoxon"] == pytest.approx(stats.wilcoxon(areas - base).pvalue)
        d = areas - base
        half = stats.t.ppf(0.975, 5) * d.std(ddof=1) / math.sqrt(6)
        assert (row["diff_low"], row["diff_high"]) == pytest.approx(
            (d.mean() - half, d.mean() + half)
        )
    assert rows["margin"]["p_ttest"] == pytest.approx(0.00289, abs=1e-5)
    assert rows["margin"]["verdict"] == "better"
    assert rows["entropy"]["verdict"] == "not significant"
    assert rows["random"]["verdict"] == "baseline" and rows["random"]["diff"] is None
    # the Wilcoxon verdict: margin wins in 6 of 6, the exact p is 2 / 2**6
    wil = {r["learner"]: r for r in _six().summary(test="wilcoxon")}
    assert wil["margin"]["p_wilcoxon"] == pytest.approx(0.03125)
    assert wil["margin"]["verdict"] == "better"


def test_repeats_are_paired_on_seeds_not_positions():
    shuffled = [5, 3, 0, 1, 4, 2]
    result = Comparison(
        {
            "random": _curve(RANDOM, "random"),
            "margin": _curve([MARGIN[s] for s in shuffled], "margin", seeds=shuffled),
        }
    )
    row = result.summary()[0]
    want = stats.ttest_rel(_aulc(MARGIN), _aulc(RANDOM)).pvalue
    assert row["learner"] == "margin" and row["p_ttest"] == pytest.approx(want)
    # a learner with fewer repeats is paired on the seeds both have
    short = Comparison(
        {"random": _curve(RANDOM, "random"), "m": _curve(MARGIN[:4], "m")}
    )
    row = next(r for r in short.summary() if r["learner"] == "m")
    assert row["n_paired"] == 4
    assert row["p_ttest"] == pytest.approx(
        stats.ttest_rel(_aulc(MARGIN[:4]), _aulc(RANDOM[:4])).pvalue
    )
    # runs made apart (no seed in common) are paired by position
    apart = Comparison(
        {
            "random": _curve(RANDOM, "random"),
            "m": _curve(MARGIN, "m", seeds=range(100, 106)),
        }
    )
    assert apart.summary()[0]["p_ttest"] == pytest.approx(want)
    # the same curve object under two names is compared, not taken as the base
    same = Comparison({"random": _curve(RANDOM, "random")})
    same["twin"] = same["random"]
    assert [r["verdict"] for r in same.summary()] == ["baseline", "not significant"]


def test_below_random_k_of_n_counts_ties_apart():
    finals = [0.70, 0.73, 0.72, 0.70, 0.76, 0.71]  # below, tie, tie, ... by hand
    result = Comparison({"random": _curve(RANDOM, "random"), "x": _curve(finals, "x")})
    row = next(r for r in result.summary() if r["learner"] == "x")
    # differences: 0, -0.01, 0, +0.01, +0.01, 0 (in final score)
    assert row["below_baseline"] == 1 and row["ties_baseline"] == 3
    assert row["n_paired"] == 6
    table = result.table()
    assert "1/6" in table.splitlines()[2] + table.splitlines()[3]
    r = paired_difference([0.5, 0.6, 0.7], [0.6, 0.6, 0.6])
    assert (r["below"], r["ties"], r["n"]) == (1, 1, 3)


def test_identical_curves_give_p_one_without_warnings():
    result = Comparison(
        {"random": _curve(RANDOM, "random"), "copy": _curve(RANDOM, "copy")}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = next(r for r in result.summary() if r["learner"] == "copy")
        text = result.conclusion()
    assert row["p_ttest"] == 1.0 and row["p_wilcoxon"] == 1.0
    assert row["diff"] == 0.0 and (row["diff_low"], row["diff_high"]) == (0.0, 0.0)
    assert row["below_baseline"] == 0 and row["ties_baseline"] == 6
    assert row["verdict"] == "not significant"
    assert "No learner differs from random at p<0.05 with n=6 repeats" in text


def test_the_summary_says_when_the_data_cannot_tell():
    three = Comparison(
        {
            "random": _curve(RANDOM[:3], "random"),
            "margin": _curve(ENTROPY[:3], "margin"),
        }
    )
    assert three.conclusion().splitlines() == [
        "Paired over 3 repeats vs 'random' (AULC difference, paired t-test, p<0.05).",
        "No learner differs from random at p<0.05 with n=3 repeats; use more repeats.",
        "With fewer than 6 repeats the Wilcoxon test cannot reach p<0.05.",
    ]
    assert three.table().endswith(three.conclusion())
    text = _six().conclusion()
    assert "margin is above random: +0.017 AULC, p=0.003." in text
    assert "Not different from random at p<0.05: entropy." in text
    assert "Wilcoxon" not in text  # 6 repeats can reach p < 0.05


@pytest.mark.parametrize("n", [1, 2])
def test_one_or_two_repeats_do_not_crash(n):
    result = Comparison(
        {
            "random": _curve(RANDOM[:n], "random"),
            "margin": _curve(MARGIN[:n], "margin"),
        }
    )
    row = result.summary()[0]
    table = result.table()
    assert "nan" not in table.lower()
    if n == 1:
        assert row["aulc_low"] is None and row["p_ttest"] is None
        assert row["p_wilcoxon"] is None and row["verdict"] == "untested"
        assert "With 1 repeat no confidence interval or test is possible" in table
        assert table.splitlines()[2].split()[2] == "-"  # no interval
    else:
        want = stats.ttest_rel(_aulc(MARGIN[:2]), _aulc(RANDOM[:2])).pvalue
        assert row["p_ttest"] == pytest.approx(want)
        assert row["p_wilcoxon"] == pytest.approx(0.5)
        assert "with n=2 repeats; use more repeats" in table


def test_baseline_is_random_else_the_first():
    result = Comparison(
        {"margin": _curve(MARGIN, "margin"), "entropy": _curve(ENTROPY, "entropy")}
    )
    assert result.baseline() == "margin"
    text = result.conclusion()
    assert "No random-sampling curve: 'margin', the first, is the base." in text
    assert "entropy is below margin" in text
    assert result.table().splitlines()[0].split()[5] == "margin"  # "vs margin"
    assert _six().baseline("entropy") == "entropy"
    named = Comparison(
        {"a": _curve(MARGIN, "a"), "RandomSampling()": _curve(RANDOM, "r")}
    )
    assert named.baseline() == "RandomSampling()"
    with pytest.raises(
        ValueError, match=r"baseline='nope' is not a learner .*'entropy'"
    ):
        _six().summary(baseline="nope")
    with pytest.raises(ValueError, match=r"confidence must be in \(0, 1\), got 1.5"):
        _six().summary(confidence=1.5)
    with pytest.raises(ValueError, match="test must be 'ttest' or 'wilcoxon'"):
        _six().summary(test="anova")
    one = Comparison({"m": _curve(MARGIN, "m")})
    assert one.conclusion() == "Only one learner ('m'): nothing to compare."


def test_labels_saved_against_random():
    result = Comparison(
        {
            "random": _curve([0.8, 0.8], "random", mid=[0.6, 0.6]),
            "fast": _curve([0.8, 0.8], "fast", mid=[0.8, 0.8]),
            "slow": _curve([0.7, 0.7], "slow", mid=[0.6, 0.6]),
        }
    )
    rows = {r["learner"]: r for r in result.summary(target=0.75)}
    assert rows["random"]["labels_to_target"] == 30
    assert rows["fast"]["labels_to_target"] == 20 and rows["fast"]["labels_saved"] == 10
    assert rows["slow"]["labels_saved"] is None  # never reaches 0.75
    rows = {r["learner"]: r for r in result.summary(target=0.8)}
    assert rows["fast"]["labels_saved"] == 10
    result["random"] = _curve([0.7, 0.7], "random")
    assert result.summary(target=0.75)[0]["labels_saved"] is None
    # the table says "more than 10": random never got there within 30 labels
    fast_line = next(x for x in result.table(0.75).splitlines() if x.startswith("fast"))
    # the interval is one bracketed cell, "[low, high]", read with a negative low
    cells = fast_line.split()
    assert cells[2].startswith("[") and cells[3].endswith("]")
    assert cells[10] == ">10"


def test_json_round_trip_keeps_initial_sets_and_writes_the_summary(tmp_path):
    result = _six()
    path = tmp_path / "c.json"
    result.save(path)
    data = json.loads(path.read_text())
    assert data["summary"][0]["learner"] == "margin"
    assert data["summary"][0]["p_ttest"] == pytest.approx(0.00289, abs=1e-5)
    assert data["curves"][1]["repeats"][2]["initial_indices"] == [2, 3]
    loaded = Comparison.load(path)
    assert loaded.to_dict() == result.to_dict()
    assert loaded.summary() == result.summary()
    assert loaded.table() == result.table()
    # curves named by their dict key, whatever their own name
    renamed = Comparison({"k": LearningCurve(result["margin"].repeats)})
    assert list(Comparison.from_dict(renamed.to_dict())) == ["k"]


def test_to_frame_kinds_and_columns():
    result = _six()
    summary = result.to_frame("summary")
    assert list(summary.columns) == [
        "learner",
        "n_repeats",
        "aulc",
        "aulc_std",
        "aulc_low",
        "aulc_high",
        "final_score",
        "labels_to_target",
        "target",
        "baseline",
        "n_paired",
        "diff",
        "diff_low",
        "diff_high",
        "p_ttest",
        "p_wilcoxon",
        "below_baseline",
        "ties_baseline",
        "verdict",
        "labels_saved",
        "query_seconds",
        "fit_seconds",
    ]
    assert summary["learner"].tolist() == ["margin", "random", "entropy"]
    assert summary["verdict"].tolist() == ["better", "baseline", "not significant"]
    repeats = result.to_frame("repeats")
    assert list(repeats.columns) == [
        "learner",
        "repeat",
        "seed",
        "aulc",
        "final_score",
        "n_labeled",
        "stopped_by",
    ]
    np.testing.assert_allclose(repeats["aulc"][:6], _aulc(RANDOM))
    assert result.to_frame().shape == (3 * 6 * 3, 7)  # rounds, as before
    assert result.to_frame("summary", baseline="entropy")["baseline"][0] == "entropy"
    with pytest.raises(ValueError, match="kind must be 'rounds', 'repeats' or"):
        result.to_frame("curves")


def test_plot_shades_confidence_bands_in_table_order():
    import matplotlib.pyplot as plt

    result = _six()
    ax = result.plot()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    order = [r["learner"] for r in result.summary()]
    assert [x.split()[0] for x in legend] == order == ["margin", "random", "entropy"]
    _, low, high = result["margin"].aulc_interval()
    assert (
        legend[0]
        == f"margin (AULC {_aulc(MARGIN).mean():.3f} ± {(high - low) / 2:.3f})"
    )
    assert len(ax.collections) == 3
    # the band at 30 labels is the t-interval of the six final scores
    path = ax.collections[0].get_paths()[0].vertices
    _, lo, hi = t_interval(MARGIN)
    at_30 = path[np.isclose(path[:, 0], 30), 1]
    assert sorted(at_30)[0] == pytest.approx(lo) and max(at_30) == pytest.approx(hi)
    ax = result["margin"].plot(band=None)
    assert len(ax.collections) == 0
    with pytest.raises(ValueError, match="band must be 'ci', 'std' or None"):
        result["margin"].plot(band="iqr")
    plt.close("all")
