"""Showing image samples to a person: as block characters, or as upscaled PNG files."""

import os
import struct
import zlib

import numpy as np

_SHADES = " ░▒▓█"


def _gray(x, shape):
    """Return the image as a 2-D float array (channels averaged)."""
    img = np.asarray(x, dtype=float).reshape(shape)
    return img.mean(axis=2) if img.ndim == 3 else img


def _unit(img):
    """Scale values to [0, 1]; a constant image is all zeros."""
    lo, hi = float(np.min(img)), float(np.max(img))
    return np.zeros_like(img) if hi == lo else (img - lo) / (hi - lo)


def render_image(x, shape, *, min_width=16, max_width=32):
    """Draw an image with block characters, two per pixel, darker = denser.

    Small images are enlarged by repeating pixels and large ones shrunk by
    block averaging, so the drawing is between ``min_width`` and
    ``max_width`` pixels wide: an 8×8 digit becomes 16×16 pixels (32
    characters by 16 lines).

    Parameters
    ----------
    x : array-like
        The pixels, flat or already shaped.
    shape : tuple of int
        ``(height, width)`` or ``(height, width, channels)``; channels are
        averaged.
    min_width : int, default=16
        Smaller images are enlarged by a whole factor to at least this width.
    max_width : int, default=32
        Larger images are shrunk by block averaging to at most this width.

    Returns
    -------
    text : str
        One line per pixel row.

    Examples
    --------
    >>> from skal.loop import render_image
    >>> print(render_image([0, 1, 0.5, 0], (2, 2), min_width=2))
      ██
    ▒▒
    """
    img = _gray(x, shape)
    step = max(1, int(np.ceil(img.shape[1] / max_width)))
    if step > 1:
        h, w = (img.shape[0] // step) * step, (img.shape[1] // step) * step
        img = img[:h, :w].reshape(h // step, step, w // step, step).mean(axis=(1, 3))
    factor = max(1, -(-min_width // img.shape[1]))
    img = upscale(img, factor)
    levels = _unit(img)
    codes = np.minimum((levels * len(_SHADES)).astype(int), len(_SHADES) - 1)
    return "\n".join("".join(_SHADES[c] * 2 for c in row).rstrip() for row in codes)


def upscale(img, factor):
    """Enlarge an image by repeating each pixel ``factor`` times each way.

    Parameters
    ----------
    img : ndarray of shape (height, width) or (height, width, channels)
        The image.
    factor : int
        Whole enlargement factor (nearest neighbour).

    Returns
    -------
    big : ndarray of shape (height * factor, width * factor, ...)
        The enlarged image.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.loop._images import upscale
    >>> upscale(np.array([[1, 2]]), 2).tolist()
    [[1, 1, 2, 2], [1, 1, 2, 2]]
    """
    return np.repeat(np.repeat(img, factor, axis=0), factor, axis=1)


def image_pixels(x, shape, *, min_size=224):
    """Return the 8-bit pixels of the PNG that shows a sample to a person.

    Values are scaled to 0-255 (gray images are drawn dark on light: the
    largest value is black, as ink in digits and MNIST; colour images keep
    their colours), then the image is enlarged by a whole factor (nearest
    neighbour) until its smaller side is at least ``min_size`` pixels.

    Parameters
    ----------
    x : array-like
        The pixels, flat or already shaped.
    shape : tuple of int
        ``(height, width)`` or ``(height, width, channels)`` with 3 or 4
        channels.
    min_size : int, default=224
        Smallest side of the result, in pixels.

    Returns
    -------
    pixels : ndarray of uint8, shape (H, W) or (H, W, channels)
        The picture.

    Examples
    --------
    >>> from skal.loop._images import image_pixels
    >>> image_pixels([0, 16, 8, 0], (2, 2), min_size=4).tolist()[0]
    [255, 255, 0, 0]
    """
    img = np.asarray(x, dtype=float).reshape(shape)
    if img.ndim == 3 and img.shape[2] not in (3, 4):
        img = img.mean(axis=2)
    levels = _unit(img)
    if img.ndim == 2:
        levels = 1.0 - levels
    pixels = np.round(levels * 255).astype(np.uint8)
    factor = max(1, -(-min_size // min(img.shape[:2])))
    return upscale(pixels, factor)


def _chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def save_png(path, pixels):
    """Write 8-bit pixels to a PNG file (no imaging library needed).

    Parameters
    ----------
    path : str or path-like
        The file; its folder is created.
    pixels : ndarray of uint8, shape (H, W), (H, W, 3) or (H, W, 4)
        Gray, RGB or RGBA pixels.

    Returns
    -------
    path : str
        The file written.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skal.loop._images import save_png
    >>> path = save_png(os.path.join(tempfile.mkdtemp(), "a.png"),
    ...                 np.zeros((2, 3), np.uint8))
    >>> open(path, "rb").read(8) == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    height, width = pixels.shape[:2]
    channels = 1 if pixels.ndim == 2 else pixels.shape[2]
    color = {1: 0, 3: 2, 4: 6}[channels]
    rows = pixels.reshape(height, width * channels)
    raw = np.hstack([np.zeros((height, 1), np.uint8), rows]).tobytes()
    header = struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)
    path = os.fspath(path)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(_chunk(b"IHDR", header))
        f.write(_chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(_chunk(b"IEND", b""))
    return path
