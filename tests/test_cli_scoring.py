"""``skal compare --scoring``, and the note on accuracy for imbalanced classes."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from threadpoolctl import threadpool_limits

from skal._cli_learners import build_learners
from skal.cli import load_data, main
from skal.loop import Comparison, compare

RUN = ["--budget", "24", "--batch-size", "4", "--initial", "6", "--repeats", "1"]


@pytest.fixture(autouse=True)
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture
def rare_csv(tmp_path):
    X, y = make_classification(
        240, n_features=4, weights=[0.96], flip_y=0, random_state=0
    )
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["fraud"] = np.where(y == 1, "yes", "no")
    frame.to_csv(tmp_path / "rare.csv", index=False)
    return tmp_path / "rare.csv", int((y == 1).sum())


def test_imbalanced_classes_get_a_note_on_accuracy(rare_csv, tmp_path, capsys):
    path, n_rare = rare_csv
    argv = ["compare", "--data", str(path), "--target", "fraud", *RUN, "--quiet"]
    assert main([*argv, "--strategies", "random", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        f"note: the rarest class ('yes') holds {n_rare} of 240 rows and the largest "
        f"{240 - n_rare}: accuracy barely sees it; pass --scoring balanced_accuracy "
        "(or f1_macro) to weigh every class alike\n"
    )
    assert "(test accuracy)" in out


def test_scoring_reaches_the_curves(rare_csv, tmp_path, capsys):
    path, _ = rare_csv
    argv = ["compare", "--data", str(path), "--target", "fraud", *RUN, "--quiet"]
    argv += ["--strategies", "random,margin", "--out", str(tmp_path)]
    assert main([*argv, "--scoring", "balanced_accuracy"]) == 0
    out = capsys.readouterr().out
    assert not out.startswith("note:")  # the score weighs the rare class already
    assert "rare.csv: 240 rows, logreg, budget 24, batch 4, 1 repeat (test " in out
    assert "(test balanced_accuracy)" in out
    result = Comparison.load(tmp_path / "curves.json")
    # the same run through the Python API, scored by scikit-learn's scorer
    data = load_data(str(path), "fraud")
    learners = build_learners(
        ["random", "margin"], task="classification", batch_size=4
    )[0]
    expected = compare(
        learners, data.X, data.y, budget=24, batch_size=4, n_initial=6,
        n_repeats=1, random_state=0, scoring="balanced_accuracy", progress=False,
    )  # fmt: skip
    for name in ("random", "margin"):
        assert result[name].scoring == "balanced_accuracy"
        np.testing.assert_allclose(
            result[name].repeats[0]["score"], expected[name].repeats[0]["score"]
        )
    assert min(result["random"].repeats[0]["score"]) < 0.9  # accuracy: >= 0.96


@pytest.mark.parametrize(
    "target, scoring, message",
    [
        ("fraud", "r2", "--scoring r2 does not score classification; use accuracy, "
         "balanced_accuracy, f1_macro, f1_weighted"),
        ("a", "f1_macro", "--scoring f1_macro does not score regression; use r2"),
    ],
)  # fmt: skip
def test_a_scoring_of_the_other_task_gets_one_line(
    rare_csv, capsys, target, scoring, message
):
    path, _ = rare_csv
    argv = ["compare", "--data", str(path), "--target", target, "--scoring", scoring]
    assert main(argv) == 2
    assert capsys.readouterr().err == f"skal compare: error: {message}\n"
