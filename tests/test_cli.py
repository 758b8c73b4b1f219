import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from threadpoolctl import threadpool_limits

from skal.cli import main
from skal.loop import Comparison, LabelJournal

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture
def iris_files(tmp_path):
    X, y = load_iris(return_X_y=True)
    frame = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    frame["species"] = np.array(["setosa", "versicolor", "virginica"])[y]
    frame.to_csv(tmp_path / "iris.csv", index=False)
    np.savez(tmp_path / "iris.npz", X=X, y=y)
    np.savez(tmp_path / "unlabeled.npz", X=X)
    return tmp_path


@pytest.mark.parametrize(
    "argv", [["--help"], ["compare", "--help"], ["label", "--help"]]
)
def test_help_is_complete(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    if argv == ["--help"]:
        assert "compare" in out and "label" in out
    elif argv[0] == "compare":
        for option in [
            "--data",
            "--target",
            "--estimator",
            "--strategies",
            "--budget",
            "--batch-size",
            "--repeats",
            "--seed",
            "--out",
            "--quiet",
        ]:
            assert option in out
        assert "logreg, rf, svm, knn, mlp" in out
    else:
        for option in [
            "--data",
            "--journal",
            "--image-shape",
            "--image-mode",
            "--classes",
            "--budget",
        ]:
            assert option in out


def test_compare_on_bundled_digits(tmp_path, capsys):
    out = tmp_path / "out"
    argv = [
        "compare",
        "--budget",
        "40",
        "--batch-size",
        "15",
        "--repeats",
        "1",
        "--strategies",
        "random,margin",
        "--out",
        str(out),
        "--quiet",
    ]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert text.startswith("digits: 1797 rows, logreg, budget 40")
    table = text.splitlines()[1:5]
    assert table[0].split()[:2] == ["learner", "AULC"]
    assert {table[2].split()[0], table[3].split()[0]} == {"random", "margin"}
    result = Comparison.load(out / "curves.json")
    assert list(result) == ["random", "margin"]
    assert result["margin"].repeats[0]["n_labeled"] == [10, 25, 40]
    assert (out / "compare.png").read_bytes()[:4] == b"\x89PNG"


def test_compare_on_csv_and_npz_with_other_estimators(iris_files, capsys):
    common = [
        "--budget",
        "30",
        "--batch-size",
        "10",
        "--repeats",
        "1",
        "--strategies",
        "entropy",
        "--quiet",
    ]
    csv = [
        "compare",
        "--data",
        str(iris_files / "iris.csv"),
        "--target",
        "species",
        "--estimator",
        "knn",
        "--out",
        str(iris_files / "a"),
    ]
    assert main(csv + common) == 0
    assert capsys.readouterr().out.startswith("iris.csv: 150 rows, knn")
    npz = [
        "compare",
        "--data",
        str(iris_files / "iris.npz"),
        "--estimator",
        "sklearn.naive_bayes:GaussianNB",
        "--out",
        str(iris_files / "b"),
    ]
    assert main(npz + common) == 0
    data = json.loads((iris_files / "b" / "curves.json").read_text())
    assert data["curves"][0]["repeats"][0]["score"][-1] > 0.8
    svm = [
        "compare",
        "--data",
        str(iris_files / "iris.npz"),
        "--estimator",
        "svm",
        "--out",
        str(iris_files / "c"),
    ]
    assert main(svm + common) == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["compare", "--data", "missing.csv"], "no such file: missing.csv"),
        (["compare", "--data", "{d}/iris.csv"], "--target COLUMN is needed"),
        (
            ["compare", "--data", "{d}/iris.csv", "--target", "kind"],
            "column 'kind' is not in",
        ),
        (["compare", "--strategies", "random,bogus"], "unknown strategy 'bogus'; "),
        (
            ["compare", "--strategies", "Margin"],
            "unknown strategy 'Margin' (did you mean 'margin'?); available: 4ds,",
        ),
        (["compare", "--budget", "5000"], "--budget 5000 is larger than the 1347"),
        (["compare", "--estimator", "xgb"], "unknown estimator 'xgb'"),
        (["compare", "--estimator", "nope.mod:Cls"], "cannot import estimator"),
        (["compare", "--budget", "0"], "must be a positive integer"),
        (["compare", "--data", "{d}/bad.npz"], "must hold arrays named X and y"),
        (
            ["label", "--data", "{d}/iris.npz", "--strategy", "core_set"],
            "unknown strategy 'core_set' (did you mean 'coreset'?)",
        ),
        (
            ["label", "--data", "{d}/iris.npz", "--image-shape", "3x3"],
            "does not match the 4 features",
        ),
        (["frobnicate"], "invalid choice"),
        (
            ["compare", "--estimator", "sklearn.svm:LinearSVC"],
            "strategy 'entropy' cannot run here: UncertaintySampling() needs "
            "predict_proba, which LinearSVC does not provide.",
        ),
    ],
)
def test_bad_arguments_get_one_line_and_status_2(argv, message, iris_files, capsys):
    np.savez(iris_files / "bad.npz", data=np.zeros(3))
    argv = [a.format(d=iris_files) for a in argv]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_label_session_journals_and_resumes(iris_files, monkeypatch, capsys):
    X, y = load_iris(return_X_y=True)
    shown, printed = [], []

    def person(prompt=""):
        # answer with the true class of the row the oracle just displayed
        text = capsys.readouterr().out
        printed.append(text)
        rows = [
            int(line.split()[1])
            for line in text.splitlines()
            if line.startswith("sample ")
        ]
        shown.extend(rows)
        return f"+{y[shown[-1]]}"  # "+" confirms a class not labeled yet

    monkeypatch.setattr("builtins.input", person)
    journal = iris_files / "j.jsonl"
    argv = [
        "label",
        "--data",
        str(iris_files / "unlabeled.npz"),
        "--journal",
        str(journal),
        "--budget",
        "12",
        "--batch-size",
        "4",
        "--initial",
        "4",
    ]
    assert main(argv) == 0
    labels = LabelJournal(journal).labels()
    assert len(labels) == 12 and all(labels[i] == y[i] for i in labels)
    argv[argv.index("12")] = "16"
    assert main(argv) == 0
    out = "".join(printed) + capsys.readouterr().out
    assert "(12 labels resumed, round 2)" in out and "16 of 150 rows labeled" in out
    assert len(LabelJournal(journal).labels()) == 16
    assert len(shown) == 16  # nothing asked twice


@pytest.mark.filterwarnings("ignore:Only one class")
def test_label_digits_shows_images_and_quits(tmp_path, monkeypatch, capsys):
    answers = iter(["3", "q"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    journal = tmp_path / "d.jsonl"
    assert main(["label", "--data", "digits", "--journal", str(journal)]) == 0
    out = capsys.readouterr().out
    assert "sample " in out and "██" in out  # the 8x8 digit drawn in blocks
    assert list(LabelJournal(journal).labels().values()) == [3]


def test_real_process_exit_status():
    proc = subprocess.run(
        [sys.executable, "-m", "skal.cli", "compare", "--data", "nowhere.npz"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert proc.returncode == 2
    assert proc.stderr == "skal compare: error: no such file: nowhere.npz\n"


@pytest.mark.filterwarnings("ignore:Only one class")
def test_npz_with_a_train_test_split_of_images(tmp_path, capsys, monkeypatch):
    from sklearn.datasets import load_digits

    images = load_digits().images
    target = load_digits().target
    path = tmp_path / "split.npz"
    np.savez(
        path,
        X_train=images[:1000],
        y_train=target[:1000],
        X_test=images[1000:1300],
        y_test=target[1000:1300],
    )
    argv = [
        "compare",
        "--data",
        str(path),
        "--budget",
        "30",
        "--batch-size",
        "10",
        "--repeats",
        "1",
        "--strategies",
        "margin",
        "--out",
        str(tmp_path / "o"),
        "--quiet",
    ]
    assert main(argv) == 0
    assert "split.npz: 1000 rows + 300 test rows" in capsys.readouterr().out
    scores = Comparison.load(tmp_path / "o" / "curves.json")["margin"].repeats[0]
    correct = np.array(scores["score"]) * 300  # k correct of the 300 test rows
    np.testing.assert_allclose(correct, np.round(correct), atol=1e-9)
    # skal label draws the 8x8 images without --image-shape
    answers = iter(["4", "q"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    unlabeled = tmp_path / "images.npz"
    np.savez(unlabeled, X=images[:50])
    assert (
        main(
            ["label", "--data", str(unlabeled), "--journal", str(tmp_path / "j.jsonl")]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "██" in out and "x0 =" not in out
