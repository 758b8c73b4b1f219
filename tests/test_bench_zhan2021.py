"""bench_zhan2021: its AUBC formulas, paired statistics and a tiny run on digits."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

pytest.importorskip("threadpoolctl")

BENCH = Path(__file__).resolve().parents[1] / "examples" / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_zhan2021", BENCH / "bench_zhan2021.py"
    )
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCH))  # it imports its helpers beside it
        spec.loader.exec_module(module)
    return module


def test_lu_aubc_leaves_out_the_initial_model(bench):
    # after the queries: 0.6, 0.8, 1.0 -> trapezoids 0.7 + 0.9 over 3 queries
    assert bench.aubc_lu([0.5, 0.6, 0.8, 1.0]) == pytest.approx(1.6 / 3)
    assert bench.aubc_lu([0.5, 0.7]) == pytest.approx(0.7)


def test_paired_stats(bench):
    a, b = [0.8, 0.9, 0.7, 0.85], [0.7, 0.8, 0.75, 0.8]
    out = bench.paired_stats(a, b)
    assert out["delta"] == pytest.approx(0.05)
    assert (out["below"], out["n"]) == (1, 4)
    assert out["t_p"] == pytest.approx(stats.ttest_rel(a, b).pvalue)
    assert out["wilcoxon_p"] == pytest.approx(stats.wilcoxon(a, b).pvalue)
    # identical runs: no test is possible, and none is reported
    same = bench.paired_stats([0.8, 0.8], [0.8, 0.8])
    assert same["t_p"] is None and same["below"] == 0


def test_binary_labels_are_re_encoded(bench, tmp_path):
    folder = tmp_path / "zhan2021"
    folder.mkdir()
    X = np.arange(8.0).reshape(4, 2)
    np.savez(folder / "toy.npz", X=X, y=np.array([-1.0, 1.0, 1.0, -1.0]))
    _, y = bench.load_set("toy", tmp_path)
    assert y.tolist() == [0, 1, 1, 0]  # -1 is a class, not "unlabeled"


def test_quick_run_on_digits_is_paired(bench, tmp_path):
    summary = bench.main(
        [
            "--quick",
            "--sets",
            "digits",
            "--repeats",
            "2",
            "--budget",
            "40",
            "--strategies",
            "random",
            "margin",
            "--out",
            str(tmp_path),
        ]
    )
    (row,) = summary
    assert (row["set"], row["part"], row["n_pool"], row["capped"]) == (
        "digits",
        "lr",
        1000,
        True,
    )
    assert row["strategies"]["margin"]["vs_random"]["n"] == 2
    saved = json.loads((tmp_path / "bench_zhan2021.json").read_text())
    runs = saved["repeats"]
    assert len(runs) == 2
    # batch 10 from 20 to 40 labels: the initial model and two queries
    assert all(len(r["results"]["random"]["curve"]) == 3 for r in runs)
    assert len((tmp_path / "records.jsonl").read_text().splitlines()) == 2


def test_qbc_row_scores_the_task_model_on_the_same_labels(bench, tmp_path):
    summary = bench.main(
        [
            "--quick",
            "--sets",
            "digits",
            "--repeats",
            "2",
            "--budget",
            "40",
            "--strategies",
            "random",
            "qbc",
            "--out",
            str(tmp_path),
        ]
    )
    (row,) = summary
    assert row["strategies"]["qbc"]["vs_random"]["n"] == 2
    runs = json.loads((tmp_path / "bench_zhan2021.json").read_text())["repeats"]
    for run in runs:
        random, qbc = run["results"]["random"], run["results"]["qbc"]
        # the committee only picks the queries: before the first one, the
        # curve is the task model's on the same 20 labels
        assert qbc["curve"][0] == random["curve"][0]
        assert len(qbc["curve"]) == len(random["curve"]) == 3
        assert 0.0 <= qbc["all_agree_share"] <= 1.0
        assert "all_agree_share" not in random


def test_lu_split_follows_their_code(bench):
    X = np.arange(20.0).reshape(10, 2)
    y = np.array([0, 1] * 5)
    X_pool, y_pool, X_test, y_test, capped, y_initial = bench.split_lu(
        X, y, seed=0, pool_cap=None, n_initial=2
    )
    # default_rng(0) shuffles the rows to 7 2 5 3 4 6 | 9 0 8 1 (train |
    # test); a second default_rng(0) shuffles the train part to 7 2 5 3 4 6
    assert y_test.tolist() == y[[9, 0, 8, 1]].tolist()
    assert y_pool.tolist() == y[[7, 2, 5, 3, 4, 6]].tolist()
    np.testing.assert_allclose(
        X_pool[:, 0],
        (X[[7, 2, 5, 3, 4, 6], 0] - 9.0) / np.std(X[[7, 2, 5, 3, 4, 6], 0]),
    )
    assert not capped
    assert y_initial.tolist() == [1, 0, -1, -1, -1, -1]
    # seed 3's first two train rows are both of class 0: the repeat is dropped
    assert bench.split_lu(X, y, 3, None, 2)[-1] is None
    # a capped pool keeps the first rows of the shuffled train part
    _, y_cap, _, _, capped, _ = bench.split_lu(X, y, 0, pool_cap=4, n_initial=2)
    assert capped and y_cap.tolist() == y[[7, 2, 5, 3]].tolist()


def test_lu_split_drops_and_records_repeats(bench, tmp_path):
    folder = tmp_path / "zhan2021"
    folder.mkdir()
    X = np.random.default_rng(0).normal(size=(60, 2))
    y = np.where(np.arange(60) < 12, 1.0, -1.0)
    np.savez(folder / "heart.npz", X=X, y=y)
    summary = bench.main(
        [
            "--data-dir",
            str(tmp_path),
            "--sets",
            "heart",
            "--repeats",
            "4",
            "--split",
            "lu",
            "--n-initial",
            "4",
            "--budget",
            "6",
            "--strategies",
            "random",
            "margin",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    lines = (tmp_path / "out" / "records.jsonl").read_text().splitlines()
    records = {r["repeat"]: r for r in map(json.loads, lines)}
    assert all(r["split"] == "lu" for r in records.values())
    # the first 4 train rows of seeds 0 and 3 are all negatives
    assert [bool(records[k].get("dropped")) for k in range(4)] == [
        True,
        False,
        False,
        True,
    ]
    (row,) = summary
    assert (row["split"], row["dropped"]) == ("lu", 2)
    assert row["strategies"]["margin"]["vs_random"]["n"] == 2


def test_uniform_row_takes_the_pool_in_order(bench):
    # Lu et al.'s uniform sampling: the first unlabeled rows of the (shuffled) pool
    from sklearn.linear_model import LogisticRegression

    from skal import ActiveLearner

    X = np.arange(20, dtype=float).reshape(-1, 1)
    y = np.full(20, -1)
    y[[0, 3, 10, 19]] = [0, 0, 1, 1]
    learner = ActiveLearner(
        LogisticRegression(),
        query_strategy=bench.make_strategy("uniform"),
        batch_size=3,
    ).fit(X, y)
    assert learner.query().tolist() == [1, 2, 4]
    learner.teach(X[[1, 2, 4]], [0, 0, 0], pool_indices=[1, 2, 4])
    assert learner.query().tolist() == [5, 6, 7]


def _records(random, margin, auto):
    """Per-repeat records of one set, as the benchmark writes them."""
    return [
        {
            "part": "svc",
            "set": "heart",
            "repeat": r,
            "n_pool": 100,
            "capped": False,
            "results": {
                name: {
                    "aubc": float(v[r]),
                    "query_seconds_per_round": 0.01,
                    "seconds": 1.0,
                }
                for name, v in (("random", random), ("margin", margin), ("auto", auto))
            },
        }
        for r in range(len(margin))
    ]


def test_goals_count_a_wilcoxon_only_gap_below_margin(bench):
    # 20 repeats 0.001 below margin with one large gain: the t-test cannot
    # tell, the Wilcoxon test can; either makes it "significantly below"
    margin = np.linspace(0.80, 0.90, 20)
    random = margin - np.random.RandomState(0).uniform(0.005, 0.02, 20)
    auto = margin - 0.001
    auto[0] += 0.015
    (goal,) = bench.goal_check(bench.summarise(_records(random, margin, auto)))
    assert stats.ttest_rel(auto, margin).pvalue > 0.05
    assert stats.wilcoxon(auto, margin).pvalue < 0.05
    assert goal["vs_margin"] == pytest.approx(-0.00025)
    assert not goal["not_below_margin"]
    assert not goal["below_random"]


def test_goals_count_a_shown_match_and_not_an_unshown_one(bench):
    # 0.001 below margin with little spread: shown within 0.005 (a match);
    # 0.001 below with a spread of 0.02: the repeats cannot show it
    rng = np.random.RandomState(1)
    margin = np.linspace(0.80, 0.90, 20)
    random = margin - 0.01
    close = margin - 0.001 + rng.normal(0, 0.001, 20)
    noisy = margin - 0.001 + rng.normal(0, 0.02, 20)

    def goal(auto):
        (row,) = bench.goal_check(bench.summarise(_records(random, margin, auto)))
        return row

    shown, unshown = goal(close), goal(noisy)
    d = close - margin
    t = (d.mean() + 0.005) / (d.std(ddof=1) / np.sqrt(20))
    assert shown["vs_margin_non_inferiority_p"] == pytest.approx(stats.t.sf(t, 19))
    assert shown["non_inferior"] and shown["matches_or_beats"]
    assert not shown["at_least_margin"]
    assert unshown["vs_margin"] < 0 and unshown["vs_margin_non_inferiority_p"] > 0.05
    assert not unshown["matches_or_beats"]
    assert unshown["not_below_margin"]  # the two-sided tests cannot tell either
    # a constant gap of 0.001 has no spread: p 0.0, shown (not read as missing)
    steady = goal(margin - 0.001)
    assert steady["vs_margin_non_inferiority_p"] == 0.0
    assert steady["non_inferior"] and steady["matches_or_beats"]


def test_heldout_bench_summary_pairs_against_random_and_margin():
    spec = importlib.util.spec_from_file_location(
        "bench_adaptive_heldout", BENCH / "bench_adaptive_heldout.py"
    )
    heldout = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(heldout)
    margin = np.array([0.90, 0.92, 0.91, 0.93])
    aulc = {
        "random": margin - 0.02,
        "margin": margin,
        "auto": margin - np.array([0.001, 0.002, 0.0, 0.001]),
    }
    rows = heldout.summarise(aulc)
    assert rows["auto"]["vs_margin"] == pytest.approx(-0.001)
    assert rows["auto"]["vs_random"] == pytest.approx(0.019)
    assert rows["auto"]["non_inferiority_p"] == pytest.approx(
        stats.ttest_1samp(aulc["auto"] - margin, -0.005, alternative="greater").pvalue
    )
    assert "vs_random" not in rows["random"] and "vs_margin" not in rows["margin"]
    # a constant shift has no spread to test: no p-value, not a crash
    assert rows["margin"]["vs_random_p"] is None
