"""A masked autoencoder as a scikit-learn transformer: pretrain once, embed images."""

import time

import numpy as np
import torch
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from . import _mae_train
from ._mae_module import POOLINGS, MAEEncoder, MAEModule, pool_tokens
from ._mae_patches import check_images, patchify, unpatchify
from ._mae_train import MAE_CONSTRAINTS, batches, seed_from


class MaskedAutoencoder(TransformerMixin, BaseEstimator):
    """Self-supervised masked autoencoder (MAE) on images; features by ``transform``.

    He et al. (2022), "Masked Autoencoders Are Scalable Vision Learners". The
    images are cut into ``patch_size`` squares; a random ``mask_ratio`` of
    them is hidden; a small vision transformer encodes the visible patches
    (with fixed 2-D sine-cosine positional embeddings and a CLS token); a
    light decoder fills the hidden positions with a learned mask token and
    predicts their pixels; the loss is the mean squared error on the hidden
    patches only. No labels are used, so the whole pool (all images) trains it
    once; ``transform`` then gives the encoder's features of the *unmasked*
    images for any downstream model or query strategy.

    Parameters
    ----------
    image_shape : tuple of int, default=None
        ``(H, W)`` or ``(C, H, W)`` of flat input rows. ``None``: flat rows
        with a square number of features are one-channel square images.
        Ignored for (n, H, W) or (n, C, H, W) input.
    patch_size : int, default=4
        Side of a patch; must divide the image height and width. With
        ``patch_size=1`` flat rows of any width work: a non-square row of
        ``d`` features is read as a ``1 x d`` strip, every feature a token.
    mask_ratio : float, default=0.75
        Fraction of patches hidden in training, in (0, 1).
    embed_dim : int, default=64
        Width of the encoder (a multiple of 4 and of ``num_heads``).
    depth : int, default=2
        Transformer blocks in the encoder.
    num_heads : int, default=4
        Attention heads in the encoder.
    decoder_embed_dim : int, default=32
        Width of the decoder.
    decoder_depth : int, default=1
        Transformer blocks in the decoder.
    decoder_num_heads : int, default=4
        Attention heads in the decoder.
    mlp_ratio : float, default=2.0
        Hidden width of the blocks' feed-forward layers relative to their width.
    norm_pix_loss : bool, default=False
        Regress pixels standardised within each patch (the paper's better
        variant for large models) instead of the standardised image.
    pooling : {"tokens", "mean", "cls"}, default="tokens"
        Features returned by ``transform``: all patch tokens concatenated
        (``n_patches * embed_dim`` features; they keep where each part of the
        image is), the mean of the patch tokens (``embed_dim`` features, the
        paper's choice for large images) or the CLS token. On small images
        with small networks "tokens" is far better for linear models and
        fine-tuning (MNIST linear probe at 1,000 labels: 91.7% vs 84.4% for
        "mean"); for large patch grids prefer "mean".
    max_epochs : int, default=10
        Passes over the training images.
    batch_size : int, default=128
        Images per gradient step (and per inference batch).
    lr : float, default=1e-3
        Peak learning rate of AdamW (betas 0.9, 0.95 as in the paper).
    weight_decay : float, default=0.05
        AdamW weight decay.
    lr_schedule : {"cosine", "constant"}, default="cosine"
        Cosine decay after a linear warm-up over the first 5% of the steps,
        or a constant rate.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the images and stop when their
        masked-reconstruction loss has not improved by ``tol`` for
        ``n_iter_no_change`` epochs (the patience); the best weights are kept.
    validation_fraction : float, default=0.1
        Held-out fraction for early stopping.
    n_iter_no_change : int, default=3
        Patience of early stopping, in epochs.
    tol : float, default=0.0
        Minimum improvement of the validation loss.
    device : str, default="cpu"
        Torch device.
    verbose : int, default=0
        Print one line per epoch when > 0.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights, the batches and the masks; the global torch RNG is
        left untouched.

    Attributes
    ----------
    module_ : torch.nn.Module
        The trained network; ``module_.encoder`` is the encoder.
    image_shape_ : tuple of int
        ``(C, H, W)`` seen in ``fit``.
    n_patches_ : int
        Patches per image.
    pixel_mean_, pixel_std_ : ndarray of shape (C,)
        Channel statistics of the training images, used to standardise input.
    loss_curve_ : list of float
        Mean training loss of each epoch.
    validation_loss_curve_ : list of float or None
        Validation loss of each epoch with ``early_stopping``.
    n_epochs_ : int
        Epochs run.
    fit_time_ : float
        Seconds spent in ``fit``.

    See Also
    --------
    MAEClassifier : Fine-tunes the pretrained encoder with an MC-dropout head.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skal.torch import MaskedAutoencoder
    >>> X = load_digits().images[:200]
    >>> mae = MaskedAutoencoder(patch_size=2, embed_dim=16, depth=1,
    ...                         max_epochs=2, random_state=0).fit(X)
    >>> mae.transform(X).shape  # 16 patches x 16 features
    (200, 256)
    >>> mae.encode(X, pooling="mean").shape
    (200, 16)
    >>> len(mae.loss_curve_)
    2
    """

    _parameter_constraints = MAE_CONSTRAINTS

    def __init__(
        self,
        image_shape=None,
        *,
        patch_size=4,
        mask_ratio=0.75,
        embed_dim=64,
        depth=2,
        num_heads=4,
        decoder_embed_dim=32,
        decoder_depth=1,
        decoder_num_heads=4,
        mlp_ratio=2.0,
        norm_pix_loss=False,
        pooling="tokens",
        max_epochs=10,
        batch_size=128,
        lr=1e-3,
        weight_decay=0.05,
        lr_schedule="cosine",
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=3,
        tol=0.0,
        device="cpu",
        verbose=0,
        random_state=None,
    ):
        self.image_shape = image_shape
        self.patch_size = patch_size
        self.mask_ratio = mask_ratio
        self.embed_dim = embed_dim
        self.depth = depth
        self.num_heads = num_heads
        self.decoder_embed_dim = decoder_embed_dim
        self.decoder_depth = decoder_depth
        self.decoder_num_heads = decoder_num_heads
        self.mlp_ratio = mlp_ratio
        self.norm_pix_loss = norm_pix_loss
        self.pooling = pooling
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.lr_schedule = lr_schedule
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.device = device
        self.verbose = verbose
        self.random_state = random_state

    # ------------------------------------------------------------ checks
    def _images(self, X, *, reset):
        if reset:
            return check_images(X, self.image_shape, self.patch_size)
        return check_images(
            X, self.image_shape, self.patch_size, fitted_shape=self.image_shape_
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]  # torch computes in it
        return tags

    # ----------------------------------------------------------- network
    def _build(self):
        encoder = MAEEncoder(
            self.image_shape_,
            self.patch_size,
            self.embed_dim,
            self.depth,
            self.num_heads,
            self.mlp_ratio,
            self.pixel_mean_.tolist(),
            self.pixel_std_.tolist(),
        )
        module = MAEModule(
            encoder,
            self.decoder_embed_dim,
            self.decoder_depth,
            self.decoder_num_heads,
            self.mlp_ratio,
            self.norm_pix_loss,
        )
        return module.to(self.device)

    # ---------------------------------------------------------------- fit
    def fit(self, X, y=None):
        """Pretrain on images, self-supervised; ``y`` is ignored.

        Parameters
        ----------
        X : array-like of shape (n, H, W), (n, C, H, W) or (n, C*H*W)
            All images (labeled or not).
        y : None or array-like, default=None
            Ignored; a partially labeled ``y`` (``-1`` for missing) is fine.

        Returns
        -------
        self : MaskedAutoencoder
            The fitted autoencoder.
        """
        start = time.perf_counter()
        self._validate_params()
        _mae_train.check_widths(self)
        imgs = self._images(X, reset=True)
        self.image_shape_ = imgs.shape[1:]
        self.n_features_in_ = int(np.prod(self.image_shape_))
        self.n_patches_ = (imgs.shape[2] // self.patch_size) * (
            imgs.shape[3] // self.patch_size
        )
        self.pixel_mean_ = imgs.mean(axis=(0, 2, 3)).astype(np.float64)
        self.pixel_std_ = np.maximum(imgs.std(axis=(0, 2, 3)), 1e-6).astype(np.float64)
        rng = check_random_state(self.random_state)
        val = None
        if self.early_stopping:
            perm = rng.permutation(len(imgs))
            n_val = max(1, int(round(self.validation_fraction * len(imgs))))
            if n_val >= len(imgs):
                raise ValueError("early_stopping needs at least 2 images.")
            val, imgs = imgs[perm[:n_val]], imgs[perm[n_val:]]
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed_from(rng))
            self.module_ = self._build()
            _mae_train.train(self, imgs, val, rng)
        self.fit_time_ = time.perf_counter() - start
        return self

    # ---------------------------------------------------------- inference
    def encode(self, X, pooling=None):
        """Return encoder features of unmasked images.

        Parameters
        ----------
        X : array-like of images
            As in ``fit``.
        pooling : {"mean", "cls", "tokens"}, default=None
            Overrides the estimator's ``pooling``.

        Returns
        -------
        features : ndarray of shape (n, n_features_out)
            The pooled features, float32.
        """
        check_is_fitted(self)
        pooling = self.pooling if pooling is None else pooling
        if pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {pooling!r}.")
        imgs = self._images(X, reset=False)
        self.module_.eval()
        with torch.no_grad():
            out = [
                pool_tokens(self.module_.encoder(xb), pooling).cpu().numpy()
                for xb in batches(imgs, self.batch_size, self.device)
            ]
        if out:
            return np.concatenate(out)
        width = self.embed_dim * (self.n_patches_ if pooling == "tokens" else 1)
        return np.zeros((0, width), np.float32)

    def transform(self, X):
        """Return the encoder features of unmasked images (``pooling``).

        Parameters
        ----------
        X : array-like of images
            As in ``fit``.

        Returns
        -------
        features : ndarray of shape (n, n_features_out)
            ``embed_dim`` features for mean or CLS pooling, ``n_patches_ *
            embed_dim`` for ``"tokens"``.
        """
        return self.encode(X)

    def reconstruct(self, X, *, mask_ratio=None, random_state=None, return_mask=False):
        """Mask images at random and return the decoder's reconstruction.

        With ``norm_pix_loss`` the predicted patches are brought back to
        pixels with the true patches' mean and variance, as the MAE paper's
        figures do.

        Parameters
        ----------
        X : array-like of images
            As in ``fit``.
        mask_ratio : float, default=None
            Fraction hidden; ``None`` uses the estimator's ``mask_ratio``.
        random_state : int, RandomState instance or None, default=None
            Seeds the masks.
        return_mask : bool, default=False
            Also return which pixels were hidden.

        Returns
        -------
        reconstruction : ndarray
            Predicted pixels of every patch, in the layout of ``X``.
        hidden : ndarray of bool
            True where pixels were hidden, in the layout of ``X``; returned
            with ``return_mask=True``.
        """
        check_is_fitted(self)
        ratio = self.mask_ratio if mask_ratio is None else mask_ratio
        X_shape = np.shape(X)
        imgs = self._images(X, reset=False)
        module, p = self.module_, self.patch_size
        module.eval()
        preds, masks = [], []
        with torch.random.fork_rng(devices=[]), torch.no_grad():
            torch.manual_seed(seed_from(random_state))
            for xb in batches(imgs, self.batch_size, self.device):
                _, pred, mask = module(xb, ratio)
                if self.norm_pix_loss:
                    target = patchify(module.encoder.images(xb), p)
                    mean = target.mean(dim=-1, keepdim=True)
                    std = (target.var(dim=-1, keepdim=True) + 1e-6) ** 0.5
                    pred = pred * std + mean
                img = unpatchify(pred, p, self.image_shape_)
                img = img * module.encoder.pixel_std + module.encoder.pixel_mean
                hidden = mask.unsqueeze(-1).expand(-1, -1, p * p * img.shape[1])
                preds.append(img.cpu().numpy())
                masks.append(unpatchify(hidden, p, self.image_shape_).cpu().numpy())
        rec = np.concatenate(preds).reshape(X_shape)
        if return_mask:
            return rec, np.concatenate(masks).reshape(X_shape) > 0.5
        return rec

    # ------------------------------------------------------- persistence
    def save(self, path):
        """Save the weights and the configuration to ``path`` (``torch.save``).

        Parameters
        ----------
        path : str or path-like
            Destination file.

        Returns
        -------
        self : MaskedAutoencoder
            The autoencoder, unchanged.
        """
        check_is_fitted(self)
        _mae_train.save(self, path)
        return self

    @classmethod
    def load(cls, path, *, device=None):
        """Load an autoencoder written by :meth:`save`, ready to ``transform``.

        Parameters
        ----------
        path : str or path-like
            File written by ``save``.
        device : str, default=None
            Torch device; ``None`` keeps the saved one.

        Returns
        -------
        mae : MaskedAutoencoder
            The fitted autoencoder.
        """
        return _mae_train.load(cls, path, device)
