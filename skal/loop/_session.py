"""A live labeling loop: query, ask the oracle, journal, refit, until told to stop."""

import sys

import numpy as np
from sklearn.utils import check_random_state

from ..utils import missing_mask, num_rows, take_rows
from ._oracles import SKIP, STOP, UNDO
from ._stopping import check_stopping


def _initial_labels(n, journal, y, ids, missing):
    if y is None:
        kind = int if isinstance(missing, int) else float
        kind = kind if isinstance(missing, (int, float)) else object
        y = np.full(n, missing, dtype=kind)
    y = np.asarray(y)
    if y.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {y.shape[0]} labels.")
    return y.copy() if journal is None else journal.apply(y, ids=ids)


def _row(X, pos):
    """Return row ``pos`` of an array, sparse matrix or DataFrame as a 1-D array."""
    row = take_rows(X, [pos])
    if hasattr(row, "toarray"):
        row = row.toarray()
    return np.asarray(row).reshape(-1)


def _store(y, pos, label):
    try:
        y[pos] = label
        if y[pos] != label:
            raise ValueError
    except (TypeError, ValueError):
        y = y.astype(object)
        y[pos] = label
    return y


def label_loop(
    learner,
    X,
    oracle,
    *,
    y=None,
    journal=None,
    ids=None,
    stopping=None,
    budget=None,
    batch_size=None,
    n_initial=10,
    random_state=None,
    log=None,
):
    """Run a real labeling session: query, ask, journal, retrain, repeat.

    Each round the learner is fitted on the labels so far, the stopping
    criteria are checked, and the queried samples are shown to the oracle.
    Every answer is written to the journal (durably) before it is used, so
    an interrupted session resumes from the journal with no label lost. An
    interactive oracle may skip a sample (it is not asked again this
    session), undo the previous label, or stop.

    Parameters
    ----------
    learner : skal learner
        E.g. an :class:`~skal.ActiveLearner`; fitted in place each round.
    X : array-like, sparse matrix or DataFrame
        All samples.
    oracle : Oracle
        Who answers (:class:`TerminalOracle` for a person).
    y : array-like of shape (n_samples,), default=None
        Labels already known, unlabeled rows marked with the learner's
        ``missing_label``; all unlabeled when None.
    journal : LabelJournal, default=None
        Where labels are recorded; its labels are loaded first (resume).
    ids : array-like of shape (n_samples,), default=None
        Sample ids written to the journal; row positions when None.
    stopping : StoppingCriterion or list, default=None
        Stop when any criterion fires.
    budget : int, default=None
        Stop once this many rows are labeled (all labels counted).
    batch_size : int, default=None
        Samples per round; the learner's ``batch_size`` when None.
    n_initial : int, default=10
        Rows drawn at random and asked first when fewer are labeled.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial draw.
    log : file-like, default=None
        Where round summaries go; ``sys.stdout`` when None.

    Returns
    -------
    learner : skal learner
        Fitted on every label (unfitted if no label was given).
    y : ndarray of shape (n_samples,)
        The labels, unlabeled rows marked with ``missing_label``.

    Examples
    --------
    >>> import io
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal import ActiveLearner
    >>> from skal.loop import SimulatedOracle, label_loop
    >>> X, y_true = load_iris(return_X_y=True)
    >>> learner = ActiveLearner(GaussianNB(), batch_size=5, random_state=0)
    >>> learner, y = label_loop(learner, X, SimulatedOracle(y_true), budget=30,
    ...                         random_state=0, log=io.StringIO())
    >>> int((y != -1).sum()), bool((y[y != -1] == y_true[y != -1]).all())
    (30, True)
    """
    out = log or sys.stdout
    n = num_rows(X)
    params = learner.get_params(deep=False)
    if params.get("budget") is not None:
        learner.set_params(budget=None)  # labels come from the oracle, not y
    missing = params.get("missing_label", -1)
    y = _initial_labels(n, journal, y, ids, missing)
    ids = np.arange(n) if ids is None else np.asarray(ids)
    rng = check_random_state(random_state)
    criteria = check_stopping(stopping)
    batch_size = learner.batch_size if batch_size is None else batch_size
    round_ = journal.last_round() + 1 if journal is not None else 0
    skipped, answered = np.zeros(n, dtype=bool), []
    for k in range(n):  # one round per iteration; at most n rounds
        labeled = ~missing_mask(y, missing)
        n_labeled = int(labeled.sum())
        if budget is not None and n_labeled >= budget:
            break
        want = batch_size if budget is None else min(batch_size, budget - n_labeled)
        free = np.flatnonzero(~labeled & ~skipped)
        if free.shape[0] == 0:
            break
        if n_labeled < n_initial:
            want = min(n_initial - n_labeled, free.shape[0])
            batch = list(rng.choice(free, want, replace=False))
        else:
            learner.fit(X, y)
            info = {"round": round_, "n_labeled": n_labeled}
            stops = [c.update(learner, info) for c in criteria]  # update them all
            if any(stops):
                print(f"stopping criterion met after {n_labeled} labels", file=out)
                return learner, y
            # ask for extra rows to make up for skipped ones, within the pool
            n_query = min(want + int(skipped.sum()), int((~labeled).sum()))
            idx = learner.query(batch_size=n_query)
            batch = [int(i) for i in idx if not skipped[i]][:want]
        stop, answers = False, None
        if not oracle.interactive:  # one call per batch, e.g. to a service
            answers = list(oracle.label(np.asarray(batch, dtype=np.intp), X))
        while batch:
            pos = int(batch.pop(0))
            if answers is not None:
                answer = answers.pop(0)
            else:
                answer = oracle.ask(pos, _row(X, pos))
            if answer is STOP:
                stop = True
                break
            if answer is SKIP or answer is None:
                skipped[pos] = True
                continue
            if answer is UNDO:
                batch.insert(0, pos)
                if answered:
                    last = answered.pop()
                    if journal is not None:
                        journal.undo(ids[last].item(), round=round_)
                    y[last] = missing
                    batch.insert(0, last)
                continue
            if journal is not None:
                journal.append(ids[pos].item(), answer, round=round_)
            y = _store(y, pos, answer)
            answered.append(pos)
        round_ += 1
        print(f"round {k}: {int((~missing_mask(y, missing)).sum())} labels", file=out)
        if stop:
            break
    if (~missing_mask(y, missing)).any():
        learner.fit(X, y)
    return learner, y
