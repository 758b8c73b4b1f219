"""The CSV files the ``skal`` command reads: a frame split into features and labels.

:func:`read_csv_data` fills the namespace :func:`skal._cli_data.load_data`
returns and raises :class:`~skal._cli_inputs.UsageError` on a bad file;
:func:`read_csv_frame` reads the table alone (``skal label --export``).
"""

import re

import numpy as np

from ._cli_inputs import UsageError


def read_csv_data(path, target, need_labels, data):
    """Read the CSV file ``path`` into ``data`` (see :func:`~skal.cli.load_data`)."""
    frame, options = _read_csv(path, data.notes)
    _duplicate_names(path, options, frame, target, data.notes)
    if target in frame.columns:
        _missing_words(path, options, frame, target, data.notes)
    _read_frame(path, frame, target, need_labels, data)


def _duplicate_names(path, options, frame, target, notes):
    """Refuse a ``target`` the header names twice; note other repeated names.

    pandas reads the second ``label`` as ``label.1``: a copy of the labels
    among the features, or the wrong column as the target.
    """
    import pandas as pd

    header = pd.read_csv(
        path, header=None, nrows=1, dtype=str, keep_default_na=False, **options
    ).iloc[0]
    if header.shape[0] != frame.shape[1] or not header.duplicated().any():
        return
    for name in header[header.duplicated()].unique():
        where = np.flatnonzero(header.to_numpy() == name)
        read = ", ".join(repr(frame.columns[i]) for i in where)
        if name == target:
            raise UsageError(
                f"the header of {path} names {where.size} columns {name!r} "
                f"(columns {', '.join(map(str, where))}, counting from 0): rename "
                "them so that --target names one"
            )
        notes.append(f"the header names {where.size} columns {name!r}: read as {read}")


def _target_copies(frame, labels):
    """Feature columns holding the labels again, and how: recoded or copied."""
    import pandas as pd

    n_classes = labels.nunique()
    if n_classes < 2 or labels.isna().any():
        return []
    copies = []
    for column in frame.columns[frame.nunique().to_numpy() == n_classes]:
        values = frame[column]
        if values.isna().any():
            continue
        if 2 * n_classes <= labels.shape[0]:  # classes (or repeated values)
            pairs = pd.DataFrame({"x": values.to_numpy(), "y": labels.to_numpy()})
            if pairs.drop_duplicates().shape[0] == n_classes:
                copies.append((column, "one value per class"))
        elif values.astype(object).equals(labels.astype(object)):
            copies.append((column, "the same values"))  # all distinct: a copy only
    return copies


def read_csv_frame(path):
    """The table of a CSV file, read with its separator and decimal mark."""
    return _read_csv(path, [])[0]


def _check_feature_columns(path, frame):
    """Refuse a column of numbers with a few text cells (a typo, not a category)."""
    import pandas as pd

    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]):
            continue
        values = frame[column].dropna()
        numbers = pd.to_numeric(values, errors="coerce")
        bad = values[numbers.isna()]  # True / False are numbers to pandas
        if values.size and bad.size and numbers.notna().mean() >= 0.5:
            raise UsageError(
                f"{path}: column {column!r} holds numbers but also non-numeric "
                f"values ({', '.join(repr(v) for v in bad.unique()[:3])}, e.g. in "
                f"row {bad.index[0]}); fix or remove them"
            )


def _read_frame(path, frame, target, need_labels, data):
    """Split a CSV's frame into features and the ``target`` column, into ``data``."""
    import pandas as pd

    if target is None and need_labels:
        raise UsageError(f"--target COLUMN is needed with a CSV file ({path})")
    named = _value_named(frame)
    row = (
        f"the first line looks like a row of data (column {named!r} holds that "
        "value too)"
    )
    if target is not None and target not in frame.columns:
        position = ""
        spaced = [repr(c) for c in frame.columns if str(c).strip() == target]
        if spaced:  # 'a, label': spaces after the commas of the header
            position = f"; the header has {spaced[0]}, spaces too: --target {spaced[0]}"
        elif target.isdigit() and int(target) < frame.shape[1]:
            position = (
                "; --target takes a column's name, not its position (counting "
                f"from 0, column {target} is {frame.columns[int(target)]!r})"
            )
        raise UsageError(
            f"column {target!r} is not in {path}; columns: {', '.join(frame.columns)}"
            + position
            + (f"; {row}: add a header line of column names" if named else "")
        )
    if named is not None:
        data.notes.append(
            f"{row}: if the file has no header line of column names, its first row "
            "was read as one (and left out); add a header line"
        )
    _strip_texts(frame, data.notes)
    _percents(frame, data.notes)
    _row_ids(frame, target, data.notes)
    if target is not None:
        labels = frame.pop(target)
        if need_labels:
            keep = labels.notna().to_numpy()
            frame, labels = frame[keep], labels[keep]
            data.y = labels.to_numpy()
            data.n_unlabeled = int((~keep).sum())
        else:
            filled = labels.astype(object).where(labels.notna(), None).to_numpy()
            data.y = _as_int_labels(filled)
            given = labels.notna().to_numpy()
            if data.y.dtype.kind == "i" and (data.y[given] == -1).any():
                raise UsageError(
                    f"column {target!r} of {path} holds the label -1, which skal "
                    "label uses for unlabeled rows: recode the labels (e.g. -1 -> "
                    "0) or write them as text; empty cells are the unlabeled rows"
                )
    if frame.shape[1] == 0:
        raise UsageError(f"{path} has no feature column besides the target")
    if target is not None and need_labels:
        for column, how in _target_copies(frame, labels):
            data.notes.append(
                f"column {column!r} holds the labels of {target!r} again ({how}): "
                "the models read the answer among the features, and "
                "every score is as good as perfect; drop it if it recodes the target"
            )
    _check_feature_columns(path, frame)
    for column in frame.select_dtypes(exclude="number").columns:
        n_empty = int(frame[column].isna().sum())
        if n_empty:
            data.notes.append(
                f"column {column!r} holds texts and {n_empty} empty cells, one-hot "
                "encoded as none of its texts (zeros in all its columns); fill them "
                "in first if they mean something else"
            )
        n_texts = frame[column].nunique()
        if n_texts > 50 and n_texts > 0.5 * frame.shape[0]:
            data.notes.append(
                f"column {column!r} holds {n_texts} distinct texts in "
                f"{frame.shape[0]} rows, one-hot encoded into as many columns; drop "
                "it first if it is an id or free text"
            )
    dummies = pd.get_dummies(frame, dtype=float)
    data.X = dummies.to_numpy(dtype=float)
    data.feature_names = list(dummies.columns)


def _value_named(frame):
    """The first column named by one of its values (a row read as the header)."""
    import pandas as pd

    for column in frame.columns:
        name, values = str(column), frame[column]
        if pd.api.types.is_numeric_dtype(values):
            try:
                name = float(name)
            except ValueError:
                continue
        if values.eq(name).any():
            return column
    return None


def _strip_texts(frame, notes):
    """Drop the spaces around text cells; a cell of spaces alone is empty.

    ``"yes "`` and ``"yes"`` are one class, not two; a line of ``notes``
    shows the first texts that became one.
    """
    import pandas as pd

    merged = None
    for column in frame.select_dtypes(exclude=["number", "bool"]).columns:
        values = frame[column]
        text = values.map(lambda v: isinstance(v, str))
        stripped = values.where(~text, values[text].str.strip())
        stripped = stripped.where(stripped.ne(""), None)
        pairs = pd.DataFrame({"old": values[text], "new": stripped[text]})
        pairs = pairs.dropna().drop_duplicates()
        pairs = pairs[
            pairs["new"].duplicated(keep=False) & pairs["old"].ne(pairs["new"])
        ]
        if merged is None and pairs.shape[0]:
            merged = (column, *pairs.iloc[0])
        frame[column] = stripped
    if merged is not None:
        notes.append(
            "texts that differ only by spaces around them are one value (column "
            f"{merged[0]!r}: {merged[1]!r} is {merged[2]!r})"
        )


# "id", "customer_id", "Customer ID", "CustomerID"
_ID_NAME = re.compile(r"(^|[^A-Za-z])[Ii][Dd]$|[a-z]ID$")


def _percents(frame, notes):
    """Read a text column of only percentages, ``12%``, as the numbers 12."""
    import pandas as pd

    for column in frame.select_dtypes(exclude=["number", "bool"]).columns:
        values = frame[column].dropna()
        if not values.size or not values.map(lambda v: isinstance(v, str)).all():
            continue
        values = values.str.strip()
        if values.str.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)\s*%").all():
            frame[column] = pd.to_numeric(frame[column].str.strip("% "))
            notes.append(
                f"column {column!r} holds percentages ({values.iloc[0]!r}, ...): "
                "read as the numbers before the '%'"
            )


def _row_ids(frame, target, notes):
    """Drop a saved DataFrame index; note a feature that counts the rows.

    Either, read as a feature, tells rows apart by their place in the file
    (and by their class when the file is sorted by it).
    """
    import pandas as pd

    n = frame.shape[0]
    for column in list(frame.columns):
        if column == target or not pd.api.types.is_integer_dtype(frame[column]):
            continue
        values = frame[column].to_numpy()
        if str(column).startswith("Unnamed: ") and np.unique(values).size == n > 2:
            frame.pop(column)
            notes.append(
                f"column {column!r} (no name in the header) holds a different "
                "whole number in every row, a saved DataFrame index: left out of "
                "the features"
            )
        elif n > 2 and values[0] in (0, 1) and (np.diff(values) == 1).all():
            notes.append(
                f"column {column!r} holds the row numbers ({values[0]}, "
                f"{values[1]}, ...) and is used as a feature; drop it first if it "
                "is an id"
            )
        elif _ID_NAME.search(str(column)) and np.unique(values).size == n > 2:
            notes.append(
                f"column {column!r} holds a different whole number in every row "
                "and is used as a feature; drop it first if it is an id"
            )


def _read_csv(path, notes):
    """Read a CSV file; one separated by ``;``, tabs or ``|`` is read by its header.

    Such a file whose text columns hold numbers like ``5,1`` is read again
    with ``,`` as the decimal mark, a ``,``-separated one whose text columns
    hold numbers like ``"1,234.5"`` with ``,`` between thousands; one not in
    UTF-8 as UTF-16 (:func:`_utf16`) or Windows-1252 (Excel's); notes say so.
    Returns the frame and the options of :func:`pandas.read_csv` that read it.
    """
    encoding = _utf16(path)
    if encoding is None:
        try:
            return _read_csv_as(path, notes, {})
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        frame, options = _read_csv_as(path, notes, {"encoding": encoding})
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"cannot read {path} as a CSV file: it is not UTF-8 ({exc}); save it "
            "as UTF-8 (CSV UTF-8 in Excel)"
        ) from None
    read_as = "UTF-16" if "16" in encoding else "Windows-1252 (Latin-1)"
    notes.append(f"{path} is not UTF-8: read as {read_as}; if its texts look wrong")
    notes[-1] += ", save it as UTF-8"
    return frame, options


def _utf16(path):
    """``"utf-16"`` after a byte-order mark; ``"utf-16-le"``/``-be`` without one
    (ASCII beside NUL bytes: valid UTF-8, read so as texts full of NULs)."""
    try:
        with open(path, "rb") as file:
            head = file.read(4096)
    except OSError:
        return None  # _read_csv_as says why
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    even, odd, half = head[0::2].count(0), head[1::2].count(0), len(head) // 2
    if half > 1 and (odd > 0.9 * half and not even or even > 0.9 * half and not odd):
        return "utf-16-le" if odd else "utf-16-be"
    return None


def _read_csv_as(path, notes, options):
    """:func:`_read_csv` with the ``options`` (an encoding) to start from."""
    import pandas as pd

    try:
        frame = pd.read_csv(path, **options)
        if frame.shape[1] == 1:
            header = str(frame.columns[0])
            sep = next((c for c in (";", "\t", "|") if c in header), None)
            if sep is not None:
                options = {**options, "sep": sep}
                frame = pd.read_csv(path, **options)
                example = _comma_number(frame, _DECIMAL_COMMA)
                if example is not None:
                    options["decimal"] = ","
                    frame = pd.read_csv(path, **options)
                    notes.append(
                        f"numbers such as {example!r} are read with ',' as the "
                        "decimal mark"
                    )
        elif (example := _comma_number(frame, _THOUSANDS)) is not None:
            options = {**options, "thousands": ","}
            frame = pd.read_csv(path, **options)
            notes.append(
                f"numbers such as {example!r} are read with ',' between thousands"
            )
    except UnicodeDecodeError:
        raise
    except (OSError, ValueError) as exc:  # ParserError, EmptyDataError
        raise UsageError(f"cannot read {path} as a CSV file: {exc}") from None
    return frame, options


def _missing_words(path, options, frame, target, notes):
    """Name the texts ("None", "NA") of a text target that pandas reads as empty."""
    import pandas as pd

    labels = frame[target]
    if pd.api.types.is_numeric_dtype(labels) or labels.notna().all():
        return
    raw = pd.read_csv(
        path, usecols=[target], dtype=str, keep_default_na=False, **options
    )[target].str.strip()
    words = raw[labels.isna().to_numpy() & raw.ne("").to_numpy()]
    if words.size and labels.notna().any():
        shown = ", ".join(repr(w) for w in words.unique()[:3])
        notes.append(
            f"column {target!r} holds {shown} in {words.size} rows, read as empty "
            "cells (unlabeled); if it is a class, rename it (e.g. 'none')"
        )


# numbers written with a decimal comma (5,1), or with commas between thousands
_DECIMAL_COMMA = r"[-+]?\d*,?\d+"
_THOUSANDS = r"[-+]?\d{1,3}(?:,\d{3})*(?:\.\d+)?"


def _comma_number(frame, pattern):
    """A number with a comma from a text column of only numbers like ``pattern``."""
    for column in frame.select_dtypes(exclude=["number", "bool"]).columns:
        values = frame[column].dropna()
        if not values.map(lambda v: isinstance(v, str)).all():
            continue
        values = values.str.strip()
        commas = values[values.str.contains(",", regex=False)]
        if commas.size and values.str.fullmatch(pattern).all():
            return commas.iloc[0]
    return None


def _as_int_labels(values):
    """Turn labels with None holes into ints with -1 holes when all are whole.

    ``True`` / ``False`` stay the texts the file holds, not the classes 1 / 0.
    """
    known = [v for v in values if v is not None]
    if any(isinstance(v, (bool, np.bool_)) for v in known):
        return np.array([None if v is None else str(v) for v in values], dtype=object)
    try:
        if all(float(v) == int(float(v)) for v in known):
            return np.array([-1 if v is None else int(float(v)) for v in values])
    except (TypeError, ValueError):
        pass
    return values
