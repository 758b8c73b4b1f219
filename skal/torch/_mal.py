"""Training and scoring of :class:`skal.strategies.MAL` (Ebrahimi et al. 2021)."""

import numpy as np
import torch
from torch import nn

from ._adversarial import (
    as_matrix,
    batch,
    discriminator,
    discriminator_loss,
    fooling_loss,
    labeled_probability,
    mlp,
    seed_of,
    standardize,
)


class _ReverseGradient(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -grad


def reverse_gradient(x):
    """Identity forward, negated gradient backward (gradient reversal layer).

    Examples
    --------
    >>> import torch
    >>> from skal.torch._mal import reverse_gradient
    >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
    >>> (3 * reverse_gradient(x)).sum().backward()
    >>> x.grad.tolist()
    [-3.0, -3.0]
    """
    return _ReverseGradient.apply(x)


class CosineClassifier(nn.Module):
    """``softmax`` logits ``w_k · f / (‖w_k‖ ‖f‖ T)``: class prototypes on a sphere.

    Parameters
    ----------
    n_features : int
        Width of the features.
    n_classes : int
        Number of prototypes.
    temperature : float, default=0.05
        The temperature ``T``.

    Examples
    --------
    >>> import torch
    >>> from skal.torch._mal import CosineClassifier
    >>> CosineClassifier(4, 3)(torch.ones(2, 4)).shape
    torch.Size([2, 3])
    """

    def __init__(self, n_features, n_classes, temperature=0.05):
        super().__init__()
        self.prototypes = nn.Linear(n_features, n_classes, bias=False)
        self.temperature = temperature

    def forward(self, f):
        w = nn.functional.normalize(self.prototypes.weight, dim=1)
        return nn.functional.normalize(f, dim=1) @ w.T / self.temperature


def entropy(logits):
    """Shannon entropy (nats) of ``softmax(logits)``, one value per row."""
    log_p = nn.functional.log_softmax(logits, dim=1)
    return -(log_p.exp() * log_p).sum(dim=1)


def train_mal(strategy, X_labeled, y_codes, n_classes, X_unlabeled, seed):
    """Train E, C and D; return ``(encode, classify, discriminator)``."""
    rng = np.random.RandomState(seed)
    torch.manual_seed(seed)
    sizes = [X_labeled.shape[1], strategy.hidden_units, strategy.latent_dim]
    encoder = mlp(sizes)
    classifier = CosineClassifier(strategy.latent_dim, n_classes, strategy.temperature)
    disc = discriminator(strategy.latent_dim, strategy.hidden_units)
    params = [*encoder.parameters(), *classifier.parameters()]
    opt = torch.optim.Adam(params, lr=strategy.lr)
    opt_disc = torch.optim.Adam(disc.parameters(), lr=strategy.lr)
    Xl, Xu = torch.as_tensor(X_labeled), torch.as_tensor(X_unlabeled)
    yl = torch.as_tensor(y_codes, dtype=torch.int64)
    for _ in range(strategy.n_steps):
        rows = batch(rng, Xl.shape[0], strategy.batch_size)
        f_l = encoder(Xl[rows])
        f_u = encoder(Xu[batch(rng, Xu.shape[0], strategy.batch_size)])
        ce = nn.functional.cross_entropy(classifier(f_l), yl[rows])
        h = entropy(classifier(reverse_gradient(f_u))).mean()
        loss = ce - strategy.entropy_weight * h
        loss = loss + strategy.adversary_weight * fooling_loss(
            disc(f_l).reshape(-1), disc(f_u).reshape(-1)
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss = discriminator_loss(
            disc(f_l.detach()).reshape(-1), disc(f_u.detach()).reshape(-1)
        )
        opt_disc.zero_grad()
        loss.backward()
        opt_disc.step()
    return encoder, classifier, disc


def mal_scores(strategy, context):
    """Train a MAL's networks on ``context``; return ``D(E(x))`` and the entropy."""
    labels = context.classes
    if labels is None:
        labels = np.unique(context.y_labeled)
    y_codes = np.searchsorted(labels, context.y_labeled)
    X_l, X_u = standardize(as_matrix(context.X_labeled), as_matrix(context.rows()))
    with torch.random.fork_rng(devices=[]):
        encode, classify, disc = strategy._fit_networks(
            X_l, y_codes, len(labels), X_u, seed_of(strategy.random_state, context)
        )
    d = labeled_probability(encode, disc, X_u)
    with torch.no_grad():
        h = entropy(classify(encode(torch.as_tensor(X_u)))).double().numpy()
    return d, h
