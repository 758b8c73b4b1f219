"""Variational adversarial active learning (Sinha, Ebrahimi & Darrell, ICCV 2019)."""

import numpy as np
import torch
from torch import nn

from ..strategies import ScoreStrategy
from ._adversarial import (
    _NON_NEGATIVE,
    _POSITIVE_INT,
    ADVERSARIAL_CONSTRAINTS,
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


class VAAL(ScoreStrategy):
    """Query the rows a labeled-vs-unlabeled discriminator finds least "labeled".

    Variational adversarial active learning (Sinha, Ebrahimi & Darrell,
    ICCV 2019). A β-VAE learns a latent space of the labeled rows
    :math:`x_L` and the candidates :math:`x_U`, and a discriminator
    :math:`D` learns to tell their latent codes apart, while the VAE tries to
    fool it:

    .. math::

        L_{\\mathrm{VAE}} = \\sum_{x \\in \\{x_L, x_U\\}}
            \\bigl[\\lVert x - \\hat x \\rVert^2
            + \\beta\\, \\mathrm{KL}(q(z|x) \\,\\|\\, \\mathcal N(0, I))\\bigr]
            - \\lambda \\bigl[\\log D(\\mu(x_L)) + \\log D(\\mu(x_U))\\bigr],

    .. math::

        L_D = -\\log D(\\mu(x_L)) - \\log\\bigl(1 - D(\\mu(x_U))\\bigr).

    The score of a candidate is :math:`1 - D(\\mu(x))`: the rows the
    discriminator is surest are unlabeled are queried. The networks train
    from scratch at each query, on the features themselves (images are
    flattened, all standardised), so the strategy needs no model and works
    with any learner and estimator. With nothing labeled it picks at random.

    Parameters
    ----------
    latent_dim : int, default=32
        Size of the latent code.
    hidden_units : int, default=128
        Width of the hidden layers (two in each network).
    beta : float, default=1.0
        Weight β of the KL term.
    adversary_weight : float, default=1.0
        Weight λ of the VAE's adversarial term.
    n_steps : int, default=500
        Training iterations; each draws a batch of labeled and of unlabeled
        rows.
    vae_steps : int, default=2
        VAE updates per iteration (the paper's setting).
    batch_size : int, default=64
        Rows of each set in a batch.
    lr : float, default=5e-4
        Adam's learning rate for both networks.
    max_candidates : int, default=None
        Train on and score only a random subsample of the pool.
    random_state : int, RandomState instance or None, default=None
        Seeds the networks; ``None`` draws from the learner's random state.

    Attributes
    ----------
    vae_ : VAE
        The VAE of the last query.
    discriminator_ : torch.nn.Module
        The discriminator of the last query (latent code -> logit).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext
    >>> from skal.torch import VAAL
    >>> rng = np.random.RandomState(0)
    >>> pool = np.vstack([rng.randn(30, 2), rng.randn(10, 2) + 6])
    >>> ctx = QueryContext(pool, X_labeled=rng.randn(10, 2), y_labeled=[0] * 10)
    >>> idx, _ = VAAL(n_steps=100, hidden_units=16, latent_dim=4,
    ...               random_state=0).select(ctx, 5)
    >>> bool((idx >= 30).all())  # the far cluster, unlike anything labeled
    True
    """

    requires_model = False
    _parameter_constraints = {
        **ADVERSARIAL_CONSTRAINTS,
        "beta": _NON_NEGATIVE,
        "vae_steps": _POSITIVE_INT,
    }

    def __init__(
        self,
        *,
        latent_dim=32,
        hidden_units=128,
        beta=1.0,
        adversary_weight=1.0,
        n_steps=500,
        vae_steps=2,
        batch_size=64,
        lr=5e-4,
        max_candidates=None,
        random_state=None,
    ):
        self.latent_dim = latent_dim
        self.hidden_units = hidden_units
        self.beta = beta
        self.adversary_weight = adversary_weight
        self.n_steps = n_steps
        self.vae_steps = vae_steps
        self.batch_size = batch_size
        self.lr = lr
        self.max_candidates = max_candidates
        self.random_state = random_state

    def _fit_networks(self, X_labeled, X_unlabeled, seed):
        """Train the VAE and the discriminator; return ``(encode, discriminator)``."""
        rng = np.random.RandomState(seed)
        torch.manual_seed(seed)
        vae = VAE(X_labeled.shape[1], self.latent_dim, self.hidden_units)
        disc = discriminator(self.latent_dim, self.hidden_units)
        opt_vae = torch.optim.Adam(vae.parameters(), lr=self.lr)
        opt_disc = torch.optim.Adam(disc.parameters(), lr=self.lr)
        Xl, Xu = torch.as_tensor(X_labeled), torch.as_tensor(X_unlabeled)
        for _ in range(self.n_steps):
            xl = Xl[batch(rng, Xl.shape[0], self.batch_size)]
            xu = Xu[batch(rng, Xu.shape[0], self.batch_size)]
            for _ in range(self.vae_steps):
                rec_l, mu_l, logvar_l = vae(xl)
                rec_u, mu_u, logvar_u = vae(xu)
                loss = vae_loss(xl, rec_l, mu_l, logvar_l, self.beta) + vae_loss(
                    xu, rec_u, mu_u, logvar_u, self.beta
                )
                loss = loss + self.adversary_weight * fooling_loss(
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
        self.vae_, self.discriminator_ = vae, disc
        return (lambda x: vae.encode(x)[0]), disc

    def _score(self, context):
        if not context.n_labeled:
            return context.random_state.rand(context.n_candidates)
        X_l, X_u = standardize(
            as_matrix(context.X_labeled), as_matrix(context.rows())
        )
        with torch.random.fork_rng(devices=[]):
            encode, disc = self._fit_networks(
                X_l, X_u, seed_of(self.random_state, context)
            )
        return 1.0 - labeled_probability(encode, disc, X_u)
