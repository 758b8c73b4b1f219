"""The one acquisition engine: query, ask the oracle, teach, refit, stop.

``fit(budget=...)``, :func:`skal.loop.simulate` / :func:`skal.loop.compare`,
the labeling session (:func:`skal.loop.label_loop`) and the CLI run their
rounds through :func:`run_acquisition`, so budgets, stopping criteria,
timing and the labeled set behave the same everywhere. An oracle answers a
round with :class:`Answers`: labels, and for a person also skipped rows,
labels taken back (undo) and a request to stop. :class:`SimulationMixin` is
``fit`` with a ``budget``: the engine with ``y`` as the oracle.
"""

import time
import warnings
from typing import NamedTuple

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

from ..utils import num_rows

_EMPTY = np.empty(0, dtype=np.intp)


class Answers(NamedTuple):
    """An oracle's answers to one round of :func:`run_acquisition`.

    Attributes
    ----------
    positions : array-like of int
        Rows of the learner's ``X_`` labeled this round: asked rows, or rows
        whose label was taken back this round and given again.
    labels : array-like
        Their labels.
    retracted : array-like of int, default=()
        Labeled rows whose labels the oracle took back (undo); they return
        to the pool unless labeled again in ``positions``.
    skipped : array-like of int, default=()
        Rows the oracle declined; they are not asked again in this run.
    stop : bool, default=False
        End the run after this round.
    """

    positions: object
    labels: object
    retracted: object = ()
    skipped: object = ()
    stop: bool = False


def check_answers(labels, n_rows, n_labels=None):
    """Return an oracle's labels as an array of ``n_rows``, or raise clearly.

    With ``n_labels`` (a multi-label learner) each row's answer is its
    ``(n_labels,)`` label vector.
    """
    labels = np.asarray(labels)
    if labels.shape != ((n_rows,) if n_labels is None else (n_rows, n_labels)):
        need = "one label" if n_labels is None else f"one vector of {n_labels} labels"
        raise ValueError(
            f"The oracle answered {n_rows} rows with labels of shape "
            f"{labels.shape}; {need} per row is needed. An oracle of several "
            "annotators answers a matrix: label with "
            "skal.annotators.MultiAnnotatorLearner, or ask one annotator."
        )
    return labels


def _positions(values):
    return np.asarray(values, dtype=np.intp).reshape(-1)


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
    warmup=0,
    random_state=None,
):
    """Run acquisition rounds on a learner's own rows until a stop.

    Each round queries ``batch_size`` of the open ``candidates`` rows of
    ``learner.X_`` (never more than the budget left), asks ``label`` for
    them and teaches the answers by position. Before the first query and
    after every round that changed the labeled set, ``evaluate`` scores the
    learner and the stopping criteria are asked.

    Parameters
    ----------
    learner : BaseLearner
        A fitted learner (possibly cold: no labeled row yet), or an unfitted
        one when ``X`` is given.
    label : callable
        ``label(positions) -> Answers`` for those rows of ``X_``. A row asked
        once is not asked again in this run, answered or skipped; a
        retracted row returns to the pool.
    X : array-like, default=None
        If given, the learner is first fitted on ``X`` with the ``initial``
        rows labeled by ``y`` (the labeled set is a mask: values of ``y``
        are never read as markers).
    y : array-like, default=None
        Labels of ``X``; only the ``initial`` rows are read.
    initial : array-like of int, default=None
        Rows of ``X`` labeled at the start (``None``: none, a cold start).
    candidates : ndarray of int, default=None
        Rows of ``X_`` that may be queried (``None``: every unlabeled row).
    budget : int or None
        Labels the oracle may give in this run (net of retracted ones);
        ``None``: until the candidates run out or a criterion fires.
    batch_size : int
        Rows queried per round.
    criteria : sequence of StoppingCriterion, default=()
        Fresh criteria; the run ends when any fires.
    evaluate : callable, default=None
        ``evaluate(learner, remaining)`` returns the score of a round (or
        ``None``); ``remaining`` are the open candidates.
    warmup : int, default=0
        Until this many rows are labeled, rounds ask for the missing ones,
        drawn uniformly at random, instead of querying the model; the learner is neither
        evaluated nor asked to stop (a model on a few labels is not yet
        worth asking).
    random_state : int, RandomState instance or None, default=None
        Seeds the warm-up draws.

    Returns
    -------
    rounds : list of dict
        One entry per evaluated state: ``round``, ``n_labeled``, ``indices``
        (rows labeled since the previous entry), ``query_seconds``,
        ``fit_seconds``, ``score`` and, when the run was stopped by a
        criterion or the oracle, ``stopped_by``.
    """
    if X is not None:
        labeled = np.zeros(num_rows(X), dtype=bool)
        if initial is not None:
            labeled[_positions(initial)] = True
        fit_labeled(learner, X, y, labeled)
    if candidates is None:
        candidates = np.flatnonzero(~learner.labeled_mask_)
    open_ = np.zeros(learner.labeled_mask_.shape[0], dtype=bool)
    open_[_positions(candidates)] = True
    open_ &= ~learner.labeled_mask_
    rng = check_random_state(random_state)
    budget = np.inf if budget is None else budget
    rounds, used, changed, new = [], 0, True, []
    query_seconds = 0.0
    fit_seconds = learner.history_[-1].get("fit_seconds", 0.0)
    while True:
        rest = np.flatnonzero(open_)
        n_labeled = int(learner.labeled_mask_.sum())
        warming = n_labeled < warmup
        if changed and not warming:
            entry = {
                "round": len(rounds),
                "n_labeled": n_labeled,
                "indices": new,
                "query_seconds": query_seconds,
                "fit_seconds": fit_seconds,
                "score": None if evaluate is None else evaluate(learner, rest),
            }
            rounds.append(entry)
            new, query_seconds, fit_seconds = [], 0.0, 0.0
            stops = [type(c).__name__ for c in criteria if c.update(learner, entry)]
            if stops:
                entry["stopped_by"] = stops[0]
                break
        n_ask = min(warmup - n_labeled if warming else batch_size, budget - used)
        n_ask = min(n_ask, rest.shape[0])
        if n_ask <= 0:
            break
        start = time.perf_counter()
        if warming:
            picked = rng.choice(rest, int(n_ask), replace=False)
        else:
            picked, _ = learner._query_rows(
                learner.X_, int(n_ask), candidates=rest, own_pool=True
            )
        query_seconds += time.perf_counter() - start
        answers = label(picked)
        open_[picked] = False  # asked once: not asked again
        start = time.perf_counter()
        changed, n_net = _apply(learner, answers, open_)
        fit_seconds += time.perf_counter() - start
        used += n_net
        if changed:
            new = new + _positions(answers.positions).tolist()
        if answers.stop:
            if changed or not rounds:
                rounds.append(
                    {
                        "round": len(rounds),
                        "n_labeled": int(learner.labeled_mask_.sum()),
                        "indices": new,
                        "query_seconds": query_seconds,
                        "fit_seconds": fit_seconds,
                        "score": None
                        if evaluate is None or not changed
                        else evaluate(learner, np.flatnonzero(open_)),
                    }
                )
            rounds[-1]["stopped_by"] = "oracle"
            break
    return rounds


def _apply(learner, answers, open_):
    """Teach a round's answers; return (labeled set changed, net labels)."""
    retracted = _positions(answers.retracted)
    retracted = retracted[learner.labeled_mask_[retracted]]
    positions = _positions(answers.positions)
    n_back = retracted.shape[0]
    if n_back:
        learner._forget(retracted)
        open_[retracted] = True  # back in the pool ...
    open_[_positions(answers.skipped)] = False  # ... unless skipped after the undo
    if positions.shape[0]:
        labels = check_answers(
            answers.labels, positions.shape[0], getattr(learner, "_n_labels", None)
        )
        with warnings.catch_warnings():
            # the oracle brings new classes as a matter of course
            warnings.filterwarnings("ignore", message="teach added new classes")
            learner.teach(
                learner._rows_of(positions),
                labels,
                pool_indices=positions,
            )
        open_[positions] = False
    return bool(n_back or positions.shape[0]), positions.shape[0] - n_back


class SimulationMixin:
    """``_simulate``: the whole acquisition run that ``fit`` does with a budget.

    It starts from ``n_initial`` rows chosen by ``initial_strategy``, then
    queries ``batch_size`` rows a round from the labeled rows of ``y`` (the
    oracle) until ``budget`` labels are used or a stopping criterion fires,
    recording each round's score on the rows not yet queried. The labeled
    set is a mask over ``X``: the oracle's labels are never re-read through
    ``missing_label``.
    """

    def _simulate(self, X, y, oracle_mask):
        budget = self.budget
        oracle = np.flatnonzero(oracle_mask)
        if budget > oracle.shape[0]:
            raise ValueError(
                f"budget={budget} is larger than the {oracle.shape[0]} labeled rows "
                "of y that can act as the oracle."
            )
        n_initial = self.n_initial
        if n_initial > budget:  # as skal.loop.simulate: budget counts them
            raise ValueError(
                f"n_initial={n_initial} is larger than budget={budget}: the budget "
                "counts the initial labels. Lower n_initial or raise budget."
            )
        stopping = getattr(self, "stopping", None)  # duck-typed: skal.loop criteria
        stopping = [] if stopping is None else stopping
        criteria = [
            clone(c) for c in (stopping if isinstance(stopping, list) else [stopping])
        ]
        acquired = np.zeros(oracle_mask.shape[0], dtype=bool)
        self._fit_labeled(X, y, acquired)  # cold: the initial strategy picks
        start = time.perf_counter()
        first, _ = self._query_rows(X, n_initial, candidates=oracle, own_pool=True)
        query_seconds = time.perf_counter() - start
        acquired[first] = True
        self._fit_labeled(X, y, acquired)
        self.history_[0].update(indices=first.tolist(), query_seconds=query_seconds)

        def pool_score(learner, rest):
            return self._score_rows(X, y[rest], rows=rest) if rest.shape[0] else None

        rounds = run_acquisition(
            self,
            lambda positions: Answers(positions, y[positions]),
            candidates=oracle,
            budget=budget - n_initial,
            batch_size=self.batch_size,
            criteria=criteria,
            evaluate=pool_score,
        )
        for entry in rounds:
            score = entry.pop("score")
            if score is not None:
                entry["pool_score"] = score
        rounds[0].update(indices=first.tolist(), query_seconds=query_seconds)
        acquired = self.labeled_mask_
        self.y_ = y.copy()
        try:
            self.y_[~acquired] = self.missing_label
        except (TypeError, ValueError):
            pass  # the label dtype cannot hold the marker; labeled_mask_ says it
        self.history_ = rounds
        return self
