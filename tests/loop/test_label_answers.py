"""A labeling session a typo cannot break: answers checked, journals replayed safely."""

import errno
import io
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.naive_bayes import GaussianNB

from skal import ActiveLearner
from skal.loop import (
    ClassChecker,
    JournalError,
    LabelJournal,
    SimulatedOracle,
    TerminalOracle,
    _journal,
    label_loop,
)

X, Y = load_iris(return_X_y=True)
NAMES = np.array(["setosa", "versicolor", "virginica"], dtype=object)


class _Person:
    """Answers the truth (or ``truth[i]``), except scripted answers at given turns."""

    def __init__(self, script, truth=Y):
        self.script, self.truth = script, truth
        self.turn, self.shown, self.prompts = 0, [], []

    def __call__(self, prompt):
        self.prompts.append(prompt)
        self.turn += 1
        assert self.turn < 1000, "the oracle keeps asking"
        if self.turn in self.script:
            return self.script[self.turn]
        return f"+{self.truth[self.shown[-1]]}"  # "+": confirm a class not seen yet


def _oracle(person, **kwargs):
    out = io.StringIO()
    oracle = TerminalOracle(input=person, output=out, **kwargs)
    show = oracle.show

    def record(index, x):
        person.shown.append(index)
        show(index, x)

    oracle.show = record
    return oracle, out


def _session(person, *, journal=None, y=None, budget=12, **kwargs):
    oracle, out = _oracle(person, **kwargs)
    log = io.StringIO()
    learner = ActiveLearner(GaussianNB(), batch_size=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        learner, y = label_loop(
            learner,
            X,
            oracle,
            y=y,
            journal=journal,
            budget=budget,
            n_initial=4,
            random_state=0,
            log=log,
        )
    return learner, y, out.getvalue(), log.getvalue()


def test_a_typo_is_asked_again_and_undo_then_works(tmp_path):
    # turn 3 types "x" (refused, asked again), turn 4 undoes turn 2's label
    person = _Person({3: "x", 4: "u"})
    journal = LabelJournal(tmp_path / "j.jsonl")
    learner, y, out, _ = _session(person, journal=journal)
    assert "'x' is not a class: the labels here are integers" in out
    labels = LabelJournal(tmp_path / "j.jsonl").labels()
    assert all(isinstance(v, int) for v in labels.values())
    assert labels == {i: int(Y[i]) for i in np.flatnonzero(y != -1)}
    assert len(labels) == 12 and y.dtype.kind == "i"
    assert int(learner.labeled_mask_.sum()) == 12
    # turns 3-4 are one question (the typo is asked again, without a redraw);
    # the undo asks turn 2's sample again, then the one it interrupted
    assert person.shown[3:5] == person.shown[1:3]


def test_a_misspelled_class_gets_did_you_mean_and_a_new_class_needs_a_plus():
    y0 = np.full(150, None, dtype=object)
    y0[[0, 50, 100]] = NAMES[Y[[0, 50, 100]]]
    truth = NAMES[Y]
    person = _Person({1: "versicolr", 2: "unsure", 3: "+unsure"}, truth=truth)
    _, y, out, _ = _session(person, y=y0, budget=6)
    assert "unknown class 'versicolr'; did you mean 'versicolor'?" in out
    assert "'unsure' is a new class; type +unsure to add it" in out
    assert "versicolr" not in set(y.tolist())
    assert sorted(set(y[y != None].tolist())) == [  # noqa: E711
        "setosa",
        "unsure",
        "versicolor",
        "virginica",
    ]
    # the prompt lists the known classes, the new one once it is added
    assert person.prompts[0].startswith("label (setosa/versicolor/virginica, +NEW)")
    assert "unsure" in person.prompts[-1]


def test_fixed_classes_refuse_anything_else():
    checker = ClassChecker(["yes", "no"], fixed=True)
    with pytest.raises(ValueError, match=r"'\+maybe' is not one|'maybe' is not one"):
        checker.parse("+maybe")
    with pytest.raises(ValueError, match="did you mean 'yes'"):
        checker.parse("yess")
    assert checker.parse(" no ") == "no"


@pytest.mark.parametrize(
    "classes, text, expected",
    [
        ([0, 1], "1", 1),  # an integer target: the integer, never the text
        ([0, 1], "+2", 2),
        (["1", "2"], "1", "1"),  # a text target: the text, never a number
        ([0.5, 1.5], "1.5", 1.5),
        ([], "3", 3),  # the first answer defines the type
        ([], "cat", "cat"),
    ],
)
def test_answers_take_the_type_of_the_target(classes, text, expected):
    label = ClassChecker(classes).parse(text)
    assert label == expected and type(label) is type(expected)


@pytest.mark.parametrize("text", ["x", "+x", "1.5", "+1.0"])
def test_text_on_an_integer_target_is_refused_even_confirmed(text):
    with pytest.raises(ValueError, match="the labels here are integers"):
        ClassChecker([0, 1, 2]).parse(text)


@pytest.mark.parametrize("text", ["+nan", "+inf", "+-inf", "+1e400"])
def test_a_non_finite_number_is_no_class(text):
    # "+nan" became a class NaN, which every learner reads as unlabeled
    checker = ClassChecker([0.5, 1.5])
    with pytest.raises(ValueError, match="the labels here are finite numbers"):
        checker.parse(text)
    assert checker.classes == [0.5, 1.5]


def test_a_typo_in_an_old_journal_is_reported_and_skipped_on_resume(tmp_path):
    path = tmp_path / "j.jsonl"
    with LabelJournal(path) as journal:
        for i in (0, 50, 100, 1):
            journal.append(i, int(Y[i]), round=0)
        journal.append(51, "x", round=0)  # typed before answers were checked
    learner = ActiveLearner(GaussianNB(), batch_size=3, random_state=0)
    with pytest.warns(UserWarning, match=r"line 5 \(sample 51: 'x' is not an inte"):
        learner, y = label_loop(
            learner,
            X,
            SimulatedOracle(Y),
            journal=LabelJournal(path),
            budget=10,
            random_state=0,
            log=io.StringIO(),
        )
    assert y.dtype.kind == "i" and int((y != -1).sum()) == 10
    np.testing.assert_array_equal(y[y != -1], Y[y != -1])
    assert y[51] == -1 or y[51] == Y[51]  # the typo is not a label


def test_undo_reaches_back_into_the_resumed_session(tmp_path):
    path = tmp_path / "j.jsonl"
    with LabelJournal(path) as journal:
        for i in (0, 50, 100, 7):
            journal.append(i, int(Y[i]), round=0)
    person = _Person({1: "u", 3: "q"})
    _, y, _, _ = _session(person, journal=LabelJournal(path))
    assert person.shown[1] == 7  # the last label of the earlier session, asked again
    assert LabelJournal(path).labels()[7] == Y[7]


def test_one_class_so_far_queries_at_random_until_a_second_appears():
    # the first six answers are all "2": the session keeps asking, then learns
    person = _Person(dict.fromkeys(range(1, 7), "2"))
    learner, y, _, log = _session(person, budget=15)
    assert int((y != -1).sum()) == 15 and "round" in log
    assert [y[i] for i in person.shown[:6]] == [2] * 6
    np.testing.assert_array_equal(y[person.shown[6:]], Y[person.shown[6:]])
    assert int(learner.labeled_mask_.sum()) == 15 and len(learner.classes_) >= 2


def test_answering_only_1_on_a_three_class_task_does_not_die():
    # the session tracks its labels with a mask: a y of only -1 and 1 is not
    # read as {-1, +1} data
    person = _Person(dict.fromkeys(range(1, 7), "1"))
    _, y, _, _ = _session(person, budget=15)
    assert int((y != -1).sum()) == 15
    assert [y[i] for i in person.shown[:6]] == [1] * 6


def test_the_round_after_a_resume_continues_the_journal(tmp_path):
    path = tmp_path / "j.jsonl"
    with LabelJournal(path) as journal:
        for r, i in enumerate((0, 50, 100, 1, 51, 101)):
            journal.append(i, int(Y[i]), round=r)
    person = _Person({})
    _, _, _, log = _session(person, journal=LabelJournal(path), budget=12)
    assert log.splitlines()[0] == "round 6: 9 labels"
    assert log.splitlines()[1] == "round 7: 12 labels"
    assert LabelJournal(path).last_round() == 7


def test_skipped_samples_are_journaled_and_not_asked_after_resume(tmp_path):
    path = tmp_path / "j.jsonl"
    person = _Person({2: "s", 5: "s", 7: "q"})
    _session(person, journal=LabelJournal(path))
    skipped = {person.shown[1], person.shown[4]}
    assert LabelJournal(path).skipped() == skipped
    again = _Person({})
    _, y, _, _ = _session(again, journal=LabelJournal(path), budget=20)
    assert not skipped & set(again.shown) and (y[list(skipped)] == -1).all()
    assert int((y != -1).sum()) == 20


def test_a_failed_append_stops_the_session_and_keeps_no_trace(tmp_path, monkeypatch):
    path = tmp_path / "j.jsonl"
    calls = {"n": 0}
    real = _journal.os.write

    def write(fd, data):
        calls["n"] += 1
        if calls["n"] == 4:  # the fourth label: the disk is full
            real(fd, bytes(data)[:10])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(_journal.os, "write", write)
    person = _Person({})
    with pytest.raises(JournalError, match="No space left on device"):
        _session(person, journal=LabelJournal(path))
    monkeypatch.setattr(_journal.os, "write", real)
    labels = LabelJournal(path).labels()
    assert list(labels) == person.shown[:3] and person.shown[3] not in labels
