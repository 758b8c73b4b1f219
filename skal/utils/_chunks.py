"""Score a pool chunk by chunk, so memory is bounded by a chunk, not by the pool."""

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn import config_context

from ._dask import is_dask_array, score_blocks
from ._validation import num_rows, take_rows

#: Rows per chunk. Small enough that a chunk of 50 float64 features and its
#: probabilities stay in cache between the model's arithmetic and the scoring.
CHUNK_ROWS = 8192


def chunk_slices(n_rows, chunk_rows=CHUNK_ROWS):
    """Return the slices that cut ``n_rows`` rows into chunks.

    Parameters
    ----------
    n_rows : int
        Number of rows.
    chunk_rows : int, default=8192
        Rows per chunk.

    Returns
    -------
    slices : list of slice
        Consecutive slices covering ``range(n_rows)``.

    Examples
    --------
    >>> from skal.utils import chunk_slices
    >>> chunk_slices(5, 2)
    [slice(0, 2, None), slice(2, 4, None), slice(4, 5, None)]
    """
    return [slice(i, min(i + chunk_rows, n_rows)) for i in range(0, n_rows, chunk_rows)]


def _is_float_matrix(X):
    if sp.issparse(X):
        return X.dtype.kind == "f"
    return isinstance(X, np.ndarray) and X.dtype.kind == "f"


def _assert_finite(X):
    data = X.data if sp.issparse(X) else X
    # One pass of a sum is cheaper than isfinite; NaN and inf propagate into it.
    if np.isfinite(np.sum(data)) or np.isfinite(data).all():
        return
    raise ValueError(
        "Input X contains NaN or infinity, and the estimator does not accept "
        "missing values. Impute them first (e.g. wrap the estimator in "
        "make_pipeline(SimpleImputer(), estimator)) or use an estimator that "
        "handles NaN, such as HistGradientBoostingClassifier."
    )


def _parts(transformer):
    """The transformers of a ``ColumnTransformer``, its remainder included."""
    parts = [t for _, t, _ in transformer.transformers if t != "drop"]
    return parts + ([transformer.remainder] if transformer.remainder != "drop" else [])


def _removes_nan(estimator):
    """Whether the output of ``estimator`` holds no NaN, whatever its input."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps:
            if step in (None, "passthrough"):
                continue
            if _removes_nan(step):
                return True
            if not accepts_nan(step):
                return False
        return False
    if isinstance(estimator, ColumnTransformer):
        parts = _parts(estimator)
        return bool(parts) and all(
            t != "passthrough" and _removes_nan(t) for t in parts
        )
    # an imputer fills the holes; a one-hot encoder makes NaN a category
    imputer = type(estimator).__module__.startswith("sklearn.impute")
    return imputer or isinstance(estimator, OneHotEncoder)


def accepts_nan(estimator):
    """Whether ``estimator`` takes NaN in ``X``, looking into pipelines.

    scikit-learn's ``Pipeline`` does not pass an ``allow_nan`` tag on, so
    ``make_pipeline(SimpleImputer(), LogisticRegression())`` reads as
    refusing NaN. Here a pipeline takes NaN when every step up to one that
    removes it (an imputer, a one-hot encoder) takes it, or when every step
    does; a ``ColumnTransformer`` when each of its transformers does.

    Parameters
    ----------
    estimator : estimator object
        Any estimator.

    Returns
    -------
    bool
        True when NaN in ``X`` reaches only steps that handle it.

    Examples
    --------
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skal.utils import accepts_nan
    >>> accepts_nan(make_pipeline(SimpleImputer(), LogisticRegression()))
    True
    >>> accepts_nan(make_pipeline(StandardScaler(), LogisticRegression()))
    False
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.utils import get_tags

    if isinstance(estimator, Pipeline):
        for _, step in estimator.steps:
            if step in (None, "passthrough"):
                continue
            if not accepts_nan(step):
                return False
            if _removes_nan(step):
                return True
        return True
    if isinstance(estimator, ColumnTransformer):
        return all(t == "passthrough" or accepts_nan(t) for t in _parts(estimator))
    try:
        return bool(get_tags(estimator).input_tags.allow_nan)
    except (AttributeError, TypeError, ValueError):
        return False


def check_finite(X, *, allow_nan=False):
    """Raise a clear error if a float ``X`` has NaN or inf the estimator rejects.

    Parameters
    ----------
    X : array-like, sparse matrix or DataFrame
        Data; only float arrays and sparse matrices are checked.
    allow_nan : bool, default=False
        Whether the estimator accepts NaN (then nothing is checked).

    Returns
    -------
    X : same as input
        Unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils import check_finite
    >>> check_finite(np.ones((2, 2))).shape
    (2, 2)
    """
    if not allow_nan and _is_float_matrix(X):
        _assert_finite(X)
    return X


def _score_chunk(score, X, check_finite):
    if check_finite:
        _assert_finite(X)
        # The chunk was checked here while it sits in cache; the estimator's
        # own check would read it again.
        with config_context(assume_finite=True):
            return score(X)
    return score(X)


def score_in_chunks(
    score, X, *, allow_nan=False, n_jobs=None, chunk_rows=CHUNK_ROWS, rows=None
):
    """Apply ``score`` to ``X`` chunk by chunk and concatenate the results.

    Float inputs are checked for NaN and infinity once per chunk (unless the
    estimator accepts NaN); the estimator then runs under scikit-learn's
    ``assume_finite`` so that the check is not repeated.

    Parameters
    ----------
    score : callable
        Maps a chunk of rows to an array whose first axis is the rows.
    X : array-like, sparse matrix, DataFrame, numpy.memmap or dask array
        The pool. A memmap is read one chunk at a time. A dask array is
        scored block by block by the active dask scheduler (a
        ``dask.distributed`` cluster when a ``Client`` is active), the
        ``score`` function shipped once per call (see
        :func:`skal.utils.score_blocks`); the scores come back as NumPy.
    allow_nan : bool, default=False
        Whether the estimator accepts NaN in ``X``.
    n_jobs : int, default=None
        Number of chunks scored in parallel (joblib); ``None`` means one.
        Ignored for a dask array, whose scheduler decides.
    chunk_rows : int, default=8192
        Rows per chunk.
    rows : array-like of int, default=None
        Score only these rows of ``X``, in this order, taking one chunk of
        them at a time (``None``: every row).

    Returns
    -------
    scores : ndarray
        ``score`` of every (selected) row, in order.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils import score_in_chunks
    >>> score_in_chunks(lambda X: X.sum(axis=1), np.ones((5, 2)), chunk_rows=2)
    array([2., 2., 2., 2., 2.])
    """
    if rows is not None:
        rows = np.asarray(rows, dtype=np.intp)
    if is_dask_array(X):
        X = X if rows is None else X[rows]
        blocks = score_blocks(score, X, allow_nan=allow_nan, chunk_rows=chunk_rows)
        return np.asarray(blocks.compute())
    check_finite = not allow_nan and _is_float_matrix(X)
    n = num_rows(X) if rows is None else rows.shape[0]
    # A pool up to twice a chunk is one call: each call has a fixed cost.
    slices = chunk_slices(n, chunk_rows if n > 2 * chunk_rows else max(n, 1))
    if len(slices) == 1 and rows is None:
        return np.asarray(_score_chunk(score, X, check_finite))

    def take(sl):
        if rows is not None:
            return take_rows(X, rows[sl])
        if isinstance(X, np.ndarray) or sp.issparse(X):
            return X[sl]
        return take_rows(X, np.arange(sl.start, sl.stop))

    if n_jobs is None or n_jobs == 1:
        parts = [_score_chunk(score, take(sl), check_finite) for sl in slices]
    else:
        parts = Parallel(n_jobs=n_jobs)(
            delayed(_score_chunk)(score, take(sl), check_finite) for sl in slices
        )
    return np.concatenate([np.asarray(p) for p in parts], axis=0)
