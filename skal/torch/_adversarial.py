"""What VAAL and MAL share: rows as a float matrix, small MLPs, the discriminator.

Both strategies train their own networks on the labeled rows and the
candidates of a query context, so they work with any learner and any
estimator: they read only ``context.X_labeled`` and ``context.rows()``.
"""

import numpy as np
import torch
from torch import nn

from ..utils._validation import dense_array


def as_matrix(X):
    """Rows as a 2-D C-ordered float32 array: images flattened, sparse made dense.

    C order whatever the container (a DataFrame's values are often column
    major): the sums of the standardisation then run in one order, so a
    DataFrame trains the same networks as the array it holds.
    """
    try:
        X = np.ascontiguousarray(dense_array(X), dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(
            "VAAL and MAL train on the features, which must be numeric; encode "
            "them first (e.g. a OneHotEncoder)."
        ) from None
    return X.reshape(X.shape[0], -1)


def standardize(X_labeled, X_unlabeled):
    """Scale both sets with the mean and std of their union (constant columns: 1)."""
    both = np.concatenate([X_labeled, X_unlabeled])
    mean, std = both.mean(axis=0), both.std(axis=0)
    std[std < 1e-8] = 1.0
    return (X_labeled - mean) / std, (X_unlabeled - mean) / std


def mlp(sizes, *, last_activation=False):
    """``Linear -> ReLU`` stack through ``sizes`` (no ReLU after the last)."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if last_activation or i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def discriminator(latent_dim, hidden_units):
    """The discriminator: latent code -> logit of "labeled"."""
    return mlp([latent_dim, hidden_units, hidden_units, 1])


def labeled_probability(encode, discriminator, X, batch_size=1024):
    """Return ``D(encode(x))``, the discriminator's probability that ``x`` is labeled.

    Parameters
    ----------
    encode : callable
        Maps a float tensor of rows to latent codes (e.g. a VAE's mean).
    discriminator : callable
        Maps latent codes to one logit per row.
    X : ndarray of shape (n_rows, n_features)
        Rows, float32.
    batch_size : int, default=1024
        Rows per forward pass.

    Returns
    -------
    proba : ndarray of shape (n_rows,)
        Sigmoid of the logits.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skal.torch._adversarial import labeled_probability
    >>> X = np.array([[0.0], [2.0]], dtype="float32")
    >>> labeled_probability(lambda x: x, lambda z: z[:, 0], X).round(3).tolist()
    [0.5, 0.881]
    """
    out = []
    with torch.no_grad():
        for start in range(0, X.shape[0], batch_size):
            chunk = torch.as_tensor(X[start : start + batch_size])
            out.append(torch.sigmoid(discriminator(encode(chunk)).reshape(-1)))
    return torch.cat(out).double().numpy() if out else np.zeros(0)


def batch(rng, n, size):
    """Positions of a random batch of ``size`` rows among ``n`` (with replacement
    when ``n < size``)."""
    return rng.choice(n, size=size, replace=n < size)


def seed_of(random_state, context):
    """A torch seed: from ``random_state`` when given, else the context's."""
    rng = context.random_state if random_state is None else random_state
    rng = np.random.RandomState(rng) if isinstance(rng, (int, np.integer)) else rng
    return int(rng.randint(2**31 - 1))


def discriminator_loss(logit_labeled, logit_unlabeled):
    """BCE of the discriminator: labeled rows are 1, unlabeled rows are 0."""
    bce = nn.functional.binary_cross_entropy_with_logits
    return bce(logit_labeled, torch.ones_like(logit_labeled)) + bce(
        logit_unlabeled, torch.zeros_like(logit_unlabeled)
    )


def fooling_loss(*logits):
    """The encoder's adversarial term: every row should look labeled to ``D``."""
    bce = nn.functional.binary_cross_entropy_with_logits
    return sum(bce(z, torch.ones_like(z)) for z in logits)
