"""Hybrid strategies: informativeness and diversity together.

DiverseMiniBatch, RankedBatch, SuggestiveAnnotation, BADGE, and the
``Hybrid`` combinator of any strategies.
"""

import numpy as np
from scipy.stats import rankdata

from ..utils import num_rows, score_in_chunks, take_rows
from ._base import BaseStrategy, require_signal
from ._diversity import _check_positive, _pool_and_labeled
from ._embedding import get_embedding
from ._kernels import (
    _sq_dist_to,
    greedy_max_cover,
    kmeans_closest,
    kmeans_plusplus_factored,
)
from ._registry import resolve_strategy
from ._selection import select_top_k
from ._uncertainty import UncertaintySampling


def _informativeness(measure, learner, X):
    """Uncertainty scores shifted to be non-negative (they weight k-means)."""
    scores = UncertaintySampling(measure).scores(learner, X)
    if scores.size and scores.min() < 0:  # decision-function margins are <= 0
        scores = scores - scores.min()
    return scores


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
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.KMeansSampling : Unweighted k-means on the whole pool.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import DiverseMiniBatch
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = y.copy(); y_partial[10:140] = -1
    >>> learner = ActiveLearner(LogisticRegression(max_iter=500),
    ...                         query_strategy=DiverseMiniBatch(beta=5),
    ...                         batch_size=4, random_state=0).fit(X, y_partial)
    >>> learner.query().shape
    (4,)
    """

    def __init__(self, measure="margin", *, beta=10, n_init=1, max_candidates=None):
        self.measure = measure
        self.beta = beta
        self.n_init = n_init
        self.max_candidates = max_candidates

    def _query(self, learner, X_pool, batch_size, rng):
        beta = _check_positive(self.beta, "beta")
        n_init = _check_positive(self.n_init, "n_init", integer=True)
        info = _informativeness(self.measure, learner, X_pool)
        top = select_top_k(info, int(np.ceil(beta * batch_size)), rng)
        Z = get_embedding(learner, take_rows(X_pool, top))
        weights = info[top] + 1e-12
        idx, _ = kmeans_closest(
            Z, batch_size, rng, sample_weight=weights, n_init=n_init
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
    learning", Information Sciences 2017).

    Parameters
    ----------
    measure : str or callable, default="least_confidence"
        Uncertainty measure, as in :class:`UncertaintySampling`.
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.CoreSet : Distance alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import RankedBatch
    >>> X = np.array([[-2.0], [2.0], [0.0], [0.1], [8.0]])
    >>> learner = ActiveLearner(LogisticRegression()).fit(X, [0, 1, -1, -1, -1])
    >>> RankedBatch().query(learner, X[2:], 2)[0].tolist()
    [0, 2]
    """

    def __init__(self, measure="least_confidence", *, max_candidates=None):
        self.measure = measure
        self.max_candidates = max_candidates

    def _query(self, learner, X_pool, batch_size, rng):
        unc = UncertaintySampling(self.measure).scores(learner, X_pool)
        Za, z_sq, d2 = _pool_and_labeled(learner, X_pool)
        n = Za.shape[0]
        n_labeled = int(np.sum(getattr(learner, "labeled_mask_", 0)))
        d2 = np.full(n, np.inf) if d2 is None else d2.astype(np.float64)
        chosen = np.zeros(n, dtype=bool)
        picks, scores = [], []
        for t in range(batch_size):
            alpha = (n - t) / (n + n_labeled)
            score = alpha * (1.0 - 1.0 / (1.0 + np.sqrt(d2))) + (1.0 - alpha) * unc
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
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.DiverseMiniBatch : Prefilter, then weighted k-means.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import SuggestiveAnnotation
    >>> X = np.array([[-2.0, 1.0], [2.0, 1.0], [0.0, 1.0], [0.1, 1.0], [0.0, -1.0]])
    >>> learner = ActiveLearner(LogisticRegression()).fit(X, [0, 1, -1, -1, -1])
    >>> sorted(SuggestiveAnnotation().query(learner, X[2:], 2)[0].tolist())
    [0, 2]
    """

    def __init__(self, measure="entropy", *, beta=2, max_candidates=None):
        self.measure = measure
        self.beta = beta
        self.max_candidates = max_candidates

    def _query(self, learner, X_pool, batch_size, rng):
        beta = _check_positive(self.beta, "beta")
        unc = UncertaintySampling(self.measure).scores(learner, X_pool)
        top = select_top_k(unc, int(np.ceil(beta * batch_size)), rng)
        Z = get_embedding(learner, X_pool).astype(np.float32)
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
    memory is O(n (K + d)), not O(n K d). ``h`` is the learner's embedding
    (a net's penultimate layer, a pipeline's transform, or the features).
    The k-means++ draws are exact; the pool's distances are updated every
    32 picks by a matrix product, with rejection sampling in between (see
    the user guide).

    Parameters
    ----------
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.CoreSet : Farthest-first traversal on the embedding alone.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import BADGE
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = y.copy(); y_partial[10:140] = -1
    >>> learner = ActiveLearner(LogisticRegression(max_iter=500),
    ...                         query_strategy=BADGE(), batch_size=3,
    ...                         random_state=0).fit(X, y_partial)
    >>> len(set(learner.query().tolist()))
    3
    """

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _query(self, learner, X_pool, batch_size, rng):
        predict_proba = require_signal(learner, "predict_proba", self)
        proba = score_in_chunks(predict_proba, X_pool)
        U = gradient_embedding_factors(proba).astype(np.float32)
        H = get_embedding(learner, X_pool).astype(np.float32)
        idx, d2 = kmeans_plusplus_factored(U, H, batch_size, rng)
        return idx, np.sqrt(d2)


class Hybrid(BaseStrategy):
    """Combine strategies by weighted normalised scores or by rank fusion.

    Each strategy gives every pool sample a score: its ``scores`` method
    when it has one (uncertainty, density, distance to the labeled set),
    else its own batch, ranked (the first pick scores 1, the last
    ``1 / batch_size``, unpicked samples 0).

    - ``combine="score"``: each score is min-max normalised to [0, 1] and
      the weighted sum is ranked.
    - ``combine="rank"``: weighted Borda count; each strategy ranks the pool
      (ties share their mean rank) and the lowest weighted mean rank wins.

    Parameters
    ----------
    strategies : list of (str, strategy) tuples
        Named strategies (objects, names or callables); parameters are
        reachable as ``<name>__<param>``.
    weights : list of float, default=None
        One weight per strategy; ``None`` weighs them equally.
    combine : {"score", "rank"}, default="score"
        How scores are fused.
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.DensityWeighted : Uncertainty times density.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import CoreSet, Hybrid
    >>> X = np.array([[-2.0], [2.0], [0.0], [0.1], [9.0]])
    >>> learner = ActiveLearner(LogisticRegression()).fit(X, [0, 1, -1, -1, -1])
    >>> both = Hybrid([("unc", "margin"), ("far", CoreSet())], weights=[1, 3])
    >>> both.query(learner, X[2:], 1)[0].tolist()
    [2]
    >>> both.set_params(far__max_candidates=2).far.max_candidates
    2
    """

    def __init__(
        self, strategies, *, weights=None, combine="score", max_candidates=None
    ):
        self.strategies = strategies
        self.weights = weights
        self.combine = combine
        self.max_candidates = max_candidates

    @property
    def needs_model(self):
        """Return whether any combined strategy needs a fitted model.

        Returns
        -------
        needs_model : bool
            False only when every strategy can choose without a model.
        """
        return any(
            getattr(resolve_strategy(s), "needs_model", True) for _, s in self._named()
        )

    def _named(self):
        try:
            pairs = [(str(name), s) for name, s in self.strategies]
        except (TypeError, ValueError):
            raise TypeError(
                "strategies must be a list of (name, strategy) tuples, got "
                f"{self.strategies!r}."
            ) from None
        if not pairs:
            raise ValueError("Hybrid needs at least one strategy.")
        names = [name for name, _ in pairs]
        if len(set(names)) != len(names) or any("__" in name for name in names):
            raise ValueError(
                f"Strategy names must be unique and contain no '__', got {names}."
            )
        return pairs

    def get_params(self, deep=True):
        """Get parameters, with the strategies' own as ``<name>__<param>``.

        Parameters
        ----------
        deep : bool, default=True
            Include the named strategies and their parameters.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        params = super().get_params(deep=False)
        try:
            pairs = self._named() if deep else []
        except (TypeError, ValueError):
            pairs = []  # reported when the strategy is used
        for name, s in pairs:
            params[name] = s
            if hasattr(s, "get_params"):
                for key, value in s.get_params(deep=True).items():
                    params[f"{name}__{key}"] = value
        return params

    def set_params(self, **params):
        """Set parameters, including ``<name>`` and ``<name>__<param>``.

        Parameters
        ----------
        **params : dict
            Parameters to set.

        Returns
        -------
        self : Hybrid
            This strategy.
        """
        own = {k: params.pop(k) for k in list(params) if k in self._param_names()}
        super().set_params(**own)
        pairs = self._named()
        names = [name for name, _ in pairs]
        for key in [k for k in params if k in names]:
            pairs[names.index(key)] = (key, params.pop(key))
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in names or not sub:
                raise ValueError(f"Invalid parameter {key!r} for {self!r}.")
            nested.setdefault(name, {})[sub] = value
        for name, sub in nested.items():
            i = names.index(name)
            pairs[i] = (name, pairs[i][1].set_params(**sub))
        self.strategies = pairs
        return self

    @classmethod
    def _param_names(cls):
        return ("strategies", "weights", "combine", "max_candidates")

    def __getattr__(self, name):
        if not name.startswith("_") and "strategies" in self.__dict__:
            for key, s in self.__dict__["strategies"]:
                if key == name:
                    return s
        raise AttributeError(
            f"{type(self).__name__!r} object has no attribute {name!r}"
        )

    def _scores_of(self, strategy, learner, X_pool, batch_size, rng):
        if hasattr(strategy, "scores"):
            scores = np.asarray(strategy.scores(learner, X_pool), dtype=float)
            return np.where(np.isfinite(scores), scores, 0.0)
        idx, _ = strategy.query(learner, X_pool, batch_size, random_state=rng)
        scores = np.zeros(num_rows(X_pool))
        scores[idx] = 1.0 - np.arange(len(idx)) / len(idx)
        return scores

    def _query(self, learner, X_pool, batch_size, rng):
        pairs = self._named()
        weights = np.ones(len(pairs)) if self.weights is None else self.weights
        weights = np.asarray(weights, dtype=float)
        if weights.shape != (len(pairs),) or (weights < 0).any():
            raise ValueError(
                f"weights must be {len(pairs)} non-negative numbers, got "
                f"{self.weights!r}."
            )
        if self.combine not in ("score", "rank"):
            raise ValueError(
                f"combine must be 'score' or 'rank', got {self.combine!r}."
            )
        total = np.zeros(num_rows(X_pool))
        for (name, s), w in zip(pairs, weights):
            strategy = resolve_strategy(s, param=f"strategies[{name!r}]")
            scores = self._scores_of(strategy, learner, X_pool, batch_size, rng)
            if self.combine == "rank":
                total -= w * rankdata(-scores)
            else:
                span = scores.max() - scores.min()
                total += w * ((scores - scores.min()) / span if span > 0 else 0.0)
        idx = select_top_k(total, batch_size, rng)
        return idx, total[idx]
