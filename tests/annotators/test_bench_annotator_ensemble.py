"""The annotator-ensemble benchmark's data and sides, on a small problem."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "examples" / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_annotator_ensemble", BENCH / "bench_annotator_ensemble.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_have_half_the_labels_and_growing_noise(bench):
    X, Y = bench.make_data(3000)
    assert X.shape == (3000, 10) and Y.shape == (3000, 5)
    assert 0.45 < np.isnan(Y).mean() < 0.55
    assert set(np.unique(Y[~np.isnan(Y)])) == {0.0, 1.0, 2.0}


@pytest.mark.parametrize("voting", ["hard", "soft"])
def test_limit_and_skal_give_the_same_probabilities(bench, voting):
    X, Y = bench.make_data(500)
    best, probas = bench.run_case(["skal", "limit"], "GaussianNB", voting, X, Y, 1)
    np.testing.assert_allclose(probas["skal"], probas["limit"])
    assert set(best["skal"]) == {"fit_ms", "predict_proba_ms"}
    assert np.allclose(probas["skal"].sum(axis=1), 1.0)
