"""Acquisition functions on Monte-Carlo dropout passes (Gal et al. 2017).

Each strategy asks the learner for ``predict_proba_samples(X)``, a stack of
shape ``(n_passes, n_samples, n_classes)`` (dropout passes of a
:class:`skal.BayesianLearner`, or the members of a committee), and scores
every sample with one of the pure measures of
:mod:`skal.strategies._disagreement`. The top of the pool is queried.
"""

from ._base import ScoreStrategy, require_signal
from ._disagreement import bald, consensus_entropy, mean_std, variation_ratio

_FIX = (
    "Wrap a skorch net whose module has dropout in skal.BayesianLearner, "
    "or use a committee."
)


class _SampleScoreStrategy(ScoreStrategy):
    """Score each sample with a measure of the stack of stochastic passes.

    Parameters
    ----------
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples per query.
    """

    _measure = None

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _scorer(self, learner):
        predict = require_signal(learner, "predict_proba_samples", self, fix=_FIX)
        measure = type(self)._measure
        return lambda X: measure(predict(X))


class BALD(_SampleScoreStrategy):
    """Query the samples with the largest BALD score (mutual information).

    ``I(y; w | x) = H[mean_t p_t] - mean_t H[p_t]`` over the MC-dropout
    passes ``p_t`` (Houlsby et al. 2011; Gal, Islam & Ghahramani 2017): the
    samples on which the passes are individually confident but disagree.

    Parameters
    ----------
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples per query.

    See Also
    --------
    skal.strategies.BatchBALD : Joint mutual information of a whole batch.
    skal.strategies.bald : The pure measure.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import BALD
    >>> from sklearn.base import BaseEstimator
    >>> class Passes(BaseEstimator):  # any learner with predict_proba_samples
    ...     def predict_proba_samples(self, X):
    ...         return np.stack([X, X[:, ::-1]])
    >>> X = np.array([[0.5, 0.5], [0.9, 0.1], [0.99, 0.01]])
    >>> BALD().query(Passes(), X, 2, random_state=0)[0].tolist()
    [2, 1]
    """

    _measure = staticmethod(bald)


class MaxEntropy(_SampleScoreStrategy):
    """Query the samples with the largest predictive entropy.

    ``H[mean_t p_t]``, the entropy of the averaged MC-dropout passes (Gal,
    Islam & Ghahramani 2017; Shannon 1948).

    Parameters
    ----------
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples per query.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import MaxEntropy
    >>> from sklearn.base import BaseEstimator
    >>> class Passes(BaseEstimator):
    ...     def predict_proba_samples(self, X):
    ...         return np.stack([X, X])
    >>> X = np.array([[0.9, 0.1], [0.5, 0.5], [0.7, 0.3]])
    >>> MaxEntropy().query(Passes(), X, 2, random_state=0)[0].tolist()
    [1, 2]
    """

    _measure = staticmethod(consensus_entropy)


class VariationRatios(_SampleScoreStrategy):
    """Query the samples whose passes vote least for their modal class.

    ``1 - max_k (votes for k) / T`` over ``T`` MC-dropout passes (Freeman
    1965; Gal, Islam & Ghahramani 2017).

    Parameters
    ----------
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples per query.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import VariationRatios
    >>> from sklearn.base import BaseEstimator
    >>> class Passes(BaseEstimator):
    ...     def predict_proba_samples(self, X):
    ...         return np.stack([X, X, X[:, ::-1]])
    >>> X = np.array([[0.9, 0.1], [0.6, 0.4]])
    >>> VariationRatios().scores(Passes(), X).round(4).tolist()
    [0.3333, 0.3333]
    """

    _measure = staticmethod(variation_ratio)


class MeanSTD(_SampleScoreStrategy):
    """Query the samples with the largest mean standard deviation over passes.

    ``mean_k std_t p_tk`` (Kampffmeyer et al. 2016; Gal, Islam & Ghahramani
    2017).

    Parameters
    ----------
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples per query.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import MeanSTD
    >>> from sklearn.base import BaseEstimator
    >>> class Passes(BaseEstimator):
    ...     def predict_proba_samples(self, X):
    ...         return np.stack([X, X[:, ::-1]])
    >>> X = np.array([[0.5, 0.5], [1.0, 0.0]])
    >>> MeanSTD().scores(Passes(), X).tolist()
    [0.0, 0.5]
    """

    _measure = staticmethod(mean_std)
