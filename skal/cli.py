"""The ``skal`` command: ``skal compare`` strategies, ``skal label`` a data set.

Run ``skal --help``, ``skal compare --help`` or ``skal label --help``.
"""

import argparse
import math
import os
import sys

from . import _cli_learners
from ._cli_commands import SCORINGS, run_compare
from ._cli_data import load_data
from ._cli_inputs import (
    ESTIMATORS,
    REGRESSORS,
    CalibratedLinearSVC,
    UsageError,
    make_estimator,
)
from ._cli_label import run_label
from ._cli_learners import LEARNERS, SAMPLE_STRATEGIES, SLOW_STRATEGIES, strategies_for
from .serve._cli import add_serve_parser, run_serve

__all__ = [
    "DEFAULT_STRATEGIES",
    "ESTIMATORS",
    "REGRESSORS",
    "CalibratedLinearSVC",
    "UsageError",
    "load_data",
    "main",
    "make_estimator",
]

#: The strategies ``skal compare`` runs by default on a classification target.
DEFAULT_STRATEGIES = _cli_learners.DEFAULT_STRATEGIES["classification"]


def _number(text, kind, what):
    """``text`` read as ``kind``, or argparse's error saying what it must be."""
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None


def _check_positive(text):
    value = _number(text, int, "a positive integer")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _check_seed(text):
    what = "an integer from 0 to 4294967295"
    value = _number(text, int, what)
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text}")
    return value


def _check_finite(text):
    value = _number(text, float, "a number")
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text}")
    return value


def _check_n_jobs(text):
    value = _number(text, int, "a positive count or -1")
    if value == 0:
        raise argparse.ArgumentTypeError("must be a positive count or -1, got 0")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _compare_help():
    """The help of ``--estimator``, ``--strategies`` and ``--learner``."""
    slow = ", ".join(sorted(SLOW_STRATEGIES))
    return {
        "estimator": (
            f"model: a classifier ({', '.join(ESTIMATORS)}; svm = calibrated "
            "linear SVM, hgb = gradient boosting, which takes empty cells), a "
            f"regressor ({', '.join(REGRESSORS)}; gp = Gaussian "
            "process), an import path module:Class, or several comma-separated "
            "names (the members of a committee). Default: logreg, or ridge when "
            "the target is numeric with many values (regression)"
        ),
        "strategies": (
            "comma-separated strategy names. Classification: "
            f"{', '.join(strategies_for('classification'))}. Regression: "
            f"{', '.join(strategies_for('regression'))}. "
            f"{', '.join(sorted(SAMPLE_STRATEGIES))} score a committee's votes "
            "or MC-dropout passes; std needs a predictive spread; "
            f"{slow} refit the model per candidate and are slow (a time estimate "
            "is printed). Default: random,entropy,margin,least_confidence, or "
            "random,std,gsx,igs for regression"
        ),
        "learner": (
            "active: the estimator alone; committee: a Committee (bagged "
            "--n-members copies of --estimator, or the comma-separated "
            "estimators); bayesian: an MC-dropout MLP (BayesianLearner, needs "
            "pip install skal[torch]); auto (default): active, except for the "
            "strategies that need a committee's votes or a predictive spread the "
            "model lacks, which run on a bagged committee (a note says so)"
        ),
    }


def _parser():
    from . import __version__

    parser = _Parser(
        prog="skal",
        description="Active learning with scikit-learn: compare query strategies "
        "on your data, then label it.",
    )
    parser.add_argument("--version", action="version", version=f"skal {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="{compare,label,serve}")
    sub.required = True
    est_help = (
        f"model: {', '.join(ESTIMATORS)} (svm = calibrated linear SVM, hgb = "
        "gradient boosting, which takes empty cells) or an import path "
        "module:Class (default: %(default)s)"
    )

    c = sub.add_parser(
        "compare",
        help="simulate strategies on labeled data and compare learning curves",
        description="Simulate active learning with each strategy on the same "
        "initial labels and seeds; print a table (area under the learning "
        "curve, final score, labels to a target score, seconds) and write the "
        "curves (JSON) and a plot (PNG) to --out. Without --data it runs on "
        "scikit-learn's digits.",
    )
    c.add_argument(
        "--data",
        help="a .csv (with --target) or .npz file (X, y; or X_train, y_train, "
        "X_test, y_test)",
    )
    c.add_argument("--target", help="label column of the CSV file")
    compare_help = _compare_help()
    c.add_argument("--estimator", default="auto", help=compare_help["estimator"])
    c.add_argument("--strategies", help=compare_help["strategies"])
    c.add_argument(
        "--learner", choices=LEARNERS, default="auto", help=compare_help["learner"]
    )
    c.add_argument(
        "--n-members",
        type=_check_positive,
        default=5,
        help="members of a bagged committee (default: %(default)s)",
    )
    c.add_argument(
        "--task",
        choices=["auto", "classification", "regression"],
        default="auto",
        help="auto (default): regression when the target is numeric with more "
        "than 20 distinct values or fractions, or the estimator is a regressor",
    )
    c.add_argument(
        "--budget",
        type=_check_positive,
        default=200,
        help="labels per run, initial ones included (default: %(default)s)",
    )
    c.add_argument(
        "--batch-size",
        type=_check_positive,
        default=10,
        help="labels per round (default: %(default)s)",
    )
    c.add_argument(
        "--initial",
        type=_check_positive,
        default=10,
        help="random labels before the first query (default: %(default)s)",
    )
    c.add_argument(
        "--repeats",
        type=_check_positive,
        default=3,
        help="runs per strategy (default: %(default)s)",
    )
    c.add_argument(
        "--seed", type=_check_seed, default=0, help="random seed (default: 0)"
    )
    c.add_argument(
        "--scoring",
        choices=SCORINGS,
        default=None,
        help="test score: accuracy (the default for classes), balanced_accuracy "
        "or f1_macro (every class weighs alike: for imbalanced classes), "
        "f1_weighted; r2 (the default for regression)",
    )
    c.add_argument(
        "--target-score",
        type=_check_finite,
        default=None,
        help="score for the 'labels to' column (default: 95%% of the best final "
        "score, or 97, 98 or 99%% when every learner needs the same number of "
        "labels to reach 95%%; a note then says so)",
    )
    c.add_argument(
        "--n-jobs",
        type=_check_n_jobs,
        default=1,
        help="parallel runs (default: 1; -1 for all cores)",
    )
    c.add_argument(
        "--out", default="skal-out", help="output folder (default: %(default)s)"
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar")

    lab = sub.add_parser(
        "label",
        help="label a data set interactively, most useful samples first",
        description="Label rows of a data set at the terminal: the model "
        "retrains after each batch and asks for the samples it is least sure "
        "of. Every answer is saved to a journal before it is used; run the "
        "same command again to resume. Answer with a class (a new class with a "
        "leading +), s to skip, u to undo, q to quit.",
    )
    lab.add_argument(
        "--data",
        required=True,
        help="a .csv or .npz file (X, optional y with -1 = unlabeled), or 'digits'",
    )
    lab.add_argument(
        "--target", help="CSV column of labels known already (empty = unlabeled)"
    )
    lab.add_argument(
        "--journal", help="journal file (default: DATA.labels.jsonl beside the data)"
    )
    lab.add_argument("--estimator", default="logreg", help=est_help)
    lab.add_argument(
        "--strategy", default="entropy", help="query strategy (default: %(default)s)"
    )
    lab.add_argument(
        "--batch-size",
        type=_check_positive,
        default=5,
        help="samples per round (default: %(default)s)",
    )
    lab.add_argument(
        "--budget",
        type=_check_positive,
        default=None,
        help="stop after this many labels (default: no limit)",
    )
    lab.add_argument(
        "--initial",
        type=_check_positive,
        default=10,
        help="random samples asked first (default: %(default)s)",
    )
    lab.add_argument(
        "--classes",
        help="comma-separated allowed labels (default: the labels given so far; "
        "a new one is typed with a leading +, e.g. +unsure)",
    )
    lab.add_argument(
        "--image-shape", help="show rows as images of this shape, e.g. 8x8 or 28x28"
    )
    lab.add_argument(
        "--image-mode",
        choices=["terminal", "file"],
        default="terminal",
        help="draw images in the terminal or save PNG files (default: %(default)s)",
    )
    lab.add_argument(
        "--image-dir",
        default="skal-images",
        help="folder of the PNG files (default: %(default)s)",
    )
    lab.add_argument(
        "--export",
        help="when the session ends, write every row with its label (empty = "
        "unlabeled) to this .csv or .npz file; it loads back with --data",
    )
    lab.add_argument(
        "--seed", type=_check_seed, default=0, help="random seed (default: 0)"
    )
    add_serve_parser(sub, est_help, _check_positive)
    return parser


def main(argv=None):
    """Run the ``skal`` command.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    status : int
        0 on success (and for a bare ``skal``, which prints the help), 2 on a
        bad argument.
    """
    parser = _parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # a bare `skal` shows what it can do
        parser.print_help()
        return 0
    try:
        args = parser.parse_args(argv)
        commands = {"compare": run_compare, "label": run_label, "serve": run_serve}
        return commands[args.command](args)
    except SystemExit as exc:
        return exc.code
    except UsageError as exc:
        print(f"skal {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `skal compare | head`
        sys.stdout = open(os.devnull, "w")
        return 141


if __name__ == "__main__":
    sys.exit(main())
