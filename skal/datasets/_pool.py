"""Hide most labels of a data set to make an active-learning pool."""

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import validate_params

from ..utils import missing_mask
from ..utils._labels import as_label_array, check_label_types
from ..utils._validation import MISSING_LABEL_CONSTRAINT, POSITIVE_INT


def _positive_per_label(y, rng):
    """One random row for each label that no row chosen so far carries."""
    keep = []
    positive = np.asarray(y) == 1
    for label in rng.permutation(y.shape[1]):
        rows = np.flatnonzero(positive[:, label])
        if rows.size and not positive[keep, label].any():
            keep.append(int(rng.choice(rows)))
    return keep


def _check_labels(y, missing_label=None):
    """Return ``y`` as a 1-d or 2-d array of labels with no missing entry."""
    y = as_label_array(y)
    if y.ndim not in (1, 2):
        raise ValueError(
            f"y must be 1-d labels or a 2-d multi-label indicator, got shape {y.shape}."
        )
    marker = [None] if missing_label is None else [None, missing_label]
    missing = np.zeros(y.size, dtype=bool)
    for m in marker:
        missing |= missing_mask(y.ravel(), m)
    if missing.any():
        raise ValueError(
            f"y must be fully labeled, but {int(missing.sum())} entries are "
            f"missing or equal missing_label={missing_label!r} (e.g. at position "
            f"{int(np.flatnonzero(missing)[0])}); they could not be told apart "
            "from the hidden labels. Use a missing_label that is not a label."
        )
    check_label_types(y.ravel())
    return y


@validate_params(
    {
        "y": ["array-like"],
        "n_labeled": [POSITIVE_INT],
        "stratify": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def initial_indices(y, n_labeled=10, *, stratify=True, random_state=None):
    """Return the positions of ``n_labeled`` rows to label first, at random.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Fully labeled targets (used to stratify); 2-d is a multi-label
        0/1 indicator.
    n_labeled : int, default=10
        Number of positions.
    stratify : bool, default=True
        Take at least one row of every class (multi-label: a row carrying
        each label) when ``n_labeled`` allows, the rest at random.
    random_state : int, RandomState instance or None, default=None
        Seeds the draw.

    Returns
    -------
    indices : ndarray of int of shape (n_labeled,)
        Distinct positions in ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.datasets import initial_indices
    >>> idx = initial_indices(np.repeat([0, 1, 2], 10), n_labeled=4, random_state=0)
    >>> len(set(idx.tolist())), sorted(set((np.repeat([0, 1, 2], 10)[idx]).tolist()))
    (4, [0, 1, 2])
    """
    y = _check_labels(y)
    rng = check_random_state(random_state)
    n = y.shape[0]
    if n_labeled > n:
        raise ValueError(f"n_labeled must be between 1 and {n}, got {n_labeled}.")
    keep = []
    if stratify and y.ndim == 2:  # multi-label: a positive of every label
        if y.shape[1] <= n_labeled:
            keep = _positive_per_label(y, rng)
    elif stratify:
        classes = np.unique(y)
        if len(classes) <= n_labeled:
            keep = [rng.choice(np.flatnonzero(y == c)) for c in classes]
    rest = np.setdiff1d(np.arange(n), keep)
    keep = np.concatenate(
        [keep, rng.choice(rest, n_labeled - len(keep), replace=False)]
    )
    return keep.astype(np.intp)


def _marked_like(y, missing_label):
    """An array shaped like ``y`` full of ``missing_label``, holding it exactly.

    It keeps ``y``'s dtype when that holds the marker unchanged (NaN makes
    integer labels floats); otherwise it is an object array, so -1 never
    becomes ``True`` among bool labels, -1.5 never -1 among ints, and -1 never
    overflows ``uint8`` labels.
    """
    nan = isinstance(missing_label, float) and np.isnan(missing_label)
    if nan and y.dtype.kind in "iu":
        return np.full(y.shape, np.nan)
    try:
        y_pool = np.full_like(y, missing_label)
        exact = y_pool.flat[0] == missing_label or (nan and y_pool.dtype.kind == "f")
    except (TypeError, ValueError, OverflowError):
        exact = False
    if y.dtype.kind == "b" or not exact:  # e.g. -1 cut to "-" in a string array
        return np.full(y.shape, missing_label, dtype=object)
    return y_pool


@validate_params(
    {
        "y": ["array-like"],
        "n_labeled": [POSITIVE_INT],
        "stratify": ["boolean"],
        "missing_label": MISSING_LABEL_CONSTRAINT,
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_pool(y, n_labeled=10, *, stratify=True, missing_label=-1, random_state=None):
    """Return a copy of ``y`` with all but ``n_labeled`` labels hidden.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_labels)
        Fully labeled targets; a 2-d multi-label indicator has whole rows
        hidden.
    n_labeled : int, default=10
        Labels to keep.
    stratify : bool, default=True
        Keep at least one label of every class (when ``n_labeled`` allows),
        the rest drawn at random.
    missing_label : scalar, str or None, default=-1
        Marker written into the hidden entries. The result has object dtype
        when the marker does not fit the labels' dtype.
    random_state : int, RandomState instance or None, default=None
        Seeds which labels are kept.

    Returns
    -------
    y_pool : ndarray of shape (n_samples,)
        ``y`` with hidden entries set to ``missing_label``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.datasets import make_pool
    >>> y_pool = make_pool(np.repeat([0, 1, 2], 10), n_labeled=6, random_state=0)
    >>> int((y_pool != -1).sum()), sorted(set(y_pool[y_pool != -1].tolist()))
    (6, [0, 1, 2])
    """
    y = _check_labels(y, missing_label)
    keep = initial_indices(y, n_labeled, stratify=stratify, random_state=random_state)
    y_pool = _marked_like(y, missing_label)
    y_pool[keep] = y[keep]
    return y_pool
