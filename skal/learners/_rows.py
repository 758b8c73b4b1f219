"""Find taught rows in a learner's pool: rows are identified by position.

``teach(X, y)`` must mark rows of the pool labeled whatever the container
(ndarray, DataFrame, sparse matrix) and in whatever order or subset they
come back. A taught row is looked up first among the last query's rows,
then in the whole pool, by a cheap row hash confirmed by exact equality.
"""

import numpy as np
import scipy.sparse as sp

from ..utils import num_rows, take_rows
from ..utils._chunks import chunk_slices
from ..utils._validation import dense_array

_PROJECTION_SEED = 20260101


def _dense_rows(X):
    X = dense_array(X)
    return X.reshape(X.shape[0], -1)


def _multipliers(n_features):
    rng = np.random.RandomState(_PROJECTION_SEED)
    return rng.randint(1, 2**62, size=n_features, dtype=np.int64).astype(np.uint64) | 1


def _word_hash(values):
    """Exact, order-independent integer hash of float values' bit patterns."""
    values = np.asarray(values, dtype=np.float64) + 0.0  # -0.0 -> 0.0
    values[np.isnan(values)] = np.nan  # one NaN bit pattern
    words = values.view(np.uint64)
    return words ^ (words >> np.uint64(29))


def row_hashes(X):
    """Return one integer hash per row of ``X``; equal rows have equal hashes.

    The hash is exact integer arithmetic on the values' bits (no rounding),
    so a row hashes the same alone and inside any chunk.

    Parameters
    ----------
    X : ndarray, sparse matrix or DataFrame
        Rows.

    Returns
    -------
    hashes : ndarray of shape (n_rows,)
        One unsigned integer per row.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.learners._rows import row_hashes
    >>> h = row_hashes(np.array([[1.0, 2.0], [3.0, 4.0], [1.0, 2.0]]))
    >>> bool(h[0] == h[2]), bool(h[0] == h[1])
    (True, False)
    """
    if hasattr(X, "iloc"):
        import pandas as pd

        return pd.util.hash_pandas_object(X, index=False).to_numpy()
    if sp.issparse(X):
        X = X.tocsr()
        mult = _multipliers(X.shape[1])
        terms = _word_hash(X.data) * mult[X.indices]
        out = np.zeros(X.shape[0], dtype=np.uint64)
        rows = np.repeat(np.arange(X.shape[0]), np.diff(X.indptr))
        np.add.at(out, rows, terms)
        return out
    X = np.asarray(X)
    flat = X.reshape(X.shape[0], -1)
    if flat.dtype.kind in "iufb":
        mult = _multipliers(flat.shape[1])
        out = np.empty(flat.shape[0], dtype=np.uint64)
        for sl in chunk_slices(flat.shape[0]):
            out[sl] = (_word_hash(flat[sl]) * mult).sum(axis=1, dtype=np.uint64)
        return out
    return np.array([hash(tuple(row.tolist())) for row in flat], dtype=np.int64)


def _rows_equal(a, b):
    a, b = _dense_rows(a), _dense_rows(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "iufb" and b.dtype.kind in "iufb":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.all(a == b))


def like_pool(pool, X):
    """Return the rows ``X`` in the container of ``pool``, to look them up.

    A learner fitted on a DataFrame may be taught the same rows as an
    ndarray, or as a frame of other dtypes (ints for floats, float32), or
    an ndarray pool a DataFrame, or a sparse pool dense rows; they are the
    same samples and must label the same positions, but rows of different
    containers or dtypes never hash alike. A column is cast to the pool's
    dtype only when no value changes.

    Examples
    --------
    >>> import pandas as pd
    >>> from skal.learners._rows import like_pool
    >>> pool = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
    >>> like_pool(pool, [[2, 1.5]]).dtypes.tolist() == pool.dtypes.tolist()
    True
    """
    if hasattr(pool, "iloc") and not sp.issparse(X):
        import pandas as pd

        if not hasattr(X, "iloc"):
            X = pd.DataFrame(np.asarray(X), columns=pool.columns)
        elif X.dtypes.equals(pool.dtypes):
            return X
        else:
            X = X.copy()  # the caller's frame is left alone
        for column, dtype in pool.dtypes.items():
            if column not in X or X[column].dtype == dtype:
                continue
            try:
                cast = X[column].astype(dtype)
            except (TypeError, ValueError):
                continue
            if (cast == X[column]).all():
                X[column] = cast
        return X
    if isinstance(pool, np.ndarray) and hasattr(X, "iloc"):
        return X.to_numpy()
    if isinstance(pool, np.ndarray) and sp.issparse(X):
        return X.toarray()
    if sp.issparse(pool) and not sp.issparse(X) and not hasattr(X, "iloc"):
        return sp.csr_matrix(np.asarray(X))
    return X


def locate_rows(pool, X_new, *, first=None, prefer=None, hashes=None):
    """Return the position in ``pool`` of each row of ``X_new`` (-1: absent).

    Each pool position is used at most once. Rows are looked for among the
    ``first`` positions (the last query) before the whole pool, and within
    each group positions where ``prefer`` is True (unlabeled rows) win.

    Parameters
    ----------
    pool : ndarray, sparse matrix or DataFrame
        The learner's rows.
    X_new : same container as ``pool``
        The taught rows.
    first : ndarray of int, default=None
        Positions to search first.
    prefer : ndarray of bool of shape (n_pool,), default=None
        Positions to prefer among equal rows.
    hashes : ndarray, default=None
        Precomputed :func:`row_hashes` of ``pool``.

    Returns
    -------
    positions : ndarray of int of shape (n_new,)
        Pool position of each taught row, -1 where it is not in the pool.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.learners._rows import locate_rows
    >>> pool = np.array([[0.0], [1.0], [2.0], [1.0]])
    >>> locate_rows(pool, np.array([[2.0], [1.0], [7.0]])).tolist()
    [2, 1, -1]
    """
    n_new = num_rows(X_new)
    positions = np.full(n_new, -1, dtype=np.intp)
    if n_new == 0 or num_rows(pool) == 0:
        return positions
    try:
        h_new = row_hashes(X_new)
    except (TypeError, ValueError):
        return positions
    used = set()

    def match(candidates, h_candidates):
        if prefer is not None:
            order = np.argsort(~prefer[candidates], kind="stable")
            candidates, h_candidates = candidates[order], h_candidates[order]
        for i in np.flatnonzero(positions < 0):
            hits = candidates[h_candidates == h_new[i]]
            for j in hits:
                j = int(j)
                if j not in used and _rows_equal(
                    take_rows(pool, [j]), take_rows(X_new, [i])
                ):
                    positions[i] = j
                    used.add(j)
                    break

    if first is not None and len(first):
        first = np.asarray(first, dtype=np.intp)
        match(first, row_hashes(take_rows(pool, first)))
    if (positions < 0).any():
        h_pool = row_hashes(pool) if hashes is None else hashes
        wanted = np.isin(h_pool, h_new[positions < 0])
        candidates = np.flatnonzero(wanted)
        if candidates.size:
            match(candidates, h_pool[candidates])
    return positions
