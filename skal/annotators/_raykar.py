"""The pieces of Raykar et al.'s EM: priors, E-step likelihoods, M-step objective.

Helpers of :class:`AnnotatorLogisticRegression` (``_logistic.py``): the
Dirichlet pseudo-counts of the confusion matrices, the log-likelihood of
each sample's labels under every class, and the soft-target cross-entropy
(with its gradient and Hessian-vector product) that the M-step minimises.
"""

import numpy as np

#: scipy.optimize.minimize methods that use the gradient (and Hessian-vector
#: products, for the Newton ones) of the M-step.
SOLVERS = {"L-BFGS-B", "Newton-CG", "BFGS", "CG", "TNC", "trust-ncg", "trust-krylov"}


def _per_annotator(prior, n_annotators, name):
    """``prior`` as one value per annotator."""
    values = np.asarray(prior, dtype=float)
    if values.ndim == 0:
        return np.full(n_annotators, float(values))
    if values.shape != (n_annotators,) or not np.isfinite(values).all():
        raise ValueError(
            f"{name} must be a number or one finite number per annotator "
            f"({n_annotators}); got shape {values.shape}."
        )
    return values


def dirichlet_counts(full, diag, n_annotators, n_classes):
    """``A - 1``: the Dirichlet prior's pseudo-counts of every confusion matrix.

    Parameters
    ----------
    full, diag : float or array-like of shape (n_annotators,)
        ``A[j] = full[j] * ones + diag[j] * eye``.
    n_annotators, n_classes : int

    Returns
    -------
    counts : ndarray of shape (n_annotators, n_classes, n_classes)
    """
    full = _per_annotator(full, n_annotators, "annot_prior_full")
    diag = _per_annotator(diag, n_annotators, "annot_prior_diag")
    if (full < 1).any() or (diag < 0).any():
        raise ValueError(
            "annot_prior_full must be >= 1 and annot_prior_diag >= 0 for every "
            "annotator: below 1 a Dirichlet parameter gives a negative "
            "pseudo-count and the confusion matrices would leave the simplex."
        )
    eye = np.eye(n_classes)
    return (full[:, None, None] - 1) + diag[:, None, None] * eye


def normalise_rows(counts):
    """Rows divided by their sums; uniform where a row sums to 0."""
    totals = counts.sum(axis=-1, keepdims=True)
    uniform = np.full_like(counts, 1.0 / counts.shape[-1])
    return np.divide(counts, totals, out=uniform, where=totals > 0)


def log_label_likelihood(codes, log_confusion):
    """``log U[i, k] = sum_j log confusion[j, k, Y_ij]`` over who labeled ``i``.

    Parameters
    ----------
    codes : ndarray of int of shape (n_samples, n_annotators)
        Class positions, -1 where unlabeled.
    log_confusion : ndarray of shape (n_annotators, n_classes, n_classes)

    Returns
    -------
    log_u : ndarray of shape (n_samples, n_classes)
    """
    log_u = np.zeros((codes.shape[0], log_confusion.shape[1]))
    for j in range(codes.shape[1]):
        rows = np.flatnonzero(codes[:, j] >= 0)
        log_u[rows] += log_confusion[j][:, codes[rows, j]].T
    return log_u


def log_softmax(Z):
    """Row-wise ``log softmax`` (scipy's, without its generic overhead)."""
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


def posteriors(joint):
    """Rows of ``exp(joint)`` normalised; uniform where every entry is -inf."""
    top = joint.max(axis=1, keepdims=True)
    impossible = ~np.isfinite(top[:, 0])
    top[impossible] = 0.0
    Mu = np.exp(joint - top)
    total = Mu.sum(axis=1, keepdims=True)
    log_evidence = np.log(total[:, 0]) + top[:, 0]
    Mu /= np.where(impossible[:, None], 1.0, total)
    Mu[impossible] = 1.0 / joint.shape[1]
    return Mu, log_evidence


class SoftLogistic:
    """The M-step's objective: cross-entropy with soft targets plus L2.

    ``hessp`` reuses the probabilities of the last ``loss_grad`` call at the
    same weights (Newton-CG's inner iterations all ask at one point).
    """

    def __init__(self, X, Mu, weights_prior, fit_intercept):
        self.X, self.XT, self.Mu = X, np.ascontiguousarray(X.T), Mu
        self.shape = (X.shape[1], Mu.shape[1])
        self.mask = np.full(self.shape, float(weights_prior))
        if fit_intercept:
            self.mask[0] = 0.0  # the intercept is not penalised
        self._w = self._P = None

    def _proba(self, w):
        if self._w is None or not np.array_equal(w, self._w):
            self._w = w.copy()
            self._P = np.exp(log_softmax(self.X @ w.reshape(self.shape)))
        return self._P

    def loss_grad(self, w):
        W = w.reshape(self.shape)
        log_p = log_softmax(self.X @ W)
        self._w, self._P = w.copy(), np.exp(log_p)
        penalty = 0.5 * np.sum(self.mask * W**2)
        grad = self.XT @ (self._P - self.Mu) + self.mask * W
        return -np.sum(self.Mu * log_p) + penalty, grad.ravel()

    def hessp(self, w, v):
        P = self._proba(w)
        V = v.reshape(self.shape)
        M = self.X @ V
        R = P * (M - np.sum(P * M, axis=1, keepdims=True))
        return (self.XT @ R + self.mask * V).ravel()
