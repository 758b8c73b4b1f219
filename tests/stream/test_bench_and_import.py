"""The stream benchmark on a tiny stream, and the lazy export from ``skal``."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "examples" / "benchmarks"


def test_import_skal_does_not_load_the_stream_package():
    code = (
        "import sys, skal\n"
        "print('skal.stream' in sys.modules)\n"
        "print(skal.StreamActiveLearner.__module__, 'skal.stream' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "skal.stream._learner", "True"]


def test_bench_stream_same_decisions_same_accuracy_as_the_peer(tmp_path):
    pytest.importorskip("skactiveml")
    pytest.importorskip("threadpoolctl")
    spec = importlib.util.spec_from_file_location(
        "bench_stream", BENCH / "bench_stream.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    argv = ["--n-samples", "120", "--budgets", "0.2", "--out", str(tmp_path)]
    rows = bench.main(argv + ["--strategies", "variable_uncertainty", "periodic"])
    by = {(r["strategy"], r["library"]): r for r in rows}
    for name in ("variable_uncertainty", "periodic"):
        ours, theirs = by[name, "skal"], by[name, "skactiveml"]
        # identical decisions, so the same labels and the same model
        assert ours["accuracy"] == theirs["accuracy"]
        assert ours["budget_used"] == theirs["budget_used"]
    assert by["periodic", "skal"]["budget_used"] == pytest.approx(22 / 110)
    saved = json.loads((tmp_path / "bench_stream.json").read_text())
    assert saved["n_samples"] == 120 and len(saved["rows"]) == 4
