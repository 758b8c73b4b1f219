"""Hybrid strategies: DiverseMiniBatch, RankedBatch, SuggestiveAnnotation, BADGE.

Each mixes an informativeness score with the diversity of the batch; the
``Hybrid`` combinator of any strategies lives in ``_combine.py`` and is
re-exported here.
"""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ..utils import is_dask_array
from ._base import _MAX_CANDIDATES, BaseStrategy, ceil_product
from ._combine import Hybrid
from ._density import _MEASURE, uncertainty_scores
from ._diversity import _POSITIVE_INT, _candidates_and_labeled
from ._kernels import _sq_dist_to
from ._seeding import greedy_max_cover, kmeans_closest, kmeans_plusplus_factored
from ._seeding_blocks import kmeans_plusplus_factored_blocks
from ._selection import select_top_k

__all__ = [
    "BADGE",
    "DiverseMiniBatch",
    "Hybrid",
    "RankedBatch",
    "SuggestiveAnnotation",
    "gradient_embedding_factors",
]


_AT_LEAST_ONE = [Interval(Real, 1, None, closed="left")]


class DiverseMiniBatch(BaseStrategy):
    """Query informative and diverse samples: prefilter, then weighted k-means.

    The ``beta * batch_size`` most informative pool samples are clustered
    into ``batch_size`` clusters by k-means weighted by their
    informativeness, and the sample closest to each centre is queried
    (Zhdanov, "Diverse mini-batch Active Learning", 2019).

    Parameters
    ----------
    measure : str or callable, default="margin"
        Informativeness, as in :class:`UncertaintySampling`.
    beta : float, default=10
        Prefilter size as a multiple of the batch size (``>= 1``).
    n_init : int, default=1
        Number of k-means restarts.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.KMeansSampling : Unweighted k-means on the whole pool.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import DiverseMiniBatch, QueryContext
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::10], y[::10])
    >>> ctx = QueryContext(X, signals={"proba": model.predict_proba},
    ...                    model=model, random_state=0)
    >>> DiverseMiniBatch(beta=5).select(ctx, 4)[0].shape
    (4,)
    """

    _parameter_constraints = {
        "measure": _MEASURE,
        "beta": _AT_LEAST_ONE,
        "n_init": _POSITIVE_INT,
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, measure="margin", *, beta=10, n_init=1, max_candidates=None):
        self.measure = measure
        self.beta = beta
        self.n_init = n_init
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        rng = context.random_state
        info = uncertainty_scores(self.measure, context)
        top = select_top_k(info, ceil_product(self.beta, batch_size), rng)
        # Only the prefiltered candidates are embedded (sliced if cached).
        Z = context.subset(top).embedding()
        weights = info[top] + 1e-12
        idx, _ = kmeans_closest(
            Z, batch_size, rng, sample_weight=weights, n_init=self.n_init
        )
        chosen = top[idx]
        order = np.argsort(-info[chosen], kind="stable")
        return chosen[order], info[chosen][order]


class RankedBatch(BaseStrategy):
    """Query by a ranked batch: uncertainty traded against distance to the labeled set.

    The batch is built greedily; each pick maximises
    ``alpha * (1 - sim(x, L)) + (1 - alpha) * u(x)``, where ``sim(x, L) =
    1 / (1 + d(x, L))`` is the similarity to the nearest labeled or already
    picked sample, ``u`` the uncertainty, and ``alpha = |U| / (|U| + |L|)``
    is recomputed after each pick (Cardoso et al., "Ranked batch-mode active
    learning", Information Sciences 2017). With no labeled rows every
    candidate is infinitely far from the (empty) labeled set, so the first
    pick is the most uncertain candidate (ties broken at random); the
    batch then grows by the formula.

    Parameters
    ----------
    measure : str or callable, default="least_confidence"
        Uncertainty measure, as in :class:`UncertaintySampling`.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.CoreSet : Distance alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import QueryContext, RankedBatch
    >>> X = np.array([[-2.0], [2.0], [0.0], [0.1], [8.0]])
    >>> model = LogisticRegression().fit(X[:2], [0, 1])
    >>> ctx = QueryContext(X[2:], signals={"proba": model.predict_proba},
    ...                    X_labeled=X[:2], y_labeled=[0, 1], model=model)
    >>> RankedBatch().select(ctx, 2)[0].tolist()
    [0, 2]
    """

    _parameter_constraints = {"measure": _MEASURE, "max_candidates": _MAX_CANDIDATES}

    def __init__(self, measure="least_confidence", *, max_candidates=None):
        self.measure = measure
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        unc = uncertainty_scores(self.measure, context)
        Za, z_sq, d2 = _candidates_and_labeled(context)
        n = Za.shape[0]
        cold = d2 is None
        d2 = np.full(n, np.inf) if cold else d2.astype(np.float64)
        chosen = np.zeros(n, dtype=bool)
        picks, scores = [], []
        for t in range(batch_size):
            if cold and t == 0:
                # Nothing labeled: every distance term is 1 and alpha is 1, so
                # the formula ties everywhere; take the most uncertain instead.
                score = unc
                j = int(select_top_k(unc, 1, context.random_state)[0])
            else:
                alpha = (n - t) / (n + context.n_labeled)
                dist = 1.0 - 1.0 / (1.0 + np.sqrt(d2))
                score = alpha * dist + (1.0 - alpha) * unc
                score[chosen] = -np.inf
                j = int(np.argmax(score))
            picks.append(j)
            scores.append(score[j])
            chosen[j] = True
            np.minimum(d2, _sq_dist_to(Za, z_sq, slice(None), Za[j], z_sq[j]), out=d2)
        return np.asarray(picks, dtype=np.intp), np.asarray(scores)


class SuggestiveAnnotation(BaseStrategy):
    """Query uncertain samples that together cover the pool best.

    The ``beta * batch_size`` most uncertain samples are candidates; from
    them ``batch_size`` are chosen greedily to maximise the coverage
    ``sum_{x in pool} max_{s in batch} cos(s, x)`` (Yang et al., "Suggestive
    Annotation: A Deep Active Learning Framework for Biomedical Image
    Segmentation", MICCAI 2017). Memory is one ``(beta * batch_size, n)``
    float32 similarity matrix; lazy greedy evaluation gives the same picks
    as the plain greedy.

    Parameters
    ----------
    measure : str or callable, default="entropy"
        Uncertainty measure, as in :class:`UncertaintySampling`.
    beta : float, default=2
        Candidates as a multiple of the batch size (``>= 1``).
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.DiverseMiniBatch : Prefilter, then weighted k-means.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import QueryContext, SuggestiveAnnotation
    >>> X = np.array([[-2.0, 1.0], [2.0, 1.0], [0.0, 1.0], [0.1, 1.0], [0.0, -1.0]])
    >>> model = LogisticRegression().fit(X[:2], [0, 1])
    >>> ctx = QueryContext(X[2:], signals={"proba": model.predict_proba},
    ...                    model=model, random_state=0)
    >>> sorted(SuggestiveAnnotation().select(ctx, 2)[0].tolist())
    [0, 2]
    """

    _parameter_constraints = {
        "measure": _MEASURE,
        "beta": _AT_LEAST_ONE,
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, measure="entropy", *, beta=2, max_candidates=None):
        self.measure = measure
        self.beta = beta
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        unc = uncertainty_scores(self.measure, context)
        m = ceil_product(self.beta, batch_size)
        top = select_top_k(unc, m, context.random_state)
        Z = context.embedding().astype(np.float32)
        norms = np.linalg.norm(Z, axis=1)
        Z /= np.where(norms > 0, norms, 1.0)[:, None]
        S = np.maximum(Z[top] @ Z.T, 0.0)
        idx, gains = greedy_max_cover(S, batch_size)
        return top[idx], gains


def gradient_embedding_factors(proba):
    """Return the left factor ``p - onehot(argmax p)`` of BADGE's gradient embedding.

    The last-layer gradient of the cross-entropy at the predicted label is
    ``g = (p - e_yhat) (x) h`` for a hidden representation ``h``; it is kept
    as its two factors.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.

    Returns
    -------
    U : ndarray of shape (n_samples, n_classes)
        ``p`` with 1 subtracted at the most probable class.

    Examples
    --------
    >>> from skal.strategies import gradient_embedding_factors
    >>> gradient_embedding_factors([[0.7, 0.3]]).round(2).tolist()
    [[-0.3, 0.3]]
    """
    U = np.array(proba, dtype=float)
    U[np.arange(U.shape[0]), U.argmax(axis=1)] -= 1.0
    return U


class BADGE(BaseStrategy):
    """Query by batch active learning by diverse gradient embeddings (BADGE).

    Each sample's gradient embedding is the last-layer gradient of the loss
    at its predicted label, ``g = (p - e_yhat) (x) h``; the batch is the
    k-means++ seeding of these embeddings, so it is both uncertain (large
    ``||g||``) and diverse (Ash et al., "Deep Batch Active Learning by
    Diverse, Uncertain Gradient Lower Bounds", ICLR 2020). The embeddings
    are never formed: ``<g_i, g_j> = <p_i - e_i, p_j - e_j> <h_i, h_j>``, so
    memory is O(n (K + d)), not O(n K d). The factors come from the
    context's :meth:`~skal.strategies.QueryContext.gradient_factors`: ``h``
    is the embedding (a net's penultimate layer, a pipeline's transform, or
    the features).
    The k-means++ draws are exact; the pool's distances are updated every
    32 picks by a matrix product, with rejection sampling in between (see
    the user guide).

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.CoreSet : Farthest-first traversal on the embedding alone.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import BADGE, QueryContext
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::10], y[::10])
    >>> ctx = QueryContext(X, signals={"proba": model.predict_proba},
    ...                    model=model, random_state=0)
    >>> len(set(BADGE().select(ctx, 3)[0].tolist()))
    3
    """

    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _select(self, context, batch_size):
        if is_dask_array(context.pool) and context.embeds_features:
            # a dask pool stays on the workers: D^2 lives in its blocks
            import dask.array as da

            H = context.pool.astype(np.float32)
            proba = context.proba()
            U = da.from_array(
                gradient_embedding_factors(proba).astype(np.float32),
                chunks=(H.chunks[0], proba.shape[1]),
            )
            idx, d2 = kmeans_plusplus_factored_blocks(
                U, H, batch_size, context.random_state
            )
            return idx, np.sqrt(d2)
        U, H = context.gradient_factors()
        U = np.asarray(U, dtype=np.float32)
        H = np.asarray(H, dtype=np.float32)
        idx, d2 = kmeans_plusplus_factored(U, H, batch_size, context.random_state)
        return idx, np.sqrt(d2)
