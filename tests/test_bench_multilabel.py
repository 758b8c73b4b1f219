"""bench_multilabel: skal's batches equal modAL's where the formulas agree."""

import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("threadpoolctl")

SCRIPT = (
    Path(__file__).resolve().parents[1]
    / "examples"
    / "benchmarks"
    / "bench_multilabel.py"
)


def _bench():
    spec = importlib.util.spec_from_file_location("bench_multilabel", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_small_run_writes_json(tmp_path, capsys):
    bench = _bench()
    rows = bench.main(["--n", "300", "--labels", "4", "--out", str(tmp_path)])
    assert [r["strategy"] for r in rows] == list(bench.STRATEGIES)
    assert all(r["n"] == 300 and r["skal_s"] > 0 and r["limit_s"] > 0 for r in rows)
    saved = json.loads((tmp_path / "bench_multilabel.json").read_text())
    assert [r["strategy"] for r in saved["rows"]] == list(bench.STRATEGIES)
    assert saved["n_labels"] == 4
    assert "skal/limit" in capsys.readouterr().out


def test_agrees_with_modal(tmp_path):
    bench = _bench()
    if bench.load_modal("/work/notes/modal_pkg") is None:
        pytest.skip("modAL is not installed")
    rows = bench.main(["--n", "300", "--labels", "4", "--batch", "5"])
    same = [name for name, spec in bench.STRATEGIES.items() if spec[2]]
    assert [r["agree"] for r in rows if r["strategy"] in same] == [True] * len(same)
    others = [r["agree"] for r in rows if r["strategy"] not in same]
    assert others == [None] * len(others)
