"""CrowdLayerClassifier: the loss by hand, a swapping annotator, the peer, bad input."""

import copy

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402

from skal.torch import MLP, CrowdLayerClassifier  # noqa: E402
from skal.torch._crowd_layer_module import (  # noqa: E402
    crowd_layer_logits,
    masked_crowd_loss,
)


def _np_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _np_loss(class_logits, W, codes):
    """Mean over labeled pairs of -log softmax(softmax(f) W_a)[y_ia]."""
    p = _np_softmax(class_logits)
    terms = []
    for i, a in zip(*np.nonzero(codes >= 0)):
        q = _np_softmax(p[i] @ W[a])
        terms.append(-np.log(q[codes[i, a]]))
    return np.mean(terms)


def _blobs(n=150, seed=0):
    X, y = make_blobs(n, centers=[[-3, 0], [0, 3], [3, 0]], random_state=seed)
    return X.astype(np.float32), y


def _params(**extra):
    return {
        "module__n_features": 2,
        "module__n_classes": 3,
        "module__hidden_units": 16,
        "module__dropout": 0.0,
        "optimizer": torch.optim.Adam,
        "lr": 0.02,
        "max_epochs": 60,
        "batch_size": 32,
        **extra,
    }


# ------------------------------------------------------------ (1) the loss
def test_loss_matches_numpy_for_fixed_matrices():
    rng = np.random.RandomState(0)
    logits = rng.randn(6, 3)
    W = rng.randn(4, 3, 3)
    codes = rng.randint(-1, 3, size=(6, 4))
    loss = masked_crowd_loss(
        crowd_layer_logits(torch.tensor(logits), torch.tensor(W)), torch.tensor(codes)
    )
    assert loss.item() == pytest.approx(_np_loss(logits, W, codes), rel=1e-10)


def test_training_loss_is_the_masked_cross_entropy():
    # A fixed linear network, lr=0 and one full batch: the epoch's train_loss
    # is the loss at the initial weights (identity crowd matrices).
    rng = np.random.RandomState(1)
    X = rng.randn(8, 3).astype(np.float32)
    Y = rng.randint(0, 3, size=(8, 2)).astype(float)
    Y[rng.rand(8, 2) < 0.4] = np.nan
    Y[0] = np.nan  # a sample nobody labeled: left out
    Y[1] = [0, 2]
    Y[2] = [1, 1]
    net = torch.nn.Linear(3, 3)
    with torch.no_grad():
        net.weight.copy_(torch.tensor(rng.randn(3, 3)))
        net.bias.copy_(torch.tensor(rng.randn(3)))
    params = {"lr": 0.0, "max_epochs": 1, "batch_size": 8}
    clf = CrowdLayerClassifier(net, neural_net_param_dict=params).fit(X, Y)
    codes = np.where(np.isnan(Y), -1, Y).astype(int)
    f = X @ net.weight.detach().numpy().T + net.bias.detach().numpy()
    expected = _np_loss(f, np.tile(np.eye(3), (2, 1, 1)), codes)
    got = clf.neural_net_.history[-1, "train_loss"]
    assert got == pytest.approx(expected, rel=1e-5)
    np.testing.assert_allclose(clf.annotator_matrices_, np.tile(np.eye(3), (2, 1, 1)))
    np.testing.assert_allclose(clf.predict_proba(X), _np_softmax(f), atol=1e-6)
    # the skorch criterion on other fixed matrices
    W = rng.randn(2, 3, 3)
    with torch.no_grad():
        clf.neural_net_.module_.matrices.copy_(torch.tensor(W))
    y_pred = clf.neural_net_.infer(torch.as_tensor(X))
    loss = clf.neural_net_.get_loss(y_pred, torch.as_tensor(codes), training=False)
    assert loss.item() == pytest.approx(_np_loss(f, W, codes), rel=1e-5)
    # the network is a copy: the caller's module is not trained
    assert net.weight.grad is None


# ----------------------------------------------------- (2) a swapping annotator
def test_swapping_annotator_goes_off_diagonal():
    X, y = _blobs()
    rng = np.random.RandomState(0)
    swap = np.array([1, 0, 2])[y]
    noisy = np.where(rng.rand(len(y)) < 0.15, rng.randint(0, 3, len(y)), y)
    Y = np.stack([y, noisy, swap], axis=1).astype(float)
    Y[rng.rand(*Y.shape) < 0.2] = np.nan
    clf = CrowdLayerClassifier(MLP, neural_net_param_dict=_params(), random_state=0)
    clf.fit(X, Y)
    W = clf.annotator_matrices_
    assert W.shape == (3, 3, 3)
    assert W[2].argmax(axis=1).tolist() == [1, 0, 2]  # the swap, learned
    assert W[2, 0, 1] > W[2, 0, 0] and W[2, 1, 0] > W[2, 1, 1]
    assert W[0].argmax(axis=1).tolist() == [0, 1, 2]
    acc = (clf.predict(X) == y).mean()
    alone = clone(clf).fit(X, Y[:, [2]])  # the swapper's labels only
    acc_alone = (alone.predict(X) == y).mean()
    assert acc > 0.95
    assert acc_alone < 0.5  # it learns classes 0 and 1 swapped
    perf = clf.predict_annotator_perf(X)
    assert perf.shape == (150, 3)
    wrong = y < 2  # the swapper is wrong on classes 0 and 1, right on 2
    assert perf[wrong, 2].mean() < 0.1 and perf[wrong, 0].mean() > 0.9
    assert perf[~wrong, 2].mean() > 0.9
    Q = clf.predict_annotator_proba(X)
    np.testing.assert_allclose(Q.sum(axis=2), 1.0, atol=1e-6)
    assert (Q[y == 0, 2].argmax(axis=1) == 1).mean() > 0.9


# ---------------------------------------------------------------- (3) the peer
def test_agrees_with_scikit_activeml_full_batch():
    multi = pytest.importorskip("skactiveml.classifier.multiannotator")
    X, y = _blobs(60, seed=1)
    rng = np.random.RandomState(2)
    Y = np.stack([y, np.array([1, 0, 2])[y], y], axis=1).astype(float)
    Y[rng.rand(*Y.shape) < 0.3] = np.nan
    Y[5] = np.nan
    torch.manual_seed(0)
    net = MLP(2, n_classes=3, hidden_units=8, dropout=0.0)
    params = {"max_epochs": 15, "batch_size": 64, "lr": 0.1, "verbose": 0}
    ours = CrowdLayerClassifier(net, neural_net_param_dict=params).fit(X, Y)
    peer = multi.CrowdLayerClassifier(
        copy.deepcopy(net), neural_net_param_dict=params, random_state=0
    )
    peer.fit(X, Y)  # one full batch, no dropout: the same gradient steps
    np.testing.assert_array_equal(ours.classes_, peer.classes_)
    np.testing.assert_allclose(
        ours.annotator_matrices_,
        peer.neural_net_.module_.W_annot.detach().numpy(),
        atol=1e-5,
    )
    P, perf, Q = peer.predict_proba(
        X, extra_outputs=["annotator_perf", "annotator_class"]
    )
    np.testing.assert_allclose(ours.predict_proba(X), P, atol=1e-5)
    np.testing.assert_allclose(ours.predict_annotator_perf(X), perf, atol=1e-5)
    np.testing.assert_allclose(ours.predict_annotator_proba(X), Q, atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), peer.predict(X))
    assert np.abs(ours.annotator_matrices_ - np.eye(3)).max() > 0.01  # trained


# ---------------------------------------------------- (4) input and citizenship
@pytest.fixture
def data():
    X, y = _blobs(30)
    return X, np.stack([y, y], axis=1).astype(float)


def _clf(**kw):
    return CrowdLayerClassifier(
        MLP, neural_net_param_dict=_params(max_epochs=1), random_state=0, **kw
    )


def test_bad_input(data):
    X, Y = data
    with pytest.raises(ValueError, match="2-D array"):
        _clf().fit(X, Y[:, 0])
    with pytest.raises(ValueError, match="no label"):
        _clf().fit(X, np.full_like(Y, np.nan))
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        _clf().fit(X_nan, Y)
    with pytest.raises(ValueError, match="n_annotators=3"):
        _clf(n_annotators=3).fit(X, Y)
    with pytest.raises(ValueError, match="one row per sample"):
        _clf().fit(X[:10], Y)
    with pytest.raises(ValueError, match="one class only"):
        _clf().fit(X, np.zeros_like(Y))
    with pytest.raises(ValueError, match="not in classes"):
        _clf(classes=[0, 1]).fit(X, Y)
    wrong = CrowdLayerClassifier(MLP, neural_net_param_dict={"module__n_features": 2})
    with pytest.raises(ValueError, match="'module__n_classes': 3"):
        wrong.fit(X, Y)  # MLP's default 10 outputs for 3 classes
    for key, value in [("criterion", torch.nn.NLLLoss), ("train_split", 0.2)]:
        bad = CrowdLayerClassifier(MLP, neural_net_param_dict={key: value})
        with pytest.raises(ValueError, match=key):
            bad.fit(X, Y)
    with pytest.raises(TypeError, match="torch.nn.Module"):
        CrowdLayerClassifier(torch.optim.SGD).fit(X, Y)
    with pytest.raises(ValueError, match="cost_matrix"):
        _clf(cost_matrix=np.ones((2, 2))).fit(X, Y)
    clf = _clf().fit(X, Y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :1])


def test_labels_costs_and_seeding(data):
    X, Y = data
    names = np.array(["a", "b", "c"], dtype=object)[Y.astype(int)]
    names[0, 0] = None
    clf = _clf(missing_label=None).fit(X, names)
    assert clf.classes_.tolist() == ["a", "b", "c"]
    assert set(clf.predict(X)) <= {"a", "b", "c"}
    # costs, in the order (c, b, a): missing a true "a" costs 100
    C = np.array([[0, 1, 1], [1, 0, 1], [100, 100, 0]])

    def cost(p, j):  # p over (a, b, c); C in the order (c, b, a)
        return sum(p["abc".index(t)] * C["cba".index(t), "cba".index(j)] for t in "abc")

    costly = _clf(classes=["c", "b", "a"], cost_matrix=C, missing_label=None)
    costly.fit(X, names)
    np.testing.assert_array_equal(costly.cost_matrix_, C[::-1, ::-1])
    np.testing.assert_allclose(costly.predict_proba(X), clf.predict_proba(X))
    P = costly.predict_proba(X)
    by_hand = [min("cba", key=lambda j: cost(p, j)) for p in P]
    assert costly.predict(X).tolist() == by_hand
    assert (costly.predict(X) == "a").sum() > (clf.predict(X) == "a").sum()
    # the same seed gives the same net; the global torch RNG is untouched
    state = torch.random.get_rng_state()
    again = _clf(missing_label=None).fit(X, names)
    assert torch.equal(state, torch.random.get_rng_state())
    np.testing.assert_allclose(again.predict_proba(X), clf.predict_proba(X))


def test_clone_and_params(data):
    X, Y = data
    clf = _clf(n_annotators=2)
    assert CrowdLayerClassifier._annotator_matrix is True
    params = clf.get_params()
    assert params["n_annotators"] == 2 and params["clf_module"] is MLP
    twin = clone(clf).set_params(classes=[0, 1, 2], missing_label=-1)
    assert twin.get_params()["missing_label"] == -1
    assert clf.get_params()["classes"] is None
    twin.fit(X, np.where(np.isnan(Y), -1, Y))
    assert twin.n_annotators_ == 2 and twin.n_features_in_ == 2
    assert not hasattr(clf, "classes_")
    with pytest.raises(ValueError, match="n_annotators"):
        clone(clf).set_params(n_annotators=0).fit(X, Y)
