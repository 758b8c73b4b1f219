"""bench_pool_strategies: every row agrees with scikit-activeml on a small pool."""

import importlib.util
import json
from pathlib import Path

import pytest

pytest.importorskip("threadpoolctl")
pytest.importorskip("skactiveml")

SCRIPT = (
    Path(__file__).resolve().parents[1]
    / "examples"
    / "benchmarks"
    / "bench_pool_strategies.py"
)


def test_small_run_agrees_and_writes_json(tmp_path, capsys, monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))  # it imports its helpers
    spec = importlib.util.spec_from_file_location("bench_pool_strategies", SCRIPT)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    rows = bench.main(["--n", "200", "--batch", "4", "--out", str(tmp_path)])
    names = [r["strategy"] for r in rows]
    assert names == [
        "ProbCover",
        "MaxHerding",
        "EpistemicUncertaintySampling",
        "UncertaintySampling(cost_matrix)",
        "Falcun",
        "CLUE",
        "DiscriminativeAL",
        "QUIRE",
        "ContrastiveAL",
        "DropQuery",
        "ProbabilisticAL(McPAL)",
        "ValueOfInformationEER(10 cand)",
        "FourDs",
        "CostEmbeddingAL (ALCE)",
        "ExpectedAveragePrecision(80 cand)",
    ]
    assert all(r["agree"] for r in rows), rows
    saved = json.loads((tmp_path / "bench_pool_strategies.json").read_text())
    assert [r["strategy"] for r in saved["rows"]] == names
    assert "ratio" in capsys.readouterr().out
