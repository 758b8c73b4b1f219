"""Labels as users hand them over: missing entries, pandas dtypes, label kinds."""

import warnings
from numbers import Number

import numpy as np

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
    >>> from skal.utils._labels import as_label_array
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
    >>> from skal.utils._labels import label_kinds
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
    >>> from skal.utils._labels import check_label_types
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


def check_given_classes(classes, labels, missing_label):
    """Return a user's ``classes`` as a 1-D object array, checked against ``labels``.

    A flat list, without the missing marker, of one label kind, the kind of
    ``labels`` (``True`` among ``classes=[0, 1]`` would be read as 1).

    Examples
    --------
    >>> from skal.utils._labels import check_given_classes
    >>> check_given_classes([0, 1], [1, 1], -1).tolist()
    [0, 1]
    >>> check_given_classes([-1, 0, 1], [1], -1)
    Traceback (most recent call last):
    ...
    ValueError: classes [-1, 0, 1] hold the missing marker ...
    """
    # as objects: NumPy reads [0, 'a'] as ['0', 'a'], [[0, 1]] as two classes
    given = np.asarray(classes, dtype=object)
    if given.ndim != 1:
        raise ValueError(
            "classes must be a flat list of the class labels; got an array of "
            f"shape {given.shape}."
        )
    if missing_mask(given, missing_label).any():
        raise ValueError(
            f"classes {given.tolist()} hold the missing marker (NaN, None or "
            f"missing_label={missing_label!r}), which marks unlabeled samples "
            "and cannot be a class."
        )
    check_label_types(given, name="classes")
    check_label_types(np.asarray(labels), known=given)
    return given


def _examples(labels, kinds):
    seen = {}
    for v in np.asarray(labels).ravel():
        seen.setdefault(_label_kind(v), v)
        if len(seen) == len(kinds):
            break
    return " and ".join(repr(v) for v in seen.values())


#: Label kinds an object array carries that a model takes as a plain array.
_PLAIN = {"numeric", "boolean"}


def model_labels(y):
    """Labels as a model takes them: numbers or bools in an object array unboxed.

    An object array is how integer labels carry ``None`` for unlabeled rows
    (``missing_label=None``); scikit-learn's classifiers cannot learn
    object-dtype numbers, so the labeled values are passed as a numeric
    array (the learner's ``y_`` keeps the object array and its holes).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils._labels import model_labels
    >>> model_labels(np.array([2, 0, 1], dtype=object)).dtype.kind
    'i'
    """
    # labels were checked to be of one kind on the way in: the first one says
    # which, so a query or refit does not walk every label
    if y.dtype == object and y.size and label_kinds(y.ravel()[:1]) <= _PLAIN:
        return np.array(y.tolist())
    return y


def warn_marker_as_text(marker, y, *, stacklevel=2):
    """Warn when text labels hold the numeric marker as text ('-1' for -1)."""
    if marker is None or isinstance(marker, str) or y.dtype.kind not in "UO":
        return
    if isinstance(marker, float) and np.isnan(marker):
        return
    text = str(marker)
    n_text = int(np.sum(y == text))
    if n_text:
        warnings.warn(
            f"{n_text} labels are the text {text!r}, which is not "
            f"missing_label={marker!r} (a number), so they form a class. If they "
            f"mark unlabeled rows, set missing_label={text!r}.",
            UserWarning,
            stacklevel=stacklevel,
        )


def as_integer_labels(y, dtype, *, classify=True):
    """Whole-number float labels taught to integer labels, as those integers.

    ``teach(X, [1.0])`` on classes ``[0, 1, 2]`` means class 1; cast as it
    comes, it would turn every label and ``classes_`` into floats. A label
    that is no whole number is refused when ``classify`` (it is no class).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.utils._labels import as_integer_labels
    >>> as_integer_labels(np.array([1.0, 0.0]), np.dtype(int)).tolist()
    [1, 0]
    """
    if dtype.kind not in "iu" or y.dtype.kind != "f":
        return y
    whole = np.isfinite(y) & (np.mod(y, 1) == 0)
    if whole.all():
        with np.errstate(invalid="ignore"):
            cast = y.astype(dtype)
        return cast if np.array_equal(cast, y) else y  # 300.0 is no uint8
    if classify:
        raise ValueError(
            f"teach got labels that are not whole numbers "
            f"({y[~whole][:5].tolist()}), but the learner's classes are integers."
        )
    return y


def check_aligned(X, y, *, name="y"):
    """Refuse a pandas ``y`` whose index holds the rows of ``X`` in another order.

    Labels are matched to rows by position, as in scikit-learn; a ``y``
    whose index reorders that of ``X`` (``y.sort_index()`` beside a shuffled
    ``X``) would give its labels to the wrong samples.

    Examples
    --------
    >>> import pandas as pd
    >>> from skal.utils._labels import check_aligned
    >>> X = pd.DataFrame({"a": [1.0, 2.0]}, index=[5, 3])
    >>> check_aligned(X, pd.Series([0, 1], index=[5, 3]))
    >>> check_aligned(X, pd.Series([1, 0], index=[3, 5]))
    Traceback (most recent call last):
    ...
    ValueError: y's index holds the rows of X in another order ...
    """
    if not (hasattr(X, "iloc") and hasattr(y, "iloc")) or len(X) != len(y):
        return
    if X.index.equals(y.index):
        return
    try:
        reordered = X.index.sort_values().equals(y.index.sort_values())
    except TypeError:  # an index of mixed types
        return
    if reordered:
        raise ValueError(
            f"{name}'s index holds the rows of X in another order (e.g. "
            f"{y.index[0]!r} first, but X starts with {X.index[0]!r}); labels are "
            "matched to rows by position, so they would go to the wrong samples. "
            f"Pass {name}.loc[X.index], or {name}.to_numpy() if the order is right."
        )


def masked_score_method(check_inputs):
    """Return a learner's ``score``: accuracy on the labeled rows of ``y`` only.

    ``check_inputs(learner, X, y)`` checks the learner is fitted and returns
    ``X`` and ``y`` as arrays; a row of ``y`` marked missing is then no wrong
    prediction, as in the pool learners' ``score``.
    """

    def score(self, X, y, sample_weight=None):
        """Accuracy on the labeled rows of ``y`` only; unlabeled rows are ignored.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.
        y : array-like of shape (n_samples,)
            True labels; rows marked ``missing_label`` (or NaN, None) are
            skipped.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Accuracy on the labeled rows.
        """
        from sklearn.metrics import accuracy_score
        from sklearn.utils.validation import _check_sample_weight

        from ._validation import take_rows

        X, y = check_inputs(self, X, y)
        labeled = ~missing_mask(y, self.missing_label)
        if not labeled.any():
            raise ValueError("score needs labeled rows; every entry of y is missing.")
        check_label_types(y[labeled], name="score's y", known=self.classes_)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, y)[labeled]
        y_pred = self.predict(take_rows(X, np.flatnonzero(labeled)))
        true = model_labels(y[labeled])
        return float(accuracy_score(true, y_pred, sample_weight=sample_weight))

    return score
