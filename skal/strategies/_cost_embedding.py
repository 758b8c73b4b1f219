"""Active learning with cost embedding, ALCE (Huang & Lin 2016).

Huang & Lin, *A Novel Uncertainty Sampling Algorithm for Cost-sensitive
Multiclass Active Learning*, ICDM 2016. The cost matrix is embedded by a
non-metric MDS into a hidden space with one point per true class and one
mirrored point per predicted class, a regressor per dimension learns where
the labeled samples' classes lie, and a candidate is uncertain when its
predicted point is far from every mirrored point. scikit-activeml's
``CostEmbeddingAL`` (after libact) is the reference.
"""

from numbers import Integral

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVR
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    validate_parameter_constraints,
)

from ._base import _MAX_CANDIDATES, ScoreStrategy
from ._cost_mds import _MDS_CONSTRAINTS, _check_cost_matrix, embed_cost_matrix

_MDS_FIXED = {
    "n_components": "set embed_dim instead",
    "n_uq": "it is the number of classes",
    "dissimilarity": "the costs are the dissimilarities",
}


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
    confusion is costly. The classes are ``classes`` when given (as
    libact's and scikit-activeml's ALCE take them: the cost matrix can name
    a class nobody has labeled yet), else the context's (the model's
    ``classes_``, sorted); with no labeled sample, or a single class
    labeled, every candidate scores 1 (a uniform pick, as scikit-activeml).
    The MDS starts are drawn from the query's random state unless
    ``mds_params["random_state"]`` fixes them. Registered as ``"alce"``.

    Parameters
    ----------
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]``: the cost of predicting class ``j`` for a
        sample of class ``i``, rows and columns in the order of ``classes``
        (or of the context's classes); ``None`` is ``1 - I`` (0/1 costs).
    classes : array-like of shape (n_classes,), default=None
        Every class the cost matrix names, in its order; ``None``: the
        context's classes, which are only those labeled so far.
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
        "classes": ["array-like", None],
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
        classes=None,
        base_regressor=None,
        embed_dim=None,
        mds_params=None,
        nn_params=None,
        max_candidates=None,
    ):
        self.cost_matrix = cost_matrix
        self.classes = classes
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

    def _classes(self, context):
        if self.classes is None:
            if context.classes is None:
                raise ValueError(
                    "CostEmbeddingAL needs the classes of a classifier's context."
                )
            return np.asarray(context.classes)
        classes = np.asarray(self.classes)
        if (
            classes.ndim != 1
            or len(classes) < 2
            or len(set(classes.tolist())) < len(classes)
        ):
            raise ValueError(
                f"classes={classes.tolist()!r} must list two or more distinct "
                "classes, one per row of cost_matrix."
            )
        return classes

    def _label_positions(self, classes, y):
        order = np.argsort(classes, kind="stable")
        pos = np.searchsorted(classes[order], y).clip(0, len(classes) - 1)
        unknown = classes[order][pos] != y
        if unknown.any():
            raise ValueError(
                f"labels {np.unique(y[unknown]).tolist()} are not among the "
                f"classes {classes.tolist()}; add them to classes (and a row and "
                "column of cost_matrix each)."
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
        classes = self._classes(context)
        y = self._label_positions(classes, np.asarray(context.y_labeled))
        k = len(classes)
        if self.cost_matrix is None:
            C = 1 - np.eye(k)
        else:
            C = _check_cost_matrix(self.cost_matrix, k, classes)
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
        nn.fit(embedding[len(embedding) // 2 :])  # the mirrored points
        return nn.kneighbors(predicted)[0][:, 0]
