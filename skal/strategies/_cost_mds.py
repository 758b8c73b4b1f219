"""The cost embedding of ALCE: a non-metric MDS of the cost matrix.

Huang & Lin, *A Novel Uncertainty Sampling Algorithm for Cost-sensitive
Multiclass Active Learning*, ICDM 2016: one point per true class and one
mirrored point per predicted class, placed so that their distances follow
the costs (only the distances between the two halves are fitted).
"""

from numbers import Real

import numpy as np
from joblib import Parallel, delayed
from scipy import interpolate, optimize
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from ..utils._validation import N_JOBS_CONSTRAINT, POSITIVE_INT

_MDS_CONSTRAINTS = {
    "metric": ["boolean"],
    "n_init": [POSITIVE_INT],
    "max_iter": [POSITIVE_INT],
    "eps": [Interval(Real, 0, None, closed="left")],
    "n_jobs": N_JOBS_CONSTRAINT,
    "random_state": ["random_state"],
}


def _euclidean(X):
    """scikit-learn's ``euclidean_distances(X)``, the same operations in the
    same order (so the same bits), without its per-call input checks."""
    XX = np.einsum("ij,ij->i", X, X)[:, np.newaxis]
    distances = -2 * (X @ X.T)
    distances += XX
    distances += XX.T
    np.maximum(distances, 0, out=distances)
    np.fill_diagonal(distances, 0)
    return np.sqrt(distances)


class _Isotonic:
    """``IsotonicRegression().fit_transform(x, y)`` for one fixed ``x``.

    The same steps as scikit-learn's (ties of ``x`` within float resolution
    averaged in ``(x, y)`` order, SciPy's weighted isotonic fit, the
    thresholds trimmed, ``interp1d`` at ``x``), so the same bits, without
    re-validating ``x`` at every SMACOF iteration.
    """

    def __init__(self, x):
        self.x = x
        xs = np.sort(x)
        eps = np.finfo(np.float64).resolution
        starts = [0]
        for j in range(1, len(xs)):  # a group: within eps of its first x
            if xs[j] - xs[starts[-1]] >= eps:
                starts.append(j)
        self.bounds = list(zip(starts, [*starts[1:], len(xs)]))
        self.ux = xs[starts]
        self.weights = np.diff([*starts, len(xs)]).astype(np.float64)

    def __call__(self, y):
        x, ux, weights = self.x, self.ux, self.weights
        ys = y[np.lexsort((y, x))]  # sorted by x, ties by y
        uy = np.array([np.add.accumulate(ys[a:b])[-1] for a, b in self.bounds])
        fitted = optimize.isotonic_regression(uy / weights, weights=weights).x
        keep = np.ones(len(fitted), dtype=bool)
        keep[1:-1] = (fitted[1:-1] != fitted[:-2]) | (fitted[1:-1] != fitted[2:])
        if keep.sum() == 1:  # one threshold: scikit-learn's constant fit
            return np.full(len(x), fitted[keep][0])
        f = interpolate.interp1d(ux[keep], fitted[keep], bounds_error=False)
        return f(x)


def _smacof_partial(D, n_uq, metric, n_components, max_iter, eps, random_state):
    """One SMACOF run that fits only the distances between the two halves."""
    n = D.shape[0]
    rng = check_random_state(random_state)
    W = np.ones((n, n))
    W[:n_uq, :n_uq] = 0.0
    W[n_uq:, n_uq:] = 0.0
    V = -W
    V[np.arange(n), np.arange(n)] = W.sum(axis=1)
    e = np.ones((n, 1))
    Vp = np.linalg.inv(V + e @ e.T / n) - e @ e.T / n
    known = D.ravel() != 0  # zero dissimilarities are missing values
    D_known = D.ravel()[known]
    X = rng.rand(n * n_components).reshape((n, n_components))
    old_stress, isotonic, diag = None, _Isotonic(D_known), np.arange(n)
    for it in range(max_iter):
        dis = _euclidean(X)
        if metric:
            disparities = D
        else:
            flat = dis.ravel()
            disparities = flat.copy()
            disparities[known] = isotonic(flat[known])
            disparities = disparities.reshape((n, n))
            disparities *= np.sqrt((n * (n - 1) / 2) / (disparities**2).sum())
            disparities[D == 0] = 0
        stress = (W.ravel() * ((dis.ravel() - disparities.ravel()) ** 2)).sum() / 2
        dis[dis == 0] = 1e-5  # the Guttman transform
        ratio = disparities / dis
        B = -W * ratio
        B[diag, diag] += (W * ratio).sum(axis=1)
        X = np.dot(Vp, np.dot(B, X))
        norm = np.sqrt((X**2).sum(axis=1)).sum()
        if old_stress is not None and (old_stress - stress / norm) < eps:
            break
        old_stress = stress / norm
    return X, stress


def _check_cost_matrix(cost_matrix, n_classes, classes=None):
    C = np.asarray(cost_matrix)
    named = "" if classes is None else f" ({np.asarray(classes).tolist()})"
    if C.shape != (n_classes, n_classes):
        raise ValueError(
            f"cost_matrix must have shape ({n_classes}, {n_classes}): a row and a "
            f"column per class{named}, in that order; got shape {C.shape}."
        )
    if C.dtype.kind not in "biuf":
        raise TypeError(f"cost_matrix must hold numbers, got dtype {C.dtype}.")
    C = C.astype(float)
    if not np.isfinite(C).all() or (C < 0).any():
        raise ValueError(
            "cost_matrix must hold finite non-negative costs (cost_matrix[i, j]: "
            "the cost of predicting class j for a sample of class i)."
        )
    if not C.any():
        raise ValueError(
            "cost_matrix must contain at least one positive cost; with all costs "
            "zero there is nothing to embed."
        )
    return C


@validate_params(
    {
        "cost_matrix": ["array-like"],
        "n_components": [POSITIVE_INT, None],
        **_MDS_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def embed_cost_matrix(
    cost_matrix,
    n_components=None,
    *,
    metric=False,
    n_init=8,
    max_iter=300,
    eps=1e-6,
    n_jobs=1,
    random_state=None,
):
    """Embed a cost matrix as ALCE does: a partial, non-metric MDS of its mirror.

    With ``K`` classes, ``2K`` points are placed in ``n_components``
    dimensions: point ``i`` for the true class ``i`` and point ``K + j`` for
    the prediction ``j``, so that the distance between ``i`` and ``K + j``
    is monotone in ``cost_matrix[i, j]`` (``metric=False``, Kruskal's
    non-metric stress) or close to it (``metric=True``). Distances within a
    half, and zero costs, are not fitted. SMACOF runs ``n_init`` times from
    uniform random starts; the run of lowest stress is kept.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes)
        ``cost_matrix[i, j]``: the cost of predicting ``j`` for class ``i``;
        finite, non-negative, with at least one positive cost.
    n_components : int, default=None
        Dimensions of the hidden space; ``None`` is ``n_classes``.
    metric : bool, default=False
        Fit the costs themselves rather than their order.
    n_init : int, default=8
        SMACOF runs from different random starts.
    max_iter : int, default=300
        Most iterations of one run.
    eps : float, default=1e-6
        A run stops when its normalized stress falls by less than this.
    n_jobs : int, default=1
        ``1`` runs the starts one after the other from ``random_state``;
        otherwise a seed per start is drawn first and the starts run in
        parallel threads (the seeds of scikit-learn's and scikit-activeml's
        SMACOF).
    random_state : int, RandomState instance or None, default=None
        Seeds the random starts.

    Returns
    -------
    embedding : ndarray of shape (2 * n_classes, n_components)
        The first ``n_classes`` rows are the true classes' points, the last
        ``n_classes`` the predicted classes' (mirrored) points.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import embed_cost_matrix
    >>> C = np.array([[0, 1, 4], [1, 0, 1], [4, 1, 0]])
    >>> Z = embed_cost_matrix(C, random_state=1)
    >>> d = np.linalg.norm(Z[:3, None] - Z[None, 3:], axis=2)  # class to prediction
    >>> bool(d[0, 2] > d[0, 1] and d[2, 0] > d[2, 1])  # the costly confusion is far
    True
    """
    C = np.asarray(cost_matrix)
    if C.ndim != 2 or C.shape[0] != C.shape[1]:
        raise ValueError(f"cost_matrix must be square, got shape {C.shape}.")
    C = _check_cost_matrix(C, C.shape[0])
    k = C.shape[0]
    n_components = k if n_components is None else n_components
    D = np.zeros((2 * k, 2 * k))
    D[:k, k:] = C
    D[k:, :k] = C.T
    rng = check_random_state(random_state)
    args = (D, k, metric, n_components, max_iter, eps)
    if n_jobs == 1:
        runs = [_smacof_partial(*args, rng) for _ in range(n_init)]
    else:
        seeds = rng.randint(np.iinfo(np.int32).max, size=n_init)
        runs = Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(_smacof_partial)(*args, seed) for seed in seeds
        )
    stresses = [stress for _, stress in runs]
    return runs[int(np.argmin(stresses))][0]
