"""Minimax active learning (Ebrahimi et al. 2021): minimax entropy, a discriminator."""

from numbers import Real

import numpy as np
import torch
from sklearn.utils._param_validation import Interval
from torch import nn

from ..strategies import BaseStrategy
from ._adversarial import (
    _NON_NEGATIVE,
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


class MAL(BaseStrategy):
    """Minimax active learning: high-entropy rows the discriminator calls unlabeled.

    Ebrahimi et al. (2021, "Minimax active learning"). An encoder
    :math:`E` maps rows to features, a cosine classifier :math:`C`
    (prototypes :math:`w_k`, temperature :math:`T`) predicts the class, and
    the two play a minimax game on the entropy :math:`H` of the unlabeled
    rows' predictions: :math:`C` maximises it, :math:`E` minimises it
    (a gradient reversal layer between them),

    .. math::

        C: \\min \\; \\mathcal L_{\\mathrm{CE}}(C(E(x_L)), y_L)
            - \\lambda_H H\\bigl(C(E(x_U))\\bigr), \\qquad
        E: \\min \\; \\mathcal L_{\\mathrm{CE}}(C(E(x_L)), y_L)
            + \\lambda_H H\\bigl(C(E(x_U))\\bigr).

    A discriminator :math:`D` on the features learns labeled (1) against
    unlabeled (0) with the binary cross-entropy, and :math:`E` tries to
    fool it (weight ``adversary_weight``), as in :class:`VAAL`. To query
    ``b`` rows, the ``shortlist * b`` candidates with the lowest
    :math:`D(E(x))` are kept, and the ``b`` of them with the highest
    entropy :math:`H(C(E(x)))` are taken: the uncertain rows among those
    least like the labeled set. The returned scores are those entropies.

    The networks train from scratch at each query on the features
    (flattened, standardised) and the labels of the context, so the
    strategy works with any classifier's learner. With nothing labeled it
    picks at random.

    Parameters
    ----------
    latent_dim : int, default=32
        Width of the encoder's features.
    hidden_units : int, default=128
        Width of the hidden layers.
    entropy_weight : float, default=0.1
        :math:`\\lambda_H`.
    temperature : float, default=0.05
        The cosine classifier's :math:`T`.
    adversary_weight : float, default=1.0
        Weight of the encoder's term against :math:`D` (0: D only watches).
    shortlist : float, default=2.0
        How many times the batch size the discriminator shortlists (at
        least 1).
    n_steps : int, default=500
        Training iterations.
    batch_size : int, default=64
        Rows of each set in a batch.
    lr : float, default=5e-4
        Adam's learning rate.
    max_candidates : int, default=None
        Train on and score only a random subsample of the pool.
    random_state : int, RandomState instance or None, default=None
        Seeds the networks; ``None`` draws from the learner's random state.

    Attributes
    ----------
    labeled_proba_ : ndarray of shape (n_candidates,)
        :math:`D(E(x))` of the candidates at the last query.
    entropy_ : ndarray of shape (n_candidates,)
        :math:`H(C(E(x)))` of the candidates at the last query.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext
    >>> from skal.torch import MAL
    >>> rng = np.random.RandomState(0)
    >>> pool = np.vstack([rng.randn(30, 2), rng.randn(10, 2) + 6])
    >>> ctx = QueryContext(pool, X_labeled=rng.randn(10, 2),
    ...                    y_labeled=np.arange(10) % 2, classes=[0, 1])
    >>> MAL(n_steps=50, hidden_units=16, latent_dim=4,
    ...     random_state=0).select(ctx, 3)[0].shape
    (3,)
    """

    task = "classification"
    requires_model = False
    _parameter_constraints = {
        **ADVERSARIAL_CONSTRAINTS,
        "entropy_weight": _NON_NEGATIVE,
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "shortlist": [Interval(Real, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        latent_dim=32,
        hidden_units=128,
        entropy_weight=0.1,
        temperature=0.05,
        adversary_weight=1.0,
        shortlist=2.0,
        n_steps=500,
        batch_size=64,
        lr=5e-4,
        max_candidates=None,
        random_state=None,
    ):
        self.latent_dim = latent_dim
        self.hidden_units = hidden_units
        self.entropy_weight = entropy_weight
        self.temperature = temperature
        self.adversary_weight = adversary_weight
        self.shortlist = shortlist
        self.n_steps = n_steps
        self.batch_size = batch_size
        self.lr = lr
        self.max_candidates = max_candidates
        self.random_state = random_state

    def _fit_networks(self, X_labeled, y_codes, n_classes, X_unlabeled, seed):
        """Train E, C and D; return ``(encode, classify, discriminator)``."""
        rng = np.random.RandomState(seed)
        torch.manual_seed(seed)
        sizes = [X_labeled.shape[1], self.hidden_units, self.latent_dim]
        encoder = mlp(sizes)
        classifier = CosineClassifier(self.latent_dim, n_classes, self.temperature)
        disc = discriminator(self.latent_dim, self.hidden_units)
        params = [*encoder.parameters(), *classifier.parameters()]
        opt = torch.optim.Adam(params, lr=self.lr)
        opt_disc = torch.optim.Adam(disc.parameters(), lr=self.lr)
        Xl, Xu = torch.as_tensor(X_labeled), torch.as_tensor(X_unlabeled)
        yl = torch.as_tensor(y_codes, dtype=torch.int64)
        for _ in range(self.n_steps):
            rows = batch(rng, Xl.shape[0], self.batch_size)
            f_l = encoder(Xl[rows])
            f_u = encoder(Xu[batch(rng, Xu.shape[0], self.batch_size)])
            ce = nn.functional.cross_entropy(classifier(f_l), yl[rows])
            h = entropy(classifier(reverse_gradient(f_u))).mean()
            loss = ce - self.entropy_weight * h
            loss = loss + self.adversary_weight * fooling_loss(
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

    def _select(self, context, batch_size):
        rng = context.random_state
        if not context.n_labeled:
            idx = rng.permutation(context.n_candidates)[:batch_size]
            return idx, np.zeros(idx.shape[0])
        labels = context.classes
        if labels is None:
            labels = np.unique(context.y_labeled)
        y_codes = np.searchsorted(labels, context.y_labeled)
        X_l, X_u = standardize(
            as_matrix(context.X_labeled), as_matrix(context.rows())
        )
        with torch.random.fork_rng(devices=[]):
            encode, classify, disc = self._fit_networks(
                X_l, y_codes, len(labels), X_u, seed_of(self.random_state, context)
            )
        d = labeled_probability(encode, disc, X_u)
        with torch.no_grad():
            h = entropy(classify(encode(torch.as_tensor(X_u)))).double().numpy()
        self.labeled_proba_, self.entropy_ = d, h
        return shortlist_by_entropy(d, h, batch_size, self.shortlist, rng)


def shortlist_by_entropy(labeled_proba, entropies, batch_size, factor, rng):
    """MAL's two-stage choice: the lowest ``D``, then the highest entropy.

    Parameters
    ----------
    labeled_proba : ndarray of shape (n,)
        :math:`D(E(x))`, the probability of "labeled".
    entropies : ndarray of shape (n,)
        Entropy of the classifier on each row.
    batch_size : int
        Rows to pick.
    factor : float
        The shortlist holds ``ceil(factor * batch_size)`` rows (at most n).
    rng : RandomState
        Breaks ties at random.

    Returns
    -------
    indices : ndarray of int of shape (batch_size,)
        Picked rows, highest entropy first.
    scores : ndarray of shape (batch_size,)
        Their entropies.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.torch._mal import shortlist_by_entropy
    >>> d = np.array([0.9, 0.1, 0.2, 0.3, 0.05])
    >>> h = np.array([2.0, 0.5, 1.0, 1.5, 0.1])
    >>> # shortlist of 3: rows 4, 1, 2 (lowest D); then by entropy 1.0, 0.5
    >>> shortlist_by_entropy(d, h, 2, 1.5, np.random.RandomState(0))[0].tolist()
    [2, 1]
    """
    n = labeled_proba.shape[0]
    size = min(n, int(np.ceil(factor * batch_size)))
    tie = rng.rand(n)
    short = np.lexsort((tie, labeled_proba))[:size]
    order = np.lexsort((tie[short], -entropies[short]))[:batch_size]
    picked = short[order]
    return picked, entropies[picked]
