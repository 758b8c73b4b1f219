"""One more label for a Gaussian process, in closed form: no refits.

A Gaussian process with fixed hyperparameters (``optimizer=None``), no
target normalisation and a scalar noise ``alpha`` updates exactly by rank
one when a label :math:`(x, y)` is added. With :math:`c(e, x)` the
posterior covariance and :math:`s^2 = \\sigma^2(x) + \\alpha`,

.. math::

    \\mu_{x,y}(e) = \\mu(e) + \\frac{c(e, x)}{s^2} (y - \\mu(x)),
    \\qquad
    \\sigma^2_{x,y}(e) = \\sigma^2(e) - \\frac{c(e, x)^2}{s^2},

so the look-ahead strategies (EMVR, EMOC, KL divergence) score every
candidate from :math:`c`, at the cost of a few ``predict`` passes, with the
same numbers as refitting.
"""

import numpy as np
from scipy.linalg import solve_triangular
from sklearn.gaussian_process import GaussianProcessRegressor

from ..utils import chunk_slices
from ._context_model import _dense

_EVAL_CHUNK = 2048


def exact_gp(model):
    """Return ``model`` if a label updates it in closed form, else ``None``.

    Parameters
    ----------
    model : estimator or None
        The fitted model of the query.

    Returns
    -------
    gp : GaussianProcessRegressor or None
        A fitted GP with ``optimizer=None``, ``normalize_y=False`` and a
        scalar ``alpha``.
    """
    if (
        isinstance(model, GaussianProcessRegressor)
        and model.optimizer is None
        and not model.normalize_y
        and np.ndim(model.alpha) == 0
        and hasattr(model, "L_")
    ):
        return model
    return None


def node_moments(target_points, integration, n_points):
    """:math:`\\mathbb E t^2` and :math:`\\mathbb E |t|` of the integration nodes.

    ``target_points`` of a standard normal: the same nodes the refits use,
    so the closed form equals them exactly (``"assume_linear"``: 0 and 0).
    """
    t, w = target_points([0.0], [1.0], integration, n_points)
    return float(np.sum(w * t[0] ** 2)), float(np.sum(w * np.abs(t[0])))


def gp_lookahead_mean(gp, X_eval, X_cand, term):
    """Average ``term`` over the evaluation rows, for every candidate.

    Parameters
    ----------
    gp : GaussianProcessRegressor
        From :func:`exact_gp`.
    X_eval, X_cand : array-like
        Evaluation and candidate rows.
    term : callable
        ``term(c, var_e, var_c, s2)`` of the posterior covariance block
        ``c`` (n_eval_chunk, n_cand), the evaluation variances
        (n_eval_chunk, 1), the candidate variances and ``s2 = var_c +
        alpha`` (1, n_cand); returns an array of ``c``'s shape.

    Returns
    -------
    mean : ndarray of shape (n_cand,)
        ``term`` averaged over the evaluation rows (chunk by chunk).
    """
    X_eval, X_cand = _dense(X_eval), _dense(X_cand)
    kernel = gp.kernel_
    V_c = solve_triangular(gp.L_, kernel(gp.X_train_, X_cand), lower=True)
    var_c = np.maximum(kernel.diag(X_cand) - np.sum(V_c**2, axis=0), 0.0)[None, :]
    s2 = var_c + float(gp.alpha)
    total = np.zeros(X_cand.shape[0])
    for rows in chunk_slices(X_eval.shape[0], _EVAL_CHUNK):
        X_e = X_eval[rows]
        V_e = solve_triangular(gp.L_, kernel(gp.X_train_, X_e), lower=True)
        c = kernel(X_e, X_cand) - V_e.T @ V_c
        var_e = np.maximum(kernel.diag(X_e) - np.sum(V_e**2, axis=0), 0.0)[:, None]
        total += term(c, var_e, var_c, s2).sum(axis=0)
    return total / X_eval.shape[0]
