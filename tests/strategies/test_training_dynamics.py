"""Label dispersion, forgetting events and predicted loss, on hand-made signals."""

import numpy as np
import pytest

from skal.strategies import (
    LabelDispersion,
    PredictedLoss,
    QueryContext,
    forgetting_events,
    label_dispersion,
    resolve_strategy,
)

# 4 recordings (rows) of the classes predicted for 3 pool rows (columns)
HISTORY = np.array([[0, 1, 2], [0, 2, 2], [0, 1, 1], [0, 0, 2]])


def test_label_dispersion_by_hand():
    # row 0: always 0 -> 1 - 4/4; row 1: 1,2,1,0 -> mode 1 twice -> 1 - 2/4;
    # row 2: 2,2,1,2 -> 1 - 3/4
    np.testing.assert_allclose(label_dispersion(HISTORY), [0.0, 0.5, 0.25])


def test_label_dispersion_any_labels_and_single_recording():
    hist = np.array([["a", "b"], ["a", "c"], ["b", "c"]])
    np.testing.assert_allclose(label_dispersion(hist), [1 / 3, 1 / 3])
    np.testing.assert_allclose(label_dispersion([[3, 4]]), [0.0, 0.0])


def test_label_dispersion_rejects_bad_shape():
    with pytest.raises(ValueError, match=r"shape \(n_recordings, n_rows\).*\(3,\)"):
        label_dispersion([1, 2, 3])


def test_forgetting_events_by_hand():
    # row 0 (y=1): right, wrong, right, wrong -> 2 events; row 1 (y=0): right,
    # right, wrong, right -> 1 event; row 2 (y=5) is never right -> 0
    hist = [[1, 0, 0], [0, 0, 1], [1, 1, 2], [0, 0, 3]]
    assert forgetting_events(hist, [1, 0, 5]).tolist() == [2, 1, 0]
    with pytest.raises(ValueError, match="y shape"):
        forgetting_events(hist, [1, 0])


def test_label_dispersion_strategy_picks_and_forgetting():
    labeled_hist = np.array([[1, 1], [0, 1], [1, 1]])

    def provider(X):
        return labeled_hist if X.shape[0] == 2 else HISTORY[:, X[:, 0].astype(int)]

    ctx = QueryContext(
        np.arange(3.0)[:, None],
        signals={"prediction_history": provider},
        X_labeled=np.zeros((2, 1)),
        y_labeled=np.array([1, 1]),
        classes=np.array([0, 1, 2]),
    )
    strategy = LabelDispersion()
    idx, scores = strategy.select(ctx, 2)
    assert idx.tolist() == [1, 2]
    np.testing.assert_allclose(scores, [0.5, 0.25])
    assert strategy.forgetting_events_.tolist() == [1, 0]
    assert strategy.n_recordings_ == 4
    # the candidates may be a subset, in any order
    sub = QueryContext(
        np.arange(3.0)[:, None], [2, 0], signals={"prediction_history": provider}
    )
    assert LabelDispersion().select(sub, 1)[0].tolist() == [0]


def test_label_dispersion_needs_history():
    ctx = QueryContext(np.zeros((3, 1)), signals={"proba": lambda X: X})
    with pytest.raises(TypeError, match=r"needs prediction_history.*PredictionHistory"):
        LabelDispersion().select(ctx, 1)


def test_predicted_loss_picks_the_largest():
    ctx = QueryContext(
        np.array([[0.5], [2.0], [1.0], [-1.0]]),
        signals={"predicted_loss": lambda X: X[:, 0]},
    )
    idx, scores = PredictedLoss().select(ctx, 3)
    assert idx.tolist() == [1, 2, 0]
    np.testing.assert_allclose(scores, [2.0, 1.0, 0.5])
    bare = QueryContext(np.zeros((2, 1)), signals={"proba": lambda X: X})
    with pytest.raises(TypeError, match=r"needs predict_loss.*LossPredictionNet"):
        PredictedLoss().select(bare, 1)


def test_registered_names():
    assert isinstance(resolve_strategy("label_dispersion"), LabelDispersion)
    assert isinstance(resolve_strategy("predicted_loss"), PredictedLoss)
