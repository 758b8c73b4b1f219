"""The journal: checksums, damage reported by line, failed writes leave no trace."""

import errno
import json
import os
import warnings

import pytest

from skal.loop import JournalError, LabelJournal, _journal


def _write(path, labels):
    with LabelJournal(path) as journal:
        for i, label in enumerate(labels):
            journal.append(i, label, round=0)
    return path.read_bytes().splitlines(keepends=True)


def _read(path):
    journal = LabelJournal(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        labels = journal.labels()
    return labels, [str(w.message) for w in caught], journal


def test_every_line_carries_the_checksum_of_its_canonical_json(tmp_path):
    lines = _write(tmp_path / "j.jsonl", [3, "cat"])
    entry = json.loads(lines[1])
    assert set(entry) == {"id", "label", "round", "time", "crc"}
    body = {k: v for k, v in entry.items() if k != "crc"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    assert entry["crc"] == f"{__import__('zlib').crc32(canonical.encode()):08x}"


def test_damaged_lines_are_reported_by_number_in_one_warning(tmp_path):
    path = tmp_path / "j.jsonl"
    lines = _write(path, [3, 1, 2, 0, 1])
    lines[1] = lines[1].replace(b'"label": 1', b'"label": 7')  # a flipped digit
    lines[2] = lines[2].replace(b'"label"', b'"lXbel"')  # a flipped key byte
    lines[4] = lines[4][:25]  # the last line cut short
    path.write_bytes(b"".join(lines))
    labels, messages, journal = _read(path)
    assert labels == {0: 3, 3: 0}  # no label changed, no KeyError
    assert len(messages) == 1
    assert (
        "skipped 3 damaged lines: line 2 (checksum mismatch), line 3 (checksum "
        "mismatch), line 5 (cut short)" in messages[0]
    )
    assert journal.damaged == [
        (2, "checksum mismatch"),
        (3, "checksum mismatch"),
        (5, "cut short"),
    ]
    # appending seals the torn line; the new entry reads back
    journal.append(9, 4)
    labels, messages, _ = _read(path)
    assert labels == {0: 3, 3: 0, 9: 4} and "line 5 (not valid JSON)" in messages[0]


def test_old_journals_without_checksums_still_load(tmp_path):
    path = tmp_path / "old.jsonl"
    path.write_text(
        '{"id": 0, "label": 2, "round": 0, "time": 1.0}\n'
        '{"id": 1, "lXbel": 1, "round": 0, "time": 1.0}\n'
        '{"id": 0, "undo": true, "round": 1, "time": 2.0}\n'
        '{"id": 2, "label": "a", "round": 1, "time": 2.0}\n'
    )
    labels, messages, journal = _read(path)
    assert labels == {2: "a"} and journal.last_round() == 1
    assert len(messages) == 1 and "line 2 (no 'label' key)" in messages[0]


def test_a_read_does_not_repeat_the_same_warning(tmp_path):
    path = tmp_path / "j.jsonl"
    path.write_bytes(b"".join(_write(path, [1, 2])[:1]) + b"garbage\n")
    journal = LabelJournal(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        journal.labels()
        journal.last_round()
        journal.skipped()
    assert [str(w.message).count("line 2 (not valid JSON)") for w in caught] == [1]


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_a_failed_append_leaves_the_file_as_it_was(tmp_path, monkeypatch, failing):
    path = tmp_path / "j.jsonl"
    journal = LabelJournal(path)
    journal.append(0, 1)
    before = path.read_bytes()
    real = getattr(os, failing)

    def full_disk(fd, *args):
        if failing == "write":  # half the line reaches the file, then ENOSPC
            real(fd, bytes(args[0])[: len(args[0]) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_journal.os, failing, full_disk)
    with pytest.raises(JournalError, match="No space left on device") as info:
        journal.append(1, 2)
    assert info.value.errno == errno.ENOSPC and str(path) in str(info.value)
    monkeypatch.setattr(_journal.os, failing, real)
    assert path.read_bytes() == before  # nothing of the failed line is kept
    journal.append(2, 0)
    journal.close()
    assert LabelJournal(path).labels() == {0: 1, 2: 0}
    assert b'"id": 1' not in path.read_bytes()


def test_a_journal_that_cannot_be_written_fails_before_any_label(tmp_path, monkeypatch):
    real = os.open

    def read_only(path, flags, *args):
        if flags & os.O_WRONLY:
            raise OSError(errno.EROFS, "Read-only file system")
        return real(path, flags, *args)

    monkeypatch.setattr(_journal.os, "open", read_only)
    with pytest.raises(JournalError, match="cannot open the journal .*Read-only"):
        LabelJournal(tmp_path / "j.jsonl").check_writable()


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores modes"
)
def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(JournalError, match="Permission denied"):
            LabelJournal(folder / "j.jsonl").check_writable()
    finally:
        folder.chmod(0o700)


def test_skips_are_recorded_and_a_later_label_replaces_them(tmp_path):
    path = tmp_path / "j.jsonl"
    with LabelJournal(path) as journal:
        journal.skip(4, round=0)
        journal.skip(5, round=0)
        journal.append(5, 1, round=1)
    journal = LabelJournal(path)
    assert journal.skipped() == {4} and journal.labels() == {5: 1}
    assert [(n, e.get("skip", False)) for n, e in journal.entries(with_lines=True)] == [
        (1, True),
        (2, True),
        (3, False),
    ]
