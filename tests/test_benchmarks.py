"""The benchmark scripts: their metrics on worked examples, and agreement with the peer.

The scripts live in examples/benchmarks/ (not a package), so they are loaded by path.
"""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("threadpoolctl")

BENCH = Path(__file__).resolve().parents[1] / "examples" / "benchmarks"


def _load(name):
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(BENCH))  # a script imports its helpers beside it
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def label_bench():
    return _load("bench_label_efficiency")


@pytest.fixture(scope="module")
def speed_bench():
    return _load("bench_query_speed")


def test_aulc_is_the_mean_accuracy_along_the_run(label_bench):
    labels = np.array([10, 20, 30])
    assert label_bench.aulc(labels, [0.7, 0.7, 0.7]) == pytest.approx(0.7)
    # a straight ramp from 0 to 1 has area one half
    assert label_bench.aulc(labels, [0.0, 0.5, 1.0]) == pytest.approx(0.5)
    # trapezoids: (0.2 + 0.6) / 2 * 10 + (0.6 + 0.6) / 2 * 10 = 10, over 20
    assert label_bench.aulc(labels, [0.2, 0.6, 0.6]) == pytest.approx(0.5)


def test_labels_to_target_and_axis(label_bench):
    labels = label_bench.labels_axis(10, 45, 10)
    assert labels.tolist() == [10, 20, 30, 40, 45]
    assert label_bench.labels_to(labels, [0.5, 0.8, 0.9, 0.95, 0.9], 0.9) == 30
    assert label_bench.labels_to(labels, [0.5, 0.6, 0.7, 0.8, 0.85], 0.9) is None


def test_label_efficiency_skal_and_peer_make_the_same_run(label_bench, tmp_path):
    pytest.importorskip("skactiveml")
    rows = label_bench.main(
        ["--datasets", "wine", "--seeds", "1", "--budget", "30", "--no-plot"]
        + ["--out", str(tmp_path)]
    )
    curves = {r["strategy"]: r["mean_curve"] for r in rows}
    assert len(curves["random"]) == 3  # 10, 20, 30 labels
    # Same model, same initial set, same measure: identical choices and curves.
    for measure in ("entropy", "margin", "least_confidence"):
        assert curves[f"skal:{measure}"] == curves[f"skactiveml:{measure}"]
    report = json.loads((tmp_path / "bench_label_efficiency.json").read_text())
    assert report["results"][0]["budget"] == 30


def test_label_efficiency_skips_missing_data_with_a_note(label_bench, tmp_path):
    label_bench.main(
        ["--datasets", "magic", "--data-dir", str(tmp_path), "--no-plot"]
        + ["--out", str(tmp_path)]
    )
    report = json.loads((tmp_path / "bench_label_efficiency.json").read_text())
    assert report["results"] == []
    assert "magic.npz not found" in report["notes"]["magic"]


def test_query_speed_rows_and_agreement_with_the_peer(speed_bench, tmp_path):
    pytest.importorskip("skactiveml")
    report = speed_bench.main(
        ["--sizes", "3000", "--repeats", "1", "--min-round", "0"]
        + ["--strategies", "margin", "ratio"]
        + ["random", "--out", str(tmp_path)]
    )
    rows = {r["strategy"]: r for r in report["results"]}
    assert set(rows) == {"margin", "ratio", "random"}
    # skal and scikit-activeml choose the same 100 samples by margin.
    assert rows["margin"]["overlap"] == 1.0
    assert rows["margin"]["skal_over_limit"] == pytest.approx(
        rows["margin"]["skal_s"] / rows["margin"]["limit_s"]
    )
    assert rows["ratio"]["peer_s"] is None and "no peer" in rows["ratio"]["note"]
    assert rows["random"]["limit_s"] is None and rows["random"]["overlap"] is None
    saved = json.loads((tmp_path / "bench_query_speed.json").read_text())
    assert len(saved["results"]) == 3


def test_query_speed_skips_the_peer_above_the_size_limit(speed_bench, tmp_path):
    report = speed_bench.main(
        ["--sizes", "2000", "--repeats", "1", "--min-round", "0"]
        + ["--strategies", "entropy"]
        + ["--peer-max-pool", "1000", "--out", str(tmp_path)]
    )
    (row,) = report["results"]
    assert row["peer_s"] is None and "--peer-max-pool=1000" in row["note"]
    assert row["skal_s"] > 0 and row["limit_s"] > 0


def test_row_id_column_is_dropped(label_bench):
    X = np.column_stack([[3.0, 1.0, 2.0], [0.5, 0.1, 0.2]])
    assert label_bench._drop_row_id(X).tolist() == [[0.5], [0.1], [0.2]]
    kept = np.column_stack([[3.0, 1.0, 7.0], [0.5, 0.1, 0.2]])
    assert label_bench._drop_row_id(kept).shape == (3, 2)


def test_mae_semi_supervised_spreading_fills_unreached_rows(monkeypatch):
    pytest.importorskip("torch")
    from sklearn.semi_supervised import LabelSpreading

    monkeypatch.syspath_prepend(str(BENCH))  # it imports its sibling bench_mae
    bench = _load("bench_mae_semi_supervised")
    # two far-apart groups; only the first has labels, so with 3 neighbours
    # the second group is never reached: scikit-learn gives 0 / 0 there
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (20, 2)), rng.normal(50, 1, (10, 2))])
    y = np.full(30, -1)
    y[:4] = [0, 1, 0, 1]
    plain = LabelSpreading(kernel="knn", n_neighbors=3).fit(X, y)
    filled = bench.KnnSpreading(kernel="knn", n_neighbors=3).fit(X, y)
    raw, proba = plain.predict_proba(X), filled.predict_proba(X)
    unreached = np.isnan(raw).any(axis=1)
    assert unreached[20:].all()
    assert np.allclose(proba[unreached], 0.5)
    assert np.allclose(proba[~unreached], raw[~unreached])
    assert bench.labels_to([(10, 0.8), (20, 0.91), (30, 0.89)], 0.9) == 20
    assert bench.median_labels([20, None, 40]) == 40
    assert bench.median_labels([None, None, 40]) is None


def test_max_candidates_option_takes_a_count_or_a_share_as_the_strategies_do():
    # --max-candidates 0.1 was "invalid int value: '0.1'"
    import argparse

    from skal.strategies import MaxEntropy, QueryContext

    count_or_share = _load("_bench_args").count_or_share
    assert count_or_share("2000") == 2000 and isinstance(count_or_share("1"), int)
    assert count_or_share("0.1") == 0.1 and isinstance(count_or_share("0.5"), float)
    for bad, shown in [
        ("0", "0"),
        ("1.0", "1.0"),
        ("-3", "-3"),
        ("nan", "nan"),
        ("many", "'many'"),
    ]:
        with pytest.raises(argparse.ArgumentTypeError) as info:
            count_or_share(bad)
        assert str(info.value) == (
            f"must be a count (an integer >= 1) or a share in (0, 1), got {shown}"
        )
    # what it accepts, the strategies take: 0.1 of 50 candidates scores 5
    seen = []

    def samples(X):
        seen.append(len(X))
        return np.full((3, len(X), 2), 0.5)

    ctx = QueryContext(
        np.random.RandomState(0).rand(50, 1),
        classes=[0, 1],
        signals={"proba_samples": samples},
        random_state=0,
    )
    MaxEntropy(max_candidates=count_or_share("0.1")).select(ctx, 1)
    assert seen == [5]
