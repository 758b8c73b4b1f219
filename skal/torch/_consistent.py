"""Consistent Monte-Carlo dropout: one dropout mask per pass, shared by every row.

Dropout at prediction time samples weights from an approximate posterior
(Gal & Ghahramani 2016); a pass is one weight sample, so the same mask
should apply to every input of that pass. Drawing one mask per pass and
layer from a generator seeded by ``(seed, pass, layer)`` makes the passes a
function of the row alone: the probabilities of a row do not depend on
which rows share its batch, on their order or on the batch size. BatchBALD
needs exactly this (Kirsch, van Amersfoort & Gal 2019 call it "consistent
MC dropout"): its joint entropy compares the same weight sample across the
rows of a batch.
"""

from contextlib import contextmanager

import numpy as np
import torch

_DROPOUT = (torch.nn.Dropout, torch.nn.AlphaDropout)
_CHANNEL_DROPOUT = (
    torch.nn.Dropout1d,
    torch.nn.Dropout2d,
    torch.nn.Dropout3d,
    torch.nn.FeatureAlphaDropout,
)
#: -lambda * alpha of the SELU activation (Klambauer et al. 2017).
_SELU_NEG = -1.7580993408473766


def _mask_shape(layer, x):
    if isinstance(layer, _CHANNEL_DROPOUT) and x.dim() > 2:
        return (1, x.shape[1]) + (1,) * (x.dim() - 2)
    return (1,) + tuple(x.shape[1:])


def _layer_seed(seed, n_pass, layer):
    return int(np.random.SeedSequence([seed, n_pass, layer]).generate_state(1)[0])


class _Masks:
    """Forward hooks drawing one mask per (pass, layer, input shape)."""

    def __init__(self, seed):
        self.seed = seed
        self.n_pass = 0
        self._cache = {}

    def hook(self, index):
        def apply(layer, inputs, output):
            x = inputs[0]
            key = (self.n_pass, index, tuple(x.shape[1:]))
            if key not in self._cache:
                gen = torch.Generator().manual_seed(
                    _layer_seed(self.seed, self.n_pass, index)
                )
                u = torch.rand(_mask_shape(layer, x), generator=gen)
                self._cache[key] = (u >= layer.p).to(device=x.device, dtype=x.dtype)
            keep, p = self._cache[key], float(layer.p)
            if p >= 1.0:
                return torch.zeros_like(x)
            if isinstance(layer, (torch.nn.AlphaDropout, torch.nn.FeatureAlphaDropout)):
                a = ((1 - p) * (1 + p * _SELU_NEG**2)) ** -0.5
                return a * (x * keep + _SELU_NEG * (1 - keep)) - a * _SELU_NEG * p
            return x * keep / (1 - p)

        return apply


def no_dropout_error(module):
    """The error for MC dropout on a ``module`` without dropout layers."""
    return ValueError(
        f"{type(module).__name__} has no dropout layer, so MC dropout would "
        "return the same prediction every pass. Add one before the output "
        "layer, e.g. torch.nn.Dropout(p=0.5), or use a Committee of nets."
    )


def _dropout_layers(module):
    return [m for m in module.modules() if isinstance(m, _DROPOUT + _CHANNEL_DROPOUT)]


@contextmanager
def consistent_dropout(module, seed):
    """Evaluate ``module`` in eval mode with seeded, row-independent dropout masks.

    Inside the context every dropout layer applies a mask drawn once per
    pass from ``(seed, pass, layer)`` and shared by all rows; set the pass
    with ``masks.n_pass = t``. Gradients are off and the train/eval modes of
    the layers are restored on exit.

    Parameters
    ----------
    module : torch.nn.Module
        A network with at least one dropout layer.
    seed : int
        Seeds the masks.

    Yields
    ------
    masks : object
        Its ``n_pass`` attribute selects the pass.

    Examples
    --------
    >>> import torch
    >>> from skal.torch._consistent import consistent_dropout
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Dropout(0.5))
    >>> x = torch.randn(4, 3)
    >>> with consistent_dropout(net, seed=0) as masks:
    ...     whole = net(x)
    ...     rows = torch.cat([net(x[2:]), net(x[:2])])
    >>> bool(torch.equal(whole, torch.cat([rows[2:], rows[:2]])))
    True
    """
    layers = _dropout_layers(module)
    if not layers:
        raise no_dropout_error(module)
    masks = _Masks(int(seed))
    modes = [(m, m.training) for m in module.modules()]
    handles = [m.register_forward_hook(masks.hook(i)) for i, m in enumerate(layers)]
    try:
        module.eval()
        with torch.no_grad():
            yield masks
    finally:
        for handle in handles:
            handle.remove()
        for m, mode in modes:
            m.training = mode
