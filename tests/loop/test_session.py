import io

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris
from sklearn.naive_bayes import GaussianNB

from skal import ActiveLearner
from skal.loop import (
    BudgetStopping,
    CallbackOracle,
    LabelJournal,
    NoisyOracle,
    SimulatedOracle,
    TerminalOracle,
    export_labels,
    label_loop,
    resume_labels,
)

X, Y = load_iris(return_X_y=True)


class _Person:
    """Answers the truth, except for scripted commands at given turns."""

    def __init__(self, commands):
        self.commands, self.turn, self.shown = commands, 0, []

    def __call__(self, prompt):
        self.turn += 1
        assert self.turn < 1000, "the oracle keeps asking"
        if self.turn in self.commands:
            return self.commands[self.turn]
        return f"+{Y[self.shown[-1]]}"  # "+": a class not seen yet is confirmed


def _oracle(person):
    oracle = TerminalOracle(input=person, output=io.StringIO())
    show = oracle.show

    def record(index, x):
        person.shown.append(index)
        show(index, x)

    oracle.show = record
    return oracle


def test_terminal_session_with_skip_undo_and_quit(tmp_path):
    person = _Person({3: "s", 5: "u", 14: "q"})
    journal = LabelJournal(tmp_path / "j.jsonl")
    learner = ActiveLearner(GaussianNB(), batch_size=3, random_state=0)
    learner, y = label_loop(
        learner,
        X,
        _oracle(person),
        journal=journal,
        n_initial=4,
        random_state=0,
        log=io.StringIO(),
    )
    shown = person.shown
    # turn 3 skips a sample; turn 5 undoes turn 4's label: that sample is
    # asked again, then the one whose question was answered with "u"
    assert shown[5] == shown[3] and shown[6] == shown[4]
    labels = LabelJournal(tmp_path / "j.jsonl").labels()
    skipped = shown[2]
    assert skipped not in labels and skipped not in shown[3:]
    assert y[skipped] == -1
    # every journal label is in y, and y holds nothing else
    assert {i: int(y[i]) for i in np.flatnonzero(y != -1)} == labels
    entries = LabelJournal(tmp_path / "j.jsonl").entries()
    assert sum(e.get("undo", False) for e in entries) == 1
    # quit at turn 14: 13 turns, minus 1 skip, 1 undo and the label it took back
    assert len(labels) == 10
    assert int(learner.labeled_mask_.sum()) == 10


def test_undo_before_any_label_just_asks_again():
    person = _Person({1: "u"})
    learner = ActiveLearner(GaussianNB(), batch_size=2, random_state=0)
    _, y = label_loop(
        learner,
        X,
        _oracle(person),
        budget=4,
        n_initial=2,
        random_state=0,
        log=io.StringIO(),
    )
    assert person.shown[0] == person.shown[1]
    assert int((y != -1).sum()) == 4
    np.testing.assert_array_equal(y[y != -1], Y[y != -1])


def test_loop_honours_budget_stopping_and_prior_labels():
    y0 = np.full(150, -1)
    y0[[0, 60, 120]] = Y[[0, 60, 120]]
    learner = ActiveLearner(GaussianNB(), batch_size=5, random_state=0)
    log = io.StringIO()
    _, y = label_loop(
        learner,
        X,
        SimulatedOracle(Y),
        y=y0,
        n_initial=3,
        stopping=BudgetStopping(20),
        log=log,
        random_state=0,
    )
    assert int((y != -1).sum()) == 23  # fitted at 3, 8, 13, 18, 23 labels
    assert "stopping criterion met after 23 labels" in log.getvalue()
    assert (y[[0, 60, 120]] == Y[[0, 60, 120]]).all()
    with pytest.raises(ValueError, match="X has 150 rows but y has 3 labels"):
        label_loop(learner, X, SimulatedOracle(Y), y=[1, 2, 3])


def test_noisy_oracle_in_a_live_loop_records_its_answers():
    oracle = NoisyOracle(Y, 0.5, random_state=0)
    learner = ActiveLearner(GaussianNB(), batch_size=10, random_state=0)
    _, y = label_loop(learner, X, oracle, budget=60, log=io.StringIO(), random_state=0)
    got = y != -1
    assert got.sum() == 60 and (y[got] != Y[got]).sum() == oracle.n_flipped_ > 10


def test_skipped_rows_are_never_asked_again_and_batches_refill():
    asked = []

    def answer(rows, idx):
        asked.append(idx.tolist())
        return np.array([None if i % 3 == 0 else Y[i] for i in idx], dtype=object)

    learner = ActiveLearner(GaussianNB(), batch_size=6, random_state=0)
    _, y = label_loop(
        learner,
        X,
        CallbackOracle(answer),
        budget=40,
        n_initial=6,
        random_state=0,
        log=io.StringIO(),
    )
    flat = [i for batch in asked for i in batch]
    assert len(flat) == len(set(flat))  # nobody asked twice
    got = np.flatnonzero(y != -1)
    assert got.shape[0] == 40 and not (got % 3 == 0).any()
    # once the model queries, every batch is full despite earlier skips
    before = np.cumsum([0] + [sum(i % 3 != 0 for i in b) for b in asked])
    for batch, n_before in zip(asked, before):
        if n_before >= 6:  # past the random initial draws
            assert len(batch) == min(6, 40 - n_before)


@pytest.mark.filterwarnings("ignore:Only one class")
def test_terminal_session_on_a_dataframe_and_sparse_rows():
    import pandas as pd
    import scipy.sparse as sp

    frame = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    for data in (frame, sp.csr_matrix(X)):
        out = io.StringIO()
        answers = iter(["0", "q"])
        oracle = TerminalOracle(input=lambda p: next(answers), output=out)
        learner = ActiveLearner(GaussianNB(), budget=50)  # budget is not the oracle
        _, y = label_loop(
            learner, data, oracle, n_initial=2, random_state=0, log=io.StringIO()
        )
        pos = int(out.getvalue().split("sample ")[1].split()[0])
        assert f"x0 = {X[pos, 0]}" in out.getvalue()
        assert (y != -1).sum() == 1 and y[pos] == 0


@pytest.mark.filterwarnings("ignore:Only one class")
def test_undo_of_an_earlier_rounds_label_retracts_it_from_the_learner():
    # round 0 (random) labels 2 rows and the model is fitted on them; the
    # first question of round 1 is answered "u": the last label of round 0
    # is taken back from the fitted learner, asked again, and answered
    person = _Person({3: "u"})
    learner = ActiveLearner(GaussianNB(), batch_size=2, random_state=0)
    learner, y = label_loop(
        learner,
        X,
        _oracle(person),
        budget=6,
        n_initial=2,
        random_state=0,
        log=io.StringIO(),
    )
    shown = person.shown
    assert shown[3] == shown[1] and shown[4] == shown[2]
    forgotten = [e for e in learner.history_ if "forgotten" in e]
    assert [e["forgotten"] for e in forgotten] == [[shown[1]]]
    np.testing.assert_array_equal(
        np.flatnonzero(learner.labeled_mask_), np.flatnonzero(y != -1)
    )
    assert int((y != -1).sum()) == 6
    np.testing.assert_array_equal(y[y != -1], Y[y != -1])
    np.testing.assert_array_equal(learner.y_[learner.labeled_mask_], y[y != -1])


def test_a_multi_label_y_is_refused_with_a_clear_error():
    # it used to fail inside NumPy's broadcasting while resuming the labels
    X, _ = load_iris(return_X_y=True)
    y = np.full((150, 3), -1)
    y[:10] = np.eye(3, dtype=int)[np.arange(10) % 3]
    learner = ActiveLearner(GaussianNB(), random_state=0)
    with pytest.raises(
        ValueError,
        match=r"label_loop takes 1-d labels .* got y of "
        r"shape \(150, 3\)\. A labeling session with multi-label",
    ):
        label_loop(learner, X, SimulatedOracle(y[:, 0]), y=y, log=io.StringIO())
    # a single column is read as 1-d labels
    column = np.where(np.arange(150) < 20, np.arange(150) % 3, -1)[:, None]
    _, labels = label_loop(
        learner,
        X,
        SimulatedOracle(np.arange(150) % 3),
        y=column,
        budget=25,
        random_state=0,
        log=io.StringIO(),
    )
    assert labels.shape == (150,) and int((labels != -1).sum()) == 25


def test_export_refuses_misaligned_labels_and_a_feature_named_like_the_target(
    tmp_path,
):
    # an .npz of 3 rows and 2 labels was written silently; a feature named
    # 'label' was overwritten by the labels
    X = np.eye(3)
    with pytest.raises(ValueError, match=r"one label per row of X \(3 rows\)"):
        export_labels(tmp_path / "a.npz", X, [1, 2])
    with pytest.raises(ValueError, match=r"one label per row of frame \(2 rows\)"):
        export_labels(
            tmp_path / "a.csv", X, [1, 2, 3], frame=pd.DataFrame({"a": [1, 2]})
        )
    with pytest.raises(ValueError, match="A feature is named 'label'"):
        export_labels(
            tmp_path / "a.csv", X, [1, -1, 3], feature_names=["label", "b", "c"]
        )
    with pytest.raises(ValueError, match="feature_names has 1 names for the 3"):
        export_labels(tmp_path / "a.csv", X, [1, -1, 3], feature_names=["a"])


def test_export_to_npz_refuses_a_class_minus_one(tmp_path):
    # -1 marks unlabeled rows in an .npz: the class -1 loaded back unlabeled
    y = np.array([-1, 5, 2])
    with pytest.raises(ValueError, match="1 rows are labeled -1, the mark of"):
        export_labels(tmp_path / "a.npz", np.eye(3), y, missing_label=None)
    assert export_labels(tmp_path / "a.csv", np.eye(3), y, missing_label=None) == 3


def test_export_and_resume_refuse_a_bool_missing_label(tmp_path):
    # missing_label=True equals the label 1: its rows were written unlabeled
    with pytest.raises(ValueError, match="'missing_label' parameter of export_labels"):
        export_labels(tmp_path / "a.npz", np.eye(3), [0, 1, 1], missing_label=True)
    with pytest.raises(ValueError, match="'missing_label' parameter of resume_labels"):
        resume_labels(None, [0, 1, 1], missing_label=True)


def test_an_oracle_answering_the_missing_marker_is_refused_before_the_journal(
    tmp_path,
):
    # was journaled, then refused by teach ("teach got missing labels")
    y_bad = Y.copy()
    y_bad[::3] = -1
    journal = LabelJournal(tmp_path / "j.jsonl")
    learner = ActiveLearner(GaussianNB(), batch_size=5)
    with pytest.raises(ValueError, match=r"answered .*-1.* for row \d+, a missing"):
        label_loop(
            learner,
            X,
            SimulatedOracle(y_bad),
            journal=journal,
            budget=20,
            log=io.StringIO(),
            random_state=0,
        )
    assert all(e.get("label") != -1 for e in journal.entries())
