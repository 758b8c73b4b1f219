"""What ``skal compare`` says as it runs: progress, time estimates, the target.

:class:`RoundProgress` shows each round of a run when a slow strategy
makes runs long; :func:`slow_warning` estimates their time up front;
:func:`pick_target` chooses the score of the "labels to" column so that it
separates the strategies; :func:`preflight` runs each learner once first.
"""

import math
import sys
import time
import warnings
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval

from ._cli_inputs import UsageError
from .loop import StoppingCriterion

#: Fractions of the best final score tried, in order, for the "labels to" column.
TARGET_FRACTIONS = (0.95, 0.97, 0.98, 0.99)


class RoundProgress(StoppingCriterion):
    """Never stop; write ``name: n/budget labels`` on stderr after each round.

    Parameters
    ----------
    budget : int, default=None
        Labels per run, shown after the slash.

    Examples
    --------
    >>> from skal._cli_report import RoundProgress
    >>> RoundProgress(budget=20).update(None, {"n_labeled": 10})
    False
    """

    _parameter_constraints = {
        "budget": [Interval(Integral, 1, None, closed="left"), None]
    }

    def __init__(self, budget=None):
        self.budget = budget

    def update(self, learner, info):
        """Show the round; never ask to stop.

        Parameters
        ----------
        learner : object
            The learner fitted on the labels so far.
        info : dict
            ``n_labeled`` and the other round facts.

        Returns
        -------
        stop : bool
            Always False.
        """
        if not hasattr(self, "start_"):
            self.start_ = time.perf_counter()
        name = getattr(learner, "query_strategy", "run")
        elapsed = time.perf_counter() - self.start_
        sys.stderr.write(
            f"\r{name}: {info['n_labeled']}/{self.budget} labels, {elapsed:.0f} s "
        )
        if info["n_labeled"] >= (self.budget or math.inf):
            sys.stderr.write("\n")
        sys.stderr.flush()
        return False


def slow_warning(
    name, query_seconds, *, budget, initial, batch_size, repeats, rows=None
):
    """Return a warning line with the estimated time of a slow strategy.

    Parameters
    ----------
    name : str
        The strategy.
    query_seconds : float
        Seconds one query took in the dry run.
    budget, initial, batch_size, repeats : int
        The simulation's settings.
    rows : tuple of (int, int), default=None
        For a strategy of :data:`~skal._cli_learners.QUADRATIC_STRATEGIES`:
        the rows of the dry run and the training rows, whose ratio squared
        scales ``query_seconds``.

    Returns
    -------
    line : str
        What to print.

    Examples
    --------
    >>> from skal._cli_report import slow_warning
    >>> slow_warning("eer", 2.0, budget=30, initial=10, batch_size=10, repeats=3)[:46]
    'eer is slow: it refits the model for each cand'
    >>> slow_warning("eer", 2.0, budget=20, initial=10, batch_size=10, repeats=1)[-62:]
    '1 query x 1 repeat (lower --budget or --repeats to shorten it)'
    >>> "roughly 0.4 s or more" in slow_warning(
    ...     "eer", 0.4, budget=20, initial=10, batch_size=10, repeats=1)
    True
    >>> slow_warning("probcover", 0.6, budget=30, initial=10, batch_size=10,
    ...              repeats=1, rows=(2000, 45000))[:177]
    'probcover is slow: it compares every pair of pool rows at each query; one query took 0.6 s on 2000 rows, about 5 min on the 45000 training rows, so expect roughly 10 min or more'
    """  # noqa: E501
    from ._cli_learners import QUADRATIC_STRATEGIES, SLOW_STRATEGIES

    rounds = math.ceil((budget - initial) / batch_size)
    measured, sample = query_seconds, "a sample of the data"
    if rows is not None:  # the time grows with the square of the pool
        query_seconds *= (rows[1] / rows[0]) ** 2
        sample = (
            f"{rows[0]} rows, about {_duration(query_seconds)} on the {rows[1]} "
            "training rows"
        )
    total = query_seconds * rounds * repeats
    why = {**SLOW_STRATEGIES, **QUADRATIC_STRATEGIES}[name]
    return (
        f"{name} is slow: it {why}; one query took {measured:.1f} s on {sample}, "
        "so expect roughly "
        f"{_duration(total)} or more for {rounds} "
        f"{'query' if rounds == 1 else 'queries'} x {repeats} "
        f"repeat{'s' if repeats != 1 else ''} ("
        + ("use fewer rows, or " if rows is not None else "")
        + "lower --budget or --repeats to shorten it)"
    )


def _duration(seconds):
    if seconds < 9.5:  # 0.4 s, not '0 s'
        return f"{seconds:.1g} s"
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"


def pick_target(result, target=None):
    """Return the score of the "labels to" column, and a note when it matters.

    Without ``target``, the first of 95 %, 97 %, 98 % and 99 % of the best
    final mean score at which the learners need different numbers of
    labels; on easy data every curve passes 95 % at once, which would say
    nothing.

    Parameters
    ----------
    result : Comparison
        The learning curves.
    target : float, default=None
        The user's ``--target-score``; returned as is.

    Returns
    -------
    target : float
        The score.
    note : str or None
        Why a fraction other than 95 % was taken, or that none separates.

    Examples
    --------
    >>> from skal._cli_report import pick_target
    >>> from skal.loop import Comparison, LearningCurve
    >>> rec = {"query_seconds": [0, 0, 0], "fit_seconds": [0, 0, 0]}
    >>> result = Comparison({
    ...     "a": LearningCurve([{"n_labeled": [10, 20, 30],
    ...                          "score": [0.96, 0.98, 1.0], **rec}]),
    ...     "b": LearningCurve([{"n_labeled": [10, 20, 30],
    ...                          "score": [0.96, 0.97, 0.99], **rec}]),
    ... })
    >>> pick_target(result)
    (0.98, 'labels to 0.980 = 98% of the best final score: at 95% every learner needs 10 labels')
    """  # noqa: E501
    if target is not None:
        return float(target), None
    best = max(curve.final_score() for curve in result.values())
    first = TARGET_FRACTIONS[0] * best
    if len(result) < 2 or not best > 0:
        return first, None
    counts = {curve.labels_to(first) for curve in result.values()}
    if len(counts) > 1:
        return first, None
    for fraction in TARGET_FRACTIONS[1:]:
        score = fraction * best
        if len({curve.labels_to(score) for curve in result.values()}) > 1:
            return score, (
                f"labels to {score:.3f} = {fraction:.0%} of the best final score: "
                f"at {TARGET_FRACTIONS[0]:.0%} every learner needs "
                f"{counts.pop()} labels"
            )
    return first, (
        f"every learner reaches {TARGET_FRACTIONS[0]:.0%} to "
        f"{TARGET_FRACTIONS[-1]:.0%} of the best final score at the same count: "
        "compare them by AULC, or pass --target-score"
    )


def preflight(learners, X, y, n_initial, n_rows=300):
    """Fit and query each learner once on a few rows: a strategy that needs a
    signal the model lacks (e.g. a committee's votes) fails here, in one line.

    Returns the seconds of each learner's query on ``n_rows`` random rows."""
    from sklearn.base import clone

    from ._cli_learners import SAMPLE_STRATEGIES
    from .datasets import initial_indices
    from .learners._acquisition import fit_labeled

    rows = np.random.RandomState(0).permutation(X.shape[0])[:n_rows]
    holes = np.flatnonzero(~np.isfinite(X).all(axis=1))[:20]  # models taking NaN
    rows = np.r_[holes, np.setdiff1d(rows, holes)][:n_rows]
    first = initial_indices(
        y[rows],
        min(n_initial, len(rows) - 1),
        stratify=y.dtype.kind != "f",
        random_state=0,
    )
    labeled = np.zeros(len(rows), dtype=bool)
    labeled[first] = True
    seconds = {}
    for name, learner in learners.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fitted = clone(learner)
                fit_labeled(fitted, X[rows], y[rows], labeled)
                start = time.perf_counter()
                fitted.query(batch_size=1)
                seconds[name] = time.perf_counter() - start
        except (TypeError, ValueError) as exc:
            hint = ""
            if hasattr(learner, "n_members"):  # a committee already
                pass
            elif name in SAMPLE_STRATEGIES:
                hint = " (use --learner committee or --learner bayesian)"
            elif name == "std":
                hint = " (use --learner committee, or --estimator gp)"
            raise UsageError(
                f"strategy {name!r} cannot run here: {exc}{hint}"
            ) from None
    return seconds
