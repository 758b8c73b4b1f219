"""Dask arrays as pools: score them block by block where the blocks live.

Nothing here imports dask at module level: ``import skal`` stays free of it.
A pool is recognised as a dask array only when dask is already imported
(a user who built one has imported it).
"""

import sys

import numpy as np


def is_dask_array(X):
    """Return whether ``X`` is a ``dask.array.Array``, without importing dask.

    Parameters
    ----------
    X : object
        Anything.

    Returns
    -------
    is_dask : bool
        ``True`` for a dask array.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils import is_dask_array
    >>> is_dask_array(np.ones(3))
    False
    """
    module = sys.modules.get("dask.array")
    return module is not None and isinstance(X, module.Array)


def row_blocks(X):
    """Return the blocks of a dask array cut along rows only, and their offsets.

    Parameters
    ----------
    X : dask.array.Array of shape (n_samples, ...)
        The pool; blocks along the other axes are merged first.

    Returns
    -------
    blocks : list of dask.delayed.Delayed
        One delayed NumPy block per row chunk, in order.
    starts : ndarray of int of shape (n_blocks + 1,)
        Row offset of each block, then ``n_samples``.

    Raises
    ------
    ValueError
        If the row chunk sizes are unknown.

    Examples
    --------
    >>> import dask.array as da
    >>> from skal.utils import row_blocks
    >>> blocks, starts = row_blocks(da.ones((5, 2), chunks=(2, 1)))
    >>> len(blocks), starts.tolist()
    (3, [0, 2, 4, 5])
    """
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError(
            "The dask array's row chunk sizes are unknown (NaN), so rows cannot be "
            "counted; call X.compute_chunk_sizes() first."
        )
    if X.ndim > 1 and any(len(c) > 1 for c in X.chunks[1:]):
        X = X.rechunk(dict.fromkeys(range(1, X.ndim), -1))
    blocks = X.to_delayed().reshape(-1).tolist()
    starts = np.concatenate([[0], np.cumsum(X.chunks[0])]).astype(np.intp)
    return blocks, starts


def _score_block(score, block, allow_nan, chunk_rows):
    from ._chunks import score_in_chunks

    return np.asarray(
        score_in_chunks(score, block, allow_nan=allow_nan, chunk_rows=chunk_rows)
    )


def score_blocks(score, X, *, allow_nan=False, chunk_rows=None):
    """Score a dask array block by block where its blocks are; return a dask array.

    ``score`` (the model) enters the task graph once, as one key that every
    block's task depends on, so a distributed scheduler ships it to each
    worker once per call, not once per block. Inside a block the rows are
    scored chunk by chunk by :func:`score_in_chunks`.

    Parameters
    ----------
    score : callable
        Maps a NumPy chunk of rows to an array whose first axis is the rows.
    X : dask.array.Array of shape (n_samples, ...)
        The pool.
    allow_nan : bool, default=False
        Whether the estimator accepts NaN in ``X``.
    chunk_rows : int, default=None
        Rows per call of ``score`` inside a block (``None``: the default of
        :func:`score_in_chunks`).

    Returns
    -------
    scores : dask.array.Array of shape (n_samples, ...)
        Lazy scores with one chunk per row block of ``X``; its trailing
        shape and dtype are those of ``score`` on the first row.

    Examples
    --------
    >>> import dask.array as da
    >>> from skal.utils import score_blocks
    >>> s = score_blocks(lambda X: X.sum(axis=1), da.ones((5, 2), chunks=2))
    >>> s.compute().tolist()
    [2.0, 2.0, 2.0, 2.0, 2.0]
    """
    import uuid

    import dask
    import dask.array as da

    from ._chunks import CHUNK_ROWS

    chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
    blocks, starts = row_blocks(X)
    probe = np.asarray(score(np.asarray(X[:1].compute())))
    # One key holds the model (named, so it is never hashed by its content).
    model = dask.delayed(score, name=f"skal-score-{uuid.uuid4().hex}", traverse=False)
    task = dask.delayed(_score_block, pure=True)
    parts = [
        da.from_delayed(
            task(model, block, allow_nan, chunk_rows),
            shape=(int(stop - start),) + probe.shape[1:],
            dtype=probe.dtype,
        )
        for block, start, stop in zip(blocks, starts[:-1], starts[1:])
    ]
    return da.concatenate(parts, axis=0)


def _read_npy_rows(path, start, stop):
    return np.array(np.load(path, mmap_mode="r")[start:stop])


def from_npy(path, block_rows=262_144):
    """Open a ``.npy`` file as a dask array whose blocks are read where they run.

    Unlike ``dask.array.from_array(np.load(path, mmap_mode="r"))``, which puts
    the memmap (and so, on a cluster, its pickled bytes) in the graph, each
    task here opens the file itself and reads only its rows: the workers
    must see the same path (a local cluster, or a shared file system).

    Parameters
    ----------
    path : str or path-like
        A ``.npy`` file, e.g. written by ``numpy.lib.format.open_memmap``.
    block_rows : int, default=262144
        Rows per block.

    Returns
    -------
    pool : dask.array.Array
        The array, one block per ``block_rows`` rows.

    Examples
    --------
    >>> import tempfile, os
    >>> import numpy as np
    >>> from skal.utils import from_npy
    >>> path = os.path.join(tempfile.mkdtemp(), "pool.npy")
    >>> np.save(path, np.arange(10.0).reshape(5, 2))
    >>> pool = from_npy(path, block_rows=2)
    >>> pool.chunks[0], float(pool.sum().compute())
    ((2, 2, 1), 45.0)
    """
    import os

    import dask
    import dask.array as da

    path = os.fspath(path)
    header = np.load(path, mmap_mode="r")
    read = dask.delayed(_read_npy_rows, pure=True)
    parts = [
        da.from_delayed(
            read(path, start, min(start + block_rows, header.shape[0])),
            shape=(min(block_rows, header.shape[0] - start),) + header.shape[1:],
            dtype=header.dtype,
        )
        for start in range(0, header.shape[0], block_rows)
    ]
    return da.concatenate(parts, axis=0)
