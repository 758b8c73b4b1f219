"""Validation and row bookkeeping for arrays, sparse matrices, DataFrames and lists."""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples


def num_rows(X):
    """Return the number of rows of ``X``.

    Parameters
    ----------
    X : array-like, sparse matrix or DataFrame
        The data.

    Returns
    -------
    n_rows : int
        Number of samples in ``X``.

    Examples
    --------
    >>> from skal.utils import num_rows
    >>> num_rows([[1, 2], [3, 4], [5, 6]])
    3
    """
    return _num_samples(X)


def take_rows(X, indices):
    """Return the rows of ``X`` at ``indices``, keeping its container type.

    Parameters
    ----------
    X : array-like, sparse matrix, DataFrame or list
        The data.
    indices : array-like of int or bool mask
        Which rows to take.

    Returns
    -------
    rows : same type as ``X``
        The selected rows (a DataFrame stays a DataFrame).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils import take_rows
    >>> take_rows(np.arange(6).reshape(3, 2), [2, 0]).tolist()
    [[4, 5], [0, 1]]
    """
    return _safe_indexing(X, np.asarray(indices), axis=0)


def concat_rows(A, B):
    """Stack the rows of ``B`` under those of ``A``, keeping the container type.

    Parameters
    ----------
    A, B : array-like, sparse matrix, DataFrame or list
        Two blocks of rows of the same kind and width.

    Returns
    -------
    stacked : same type as ``A``
        ``A`` followed by ``B``.

    Examples
    --------
    >>> from skal.utils import concat_rows
    >>> concat_rows([[1, 2]], [[3, 4]]).tolist()
    [[1, 2], [3, 4]]
    """
    if sp.issparse(A) or sp.issparse(B):
        stacked = sp.vstack([sp.csr_matrix(A), sp.csr_matrix(B)], format="csr")
        return stacked.asformat(A.format) if sp.issparse(A) else stacked
    if hasattr(A, "iloc"):
        import pandas as pd

        B = B if hasattr(B, "iloc") else pd.DataFrame(np.asarray(B), columns=A.columns)
        return pd.concat([A, B], ignore_index=True)
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim != B.ndim or A.shape[1:] != B.shape[1:]:
        raise ValueError(
            f"Cannot add rows of shape {B.shape[1:]} to data whose rows have shape "
            f"{A.shape[1:]}."
        )
    return np.concatenate([A, B], axis=0)


def _is_nan(y):
    if y.dtype.kind == "f":
        return np.isnan(y)
    if y.dtype.kind == "O":
        return np.fromiter(
            (v is None or (isinstance(v, float) and v != v) for v in y),
            dtype=bool,
            count=len(y),
        )
    return np.zeros(len(y), dtype=bool)


def missing_mask(y, missing_label=-1):
    """Return a boolean mask of the unlabeled entries of ``y``.

    ``missing_label`` marks unlabeled rows; ``np.nan`` and ``None`` always do
    as well, since they can never be a real class or target.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Labels, with unlabeled entries marked.
    missing_label : scalar, str, None or nan, default=-1
        The marker of unlabeled entries.

    Returns
    -------
    mask : ndarray of bool of shape (n_samples,)
        ``True`` where ``y`` is unlabeled.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils import missing_mask
    >>> missing_mask(np.array([0, -1, 2])).tolist()
    [False, True, False]
    >>> missing_mask(np.array(["cat", None, "dog"], dtype=object), None).tolist()
    [False, True, False]
    """
    y = np.asarray(y)
    mask = _is_nan(y)
    if missing_label is None or (
        isinstance(missing_label, float) and np.isnan(missing_label)
    ):
        return mask
    if y.dtype.kind in "USO" and not isinstance(missing_label, str):
        if y.dtype.kind != "O":
            return mask
        return mask | np.fromiter(
            (
                v is not None and not isinstance(v, str) and v == missing_label
                for v in y
            ),
            dtype=bool,
            count=len(y),
        )
    if y.dtype.kind in "iufb" and isinstance(missing_label, str):
        return mask
    return mask | (y == missing_label)


def check_batch_size(batch_size, n_pool, *, name="batch_size"):
    """Validate a batch size against the pool and return the usable size.

    Parameters
    ----------
    batch_size : int
        Requested number of samples.
    n_pool : int
        Number of samples in the pool.
    name : str, default="batch_size"
        Parameter name used in messages.

    Returns
    -------
    batch_size : int
        ``min(batch_size, n_pool)``; a warning is raised when it was clipped.

    Raises
    ------
    ValueError
        If ``batch_size`` is not a positive integer or the pool is empty.

    Examples
    --------
    >>> from skal.utils import check_batch_size
    >>> check_batch_size(5, 100)
    5
    """
    import warnings

    if isinstance(batch_size, bool) or not isinstance(batch_size, Integral):
        raise TypeError(f"{name} must be an int, got {batch_size!r}.")
    if batch_size < 1:
        raise ValueError(f"{name} must be >= 1, got {batch_size}.")
    if n_pool == 0:
        raise ValueError(
            "The pool is empty: there are no unlabeled samples left to query."
        )
    if batch_size > n_pool:
        warnings.warn(
            f"{name}={batch_size} is larger than the pool ({n_pool} samples); "
            "returning the whole pool, most valuable first.",
            UserWarning,
            stacklevel=3,
        )
        return int(n_pool)
    return int(batch_size)
