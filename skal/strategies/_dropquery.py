"""DropQuery: dropout disagreement, then k-means diversity (Gupta et al. 2024).

Gupta, Liu, Jiang, Shen, Mao, Li & Kim, *Revisiting Active Learning in the
Era of Vision Foundation Models*, TMLR 2024. Features are dropped at random
several times; the candidates whose predicted class changes in more than
half of the passes are the uncertain ones, and a k-means over their
embeddings spreads the batch over them.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._clue import _seeded_clusterer, nearest_to_centroids
from ._context_model import _dense
from ._coverage import _blocks


class DropQuery(BaseStrategy):
    """Query the centroids of the candidates whose prediction dropout changes.

    For each of ``n_dropout_samples`` passes, every feature of every
    candidate is set to 0 with probability ``dropout_rate`` and the model
    predicts again. With ``y(x)`` the prediction on the intact features and
    ``y_t(x)`` that of pass ``t``, the disagreement is

    ``r(x) = 1/T sum_t [y_t(x) != y(x)]``.

    The candidates with ``r(x) > 1/2`` (at least ``batch_size`` of them:
    the highest ``r`` fill up, ties in ``argsort`` order) are clustered by
    k-means into ``batch_size`` clusters on their embedding, and the
    candidate nearest each centroid is queried. Dropout acts on the rows the
    model predicts from; with a foundation-model embedding as features (the
    paper's setting) that is the embedding.

    Parameters
    ----------
    dropout_rate : float, default=0.75
        Probability of zeroing each feature, in (0, 1).
    n_dropout_samples : int, default=5
        Dropout passes ``T``.
    clusterer : estimator with ``fit_transform`` and ``n_clusters``, default=None
        The clustering; ``n_clusters`` is set to the batch size. ``None`` is
        ``KMeans(n_init="auto")`` seeded by the query's random state.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import DropQuery, QueryContext
    >>> X = np.array([[3.0, 3.0], [0.2, 0.1], [0.1, 0.3], [4.0, 5.0]])
    >>> predict = lambda X: (X.sum(axis=1) > 1).astype(int)
    >>> ctx = QueryContext(X, classes=[0, 1], signals={"predict": predict},
    ...                    random_state=0)
    >>> DropQuery().disagreement(ctx).tolist()
    [0.6, 0.0, 0.0, 0.2]
    """

    task = "classification"
    _parameter_constraints = {
        "dropout_rate": [Interval(Real, 0, 1, closed="neither")],
        "n_dropout_samples": [Interval(Integral, 1, None, closed="left")],
        "clusterer": [HasMethods(["fit_transform", "set_params"]), None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        dropout_rate=0.75,
        n_dropout_samples=5,
        *,
        clusterer=None,
        max_candidates=None,
    ):
        self.dropout_rate = dropout_rate
        self.n_dropout_samples = n_dropout_samples
        self.clusterer = clusterer
        self.max_candidates = max_candidates

    def disagreement(self, context):
        """Share of dropout passes that change each prediction, (n_candidates,).

        Parameters
        ----------
        context : QueryContext
            The candidates and the model.

        Returns
        -------
        rate : ndarray of shape (n_candidates,)
            ``r(x)`` in ``[0, 1]``.
        """
        y_pred = np.asarray(context.predict())
        X = _dense(context.rows())
        rng = context.random_state
        changed = np.zeros(X.shape[0])
        # pass by pass, blocks of rows in order: the masks of one draw of
        # shape (n, d) per pass, with memory bounded by a block
        for _ in range(self.n_dropout_samples):
            for rows in _blocks(X.shape[0]):
                X_drop = X[rows].copy()
                X_drop[rng.random_sample(X_drop.shape) < self.dropout_rate] = 0.0
                changed[rows] += context.predict_rows(X_drop) != y_pred[rows]
        return changed / self.n_dropout_samples

    def _select(self, context, batch_size):
        rate = self.disagreement(context)
        rng = context.random_state
        # the rows with r > 1/2, or the batch_size highest; in argsort order
        # (the k-means's input order, as scikit-activeml's)
        n_keep = max(int(np.count_nonzero(rate > 0.5)), batch_size)
        uncertain = np.argsort(rate)[-n_keep:]
        Z = context.embedding()[uncertain]
        clusterer = _seeded_clusterer(self.clusterer, batch_size, rng)
        picks, scores = nearest_to_centroids(clusterer.fit_transform(Z), rng)
        return uncertain[picks], scores
