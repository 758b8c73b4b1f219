"""The multi-annotator benchmark's data and both sides' loops, on one draw."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "examples" / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    pytest.importorskip("skactiveml")
    spec = importlib.util.spec_from_file_location(
        "bench_annotators", BENCH / "bench_annotators.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_are_the_tutorials(bench):
    X, y, Y = bench.make_data(0)
    assert X.shape == (100, 2) and Y.shape == (100, 5)
    assert set(np.unique(y)) == {0, 1}
    errors = (Y != y[:, None]).mean(axis=0)
    assert errors[0] == 0.0 and 0.35 < errors[4] < 0.65
    assert np.all(np.diff(errors[:4]) > -0.1)


def test_both_loops_buy_the_budget_and_report_every_checkpoint(bench):
    X, y, Y = bench.make_data(0)
    curve, seconds = bench.run_skal(*bench.SKAL["skal pwc random3 mv"], X, y, Y, 0)
    assert sorted(curve) == bench.CHECKPOINTS and seconds > 0
    assert curve[60] > 0.8
    curve, _ = bench.run_peer("peer IEThresh", X, y, Y, 0)
    assert sorted(curve) == bench.CHECKPOINTS and curve[60] > 0.7
