"""Information density: DensityWeighted, uncertainty weighted by pool density.

The density of a sample is its mean similarity to the pool in an embedding:
the learner's ``embed``, a pipeline's transform steps, or the raw features
(see :func:`skal.strategies.get_embedding`).
"""

import numpy as np

from ._base import ScoreStrategy
from ._diversity import _check_positive
from ._embedding import get_embedding
from ._kernels import augment, mean_rbf_similarity
from ._uncertainty import UncertaintySampling


class DensityWeighted(ScoreStrategy):
    """Query uncertain samples in dense regions: information density.

    The score is ``u(x) * (mean_{x'} sim(x, x'))^beta``, an uncertainty
    ``u`` weighted by the mean similarity of ``x`` to the pool (Settles &
    Craven, "An Analysis of Active Learning Strategies for Sequence Labeling
    Tasks", EMNLP 2008). Cosine similarity needs only O(n d) work (the mean
    of the normalised pool); the RBF kernel costs O(n^2 d) time in chunks.

    Parameters
    ----------
    measure : str or callable, default="entropy"
        Uncertainty measure, as in :class:`UncertaintySampling`.
    beta : float, default=1.0
        Weight of the density term; 0 gives plain uncertainty sampling.
    similarity : {"cosine", "rbf"}, default="cosine"
        Similarity between samples in the embedding. Negative mean cosine
        similarities count as 0.
    gamma : float, default=None
        RBF width; ``None`` uses ``1 / (n_dims * var(Z))``.
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.UncertaintySampling : The uncertainty term alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import DensityWeighted
    >>> X = np.array([[-3.0], [3.0], [-0.3], [0.5], [0.55], [0.6], [0.45]])
    >>> learner = ActiveLearner(LogisticRegression()).fit(X, [0, 1, -1, -1, -1, -1, -1])
    >>> DensityWeighted(similarity="rbf").query(learner, X[2:], 1)[0].tolist()
    [1]
    """

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

    def density(self, learner, X):
        """Return the mean similarity of each sample of ``X`` to all of ``X``.

        Parameters
        ----------
        learner : object
            The learner whose embedding is used.
        X : array-like, sparse matrix or DataFrame
            The pool.

        Returns
        -------
        density : ndarray of shape (n_samples,)
            Mean similarity, at least 0.
        """
        Z = get_embedding(learner, X)
        if self.similarity == "cosine":
            norms = np.linalg.norm(Z, axis=1)
            Zn = Z / np.where(norms > 0, norms, 1.0)[:, None]
            return np.maximum(Zn @ Zn.mean(axis=0), 0.0)
        if self.similarity == "rbf":
            Za, z_sq = augment(Z)
            gamma = self.gamma
            if gamma is None:
                var = float(Z.var())
                gamma = 1.0 / (Z.shape[1] * var) if var > 0 else 1.0
            gamma = _check_positive(gamma, "gamma", minimum=0)
            return mean_rbf_similarity(Za, z_sq, gamma)
        raise ValueError(
            f"similarity must be 'cosine' or 'rbf', got {self.similarity!r}."
        )

    def scores(self, learner, X):
        """Return the density-weighted uncertainty of each sample.

        Parameters
        ----------
        learner : object
            The fitted learner.
        X : array-like, sparse matrix or DataFrame
            The pool.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            ``uncertainty * density ** beta``.
        """
        beta = _check_positive(self.beta, "beta", minimum=0)
        unc = UncertaintySampling(self.measure).scores(learner, X)
        if unc.size and unc.min() < 0:  # decision-function margins are <= 0
            unc = unc - unc.min()
        return unc * self.density(learner, X) ** beta
