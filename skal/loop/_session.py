"""A live labeling loop: query, ask the oracle, journal, refit, until told to stop."""

import sys
import warnings

import numpy as np
from sklearn.utils import check_random_state

from ..learners._acquisition import Answers, run_acquisition
from ..utils import missing_mask, num_rows, take_rows
from ._answers import ClassChecker, _plain, fill_labels, label_kind
from ._oracles import SKIP, STOP, UNDO
from ._stopping import check_stopping


def _initial_labels(n, y, missing):
    if y is None:
        kind = int if isinstance(missing, int) else float
        kind = kind if isinstance(missing, (int, float)) else object
        y = np.full(n, missing, dtype=kind)
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1:
        raise ValueError(
            f"label_loop takes 1-d labels (one class per sample), got y of shape "
            f"{y.shape}. A labeling session with multi-label answers is not "
            "supported; simulate a multi-label run with skal.loop.simulate."
        )
    if y.shape[0] != n:
        raise ValueError(f"X has {n} rows but y has {y.shape[0]} labels.")
    return y.copy()


def _majority_kind(values):
    """The label kind most journal labels have (a stray typo does not decide)."""
    kinds = [label_kind([v]) for v in values]
    counts = {k: kinds.count(k) for k in ("int", "float", "str")}
    return max(counts, key=counts.get) if values else None


def resume_labels(journal, y, *, ids=None, classes=None, missing_label=-1):
    """Return ``y`` with a journal's labels, checked against the task's classes.

    The task's classes are ``classes`` when given (a complete list), else
    those labeled in ``y`` and in the journal; the label type is theirs (the
    type most journal labels have when ``y`` has none). A journal label that
    does not fit (a typo such as ``x`` among integer classes, a class not in
    ``classes``) is left out with one warning naming its line, and its
    sample counts as unlabeled; damaged lines are reported by
    :meth:`LabelJournal.entries`.

    Parameters
    ----------
    journal : LabelJournal or None
        The journal to replay.
    y : array-like of shape (n_samples,)
        Labels known before the journal, unlabeled rows marked with
        ``missing_label``.
    ids : array-like of shape (n_samples,), default=None
        Sample id of each row; row positions when None.
    classes : list, default=None
        The complete list of allowed labels.
    missing_label : scalar, str, None or nan, default=-1
        The marker of unlabeled rows.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The labels.
    skipped : ndarray of bool of shape (n_samples,)
        Rows whose latest journal entry is a skip.
    order : list of int
        Rows labeled by the journal, in the order they were labeled.
    checker : ClassChecker
        The task's classes, the journal's included.

    Examples
    --------
    >>> import os, tempfile, warnings
    >>> from skal.loop import LabelJournal, resume_labels
    >>> journal = LabelJournal(os.path.join(tempfile.mkdtemp(), "j.jsonl"))
    >>> for i, label in enumerate([0, 1, "x"]):
    ...     _ = journal.append(i, label)
    >>> _ = journal.skip(3)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     y, skipped, order, checker = resume_labels(journal, [-1] * 5)
    >>> y.tolist(), skipped.tolist(), checker.classes
    ([0, 1, -1, -1, -1], [False, False, False, True, False], [0, 1])
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    journal ...: left out 1 label not fitting the task: line 3 (sample 2: 'x' ...
    """
    y = np.asarray(y)
    ids = np.arange(y.shape[0]) if ids is None else np.asarray(ids)
    if classes is not None:
        checker = ClassChecker(classes, fixed=True)
    else:
        labeled = y[~missing_mask(y, missing_label)]
        known = list(dict.fromkeys(labeled.tolist()))
        checker = ClassChecker(known, kind=label_kind(labeled))
    skipped = np.zeros(y.shape[0], dtype=bool)
    if journal is None:
        return y.copy(), skipped, [], checker
    latest = sorted(journal.replay().items(), key=lambda item: item[1][0])
    if checker.kind is None:
        checker.kind = _majority_kind(
            [e["label"] for _, (_, e) in latest if not e.get("skip")]
        )
    labels, bad = {}, []
    position = {_plain(v): i for i, v in enumerate(ids)}
    for sample_id, (line, entry) in latest:
        if entry.get("skip"):
            if sample_id in position:
                skipped[position[sample_id]] = True
            continue
        try:
            label = checker.coerce(entry["label"])
        except ValueError as exc:
            bad.append(f"line {line} (sample {sample_id!r}: {exc})")
            continue
        labels[sample_id] = label
        if not checker.fixed:
            checker.add(label)
    if bad:
        warnings.warn(
            f"journal {journal.path}: left out {len(bad)} label"
            f"{'s' if len(bad) > 1 else ''} not fitting the task: "
            f"{', '.join(bad[:10])}; those samples count as unlabeled.",
            UserWarning,
            stacklevel=2,
        )
    y = fill_labels(y, labels, ids=ids, source=journal.path)
    order = [position[k] for k in labels]
    return y, skipped, order, checker


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


class _Asker:
    """The oracle side of one labeling session, as the acquisition engine sees it.

    Called with the rows of a round, it asks the oracle (one call per batch,
    or one sample at a time for a person), journals every answer before it
    is used, and returns :class:`~skal.learners._acquisition.Answers`: the
    labels, skipped rows, labels taken back by an undo (of this round or an
    earlier one, resumed sessions included) and a stop.
    """

    def __init__(self, X, y, oracle, *, journal, ids, skipped, order, missing, out):
        self.X, self.y, self.oracle, self.journal = X, y, oracle, journal
        self.ids, self.skipped, self.order = ids, skipped, order
        self.missing, self.out = missing, out
        self.round = journal.last_round() + 1 if journal is not None else 0
        self.before_query = None  # called once before the first model query
        self.n_initial = 0

    def n_labeled(self):
        return int((~missing_mask(self.y, self.missing)).sum())

    def __call__(self, batch):
        if self.before_query is not None and self.n_labeled() >= self.n_initial:
            self.before_query()
            self.before_query = None
        batch = [int(i) for i in batch]
        answers = None
        if not self.oracle.interactive:  # one call per batch, e.g. to a service
            answers = list(self.oracle.label(np.asarray(batch, dtype=np.intp), self.X))
        taught_before = set(self.order)
        new, retracted, skipped, stop = [], [], [], False
        while batch:
            pos = batch.pop(0)
            if answers is not None:
                answer = answers.pop(0)
            else:
                answer = self.oracle.ask(pos, _row(self.X, pos))
            if answer is STOP:
                stop = True
                break
            if answer is SKIP or answer is None:
                self._journal("skip", pos)
                self.skipped[pos] = True
                skipped.append(pos)
                continue
            if answer is UNDO:
                batch.insert(0, pos)
                if self.order:
                    last = self.order.pop()
                    self._journal("undo", last)
                    self.y[last] = self.missing
                    if last in taught_before:
                        retracted.append(last)
                        taught_before.discard(last)
                    else:
                        new.remove(last)
                    batch.insert(0, last)
                continue
            self._journal("append", pos, answer)
            self.y = _store(self.y, pos, answer)
            self.order.append(pos)
            new.append(pos)
        print(f"round {self.round}: {self.n_labeled()} labels", file=self.out)
        self.round += 1
        return Answers(
            new,
            self.y[np.asarray(new, dtype=np.intp)],
            retracted=retracted,
            skipped=skipped,
            stop=stop,
        )

    def _journal(self, kind, pos, *label):
        if self.journal is not None:
            getattr(self.journal, kind)(self.ids[pos].item(), *label, round=self.round)


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
    an interrupted session resumes from the journal with no label lost; the
    journal is checked to be writable before the first question. An
    interactive oracle may skip a sample (journaled: it is not asked again,
    in this session or after a resume), undo the previous label (also one
    of a resumed session), or stop. An interactive oracle with
    ``set_known_classes`` (:class:`TerminalOracle`) is told the classes
    labeled so far, so a typo or a misspelled class is asked again instead
    of kept; when no class is known at the start, the answers to the first
    ``n_initial`` (random) samples define the classes and later new classes
    must be confirmed. A journal label that does not fit the task is left
    out with a warning (see :func:`resume_labels`).

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
    y = _initial_labels(n, y, missing)
    ids = np.arange(n) if ids is None else np.asarray(ids)
    if ids.shape[0] != n:
        raise ValueError(f"X has {n} rows but ids has {ids.shape[0]} entries.")
    if journal is not None:
        journal.check_writable()  # a read-only or full disk fails here
    y, skipped, order, checker = resume_labels(
        journal,
        y,
        ids=ids,
        classes=getattr(oracle, "classes", None),
        missing_label=missing,
    )
    labeled = ~missing_mask(y, missing)
    asker = _Asker(
        X,
        y,
        oracle,
        journal=journal,
        ids=ids,
        skipped=skipped,
        order=order,
        missing=missing,
        out=out,
    )
    asker.n_initial = n_initial
    # with no class known, the first (random) answers define the classes;
    # after them, a new class must be confirmed
    tell = getattr(oracle, "set_known_classes", None)
    if tell is not None:
        open_classes = not checker.classes
        tell(checker.classes, kind=checker.kind, confirm_new=not open_classes)
        if open_classes:

            def tell_classes():
                known = asker.y[~missing_mask(asker.y, missing)]
                tell(list(dict.fromkeys(known.tolist())), kind=label_kind(known))

            asker.before_query = tell_classes
    n_labeled = int(labeled.sum())
    rounds = run_acquisition(
        learner,
        asker,
        X=X,
        y=y,
        initial=np.flatnonzero(labeled),
        candidates=np.flatnonzero(~labeled & ~skipped),
        budget=None if budget is None else max(budget - n_labeled, 0),
        batch_size=learner.batch_size if batch_size is None else batch_size,
        criteria=check_stopping(stopping),
        warmup=n_initial,
        random_state=check_random_state(random_state),
    )
    stopped_by = rounds[-1].get("stopped_by") if rounds else None
    if stopped_by not in (None, "oracle"):
        n_now = int(learner.labeled_mask_.sum())
        print(f"stopping criterion met after {n_now} labels", file=out)
    return learner, asker.y
