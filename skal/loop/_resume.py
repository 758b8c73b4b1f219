"""Resuming a labeling session: a journal's labels, checked against the task."""

import warnings

import numpy as np

from ..utils import missing_mask
from ..utils._validation import check_missing_label
from ._answers import ClassChecker, _plain, fill_labels, label_kind


def _check_unique_ids(ids):
    """Raise unless every sample id names one row: the journal keys labels by id."""
    first = {}
    for i, v in enumerate(ids.tolist()):
        j = first.setdefault(v, i)
        if j != i:
            raise ValueError(
                f"ids must name each row once, but {v!r} is the id of rows {j} and "
                f"{i}; the journal would give one row's label to the other."
            )


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
    check_missing_label(missing_label, "resume_labels")
    y = np.asarray(y)
    ids = np.arange(y.shape[0]) if ids is None else np.asarray(ids)
    _check_unique_ids(ids)
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
