"""A drifting stream generator (rotating hyperplane with class swaps)."""

from numbers import Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import validate_params

from ..utils._validation import POSITIVE_INT, IntInterval, _NoBool, check_positions


@validate_params(
    {
        "n_samples": [POSITIVE_INT],
        "n_features": [IntInterval(2, None, closed="left")],
        "rotation": [_NoBool(Real, None, None, closed="neither")],
        "swap_at": ["array-like", None],
        "noise": [_NoBool(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_rotating_hyperplane(
    n_samples=1000,
    n_features=2,
    *,
    rotation=np.pi,
    swap_at=None,
    noise=0.05,
    random_state=None,
):
    """Make a binary stream whose boundary rotates, with sudden class swaps.

    ``X`` is uniform on ``[-1, 1]^d``. The boundary is the hyperplane through
    the origin with normal ``w_t = (cos a_t, sin a_t, 0, ...)``, whose angle
    ``a_t = rotation * t / n_samples`` turns gradually (incremental drift);
    the label is ``1[x . w_t > 0]``, flipped from each position in
    ``swap_at`` on (abrupt drift), and flipped at random with probability
    ``noise``.

    Parameters
    ----------
    n_samples : int, default=1000
        Length of the stream.
    n_features : int, default=2
        Dimension (the features after the first two are noise).
    rotation : float, default=pi
        Total angle the boundary turns over the stream, in radians.
    swap_at : array-like of int or None, default=None
        Positions where the two classes swap.
    noise : float in [0, 1], default=0.05
        Label noise.
    random_state : int, RandomState or None, default=None
        Seeds the samples and the noise.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The samples, in stream order.
    y : ndarray of shape (n_samples,)
        Labels in ``{0, 1}``.

    Examples
    --------
    >>> from skal.stream import make_rotating_hyperplane
    >>> X, y = make_rotating_hyperplane(4, noise=0.0, random_state=0)
    >>> X.shape, y.tolist()
    ((4, 2), [1, 1, 1, 1])
    """
    if swap_at is not None:  # -5 swapped the last 5 samples, 2.5 at 2
        swap_at = check_positions(np.ravel(swap_at), n_samples, name="swap_at")
    rng = check_random_state(random_state)
    X = rng.uniform(-1.0, 1.0, size=(n_samples, n_features))
    angle = rotation * np.arange(n_samples) / n_samples
    y = (X[:, 0] * np.cos(angle) + X[:, 1] * np.sin(angle) > 0).astype(int)
    if swap_at is not None:
        for position in swap_at:
            y[position:] = 1 - y[position:]
    flip = rng.random_sample(n_samples) < noise
    y[flip] = 1 - y[flip]
    return X, y
