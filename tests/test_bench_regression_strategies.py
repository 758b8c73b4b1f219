"""bench_regression_strategies: the look-ahead rows agree with scikit-activeml."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("threadpoolctl")
pytest.importorskip("skactiveml")

SCRIPT = (
    Path(__file__).resolve().parents[1]
    / "examples"
    / "benchmarks"
    / "bench_regression_strategies.py"
)


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_regression", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_speed_rows_agree_on_a_small_pool(bench):
    rows = bench.speed_rows(40, 12)
    assert [r["strategy"] for r in rows] == list(bench.OURS)
    agree = {r["strategy"]: r["agree"] for r in rows}
    assert agree == {
        "EMCM": None,
        "EMVR": True,
        "EMVR, refits": True,
        "EMOC": True,
        "EMOC, refits": True,
        "KL divergence": True,
        "KL divergence, refits": True,
        "tree, diversity": None,
        "tree, representativity": None,
    }
    assert all(r["n_candidates"] == 28 and r["skactiveml_s"] > 0 for r in rows)


def test_rmse_rows(bench):
    rows = bench.rmse_rows(60, 20, 1)
    assert [r["strategy"] for r in rows][:2] == ["random", "std"]
    areas = np.array([r["rmse_area"] for r in rows])
    assert np.all((areas > 0.4) & (areas < 2))  # in target stds
