"""VAAL and MAL: strategies that train their own adversarial networks.

Variational adversarial active learning (Sinha et al. 2019) and minimax
active learning (Ebrahimi et al. 2021) train, at every query, networks on
the labeled rows and the candidates of the context; they never call the
task model, so they work with any learner and estimator. The classes need
no torch to be built (the registry and the command line list them); the
training, in :mod:`skal.torch`, imports torch when a query runs.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ._base import _MAX_CANDIDATES, BaseStrategy, ScoreStrategy, ceil_product

_POSITIVE_INT = [Interval(Integral, 1, None, closed="left")]
_NON_NEGATIVE = [Interval(Real, 0, None, closed="left")]
#: The parameters of the adversarial training VAAL and MAL share.
ADVERSARIAL_CONSTRAINTS = {
    "latent_dim": _POSITIVE_INT,
    "hidden_units": _POSITIVE_INT,
    "adversary_weight": _NON_NEGATIVE,
    "n_steps": _POSITIVE_INT,
    "batch_size": _POSITIVE_INT,
    "lr": [Interval(Real, 0, None, closed="neither")],
    "max_candidates": _MAX_CANDIDATES,
    "random_state": ["random_state"],
}


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
    latent_dim : int, default=16
        Size of the latent code.
    hidden_units : int, default=64
        Width of the hidden layers (two in each network).
    beta : float, default=1.0
        Weight β of the KL term.
    adversary_weight : float, default=1.0
        Weight λ of the VAE's adversarial term.
    n_steps : int, default=300
        Training iterations; each draws a batch of labeled and of unlabeled
        rows.
    vae_steps : int, default=2
        VAE updates per iteration (the paper's setting).
    batch_size : int, default=64
        Rows of each set in a batch.
    lr : float, default=1e-3
        Adam's learning rate for both networks (the paper's 5e-4 is for its
        longer training).
    max_candidates : int, float or None, default=None
        Train on and score only a random subsample of the pool: this many (int)
        or this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.
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
    >>> from skal.strategies import VAAL
    >>> rng = np.random.RandomState(0)
    >>> pool = np.vstack([rng.randn(30, 2), rng.randn(10, 2) + 6])
    >>> ctx = QueryContext(pool, X_labeled=rng.randn(10, 2), y_labeled=[0] * 10)
    >>> idx, _ = VAAL(n_steps=100, hidden_units=16, latent_dim=4,
    ...               random_state=0).select(ctx, 5)
    >>> bool((idx >= 30).all())  # the far cluster, unlike anything labeled
    True
    """

    requires_model = False
    requires_torch = True
    _parameter_constraints = {
        **ADVERSARIAL_CONSTRAINTS,
        "beta": _NON_NEGATIVE,
        "vae_steps": _POSITIVE_INT,
    }

    def __init__(
        self,
        *,
        latent_dim=16,
        hidden_units=64,
        beta=1.0,
        adversary_weight=1.0,
        n_steps=300,
        vae_steps=2,
        batch_size=64,
        lr=1e-3,
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
        from ..torch._vaal import train_vaal

        return train_vaal(self, X_labeled, X_unlabeled, seed)

    def _score(self, context):
        if not context.n_labeled:
            return context.random_state.rand(context.n_candidates)
        from ..torch._vaal import vaal_scores

        return vaal_scores(self, context)


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
    latent_dim : int, default=16
        Width of the encoder's features.
    hidden_units : int, default=64
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
    n_steps : int, default=300
        Training iterations.
    batch_size : int, default=64
        Rows of each set in a batch.
    lr : float, default=1e-3
        Adam's learning rate.
    max_candidates : int, float or None, default=None
        Train on and score only a random subsample of the pool: this many (int)
        or this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.
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
    >>> from skal.strategies import MAL
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
    requires_torch = True
    _parameter_constraints = {
        **ADVERSARIAL_CONSTRAINTS,
        "entropy_weight": _NON_NEGATIVE,
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "shortlist": [Interval(Real, 1, None, closed="left")],
    }

    def __init__(
        self,
        *,
        latent_dim=16,
        hidden_units=64,
        entropy_weight=0.1,
        temperature=0.05,
        adversary_weight=1.0,
        shortlist=2.0,
        n_steps=300,
        batch_size=64,
        lr=1e-3,
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
        from ..torch._mal import train_mal

        return train_mal(self, X_labeled, y_codes, n_classes, X_unlabeled, seed)

    def _select(self, context, batch_size):
        rng = context.random_state
        if not context.n_labeled:
            idx = rng.permutation(context.n_candidates)[:batch_size]
            return idx, np.zeros(idx.shape[0])
        from ..torch._mal import mal_scores

        d, h = mal_scores(self, context)
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
    >>> from skal.strategies import shortlist_by_entropy
    >>> d = np.array([0.9, 0.1, 0.2, 0.3, 0.05])
    >>> h = np.array([2.0, 0.5, 1.0, 1.5, 0.1])
    >>> # shortlist of 3: rows 4, 1, 2 (lowest D); then by entropy 1.0, 0.5
    >>> shortlist_by_entropy(d, h, 2, 1.5, np.random.RandomState(0))[0].tolist()
    [2, 1]
    """
    n = labeled_proba.shape[0]
    size = min(n, ceil_product(factor, batch_size))
    tie = rng.rand(n)
    short = np.lexsort((tie, labeled_proba))[:size]
    order = np.lexsort((tie[short], -entropies[short]))[:batch_size]
    picked = short[order]
    return picked, entropies[picked]
