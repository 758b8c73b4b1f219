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
        ["--quick", "--sets", "digits", "--repeats", "2", "--budget", "40",
         "--strategies", "random", "margin", "--out", str(tmp_path)]
    )
    (row,) = summary
    assert (row["set"], row["part"], row["n_pool"], row["capped"]) == (
        "digits", "lr", 1000, True)
    assert row["strategies"]["margin"]["vs_random"]["n"] == 2
    saved = json.loads((tmp_path / "bench_zhan2021.json").read_text())
    runs = saved["repeats"]
    assert len(runs) == 2
    # batch 10 from 20 to 40 labels: the initial model and two queries
    assert all(len(r["results"]["random"]["curve"]) == 3 for r in runs)
    assert len((tmp_path / "records.jsonl").read_text().splitlines()) == 2
