"""VAAL: selection on a fixed discriminator, what training learns, the contract."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from sklearn.datasets import load_digits  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.utils._param_validation import InvalidParameterError  # noqa: E402

from skal import ActiveLearner  # noqa: E402
from skal.strategies import QueryContext, resolve_strategy  # noqa: E402
from skal.torch import VAAL, VAE  # noqa: E402
from skal.torch._vaal import vae_loss  # noqa: E402

SMALL = {
    "latent_dim": 8,
    "hidden_units": 32,
    "n_steps": 100,
    "lr": 3e-3,
    "batch_size": 32,
    "random_state": 0,
}


def _fixed_networks(self, X_labeled, X_unlabeled, seed):
    # the code is the first feature; D(z) = sigmoid(2 z)
    return (lambda x: x[:, :1]), (lambda z: 2.0 * z[:, 0])


def test_selection_on_a_fixed_discriminator(monkeypatch):
    monkeypatch.setattr(VAAL, "_fit_networks", _fixed_networks)
    pool = np.array([[1.0, 5.0], [-1.0, 0.0], [0.0, 1.0], [-3.0, 2.0]])
    # standardised over labeled + pool: first column of all six rows
    labeled = np.array([[3.0, 0.0], [0.0, 0.0]])
    col = np.concatenate([labeled[:, 0], pool[:, 0]])
    z = (pool[:, 0] - col.mean()) / col.std()
    expected = 1.0 - 1.0 / (1.0 + np.exp(-2.0 * z))
    ctx = QueryContext(pool, X_labeled=labeled, y_labeled=[0, 1])
    idx, scores = VAAL().select(ctx, 2)
    assert idx.tolist() == [3, 1]  # the two least "labeled"
    np.testing.assert_allclose(scores, expected[[3, 1]], rtol=1e-6)
    # by hand: column 3, 0, 1, -1, 0, -3 has mean 0 and std sqrt(20 / 6), so
    # z = -3 / std and -1 / std, and 1 - D = 1 / (1 + exp(-2 |z|))
    std = np.sqrt(20 / 6)
    np.testing.assert_allclose(
        scores, [1 / (1 + np.exp(-6 / std)), 1 / (1 + np.exp(-2 / std))]
    )
    np.testing.assert_allclose(scores, [0.96396, 0.74941], atol=1e-5)


def test_vae_loss_by_hand():
    x = torch.tensor([[1.0, 2.0]])
    rec = torch.tensor([[0.0, 2.0]])
    mu, logvar = torch.tensor([[1.0]]), torch.tensor([[0.0]])
    # error 1; KL = -0.5 (1 + 0 - 1 - 1) = 0.5
    assert float(vae_loss(x, rec, mu, logvar, beta=2.0)) == pytest.approx(2.0)
    assert [t.shape for t in VAE(2, 3, 5)(x)] == [(1, 2), (1, 3), (1, 3)]


def test_digit_images_of_unseen_classes():
    X, y = load_digits(return_X_y=True)
    images = (X / 16.0).reshape(-1, 8, 8)
    seen = np.flatnonzero(y < 5)
    labeled, pool_seen = seen[:50], seen[50:150]
    pool = np.concatenate([pool_seen, np.flatnonzero(y >= 5)[:100]])
    ctx = QueryContext(images[pool], X_labeled=images[labeled], y_labeled=y[labeled])
    strategy = VAAL(**SMALL)
    idx, _ = strategy.select(ctx, 10)
    assert (y[pool[idx]] >= 5).all()  # digits 5-9, unlike every labeled one
    assert strategy.vae_.mu.out_features == 8


def test_no_labels_is_random_and_errors():
    pool = np.random.RandomState(0).randn(10, 2)
    ctx = QueryContext(pool, random_state=0)
    assert VAAL.requires_model is False
    idx, _ = VAAL().select(ctx, 3)
    assert idx.tolist() == np.argsort(-np.random.RandomState(0).rand(10))[:3].tolist()
    with pytest.raises(InvalidParameterError, match="'n_steps' parameter"):
        VAAL(n_steps=0).select(ctx, 1)
    words = np.array([["a"], ["b"]], dtype=object)
    bad = QueryContext(words, X_labeled=words[:1], y_labeled=[0])
    with pytest.raises(TypeError, match="must be numeric"):
        VAAL().select(bad, 1)


def test_with_any_learner():
    X, y = load_digits(return_X_y=True)
    X, y = X[:300], y[:300]
    y_pool = np.full(300, -1)
    y_pool[:40] = y[:40]
    learner = ActiveLearner(
        LogisticRegression(max_iter=200),
        query_strategy=VAAL(**{**SMALL, "n_steps": 30}),
        batch_size=5,
        random_state=0,
    ).fit(X, y_pool)
    idx = learner.query()
    assert len(set(idx)) == 5 and (idx >= 40).all()
    assert isinstance(resolve_strategy("vaal"), VAAL)


def test_a_dataframe_trains_the_same_networks_as_its_array():
    pd = pytest.importorskip("pandas")
    X, y = load_digits(return_X_y=True)
    X = X[:120, ::4] / 16  # 16 features: a DataFrame of them is column major
    frame = pd.DataFrame(X)
    assert not frame.to_numpy().flags["C_CONTIGUOUS"]
    scores = []
    for pool, labeled in ((X[20:], X[:20]), (frame.iloc[20:], frame.iloc[:20])):
        ctx = QueryContext(pool, X_labeled=labeled, y_labeled=y[:20])
        scores.append(VAAL(**SMALL).score(ctx))
    # the same bits: the standardisation sums run in one order
    np.testing.assert_array_equal(scores[0], scores[1])
