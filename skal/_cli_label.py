"""What ``skal label`` does: label rows at the terminal, journaling every answer.

:func:`run_label` takes the parsed arguments, runs the session and returns
the exit status; :func:`skal.cli.main` parses the command line and calls it.
"""

import sys
import warnings

import numpy as np

from ._cli_commands import _split_names, _warning_lines
from ._cli_data import check_missing_values, load_data
from ._cli_inputs import UsageError, make_estimator
from .utils import accepts_nan


def _image_shape(args, X, image_shape):
    if not args.image_shape:
        return image_shape
    try:
        image_shape = tuple(int(v) for v in args.image_shape.lower().split("x"))
    except ValueError:
        raise UsageError(
            f"--image-shape must look like 28x28, got {args.image_shape!r}"
        ) from None
    if int(np.prod(image_shape)) != X.shape[1]:
        raise UsageError(
            f"--image-shape {args.image_shape} does not match the "
            f"{X.shape[1]} features per row"
        )
    return image_shape


def _label_export(args, data, journal, y0, classes):
    """Write ``--export``: the data with the journal's labels (return a message)."""
    from .loop import export_labels, resume_labels

    n = data.X.shape[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reported when the session started
        y, _, _, _ = resume_labels(
            journal, np.full(n, -1) if y0 is None else y0, classes=classes
        )
    frame, target = None, args.target or "label"
    if args.data.lower().endswith(".csv"):
        from ._cli_csv import read_csv_frame

        frame = read_csv_frame(args.data)
    names = data.feature_names or []
    if target in names or (frame is not None and target in frame and not args.target):
        target = "skal_label"
    n_labeled = export_labels(
        args.export,
        data.X,
        y,
        feature_names=data.feature_names,
        frame=frame,
        target=target,
        image_shape=data.image_shape,
    )
    load = f"--target {target}" if args.export.lower().endswith(".csv") else ""
    return f"exported {n_labeled} labeled rows (of {n}) to {args.export}" + (
        f"; load it with --data {args.export} {load}" if load else ""
    )


def _check_task(args, estimator, y):
    """Refuse a strategy or labels that the one model of the session cannot serve."""
    from ._cli_inputs import REGRESSORS, _estimator_type
    from ._cli_learners import (
        _HISTORY_STRATEGIES,
        _LOSS_STRATEGIES,
        BINARY_STRATEGIES,
        SAMPLE_STRATEGIES,
        TORCH_STRATEGIES,
        strategies_for,
    )

    if args.strategy in SAMPLE_STRATEGIES:
        raise UsageError(
            f"strategy {args.strategy!r} scores the votes of a committee, and skal "
            "label trains one model: pick a strategy of one model, e.g. entropy or "
            "margin"
        )
    if args.strategy in _HISTORY_STRATEGIES or (
        args.strategy in _LOSS_STRATEGIES and not hasattr(estimator, "predict_loss")
    ):
        raise UsageError(
            f"strategy {args.strategy!r} reads what a skal.torch network records "
            f"while it trains, which {args.estimator} does not: pick a strategy of "
            "one model, e.g. entropy or margin, or run it from Python with a "
            "skal.torch net"
        )
    if args.strategy in TORCH_STRATEGIES:
        try:
            import torch  # noqa: F401
        except ImportError:
            raise UsageError(
                f"strategy {args.strategy!r} trains a network with PyTorch, which "
                "is not installed: pip install skal[torch]"
            ) from None
    kind = "regressor" if _estimator_type(estimator) == "regressor" else "classifier"
    task = "regression" if kind == "regressor" else "classification"
    names = [s for s in strategies_for(task) if s not in SAMPLE_STRATEGIES]
    if args.strategy not in names:
        raise UsageError(
            f"strategy {args.strategy!r} cannot run with {args.estimator}, a {kind}; "
            f"strategies for {task}: {', '.join(names)}"
        )
    known = [] if y is None else np.asarray(y, dtype=object).tolist()
    # -1, "" (a text cell), None or NaN (v != v) mark the unlabeled rows
    known = [v for v in known if v == v and v not in (-1, "", None)]
    fraction = next((v for v in known if isinstance(v, float) and v % 1), None)
    if kind == "classifier" and fraction is not None:
        raise UsageError(
            f"the labels given hold numbers with fractions ({fraction!r}, ...), "
            f"which {args.estimator}, a classifier, cannot learn as classes: label "
            f"with a regressor (--estimator {', '.join(REGRESSORS)}) and a "
            "regression strategy (e.g. --strategy gsx)"
        )
    n_given = len(set(known))
    n_given = max(n_given, len(_split_names(args.classes) if args.classes else ()))
    if args.strategy in BINARY_STRATEGIES and n_given > 2:
        raise UsageError(_two_classes(args.strategy, n_given))


def _two_classes(strategy, n_classes):
    return (
        f"strategy {strategy!r} is defined for two classes only, but the labels "
        f"hold {n_classes}: pick a strategy for any number of classes, e.g. "
        "--strategy entropy"
    )


def run_label(args):
    """Run ``skal label``: label rows at the terminal, journaling every answer.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed ``skal label`` arguments.

    Returns
    -------
    status : int
        0 on success, 1 when the journal cannot be written during the
        session or the labels given outgrow a two-class strategy; a bad
        argument raises :class:`UsageError`.
    """

    from .learners import ActiveLearner
    from .learners._checks import TwoClassStrategyError
    from .loop import JournalError, LabelJournal, TerminalOracle, label_loop
    from .strategies import available_strategies
    from .strategies._registry import did_you_mean

    if args.strategy not in available_strategies():
        raise UsageError(
            f"unknown strategy {args.strategy!r}{did_you_mean(args.strategy)}; "
            f"available: {', '.join(available_strategies())}"
        )
    if args.export and not args.export.lower().endswith((".csv", ".npz")):
        raise UsageError(f"--export must name a .csv or .npz file, got {args.export!r}")
    estimator = make_estimator(args.estimator)
    data = load_data(args.data, args.target, need_labels=False)
    check_missing_values(data, [(args.estimator, accepts_nan(estimator))], args.data)
    for note in data.notes:
        print(f"note: {note}")
    X, y, names = data.X, data.y, data.feature_names
    if args.data == "digits":
        y = None  # label them yourself
    _check_task(args, estimator, y)
    if y is not None and y.dtype.kind in "US":  # text labels, "" = unlabeled
        y = np.where(y == "", None, y.astype(object))
    image_shape = _image_shape(args, X, data.image_shape)
    data.image_shape = image_shape
    journal_path = args.journal or f"{args.data}.labels.jsonl"
    journal = LabelJournal(journal_path)
    try:
        journal.check_writable()
    except JournalError as exc:
        raise UsageError(str(exc)) from None
    classes = _split_names(args.classes) if args.classes else None
    if classes:
        classes = [int(c) if c.lstrip("-").isdigit() else c for c in classes]
    oracle = TerminalOracle(
        classes=classes,
        feature_names=names,
        image_shape=image_shape,
        image_mode=args.image_mode,
        image_dir=args.image_dir,
    )
    learner = ActiveLearner(
        estimator,
        query_strategy=args.strategy,
        batch_size=args.batch_size,
        random_state=args.seed,
    )
    show = warnings.showwarning
    warnings.showwarning = _warning_lines()  # each text once, not every round
    status, labels = 0, None
    try:
        resumed = len(journal.labels())
        last = journal.last_round()
        print(
            f"journal: {journal_path}"
            + (f" ({resumed} labels resumed, round {last})" if resumed else "")
        )
        _, labels = label_loop(
            learner,
            X,
            oracle,
            y=y,
            journal=journal,
            budget=args.budget,
            n_initial=args.initial,
            random_state=args.seed,
        )
    except JournalError as exc:
        print(
            f"skal label: error: {exc}; that answer was not recorded, every "
            "earlier one is safe in the journal",
            file=sys.stderr,
        )
        status = 1
    except TwoClassStrategyError as exc:  # a third class was answered
        print(
            f"skal label: error: {_two_classes(args.strategy, exc.n_classes)}; "
            f"every label given is saved in the journal {journal_path}: run "
            "again with another --strategy to go on from them",
            file=sys.stderr,
        )
        status = 1
    finally:
        journal.close()
        warnings.showwarning = show
        if args.export:
            print(_label_export(args, data, journal, y, classes))
    if labels is not None:
        n = int(np.sum([v is not None and v != -1 for v in labels]))
        print(f"{n} of {X.shape[0]} rows labeled; labels saved in {journal_path}")
    return status
