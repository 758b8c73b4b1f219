"""Simulated active learning: learning curves of one learner, or several compared."""

from sklearn.base import is_classifier
from sklearn.utils._param_validation import HasMethods

from ..utils._validation import N_JOBS_CONSTRAINT, POSITIVE_INT, validate_params
from ._comparison import Comparison
from ._repeats import _learner_name, _run, check_learner

_COMMON = {
    "X": ["array-like", "sparse matrix"],
    "y": ["array-like"],
    "X_test": ["array-like", "sparse matrix", None],
    "y_test": ["array-like", None],
    "budget": [POSITIVE_INT],
    "batch_size": [POSITIVE_INT],
    "n_initial": [POSITIVE_INT, None],
    "initial_indices": ["array-like", None],
    "n_repeats": [POSITIVE_INT],
    "scoring": [str, callable, None],
    "stopping": "no_validation",
    "oracle": [HasMethods(["label"]), None],
    "random_state": ["random_state"],
    "n_jobs": N_JOBS_CONSTRAINT,
    "progress": ["boolean"],
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
        Test set. When None, a stratified quarter of ``X`` is held out (the
        classes of a single row are stratified as one class, or with the
        largest class when only one class has a single row; a random quarter
        when the quarter or the rest has fewer rows than there are classes).
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
    {"learners": "no_validation", **_COMMON},  # one TypeError below for all
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
            f"{type(learners).__name__}; for a single learner, use simulate."
        )
    for name, learner in learners.items():
        if not isinstance(name, str):
            raise TypeError(f"compare's learners are named by str, got {name!r}.")
        check_learner(name, learner)
    kinds = {is_classifier(learner) for learner in learners.values()}
    if len(kinds) > 1:
        raise ValueError(
            "compare got classifiers and regressors together; their scores "
            "(accuracy vs R^2) cannot be compared. Compare one kind at a time."
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
