"""AnnotMixClassifier: loss and mixup by hand, the peer, a swapper, bad input."""

import copy

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402
from sklearn.utils import check_random_state  # noqa: E402

from skal.torch import MLP, AnnotMixClassifier  # noqa: E402
from skal.torch._annot_mix_module import (  # noqa: E402
    AnnotMixCollate,
    AnnotMixLoss,
    annot_mix_log_proba,
    mixup,
)


def _np_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _np_annot(class_logits, conf_logits):
    """q = p @ softmax_rows(C) and perf = sum_c p_c softmax_rows(C)[c, c]."""
    p, P = _np_softmax(class_logits), _np_softmax(conf_logits)
    q = np.einsum("...c,...co->...o", p, P)
    return q, (p * np.diagonal(P, axis1=-2, axis2=-1)).sum(axis=-1)


def _blobs(n=150, seed=0):
    X, y = make_blobs(n, centers=[[-3, 0], [0, 3], [3, 0]], random_state=seed)
    return X.astype(np.float32), y


# ------------------------------------------------------------ (1) the loss
def test_log_proba_matches_numpy():
    rng = np.random.RandomState(0)
    logits, conf = rng.randn(5, 4, 3), rng.randn(5, 4, 3, 3)
    log_q, log_perf = annot_mix_log_proba(torch.tensor(logits), torch.tensor(conf))
    q, perf = _np_annot(logits, conf)
    np.testing.assert_allclose(log_q.exp().numpy(), q, rtol=1e-12)
    np.testing.assert_allclose(log_perf.exp().numpy(), perf, rtol=1e-12)


def test_training_loss_without_mixup_is_the_cross_entropy():
    # A fixed linear network, alpha=0, lr=0 and one full batch: the epoch's
    # train_loss is the mean -log q(x_i, a)[y_ia] over the labeled pairs.
    rng = np.random.RandomState(1)
    X = rng.randn(8, 3).astype(np.float32)
    Y = rng.randint(0, 3, size=(8, 2)).astype(float)
    Y[rng.rand(8, 2) < 0.4] = np.nan
    Y[0], Y[1], Y[2] = np.nan, [0, 2], [1, 1]  # sample 0: nobody, left out
    net = torch.nn.Linear(3, 3)
    params = {"lr": 0.0, "max_epochs": 1, "batch_size": 8}
    clf = AnnotMixClassifier(net, alpha=0.0, annotator_embed_dim=4)
    clf.set_params(neural_net_param_dict=params, random_state=3).fit(X, Y)
    m = clf.neural_net_.module_
    emb, head = m.annotator_embed, m.confusion_head[-1]
    E = np.eye(2) @ emb.weight.detach().numpy().T + emb.bias.detach().numpy()
    np.testing.assert_allclose(clf.annotator_embeddings_, E, rtol=1e-6)
    C = (E @ head.weight.detach().numpy().T + head.bias.detach().numpy()).reshape(
        2, 3, 3
    )
    f = X @ net.weight.detach().numpy().T + net.bias.detach().numpy()
    q, perf = _np_annot(f[:, None], C[None])
    rows, cols = np.nonzero(~np.isnan(Y))
    expected = -np.mean(np.log(q[rows, cols, Y[rows, cols].astype(int)]))
    assert clf.neural_net_.history[-1, "train_loss"] == pytest.approx(expected, 1e-5)
    np.testing.assert_allclose(clf.predict_proba(X), _np_softmax(f), atol=1e-6)
    np.testing.assert_allclose(clf.predict_annotator_proba(X), q, atol=1e-6)
    np.testing.assert_allclose(clf.predict_annotator_perf(X), perf, atol=1e-6)
    assert net.weight.grad is None  # the caller's module is a copy, untrained
    # the prior: with the output weights at zero every label is right w.p. eta
    with torch.no_grad():
        head.weight.zero_()
    np.testing.assert_allclose(clf.predict_annotator_perf(X), 0.9, atol=1e-6)
    P = clf.predict_annotator_proba(X)
    np.testing.assert_allclose(P.sum(axis=-1), 1.0, atol=1e-6)


# ----------------------------------------------------------- (2) the mixup
def test_mixup_and_collate_by_hand():
    rng = np.random.RandomState(2)
    x = rng.randn(3, 2).astype(np.float32)
    y = np.array([[0, -1], [2, 1], [-1, 1]])
    batch = [(x[i], y[i]) for i in range(3)]
    pairs = [(0, 0), (1, 0), (1, 1), (2, 1)]  # labeled (sample, annotator)
    torch.manual_seed(5)
    lam = torch.distributions.Beta(0.4, 0.4).sample((4,)).numpy()
    perm = torch.randperm(4).numpy()
    torch.manual_seed(5)
    Xa, t = AnnotMixCollate(n_classes=3, n_annotators=2, alpha=0.4)(batch)
    xs = x[[i for i, _ in pairs]]
    a = np.eye(2)[[j for _, j in pairs]]
    e = np.eye(3)[[y[i, j] for i, j in pairs]]
    L = lam[:, None]
    np.testing.assert_allclose(Xa["x"].numpy(), L * xs + (1 - L) * xs[perm], 1e-6)
    np.testing.assert_allclose(Xa["a"].numpy(), L * a + (1 - L) * a[perm], 1e-6)
    np.testing.assert_allclose(t.numpy(), L * e + (1 - L) * e[perm], 1e-6)
    # the KL loss of mixed targets: sum t (log t - log q) / n, 0 log 0 = 0
    log_q = torch.log_softmax(torch.tensor(rng.randn(4, 3)), dim=-1)
    T = t.double().numpy()
    kl = np.where(T > 0, T * (np.log(np.where(T > 0, T, 1)) - log_q.numpy()), 0)
    got = AnnotMixLoss()((None, log_q), t.double()).item()
    assert got == pytest.approx(kl.sum() / 4, rel=1e-10)
    # fixed lambda and permutation, one array of another shape
    (m,) = mixup(torch.arange(6.0).view(3, 2), lam=torch.tensor([1.0, 0.5, 0.0]),
                 perm=torch.tensor([2, 0, 1]))  # fmt: skip
    assert m.tolist() == [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]
    Xa, t = AnnotMixCollate(3, 2, alpha=0.0)(batch)  # off: the pairs as they are
    np.testing.assert_array_equal(Xa["x"].numpy(), xs)
    np.testing.assert_array_equal(t.numpy(), e)


# ---------------------------------------------------------------- (3) the peer
@pytest.mark.parametrize(
    "kw, batch_size",
    [
        ({"alpha": 0.0}, 64),
        ({"alpha": 0.5}, 64),
        ({"sample_embed_dim": 4, "n_hidden_layers": 1, "hidden_dropout": 0.1}, 16),
    ],
)
def test_agrees_with_scikit_activeml(kw, batch_size):
    multi = pytest.importorskip("skactiveml.classifier.multiannotator")
    X, y = _blobs(60, seed=1)
    rng = np.random.RandomState(2)
    Y = np.stack([y, np.array([1, 0, 2])[y], y], axis=1).astype(float)
    Y[rng.rand(*Y.shape) < 0.3] = np.nan
    Y[5] = np.nan
    torch.manual_seed(0)
    net = MLP(2, n_classes=3, hidden_units=8, dropout=0.0)
    params = {"max_epochs": 10, "batch_size": batch_size, "lr": 0.1}
    ours = AnnotMixClassifier(net, **kw, neural_net_param_dict=params, random_state=0)
    ours.fit(X, Y)
    peer = multi.AnnotMixClassifier(
        copy.deepcopy(net), **kw, neural_net_param_dict={**params, "verbose": 0}
    )
    # the peer draws from torch's global RNG: seed it as ours seeds its fork
    torch.manual_seed(int(check_random_state(0).randint(2**31 - 1)))
    peer.fit(X, Y)
    np.testing.assert_array_equal(ours.classes_, peer.classes_)
    np.testing.assert_allclose(
        ours.neural_net_.history[:, "train_loss"],
        peer.neural_net_.history[:, "train_loss"],
        rtol=1e-5,
    )
    P, perf, Q, A = peer.predict_proba(
        X, extra_outputs=["annotator_perf", "annotator_class", "annotator_embeddings"]
    )
    np.testing.assert_allclose(ours.predict_proba(X), P, atol=1e-5)
    np.testing.assert_allclose(ours.predict_annotator_perf(X), perf, atol=1e-5)
    np.testing.assert_allclose(ours.predict_annotator_proba(X), Q, atol=1e-5)
    np.testing.assert_allclose(ours.annotator_embeddings_, A, atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), peer.predict(X))


# ----------------------------------------------------- (4) a swapping annotator
def test_swapping_annotator_gets_low_performance():
    X, y = _blobs()
    rng = np.random.RandomState(0)
    swap = np.array([1, 0, 2])[y]
    noisy = np.where(rng.rand(len(y)) < 0.15, rng.randint(0, 3, len(y)), y)
    Y = np.stack([y, noisy, swap], axis=1).astype(float)
    Y[rng.rand(*Y.shape) < 0.2] = np.nan
    params = {
        "module__n_features": 2,
        "module__n_classes": 3,
        "module__hidden_units": 16,
        "module__dropout": 0.0,
        "optimizer": torch.optim.Adam,
        "lr": 0.02,
        "max_epochs": 60,
        "batch_size": 32,
    }
    clf = AnnotMixClassifier(MLP, neural_net_param_dict=params, random_state=0)
    clf.fit(X, Y)
    assert (clf.predict(X) == y).mean() > 0.95
    perf = clf.predict_annotator_perf(X)
    assert perf.shape == (150, 3) and ((perf >= 0) & (perf <= 1)).all()
    wrong = y < 2  # the swapper is wrong on classes 0 and 1, right on 2
    assert perf[wrong, 2].mean() < 0.2 and perf[wrong, 0].mean() > 0.8
    assert perf[~wrong, 2].mean() > 0.8
    assert perf[:, 0].mean() > perf[:, 1].mean() > perf[wrong, 2].mean()
    Q = clf.predict_annotator_proba(X)
    assert (Q[y == 0, 2].argmax(axis=1) == 1).mean() > 0.9


# ------------------------------------------------------------- (5) bad input
def _tiny():
    X, y = _blobs(30)
    return X, np.stack([y, y], axis=1).astype(float)


def _clf(**kw):
    params = {"module__n_features": 2, "module__n_classes": 3, "max_epochs": 1}
    return AnnotMixClassifier(MLP, neural_net_param_dict=params, **kw)


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda X, Y: (X, Y[:, 0]), "2-D|two-dimensional|n_annotators"),
        (lambda X, Y: (X, np.full_like(Y, np.nan)), "holds no label"),
        (lambda X, Y: (np.where(X > 1, np.nan, X), Y), "NaN"),
        (lambda X, Y: (X[:-1], Y), "rows"),
    ],
)
def test_bad_data(change, match):
    X, Y = change(*_tiny())
    with pytest.raises(ValueError, match=match):
        _clf().fit(X, Y)


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"n_annotators": 3}, "n_annotators=3"),
        ({"alpha": -0.5}, "alpha"),
        ({"eta": 1.0}, "eta"),
        ({"eta": 0.3}, r"1 / n_classes"),
        ({"hidden_dropout": 1.0}, "hidden_dropout"),
        ({"annotator_embed_dim": 0}, "annotator_embed_dim"),
        ({"neural_net_param_dict": {"iterator_train__collate_fn": None}}, "collate"),
        ({"neural_net_param_dict": {"train_split": 0.2}}, "train_split"),
        ({"clf_module": "mlp"}, "torch.nn.Module"),
    ],
)
def test_bad_parameters(kw, match):
    with pytest.raises((ValueError, TypeError), match=match):
        _clf().set_params(**kw).fit(*_tiny())


def test_wrong_number_of_outputs_and_unfitted():
    X, Y = _tiny()
    with pytest.raises(ValueError, match="one output per class"):
        AnnotMixClassifier(torch.nn.Linear(2, 2)).fit(X, Y)
    with pytest.raises(Exception, match="not fitted"):
        _clf().predict_proba(X)


def test_clone_params_and_cost_matrix():
    clf = _clf(alpha=0.2, eta=0.8, random_state=1)
    params = clf.get_params()
    assert params["alpha"] == 0.2 and params["eta"] == 0.8
    assert params["annotator_embed_dim"] == 16 and params["hidden_dim"] is None
    twin = clone(clf).set_params(sample_embed_dim=3)
    assert twin.sample_embed_dim == 3 and clf.sample_embed_dim == 0
    X, Y = _tiny()
    labels = np.array(["a", "b", "c"])[Y.astype(int)].astype(object)
    labels[0, 1] = None
    C = np.array([[0, 1, 1], [1, 0, 1], [50, 50, 0]], dtype=float)
    fitted = twin.set_params(cost_matrix=C, missing_label=None).fit(X, labels)
    assert fitted.classes_.tolist() == ["a", "b", "c"]
    assert set(fitted.predict(X)) == {"c"}  # class c costs 50 when missed
    a = clone(clf).fit(X, Y).predict_proba(X)
    np.testing.assert_array_equal(a, clone(clf).fit(X, Y).predict_proba(X))


def test_runs_inside_multi_annotator_learner():
    from skal.annotators import MultiAnnotatorLearner

    X, y = make_blobs(60, centers=2, random_state=0)
    X = X.astype(np.float32)
    Y = np.full((60, 3), np.nan)
    Y[:10, 0], Y[:10, 1], Y[5:15, 2] = y[:10], 1 - y[:10], y[5:15]
    params = {"module__n_features": 2, "module__n_classes": 2, "max_epochs": 2}
    model = AnnotMixClassifier(MLP, neural_net_param_dict=params, random_state=0)
    learner = MultiAnnotatorLearner(model, batch_size=2, random_state=0).fit(X, Y)
    fitted = learner.estimator_.estimator_
    assert isinstance(fitted, AnnotMixClassifier) and fitted.n_annotators_ == 3
    pairs = learner.query()
    assert (pairs[:, 0] >= 15).all()
    learner.teach(pairs[:, 0], pairs[:, 1], y[pairs[:, 0]])
    assert learner.predict_proba(X[:4]).shape == (4, 2)
