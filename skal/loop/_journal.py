"""A crash-safe, append-only journal of the labels a session has received."""

import json
import os
import time

import numpy as np


def _plain(value):
    """Make NumPy scalars JSON-serializable."""
    return value.item() if isinstance(value, np.generic) else value


class LabelJournal:
    """Append-only record of labels, durable before they are acknowledged.

    Each label is one JSON line (sample id, label, round, time) written,
    flushed and ``fsync``-ed to disk before :meth:`append` returns, so a
    label that was acknowledged survives a crash, a ``kill -9`` or a power
    cut. Reopening the same path resumes the session: :meth:`labels`
    replays the journal. An entry cut short by a crash (the only kind of
    damage an append-only file can take) is ignored when reading and sealed
    off before the next write.

    Parameters
    ----------
    path : str or path-like
        The journal file (JSON lines); created on the first write.

    Attributes
    ----------
    n_damaged : int
        Unreadable lines skipped by the last read.

    Examples
    --------
    >>> import tempfile, os
    >>> from skal.loop import LabelJournal
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.jsonl")
    >>> with LabelJournal(path) as journal:
    ...     _ = journal.append(4, "cat", round=0)
    ...     _ = journal.append(9, "dog", round=0)
    ...     _ = journal.undo(9)
    >>> LabelJournal(path).labels()
    {4: 'cat'}
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        self._file = None
        self.n_damaged = 0

    def __repr__(self):
        return f"LabelJournal({self.path!r})"

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_file"] = None
        return state

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Close the file; the next write reopens it."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def _open(self):
        if self._file is not None:
            return self._file
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        created = not os.path.exists(self.path)
        self._file = open(self.path, "a+b")
        if not created and self._file.tell() > 0:
            self._file.seek(-1, os.SEEK_END)
            if self._file.read(1) != b"\n":  # a write cut short: seal it off
                self._write(b"\n")
        if created:  # make the new file's directory entry durable too
            fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return self._file

    def _write(self, data):
        self._file.write(data)
        self._file.flush()
        os.fsync(self._file.fileno())

    def _record(self, entry):
        self._open()
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self._write(line.encode("utf-8"))
        return entry

    def append(self, sample_id, label, *, round=None):
        """Write one label durably; return only once it is on disk.

        Parameters
        ----------
        sample_id : int or str
            Which sample (e.g. its row in the data file).
        label : int, float, str or bool
            Its label.
        round : int, default=None
            The labeling round.

        Returns
        -------
        entry : dict
            The entry written: ``id``, ``label``, ``round``, ``time``.
        """
        entry = {
            "id": _plain(sample_id),
            "label": _plain(label),
            "round": _plain(round),
            "time": time.time(),
        }
        return self._record(entry)

    def undo(self, sample_id, *, round=None):
        """Take back the label of ``sample_id`` (recorded, never erased).

        Parameters
        ----------
        sample_id : int or str
            The sample whose label is withdrawn.
        round : int, default=None
            The labeling round.

        Returns
        -------
        entry : dict
            The entry written, with ``"undo": true``.
        """
        entry = {
            "id": _plain(sample_id),
            "undo": True,
            "round": _plain(round),
            "time": time.time(),
        }
        return self._record(entry)

    def entries(self):
        """Return every readable entry, oldest first.

        Returns
        -------
        entries : list of dict
            The journal's entries; damaged lines are skipped and counted in
            ``n_damaged``.
        """
        self.n_damaged = 0
        if not os.path.exists(self.path):
            return []
        out = []
        with open(self.path, "rb") as f:
            for raw in f:
                try:
                    entry = json.loads(raw.decode("utf-8"))
                    if not isinstance(entry, dict) or "id" not in entry:
                        raise ValueError
                except ValueError:
                    self.n_damaged += bool(raw.strip())
                    continue
                out.append(entry)
        return out

    def labels(self):
        """Return the current labels, replaying appends and undos in order.

        Returns
        -------
        labels : dict
            Sample id to its latest label.
        """
        labels = {}
        for entry in self.entries():
            if entry.get("undo"):
                labels.pop(entry["id"], None)
            else:
                labels[entry["id"]] = entry["label"]
        return labels

    def last_round(self):
        """Return the highest round recorded, or -1 for an empty journal.

        Returns
        -------
        round : int
            The last round.
        """
        rounds = [e["round"] for e in self.entries() if e.get("round") is not None]
        return max(rounds, default=-1)

    def apply(self, y, *, ids=None):
        """Return a copy of ``y`` with the journal's labels filled in.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels with unlabeled rows marked.
        ids : array-like of shape (n_samples,), default=None
            Sample id of each row; row positions when None.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            The labels, object dtype if a journal label does not fit.
        """
        y = np.array(y, copy=True)
        labels = self.labels()
        if not labels:
            return y
        position = (
            {i: i for i in range(y.shape[0])}
            if ids is None
            else {_plain(v): i for i, v in enumerate(ids)}
        )
        unknown = [k for k in labels if k not in position]
        if unknown:
            raise ValueError(
                f"The journal {self.path!r} has labels for ids not in the data, e.g. "
                f"{unknown[0]!r}; is it the journal of another data set?"
            )
        rows = np.array([position[k] for k in labels], dtype=np.intp)
        values = np.array(list(labels.values()))
        try:
            y[rows] = values
            if not np.array_equal(y[rows], values):
                raise ValueError
        except (TypeError, ValueError):
            y = y.astype(object)
            y[rows] = list(labels.values())
        return y
