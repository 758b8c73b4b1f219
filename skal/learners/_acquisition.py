"""The one acquisition engine: query, ask the oracle, teach, refit, stop.

``fit(budget=...)``, :func:`skal.loop.simulate` / :func:`skal.loop.compare`
and the labeling session all run their rounds through
:func:`run_acquisition`, so budgets, stopping criteria, timing and the
labeled set behave the same everywhere.
"""

import time
import warnings

import numpy as np

from ..utils import num_rows


def fit_labeled(learner, X, y, labeled):
    """Fit ``learner`` on the rows of ``X`` where ``labeled`` is True.

    The labeled set is the mask: the values of ``y`` are labels where the
    mask is True and are never read as missing-label markers, so a draw of
    labels that happen to be all ``1`` is not mistaken for ``{-1, +1}``
    data. This is how skal's own loops (simulation, the labeling session)
    fit a learner.

    Parameters
    ----------
    learner : BaseLearner
        The learner, fitted in place.
    X : array-like, sparse matrix or DataFrame
        All rows.
    y : array-like of shape (n_rows,)
        Labels; read only where ``labeled`` is True.
    labeled : array-like of bool of shape (n_rows,)
        Which rows are labeled.

    Returns
    -------
    learner : BaseLearner
        The fitted learner.
    """
    X, y = learner._prepare_fit(X, y)
    return learner._fit_labeled(X, y, np.asarray(labeled, dtype=bool).copy())


def run_acquisition(
    learner,
    label,
    *,
    X=None,
    y=None,
    initial=None,
    candidates=None,
    budget,
    batch_size,
    criteria=(),
    evaluate=None,
):
    """Run acquisition rounds on a fitted learner's own rows until a stop.

    Each round queries ``batch_size`` of the ``candidates`` rows of
    ``learner.X_`` (never more than the budget left), asks ``label`` for
    their labels and teaches them by position. Before the first query and
    after every round, ``evaluate`` scores the learner and the stopping
    criteria are asked.

    Parameters
    ----------
    learner : BaseLearner
        A fitted learner (possibly cold: no labeled row yet), or an unfitted
        one when ``X`` is given.
    label : callable
        ``label(positions) -> (labels, answered)``: the oracle's labels of
        those rows of ``X_`` and a boolean mask of the ones it answered
        (``answered=None`` means all). Unanswered rows stay in the pool.
    X : array-like, default=None
        If given, the learner is first fitted on ``X`` with the ``initial``
        rows labeled by ``y`` (the labeled set is a mask: values of ``y``
        are never read as markers).
    y : array-like, default=None
        Labels of ``X``; only the ``initial`` rows are read before they are
        queried.
    initial : array-like of int, default=None
        Rows of ``X`` labeled at the start (``None``: none, a cold start).
    candidates : ndarray of int, default=None
        Rows of ``X_`` that may be queried (``None``: every unlabeled row).
    budget : int
        Labels the oracle may give in this run.
    batch_size : int
        Rows queried per round.
    criteria : sequence of StoppingCriterion, default=()
        Fresh criteria; the run ends when any fires.
    evaluate : callable, default=None
        ``evaluate(learner, remaining)`` returns the score of a round (or
        ``None``); ``remaining`` are the candidates not yet labeled.

    Returns
    -------
    rounds : list of dict
        One entry per fitted state: ``round``, ``n_labeled``, ``indices``
        (rows labeled that round), ``query_seconds``, ``fit_seconds``,
        ``score`` and, when a criterion fired, ``stopped_by``.
    """
    if X is not None:
        labeled = np.zeros(num_rows(X), dtype=bool)
        if initial is not None:
            labeled[np.asarray(initial, dtype=np.intp)] = True
        fit_labeled(learner, X, y, labeled)
    if candidates is None:
        candidates = np.flatnonzero(~learner.labeled_mask_)
    candidates = np.asarray(candidates, dtype=np.intp)
    open_ = np.zeros(learner.labeled_mask_.shape[0], dtype=bool)
    open_[candidates] = True
    open_ &= ~learner.labeled_mask_
    rounds, used, changed = [], 0, True
    new, query_seconds = np.empty(0, dtype=np.intp), 0.0
    fit_seconds = learner.history_[-1].get("fit_seconds", 0.0)
    while True:
        rest = np.flatnonzero(open_)
        if changed:
            score = None if evaluate is None else evaluate(learner, rest)
            entry = {
                "round": len(rounds),
                "n_labeled": int(learner.labeled_mask_.sum()),
                "indices": new.tolist(),
                "query_seconds": query_seconds,
                "fit_seconds": fit_seconds,
                "score": score,
            }
            rounds.append(entry)
            stops = [type(c).__name__ for c in criteria if c.update(learner, entry)]
            if stops:
                entry["stopped_by"] = stops[0]
                break
        remaining = budget - used
        if remaining <= 0 or rest.shape[0] == 0:
            break
        start = time.perf_counter()
        picked, _ = learner._query_rows(
            learner.X_,
            min(batch_size, remaining, rest.shape[0]),
            candidates=rest,
            own_pool=True,
        )
        query_seconds = time.perf_counter() - start
        labels, answered = label(picked)
        labels = np.asarray(labels)
        answered = (
            np.ones(picked.shape[0], dtype=bool)
            if answered is None
            else np.asarray(answered, dtype=bool)
        )
        open_[picked] = False  # asked once: skipped rows are not asked again
        new = picked[answered]
        changed = new.shape[0] > 0
        if not changed:
            continue
        start = time.perf_counter()
        with warnings.catch_warnings():
            # the oracle brings new classes as a matter of course
            warnings.filterwarnings("ignore", message="teach added new classes")
            learner.teach(learner._rows_of(new), labels[answered], pool_indices=new)
        fit_seconds = time.perf_counter() - start
        used += new.shape[0]
    return rounds
