"""Validation and row bookkeeping for arrays, sparse matrices, DataFrames and lists."""

import functools
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    validate_parameter_constraints,
)
from sklearn.utils._param_validation import validate_params as _sk_validate_params
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


def dense_array(X):
    """Return ``X`` as a NumPy array: a DataFrame's values, a sparse matrix densified.

    Parameters
    ----------
    X : array-like, sparse matrix or DataFrame
        The data.

    Returns
    -------
    array : ndarray
        The same values, in the shape ``X`` has.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> from skal.utils._validation import dense_array
    >>> dense_array(sp.eye(2, format="csr")).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if hasattr(X, "to_numpy"):
        return X.to_numpy()
    return X.toarray() if sp.issparse(X) else np.asarray(X)


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


class _Nested(Exception):
    """Carries a nested object's parameter error past scikit-learn's rewording."""


def validate_params(parameter_constraints, *, prefer_skip_nested_validation):
    """scikit-learn's ``validate_params``, without renaming nested errors.

    scikit-learn rewrites an ``InvalidParameterError`` raised inside the
    function as one of the function: ``prequential_evaluation(learner)``
    with ``StreamActiveLearner(budget=0)`` would say "the 'budget' parameter
    of prequential_evaluation", which has none. Here the error raised by a
    learner or criterion the function was given keeps its own name.

    Parameters
    ----------
    parameter_constraints : dict
        As in scikit-learn.
    prefer_skip_nested_validation : bool
        As in scikit-learn.

    Returns
    -------
    decorator : callable
        Decorates the function.

    Examples
    --------
    >>> from skal.utils._validation import POSITIVE_INT, validate_params
    >>> @validate_params({"n": [POSITIVE_INT]}, prefer_skip_nested_validation=True)
    ... def twice(n):
    ...     return 2 * n
    >>> twice(3)
    6
    """

    def decorator(func):
        @functools.wraps(func)
        def body(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except InvalidParameterError as exc:
                raise _Nested(exc) from None

        checked = _sk_validate_params(
            parameter_constraints,
            prefer_skip_nested_validation=prefer_skip_nested_validation,
        )(body)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return checked(*args, **kwargs)
            except _Nested as nested:
                raise nested.args[0] from None

        return wrapper

    return decorator


#: A count of at least one (rows, labels, rounds, members).
POSITIVE_INT = IntInterval(1, None, closed="left")
#: ``n_jobs`` as joblib reads it: a positive count, -1 (all cores), -2 (all
#: but one), ... or None; 0 means nothing to joblib.
N_JOBS_CONSTRAINT = [IntInterval(None, -1, closed="right"), POSITIVE_INT, None]
#: ``missing_label``: one scalar marker (a number, NaN, a string or None); a
#: bool would equal the classes 0 and 1.
MISSING_LABEL_CONSTRAINT = [_NumberNotBool(), "nan", str, None]


def check_missing_label(missing_label, caller):
    """Validate a function's ``missing_label`` as the estimators' constraint does.

    ``True`` would equal the label 1 (and ``False`` the 0), marking those
    rows unlabeled.

    Examples
    --------
    >>> from skal.utils._validation import check_missing_label
    >>> check_missing_label(True, "export_labels")
    Traceback (most recent call last):
    ...
    sklearn.utils._param_validation.InvalidParameterError: The 'missing_label' ...
    """
    validate_parameter_constraints(
        {"missing_label": MISSING_LABEL_CONSTRAINT},
        {"missing_label": missing_label},
        caller_name=caller,
    )


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
