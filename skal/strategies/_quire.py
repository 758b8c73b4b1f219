"""QUIRE: informative and representative queries (Huang, Jin & Zhou 2010).

Huang, Jin & Zhou, *Active Learning by Querying Informative and
Representative Examples*, NIPS 2010. With ``L = (K + lambda I)^-1`` over
all samples, the labels of the unlabeled ones relaxed to real numbers and
minimized out, the objective of a candidate ``s`` with label ``y_s`` is a
quadratic form in the labeled labels and ``y_s`` only:

    min_{y_u} y^T L y = [y_l; y_s]^T (K_{ls,ls} + lambda I)^-1 [y_l; y_s],

the standard identity for a quadratic form of an inverse minimized over
free coordinates. So each candidate costs one rank-one update of the
labeled kernel system, and the rest of the pool drops out exactly.
"""

from numbers import Real

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from sklearn.metrics.pairwise import pairwise_kernels
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import _MAX_CANDIDATES, ScoreStrategy
from ._coverage import _METRICS, _blocks


def quire_objective(K_cand_labeled, k_cand_diag, K_labeled, Y, lmbda):
    """QUIRE's objective of each candidate and hypothetical label.

    Parameters
    ----------
    K_cand_labeled : ndarray of shape (n_candidates, n_labeled)
        Kernel between candidates and labeled samples.
    k_cand_diag : ndarray of shape (n_candidates,)
        ``k(x_s, x_s)`` of each candidate.
    K_labeled : ndarray of shape (n_labeled, n_labeled)
        Kernel of the labeled samples.
    Y : ndarray of shape (n_labeled, n_tasks)
        One ``+-1`` label vector of the labeled samples per column (one
        versus rest), the candidate being labeled ``+1`` in each.
    lmbda : float
        The ridge ``lambda > 0``.

    Returns
    -------
    objective : ndarray of shape (n_candidates, n_tasks)
        ``[y; 1]^T (K_{ls,ls} + lambda I)^-1 [y; 1]``
        ``= y^T M^-1 y + (1 - f(s))^2 / (k_ss + lambda - k_s^T M^-1 k_s)``
        with ``M = K_ll + lambda I`` and ``f(s) = k_s^T M^-1 y``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import quire_objective
    >>> # no labels: 1 / (k_ss + lambda)
    >>> quire_objective(np.zeros((2, 0)), np.ones(2), np.zeros((0, 0)),
    ...                 np.zeros((0, 1)), 1.0).tolist()
    [[0.5], [0.5]]
    """
    variance = k_cand_diag + lmbda
    if K_labeled.shape[0] == 0:
        return np.repeat((1.0 / variance)[:, None], Y.shape[1], axis=1)
    M = cho_factor(K_labeled + lmbda * np.eye(K_labeled.shape[0]))
    alpha = cho_solve(M, Y)  # (l, t)
    const = np.einsum("lt,lt->t", Y, alpha)
    fitted = K_cand_labeled @ alpha  # kernel ridge fit of each task
    # k_s^T M^-1 k_s, row by row
    variance = variance - np.einsum(
        "sl,ls->s", K_cand_labeled, cho_solve(M, K_cand_labeled.T)
    )
    return const + (1 - fitted) ** 2 / variance[:, None]


class QUIRE(ScoreStrategy):
    """Query the sample whose worst-case label least raises QUIRE's objective.

    QUIRE (Huang, Jin & Zhou 2010) scores a candidate ``s`` by the objective
    ``y^T L y``, ``L = (K + lambda I)^-1`` over all samples, with the
    unlabeled labels minimized out (relaxed to reals) and the candidate's
    label chosen adversarially; the query minimizes it. With the unlabeled
    labels minimized out the objective is
    ``[y_l; y_s]^T (K_{ls,ls} + lambda I)^-1 [y_l; y_s]``, which
    :func:`quire_objective` evaluates for all candidates at the cost of
    one ``n_labeled x n_labeled`` factorization. For several classes, as in
    scikit-activeml, the labels are one versus rest (``+1`` the class,
    ``-1`` the rest), the candidate belongs to the class, and the worst
    class counts. The score is minus the objective.

    Parameters
    ----------
    lmbda : float, default=1.0
        The ridge ``lambda > 0`` of ``K + lambda I``.
    metric : str, default="rbf"
        Kernel of :func:`sklearn.metrics.pairwise.pairwise_kernels` on the
        embedding.
    metric_params : dict, default=None
        Its parameters, e.g. ``{"gamma": 0.5}``.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QUIRE, QueryContext
    >>> ctx = QueryContext(np.array([[0.1], [2.0], [3.9]]), classes=[0, 1],
    ...                    X_labeled=np.array([[0.0], [4.0]]), y_labeled=[0, 1])
    >>> QUIRE().select(ctx, 1)[0].tolist()  # between the classes
    [1]
    """

    requires_model = False
    requires_labels = True  # the classes of the labeled rows
    task = "classification"
    _parameter_constraints = {
        "lmbda": [Interval(Real, 0, None, closed="neither")],
        "metric": [StrOptions(_METRICS)],
        "metric_params": [dict, None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self, lmbda=1.0, *, metric="rbf", metric_params=None, max_candidates=None
    ):
        self.lmbda = lmbda
        self.metric = metric
        self.metric_params = metric_params
        self.max_candidates = max_candidates

    def objective(self, context):
        """QUIRE's objective of each candidate and class, (n_candidates, n_tasks).

        Parameters
        ----------
        context : QueryContext
            The candidates and the labeled set.

        Returns
        -------
        objective : ndarray of shape (n_candidates, n_tasks)
            Column ``c``: the labeled samples labeled ``+1`` where their
            class is ``classes[c]`` and ``-1`` elsewhere, the candidate
            ``+1`` (for two classes, the two signs of the paper's ``y_s``).
        """
        classes = context.classes
        if classes is None:
            raise ValueError("QUIRE needs the classes of a classifier's context.")
        Z = context.embedding()
        params = self.metric_params or {}
        Z_labeled = context.labeled_embedding()
        if Z_labeled is None:
            Z_labeled = np.zeros((0, Z.shape[1]))
        Y = np.where(np.asarray(context.y_labeled)[:, None] == classes, 1.0, -1.0)
        n_labeled = Z_labeled.shape[0]

        def kernel(A, B):
            if not B.shape[0]:
                return np.zeros((A.shape[0], 0))
            return pairwise_kernels(A, B, metric=self.metric, **params)

        K_ll = kernel(Z_labeled, Z_labeled) if n_labeled else np.zeros((0, 0))
        out = np.empty((Z.shape[0], Y.shape[1]))
        for rows in _blocks(Z.shape[0]):
            K_sl = kernel(Z[rows], Z_labeled)
            diag = np.diag(pairwise_kernels(Z[rows], metric=self.metric, **params))
            out[rows] = quire_objective(K_sl, diag, K_ll, Y, self.lmbda)
        return out

    def _score(self, context):
        return -self.objective(context).max(axis=1)
