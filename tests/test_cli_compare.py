"""``skal compare``: every listed strategy runs, regression, slow strategies, notes."""

import re
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from threadpoolctl import threadpool_limits

import skal
from skal._cli_learners import (
    ANY_TASK_STRATEGIES,
    REGRESSION_STRATEGIES,
    SAMPLE_STRATEGIES,
    build_learners,
    strategies_for,
)
from skal.cli import main
from skal.loop import Comparison
from skal.strategies import MULTILABEL_STRATEGIES, available_strategies

NB = "sklearn.naive_bayes:GaussianNB"
TINY = ["--budget", "12", "--batch-size", "4", "--initial", "4", "--repeats", "1"]


@pytest.fixture(autouse=True)
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A 75-row iris (3 classes, and its 2-class half), an 80-row diabetes."""
    folder = tmp_path_factory.mktemp("tiny")
    X, y = load_iris(return_X_y=True)
    np.savez(folder / "iris.npz", X=X[::2], y=y[::2])
    two = y[::2] < 2  # setosa and versicolor: for the binary-only strategies
    np.savez(folder / "iris2.npz", X=X[::2][two], y=y[::2][two])
    species = np.array(["setosa", "versicolor", "virginica"])[y[::2]]
    frame = pd.DataFrame(X[::2], columns=["sl", "sw", "pl", "pw"]).assign(y=species)
    frame.to_csv(folder / "iris.csv", index=False)
    X, y = load_diabetes(return_X_y=True)
    frame = pd.DataFrame(X[:80], columns=[f"x{i}" for i in range(X.shape[1])])
    frame["progression"] = y[:80]
    frame.to_csv(folder / "diabetes.csv", index=False)
    return folder


def _data_args(tiny, strategy):
    if strategy in REGRESSION_STRATEGIES:
        return ["--data", str(tiny / "diabetes.csv"), "--target", "progression"]
    if strategy in ("emvr", "emoc", "kl_divergence"):  # refits: no committee
        return [
            "--data", str(tiny / "diabetes.csv"), "--target", "progression",
            "--estimator", "bayes-ridge",
        ]  # fmt: skip
    if strategy in ("eer", "voi"):  # refits per candidate and class: a fast fit
        return ["--data", str(tiny / "iris.npz"), "--estimator", NB]
    if strategy == "epistemic":  # defined for two classes
        return ["--data", str(tiny / "iris2.npz")]
    return ["--data", str(tiny / "iris.npz")]


def test_every_strategy_is_sorted_into_a_task():
    listed = set(available_strategies()) - set(MULTILABEL_STRATEGIES)
    assert (
        set(strategies_for("classification")) | set(strategies_for("regression"))
        == listed
    )
    assert SAMPLE_STRATEGIES <= listed and ANY_TASK_STRATEGIES <= listed
    assert set(strategies_for("regression")) == REGRESSION_STRATEGIES | (
        ANY_TASK_STRATEGIES
    )


@pytest.mark.parametrize(
    "strategy", sorted(set(available_strategies()) - set(MULTILABEL_STRATEGIES))
)
def test_every_listed_strategy_runs_from_the_cli(strategy, tiny, tmp_path, capsys):
    out = tmp_path / "o"
    argv = ["compare", *_data_args(tiny, strategy), "--strategies", strategy]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*read as unlabeled")
        status = main([*argv, *TINY, "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    curve = Comparison.load(out / "curves.json")[strategy]
    assert curve.repeats[0]["n_labeled"] == [4, 8, 12]
    assert np.all(np.isfinite(curve.repeats[0]["score"]))
    assert curve.scoring == ("r2" if strategy in REGRESSION_STRATEGIES else "accuracy")
    if strategy in SAMPLE_STRATEGIES:
        assert "run on a Committee of 5 bagged logreg" in captured.out or (
            "runs on a Committee of 5 bagged logreg" in captured.out
        )


def test_help_lists_each_strategy_under_its_task(capsys):
    assert main(["compare", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split()).replace("- ", "-")
    assert "badge, bald," in out.split("Classification:")[1].split("Regression:")[0]
    assert (
        "Regression: coreset, ei, emcm, emoc, emvr, gsx, gsy, igs, kl_divergence, "
        "kmeans, pi, random, regression_tree, regression_tree_diversity, "
        "regression_tree_representativity, std, typiclust, ucb." in out
    )
    for flag in [
        "--learner",
        "--n-members",
        "--task",
        "ridge, bayes-ridge, gp, rf-reg",
    ]:
        assert flag in out


def test_builder_gives_committees_and_regressors():
    learners, name, notes = build_learners(
        ["margin", "vote_entropy", "std"][:2], task="classification", n_members=3
    )
    assert type(learners["margin"]).__name__ == "ActiveLearner"
    assert learners["vote_entropy"].get_params()["n_members"] == 3
    assert notes == [
        "vote_entropy needs the votes of a committee: it runs on a Committee of 3 "
        "bagged logreg (choose with --learner committee or bayesian)"
    ]
    learners, name, notes = build_learners(
        ["std", "gsy"], task="regression", estimator="gp"
    )
    assert name == "gp" and notes == []  # a GP has its own predictive std
    assert type(learners["std"]).__name__ == "ActiveLearner"
    assert np.isnan(learners["std"].missing_label)
    learners, name, _ = build_learners(
        ["qbc"], task="classification", estimator="logreg,knn", learner="auto"
    )
    assert name == "a Committee of logreg, knn"
    assert [n for n, _ in learners["qbc"].estimators] == ["logreg", "knn"]
    learners, _, _ = build_learners(["std"], task="regression", learner="committee")
    assert type(learners["std"]).__name__ == "CommitteeRegressor"


def test_regression_target_is_detected_and_scored_with_r2(tiny, tmp_path, capsys):
    argv = ["compare", *_data_args(tiny, "std"), *TINY, "--out", str(tmp_path)]
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*read as unlabeled")
        assert main([*argv, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "note: column 'progression' is numeric with 65 distinct values: treated as "
        "regression (score r2); pass --task classification"
    )
    assert "diabetes.csv: 80 rows, ridge, budget 12, batch 4, 1 repeat (test r2)" in out
    result = Comparison.load(tmp_path / "curves.json")
    assert list(result) == ["random", "std", "gsx", "igs"]
    assert {curve.scoring for curve in result.values()} == {"r2"}


@pytest.mark.parametrize(
    "extra, message",
    [
        (
            ["--strategies", "std", "--learner", "active"],
            "strategy 'std' cannot run here: StdSampling() needs predict_std",
        ),
        (
            ["--estimator", "logreg"],
            "column 'progression' is numeric with 65 distinct values, which looks "
            "like regression, but logreg is a classifier; use a regressor "
            "(--estimator ridge, bayes-ridge, gp, rf-reg, hgb-reg)",
        ),
        (
            ["--strategies", "margin"],
            "strategy 'margin' needs class probabilities, so it cannot run on this "
            "regression target; strategies for regression: coreset, ei, emcm, emoc",
        ),
        (["--learner", "bayesian"], "--learner bayesian is an MC-dropout classifier"),
    ],
)
def test_regression_refuses_what_cannot_run(extra, message, tiny, capsys):
    argv = ["compare", *_data_args(tiny, "std"), *TINY, *extra]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and message in err
    if "margin" in extra:  # the note says why it is regression and how to change it
        assert out.startswith("note: column 'progression' is numeric") and out.endswith(
            "treated as regression (score r2); pass --task classification to "
            "treat the values as classes\n"
        )
    if "std" in extra:
        assert err.endswith("(use --learner committee, or --estimator gp)\n")


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["--estimator", "skal:Committee"],
            "skal:Committee is an active learner, not an estimator: choose it with "
            "--learner",
        ),
        (
            ["--estimator", "skal:ActiveLearner"],
            "skal:ActiveLearner is an active learner",
        ),
        (
            ["--estimator", "sklearn.pipeline:Pipeline"],
            "cannot build estimator 'sklearn.pipeline:Pipeline' with its default "
            "parameters",
        ),
        (["--estimator", "os:getcwd"], "os:getcwd is not an estimator"),
        (
            ["--strategies", "gsy"],
            "strategy 'gsy' needs a regressor, so it cannot run on this "
            "classification target",
        ),
        (
            ["--strategies", "mmc"],
            "strategy 'mmc' needs a multi-label target (a 2-d 0/1 indicator), "
            "and skal compare reads one target column",
        ),
        (
            ["--estimator", "ridge", "--task", "classification"],
            "ridge is not a classifier, and this is a classification target",
        ),
        (
            ["--learner", "committee", "--estimator", "logreg,ridge"],
            "ridge is not a classifier",
        ),
        (
            ["--strategies", "qbc", "--learner", "active"],
            "strategy 'qbc' cannot run here: QueryByCommittee() needs "
            "predict_proba_samples",
        ),
        (  # two identical members never disagree (and clashed as member names)
            ["--learner", "committee", "--estimator", "logreg,rf,logreg"],
            "lists logreg more than once: identical members never disagree. For a "
            "committee of copies, bag them: --estimator logreg --n-members 2",
        ),
        (
            ["--learner", "bayesian", "--estimator", "rf"],
            "--learner bayesian trains skal.torch's MC-dropout MLP",
        ),
    ],
)
def test_bad_learner_arguments_get_one_line(argv, message, tiny, capsys):
    assert main(["compare", "--data", str(tiny / "iris.npz"), *TINY, *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    if "qbc" in argv:
        assert err.rstrip().endswith("(use --learner committee or --learner bayesian)")


def test_a_regressor_on_class_labels(tiny, tmp_path, capsys):
    argv = ["compare", "--data", str(tiny / "iris.csv"), "--target", "y", *TINY]
    assert main([*argv, "--estimator", "ridge"]) == 2
    assert capsys.readouterr().err == (
        "skal compare: error: column 'y' holds text labels ('setosa', ...), and "
        "regression needs numbers; use a classifier (--estimator logreg, rf, svm, "
        "knn, mlp, hgb)\n"
    )
    argv = ["compare", "--data", str(tiny / "iris.npz"), *TINY, "--quiet"]
    argv += ["--estimator", "ridge", "--out", str(tmp_path)]
    assert main(argv) == 0  # numeric classes and a regressor: regression, said so
    assert capsys.readouterr().out.startswith(
        "note: ridge is a regressor, so y (3 distinct values) is treated as "
        "regression (score r2)\n"
    )


def test_bayesian_learner_without_torch_names_the_extra(tiny, monkeypatch, capsys):
    for name in [m for m in sys.modules if m.split(".")[0] in ("torch", "skorch")]:
        monkeypatch.delitem(sys.modules, name)
    for name in [m for m in sys.modules if m.startswith("skal.torch")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "skorch", None)
    argv = ["compare", "--data", str(tiny / "iris.npz"), *TINY, "--learner", "bayesian"]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "skal compare: error: --learner bayesian trains an MC-dropout network with "
        "PyTorch and skorch, which are not installed: pip install skal[torch]\n"
    )


def test_bayesian_learner_runs_batchbald_on_mc_dropout(tiny, tmp_path, capsys):
    pytest.importorskip("skorch")
    pytest.importorskip("torch")
    argv = ["compare", "--data", str(tiny / "iris.npz"), *TINY, "--learner"]
    argv += ["bayesian", "--strategies", "batchbald", "--out", str(tmp_path)]
    assert main([*argv, "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "iris.npz: 75 rows, MC-dropout MLP (BayesianLearner), budget 12" in out
    result = Comparison.load(tmp_path / "curves.json")
    assert result["batchbald"].repeats[0]["n_labeled"] == [4, 8, 12]


def test_slow_strategy_warns_with_an_estimate_and_shows_rounds(tiny, tmp_path, capsys):
    argv = ["compare", *_data_args(tiny, "eer"), *TINY, "--strategies"]
    assert main([*argv, "eer,margin", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "timing one query of eer..."
    assert lines[1].startswith(
        "warning: eer is slow: it refits the model for each candidate and each "
        "class; one query took "
    )
    assert "for 2 queries x 1 repeat (lower --budget or --repeats" in lines[1]
    assert "eer: 4/12 labels" in captured.err and "eer: 12/12 labels" in captured.err


def test_a_pairwise_strategy_on_a_large_pool_is_timed_on_more_rows(
    tiny, tmp_path, capsys, monkeypatch
):
    # probcover took 5 min a query on MNIST's 60,000 rows, without a word
    import skal._cli_commands as commands

    monkeypatch.setattr(commands, "_QUADRATIC_ROWS", 50)  # iris: 56 train rows
    monkeypatch.setattr(commands, "_QUADRATIC_SAMPLE", 28)
    argv = ["compare", "--data", str(tiny / "iris.npz"), *TINY, "--quiet"]
    assert main([*argv, "--strategies", "probcover", "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "timing one query of probcover..."
    assert re.fullmatch(
        r"warning: probcover is slow: it compares every pair of pool rows at each "
        r"query; one query took \d+\.\d s on 28 rows, about \S+ s on the 56 "
        r"training rows, so expect roughly \S+ s or more for 2 queries x 1 repeat "
        r"\(use fewer rows, or lower --budget or --repeats to shorten it\)",
        lines[1],
    )
    # no query (--budget equal to --initial): it said 'expect roughly 0 s'
    argv[argv.index("12")] = "4"
    assert main([*argv, "--strategies", "probcover", "--out", str(tmp_path)]) == 0
    assert "slow" not in capsys.readouterr().out


def test_labels_to_column_separates_easy_data(tmp_path, capsys):
    X, y = load_breast_cancer(return_X_y=True)
    np.savez(tmp_path / "cancer.npz", X=X, y=y)
    argv = ["compare", "--data", str(tmp_path / "cancer.npz"), "--repeats", "1"]
    argv += ["--budget", "60", "--strategies", "random,margin"]
    assert main([*argv, "--out", str(tmp_path / "o"), "--quiet"]) == 0
    out = capsys.readouterr().out
    result = Comparison.load(tmp_path / "o" / "curves.json")
    best = max(c.final_score() for c in result.values())
    # both strategies pass 95 % of the best final score at 20 labels
    assert {c.labels_to(0.95 * best) for c in result.values()} == {20}
    note = [line for line in out.splitlines() if line.startswith("note: labels to")]
    assert len(note) == 1 and note[0].endswith(
        "of the best final score: at 95% every learner needs 20 labels"
    )
    target = float(note[0].split()[3])
    assert target > 0.95 * best
    assert len({c.labels_to(target) for c in result.values()}) == 2
    assert f"labels to {target:.3f}" in out


def test_labels_to_column_says_when_nothing_separates(tmp_path, capsys):
    X, y = load_wine(return_X_y=True)
    np.savez(tmp_path / "wine.npz", X=X, y=y)
    argv = ["compare", "--data", str(tmp_path / "wine.npz"), "--repeats", "1"]
    argv += ["--budget", "30", "--strategies", "random,margin", "--quiet"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == 0
    assert (
        "note: every learner reaches 95% to 99% of the best final score at the "
        "same count: compare them by AULC, or pass --target-score\n"
    ) in capsys.readouterr().out


def test_version_and_bare_command(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"skal {skal.__version__}\n"
    assert main([]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith("usage: skal [-h] [--version] {compare,label,serve}")
    assert "compare" in captured.out.split("\n", 1)[1]


def test_task_classification_takes_fractions_as_classes(tmp_path, capsys):
    X, y = load_iris(return_X_y=True)
    np.savez(tmp_path / "halves.npz", X=X, y=y + 0.5)  # 0.5, 1.5, 2.5
    argv = ["compare", "--data", str(tmp_path / "halves.npz"), *TINY, "--quiet"]
    argv += ["--strategies", "random,margin"]
    assert main([*argv, "--out", str(tmp_path / "a")]) == 2  # regression: no margin
    assert "pass --task classification" in capsys.readouterr().out
    argv += ["--task", "classification", "--out", str(tmp_path / "b")]
    # as it advised: it failed with "strategy 'random' cannot run here: Unknown
    # label type: continuous"
    assert main(argv) == 0
    assert "halves.npz: 150 rows, logreg, budget 12" in capsys.readouterr().out


def test_regression_strategies_moved_to_a_committee_need_a_spread():
    notes = build_learners(["ei", "std", "ucb"], task="regression")[2]
    assert notes == [  # was: 'need the votes of a committee'
        "ei, std, ucb need a predictive spread: they run on a Committee of 5 bagged "
        "ridge (choose with --learner committee)"
    ]
