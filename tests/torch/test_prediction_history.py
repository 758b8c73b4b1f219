"""PredictionHistory: what it records, what the adapter replays, the learner's query."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.utils._param_validation import InvalidParameterError  # noqa: E402
from skorch import NeuralNetClassifier  # noqa: E402

from skal import ActiveLearner, BayesianLearner  # noqa: E402
from skal.strategies import LabelDispersion, label_dispersion  # noqa: E402
from skal.torch import (  # noqa: E402
    MLP,
    PredictionHistory,
    SkorchAdapter,
    replay_predictions,
)


def _net(callback, epochs=6, batch_size=10):
    return NeuralNetClassifier(
        MLP,
        module__n_features=4,
        module__n_classes=3,
        module__hidden_units=8,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=0.05,
        max_epochs=epochs,
        batch_size=batch_size,
        train_split=None,
        verbose=0,
        callbacks=[callback],
    )


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.randn(60, 4).astype(np.float32)
    y = np.where(X[:, 0] > 0.3, 2, np.where(X[:, 1] > 0, 1, 0))
    return X, y


def test_records_every_k_epochs_and_steps(data):
    X, y = data
    net = _net(PredictionHistory(every=2), epochs=6).fit(X[:30], y[:30])
    assert len(net.callbacks[0].snapshots_) == 3
    # 30 rows, batch 10: 3 steps an epoch, 18 steps; every 4 steps -> 4 recordings
    net = _net(PredictionHistory(every=4, unit="step"), epochs=6).fit(X[:30], y[:30])
    assert net.callbacks[0].n_steps_ == 18
    assert len(net.callbacks[0].snapshots_) == 4
    net = _net(PredictionHistory(max_recordings=2), epochs=6).fit(X[:30], y[:30])
    assert len(net.callbacks[0].snapshots_) == 2


def test_bad_parameter_raises_at_fit(data):
    X, y = data
    with pytest.raises(InvalidParameterError, match="'every' parameter"):
        _net(PredictionHistory(every=0)).fit(X[:30], y[:30])


def test_last_recording_is_the_final_net(data):
    X, y = data
    net = _net(PredictionHistory(), epochs=4).fit(X[:30], y[:30])
    hist = replay_predictions(net, X)
    assert hist.shape == (4, 60)
    net.module_.eval()
    with torch.no_grad():
        final = net.module_(torch.as_tensor(X)).argmax(1).numpy()
    np.testing.assert_array_equal(hist[-1], final)
    assert not np.array_equal(hist[0], hist[-1])  # the net changed its mind


def test_replay_needs_the_callback(data):
    X, y = data
    net = NeuralNetClassifier(
        MLP,
        module__n_features=4,
        module__n_classes=3,
        max_epochs=1,
        train_split=None,
        verbose=0,
    ).fit(X[:30], y[:30])
    with pytest.raises(ValueError, match="add a skal.torch.PredictionHistory"):
        replay_predictions(net, X)
    assert not hasattr(
        SkorchAdapter(net, min_steps=0).fit(X[:30], y[:30]), "prediction_history"
    )


def test_adapter_history_in_labels_and_learner_query(data):
    X, y = data
    labels = np.array(["a", "b", "c"])[y]
    adapter = SkorchAdapter(_net(PredictionHistory()), min_steps=0, random_state=0)
    adapter.fit(X[:30], labels[:30])
    hist = adapter.prediction_history(X)
    assert hist.shape == (6, 60) and set(np.unique(hist)) <= {"a", "b", "c"}
    y_pool = np.concatenate([labels[:30], np.full(30, "")])
    for learner in (
        ActiveLearner(
            adapter,
            query_strategy="label_dispersion",
            batch_size=4,
            missing_label="",
            random_state=0,
        ),
        BayesianLearner(
            _net(PredictionHistory()),
            n_samples=2,
            query_strategy=LabelDispersion(),
            batch_size=4,
            missing_label="",
            random_state=0,
        ),
    ):
        learner.fit(X, y_pool)
        idx, scores = learner.query(return_scores=True)
        pool = np.flatnonzero(~learner.labeled_mask_)
        expected = label_dispersion(learner.estimator_.prediction_history(X[pool]))
        assert set(idx) <= set(pool)
        np.testing.assert_allclose(scores, np.sort(expected)[::-1][:4])
