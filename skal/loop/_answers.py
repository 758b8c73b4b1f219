"""Checking a person's answers against the classes of the task before they are kept."""

import difflib
import math
import numbers

import numpy as np


def _kind_of(values):
    """``"int"``, ``"float"``, ``"str"`` or None (no values) for a set of labels."""
    values = [v.item() if isinstance(v, np.generic) else v for v in values]
    if not values:
        return None
    if all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in values):
        return "int"
    if all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        return "float"
    return "str"


def label_kind(y_labeled):
    """Return the kind of labels an array of labeled values holds.

    Parameters
    ----------
    y_labeled : array-like of shape (n_labeled,)
        Labels (no unlabeled marker among them).

    Returns
    -------
    kind : {"int", "float", "str"} or None
        Their type; None for no labels.
    """
    y_labeled = np.asarray(y_labeled)
    if y_labeled.dtype.kind in "iu":
        return "int" if y_labeled.size else None
    if y_labeled.dtype.kind == "f":
        return "float" if y_labeled.size else None
    if y_labeled.dtype.kind in "US":
        return "str" if y_labeled.size else None
    return _kind_of(y_labeled.tolist())


def _plain(value):
    """Make NumPy scalars JSON-serializable."""
    return value.item() if isinstance(value, np.generic) else value


def fill_labels(y, labels, *, ids=None, source="the journal"):
    """Return a copy of ``y`` with ``labels`` (sample id to label) filled in.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels with unlabeled rows marked.
    labels : dict
        Sample id to label.
    ids : array-like of shape (n_samples,), default=None
        Sample id of each row; row positions when None.
    source : str, default="the journal"
        Where the labels come from, for the error message.

    Returns
    -------
    y : ndarray of shape (n_samples,)
        The labels, object dtype if a label does not fit.
    """
    y = np.array(y, copy=True)
    if not labels:
        return y
    position = (
        {i: i for i in range(y.shape[0])}
        if ids is None
        else {_plain(v): i for i, v in enumerate(ids)}
    )
    unknown = [k for k in labels if k not in position]
    if unknown:
        raise ValueError(
            f"The journal {source!r} has labels for ids not in the data, e.g. "
            f"{unknown[0]!r}; is it the journal of another data set?"
        )
    rows = np.array([position[k] for k in labels], dtype=np.intp)
    values = np.array(list(labels.values()))
    try:
        y[rows] = values
        if not np.array_equal(y[rows], values):
            raise ValueError
    except (TypeError, ValueError):
        y = y.astype(object)
        y[rows] = list(labels.values())
    return y


def _as_kind(value, kind):
    """Convert a stored label to ``kind`` without reinterpreting it, or raise."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a label")
    if kind == "int":
        if isinstance(value, numbers.Integral):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} is not an integer label")
    if kind == "float":
        if isinstance(value, numbers.Real):
            return float(value)
        raise ValueError(f"{value!r} is not a numeric label")
    if kind == "str":
        if isinstance(value, (str, numbers.Integral)):
            return str(value)
        raise ValueError(f"{value!r} is not a text label")
    return value


def _parse_text(text, kind):
    """Turn typed text into a label of ``kind`` (inferred when None), or raise."""
    if kind in ("int", None):
        try:
            return int(text)
        except ValueError:
            if kind == "int":
                raise ValueError("the labels here are integers") from None
            return text
    if kind == "float":
        try:
            value = float(text)
        except ValueError:
            raise ValueError("the labels here are numbers") from None
        if not math.isfinite(value):  # nan is a missing label, inf no class
            raise ValueError("the labels here are finite numbers")
        return value
    return text


class ClassChecker:
    """The classes of a labeling task, and the check every typed answer passes.

    An answer that names a known class is that class, converted to the
    task's label type (``"3"`` is the integer 3 on an integer target and
    the text ``"3"`` on a text target; never anything else). An answer close
    to a known class (``maligant``) is refused with "did you mean
    'malignant'?". Any other answer is a new class only when confirmed with
    a leading ``+`` (``+cat``) and of the task's type; with ``fixed=True``
    (``--classes``) no new class is allowed. With no class known yet, the
    first answer defines one; with ``confirm_new=False`` (the first,
    random samples of a session with no class known) every answer of the
    task's type that is not a near miss is a class.

    Parameters
    ----------
    classes : iterable, default=()
        Classes known so far.
    kind : {"int", "float", "str"} or None, default=None
        Label type; inferred from ``classes`` (or the first answer) when None.
    fixed : bool, default=False
        Whether ``classes`` is the complete list.
    confirm_new : bool, default=True
        Whether a new class needs the leading ``+``.

    Examples
    --------
    >>> from skal.loop._answers import ClassChecker
    >>> checker = ClassChecker(["benign", "malignant"])
    >>> checker.parse("malignant")
    'malignant'
    >>> checker.parse("maligant")
    Traceback (most recent call last):
    ...
    ValueError: unknown class 'maligant'; did you mean 'malignant'?
    >>> checker.parse("+unsure"), checker.classes
    ('unsure', ['benign', 'malignant', 'unsure'])
    """

    def __init__(self, classes=(), *, kind=None, fixed=False, confirm_new=True):
        classes = [c.item() if isinstance(c, np.generic) else c for c in classes]
        self.kind = kind or _kind_of(classes)
        self.classes = []
        for c in classes:
            self.add(_as_kind(c, self.kind))
        self.fixed = fixed
        self.confirm_new = confirm_new

    def add(self, label):
        """Make ``label`` a known class.

        Parameters
        ----------
        label : int, float or str
            The class.
        """
        if self.kind is None:
            self.kind = _kind_of([label])
        if label not in self.classes:
            self.classes.append(label)

    def coerce(self, value):
        """Return a stored label (e.g. from a journal) as the task's type, or raise.

        Parameters
        ----------
        value : object
            The label.

        Returns
        -------
        label : int, float or str
            The label, of the task's type.

        Raises
        ------
        ValueError
            When it does not fit the type, or is not one of fixed classes.
        """
        label = _as_kind(value, self.kind)
        if self.fixed and label not in self.classes:
            raise ValueError(f"{value!r} is not one of the classes {self.hint()}")
        return label

    def hint(self, limit=20):
        """Return the known classes as ``a/b/c`` (at most ``limit`` shown).

        Parameters
        ----------
        limit : int, default=20
            Largest number of classes listed.

        Returns
        -------
        text : str
            The classes, or ``""`` when none is known.
        """
        names = [str(c) for c in self.classes[:limit]]
        if len(self.classes) > limit:
            names.append(f"... {len(self.classes)} classes")
        return "/".join(names)

    def parse(self, text):
        """Return the label a typed answer stands for, or raise with what to do.

        Parameters
        ----------
        text : str
            The answer, ``+`` first to confirm a new class.

        Returns
        -------
        label : int, float or str
            The class (a confirmed new class is added).

        Raises
        ------
        ValueError
            When the answer is not a class; the message says why and how to
            answer.
        """
        text = text.strip()
        confirmed = text.startswith("+") and len(text) > 1
        if confirmed:
            text = text[1:].strip()
        for c in self.classes:
            if str(c) == text:
                return c
        known = [str(c) for c in self.classes]
        close = difflib.get_close_matches(text, known, n=1, cutoff=0.75)
        if close and not confirmed:
            raise ValueError(f"unknown class {text!r}; did you mean {close[0]!r}?")
        try:
            label = _parse_text(text, self.kind)
        except ValueError as exc:
            raise ValueError(
                f"{text!r} is not a class: {exc} ({self.hint()})"
            ) from None
        if label in self.classes:  # e.g. "007" for the class 7
            return label
        if self.fixed:
            raise ValueError(f"{text!r} is not one of the classes {self.hint()}")
        if self.classes and self.confirm_new and not confirmed:
            raise ValueError(
                f"{text!r} is a new class; type +{text} to add it, or one of "
                f"{self.hint()}"
            )
        self.add(label)
        return label
