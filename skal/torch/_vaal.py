"""Training and scoring of :class:`skal.strategies.VAAL` (Sinha et al. 2019)."""

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


class VAE(nn.Module):
    """A fully connected β-VAE for :class:`VAAL`.

    ``encode(x)`` returns ``(mu, logvar)``; ``forward(x)`` returns the
    reconstruction of a sampled code, ``mu`` and ``logvar``.

    Parameters
    ----------
    n_features : int
        Input width.
    latent_dim : int, default=32
        Size of the code.
    hidden_units : int, default=128
        Width of the two hidden layers of the encoder and of the decoder.

    Examples
    --------
    >>> import torch
    >>> from skal.torch import VAE
    >>> [t.shape[1] for t in VAE(6, latent_dim=2, hidden_units=8)(torch.zeros(3, 6))]
    [6, 2, 2]
    """

    def __init__(self, n_features, latent_dim=32, hidden_units=128):
        super().__init__()
        self.body = mlp([n_features, hidden_units, hidden_units], last_activation=True)
        self.mu = nn.Linear(hidden_units, latent_dim)
        self.logvar = nn.Linear(hidden_units, latent_dim)
        self.decoder = mlp([latent_dim, hidden_units, hidden_units, n_features])

    def encode(self, x):
        h = self.body(x)
        return self.mu(h), self.logvar(h)

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.decoder(z), mu, logvar


def vae_loss(x, reconstruction, mu, logvar, beta=1.0):
    """Negative β-ELBO per row: squared error + β KL(q(z|x) || N(0, I)), averaged."""
    error = ((reconstruction - x) ** 2).sum(dim=1)
    kl = -0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(dim=1)
    return (error + beta * kl).mean()


def train_vaal(strategy, X_labeled, X_unlabeled, seed):
    """Train a VAAL's VAE and discriminator; return ``(encode, discriminator)``."""
    rng = np.random.RandomState(seed)
    torch.manual_seed(seed)
    vae = VAE(X_labeled.shape[1], strategy.latent_dim, strategy.hidden_units)
    disc = discriminator(strategy.latent_dim, strategy.hidden_units)
    opt_vae = torch.optim.Adam(vae.parameters(), lr=strategy.lr)
    opt_disc = torch.optim.Adam(disc.parameters(), lr=strategy.lr)
    Xl, Xu = torch.as_tensor(X_labeled), torch.as_tensor(X_unlabeled)
    for _ in range(strategy.n_steps):
        xl = Xl[batch(rng, Xl.shape[0], strategy.batch_size)]
        xu = Xu[batch(rng, Xu.shape[0], strategy.batch_size)]
        for _ in range(strategy.vae_steps):
            rec_l, mu_l, logvar_l = vae(xl)
            rec_u, mu_u, logvar_u = vae(xu)
            loss = vae_loss(xl, rec_l, mu_l, logvar_l, strategy.beta) + vae_loss(
                xu, rec_u, mu_u, logvar_u, strategy.beta
            )
            loss = loss + strategy.adversary_weight * fooling_loss(
                disc(mu_l).reshape(-1), disc(mu_u).reshape(-1)
            )
            opt_vae.zero_grad()
            loss.backward()
            opt_vae.step()
        with torch.no_grad():
            mu_l, mu_u = vae.encode(xl)[0], vae.encode(xu)[0]
        loss = discriminator_loss(disc(mu_l).reshape(-1), disc(mu_u).reshape(-1))
        opt_disc.zero_grad()
        loss.backward()
        opt_disc.step()
    vae.eval()
    strategy.vae_, strategy.discriminator_ = vae, disc
    return (lambda x: vae.encode(x)[0]), disc


def vaal_scores(strategy, context):
    """Train a VAAL's networks on ``context``; return ``1 - D(mu)`` per candidate."""
    X_l, X_u = standardize(as_matrix(context.X_labeled), as_matrix(context.rows()))
    with torch.random.fork_rng(devices=[]):
        encode, disc = strategy._fit_networks(
            X_l, X_u, seed_of(strategy.random_state, context)
        )
    return 1.0 - labeled_probability(encode, disc, X_u)
