"""Simulated active learning: learning curves of one learner, or several compared."""

import copy
import time
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, validate_params

from ..datasets import initial_indices as draw_initial
from ..learners._acquisition import run_acquisition
from ..utils import num_rows, take_rows
from ._comparison import Comparison
from ._curve import LearningCurve
from ._progress import progress_bar
from ._stopping import check_stopping

_COMMON = {
    "X": ["array-like", "sparse matrix"],
    "y": ["array-like"],
    "X_test": ["array-like", "sparse matrix", None],
    "y_test": ["array-like", None],
    "budget": [Interval(Integral, 1, None, closed="left")],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "n_initial": [Interval(Integral, 1, None, closed="left"), None],
    "initial_indices": ["array-like", None],
    "n_repeats": [Interval(Integral, 1, None, closed="left")],
    "scoring": [str, callable, None],
    "stopping": "no_validation",
    "oracle": [HasMethods(["label"]), None],
    "random_state": ["random_state"],
    "n_jobs": [Integral, None],
    "progress": ["boolean"],
}


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


def _split(learner, X, y, X_test, y_test, seed, keep=None):
    """Return train rows, their positions in X, and the test set.

    Rows in ``keep`` (the fixed initial set) always stay in the train rows.
    """
    y = np.asarray(y)
    n = num_rows(X)
    if y.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {y.shape[0]} labels.")
    if (X_test is None) != (y_test is None):
        raise ValueError("Pass both X_test and y_test, or neither.")
    if X_test is not None:
        return X, y, np.arange(n), X_test, np.asarray(y_test)
    rows = np.arange(n) if keep is None else np.setdiff1d(np.arange(n), keep)
    stratify = None
    if is_classifier(learner):
        _, counts = np.unique(y[rows], return_counts=True)
        stratify = y[rows] if counts.min() >= 2 else None
    train, test = train_test_split(
        rows,
        test_size=0.25 if keep is None else int(np.ceil(0.25 * n)),
        stratify=stratify,
        random_state=seed,
    )
    if keep is not None:
        train = np.sort(np.concatenate([keep, train]))
    return take_rows(X, train), y[train], train, take_rows(X, test), y[test]


def _prepare(
    learner,
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
):
    fixed, n_initial = check_initial_indices(initial, num_rows(X), n_initial, budget)
    if n_initial > budget:
        what = "n_initial" if fixed is None else "len(initial_indices)"
        raise ValueError(f"{what}={n_initial} is larger than budget={budget}.")
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
    oracle = copy.deepcopy(oracle)
    scorer = check_scoring(learner, scoring=scoring)
    if fixed is None:
        initial = draw_initial(y_train, n_initial, random_state=seed)
    else:
        initial = fixed
    y_known = np.array(y_train, copy=True)
    if oracle is None:

        def label(rows):
            return y_train[rows], None

    else:
        first = np.asarray(oracle.label(positions[initial], X_full))
        y_known = y_known.astype(np.result_type(y_known.dtype, first.dtype))
        y_known[initial] = first

        def label(rows):
            return oracle.label(positions[rows], X_full), None

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
    record = {
        key: [entry[src] for entry in rounds]
        for key, src in (
            ("n_labeled", "n_labeled"),
            ("score", "score"),
            ("query_seconds", "query_seconds"),
            ("fit_seconds", "fit_seconds"),
        )
    }
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
    first = next(iter(learners.values()))
    data, budget, batch_size, n_initial, seeds, fixed = _prepare(
        first,
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


@validate_params(
    {"learner": [HasMethods(["fit", "query", "teach"])], **_COMMON},
    prefer_skip_nested_validation=True,
)
def simulate(
    learner,
    X,
    y,
    *,
    X_test=None,
    y_test=None,
    budget,
    batch_size,
    n_initial=None,
    initial_indices=None,
    n_repeats=1,
    scoring=None,
    stopping=None,
    oracle=None,
    random_state=None,
    n_jobs=None,
    progress=True,
):
    """Run active learning with ``y`` as the oracle and record the learning curve.

    Each repeat clones the learner (with its own ``random_state``), labels
    ``n_initial`` rows (stratified, at random), then queries ``batch_size``
    rows a round and teaches their labels until ``budget`` labels are used or
    a stopping criterion fires. After every round the model is scored on the
    test set.

    Parameters
    ----------
    learner : skal learner
        E.g. an :class:`~skal.ActiveLearner`; its ``budget`` is ignored.
    X : array-like, sparse matrix or DataFrame
        The pool (and, without ``X_test``, the source of the test set).
    y : array-like of shape (n_samples,)
        The true labels, revealed as they are queried.
    X_test, y_test : array-like, default=None
        Test set. When None, a stratified quarter of ``X`` is held out.
    budget : int
        Labels per repeat, the initial ones included.
    batch_size : int
        Labels queried per round.
    n_initial : int, default=None
        Labels drawn at random (stratified) before the first query, a new
        draw per repeat. Required unless ``initial_indices`` is given.
    initial_indices : array-like of int, default=None
        A fixed initial labeled set instead: positions in ``X``, the same
        for every repeat (and, in :func:`compare`, every learner), as
        modAL's ``X_training``. Without ``X_test`` these rows are kept out
        of the held-out quarter. Counts towards ``budget``.
    n_repeats : int, default=1
        Independent runs (different initial sets and seeds).
    scoring : str or callable, default=None
        A scikit-learn scorer; None uses the learner's ``score`` (accuracy
        or R^2).
    stopping : StoppingCriterion or list, default=None
        End a repeat early when any criterion fires; it sees the test score.
    oracle : Oracle, default=None
        Who answers (e.g. :class:`NoisyOracle`); it is asked with positions
        in ``X``. None answers with ``y``.
    random_state : int, RandomState instance or None, default=None
        Seeds the split, the initial sets and the learners.
    n_jobs : int, default=None
        Repeats run in parallel with joblib.
    progress : bool, default=True
        Show a progress bar (tqdm when installed).

    Returns
    -------
    curve : LearningCurve
        Labels used, test score, query and fit seconds per repeat and round.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal import ActiveLearner, simulate
    >>> X, y = load_iris(return_X_y=True)
    >>> learner = ActiveLearner(GaussianNB(), query_strategy="margin")
    >>> curve = simulate(learner, X, y, budget=30, batch_size=5, n_initial=10,
    ...                  random_state=0, progress=False)
    >>> curve.repeats[0]["n_labeled"]
    [10, 15, 20, 25, 30]
    >>> curve.final_score() > 0.85
    True

    A fixed initial set, the same in every repeat (modAL's ``X_training``):

    >>> curve = simulate(learner, X, y, budget=20, batch_size=5,
    ...                  initial_indices=[0, 50, 100], n_repeats=2,
    ...                  random_state=0, progress=False)
    >>> [r["initial_indices"] for r in curve.repeats]
    [[0, 50, 100], [0, 50, 100]]
    >>> curve.repeats[0]["n_labeled"]
    [3, 8, 13, 18, 20]
    """
    curves = _run(
        {_learner_name(learner): learner},
        X,
        y,
        X_test=X_test,
        y_test=y_test,
        budget=budget,
        batch_size=batch_size,
        n_initial=n_initial,
        n_repeats=n_repeats,
        scoring=scoring,
        stopping=stopping,
        oracle=oracle,
        random_state=random_state,
        n_jobs=n_jobs,
        progress=progress,
        initial=initial_indices,
    )
    return next(iter(curves.values()))


@validate_params(
    {"learners": [dict, list], **_COMMON},
    prefer_skip_nested_validation=True,
)
def compare(
    learners,
    X,
    y,
    *,
    X_test=None,
    y_test=None,
    budget,
    batch_size,
    n_initial=None,
    initial_indices=None,
    n_repeats=3,
    scoring=None,
    stopping=None,
    oracle=None,
    random_state=None,
    n_jobs=None,
    progress=True,
):
    """Simulate several learners on the same seeds, initial sets and test set.

    The repeats are paired: in repeat ``r`` every learner has the same
    train/test split, the same initial labels (recorded in
    ``curve.repeats[r]["initial_indices"]``) and the same seed, so their
    differences come from the strategies alone, and the result tests them
    repeat by repeat against random sampling (a paired t-test and a
    Wilcoxon signed-rank test on the areas under the curves, 95 %
    t-intervals; see :class:`Comparison`). A held-out test quarter is drawn
    once and shared by all repeats. The (learner, repeat) runs are spread
    over ``n_jobs`` workers.

    Parameters
    ----------
    learners : dict of str to learner
        The contestants, by display name. Include random sampling (e.g. a
        learner named ``"random"``) to test the others against it; without
        it they are tested against the first.
    n_repeats : int, default=3
        Paired repeats. Three give a (wide) confidence interval and a
        t-test; the Wilcoxon test cannot reach p < 0.05 with fewer than 6,
        and a difference of 0.01 in the area under the curve, with paired
        differences spread as on digits (standard deviation 0.013), needs
        about 17 repeats to be found four times in five.
    X, y, X_test, y_test, budget, batch_size, n_initial, initial_indices, \
scoring, stopping, oracle, random_state, n_jobs, progress
        As in :func:`simulate`.

    Returns
    -------
    result : Comparison
        A dict of name to :class:`LearningCurve` with ``summary()``,
        ``table()``, ``conclusion()``, ``to_frame()``, ``plot()`` and
        ``save()``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal import ActiveLearner, compare
    >>> X, y = load_iris(return_X_y=True)
    >>> learners = {s: ActiveLearner(GaussianNB(), query_strategy=s)
    ...             for s in ["random", "margin"]}
    >>> result = compare(learners, X, y, budget=30, batch_size=5, n_initial=10,
    ...                  n_repeats=2, random_state=0, progress=False)
    >>> sorted(result)
    ['margin', 'random']
    >>> [r["seed"] for r in result["margin"].repeats] == [
    ...     r["seed"] for r in result["random"].repeats]
    True
    >>> result["margin"].repeats[0]["initial_indices"] == (
    ...     result["random"].repeats[0]["initial_indices"])
    True
    >>> print(result.conclusion())
    Paired over 2 repeats vs 'random' (AULC difference, paired t-test, p<0.05).
    No learner differs from random at p<0.05 with n=2 repeats; use more repeats.
    With fewer than 6 repeats the Wilcoxon test cannot reach p<0.05.
    """
    if not isinstance(learners, dict) or not learners:
        raise TypeError(
            "compare expects a non-empty dict of {name: learner}, got "
            f"{type(learners).__name__}."
        )
    curves = _run(
        learners,
        X,
        y,
        X_test=X_test,
        y_test=y_test,
        budget=budget,
        batch_size=batch_size,
        n_initial=n_initial,
        n_repeats=n_repeats,
        scoring=scoring,
        stopping=stopping,
        oracle=oracle,
        random_state=random_state,
        n_jobs=n_jobs,
        progress=progress,
        initial=initial_indices,
    )
    return Comparison(curves)
