"""Row-wise score strategies: on a dask pool, scored and reduced where the blocks are.

A :class:`RowScoreStrategy` promises that a candidate's score depends only on
its own row, the model and the labeled set (every strategy that scores
through ``context.map`` already does, since ``map`` scores chunk by chunk).
On a dask pool its query then never gathers the ``n`` scores on the client:
each block's task builds a context over its block and scores it, the scores
stay on the workers, and :func:`~skal.strategies.select_top_k_blocks` reduces
the top-k across blocks, with O(k) values per block travelling.
"""

import numpy as np

from ..utils import is_dask_array, score_blocks
from ._base import ScoreStrategy
from ._context import QueryContext
from ._selection import select_top_k_blocks


class BlockScorer:
    """A strategy and what its scores read, applied to NumPy rows of a dask pool.

    It is one key of the task graph, so the strategy, the model (inside the
    signal providers) and the labeled set reach each worker once per query,
    not once per block.

    Parameters
    ----------
    strategy : RowScoreStrategy
        The strategy whose ``score`` runs on the rows.
    context : QueryContext
        The query's context; its signal providers, labeled set and classes
        are kept, not its pool or its caches.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import QueryContext, UncertaintySampling
    >>> from skal.strategies._row_scores import BlockScorer
    >>> proba = lambda X: np.hstack([X, 1 - X])
    >>> ctx = QueryContext(np.zeros((1, 1)), signals={"proba": proba}, classes=[0, 1])
    >>> BlockScorer(UncertaintySampling("margin"), ctx)(np.array([[0.5], [0.75]]))
    array([1. , 0.5])
    """

    def __init__(self, strategy, context):
        self.strategy = strategy
        self.fields = {
            "signals": context._signals,
            "X_labeled": context.X_labeled,
            "y_labeled": context.y_labeled,
            "labeled_positions": context.labeled_positions,
            "classes": context.classes,
            "model": context.model,
            "estimator": context.estimator,
            "model_name": context.model_name,
            # NaN/inf are checked chunk by chunk on the worker, as in process
            "verify_finite": context._verify,
        }

    def __call__(self, rows):
        return self.strategy.score(QueryContext(np.asarray(rows), **self.fields))


class RowScoreStrategy(ScoreStrategy):
    """A score strategy whose scores are row-wise: exact block-wise on dask pools.

    Subclasses implement ``_score(context)`` as for :class:`ScoreStrategy`,
    and promise that a candidate's score depends only on its row, the model
    and the labeled set, with no random draw. On a NumPy, sparse or memmap
    pool nothing changes. On a ``dask.array`` pool each block is scored by a
    task where the block is (a worker of a ``dask.distributed`` cluster), the
    strategy and the model shipped once per query; the scores stay there and
    the batch is reduced across blocks by
    :func:`~skal.strategies.select_top_k_blocks`. The indices and scores are
    those of the in-memory query on the same rows and seed, ties included.

    Examples
    --------
    >>> import dask.array as da
    >>> import numpy as np
    >>> from skal.strategies import QueryContext, UncertaintySampling
    >>> X = np.array([[0.5], [0.9], [0.6], [0.2]])
    >>> signals = {"proba": lambda X: np.hstack([X, 1 - X])}
    >>> pool = da.from_array(X, chunks=2)
    >>> ctx = QueryContext(pool, signals=signals, classes=[0, 1], random_state=0)
    >>> UncertaintySampling("margin").select(ctx, 2)[0].tolist()
    [0, 2]
    """

    def _select(self, context, batch_size):
        if not is_dask_array(context.pool):
            return super()._select(context, batch_size)
        self._validate_params()
        rows = context.rows_index
        pool = context.pool if rows is None else context.pool[rows]
        # allow_nan: the block's own context checks its chunks when it must
        scores = score_blocks(BlockScorer(self, context), pool, allow_nan=True)
        return select_top_k_blocks(scores, batch_size, context.random_state)
