"""bench_deep_strategies: the epoch count and the cost ratios, on a made-up run."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("skorch")

BENCH = Path(__file__).resolve().parents[2] / "examples" / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    path = BENCH / "bench_deep_strategies.py"
    spec = importlib.util.spec_from_file_location("bench_deep_strategies", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_epochs_of_the_task_net(bench):
    # 20 labels, batch 16: 2 steps an epoch -> 100 epochs for 200 steps
    assert bench.epochs_of(20, "random") == 100
    # 400 labels: 25 steps -> 8 epochs, raised to skorch's 10
    assert bench.epochs_of(400, "random") == 10
    assert bench.epochs_of(20, "predicted_loss") == bench.LP_EPOCHS


def test_summary_labels_to_target_and_costs(bench):
    reference = [
        {
            "n_labeled": [20, 40],
            "score": [0.5, 0.8],
            "fit_seconds": [1.0, 2.0],  # 40 labels: 67 epochs -> 2 / 67 s each
            "query_seconds": [0.0, 0.0],
        }
    ]
    run = [
        {
            "n_labeled": [20, 40],
            "score": [0.5, 0.9],
            "fit_seconds": [1.0, 4.0],
            "query_seconds": [0.0, 1.0],
        }
    ]
    row = bench.summarise("x", run, reference, target=0.85)
    epoch = 2.0 / 67
    assert row["labels_to_target"] == 40
    assert row["query_epochs"] == pytest.approx(1.0 / epoch)
    assert row["round_epochs"] == pytest.approx(5.0 / epoch)
    never = bench.summarise("ref", reference, reference, 0.85)
    assert never["labels_to_target"] is None
