import os
import pickle
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.naive_bayes import GaussianNB

from skal import ActiveLearner
from skal.datasets import make_pool
from skal.loop import LabelJournal, SimulatedOracle, label_loop

REPO = Path(__file__).resolve().parents[2]


def test_append_undo_and_resume(tmp_path):
    path = tmp_path / "sub" / "j.jsonl"
    journal = LabelJournal(path)
    assert journal.labels() == {} and journal.last_round() == -1
    entry = journal.append(np.int64(3), np.int64(1), round=0)
    assert entry["id"] == 3 and entry["label"] == 1 and entry["round"] == 0
    journal.append(5, "spam", round=0)
    journal.append(3, 2, round=1)  # relabel: the latest wins
    journal.undo(5, round=1)
    journal.close()
    again = LabelJournal(path)
    assert again.labels() == {3: 2} and again.last_round() == 1
    assert [e.get("undo", False) for e in again.entries()] == [False] * 3 + [True]
    again.append(7, 0, round=2)
    assert LabelJournal(path).labels() == {3: 2, 7: 0}
    copy = pickle.loads(pickle.dumps(again))  # the open file is not pickled
    copy.append(8, 1)
    assert LabelJournal(path).labels() == {3: 2, 7: 0, 8: 1}


def test_apply_fills_labels_by_position_or_id(tmp_path):
    journal = LabelJournal(tmp_path / "j.jsonl")
    journal.append(1, 4)
    journal.append(3, 5)
    np.testing.assert_array_equal(journal.apply([-1, -1, -1, -1]), [-1, 4, -1, 5])
    ids = ["a", 3, "c", 1]
    np.testing.assert_array_equal(journal.apply([-1] * 4, ids=ids), [-1, 5, -1, 4])
    journal.append(2, "text")
    filled = journal.apply([-1, -1, -1, -1])
    assert filled.dtype == object and filled.tolist() == [-1, 4, "text", 5]
    journal.append(9, 0)
    with pytest.raises(ValueError, match="labels for ids not in the data, e.g. 9"):
        journal.apply([-1] * 4)


def test_a_torn_last_line_is_skipped_then_sealed(tmp_path):
    path = tmp_path / "j.jsonl"
    journal = LabelJournal(path)
    journal.append(0, 1)
    journal.close()
    with open(path, "ab") as f:
        f.write(b'{"id": 1, "lab')  # a crash in the middle of a write
    journal = LabelJournal(path)
    with pytest.warns(UserWarning, match=r"1 damaged line: line 2 \(cut short\)"):
        assert journal.labels() == {0: 1} and journal.n_damaged == 1
    journal.append(2, 0)  # must not be glued to the torn fragment
    with pytest.warns(UserWarning, match=r"line 2 \(not valid JSON\)"):
        assert LabelJournal(path).labels() == {0: 1, 2: 0}


CHILD = """
import sys, time
import numpy as np
from sklearn.datasets import load_iris
from sklearn.naive_bayes import GaussianNB
from skal import ActiveLearner
from skal.loop import LabelJournal, CallbackOracle, label_loop

class AckJournal(LabelJournal):
    def append(self, sample_id, label, *, round=None):
        entry = super().append(sample_id, label, round=round)
        print("ack", sample_id, label, flush=True)  # acknowledged: it is on disk
        return entry

X, y = load_iris(return_X_y=True)
def answer(rows, idx):
    time.sleep(0.002)
    return y[idx]
learner = ActiveLearner(GaussianNB(), batch_size=5, random_state=0)
label_loop(learner, X, CallbackOracle(answer), journal=AckJournal(sys.argv[1]),
           random_state=0, log=sys.stderr)
print("finished", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_session_loses_no_acknowledged_label(tmp_path):
    path = tmp_path / "labels.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO), "OPENBLAS_NUM_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(CHILD), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    acked = {}
    try:
        for line in proc.stdout:
            assert line.startswith("ack"), line
            _, sid, label = line.split()
            acked[int(sid)] = int(label)
            if len(acked) == 40:  # mid-session (iris has 150 rows)
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    journal = LabelJournal(path)
    labels = journal.labels()  # the journal still reads
    assert journal.n_damaged <= 1  # at most the write the kill cut short
    for sid, label in acked.items():
        assert labels[sid] == label
    assert len(labels) < 150

    # resume: the labels already given are not asked again
    X, y = load_iris(return_X_y=True)
    asked = []

    class Recording(SimulatedOracle):
        def label(self, indices, X=None):
            asked.extend(np.asarray(indices).tolist())
            return super().label(indices, X)

    learner = ActiveLearner(GaussianNB(), batch_size=5, random_state=0)
    budget = len(labels) + 10
    learner, y_out = label_loop(
        learner,
        X,
        Recording(y),
        journal=LabelJournal(path),
        budget=budget,
        log=open(os.devnull, "w"),
    )
    assert not set(asked) & set(labels) and len(asked) == 10
    assert int((y_out != -1).sum()) == budget
    assert LabelJournal(path).labels().keys() == set(labels) | set(asked)
    assert int(learner.labeled_mask_.sum()) == budget


def test_learner_pickles_mid_loop_and_continues():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(
        GaussianNB(), query_strategy="margin", batch_size=4, random_state=0
    ).fit(X, make_pool(y, 10, random_state=0))
    idx = learner.query()
    learner.teach(X[idx], y[idx])
    copy = pickle.loads(pickle.dumps(learner))
    for model in (learner, copy):
        idx = model.query()
        model.teach(X[idx], y[idx])
    np.testing.assert_array_equal(learner.labeled_mask_, copy.labeled_mask_)
    assert learner.labeled_mask_.sum() == 18
    np.testing.assert_array_equal(learner.predict(X), copy.predict(X))
