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

from ..datasets import initial_indices
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
    "n_initial": [Interval(Integral, 1, None, closed="left")],
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


def _split(learner, X, y, X_test, y_test, seed):
    """Return train rows, their positions in X, and the test set."""
    y = np.asarray(y)
    n = num_rows(X)
    if y.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {y.shape[0]} labels.")
    if (X_test is None) != (y_test is None):
        raise ValueError("Pass both X_test and y_test, or neither.")
    if X_test is not None:
        return X, y, np.arange(n), X_test, np.asarray(y_test)
    stratify = None
    if is_classifier(learner):
        _, counts = np.unique(y, return_counts=True)
        stratify = y if counts.min() >= 2 else None
    train, test = train_test_split(
        np.arange(n), test_size=0.25, stratify=stratify, random_state=seed
    )
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
):
    if n_initial > budget:
        raise ValueError(f"n_initial={n_initial} is larger than budget={budget}.")
    seeds = check_random_state(random_state).randint(
        np.iinfo(np.int32).max, size=n_repeats + 1
    )
    data = _split(learner, X, y, X_test, y_test, int(seeds[0]))
    n_train = data[1].shape[0]
    if budget > n_train:
        held = "" if X_test is not None else " (a quarter is held out for testing)"
        raise ValueError(
            f"budget={budget} is larger than the {n_train} training rows{held}."
        )
    return data, budget, batch_size, n_initial, [int(s) for s in seeds[1:]]


def _scoring_name(learner, scoring):
    if isinstance(scoring, str):
        return scoring
    if scoring is None:
        return "accuracy" if is_classifier(learner) else "r2"
    return getattr(scoring, "__name__", "score")


def _run_repeat(
    learner,
    data,
    *,
    budget,
    batch_size,
    n_initial,
    seed,
    scoring,
    stopping,
    oracle,
    X_full,
):
    X_train, y_train, positions, X_test, y_test = data
    learner = clone(learner)
    params = learner.get_params(deep=False)
    updates = {"random_state": seed, "budget": None, "batch_size": batch_size}
    learner.set_params(**{k: v for k, v in updates.items() if k in params})
    oracle = copy.deepcopy(oracle)
    scorer = check_scoring(learner, scoring=scoring)
    initial = initial_indices(y_train, n_initial, random_state=seed)
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
):
    first = next(iter(learners.values()))
    data, budget, batch_size, n_initial, seeds = _prepare(
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
    )
    tasks = [(name, seed) for name in learners for seed in seeds]
    jobs = (
        delayed(_run_repeat)(
            learners[name],
            data,
            budget=budget,
            batch_size=batch_size,
            n_initial=n_initial,
            seed=seed,
            scoring=scoring,
            stopping=stopping,
            oracle=oracle,
            X_full=X,
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
    n_initial,
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
    n_initial : int
        Labels drawn at random before the first query.
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
    n_initial,
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
    X, y, X_test, y_test, budget, batch_size, n_initial, \
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
    )
    return Comparison(curves)
