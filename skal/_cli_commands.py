"""What ``skal compare`` does (``skal label`` is in :mod:`skal._cli_label`).

:func:`run_compare` takes the parsed arguments, prints its report and
returns the exit status; :func:`skal.cli.main` parses the command line and
calls it.
"""

import math
import os
import sys
import warnings

import numpy as np

from ._cli_data import check_missing_values, detect_task, free_marker, load_data
from ._cli_inputs import UsageError, make_estimator
from .utils import accepts_nan

# --scoring: the test scores by task (the first is the default)
_TASK_SCORINGS = {
    "classification": ("accuracy", "balanced_accuracy", "f1_macro", "f1_weighted"),
    "regression": ("r2",),
}
SCORINGS = sum(_TASK_SCORINGS.values(), ())
# a rarest class under a tenth of the largest one gets a note on accuracy
_IMBALANCE = 0.1
# QUADRATIC_STRATEGIES on more training rows than this are timed on a sample
_QUADRATIC_ROWS, _QUADRATIC_SAMPLE = 4000, 2000


def _split_names(text):
    return [s.strip() for s in text.split(",") if s.strip()]


def _warning_lines():
    """A ``warnings.showwarning`` that prints each text once, as a ``warning:`` line."""
    seen = set()

    def show(message, *args, **kwargs):
        if str(message) not in seen:
            seen.add(str(message))
            print(f"warning: {message}", file=sys.stderr)

    return show


def _compare_data(args):
    """Load the data and decide the task: ``(data, task, notes)``."""

    from ._cli_learners import _members

    data = load_data(args.data, args.target)
    target = f"column {args.target!r}" if args.target else "y"
    if len(data.y) == 0:
        raise UsageError(
            f"{target} has no label in its {data.n_unlabeled} rows: a comparison "
            "needs labeled rows (skal label labels them)"
            if data.n_unlabeled
            else f"{args.data} has no rows of data"
        )
    first = args.estimator.split(",")[0].strip()
    estimator = None if first in ("auto", "") else make_estimator(first)
    task, note = detect_task(
        data.y, estimator, args.task, target_name=target, name=first
    )
    if args.learner == "bayesian":
        models = [("--learner bayesian's MLP", False)]
    else:
        default = "ridge" if task == "regression" else "logreg"
        spec = default if first in ("auto", "") else args.estimator
        models = [(name, accepts_nan(model)) for name, model in zip(*_members(spec))]
    check_missing_values(data, models, args.data)
    notes = data.notes + ([note] if note else [])
    if data.n_unlabeled:
        notes.append(
            f"{data.n_unlabeled} rows without a label in {target} (empty or NaN) "
            "are left out (a simulation needs every row's label)"
        )
    if task == "classification" and np.unique(data.y).shape[0] < 2:
        raise UsageError(
            f"{target} holds a single class ({data.y[:1].tolist()[0]!r}): there is "
            "nothing to tell apart; a comparison needs at least two classes"
        )
    scoring = getattr(args, "scoring", None)
    if scoring is not None and scoring not in _TASK_SCORINGS[task]:
        raise UsageError(
            f"--scoring {scoring} does not score {task}; use "
            f"{', '.join(_TASK_SCORINGS[task])}"
        )
    if task == "classification" and scoring is None:
        classes, counts = np.unique(data.y, return_counts=True)
        if counts.min() < _IMBALANCE * counts.max():
            rare = classes.tolist()[np.argmin(counts)]
            notes.append(
                f"the rarest class ({rare!r}) holds {counts.min()} of "
                f"{counts.sum()} rows and the largest {counts.max()}: accuracy "
                "barely sees it; pass --scoring balanced_accuracy (or f1_macro) "
                "to weigh every class alike"
            )
    if task == "classification" and data.y.dtype.kind == "f":
        both = data.y if data.y_test is None else np.r_[data.y, data.y_test]
        if np.any(np.mod(both, 1)):  # scikit-learn refuses fractions as classes
            data.y = data.y.astype(str)
            data.y_test = None if data.y_test is None else data.y_test.astype(str)
    if task == "regression":
        data.y = np.asarray(data.y, dtype=float)
        if data.y_test is not None:
            data.y_test = np.asarray(data.y_test, dtype=float)
    elif args.learner == "bayesian":
        # a skorch net learns the classes 0 .. K-1 from standardized float32 X
        from sklearn.preprocessing import LabelEncoder, StandardScaler

        both = data.y if data.y_test is None else np.r_[data.y, data.y_test]
        encoder = LabelEncoder().fit(both)
        scaler = StandardScaler().fit(data.X)
        data.y = encoder.transform(data.y)
        data.X = scaler.transform(data.X).astype(np.float32)
        if data.y_test is not None:
            data.y_test = encoder.transform(data.y_test)
            data.X_test = scaler.transform(data.X_test).astype(np.float32)
        data.n_classes = len(encoder.classes_)
    return data, task, notes


def run_compare(args):
    """Run ``skal compare``: simulate each strategy, print a table, save curves.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed ``skal compare`` arguments.

    Returns
    -------
    status : int
        0 on success; a bad argument raises :class:`UsageError`.
    """
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    from ._cli_learners import (
        DEFAULT_STRATEGIES,
        QUADRATIC_STRATEGIES,
        SLOW_STRATEGIES,
        build_learners,
    )
    from ._cli_report import RoundProgress, pick_target, preflight, slow_warning
    from .loop import compare
    from .strategies import available_strategies
    from .strategies._registry import did_you_mean

    known = available_strategies()
    if args.strategies is not None:
        strategies = _split_names(args.strategies)
        unknown = [s for s in strategies if s not in known]
        if unknown or not strategies:
            name = unknown[0] if unknown else args.strategies
            raise UsageError(
                f"unknown strategy {name!r}{did_you_mean(name, known)}; "
                f"available: {', '.join(known)}"
            )
    data, task, notes = _compare_data(args)
    try:
        os.makedirs(args.out, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write to --out {args.out}: {exc}") from None
    if args.strategies is None:
        strategies = _split_names(DEFAULT_STRATEGIES[task])
    X, y = data.X, data.y
    if data.X_test is not None:
        n_train, held = X.shape[0], f"{data.X_test.shape[0]} test rows apart"
    else:
        n_train = X.shape[0] - math.ceil(0.25 * X.shape[0])
        held = f"{X.shape[0]} rows, a quarter held out for testing"
    if args.budget > n_train:
        raise UsageError(
            f"--budget {args.budget} is larger than the {n_train} training rows "
            f"({held})"
        )
    if args.initial > args.budget:
        raise UsageError(f"--initial {args.initial} is larger than --budget")
    for note in notes:  # before a strategy that does not fit the task is refused
        print(f"note: {note}")
    learners, model_name, more_notes = build_learners(
        strategies,
        task=task,
        estimator=args.estimator,
        learner=args.learner,
        n_members=args.n_members,
        batch_size=args.batch_size,
        n_features=X.shape[1],
        n_classes=getattr(data, "n_classes", None)
        or (np.unique(y).shape[0] if task == "classification" else None),
    )
    for learner in learners.values():  # every label of the file is known
        free_marker(learner, y, data.y_test)
    for note in more_notes:
        print(f"note: {note}")
    slow = [s for s in strategies if s in SLOW_STRATEGIES]
    # pairwise strategies, timed on more rows: 300 say little of a quadratic cost
    big = _QUADRATIC_ROWS < n_train
    big = [s for s in strategies if s in QUADRATIC_STRATEGIES and big]
    if args.budget == args.initial:  # no query: nothing slow to warn of
        slow, big = [], []
    if slow or big:
        print(f"timing one query of {', '.join(slow + big)}...", flush=True)
    query_seconds = preflight(learners, X, y, args.initial)
    sample = min(_QUADRATIC_SAMPLE, X.shape[0])
    big_learners = {name: learners[name] for name in big}
    query_seconds.update(preflight(big_learners, X, y, args.initial, sample))
    for name in slow + big:
        print(
            "warning: "
            + slow_warning(
                name,
                query_seconds[name],
                budget=args.budget,
                initial=args.initial,
                batch_size=args.batch_size,
                repeats=args.repeats,
                rows=(sample, n_train) if name in big else None,
            ),
            flush=True,
        )
    slow += big
    # with a slow strategy, show every round, not only finished runs
    rounds = RoundProgress(budget=args.budget) if slow and not args.quiet else None
    with threadpool_limits(limits=1, user_api="blas"), warnings.catch_warnings():
        # tiny labeled sets: models such as the MLP often stop before converging,
        # and many classes in few labels are no hint of regression here
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", "The number of unique classes is greater")
        warnings.showwarning = _warning_lines()
        result = compare(
            learners,
            X,
            y,
            X_test=data.X_test,
            y_test=data.y_test,
            budget=args.budget,
            batch_size=args.batch_size,
            n_initial=args.initial,
            n_repeats=args.repeats,
            stopping=rounds,
            random_state=args.seed,
            scoring=getattr(args, "scoring", None),
            n_jobs=args.n_jobs,
            progress=not args.quiet and rounds is None,
        )
    data_name = os.path.basename(args.data) if args.data else "digits"
    rows = f"{X.shape[0]} rows"
    if data.X_test is not None:
        rows += f" + {data.X_test.shape[0]} test rows"
    repeats = f"{args.repeats} repeat{'s' if args.repeats != 1 else ''}"
    scoring = next(iter(result.values())).scoring
    print(
        f"{data_name}: {rows}, {model_name}, budget {args.budget}, "
        f"batch {args.batch_size}, {repeats} (test {scoring})"
    )
    target, target_note = pick_target(result, args.target_score)
    print(result.table(target))
    if target_note:
        print(f"note: {target_note}")
    os.makedirs(args.out, exist_ok=True)
    json_path = os.path.join(args.out, "curves.json")
    result.save(json_path)
    print(f"curves: {json_path}")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot skipped: install matplotlib (pip install skal[plot])")
        return 0
    ax = result.plot(title=f"{data_name}, {model_name}: {repeats}")
    png_path = os.path.join(args.out, "compare.png")
    ax.figure.tight_layout()
    ax.figure.savefig(png_path, dpi=110, bbox_inches="tight")  # a legend beside
    plt.close(ax.figure)
    print(f"plot:   {png_path}")
    return 0
