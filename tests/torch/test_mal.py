"""MAL: the two-stage choice by hand, the minimax gradients, training, the contract."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from sklearn.datasets import load_digits  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.utils._param_validation import InvalidParameterError  # noqa: E402

from skal import ActiveLearner  # noqa: E402
from skal.strategies import (  # noqa: E402
    QueryContext,
    resolve_strategy,
    shortlist_by_entropy,
)
from skal.torch import MAL  # noqa: E402
from skal.torch._mal import (  # noqa: E402
    CosineClassifier,
    entropy,
    reverse_gradient,
)

SMALL = {
    "latent_dim": 8,
    "hidden_units": 32,
    "n_steps": 100,
    "lr": 3e-3,
    "batch_size": 32,
    "random_state": 0,
}


def test_shortlist_then_entropy_by_hand():
    d = np.array([0.9, 0.1, 0.2, 0.3, 0.05, 0.15])
    h = np.array([2.0, 0.5, 1.0, 1.5, 0.1, 0.7])
    rng = np.random.RandomState(0)
    # shortlist of ceil(2 * 2) = 4 lowest D: rows 4, 1, 5, 2; entropies 0.1,
    # 0.5, 0.7, 1.0 -> rows 2 then 5 (rows 0 and 3 have higher entropy but
    # look labeled)
    idx, scores = shortlist_by_entropy(d, h, 2, 2.0, rng)
    assert idx.tolist() == [2, 5]
    np.testing.assert_allclose(scores, [1.0, 0.7])
    # factor 1: the discriminator alone decides the rows
    assert sorted(shortlist_by_entropy(d, h, 2, 1.0, rng)[0].tolist()) == [1, 4]


def test_entropy_and_cosine_classifier():
    logits = torch.log(torch.tensor([[0.5, 0.5], [1.0, 1e-30]]))
    np.testing.assert_allclose(entropy(logits).numpy(), [np.log(2), 0.0], atol=1e-6)
    clf = CosineClassifier(2, 2, temperature=0.5)
    with torch.no_grad():
        clf.prototypes.weight.copy_(torch.tensor([[2.0, 0.0], [0.0, 3.0]]))
    # cosines of (1, 1)/sqrt 2 with the axes, over T = 0.5
    out = clf(torch.tensor([[5.0, 5.0]]))
    np.testing.assert_allclose(out.detach().numpy(), [[2 / np.sqrt(2)] * 2], rtol=1e-6)


def test_minimax_gradients_have_opposite_signs():
    torch.manual_seed(0)
    encoder, classifier = torch.nn.Linear(3, 4), CosineClassifier(4, 3, 1.0)
    x = torch.randn(5, 3)

    def grads(reverse):
        encoder.zero_grad()
        classifier.zero_grad()
        f = encoder(x)
        h = entropy(classifier(reverse_gradient(f) if reverse else f)).mean()
        (-h).backward()  # what MAL's loss holds for the entropy (weight 1)
        return encoder.weight.grad.clone(), classifier.prototypes.weight.grad.clone()

    enc_plain, clf_plain = grads(False)
    enc_rev, clf_rev = grads(True)
    np.testing.assert_allclose(clf_rev.numpy(), clf_plain.numpy(), rtol=1e-5)
    np.testing.assert_allclose(enc_rev.numpy(), -enc_plain.numpy(), rtol=1e-5)


def _fixed_networks(self, X_labeled, y_codes, n_classes, X_unlabeled, seed):
    def encode(x):
        return x[:, :2]

    def classify(f):  # two classes; logits (f1, 0): entropy peaks at f1 = 0
        return torch.stack([f[:, 1], torch.zeros_like(f[:, 1])], dim=1)

    return encode, classify, (lambda f: 3.0 * f[:, 0])


def test_selection_on_fixed_networks(monkeypatch):
    monkeypatch.setattr(MAL, "_fit_networks", _fixed_networks)
    # standardised columns: col 0 decides D, col 1 the entropy
    pool = np.array([[-2.0, 0.0], [-1.0, 3.0], [-1.5, 0.2], [2.0, 0.0], [0.0, 0.1]])
    labeled = np.array([[2.5, 0.0], [0.0, 0.0]])
    ctx = QueryContext(pool, X_labeled=labeled, y_labeled=[0, 1], classes=[0, 1])
    strategy = MAL(shortlist=1.5)
    idx, scores = strategy.select(ctx, 2)
    both = np.vstack([labeled, pool])
    z = (pool - both.mean(0)) / both.std(0)
    d = 1 / (1 + np.exp(-3 * z[:, 0]))
    p = 1 / (1 + np.exp(-z[:, 1]))
    h = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    np.testing.assert_allclose(strategy.labeled_proba_, d, rtol=1e-5)
    np.testing.assert_allclose(strategy.entropy_, h, rtol=1e-5)
    # shortlist of 3 lowest D: rows 0, 2, 1. Column 1 has mean 3.3 / 7, so
    # row 2 (0.2) is nearest the entropy peak, then row 0 (0.0); row 1 (3.0)
    # is confident
    assert np.argsort(d)[:3].tolist() == [0, 2, 1]
    assert idx.tolist() == [2, 0]
    np.testing.assert_allclose(scores, h[[2, 0]], rtol=1e-5)
    assert h[2] > h[0] > h[1]


def test_digit_images_of_unseen_classes():
    X, y = load_digits(return_X_y=True)
    images = (X / 16.0).reshape(-1, 8, 8)
    seen = np.flatnonzero(y < 5)
    labeled, pool_seen = seen[:50], seen[50:150]
    pool = np.concatenate([pool_seen, np.flatnonzero(y >= 5)[:100]])
    ctx = QueryContext(images[pool], X_labeled=images[labeled], y_labeled=y[labeled])
    strategy = MAL(**SMALL)
    idx, _ = strategy.select(ctx, 10)
    assert (y[pool[idx]] >= 5).sum() >= 8
    assert strategy.entropy_.shape == (200,)


def test_contract_and_errors():
    X, y = load_digits(return_X_y=True)
    X, y = X[:300], y[:300]
    y_pool = np.full(300, -1)
    y_pool[:40] = y[:40]
    learner = ActiveLearner(
        LogisticRegression(max_iter=200),
        query_strategy=MAL(**{**SMALL, "n_steps": 30}),
        batch_size=5,
        random_state=0,
    ).fit(X, y_pool)
    idx = learner.query()
    assert len(set(idx)) == 5 and (idx >= 40).all()
    assert isinstance(resolve_strategy("mal"), MAL)
    ctx = QueryContext(X[:10], random_state=0)
    assert (
        MAL().select(ctx, 3)[0].tolist()
        == np.random.RandomState(0).permutation(10)[:3].tolist()
    )
    with pytest.raises(InvalidParameterError, match="'shortlist' parameter"):
        MAL(shortlist=0.5).select(ctx, 1)
