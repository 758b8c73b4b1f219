"""Active learning with cost embedding, ALCE (Huang & Lin 2016).

Huang & Lin, *A Novel Uncertainty Sampling Algorithm for Cost-sensitive
Multiclass Active Learning*, ICDM 2016. The cost matrix is embedded by a
non-metric MDS into a hidden space with one point per true class and one
mirrored point per predicted class, a regressor per dimension learns where
the labeled samples' classes lie, and a candidate is uncertain when its
predicted point is far from every mirrored point. scikit-activeml's
``CostEmbeddingAL`` (after libact) is the reference.
"""

from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import euclidean_distances
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVR
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    validate_parameter_constraints,
    validate_params,
)

from ..utils._validation import N_JOBS_CONSTRAINT, POSITIVE_INT
from ._base import _MAX_CANDIDATES, ScoreStrategy

_MDS_CONSTRAINTS = {
    "metric": ["boolean"],
    "n_init": [POSITIVE_INT],
    "max_iter": [POSITIVE_INT],
    "eps": [Interval(Real, 0, None, closed="left")],
    "n_jobs": N_JOBS_CONSTRAINT,
    "random_state": ["random_state"],
}
_MDS_FIXED = {
    "n_components": "set embed_dim instead",
    "n_uq": "it is the number of classes",
    "dissimilarity": "the costs are the dissimilarities",
}


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
    old_stress, ir, diag = None, IsotonicRegression(), np.arange(n)
    for it in range(max_iter):
        dis = euclidean_distances(X)
        if metric:
            disparities = D
        else:
            flat = dis.ravel()
            disparities = flat.copy()
            disparities[known] = ir.fit_transform(D_known, flat[known])
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


class CostEmbeddingAL(ScoreStrategy):
    """Query the candidate whose predicted hidden point is farthest from any class.

    ALCE (Huang & Lin 2016) embeds the cost matrix :math:`C` with
    :func:`embed_cost_matrix`: a point :math:`z_i` per true class and a
    mirrored point :math:`z'_j` per prediction, the distance
    :math:`\\lVert z_i - z'_j \\rVert` following :math:`C_{ij}`. One regressor
    per hidden dimension learns :math:`x_l \\mapsto z_{y_l}` on the labeled
    samples' embeddings (the features, or a pipeline's transform steps), and
    the score of a candidate is the distance of its predicted point to the
    nearest mirrored point,

    .. math:: u(x) = \\min_j \\lVert g(x) - z'_j \\rVert,

    large where the regressors place :math:`x` between classes whose
    confusion is costly. The classes are the context's (the model's
    ``classes_``, sorted); with no labeled sample, or a single class, every
    candidate scores 1 (a uniform pick, as scikit-activeml). The MDS starts
    are drawn from the query's random state unless
    ``mds_params["random_state"]`` fixes them. Registered as ``"alce"``.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]``: the cost of predicting class ``j`` for a
        sample of class ``i``, rows and columns in the order of the
        context's classes; ``None`` is ``1 - I`` (0/1 costs).
    base_regressor : regressor, default=None
        Cloned once per hidden dimension; ``None`` is ``SVR()``.
    embed_dim : int, default=None
        Dimensions of the hidden space, at most ``2 * n_classes`` (the
        embedding's points span no more); ``None`` is the number of classes.
    mds_params : dict, default=None
        Overrides of :func:`embed_cost_matrix`'s ``metric`` (False),
        ``n_init`` (8), ``max_iter`` (300), ``eps`` (1e-6), ``n_jobs`` (1)
        and ``random_state`` (the query's).
    nn_params : dict, default=None
        Parameters of the :class:`~sklearn.neighbors.NearestNeighbors` that
        finds the nearest mirrored point (``n_neighbors`` is 1).
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import CostEmbeddingAL, QueryContext
    >>> X_lab = np.array([[0.0], [0.2], [2.0], [2.2], [4.0], [4.2]])
    >>> C = [[0, 1, 10], [1, 0, 1], [10, 1, 0]]  # mistaking 0 for 2 is costly
    >>> ctx = QueryContext(np.array([[0.1], [1.0], [2.1]]), classes=[0, 1, 2],
    ...                    X_labeled=X_lab, y_labeled=[0, 0, 1, 1, 2, 2],
    ...                    random_state=0)
    >>> CostEmbeddingAL(C).select(ctx, 1)[0].tolist()  # between classes 0 and 1
    [1]
    """

    requires_model = False
    requires_labels = True  # the classes of the labeled rows
    task = "classification"
    _parameter_constraints = {
        "cost_matrix": ["array-like", None],
        "base_regressor": [HasMethods(["fit", "predict"]), None],
        "embed_dim": [Interval(Integral, 1, None, closed="left"), None],
        "mds_params": [dict, None],
        "nn_params": [dict, None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        cost_matrix=None,
        *,
        base_regressor=None,
        embed_dim=None,
        mds_params=None,
        nn_params=None,
        max_candidates=None,
    ):
        self.cost_matrix = cost_matrix
        self.base_regressor = base_regressor
        self.embed_dim = embed_dim
        self.mds_params = mds_params
        self.nn_params = nn_params
        self.max_candidates = max_candidates

    def _mds_params(self, context):
        params = dict(self.mds_params or {})
        for key, why in _MDS_FIXED.items():
            if key in params:
                raise ValueError(f"mds_params cannot set {key!r}: {why}.")
        unknown = sorted(set(params) - set(_MDS_CONSTRAINTS))
        if unknown:
            raise ValueError(
                f"mds_params has unknown keys {unknown}; it takes "
                f"{sorted(_MDS_CONSTRAINTS)}."
            )
        validate_parameter_constraints(
            {k: _MDS_CONSTRAINTS[k] for k in params}, params, "mds_params of ALCE"
        )
        return {"random_state": context.random_state, **params}

    def _nearest_neighbors(self):
        params = dict(self.nn_params or {})
        if "n_neighbors" in params:
            raise ValueError("nn_params cannot set 'n_neighbors': ALCE needs 1.")
        unknown = sorted(set(params) - set(NearestNeighbors().get_params()))
        if unknown:
            raise ValueError(
                f"nn_params has keys {unknown} that NearestNeighbors does not take."
            )
        return NearestNeighbors(n_neighbors=1, **params)

    def _label_positions(self, context):
        classes = context.classes
        if classes is None:
            raise ValueError(
                "CostEmbeddingAL needs the classes of a classifier's context."
            )
        y = np.asarray(context.y_labeled)
        order = np.argsort(classes, kind="stable")
        pos = np.searchsorted(classes[order], y).clip(0, len(classes) - 1)
        unknown = classes[order][pos] != y
        if unknown.any():
            raise ValueError(
                f"labels {np.unique(y[unknown]).tolist()} are not among the "
                f"context's classes {classes.tolist()}."
            )
        return order[pos]

    def hidden_points(self, context):
        """The cost embedding and each candidate's predicted hidden point.

        Parameters
        ----------
        context : QueryContext
            The candidates, the labeled set (at least one row) and the classes.
            The MDS starts are drawn from its random state unless
            ``mds_params["random_state"]`` is set.

        Returns
        -------
        embedding : ndarray of shape (2 * n_classes, embed_dim)
            :func:`embed_cost_matrix` of the cost matrix: the classes'
            points, then the mirrored points.
        predicted : ndarray of shape (n_candidates, embed_dim)
            The regressors' point of each candidate.
        """
        if self.base_regressor is not None and is_classifier(self.base_regressor):
            raise TypeError(
                f"base_regressor must be a regressor, got {self.base_regressor!r}; "
                "ALCE regresses the classes' points in the hidden space."
            )
        if not context.n_labeled:
            raise ValueError(
                "CostEmbeddingAL regresses the labeled samples' class points; the "
                "context has no labeled sample."
            )
        y = self._label_positions(context)
        k = len(context.classes)
        if self.cost_matrix is None:
            C = 1 - np.eye(k)
        else:
            C = _check_cost_matrix(self.cost_matrix, k, context.classes)
        dim = k if self.embed_dim is None else self.embed_dim
        if dim > 2 * k:
            raise ValueError(
                f"embed_dim={dim} is more than 2 * n_classes = {2 * k}: the "
                f"{2 * k} points of the cost embedding span at most {2 * k - 1} "
                "dimensions, and each dimension costs a regressor fit; pass "
                f"embed_dim <= {2 * k} (None: {k})."
            )
        embedding = embed_cost_matrix(C, dim, **self._mds_params(context))
        Z_labeled, Z = context.labeled_embedding(), context.embedding()
        base = SVR() if self.base_regressor is None else self.base_regressor
        predicted = np.empty((Z.shape[0], dim))
        for d in range(dim):
            model = clone(base).fit(Z_labeled, embedding[:k, d][y])
            predicted[:, d] = model.predict(Z)
        return embedding, predicted

    def _score(self, context):
        if not context.n_labeled or (
            context.classes is not None and len(context.classes) < 2
        ):
            return np.ones(context.n_candidates)
        nn = self._nearest_neighbors()
        embedding, predicted = self.hidden_points(context)
        nn.fit(embedding[len(context.classes) :])
        return nn.kneighbors(predicted)[0][:, 0]
