"""Acquisition functions on Monte-Carlo dropout passes (Gal et al. 2017).

Each strategy reads the context's ``proba_samples``, a stack of shape
``(n_passes, n_samples, n_classes)`` (dropout passes of a
:class:`skal.BayesianLearner`, or the members of a committee), chunk by
chunk, and scores every sample with one of the pure measures of
:mod:`skal.strategies._disagreement`. The top of the pool is queried.

The names ``"bald"``, ``"max_entropy"``, ``"variation_ratios"`` and
``"mean_std"`` resolve to these classes for every learner. On a committee
they give the same scores as ``QueryByCommittee`` with the measure
``"bald"``, ``"consensus_entropy"``, ``"variation_ratio"`` and
``"mean_std"``: both call the same functions.
"""

from ._base import _MAX_CANDIDATES
from ._committee import disagreement_scores
from ._row_scores import RowScoreStrategy

_FIX = (
    "Wrap a skorch net whose module has dropout in skal.BayesianLearner, "
    "or use a committee (skal.Committee)."
)


class _SampleScoreStrategy(RowScoreStrategy):
    """Score each sample with a measure of the stack of stochastic passes.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples per query: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch.
    """

    task = "classification"
    required_signals = ("proba_samples",)

    #: Name of the measure in :data:`~skal.strategies._disagreement.DISAGREEMENTS`.
    _measure = None
    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _score(self, context):
        return disagreement_scores(self, context, self._measure, fix=_FIX)


class BALD(_SampleScoreStrategy):
    """Query the samples with the largest BALD score (mutual information).

    ``I(y; w | x) = H[mean_t p_t] - mean_t H[p_t]`` over the MC-dropout
    passes (or committee members) ``p_t`` (Houlsby et al. 2011; Gal, Islam
    & Ghahramani 2017): the samples on which the passes are individually
    confident but disagree. The strategy name ``"bald"`` means this class
    for every learner; ``QueryByCommittee("bald")`` scores the same.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples per query: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch.

    See Also
    --------
    skal.strategies.BatchBALD : Joint mutual information of a whole batch.
    skal.strategies.bald : The pure measure.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import BALD, QueryContext
    >>> X = np.array([[0.5, 0.5], [0.9, 0.1], [0.99, 0.01]])
    >>> passes = lambda X: np.stack([X, X[:, ::-1]])  # two disagreeing passes
    >>> ctx = QueryContext(X, classes=[0, 1], signals={"proba_samples": passes},
    ...                    random_state=0)
    >>> BALD().select(ctx, 2)[0].tolist()
    [2, 1]
    """

    _measure = "bald"


class MaxEntropy(_SampleScoreStrategy):
    """Query the samples with the largest predictive entropy.

    ``H[mean_t p_t]``, the entropy of the averaged MC-dropout passes (Gal,
    Islam & Ghahramani 2017; Shannon 1948); ``"max_entropy"``.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples per query: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import MaxEntropy, QueryContext
    >>> X = np.array([[0.9, 0.1], [0.5, 0.5], [0.7, 0.3]])
    >>> ctx = QueryContext(X, classes=[0, 1], random_state=0,
    ...                    signals={"proba_samples": lambda X: np.stack([X, X])})
    >>> MaxEntropy().select(ctx, 2)[0].tolist()
    [1, 2]
    """

    _measure = "consensus_entropy"


class VariationRatios(_SampleScoreStrategy):
    """Query the samples whose passes vote least for their modal class.

    ``1 - max_k (votes for k) / T`` over ``T`` MC-dropout passes (Freeman
    1965; Gal, Islam & Ghahramani 2017); ``"variation_ratios"``. A
    committee's members vote with their own ``predict``.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples per query: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext, VariationRatios
    >>> X = np.array([[0.9, 0.1], [0.6, 0.4]])
    >>> passes = lambda X: np.stack([X, X, X[:, ::-1]])
    >>> ctx = QueryContext(X, classes=[0, 1], signals={"proba_samples": passes})
    >>> VariationRatios().score(ctx).round(4).tolist()
    [0.3333, 0.3333]
    """

    _measure = "variation_ratio"


class MeanSTD(_SampleScoreStrategy):
    """Query the samples with the largest mean standard deviation over passes.

    ``mean_k std_t p_tk`` (Kampffmeyer et al. 2016; Gal, Islam & Ghahramani
    2017); ``"mean_std"`` for every learner.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples per query: this many
        (int) or this share of them (a float in (0, 1), rounded up), never
        fewer than the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import MeanSTD, QueryContext
    >>> X = np.array([[0.5, 0.5], [1.0, 0.0]])
    >>> passes = lambda X: np.stack([X, X[:, ::-1]])
    >>> ctx = QueryContext(X, classes=[0, 1], signals={"proba_samples": passes})
    >>> MeanSTD().score(ctx).tolist()
    [0.0, 0.5]
    """

    _measure = "mean_std"
