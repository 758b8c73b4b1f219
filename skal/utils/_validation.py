"""Validation and row bookkeeping for arrays, sparse matrices, DataFrames and lists."""

from numbers import Integral, Number, Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import Interval
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


#: pandas' missing values (``pd.NA``, ``pd.NaT``): neither None nor NaN.
_PANDAS_MISSING = ("NAType", "NaTType")


def _is_missing_value(v):
    return (
        v is None
        or (isinstance(v, float) and v != v)
        or type(v).__name__ in _PANDAS_MISSING
    )


def _is_nan(y):
    if y.dtype.kind == "f":
        return np.isnan(y)
    if y.dtype.kind in "mM":
        return np.isnat(y)
    if y.dtype.kind == "O":
        return np.fromiter(map(_is_missing_value, y), dtype=bool, count=len(y))
    return np.zeros(len(y), dtype=bool)


def as_label_array(y):
    """Return labels ``y`` as an ndarray whose missing entries read as missing.

    pandas' nullable and categorical dtypes mark a missing label with
    ``pd.NA``, which is neither None nor NaN and fails in any comparison;
    such labels become an object array with None there (floats keep NaN),
    so integer classes stay integers, as with ``missing_label=None``.

    Examples
    --------
    >>> import pandas as pd
    >>> from skal.utils._validation import as_label_array
    >>> as_label_array(pd.array(["a", None], dtype="string")).tolist()
    ['a', None]
    >>> as_label_array(pd.array([1, None], dtype="Int64")).tolist()
    [1, None]
    """
    dtype = getattr(y, "dtype", None)
    if dtype is None or isinstance(dtype, np.dtype) or not hasattr(y, "to_numpy"):
        return np.asarray(y)
    import pandas as pd

    if not np.asarray(pd.isna(y)).any():
        return y.to_numpy()
    if dtype.kind == "f":
        return y.to_numpy(dtype=float, na_value=np.nan)
    return y.to_numpy(dtype=object, na_value=None)


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
    y = as_label_array(y)
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
                not m and not isinstance(v, str) and v == missing_label
                for v, m in zip(y, mask)
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


class _NoBool(Interval):
    """An ``Interval`` that refuses bools, which scikit-learn takes as 0 and 1."""

    def is_satisfied_by(self, val):
        return not isinstance(val, (bool, np.bool_)) and super().is_satisfied_by(val)


class IntInterval(_NoBool):
    """An ``Interval`` of ints that refuses bools: ``True`` is not a count.

    scikit-learn's ``Interval(Integral, ...)`` takes ``True`` as 1, so
    ``batch_size=True`` would run with batches of one.
    """

    def __init__(self, left, right, *, closed):
        super().__init__(Integral, left, right, closed=closed)


class _NumberNotBool(_NoBool):
    """Any number but a bool (NaN is a constraint of its own)."""

    def __init__(self):
        super().__init__(Real, None, None, closed="neither")

    def __str__(self):
        return "a number (not a bool)"


#: A count of at least one (rows, labels, rounds, members).
POSITIVE_INT = IntInterval(1, None, closed="left")
#: ``n_jobs`` as joblib reads it: a positive count, -1 (all cores), -2 (all
#: but one), ... or None; 0 means nothing to joblib.
N_JOBS_CONSTRAINT = [IntInterval(None, -1, closed="right"), POSITIVE_INT, None]
#: ``missing_label``: one scalar marker (a number, NaN, a string or None); a
#: bool would equal the classes 0 and 1.
MISSING_LABEL_CONSTRAINT = [_NumberNotBool(), "nan", str, None]


def _label_kind(value):
    return _type_kind(type(value))


def _type_kind(t):
    if issubclass(t, (bool, np.bool_)):
        return "boolean"
    if issubclass(t, (str, bytes, np.str_, np.bytes_)):
        return "string"
    if issubclass(t, (Number, np.number)):
        return "numeric"
    return t.__name__


def label_kinds(labels):
    """Return the set of kinds (numeric, string, boolean...) among ``labels``.

    Parameters
    ----------
    labels : array-like
        Label values, markers of missing labels excluded.

    Returns
    -------
    kinds : set of str
        E.g. ``{"numeric"}``; two kinds mean mixed labels.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils._validation import label_kinds
    >>> sorted(label_kinds(np.array([1, "a"], dtype=object)))
    ['numeric', 'string']
    """
    labels = np.asarray(labels)
    kind = labels.dtype.kind
    if labels.size == 0:
        return set()
    if kind in "iuf":
        return {"numeric"}
    if kind in "US":
        return {"string"}
    if kind == "b":
        return {"boolean"}
    return {_type_kind(t) for t in set(map(type, labels.ravel()))}  # per type


def check_label_types(labels, *, name="y", known=None):
    """Raise a clear error if ``labels`` mix kinds, or differ from ``known``.

    Sorting labels of different kinds (``1`` and ``"a"``) fails deep inside
    NumPy, and a ``True`` among integer classes would silently become ``1``.

    Parameters
    ----------
    labels : array-like
        The labels given (missing-label markers excluded).
    name : str, default="y"
        Name used in the message.
    known : array-like, default=None
        Labels seen before (e.g. at ``fit``), already checked to be of one
        kind, so only the first is read; the new ones must be of that kind.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils._validation import check_label_types
    >>> check_label_types(np.array([0, 1, 2]))
    >>> check_label_types(np.array([0, "a"], dtype=object))
    Traceback (most recent call last):
    ...
    ValueError: y mixes numeric and string labels ...
    """
    kinds = label_kinds(labels)
    if len(kinds) > 1:
        raise ValueError(
            f"{name} mixes {' and '.join(sorted(kinds))} labels (e.g. "
            f"{_examples(labels, kinds)}); every label must be of one type."
        )
    if known is None or not kinds:
        return
    before = label_kinds(np.asarray(known).ravel()[:1])
    if before and before != kinds:
        raise ValueError(
            f"Got {' and '.join(sorted(kinds))} labels in {name}, but the labels "
            f"seen so far are {' and '.join(sorted(before))}; a label must not "
            "change type (e.g. 1 vs '1' vs True)."
        )


def _examples(labels, kinds):
    seen = {}
    for v in np.asarray(labels).ravel():
        seen.setdefault(_label_kind(v), v)
        if len(seen) == len(kinds):
            break
    return " and ".join(repr(v) for v in seen.values())


def check_positions(indices, n_rows, *, name="indices"):
    """Return ``indices`` as 1-d integer positions in ``range(n_rows)``.

    Floats, booleans (a mask is not a list of positions) and negative or
    too large values raise a ``ValueError`` instead of being cast, wrapped
    around or failing deep inside NumPy.

    Parameters
    ----------
    indices : array-like of int
        Positions.
    n_rows : int
        Number of rows they index.
    name : str, default="indices"
        Name used in messages.

    Returns
    -------
    indices : ndarray of intp of shape (n,)
        The positions.

    Examples
    --------
    >>> from skal.utils._validation import check_positions
    >>> check_positions([2, 0], 3).tolist()
    [2, 0]
    """
    idx = np.asarray(indices)
    if idx.ndim == 0:
        idx = idx.reshape(1)
    if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
        raise ValueError(
            f"{name} must be a 1-d array of integer positions, got {idx.dtype} "
            f"values of shape {idx.shape}."
        )
    if idx.size and (idx.min() < 0 or idx.max() >= n_rows):
        raise ValueError(
            f"{name} must be positions between 0 and {n_rows - 1}; got values "
            f"from {idx.min()} to {idx.max()}."
        )
    return idx.astype(np.intp)
