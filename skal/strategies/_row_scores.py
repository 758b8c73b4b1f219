"""Row-wise score strategies: on a dask pool, scored and reduced where the blocks are.

A :class:`RowScoreStrategy` promises that a candidate's score depends only on
its own row, the model and the labeled set (every strategy that scores
through ``context.map`` already does, since ``map`` scores chunk by chunk).
On a dask pool its query then never gathers the ``n`` scores on the client:
each block's task builds a context over its block and scores it, and sends
only its ``k`` best (positions and scores) and how many rows equal its
``k``-th; the top-k is then the one
:func:`~skal.strategies.select_top_k` would take, ties included (the
reduction of :func:`~skal.strategies.select_top_k_blocks`, in one pass
and with nothing left on the workers).
"""

import uuid

import numpy as np

from ..utils import is_dask_array, row_blocks, score_in_chunks
from ._base import ScoreStrategy
from ._selection import _NAN_SCORES, _rank


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
        # a context over no rows: what every block's context keeps, no pool
        self.template = context.over(np.empty((0, 0)))

    def __call__(self, rows):
        return self.strategy.score(self.template.over(np.asarray(rows)))


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
        return top_k_of_blocks(
            BlockScorer(self, context), pool, batch_size, context.random_state
        )


def _block_best(score, block, k):
    """A block's ``k`` best rows (ties: earliest first), their scores, and
    the count of rows equal to the ``k``-th; ``None`` if a score is NaN."""
    # allow_nan: the block's own context checks its chunks when it must
    s = np.asarray(score_in_chunks(score, np.asarray(block), allow_nan=True), float)
    if np.isnan(s).any():
        return None
    m = min(k, s.shape[0])
    if m == s.shape[0]:
        return np.arange(m), s, int(np.count_nonzero(s == s.min())) if m else 0
    # score - i * row sorts by score, then earlier rows first: distinct keys
    top = np.argpartition(s - 1j * np.arange(s.shape[0]), s.shape[0] - m)
    top = np.sort(top[s.shape[0] - m :])
    return top, s[top], int(np.count_nonzero(s == s[top].min()))


def _block_ties(score, block, threshold, ranks):
    s = np.asarray(score_in_chunks(score, np.asarray(block), allow_nan=True), float)
    return np.flatnonzero(s == threshold)[ranks]


def top_k_of_blocks(score, X, k, random_state):
    """Score a dask array block by block and take the top ``k``, in one pass.

    The result is ``select_top_k(score(X), k, random_state)`` with the
    scores of the top rows, ties included, though no block's scores leave
    its worker: each block sends its ``k`` best rows (ties broken by row
    order) and how many rows equal its ``k``-th score. The ``k``-th best of
    those is the global threshold ``t``; every row above ``t`` is among them
    (a block with ``k`` rows above ``t`` would put ``k`` rows above the
    ``k``-th best); the ties at ``t`` are counted per block and drawn over
    their ranks in row order as :func:`select_top_k` draws them. Only when
    a drawn rank lies beyond the ties a block sent is that block scored
    again, to find the row.

    Parameters
    ----------
    score : callable
        Maps NumPy rows to one score per row; one key of the task graph, so
        it reaches each worker once per pass.
    X : dask.array.Array of shape (n_samples, ...)
        The rows.
    k : int
        Number of indices; clipped to ``n_samples``.
    random_state : int, RandomState instance or None
        Seeds the tie-breaking, as in :func:`select_top_k`.

    Returns
    -------
    indices : ndarray of int of shape (min(k, n_samples),)
        Positions in ``X``, best first.
    scores : ndarray of float of shape (min(k, n_samples),)
        Their scores.

    Raises
    ------
    ValueError
        If a score is NaN.

    Examples
    --------
    >>> import dask.array as da
    >>> from skal.strategies._row_scores import top_k_of_blocks
    >>> X = da.from_array([[0.1], [0.9], [0.5], [0.7]], chunks=2)
    >>> top_k_of_blocks(lambda rows: rows[:, 0], X, 2, 0)[0].tolist()
    [1, 3]
    """
    import dask
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    blocks, starts = row_blocks(X)
    n = int(starts[-1])
    k = int(min(k, n))
    if k <= 0:
        return np.empty(0, dtype=np.intp), np.empty(0)
    key = dask.delayed(score, name=f"skal-score-{uuid.uuid4().hex}", traverse=False)
    best = dask.compute(*(dask.delayed(_block_best)(key, b, k) for b in blocks))
    if any(b is None for b in best):
        raise ValueError(_NAN_SCORES)
    pos = [p + s for (p, _, _), s in zip(best, starts)]
    val = [v for _, v, _ in best]
    if k == n:
        return _rank(np.concatenate(pos), np.concatenate(val), rng)
    pooled = np.concatenate(val)
    t = np.partition(pooled, pooled.shape[0] - k)[pooled.shape[0] - k]
    above = np.concatenate([p[v > t] for p, v in zip(pos, val)])
    sent = [p[v == t] for p, v in zip(pos, val)]
    # a block that sent k rows with its k-th equal to t knows how many tie
    counts = np.array(
        [
            c if v.shape[0] == k and v.min() == t else s.shape[0]
            for (_, v, c), s in zip(best, sent)
        ],
        dtype=np.intp,
    )
    need = k - above.shape[0]
    ranks = np.arange(need)
    if counts.sum() > need:
        ranks = rng.choice(int(counts.sum()), need, replace=False)
    bounds = np.concatenate([[0], np.cumsum(counts)])
    owner = np.searchsorted(bounds, ranks, side="right") - 1
    local = ranks - bounds[owner]
    ties = np.empty(need, dtype=np.intp)
    late = []
    for b in np.unique(owner):
        w = np.flatnonzero(owner == b)
        early = local[w] < sent[b].shape[0]
        ties[w[early]] = sent[b][local[w[early]]]
        if not early.all():
            late.append((b, w[~early]))
    found = dask.compute(
        *(dask.delayed(_block_ties)(key, blocks[b], t, local[w]) for b, w in late)
    )
    for (b, w), rows in zip(late, found):
        ties[w] = rows + starts[b]
    values = np.concatenate([v[v > t] for v in val] + [np.full(need, t)])
    return _rank(np.concatenate([above, ties]), values, rng)
