"""A crash-safe, append-only, checksummed journal of the labels a session received."""

import errno
import json
import os
import time
import warnings
import zlib

from ._answers import _plain, fill_labels


def _checksum(entry):
    """CRC-32 (8 hex digits) of the canonical JSON of ``entry`` without ``crc``."""
    body = {k: v for k, v in entry.items() if k != "crc"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


class JournalError(OSError):
    """The journal cannot be written: the entry was not recorded."""

    def __str__(self):
        return self.strerror or super().__str__()


def _problem(raw):
    """Return why a journal line is unusable, or None with its entry."""
    try:
        entry = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        torn = not raw.endswith(b"\n")
        return ("cut short" if torn else "not valid JSON"), None
    if not isinstance(entry, dict):
        return "not a JSON object", None
    if "crc" in entry and entry["crc"] != _checksum(entry):
        return "checksum mismatch", None
    if "id" not in entry:
        return "no 'id' key", None
    if not any(k in entry for k in ("label", "undo", "skip")):
        return "no 'label' key", None
    if isinstance(entry["id"], (bool, float, list, dict)) or entry["id"] is None:
        return "bad 'id'", None
    if isinstance(entry.get("label"), (list, dict)):
        return "bad 'label'", None
    return None, entry


class LabelJournal:
    """Append-only record of labels, durable before they are acknowledged.

    Each label is one JSON line (sample id, label, round, time and a
    checksum) written with one ``os.write`` on an unbuffered descriptor and
    ``fsync``-ed before :meth:`append` returns, so a label that was
    acknowledged survives a crash, a ``kill -9`` or a power cut. A write
    that fails (a full disk, a read-only file) raises :class:`JournalError`
    and the file is cut back to its previous size: a label reported as
    failed never becomes durable later.

    Reopening the same path resumes the session: :meth:`labels` replays the
    journal. Every line carries ``crc``, the CRC-32 of the canonical JSON of
    the other fields; a line whose checksum does not match, that is not
    JSON, lacks a key, or was cut short by a crash is skipped, and all such
    lines are reported by number in one warning. Lines without ``crc``
    (journals written before checksums) are read as they are.

    Parameters
    ----------
    path : str or path-like
        The journal file (JSON lines); created on the first write.

    Attributes
    ----------
    damaged : list of (int, str)
        Line number (from 1) and reason of each line skipped by the last
        read.
    n_damaged : int
        Number of lines skipped by the last read.

    Examples
    --------
    >>> import tempfile, os
    >>> from skal.loop import LabelJournal
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.jsonl")
    >>> with LabelJournal(path) as journal:
    ...     _ = journal.append(4, "cat", round=0)
    ...     _ = journal.append(9, "dog", round=0)
    ...     _ = journal.undo(9)
    ...     _ = journal.skip(2)
    >>> LabelJournal(path).labels(), LabelJournal(path).skipped()
    ({4: 'cat'}, {2})
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        self._fd = None
        self.damaged = []
        self._reported = []

    @property
    def n_damaged(self):
        return len(self.damaged)

    def __repr__(self):
        return f"LabelJournal({self.path!r})"

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_fd"] = None
        return state

    def __del__(self):
        try:
            self.close()
        except (AttributeError, OSError):
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Close the file; the next write reopens it."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _fail(self, action, exc):
        reason = exc.strerror or str(exc)
        return JournalError(
            exc.errno, f"cannot {action} the journal {self.path}: {reason}"
        )

    def _open(self):
        if self._fd is not None:
            return self._fd
        directory = os.path.dirname(os.path.abspath(self.path))
        try:
            os.makedirs(directory, exist_ok=True)
            created = not os.path.exists(self.path)
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise self._fail("open", exc) from exc
        self._fd = fd
        size = os.fstat(fd).st_size
        if size:
            with open(self.path, "rb") as f:
                f.seek(size - 1)
                torn = f.read(1) != b"\n"
            if torn:  # a write cut short by a crash: seal it off
                self._write(b"\n")
        if created:  # make the new file's directory entry durable too
            try:
                dir_fd = os.open(directory, os.O_RDONLY)
                try:
                    os.fsync(dir_fd)
                finally:
                    os.close(dir_fd)
            except OSError:  # some file systems cannot sync a directory
                pass
        return fd

    def _write(self, data):
        """Append ``data`` durably, or leave the file as it was and raise."""
        fd = self._fd
        size = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                if n == 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[n:]
            os.fsync(fd)
        except OSError as exc:
            try:  # take back whatever part reached the file
                os.ftruncate(fd, size)
                os.fsync(fd)
            except OSError:
                pass
            raise self._fail("write to", exc) from exc

    def check_writable(self):
        """Open the journal for appending and ``fsync`` it, or raise.

        Call it before the first question, so a read-only folder or a full
        disk stops a session before anyone types a label.

        Raises
        ------
        JournalError
            When the file cannot be opened for appending or synced.
        """
        fd = self._open()
        try:
            os.fsync(fd)
        except OSError as exc:
            raise self._fail("sync", exc) from exc

    def _record(self, entry):
        self._open()
        entry["crc"] = _checksum(entry)
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self._write(line.encode("utf-8"))
        return entry

    def _entry(self, sample_id, round, **fields):
        return {
            "id": _plain(sample_id),
            **fields,
            "round": _plain(round),
            "time": time.time(),
        }

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
            The entry written: ``id``, ``label``, ``round``, ``time``, ``crc``.

        Raises
        ------
        JournalError
            When the write fails; the label is then not in the journal.
        """
        return self._record(self._entry(sample_id, round, label=_plain(label)))

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
        return self._record(self._entry(sample_id, round, undo=True))

    def skip(self, sample_id, *, round=None):
        """Record that ``sample_id`` was skipped: a resumed session does not ask it.

        Parameters
        ----------
        sample_id : int or str
            The sample skipped.
        round : int, default=None
            The labeling round.

        Returns
        -------
        entry : dict
            The entry written, with ``"skip": true``.
        """
        return self._record(self._entry(sample_id, round, skip=True))

    def entries(self, *, with_lines=False):
        """Return every intact entry, oldest first.

        Damaged lines are skipped, listed in ``damaged`` and reported in
        one warning (once per new set of damaged lines).

        Parameters
        ----------
        with_lines : bool, default=False
            Return ``(line_number, entry)`` pairs instead of entries.

        Returns
        -------
        entries : list of dict, or list of (int, dict)
            The journal's entries.
        """
        damaged, out = [], []
        if os.path.exists(self.path):
            with open(self.path, "rb") as f:
                for number, raw in enumerate(f, start=1):
                    if not raw.strip():
                        continue
                    reason, entry = _problem(raw)
                    if reason is None:
                        out.append((number, entry))
                    else:
                        damaged.append((number, reason))
        self.damaged = damaged
        if damaged and damaged != self._reported:
            self._reported = list(damaged)
            where = ", ".join(f"line {n} ({why})" for n, why in damaged[:10])
            more = f" and {len(damaged) - 10} more" if len(damaged) > 10 else ""
            warnings.warn(
                f"journal {self.path}: skipped {len(damaged)} damaged "
                f"line{'s' if len(damaged) > 1 else ''}: {where}{more}; their "
                "samples count as unlabeled.",
                UserWarning,
                stacklevel=2,
            )
        return out if with_lines else [entry for _, entry in out]

    def replay(self):
        """Return each sample's latest entry, replaying appends, undos and skips.

        Returns
        -------
        latest : dict
            Sample id to ``(line_number, entry)`` of its latest label or skip
            (an undo removes the sample).
        """
        latest = {}
        for number, entry in self.entries(with_lines=True):
            if entry.get("undo"):
                latest.pop(entry["id"], None)
            else:
                latest[entry["id"]] = (number, entry)
        return latest

    def labels(self):
        """Return the current labels, replaying appends and undos in order.

        Returns
        -------
        labels : dict
            Sample id to its latest label.
        """
        return {
            i: e["label"] for i, (_, e) in self.replay().items() if not e.get("skip")
        }

    def skipped(self):
        """Return the samples whose latest entry is a skip.

        Returns
        -------
        ids : set
            Their sample ids.
        """
        return {i for i, (_, e) in self.replay().items() if e.get("skip")}

    def last_round(self):
        """Return the highest round recorded, or -1 for an empty journal.

        Returns
        -------
        round : int
            The last round.
        """
        rounds = [e["round"] for e in self.entries() if isinstance(e.get("round"), int)]
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
        return fill_labels(y, self.labels(), ids=ids, source=self.path)
