"""Turn Label Studio task data into feature vectors: table fields or image pixels."""

import base64
import binascii
import io
import numbers
import os
import urllib.parse
import urllib.request

import numpy as np


def table_features(data, fields):
    """Return the numeric fields of one task's data as a feature vector.

    Parameters
    ----------
    data : dict
        The task's ``data``; a field holding a dict (a ``<Table>`` value) is
        read one level down, its keys named ``field.key``.
    fields : list of str
        The fields to read, in order (see :func:`numeric_fields`).

    Returns
    -------
    x : ndarray of shape (len(fields),)
        The values as floats.

    Examples
    --------
    >>> from skal.serve import table_features
    >>> table_features({"a": 1, "row": {"b": 2.5}}, ["a", "row.b"])
    array([1. , 2.5])
    """
    flat = _flatten(data)
    missing = [f for f in fields if f not in flat]
    if missing:
        raise ValueError(
            f"Task data {sorted(flat)} lacks the feature field {missing[0]!r}; every "
            "task of the project needs the same numeric fields."
        )
    try:
        return np.array([float(flat[f]) for f in fields], dtype=float)
    except (TypeError, ValueError):
        bad = next(f for f in fields if not _is_number(flat[f]))
        raise ValueError(
            f"Feature field {bad!r} holds {flat[bad]!r}, not a number."
        ) from None


def numeric_fields(data, exclude=()):
    """Return the names of the numeric fields of a task's data, sorted.

    Parameters
    ----------
    data : dict
        The task's ``data``.
    exclude : iterable of str, default=()
        Fields to leave out (e.g. an id column).

    Returns
    -------
    fields : list of str
        Names of the fields holding numbers (``bool`` excluded).

    Examples
    --------
    >>> from skal.serve import numeric_fields
    >>> numeric_fields({"b": 2, "a": 1.5, "name": "x", "id": 7}, exclude=["id"])
    ['a', 'b']
    """
    exclude = set(exclude)
    return sorted(
        k for k, v in _flatten(data).items() if k not in exclude and _is_number(v)
    )


def _is_number(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Number):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return isinstance(value, str)


def _flatten(data):
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for inner, v in value.items():
                flat[f"{key}.{inner}"] = v
        else:
            flat[key] = value
    return flat


def _read_image_bytes(value, image_dir, base_url, headers):
    if value.startswith("data:"):
        try:
            return base64.b64decode(value.split(",", 1)[1], validate=False)
        except (IndexError, binascii.Error):
            raise ValueError(f"Cannot decode the data: URI {value[:40]!r}...") from None
    parsed = urllib.parse.urlparse(value)
    local = urllib.parse.parse_qs(parsed.query).get("d", [None])[0] or parsed.path
    if image_dir is not None:
        for candidate in (local.lstrip("/"), os.path.basename(local)):
            path = os.path.join(image_dir, urllib.parse.unquote(candidate))
            if candidate and os.path.isfile(path):
                with open(path, "rb") as f:
                    return f.read()
    if not parsed.scheme and os.path.isfile(value):
        with open(value, "rb") as f:
            return f.read()
    url = value if parsed.scheme in ("http", "https") else None
    if url is None and base_url and value.startswith("/"):
        url = base_url.rstrip("/") + value
    if url is None:
        where = f"in {image_dir!r}" if image_dir else "(no image folder given)"
        raise ValueError(
            f"Cannot find the image {value!r} {where}; pass the folder the images "
            "are served from, or a Label Studio URL and API key to download them."
        )
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def image_features(
    value, *, size=(16, 16), gray=True, image_dir=None, base_url=None, headers=None
):
    """Return the pixels of a task's image, resized, as a feature vector.

    Parameters
    ----------
    value : str
        The image field of the task: a ``data:`` URI, a path or URL whose
        file is in ``image_dir`` (Label Studio's ``/data/local-files/?d=``
        and ``/data/upload/`` URLs included), or an http(s) URL.
    size : tuple of int, default=(16, 16)
        Width and height the image is resized to.
    gray : bool, default=True
        Convert to one gray channel (else three RGB channels).
    image_dir : str, default=None
        Folder holding the image files.
    base_url : str, default=None
        Label Studio's URL, for relative ``/data/...`` URLs not in
        ``image_dir``.
    headers : dict, default=None
        HTTP headers of a download (e.g. ``Authorization``).

    Returns
    -------
    x : ndarray of shape (width * height * channels,)
        Pixel values in [0, 1].

    Examples
    --------
    >>> import base64, io
    >>> from PIL import Image
    >>> from skal.serve import image_features
    >>> buffer = io.BytesIO()
    >>> Image.new("L", (32, 32), color=255).save(buffer, format="PNG")
    >>> uri = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    >>> image_features(uri, size=(4, 4)).shape, float(image_features(uri).max())
    ((16,), 1.0)
    """
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Image tasks need Pillow: pip install 'skal[labelstudio]'"
        ) from None
    raw = _read_image_bytes(value, image_dir, base_url, headers or {})
    try:
        image = Image.open(io.BytesIO(raw))
        image = image.convert("L" if gray else "RGB").resize(tuple(size))
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"Cannot read the image {value[:60]!r}: {exc}") from None
    return np.asarray(image, dtype=float).ravel() / 255.0
