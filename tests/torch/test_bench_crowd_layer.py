"""bench_crowd_layer: the simulated crowd, the majority vote, one tiny run."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("skorch")

BENCH = Path(__file__).resolve().parents[2] / "examples" / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    path = BENCH / "bench_crowd_layer.py"
    spec = importlib.util.spec_from_file_location("bench_crowd_layer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_majority_vote_by_hand(bench):
    nan = np.nan
    Y = np.array([[0, 1, 1], [2, nan, nan], [nan, nan, nan], [0, 1, nan]])
    assert bench.majority_vote(Y, 3).tolist() == [1, 2, -1, 0]  # tie: first


def test_simulated_crowd(bench):
    X, y, Y = bench.make_crowd(4000, 4, seed=0)
    assert X.shape == (4000, 20) and Y.shape == (4000, 5)
    seen = ~np.isnan(Y)
    assert abs(seen.mean() - 0.6) < 0.02
    agree = [(Y[seen[:, a], a] == y[seen[:, a]]).mean() for a in range(5)]
    # 0.9, 0.8, 0.7 plus a right guess in 4 among the wrong; random; swapper
    expected = [0.925, 0.85, 0.775, 0.25 + 0.75 / 4, 0.5]
    np.testing.assert_allclose(agree, expected, atol=0.03)
    swapper = Y[seen[:, 4], 4]
    assert (swapper[y[seen[:, 4]] == 0] == 1).all()


def test_one_tiny_run_writes_json(bench, tmp_path):
    args = ["--n-samples", "200", "--epochs", "2", "--repeats", "1", "--no-warm-up"]
    pytest.importorskip("skactiveml")
    result = bench.main(args + ["--out", str(tmp_path)])
    saved = json.loads((tmp_path / "bench_crowd_layer.json").read_text())
    assert list(saved["results"]) == ["skal", "scikit-activeml", "limit"]
    assert saved["results"]["skal"] == pytest.approx(result["skal"])
    assert all(0 <= row["test_accuracy"] <= 1 for row in result.values())
