"""Class labels and a net's output columns: any labels, in sorted order.

A skorch net learns codes 0 .. K-1 (or the codes of its fixed ``classes``);
the adapter keeps ``classes_`` sorted and ``columns_[k]``, the output that
scores ``classes_[k]``. A label first seen in ``partial_fit`` takes the next
free output, so the outputs trained so far keep their meaning.
"""

import numpy as np


def sorted_classes(labels):
    """Return ``(classes, columns)``: the labels sorted, each with its output.

    Examples
    --------
    >>> from skal.torch._columns import sorted_classes
    >>> classes, columns = sorted_classes(["b", "a", "c"])
    >>> classes.tolist(), columns.tolist()
    (['a', 'b', 'c'], [1, 0, 2])
    """
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    return labels[order], np.arange(len(labels))[order]


def encode_labels(classes, columns, y, *, extend):
    """Return ``(classes, columns, codes)``: the output column of each label.

    Labels not in ``classes`` raise, or with ``extend`` take free columns
    after the ones in use (``classes`` and ``columns`` stay sorted by label).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.torch._columns import encode_labels
    >>> classes, columns, codes = encode_labels(
    ...     np.array([2, 5]), np.array([0, 1]), np.array([5, 3]), extend=True)
    >>> classes.tolist(), columns.tolist(), codes.tolist()
    ([2, 3, 5], [0, 2, 1], [1, 2])
    """
    known = np.isin(y, classes)
    if not known.all():
        new = np.unique(y[~known])
        if not extend:
            raise ValueError(
                f"y has labels {new[:10].tolist()} that are not in "
                f"classes={classes.tolist()} of the net."
            )
        free = len(classes) + np.arange(new.size)
        labels = np.concatenate([classes, new])
        order = np.argsort(labels, kind="stable")
        classes, columns = labels[order], np.concatenate([columns, free])[order]
    codes = columns[np.searchsorted(classes, y)].astype(np.int64)
    return classes, columns, codes


def class_columns(stack, columns, n_outputs):
    """Keep the outputs of the known classes, in ``classes_`` order, renormalised.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.torch._columns import class_columns
    >>> class_columns(np.array([[0.2, 0.3, 0.5]]), np.array([2, 0]), 3).round(3)
    array([[0.714, 0.286]])
    """
    if n_outputs == len(columns) and np.array_equal(columns, np.arange(n_outputs)):
        return stack
    stack = stack[..., columns]
    return stack / stack.sum(axis=-1, keepdims=True)
