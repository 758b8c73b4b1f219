"""The loss-prediction head and its ranking loss (Yoo & Kweon, CVPR 2019).

:class:`LossPredictionModule` wraps a task network: forward hooks ("taps")
on chosen layers feed a small head that predicts the task loss of each
row; :func:`loss_prediction_loss` is the paper's pairwise margin ranking
loss. :class:`~skal.torch.LossPredictionNet` trains both with skorch.
"""

import torch
from torch import nn


def loss_prediction_loss(predicted, target, margin=1.0):
    """Pairwise margin ranking loss of Yoo & Kweon (2019), eq. (2).

    The batch of ``b`` rows is split into ``b/2`` pairs, row ``i`` of the
    first half with row ``i`` of the second (an odd last row is dropped):

    .. math::

        L = \\frac{2}{b} \\sum_{(i, j)} \\max\\bigl(0,
            -\\mathbb{1}(l_i, l_j) \\cdot (\\hat l_i - \\hat l_j) + \\xi\\bigr),
        \\qquad \\mathbb{1}(l_i, l_j) = +1 \\text{ if } l_i > l_j
        \\text{ else } -1.

    Only the sign of the true difference is used, so the head learns the
    ranking of the losses, not their scale. ``target`` is detached.

    Parameters
    ----------
    predicted : torch.Tensor of shape (b,)
        Predicted losses.
    target : torch.Tensor of shape (b,)
        True per-row task losses.
    margin : float, default=1.0
        The margin :math:`\\xi`.

    Returns
    -------
    loss : torch.Tensor
        A scalar; 0 for a batch of fewer than two rows.

    Examples
    --------
    >>> import torch
    >>> from skal.torch import loss_prediction_loss
    >>> pred, true = torch.tensor([2.0, 1.5, 0.5, 1.0]), torch.tensor([3.0, 1, 1, 2])
    >>> # pair (0, 2) ranked right by 1.5 > xi: 0; pair (1, 3) wrong: 1 + 0.5
    >>> float(loss_prediction_loss(pred, true))
    0.75
    """
    half = predicted.shape[0] // 2
    if half == 0:
        return predicted.sum() * 0.0
    target = target.detach()
    sign = torch.where(target[:half] > target[half : 2 * half], 1.0, -1.0)
    gap = predicted[:half] - predicted[half : 2 * half]
    return torch.clamp(margin - sign * gap, min=0).mean()


class _Tap:
    """A forward hook keeping a layer's last output."""

    def __init__(self):
        self.output = None

    def __call__(self, module, inputs, output):
        self.output = output[0] if isinstance(output, tuple) else output


class LossPredictionModule(nn.Module):
    """A task network with a loss-prediction head on chosen layers.

    ``forward`` returns ``(logits, predicted_loss)``; skorch's
    ``predict_proba`` uses the first. Each tapped output of shape
    ``(n, C, ...)`` is averaged over its spatial axes (GAP), mapped by
    ``Linear(C, head_units)`` and a ReLU; the concatenation goes through
    ``Linear(len(taps) * head_units, 1)``.

    Parameters
    ----------
    backbone : torch.nn.Module
        The task network (returns logits).
    taps : sequence of str or None, default=None
        Names of the backbone's submodules to read (``named_modules``);
        ``None`` taps every top-level child but the last.
    head_units : int, default=128
        Width of each tap's fully connected layer (128 in the paper).

    Examples
    --------
    >>> import torch
    >>> from skal.torch import GalCNN, LossPredictionModule
    >>> net = LossPredictionModule(GalCNN(image_shape=(1, 8, 8), kernel_size=3))
    >>> net.taps
    ('conv', 'dense')
    >>> [t.shape for t in net(torch.zeros(5, 8, 8))]
    [torch.Size([5, 10]), torch.Size([5])]
    """

    def __init__(self, backbone, taps=None, head_units=128):
        super().__init__()
        self.backbone = backbone
        layers = dict(backbone.named_modules())
        if taps is None:
            taps = [name for name, _ in backbone.named_children()][:-1]
        taps = tuple(taps)
        unknown = [name for name in taps if name not in layers or not name]
        if unknown or not taps:
            known = [name for name in layers if name]
            raise ValueError(
                f"taps={list(taps)} must name submodules of "
                f"{type(backbone).__name__}; it has {known[:20]}."
            )
        self.taps = taps
        self._hooks = [_Tap() for _ in taps]
        for name, hook in zip(taps, self._hooks):
            layers[name].register_forward_hook(hook)
        self.fcs = nn.ModuleList([nn.LazyLinear(head_units) for _ in taps])
        self.out = nn.Linear(head_units * len(taps), 1)
        #: Set by the net after ``detach_after`` epochs: the head's gradient
        #: no longer reaches the backbone.
        self.detach_features = False

    def forward(self, x):
        logits = self.backbone(x.float() if x.is_floating_point() else x)
        parts = []
        for fc, hook in zip(self.fcs, self._hooks):
            feature = hook.output
            if feature.dim() > 2:
                feature = feature.flatten(2).mean(dim=2)
            if self.detach_features:
                feature = feature.detach()
            parts.append(torch.relu(fc(feature)))
        return logits, self.out(torch.cat(parts, dim=1)).squeeze(1)
