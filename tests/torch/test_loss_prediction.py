"""Loss prediction (Yoo & Kweon 2019): the ranking loss by hand, the head, the net."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from scipy.stats import spearmanr  # noqa: E402
from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.utils._param_validation import InvalidParameterError  # noqa: E402

from skal import ActiveLearner  # noqa: E402
from skal.torch import (  # noqa: E402
    MLP,
    GalCNN,
    LossPredictionModule,
    LossPredictionNet,
    loss_prediction_loss,
)


def test_ranking_loss_on_fixed_pairs():
    # b = 6 -> pairs (0, 3), (1, 4), (2, 5)
    pred = torch.tensor([0.2, 1.0, 3.0, 0.0, 0.5, 1.0])
    true = torch.tensor([2.0, 1.0, 4.0, 1.0, 1.0, 0.0])
    # (0,3): l0 > l3 -> +1, gap 0.2 -> 1 - 0.2 = 0.8
    # (1,4): tie -> -1, gap 0.5 -> 1 + 0.5 = 1.5
    # (2,5): l2 > l5 -> +1, gap 2.0 -> max(0, 1 - 2) = 0
    assert float(loss_prediction_loss(pred, true)) == pytest.approx((0.8 + 1.5) / 3)
    assert float(loss_prediction_loss(pred, true, margin=0.0)) == pytest.approx(0.5 / 3)
    # an odd last row is dropped: b = 5 -> pairs (0, 2), (1, 3); row 4 dropped
    # (0,2): l0 < l2 -> -1, gap -2.8 -> 1 - 2.8 < 0 -> 0; (1,3): tie -> -1,
    # gap 1.0 -> 2.0
    assert float(loss_prediction_loss(pred[:5], true[:5])) == pytest.approx(1.0)
    assert float(loss_prediction_loss(pred[:1], true[:1])) == 0.0


def test_ranking_loss_gradient_and_detached_target():
    pred = torch.tensor([0.2, 0.0], requires_grad=True)
    true = torch.tensor([2.0, 1.0], requires_grad=True)
    loss_prediction_loss(pred, true).backward()  # 1 - (0.2 - 0.0) > 0
    assert pred.grad.tolist() == [-1.0, 1.0]
    assert true.grad is None


def test_module_taps_gap_and_errors():
    cnn = GalCNN(image_shape=(1, 8, 8), kernel_size=3, n_filters=4, dense_units=6)
    head = LossPredictionModule(cnn, taps=["conv.0", "dense"], head_units=5)
    logits, loss = head(torch.zeros(3, 8, 8))
    assert logits.shape == (3, 10) and loss.shape == (3,)
    # conv.0 is (3, 4, 6, 6), pooled to 4 channels; dense is (3, 6)
    assert [fc.in_features for fc in head.fcs] == [4, 6]
    assert head.out.in_features == 10
    with pytest.raises(ValueError, match=r"taps=\['nope'\] must name submodules"):
        LossPredictionModule(cnn, taps=["nope"])


def test_detached_features_stop_the_heads_gradient():
    torch.manual_seed(0)
    head = LossPredictionModule(MLP(4, n_classes=2, hidden_units=3))
    x = torch.randn(6, 4)
    head(x)[1].sum().backward()
    assert head.backbone.features[1].weight.grad.abs().sum() > 0
    head.zero_grad()
    head.detach_features = True
    head(x)[1].sum().backward()
    grad = head.backbone.features[1].weight.grad
    assert grad is None or float(grad.abs().sum()) == 0.0
    assert head.out.weight.grad.abs().sum() > 0


def _net(**kwargs):
    params = {
        "module__n_features": 4,
        "module__n_classes": 3,
        "module__hidden_units": 16,
        "head_units": 8,
        "optimizer": torch.optim.Adam,
        "lr": 0.02,
        "max_epochs": 4,
        "batch_size": 16,
        "verbose": 0,
        "random_state": 0,
    }
    params.update(kwargs)
    return LossPredictionNet(MLP, **params)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.randn(120, 4)
    y = np.where(X[:, 0] > 0.3, 2, np.where(X[:, 1] > 0, 1, 0))
    return X, y


def test_total_loss_is_task_plus_weighted_ranking(data):
    X, y = data
    net = _net(loss_weight=0.5).initialize()
    logits = torch.tensor([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    predicted = torch.tensor([0.0, 0.3])
    target = torch.tensor([0, 0])
    ce = torch.nn.functional.cross_entropy(logits, target, reduction="none")
    # ce[0] < ce[1] -> sign -1, gap -0.3 -> ranking 1 - 0.3 = 0.7
    expected = float(ce.mean()) + 0.5 * 0.7
    got = float(net.get_loss((logits, predicted), target))
    assert got == pytest.approx(expected)


def test_detach_after_epochs(data):
    X, y = data
    assert _net(max_epochs=3, detach_after=2).fit(X, y).module_.detach_features
    assert not _net(max_epochs=3, detach_after=3).fit(X, y).module_.detach_features
    with pytest.raises(InvalidParameterError, match="'margin' parameter"):
        _net(margin=-1.0).fit(X, y)


def test_labels_seeding_and_clone(data):
    X, y = data
    labels = np.array(["a", "b", "c"])[y]
    net = _net(module__n_classes=5).fit(X, labels)  # more outputs than classes
    assert net.classes_.tolist() == ["a", "b", "c"]
    proba = net.predict_proba(X)
    assert proba.shape == (120, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert set(net.predict(X)) <= {"a", "b", "c"}
    more = clone(net).fit(X[:60], labels[:60]).partial_fit(X[60:], labels[60:])
    assert more.classes_.tolist() == ["a", "b", "c"]
    assert len(more.history) == 2 * net.max_epochs
    with pytest.raises(ValueError, match=r"labels \['z'\] that are not in"):
        more.partial_fit(X[:2], np.array(["a", "z"]))
    again = clone(net).fit(X, labels)
    np.testing.assert_allclose(again.predict_loss(X), net.predict_loss(X), rtol=1e-5)
    with pytest.raises(ValueError, match="3 classes but the module has fewer outputs"):
        _net(module__n_classes=2).fit(X, y)


def test_head_ranks_the_true_losses():
    X, y = load_digits(return_X_y=True)
    X = (X[:400] / 16.0).reshape(-1, 8, 8)
    y = y[:400]
    net = LossPredictionNet(
        GalCNN,
        module__image_shape=(1, 8, 8),
        module__kernel_size=3,
        module__n_filters=4,
        module__dense_units=16,
        head_units=16,
        optimizer=torch.optim.Adam,
        lr=0.005,
        max_epochs=10,
        batch_size=32,
        verbose=0,
        random_state=0,
    ).fit(X[:200], y[:200])
    proba = net.predict_proba(X[200:])
    true_loss = -np.log(proba[np.arange(200), y[200:]] + 1e-12)
    rho = spearmanr(net.predict_loss(X[200:]), true_loss).statistic
    assert rho > 0.3


def test_active_learner_queries_the_highest_predicted_loss(data):
    X, y = data
    y_pool = np.full(120, -1)
    y_pool[:30] = y[:30]
    learner = ActiveLearner(
        _net(), query_strategy="predicted_loss", batch_size=5, random_state=0
    ).fit(X, y_pool)
    idx, scores = learner.query(return_scores=True)
    pool = np.flatnonzero(y_pool == -1)
    predicted = learner.estimator_.predict_loss(X[pool])
    np.testing.assert_array_equal(idx, pool[np.argsort(-predicted)[:5]])
    np.testing.assert_allclose(scores, np.sort(predicted)[::-1][:5], rtol=1e-6)
