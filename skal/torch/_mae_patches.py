"""Images to patches and back: input layouts, patches, masks, positions.

The array side of the masked autoencoder (He et al. 2022): reading images
given in any layout, cutting them into patches, drawing random masks and the
fixed sine-cosine positions. The networks live in ``_mae_module.py``.
"""

import math

import numpy as np
import torch
from sklearn.utils import check_array


def as_images(X, image_shape=None, *, strip=False):
    """Return ``X`` as a float32 array of shape (n, C, H, W).

    ``X`` is validated by scikit-learn's ``check_array``: NaN, inf, sparse
    matrices, complex and non-numeric data raise.

    Parameters
    ----------
    X : array-like of shape (n, H, W), (n, C, H, W) or (n, C*H*W)
        Images. Flat rows need ``image_shape``, or a square number of pixels
        (read as one channel).
    image_shape : tuple of int, default=None
        ``(H, W)`` or ``(C, H, W)`` of flat rows.
    strip : bool, default=False
        Read flat rows of a non-square number ``d`` of features as a
        ``1 x d`` strip (for ``patch_size=1``, where every feature is a
        token) instead of raising.

    Returns
    -------
    imgs : ndarray of shape (n, C, H, W)
        The images as float32.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.torch._mae_patches import as_images
    >>> as_images(np.zeros((5, 64))).shape
    (5, 1, 8, 8)
    """
    X = check_array(X, dtype=np.float32, allow_nd=True, accept_sparse=False)
    if X.ndim == 2:
        n, d = X.shape
        if image_shape is None:
            side = math.isqrt(d)
            if side * side != d and strip:
                return X.reshape(n, 1, 1, d)
            if side * side != d:
                raise ValueError(
                    f"Got flat rows of {d} features, which is not a square image; "
                    "pass image_shape=(H, W) or (C, H, W), or pass the images as "
                    "(n, H, W) or (n, C, H, W)."
                )
            shape = (1, side, side)
        else:
            shape = tuple(int(s) for s in image_shape)
            shape = (1, *shape) if len(shape) == 2 else shape
            if len(shape) != 3 or int(np.prod(shape)) != d:
                raise ValueError(
                    f"image_shape={tuple(image_shape)} does not match flat rows of "
                    f"{d} features; it must be (H, W) or (C, H, W) with H*W*C == {d}."
                )
        return X.reshape(n, *shape)
    if X.ndim == 3:
        return X[:, None]
    if X.ndim == 4:
        return X
    raise ValueError(
        f"Expected images of shape (n, H, W), (n, C, H, W) or flat (n, C*H*W), got "
        f"an array of shape {X.shape}."
    )


def check_images(X, image_shape, patch_size, *, fitted_shape=None):
    """Return ``X`` as float32 images ``(n, C, H, W)`` an autoencoder can take.

    At ``fit`` (no ``fitted_shape``) ``patch_size`` must divide the height and
    the width; afterwards the images must have the fitted ``(C, H, W)``
    (flattened rows: its number of features).
    """
    X = check_array(X, dtype=np.float32, allow_nd=True, accept_sparse=False)
    if fitted_shape is not None and X.ndim == 2:
        n_features = math.prod(fitted_shape)
        if X.shape[1] != n_features:
            raise ValueError(
                f"X has {X.shape[1]} features, but MaskedAutoencoder is "
                f"expecting {n_features} features as input (images of "
                f"shape {fitted_shape}, flattened)."
            )
    imgs = as_images(X, image_shape, strip=patch_size == 1)
    if fitted_shape is None:
        _, h, w = imgs.shape[1:]
        if h % patch_size or w % patch_size:
            raise ValueError(
                f"Images of {h}x{w} pixels cannot be cut into patches of "
                f"{patch_size}x{patch_size}: patch_size must divide the height "
                "and the width."
            )
    elif imgs.shape[1:] != fitted_shape:
        raise ValueError(
            f"The images have shape {imgs.shape[1:]} (C, H, W) but the "
            f"autoencoder was fitted on {fitted_shape}."
        )
    return imgs


def sincos_pos_embed(embed_dim, grid_h, grid_w):
    """Return fixed 2-D sine-cosine positional embeddings of a patch grid.

    Half of the channels encode the row, half the column, each as
    ``sin(pos * w_k)`` and ``cos(pos * w_k)`` with ``w_k = 10000^(-k / (D/4))``
    (Vaswani et al. 2017, in the 2-D form of the MAE code).

    Parameters
    ----------
    embed_dim : int
        Embedding width; a multiple of 4.
    grid_h, grid_w : int
        Patches per column and per row.

    Returns
    -------
    pos : ndarray of shape (grid_h * grid_w, embed_dim)
        Row-major over the grid, float32.

    Examples
    --------
    >>> from skal.torch._mae_patches import sincos_pos_embed
    >>> sincos_pos_embed(8, 2, 3).shape
    (6, 8)
    """
    if embed_dim % 4:
        raise ValueError(f"embed_dim must be a multiple of 4, got {embed_dim}.")
    omega = 1.0 / 10000 ** (
        np.arange(embed_dim // 4, dtype=np.float64) / (embed_dim / 4)
    )
    rows, cols = np.meshgrid(np.arange(grid_h), np.arange(grid_w), indexing="ij")

    def encode(pos):
        out = np.outer(pos.ravel(), omega)
        return np.concatenate([np.sin(out), np.cos(out)], axis=1)

    return np.concatenate([encode(rows), encode(cols)], axis=1).astype(np.float32)


def patchify(imgs, patch_size):
    """Cut images into flattened non-overlapping square patches.

    Parameters
    ----------
    imgs : torch.Tensor of shape (n, C, H, W)
        Images; ``H`` and ``W`` divisible by ``patch_size``.
    patch_size : int
        Side of a patch.

    Returns
    -------
    patches : torch.Tensor of shape (n, L, patch_size**2 * C)
        ``L = (H / p) * (W / p)`` patches, row-major; each patch is flattened
        as (row, column, channel).

    Examples
    --------
    >>> import torch
    >>> from skal.torch._mae_patches import patchify
    >>> patchify(torch.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 1].tolist()
    [2.0, 3.0, 6.0, 7.0]
    """
    n, c, h, w = imgs.shape
    p = patch_size
    x = imgs.reshape(n, c, h // p, p, w // p, p)
    x = torch.einsum("nchpwq->nhwpqc", x)
    return x.reshape(n, (h // p) * (w // p), p * p * c)


def unpatchify(patches, patch_size, image_shape):
    """Reassemble images from the output of :func:`patchify`.

    Parameters
    ----------
    patches : torch.Tensor of shape (n, L, patch_size**2 * C)
        Flattened patches.
    patch_size : int
        Side of a patch.
    image_shape : tuple of int
        ``(C, H, W)`` of the images.

    Returns
    -------
    imgs : torch.Tensor of shape (n, C, H, W)
        The images.
    """
    c, h, w = image_shape
    p = patch_size
    x = patches.reshape(patches.shape[0], h // p, w // p, p, p, c)
    x = torch.einsum("nhwpqc->nchpwq", x)
    return x.reshape(patches.shape[0], c, h, w)


def random_masking(n, n_patches, mask_ratio, device="cpu"):
    """Draw an independent random subset of visible patches for every sample.

    As in the MAE code: argsort of uniform noise shuffles the patches and the
    first ``round(L * (1 - mask_ratio))`` stay visible.

    Parameters
    ----------
    n : int
        Number of samples.
    n_patches : int
        Patches per sample ``L``.
    mask_ratio : float
        Fraction of patches hidden, in [0, 1).
    device : str or torch.device, default="cpu"
        Where the tensors live.

    Returns
    -------
    ids_keep : torch.Tensor of shape (n, n_visible)
        Positions of the visible patches.
    mask : torch.Tensor of shape (n, L)
        1 for hidden patches, 0 for visible ones.
    ids_restore : torch.Tensor of shape (n, L)
        Permutation undoing the shuffle.
    """
    n_keep = max(1, int(round(n_patches * (1 - mask_ratio))))
    noise = torch.rand(n, n_patches, device=device)
    ids_shuffle = torch.argsort(noise, dim=1)
    ids_restore = torch.argsort(ids_shuffle, dim=1)
    mask = torch.ones(n, n_patches, device=device)
    mask[:, :n_keep] = 0
    mask = torch.gather(mask, 1, ids_restore)
    return ids_shuffle[:, :n_keep], mask, ids_restore
