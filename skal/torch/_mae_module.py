"""The masked-autoencoder networks (He et al. 2022): encoder, decoder, head.

Pure PyTorch; patches and masks come from ``_mae_patches.py``, and the
scikit-learn estimators around the networks live in ``_mae.py`` and
``_mae_classifier.py``.
"""

import torch
from torch import nn

from ._mae_patches import patchify, random_masking, sincos_pos_embed

POOLINGS = ("mean", "cls", "tokens")


def _blocks(dim, depth, num_heads, mlp_ratio):
    layer = nn.TransformerEncoderLayer(
        dim,
        num_heads,
        dim_feedforward=int(dim * mlp_ratio),
        dropout=0.0,
        activation="gelu",
        batch_first=True,
        norm_first=True,
    )
    return nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)


class MAEEncoder(nn.Module):
    """ViT encoder: pixel standardisation, patch embedding, CLS token, blocks.

    Parameters
    ----------
    image_shape : tuple of int
        ``(C, H, W)``.
    patch_size, embed_dim, depth, num_heads : int
        Architecture.
    mlp_ratio : float
        Width of the feed-forward layers relative to ``embed_dim``.
    pixel_mean, pixel_std : sequence of float
        Per-channel statistics used to standardise the input.
    """

    def __init__(
        self,
        image_shape,
        patch_size,
        embed_dim,
        depth,
        num_heads,
        mlp_ratio,
        pixel_mean,
        pixel_std,
    ):
        super().__init__()
        c, h, w = image_shape
        self.image_shape = tuple(image_shape)
        self.patch_size = patch_size
        self.register_buffer("pixel_mean", torch.tensor(pixel_mean).view(1, c, 1, 1))
        self.register_buffer("pixel_std", torch.tensor(pixel_std).view(1, c, 1, 1))
        self.patch_embed = nn.Linear(patch_size * patch_size * c, embed_dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dim))
        pos = sincos_pos_embed(embed_dim, h // patch_size, w // patch_size)
        self.register_buffer("pos_embed", torch.from_numpy(pos).unsqueeze(0))
        self.blocks = _blocks(embed_dim, depth, num_heads, mlp_ratio)
        self.norm = nn.LayerNorm(embed_dim)
        nn.init.normal_(self.cls_token, std=0.02)
        nn.init.xavier_uniform_(self.patch_embed.weight)

    def images(self, x):
        """Reshape flat input to ``(n, C, H, W)`` and standardise it.

        Parameters
        ----------
        x : torch.Tensor
            A batch of images, any layout with ``C*H*W`` values per row.

        Returns
        -------
        imgs : torch.Tensor of shape (n, C, H, W)
            Standardised float images.
        """
        x = x.reshape(x.shape[0], *self.image_shape).float()
        return (x - self.pixel_mean) / self.pixel_std

    def forward(self, x, ids_keep=None):
        """Encode images; ``ids_keep`` selects the visible patches.

        Parameters
        ----------
        x : torch.Tensor
            A batch of images.
        ids_keep : torch.Tensor of shape (n, n_visible), default=None
            Visible patches; ``None`` encodes every patch.

        Returns
        -------
        tokens : torch.Tensor of shape (n, 1 + n_visible, D)
            Normalised tokens, CLS first.
        """
        tokens = self.patch_embed(patchify(self.images(x), self.patch_size))
        tokens = tokens + self.pos_embed
        if ids_keep is not None:
            index = ids_keep.unsqueeze(-1).expand(-1, -1, tokens.shape[-1])
            tokens = torch.gather(tokens, 1, index)
        cls = self.cls_token.expand(tokens.shape[0], -1, -1)
        return self.norm(self.blocks(torch.cat([cls, tokens], dim=1)))


def pool_tokens(tokens, pooling):
    """Turn encoder tokens (CLS first) into one feature vector per sample.

    Parameters
    ----------
    tokens : torch.Tensor of shape (n, 1 + L, D)
        Encoder output.
    pooling : {"mean", "cls", "tokens"}
        Mean of the patch tokens, the CLS token, or every patch token.

    Returns
    -------
    features : torch.Tensor of shape (n, D) or (n, L * D)
        One row per sample.
    """
    if pooling == "mean":
        return tokens[:, 1:].mean(dim=1)
    if pooling == "cls":
        return tokens[:, 0]
    return tokens[:, 1:].flatten(1)  # "tokens": every patch token, concatenated


class MAEModule(nn.Module):
    """Masked autoencoder: encoder on visible patches, light decoder on all.

    Parameters
    ----------
    encoder : MAEEncoder
        The encoder.
    decoder_embed_dim, decoder_depth, decoder_num_heads : int
        Decoder architecture.
    mlp_ratio : float
        Feed-forward width ratio of the decoder blocks.
    norm_pix_loss : bool
        Regress per-patch standardised pixels.
    """

    def __init__(
        self,
        encoder,
        decoder_embed_dim,
        decoder_depth,
        decoder_num_heads,
        mlp_ratio,
        norm_pix_loss,
    ):
        super().__init__()
        c, h, w = encoder.image_shape
        p = encoder.patch_size
        self.encoder = encoder
        self.norm_pix_loss = norm_pix_loss
        self.decoder_embed = nn.Linear(
            encoder.norm.normalized_shape[0], decoder_embed_dim
        )
        self.mask_token = nn.Parameter(torch.zeros(1, 1, decoder_embed_dim))
        pos = sincos_pos_embed(decoder_embed_dim, h // p, w // p)
        self.register_buffer("decoder_pos_embed", torch.from_numpy(pos).unsqueeze(0))
        self.decoder_blocks = _blocks(
            decoder_embed_dim, decoder_depth, decoder_num_heads, mlp_ratio
        )
        self.decoder_norm = nn.LayerNorm(decoder_embed_dim)
        self.decoder_pred = nn.Linear(decoder_embed_dim, p * p * c)
        nn.init.normal_(self.mask_token, std=0.02)

    def target(self, x):
        """Return the regression target: patches, standardised per patch if asked.

        Parameters
        ----------
        x : torch.Tensor
            A batch of images.

        Returns
        -------
        target : torch.Tensor of shape (n, L, p*p*C)
            Target pixels of every patch.
        """
        target = patchify(self.encoder.images(x), self.encoder.patch_size)
        if self.norm_pix_loss:
            mean = target.mean(dim=-1, keepdim=True)
            var = target.var(dim=-1, keepdim=True)
            target = (target - mean) / (var + 1e-6) ** 0.5
        return target

    def forward(self, x, mask_ratio):
        """Mask ``x`` at random, reconstruct it, and score the hidden patches.

        Parameters
        ----------
        x : torch.Tensor
            A batch of images.
        mask_ratio : float
            Fraction of patches hidden.

        Returns
        -------
        loss : torch.Tensor
            Mean squared error over the hidden patches.
        pred : torch.Tensor of shape (n, L, p*p*C)
            Predicted pixels of every patch (target space).
        mask : torch.Tensor of shape (n, L)
            1 for hidden patches.
        """
        n_patches = self.decoder_pos_embed.shape[1]
        ids_keep, mask, ids_restore = random_masking(
            x.shape[0], n_patches, mask_ratio, device=x.device
        )
        latent = self.decoder_embed(self.encoder(x, ids_keep))
        n, n_vis, d = latent.shape
        tokens = torch.cat(
            [latent[:, 1:], self.mask_token.expand(n, n_patches + 1 - n_vis, -1)], dim=1
        )
        index = ids_restore.unsqueeze(-1).expand(-1, -1, d)
        tokens = torch.gather(tokens, 1, index) + self.decoder_pos_embed
        tokens = torch.cat([latent[:, :1], tokens], dim=1)
        pred = self.decoder_pred(self.decoder_norm(self.decoder_blocks(tokens)))[:, 1:]
        per_patch = ((pred - self.target(x)) ** 2).mean(dim=-1)
        loss = (per_patch * mask).sum() / mask.sum()
        return loss, pred, mask


class MAEHead(torch.nn.Module):
    """A copied MAE encoder, pooling, dropout and a linear layer (logits).

    Parameters
    ----------
    encoder : MAEEncoder
        The pretrained encoder (owned by this module).
    n_classes : int
        Output width.
    dropout : float
        Dropout rate before the linear layer.
    pooling : {"mean", "cls", "tokens"}
        How tokens become features.
    freeze_encoder : bool
        Keep the encoder fixed (and in eval mode): a linear probe.
    """

    def __init__(self, encoder, n_classes, dropout, pooling, freeze_encoder):
        super().__init__()
        self.encoder = encoder
        self.pooling = pooling
        self.freeze_encoder = freeze_encoder
        encoder.requires_grad_(not freeze_encoder)
        width = encoder.norm.normalized_shape[0]
        if pooling == "tokens":
            width *= encoder.pos_embed.shape[1]
        self.dropout = torch.nn.Dropout(dropout)
        self.head = torch.nn.Linear(width, n_classes)

    def train(self, mode=True):
        """Set train mode, leaving a frozen encoder in eval mode.

        Parameters
        ----------
        mode : bool, default=True
            Train (True) or eval (False).

        Returns
        -------
        self : MAEHead
            The module.
        """
        super().train(mode)
        if self.freeze_encoder:
            self.encoder.eval()
        return self

    def features(self, x):
        """Return the pooled encoder features of a batch.

        Parameters
        ----------
        x : torch.Tensor
            A batch of images.

        Returns
        -------
        features : torch.Tensor of shape (n, n_features)
            Pooled tokens.
        """
        with torch.set_grad_enabled(
            torch.is_grad_enabled() and not self.freeze_encoder
        ):
            return pool_tokens(self.encoder(x), self.pooling)

    def forward(self, x):
        """Return class logits.

        Parameters
        ----------
        x : torch.Tensor
            A batch of images.

        Returns
        -------
        logits : torch.Tensor of shape (n, n_classes)
            Unnormalised class scores.
        """
        return self.head(self.dropout(self.features(x)))
