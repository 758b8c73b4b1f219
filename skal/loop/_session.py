"""A live labeling loop: query, ask the oracle, journal, refit, until told to stop."""

import sys

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods

from ..learners._acquisition import Answers, run_acquisition
from ..utils import missing_mask, num_rows, take_rows
from ..utils._labels import as_label_array, check_aligned
from ..utils._validation import POSITIVE_INT, IntInterval, validate_params
from ._answers import label_kind
from ._oracles import SKIP, STOP, UNDO
from ._resume import resume_labels
from ._stopping import check_stopping


def _initial_labels(n, y, missing):
    if y is None:
        kind = int if isinstance(missing, int) else float
        kind = kind if isinstance(missing, (int, float)) else object
        y = np.full(n, missing, dtype=kind)
    y = as_label_array(y)
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
            if missing_mask(np.asarray([answer], dtype=object), self.missing)[0]:
                raise ValueError(  # else journaled, then refused by teach
                    f"The oracle answered {answer!r} for row {pos}, a missing label "
                    f"(NaN, None or missing_label={self.missing!r}); an oracle must "
                    "answer every row it is asked with a class, or SKIP."
                )
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


@validate_params(
    {
        "learner": [HasMethods(["fit", "query", "teach"])],
        "X": ["array-like", "sparse matrix"],
        "oracle": [HasMethods(["label"])],
        "y": ["array-like", None],
        "journal": "no_validation",
        "ids": ["array-like", None],
        "stopping": "no_validation",
        "budget": [POSITIVE_INT, None],
        "batch_size": [POSITIVE_INT, None],
        "n_initial": [IntInterval(0, None, closed="left")],
        "random_state": ["random_state"],
        "log": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
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
        The labels; rows still unlabeled keep their marker as given
        (``missing_label``, or NaN / None, which always mark unlabeled rows).

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
    check_aligned(X, y)
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
