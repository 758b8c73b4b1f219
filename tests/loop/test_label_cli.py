"""``skal label`` end to end: an export that loads back, an unwritable journal."""

import errno
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_iris

from skal.cli import main
from skal.loop import LabelJournal, _journal

X, Y = load_iris(return_X_y=True)


class _Person:
    """Reads the sample shown from stdout and answers its true label."""

    def __init__(self, capsys, truth, script=None):
        self.capsys, self.truth, self.script = capsys, truth, script or {}
        self.shown, self.printed, self.turn = [], [], 0

    def __call__(self, prompt=""):
        self.turn += 1
        assert self.turn < 500, "the session keeps asking"
        text = self.capsys.readouterr().out
        self.printed.append(text + prompt)
        lines = text.splitlines()
        self.shown += [int(s.split()[1]) for s in lines if s.startswith("sample ")]
        if self.turn in self.script:
            return self.script[self.turn]
        return f"+{self.truth[self.shown[-1]]}"


@pytest.mark.parametrize("suffix", ["csv", "npz"])
def test_export_writes_every_row_with_its_label_and_loads_back(
    tmp_path, monkeypatch, capsys, suffix
):
    np.savez(tmp_path / "iris.npz", X=X)
    person = _Person(capsys, Y)
    monkeypatch.setattr("builtins.input", person)
    export = tmp_path / f"labeled.{suffix}"
    common = ["--budget", "12", "--batch-size", "4", "--initial", "4"]
    argv = ["label", "--data", str(tmp_path / "iris.npz"), "--export", str(export)]
    argv += ["--journal", str(tmp_path / "j.jsonl"), *common]
    assert main(argv) == 0
    out = "".join(person.printed) + capsys.readouterr().out
    assert f"exported 12 labeled rows (of 150) to {export}" in out
    labels = LabelJournal(tmp_path / "j.jsonl").labels()
    if suffix == "csv":
        frame = pd.read_csv(export)
        assert list(frame.columns) == ["x0", "x1", "x2", "x3", "label"]
        np.testing.assert_array_equal(frame[["x0", "x1", "x2", "x3"]].to_numpy(), X)
        got = frame["label"]
        assert got.notna().sum() == 12
        assert {i: int(got[i]) for i in np.flatnonzero(got.notna())} == labels
        again = ["label", "--data", str(export), "--target", "label"]
    else:
        with np.load(export) as data:
            np.testing.assert_array_equal(data["X"], X)
            y = data["y"]
        assert y.dtype.kind == "i" and (y != -1).sum() == 12
        assert {int(i): int(y[i]) for i in np.flatnonzero(y != -1)} == labels
        again = ["label", "--data", str(export)]
    # labeling the exported file starts with all 12 labels: nothing is asked
    person.shown.clear()
    again += ["--journal", str(tmp_path / "new.jsonl"), *common]
    assert main(again) == 0
    assert person.shown == [] and "12 of 150 rows labeled" in capsys.readouterr().out


def test_a_text_target_csv_exports_its_own_columns(tmp_path, monkeypatch, capsys):
    cancer = load_breast_cancer(as_frame=True)
    frame = cancer.frame.iloc[:120, [0, 1, 2, -1]].copy()
    names = np.array(["malignant", "benign"], dtype=object)
    truth = names[frame.pop("target").to_numpy()]
    frame["diagnosis"] = None
    frame.loc[:9, "diagnosis"] = truth[:10]
    frame.to_csv(tmp_path / "cancer.csv", index=False)
    person = _Person(capsys, truth, script={1: "maligant", 2: "maybe"})
    monkeypatch.setattr("builtins.input", person)
    export = tmp_path / "out.csv"
    argv = ["label", "--data", str(tmp_path / "cancer.csv"), "--target", "diagnosis"]
    argv += ["--budget", "16", "--batch-size", "3", "--export", str(export)]
    assert main(argv) == 0
    out = "".join(person.printed)
    assert "did you mean 'malignant'?" in out and "'maybe' is a new class" in out
    assert "label (malignant/benign, +NEW) [s=skip, u=undo, q=quit]:" in out
    back = pd.read_csv(export)
    assert list(back.columns) == list(frame.columns)
    got = back["diagnosis"]
    assert got.notna().sum() == 16 and set(got.dropna()) == {"malignant", "benign"}
    assert (got.dropna() == truth[got.notna().to_numpy()]).all()


def test_the_screen_shows_the_journal_round_after_a_resume(
    tmp_path, monkeypatch, capsys
):
    np.savez(tmp_path / "iris.npz", X=X)
    journal = tmp_path / "j.jsonl"
    with LabelJournal(journal) as j:
        for r, i in enumerate((0, 50, 100, 1, 51, 101)):
            j.append(i, int(Y[i]), round=r)
    person = _Person(capsys, Y, script={4: "q"})
    monkeypatch.setattr("builtins.input", person)
    argv = ["label", "--data", str(tmp_path / "iris.npz"), "--journal", str(journal)]
    assert main(argv + ["--batch-size", "3", "--initial", "4"]) == 0
    out = "".join(person.printed) + capsys.readouterr().out
    assert "(6 labels resumed, round 5)" in out
    assert "round 6: 9 labels" in out and "round 0" not in out


def test_an_unwritable_journal_stops_the_session_before_a_question(
    tmp_path, monkeypatch, capsys
):
    np.savez(tmp_path / "iris.npz", X=X)
    real = _journal.os.open

    def read_only(path, flags, *args):
        if flags & _journal.os.O_WRONLY:
            raise OSError(errno.EROFS, "Read-only file system")
        return real(path, flags, *args)

    monkeypatch.setattr(_journal.os, "open", read_only)
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked"))
    journal = tmp_path / "j.jsonl"
    argv = ["label", "--data", str(tmp_path / "iris.npz"), "--journal", str(journal)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == (
        f"skal label: error: cannot open the journal {journal}: Read-only file system\n"
    )


def test_a_full_disk_mid_session_is_one_line_and_status_1(
    tmp_path, monkeypatch, capsys
):
    np.savez(tmp_path / "iris.npz", X=X)
    real, calls = _journal.os.write, []

    def write(fd, data):
        calls.append(1)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(_journal.os, "write", write)
    person = _Person(capsys, Y)
    monkeypatch.setattr("builtins.input", person)
    journal = tmp_path / "j.jsonl"
    argv = ["label", "--data", str(tmp_path / "iris.npz"), "--journal", str(journal)]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1
    assert err.startswith(f"skal label: error: cannot write to the journal {journal}")
    assert "No space left on device; that answer was not recorded" in err
    monkeypatch.setattr(_journal.os, "write", real)
    assert list(LabelJournal(journal).labels()) == person.shown[:2]


def test_a_semicolon_csv_exports_its_columns(tmp_path, monkeypatch, capsys):
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["kind"] = None
    frame.loc[:5, "kind"] = Y[:6]
    frame.to_csv(tmp_path / "iris.csv", index=False, sep=";", decimal=",")
    monkeypatch.setattr("builtins.input", _Person(capsys, Y))
    export = tmp_path / "out.csv"
    argv = ["label", "--data", str(tmp_path / "iris.csv"), "--target", "kind"]
    argv += ["--budget", "9", "--batch-size", "3", "--export", str(export)]
    assert main(argv) == 0
    # it was one column "a;b;c;d;kind" of texts beside a new column "kind"
    back = pd.read_csv(export)
    assert list(back.columns) == ["a", "b", "c", "d", "kind"]
    np.testing.assert_array_equal(back[["a", "b", "c", "d"]].to_numpy(), X)
    assert back["kind"].notna().sum() == 9


def test_npz_labels_with_nan_holes_and_plus_minus_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("builtins.input", lambda prompt="": "q")
    y = np.where(np.arange(150) < 140, np.nan, Y)
    np.savez(tmp_path / "nan.npz", X=X, y=y)
    argv = ["label", "--journal", str(tmp_path / "j.jsonl")]
    assert main([*argv, "--data", str(tmp_path / "nan.npz")]) == 0
    # NaN rows are unlabeled: the count said 150 of 150, NaN counted as labels
    assert "10 of 150 rows labeled" in capsys.readouterr().out
    np.savez(tmp_path / "both.npz", X=X, y=np.r_[-1.0, y[1:]])
    assert main([*argv, "--data", str(tmp_path / "both.npz")]) == 2
    assert capsys.readouterr().err.endswith(
        "y marks unlabeled rows with NaN but also holds the label -1, which skal "
        "label reads as unlabeled too: recode the labels (e.g. -1 -> 0)\n"
    )
    np.savez(tmp_path / "pm.npz", X=X, y=np.where(Y == 0, -1.0, 1.0))
    assert main([*argv, "--data", str(tmp_path / "pm.npz")]) == 0
    assert capsys.readouterr().out.startswith(
        "note: y holds only -1 and +1: its 50 rows of -1 are unlabeled (skal "
        "label's mark); if -1 is a class, recode it (e.g. -1 -> 0) and mark the "
        "unlabeled rows with NaN\n"
    )


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--strategy", "qbc"], "strategy 'qbc' scores the votes of a committee"),
        (
            ["--estimator", "ridge"],
            "strategy 'entropy' cannot run with ridge, a regressor; strategies for "
            "regression: coreset, ei, emcm,",
        ),
        (["--strategy", "gsy"], "strategy 'gsy' cannot run with logreg, a classifier"),
        (
            ["--strategy", "predicted_loss"],
            "strategy 'predicted_loss' reads what a skal.torch network records "
            "while it trains, which logreg does not",
        ),
        (
            ["--strategy", "label_dispersion"],
            "strategy 'label_dispersion' reads what a skal.torch network records",
        ),
        (
            ["--target", "size"],
            "the labels given hold numbers with fractions (5.1, ...), which logreg, "
            "a classifier, cannot learn as classes: label with a regressor "
            "(--estimator ridge, bayes-ridge, gp, rf-reg, hgb-reg)",
        ),
    ],
)
def test_a_strategy_or_labels_one_model_cannot_serve_get_one_line(
    argv, message, tmp_path, monkeypatch, capsys
):
    # they failed inside scikit-learn or skal, with a traceback, mid-session
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    target = argv[1] if argv[0] == "--target" else "kind"
    frame[target] = None
    frame.loc[:5, target] = X[:6, 0] if target == "size" else Y[:6]
    frame.to_csv(tmp_path / "iris.csv", index=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked"))
    base = ["label", "--data", str(tmp_path / "iris.csv"), "--target", "kind"]
    assert main([*base, "--journal", str(tmp_path / "j.jsonl"), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


@pytest.mark.parametrize("strategy", ["vaal", "mal"])
def test_a_network_strategy_without_torch_stops_before_a_question(
    strategy, tmp_path, monkeypatch, capsys
):
    np.savez(tmp_path / "iris.npz", X=X)
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch fails
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked"))
    argv = ["label", "--data", str(tmp_path / "iris.npz"), "--strategy", strategy]
    assert main([*argv, "--journal", str(tmp_path / "j.jsonl")]) == 2
    assert capsys.readouterr().err == (
        f"skal label: error: strategy {strategy!r} trains a network with PyTorch, "
        "which is not installed: pip install skal[torch]\n"
    )


def test_a_warning_is_printed_once_not_every_round(tmp_path, monkeypatch, capsys):
    np.savez(tmp_path / "iris.npz", X=X)
    monkeypatch.setattr("builtins.input", lambda prompt="": "0")  # one class only
    argv = ["label", "--data", str(tmp_path / "iris.npz"), "--budget", "10"]
    argv += ["--batch-size", "2", "--initial", "2", "--journal", str(tmp_path / "j")]
    assert main(argv) == 0
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == len(set(lines)) >= 1
    assert all(line.startswith("warning: Only one class") for line in lines)


def test_a_two_class_strategy_stops_in_one_line_when_a_third_class_is_answered(
    tmp_path, monkeypatch, capsys
):
    # it stopped after the random round with a traceback from the strategy
    np.savez(tmp_path / "iris.npz", X=X)
    person = _Person(capsys, Y)
    monkeypatch.setattr("builtins.input", person)
    journal = tmp_path / "j.jsonl"
    argv = ["label", "--data", str(tmp_path / "iris.npz"), "--journal", str(journal)]
    argv += ["--strategy", "epistemic", "--initial", "12", "--seed", "0"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err == (
        "skal label: error: strategy 'epistemic' is defined for two classes only, "
        "but the labels hold 3: pick a strategy for any number of classes, e.g. "
        f"--strategy entropy; every label given is saved in the journal {journal}: "
        "run again with another --strategy to go on from them\n"
    )
    labels = LabelJournal(journal).labels()
    assert sorted(labels) == sorted(person.shown) and len(labels) == 12
    assert {labels[i] for i in labels} == {0, 1, 2}
    # resumed with the same strategy: refused before a question; with another,
    # the session goes on from the journal
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked"))
    assert main(argv) == 1
    monkeypatch.setattr("builtins.input", lambda prompt="": "q")
    assert main([*argv[:-4], "--strategy", "entropy"]) == 0
    assert "12 of 150 rows labeled" in capsys.readouterr().out


@pytest.mark.parametrize("given", [["--target", "kind"], ["--classes", "a,b,c"]])
def test_a_two_class_strategy_is_refused_up_front_for_three_classes(
    given, tmp_path, monkeypatch, capsys
):
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["kind"] = None
    frame.loc[::30, "kind"] = Y[::30]  # 0, 0, 1, 1, 2
    if given[0] == "--classes":
        frame = frame.drop(columns="kind")
    frame.to_csv(tmp_path / "iris.csv", index=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": pytest.fail("asked"))
    argv = ["label", "--data", str(tmp_path / "iris.csv"), "--strategy", "epistemic"]
    assert main([*argv, "--journal", str(tmp_path / "j.jsonl"), *given]) == 2
    assert capsys.readouterr().err == (
        "skal label: error: strategy 'epistemic' is defined for two classes only, "
        "but the labels hold 3: pick a strategy for any number of classes, e.g. "
        "--strategy entropy\n"
    )


def test_empty_text_cells_are_no_class_for_a_two_class_strategy(
    tmp_path, monkeypatch, capsys
):
    # the None of each empty cell counted as a class: 'the labels hold 3'
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["kind"] = None
    frame.loc[::30, "kind"] = np.where(Y[::30] == 0, "p", "q")
    frame.to_csv(tmp_path / "iris.csv", index=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": "q")
    journal = tmp_path / "j.jsonl"
    argv = ["label", "--data", str(tmp_path / "iris.csv"), "--target", "kind"]
    assert main([*argv, "--strategy", "epistemic", "--journal", str(journal)]) == 0
    captured = capsys.readouterr()
    assert "error" not in captured.err
    assert "5 of 150 rows labeled" in captured.out
