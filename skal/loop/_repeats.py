"""The repeats behind ``simulate`` and ``compare``: splits, initial sets, runs.

Each (learner, seed) repeat is one run of the acquisition engine
(:func:`skal.learners._acquisition.run_acquisition`) on a clone of the
learner, with the same split and initial labels for every learner of the
same seed, so :func:`compare`'s repeats are paired.
"""

import copy
import time

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ..datasets import initial_indices as draw_initial
from ..learners._acquisition import Answers, check_answers, run_acquisition
from ..utils import missing_mask, num_rows, take_rows
from ..utils._labels import (
    as_label_array,
    check_aligned,
    check_label_types,
    model_labels,
)
from ._curve import LearningCurve
from ._progress import progress_bar
from ._stopping import check_stopping


def _learner_name(learner):
    strategy = getattr(learner, "query_strategy", None)
    if isinstance(strategy, str):
        return strategy
    if strategy is not None:
        return repr(strategy)
    return type(learner).__name__


def check_initial_indices(initial, n_rows, n_initial, budget):
    """Return the fixed initial positions as an int array, and their number.

    ``initial`` (positions in ``X``) or ``n_initial`` (a random draw per
    repeat) says how the first labels are chosen; given both, they agree.
    """
    if initial is None:
        if n_initial is None:
            raise ValueError(
                "Pass n_initial (that many random first labels per repeat) or "
                "initial_indices (the same fixed first labels for every repeat)."
            )
        return None, n_initial
    idx = np.asarray(initial)
    if idx.ndim != 1 or idx.shape[0] == 0 or idx.dtype.kind not in "iu":
        raise ValueError(
            "initial_indices must be a non-empty 1-d array of integer positions "
            f"in X, got {idx.dtype} values of shape {idx.shape}."
        )
    if idx.min() < 0 or idx.max() >= n_rows:
        raise ValueError(
            f"initial_indices must be positions in X, between 0 and {n_rows - 1}; "
            f"got values from {idx.min()} to {idx.max()}."
        )
    if np.unique(idx).shape[0] != idx.shape[0]:
        raise ValueError("initial_indices name the same row twice.")
    if n_initial is not None and n_initial != idx.shape[0]:
        raise ValueError(
            f"n_initial={n_initial} disagrees with the {idx.shape[0]} "
            "initial_indices; pass one of them."
        )
    return idx.astype(np.intp), int(idx.shape[0])


def check_learner(name, learner):
    """Raise unless ``learner`` is a skal learner (not a bare or modAL model)."""
    from ..learners import BaseLearner

    if not isinstance(learner, BaseLearner):
        raise TypeError(
            f"{name!r} is a {type(learner).__module__}.{type(learner).__name__}; "
            "simulate and compare run skal learners (skal.ActiveLearner, "
            "skal.Committee, ...): wrap the estimator, e.g. "
            "ActiveLearner(estimator, query_strategy='margin')."
        )


def check_oracle_labels(learner, labels, y):
    """Reject an oracle's answers that are missing or not of the kind of ``y``."""
    labels = np.asarray(labels)
    if labels.ndim == 0:
        return  # check_answers names the shape
    marker = learner.get_params().get("missing_label", -1)
    missing = missing_mask(labels.reshape(labels.shape[0], -1)[:, 0], marker)
    if missing.any():
        raise ValueError(
            f"The oracle answered {int(missing.sum())} of {labels.shape[0]} rows "
            f"with a missing label (NaN, None or missing_label={marker!r}); an "
            "oracle must answer every row it is asked."
        )
    known = y[~missing_mask(y.reshape(y.shape[0], -1)[:, 0], marker)]
    check_label_types(labels, name="The oracle's answers", known=known)


def check_oracle_target(learner, y, name="y"):
    """Reject a ``y`` (the oracle) or ``y_test`` that has unlabeled rows."""
    if y.ndim != 1:
        return
    marker = learner.get_params().get("missing_label", -1)
    if not is_classifier(learner) and marker == -1:
        marker = None  # -1 may be a real target value; NaN never is
    missing = missing_mask(y, marker)
    if not missing.any():
        return
    what = (
        "is the oracle of the simulation, so every row needs its label"
        if name == "y"
        else "scores the learner, and its score skips unlabeled rows"
    )
    fix = "Simulate on the labeled rows only, or pass an oracle."
    if name != "y":
        fix = "Score on the labeled rows only."
    marked = missing & ~missing_mask(y, None)
    if marked.any():  # equal to the marker itself, not NaN/None
        fix += (
            f" If {marker!r} is a class (labels in {{-1, +1}}, say), set the "
            "learner's missing_label=np.nan (None for text labels)."
        )
    raise ValueError(
        f"{name} {what}, but {int(missing.sum())} rows are missing (NaN, None "
        f"or missing_label={marker!r}). {fix}"
    )


def _as_targets(y):
    """``y`` as an array; a column vector (n, 1) is one label per row."""
    y = as_label_array(y)
    if y.ndim == 2 and y.shape[1] == 1:
        return column_or_1d(y, warn=True)
    return y


def _split(learner, X, y, X_test, y_test, seed, keep=None):
    """Train rows, their positions in X and the test set; ``keep`` stays in train."""
    y = np.asarray(y)
    n = num_rows(X)
    if y.ndim == 0 or y.shape[0] != n:
        got = y.shape[0] if y.ndim else "no"
        raise ValueError(f"X has {n} rows but y has {got} labels.")
    if n == 0:
        raise ValueError("X has no rows: simulation needs a pool to label.")
    if (X_test is None) != (y_test is None):
        raise ValueError("Pass both X_test and y_test, or neither.")
    if X_test is not None:
        return X, y, np.arange(n), X_test, np.asarray(y_test)
    rows = np.arange(n) if keep is None else np.setdiff1d(np.arange(n), keep)
    n_test = int(np.ceil(0.25 * (rows.shape[0] if keep is None else n)))
    if n_test >= rows.shape[0]:  # train_test_split's error named test_size
        raise ValueError(
            f"X has {n} rows{'' if keep is None else f', {len(keep)} of them initial'}"
            ": too few to hold out a test quarter. Pass X_test and y_test."
        )
    stratify = None  # not for label sets, nor for a y whose holes an oracle fills
    marker = learner.get_params().get("missing_label", -1)
    if is_classifier(learner) and y.ndim == 1 and not missing_mask(y, marker).any():
        _, groups, counts = np.unique(y[rows], return_inverse=True, return_counts=True)
        single = counts[groups] < 2  # one group, or a lone one joins the largest
        groups[single] = -1 if single.sum() > 1 else np.argmax(counts)
        n_groups = np.unique(groups).shape[0]  # each side needs a row of each
        fits = min(n_test, rows.shape[0] - n_test) >= n_groups
        stratify = groups if fits and n_groups > 1 else None
    train, test = train_test_split(
        rows,
        test_size=n_test,  # a quarter of X, rounded up
        stratify=stratify,
        random_state=seed,
    )
    if keep is not None:
        train = np.sort(np.concatenate([keep, train]))
    return take_rows(X, train), y[train], train, take_rows(X, test), y[test]


def _check_targets(learners, y, y_test, oracle):
    """Check ``y`` and ``y_test`` against each learner's marker and task."""
    for name, learner in learners.items():
        try:
            if oracle is None:
                check_oracle_target(learner, y)
            if y_test is not None:
                check_oracle_target(learner, y_test, "y_test")
            if is_classifier(learner) and y.ndim == 1:
                marker = learner.get_params().get("missing_label", -1)
                check_classification_targets(model_labels(y[~missing_mask(y, marker)]))
        except ValueError as exc:
            if len(learners) == 1:
                raise
            raise ValueError(f"Learner {name!r}: {exc}") from None


def _prepare(
    learners,
    X,
    y,
    X_test,
    y_test,
    budget,
    batch_size,
    n_initial,
    n_repeats,
    random_state,
    initial=None,
    oracle=None,
):
    fixed, n_initial = check_initial_indices(initial, num_rows(X), n_initial, budget)
    check_aligned(X, y)
    y = _as_targets(y)
    labels = y.ravel()[~missing_mask(y.ravel())]
    check_label_types(labels)
    if y_test is not None:
        check_aligned(X_test, y_test, name="y_test")
        y_test = _as_targets(y_test)
        check_label_types(y_test.ravel(), name="y_test", known=labels)
    _check_targets(learners, y, y_test, oracle)
    learner = next(iter(learners.values()))
    if n_initial > budget:
        what = "n_initial" if fixed is None else "len(initial_indices)"
        hint = f"the budget counts the initial labels. Lower {what} or raise budget"
        raise ValueError(f"{what}={n_initial} is larger than budget={budget}: {hint}.")
    seeds = check_random_state(random_state).randint(
        np.iinfo(np.int32).max, size=n_repeats + 1
    )
    data = _split(learner, X, y, X_test, y_test, int(seeds[0]), keep=fixed)
    n_train = data[1].shape[0]
    if budget > n_train:
        held = "" if X_test is not None else " (a quarter is held out for testing)"
        raise ValueError(
            f"budget={budget} is larger than the {n_train} training rows{held}."
        )
    if fixed is not None:  # positions in X -> positions in the train rows
        fixed = np.searchsorted(data[2], fixed)
    return data, budget, batch_size, n_initial, [int(s) for s in seeds[1:]], fixed


def _scoring_name(learner, scoring):
    if isinstance(scoring, str):
        return scoring
    if scoring is None:
        return "accuracy" if is_classifier(learner) else "r2"
    return getattr(scoring, "__name__", "score")


def _run_repeat(
    learner,
    X_train,
    y_train,
    positions,
    X_test,
    y_test,
    *,
    budget,
    batch_size,
    n_initial,
    seed,
    scoring,
    stopping,
    oracle,
    X_full,
    fixed=None,
):
    learner = clone(learner)
    params = learner.get_params(deep=False)
    updates = {"random_state": seed, "budget": None, "batch_size": batch_size}
    learner.set_params(**{k: v for k, v in updates.items() if k in params})
    marker = params.get("missing_label", -1)
    oracle = copy.deepcopy(oracle)
    scorer = check_scoring(learner, scoring=scoring)
    if fixed is not None:
        initial = fixed
    elif missing_mask(y_train.reshape(len(y_train), -1)[:, 0], marker).any():
        # holes the oracle fills: nothing to stratify on, a uniform draw
        initial = np.sort(
            check_random_state(seed).choice(len(y_train), n_initial, replace=False)
        )
    else:
        initial = draw_initial(y_train, n_initial, random_state=seed)
    y_known = np.array(y_train, copy=True)
    if oracle is None:

        def label(rows):
            return Answers(rows, y_train[rows])

    else:
        n_labels = y_train.shape[1] if y_train.ndim == 2 else None  # multi-label
        first = check_answers(
            oracle.label(positions[initial], X_full), len(initial), n_labels
        )
        check_oracle_labels(learner, first, y_train)
        y_known = y_known.astype(np.result_type(y_known.dtype, first.dtype))
        y_known[initial] = first

        def label(rows):
            return Answers(rows, oracle.label(positions[rows], X_full))

    start = time.perf_counter()
    rounds = run_acquisition(
        learner,
        label,
        X=X_train,
        y=y_known,
        initial=initial,
        budget=budget - n_initial,
        batch_size=batch_size,
        criteria=check_stopping(stopping),
        evaluate=lambda fitted, rest: float(scorer(fitted, X_test, y_test)),
    )
    rounds[0]["fit_seconds"] = time.perf_counter() - start
    keys = ("n_labeled", "score", "query_seconds", "fit_seconds")
    record = {key: [entry[key] for entry in rounds] for key in keys}
    record.update(
        seed=seed,
        stopped_by=rounds[-1].get("stopped_by"),
        initial_indices=positions[initial].tolist(),
    )
    return record


def _run(
    learners,
    X,
    y,
    *,
    X_test,
    y_test,
    budget,
    batch_size,
    n_initial,
    n_repeats,
    scoring,
    stopping,
    oracle,
    random_state,
    n_jobs,
    progress,
    initial=None,
):
    for name, learner in learners.items():
        check_learner(name, learner)
    data, budget, batch_size, n_initial, seeds, fixed = _prepare(
        learners,
        X,
        y,
        X_test,
        y_test,
        budget,
        batch_size,
        n_initial,
        n_repeats,
        random_state,
        initial,
        oracle,
    )
    tasks = [(name, seed) for name in learners for seed in seeds]
    jobs = (
        # The arrays go separately, not in a tuple: joblib's dask backend then
        # scatters each once to the cluster instead of pickling it per run.
        delayed(_run_repeat)(
            learners[name],
            *data,
            budget=budget,
            batch_size=batch_size,
            n_initial=n_initial,
            seed=seed,
            scoring=scoring,
            stopping=stopping,
            oracle=oracle,
            X_full=X,
            fixed=fixed,
        )
        for name, seed in tasks
    )
    bar = progress_bar(len(tasks), "simulating", enabled=progress)
    records = {name: [] for name in learners}
    try:
        results = Parallel(n_jobs=n_jobs, return_as="generator")(jobs)
        for (name, _), record in zip(tasks, results, strict=True):
            records[name].append(record)
            bar.update(1)
    finally:
        bar.close()
    return {
        name: LearningCurve(
            records[name], name=name, scoring=_scoring_name(learners[name], scoring)
        )
        for name in learners
    }
