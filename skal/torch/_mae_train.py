"""Pretraining a masked autoencoder: checks, the training loop, saving, loading.

Functions of a :class:`~skal.torch.MaskedAutoencoder`'s hyper-parameters and
network: the estimator in ``_mae.py`` calls them from ``fit``, ``save`` and
``load``.
"""

import copy
import math
import time
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ._mae_module import POOLINGS

#: The constraints of MaskedAutoencoder's parameters (scikit-learn's system).
MAE_CONSTRAINTS = {
    **{
        name: [Interval(Integral, 1, None, closed="left")]
        for name in (
            "patch_size",
            "embed_dim",
            "depth",
            "num_heads",
            "max_epochs",
            "batch_size",
            "decoder_embed_dim",
            "decoder_depth",
            "decoder_num_heads",
            "n_iter_no_change",
        )
    },
    "image_shape": [tuple, list, None],
    "mask_ratio": [Interval(Real, 0, 1, closed="neither")],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "mlp_ratio": [Interval(Real, 0, None, closed="neither")],
    "lr": [Interval(Real, 0, None, closed="neither")],
    "weight_decay": [Interval(Real, 0, None, closed="left")],
    "tol": [Interval(Real, None, None, closed="neither")],
    "norm_pix_loss": ["boolean"],
    "early_stopping": ["boolean"],
    "pooling": [StrOptions(set(POOLINGS))],
    "lr_schedule": [StrOptions({"cosine", "constant"})],
    "device": [str, torch.device],
    "verbose": ["verbose"],
    "random_state": ["random_state"],
}

FORMAT = "skal.torch.MaskedAutoencoder/1"


def seed_from(random_state):
    """Draw a torch seed from ``random_state``.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        The source; a RandomState advances by one draw.

    Returns
    -------
    seed : int
        A seed in ``[0, 2**31 - 1)`` for ``torch.manual_seed``.

    Examples
    --------
    >>> from skal.torch._mae_train import seed_from
    >>> seed_from(0) == seed_from(0)
    True
    """
    return int(check_random_state(random_state).randint(0, 2**31 - 1))


def check_widths(mae):
    """Raise a clear error when an embedding width does not fit its heads.

    The single parameters are checked by the estimator's
    ``_parameter_constraints``; this checks how two of them relate.

    Parameters
    ----------
    mae : MaskedAutoencoder
        The estimator whose widths are checked.

    Raises
    ------
    ValueError
        Naming the width and the number of heads.
    """
    widths = (
        (mae.embed_dim, mae.num_heads),
        (mae.decoder_embed_dim, mae.decoder_num_heads),
    )
    for dim, heads in widths:
        if dim % 4 or dim % heads:
            raise ValueError(
                f"An embedding width of {dim} must be a multiple of 4 (for the "
                f"sine-cosine positions) and of its {heads} attention heads."
            )


def batches(imgs, batch_size, device, order=None):
    """Yield tensors of ``batch_size`` images.

    Parameters
    ----------
    imgs : ndarray of shape (n, C, H, W)
        Float32 images.
    batch_size : int
        Images per batch (the last one may be smaller).
    device : str or torch.device
        Where the tensors go.
    order : ndarray of int, default=None
        Row order; ``None`` keeps the given order.

    Yields
    ------
    xb : torch.Tensor of shape (batch, C, H, W)
        One batch.
    """
    order = np.arange(len(imgs)) if order is None else order
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        yield torch.from_numpy(imgs[idx]).to(device)


def masked_loss(mae, imgs, seed):
    """Return the mean masked loss of ``imgs`` under masks fixed by ``seed``.

    No gradient is computed and the global torch generator is left alone, so
    the validation loss of early stopping compares epochs on equal masks.

    Parameters
    ----------
    mae : MaskedAutoencoder
        A fitted (or training) autoencoder.
    imgs : ndarray of shape (n, C, H, W)
        Float32 images.
    seed : int
        Seed of the masks.

    Returns
    -------
    loss : float
        Mean squared error on the hidden patches, averaged over the images.
    """
    mae.module_.eval()
    total = 0.0
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        torch.manual_seed(seed)
        for xb in batches(imgs, mae.batch_size, mae.device):
            total += float(mae.module_(xb, mae.mask_ratio)[0]) * len(xb)
    return total / len(imgs)


def _lr_factor(schedule, total):
    """Return the learning-rate factor of each step.

    Linear warm-up over the first 5% of the ``total`` steps, then cosine decay
    to 0; or 1 throughout for ``schedule="constant"``.
    """
    warmup = max(1, total // 20)

    def factor(step):
        if schedule == "constant":
            return 1.0
        if step < warmup:
            return (step + 1) / warmup
        return 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))

    return factor


def train(mae, imgs, val, rng):
    """Train ``mae.module_`` on ``imgs``, with early stopping on ``val`` if given.

    AdamW (betas 0.9, 0.95) with the learning-rate schedule of ``mae``, one
    shuffled pass over ``imgs`` per epoch. Sets ``loss_curve_``,
    ``validation_loss_curve_`` and ``n_epochs_`` on ``mae`` and leaves the
    module (with the best validation weights under early stopping) in eval
    mode.

    Parameters
    ----------
    mae : MaskedAutoencoder
        The estimator, with ``module_`` built.
    imgs : ndarray of shape (n, C, H, W)
        Training images.
    val : ndarray of shape (n_val, C, H, W) or None
        Held-out images for early stopping.
    rng : RandomState
        Draws the validation masks' seed and the batch orders.
    """
    module = mae.module_
    opt = torch.optim.AdamW(
        module.parameters(),
        lr=mae.lr,
        betas=(0.9, 0.95),
        weight_decay=mae.weight_decay,
    )
    total = mae.max_epochs * math.ceil(len(imgs) / mae.batch_size)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, _lr_factor(mae.lr_schedule, total))
    val_seed = seed_from(rng)
    mae.loss_curve_ = []
    mae.validation_loss_curve_ = [] if val is not None else None
    best, best_state, stale = np.inf, None, 0
    for epoch in range(mae.max_epochs):
        tic = time.perf_counter()
        module.train()
        running = 0.0
        for xb in batches(imgs, mae.batch_size, mae.device, rng.permutation(len(imgs))):
            loss = module(xb, mae.mask_ratio)[0]
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            running += float(loss.detach()) * len(xb)
        mae.loss_curve_.append(running / len(imgs))
        line = f"epoch {epoch + 1:3d}/{mae.max_epochs}"
        line += f"  loss {mae.loss_curve_[-1]:.4f}"
        mae.n_epochs_ = epoch + 1
        if val is not None:
            val_loss = masked_loss(mae, val, val_seed)
            mae.validation_loss_curve_.append(val_loss)
            line += f"  valid {val_loss:.4f}"
            if val_loss < best - mae.tol:
                best, stale = val_loss, 0
                best_state = copy.deepcopy(module.state_dict())
            else:
                stale += 1
        if mae.verbose:
            print(f"{line}  {time.perf_counter() - tic:.1f}s", flush=True)
        if val is not None and stale >= mae.n_iter_no_change:
            if mae.verbose:
                print(f"early stopping: no improvement in {stale} epochs", flush=True)
            break
    if best_state is not None:
        module.load_state_dict(best_state)
    module.eval()


def save(mae, path):
    """Write the parameters, fitted attributes and weights of ``mae`` to ``path``.

    Parameters
    ----------
    mae : MaskedAutoencoder
        A fitted autoencoder.
    path : str or path-like
        Destination file (``torch.save``).
    """
    params = mae.get_params()
    if not (params["random_state"] is None or isinstance(params["random_state"], int)):
        params["random_state"] = None  # a RandomState does not round-trip
    if params["image_shape"] is not None:
        params["image_shape"] = tuple(int(s) for s in params["image_shape"])
    fitted = {
        "image_shape_": tuple(int(s) for s in mae.image_shape_),
        "pixel_mean_": mae.pixel_mean_.tolist(),
        "pixel_std_": mae.pixel_std_.tolist(),
        "loss_curve_": list(mae.loss_curve_),
        "validation_loss_curve_": mae.validation_loss_curve_,
        "n_epochs_": int(mae.n_epochs_),
        "fit_time_": float(mae.fit_time_),
    }
    state = {k: v.cpu() for k, v in mae.module_.state_dict().items()}
    torch.save(
        {"format": FORMAT, "params": params, "fitted": fitted, "state_dict": state},
        path,
    )


def load(cls, path, device=None):
    """Rebuild a fitted autoencoder from a file written by :func:`save`.

    Parameters
    ----------
    cls : type
        ``MaskedAutoencoder`` or a subclass.
    path : str or path-like
        File written by :func:`save`.
    device : str, default=None
        Torch device; ``None`` keeps the saved one.

    Returns
    -------
    mae : MaskedAutoencoder
        The fitted autoencoder, in eval mode.
    """
    saved = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        raise ValueError(f"{path} was not written by MaskedAutoencoder.save.")
    mae = cls(**saved["params"])
    if device is not None:
        mae.device = device
    fitted = saved["fitted"]
    mae.image_shape_ = tuple(fitted["image_shape_"])
    mae.pixel_mean_ = np.asarray(fitted["pixel_mean_"])
    mae.pixel_std_ = np.asarray(fitted["pixel_std_"])
    mae.loss_curve_ = fitted["loss_curve_"]
    mae.validation_loss_curve_ = fitted["validation_loss_curve_"]
    mae.n_epochs_ = fitted["n_epochs_"]
    mae.fit_time_ = fitted["fit_time_"]
    mae.n_features_in_ = int(np.prod(mae.image_shape_))
    _, h, w = mae.image_shape_
    mae.n_patches_ = (h // mae.patch_size) * (w // mae.patch_size)
    mae.module_ = mae._build()
    mae.module_.load_state_dict(saved["state_dict"])
    mae.module_.eval()
    return mae
