"""Contrastive active learning, CAL (Margatina et al. 2021).

Margatina, Vernikos, Barrault & Aletras, *Active Learning by Acquiring
Contrastive Examples*, EMNLP 2021. A contrastive example lies close to
labeled samples in the model's embedding but is predicted differently: the
score is the mean Kullback-Leibler divergence from the predictions of its
nearest labeled neighbours to its own.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import _MAX_CANDIDATES, ScoreStrategy

_NEIGHBOR_METRICS = {"euclidean", "manhattan", "cosine", "chebyshev", "minkowski"}


def _clip_rows(P, eps):
    P = np.clip(np.asarray(P, dtype=float), eps, 1)
    return P / P.sum(axis=1, keepdims=True)


def contrastive_divergence(proba, labeled_proba, neighbors, *, eps=1e-7):
    """Mean KL divergence from each sample's neighbours' predictions to its own.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Predicted probabilities of the samples.
    labeled_proba : array-like of shape (n_labeled, n_classes)
        Predicted probabilities of the labeled samples.
    neighbors : array-like of int of shape (n_samples, n_neighbors)
        Rows of ``labeled_proba`` that are each sample's neighbours.
    eps : float, default=1e-7
        Probabilities are clipped to at least ``eps`` and renormalized.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        ``1/k sum_j KL(q_j || p)`` over the ``k`` neighbours' ``q_j``:
        ``mean_j sum_c q_jc log q_jc - (mean_j q_j) . log p``, so the
        ``(n, k, n_classes)`` stack is never built.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import contrastive_divergence
    >>> p = np.array([[0.5, 0.5], [0.9, 0.1]])
    >>> q = np.array([[0.5, 0.5], [0.1, 0.9]])
    >>> contrastive_divergence(p, q, [[0], [1]]).round(4).tolist()
    [0.0, 1.7578]
    """
    log_p = np.log(_clip_rows(proba, eps))
    Q = _clip_rows(labeled_proba, eps)
    neg_entropy = np.sum(Q * np.log(Q), axis=1)
    neighbors = np.asarray(neighbors, dtype=np.intp)
    mean_q = Q[neighbors].mean(axis=1)
    return neg_entropy[neighbors].mean(axis=1) - np.sum(mean_q * log_p, axis=1)


class ContrastiveAL(ScoreStrategy):
    """Query the samples predicted most unlike their labeled neighbours (CAL).

    For each candidate ``x`` with embedding ``z``, CAL (Margatina et al.
    2021) finds the ``k`` nearest labeled samples ``x_1..x_k`` in the
    embedding and scores

    ``s(x) = 1/k sum_j KL(p(y | x_j) || p(y | x))``,

    the neighbours' probabilities being the model's predictions (not their
    labels), as in the paper (:func:`contrastive_divergence`). Before any
    label every score is 0 (a random pick).

    Parameters
    ----------
    n_neighbors : int, default=5
        Labeled neighbours per candidate (fewer if fewer are labeled).
    metric : str, default="euclidean"
        Distance of :class:`~sklearn.neighbors.NearestNeighbors` in the
        embedding.
    eps : float, default=1e-7
        Probabilities are clipped to at least ``eps`` before the logarithm.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import ContrastiveAL, QueryContext
    >>> P = np.array([[0.9, 0.1], [0.2, 0.8], [0.8, 0.2], [0.9, 0.1]])
    >>> proba = lambda X: P[X[:, 0].astype(int)]
    >>> ctx = QueryContext(np.array([[0.0], [1.0], [2.0]]), classes=[0, 1],
    ...                    X_labeled=np.array([[3.0]]), y_labeled=[0],
    ...                    signals={"proba": proba})
    >>> ContrastiveAL().select(ctx, 1)[0].tolist()  # predicted unlike row 3
    [1]
    """

    task = "classification"
    _parameter_constraints = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "metric": [StrOptions(_NEIGHBOR_METRICS)],
        "eps": [Interval(Real, 0, 0.1, closed="right")],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self, n_neighbors=5, *, metric="euclidean", eps=1e-7, max_candidates=None
    ):
        self.n_neighbors = n_neighbors
        self.metric = metric
        self.eps = eps
        self.max_candidates = max_candidates

    def _score(self, context):
        if not context.n_labeled:
            return np.zeros(context.n_candidates)
        Z_labeled = context.labeled_embedding()
        k = min(self.n_neighbors, Z_labeled.shape[0])
        nn = NearestNeighbors(n_neighbors=k, metric=self.metric).fit(Z_labeled)
        neighbors = nn.kneighbors(context.embedding(), return_distance=False)
        P_labeled = context.predict_proba(context.X_labeled)
        return contrastive_divergence(
            context.proba(), P_labeled, neighbors, eps=self.eps
        )
