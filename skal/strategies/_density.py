"""Information density: DensityWeighted, uncertainty weighted by pool density.

The density of a candidate is its mean similarity to the candidates in an
embedding: the context's :meth:`~skal.strategies.QueryContext.embedding`
(the model's ``embed``, a pipeline's transform steps, or the raw features).
"""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import _MAX_CANDIDATES, ScoreStrategy
from ._kernels import augment, mean_rbf_similarity
from ._uncertainty import MEASURES, UncertaintySampling

_MEASURE = [StrOptions(set(MEASURES)), callable]


def uncertainty_scores(measure, context):
    """Uncertainty of each candidate, shifted to be non-negative.

    Decision-function margins (``measure="margin"`` on a model without
    ``predict_proba``) are ``<= 0``; they are shifted so that the scores
    can weight a density or a k-means.
    """
    scores = UncertaintySampling(measure)._score(context)
    if scores.size and scores.min() < 0:
        scores = scores - scores.min()
    return scores


def mean_cosine_similarity(Z):
    """Return ``mean_j (1 + cos(z_i, z_j)) / 2`` for every row, in O(n d).

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_dims)
        Points; a zero row has cosine 0 to every point.

    Returns
    -------
    density : ndarray of shape (n_samples,)
        Mean similarity in ``[0, 1]``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies._density import mean_cosine_similarity
    >>> mean_cosine_similarity(np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 0.0]])).tolist()
    [0.5, 0.6666666666666666, 0.5]
    """
    norms = np.linalg.norm(Z, axis=1)
    Zn = Z / np.where(norms > 0, norms, 1.0)[:, None]
    return 0.5 * (1.0 + Zn @ Zn.mean(axis=0))


class DensityWeighted(ScoreStrategy):
    """Query uncertain samples in dense regions: information density.

    The score is ``u(x) * (mean_{x'} sim(x, x'))^beta``, an uncertainty
    ``u`` weighted by the mean similarity of ``x`` to the candidates
    (Settles & Craven, "An Analysis of Active Learning Strategies for
    Sequence Labeling Tasks", EMNLP 2008). The cosine similarity is mapped
    to ``[0, 1]`` as ``(1 + cos(x, x')) / 2``, so a candidate opposite most
    of the pool keeps a small positive density instead of 0; it needs only
    O(n d) work (the mean of the normalised candidates). The RBF kernel
    costs O(n^2 d) time in chunks.

    Parameters
    ----------
    measure : str or callable, default="entropy"
        Uncertainty measure, as in :class:`UncertaintySampling`.
    beta : float, default=1.0
        Weight of the density term; 0 gives plain uncertainty sampling.
    similarity : {"cosine", "rbf"}, default="cosine"
        Similarity between samples in the embedding: ``(1 + cos) / 2`` or
        ``exp(-gamma ||x - x'||^2)``.
    gamma : float, default=None
        RBF width; ``None`` uses ``1 / (n_dims * var(Z))``.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.UncertaintySampling : The uncertainty term alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import DensityWeighted, QueryContext
    >>> X = np.array([[-3.0], [3.0], [-0.3], [0.5], [0.55], [0.6], [0.45]])
    >>> model = LogisticRegression().fit(X[:2], [0, 1])
    >>> ctx = QueryContext(X[2:], signals={"proba": model.predict_proba},
    ...                    model=model, random_state=0)
    >>> DensityWeighted(similarity="rbf").select(ctx, 1)[0].tolist()
    [1]
    """

    _parameter_constraints = {
        "measure": _MEASURE,
        "beta": [Interval(Real, 0, None, closed="left")],
        "similarity": [StrOptions({"cosine", "rbf"})],
        "gamma": [Interval(Real, 0, None, closed="neither"), None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        measure="entropy",
        *,
        beta=1.0,
        similarity="cosine",
        gamma=None,
        max_candidates=None,
    ):
        self.measure = measure
        self.beta = beta
        self.similarity = similarity
        self.gamma = gamma
        self.max_candidates = max_candidates

    def density(self, context):
        """Return the mean similarity of each candidate to all candidates.

        Parameters
        ----------
        context : QueryContext
            The candidates (their embedding is used).

        Returns
        -------
        density : ndarray of shape (n_candidates,)
            Mean similarity, in ``[0, 1]``.
        """
        self._validate_params()
        Z = context.embedding()
        if self.similarity == "cosine":
            return mean_cosine_similarity(Z)
        Za, z_sq = augment(Z)
        gamma = self.gamma
        if gamma is None:
            var = float(Z.var())
            gamma = 1.0 / (Z.shape[1] * var) if var > 0 else 1.0
        return mean_rbf_similarity(Za, z_sq, gamma)

    def _score(self, context):
        unc = uncertainty_scores(self.measure, context)
        return unc * self.density(context) ** self.beta
