"""The crowd layer of Rodrigues & Pereira (2018) and its masked loss, in torch.

The network gives class probabilities ``p = softmax(f(x))``; annotator
``a`` has a ``K x K`` matrix ``W_a`` (the "MW" variant, initialised to the
identity) and its label logits are ``p W_a``. Training minimises the
cross-entropy of ``softmax(p W_a)`` against the label that ``a`` gave, over
the observed (sample, annotator) pairs only.
"""

import copy

import torch
from torch import nn
from torch.nn import functional as F


def crowd_layer_logits(class_logits, matrices):
    """Return each annotator's label logits ``softmax(logits) @ W_a``.

    Parameters
    ----------
    class_logits : torch.Tensor of shape (n, K)
        The network's class logits.
    matrices : torch.Tensor of shape (n_annotators, K, K)
        One crowd matrix per annotator; ``matrices[a, c, o]`` weighs the true
        class ``c`` for annotator ``a``'s label ``o``.

    Returns
    -------
    annotator_logits : torch.Tensor of shape (n, n_annotators, K)
        Logits of each annotator's label distribution.

    Examples
    --------
    >>> import torch
    >>> from skal.torch._crowd_layer_module import crowd_layer_logits
    >>> swap = torch.tensor([[[0.0, 1.0], [1.0, 0.0]]])  # one annotator, swaps
    >>> crowd_layer_logits(torch.tensor([[9.0, -9.0]]), swap).round().tolist()
    [[[0.0, 1.0]]]
    """
    return torch.einsum("nc,aco->nao", F.softmax(class_logits, dim=-1), matrices)


def masked_crowd_loss(annotator_logits, y):
    """Mean cross-entropy over the labeled (sample, annotator) pairs.

    Parameters
    ----------
    annotator_logits : torch.Tensor of shape (n, n_annotators, K)
        From :func:`crowd_layer_logits`.
    y : torch.Tensor of int of shape (n, n_annotators)
        Class positions, ``-1`` where the annotator gave no label.

    Returns
    -------
    loss : torch.Tensor
        A scalar: ``-mean log softmax(p W_a)[y_a]`` over the pairs with
        ``y >= 0``.

    Examples
    --------
    >>> import math, torch
    >>> from skal.torch._crowd_layer_module import masked_crowd_loss
    >>> logits = torch.zeros(1, 2, 3)  # uniform: each label costs log 3
    >>> loss = masked_crowd_loss(logits, torch.tensor([[2, -1]]))
    >>> bool(abs(loss.item() - math.log(3)) < 1e-6)
    True
    """
    n_classes = annotator_logits.shape[-1]
    return F.cross_entropy(
        annotator_logits.reshape(-1, n_classes),
        y.reshape(-1).long(),
        ignore_index=-1,
        reduction="mean",
    )


class MaskedCrowdLoss(nn.Module):
    """The skorch criterion: :func:`masked_crowd_loss` on the module's output.

    Examples
    --------
    >>> import torch
    >>> from skal.torch._crowd_layer_module import MaskedCrowdLoss
    >>> out = (torch.zeros(1, 2), torch.zeros(1, 1, 2))
    >>> round(MaskedCrowdLoss()(out, torch.tensor([[1]])).item(), 4)
    0.6931
    """

    def forward(self, y_pred, y_true):
        """Return the loss of ``(class_logits, annotator_logits)`` on ``y_true``."""
        return masked_crowd_loss(y_pred[1], y_true)


def build_clf_module(clf_module, params):
    """``clf_module`` built with ``params``, or a copy of the instance given
    (never trained in place)."""
    if isinstance(clf_module, nn.Module):
        return copy.deepcopy(clf_module)
    return clf_module(**(params or {}))


def _first(output):
    """The logits of a module that may also return an embedding."""
    return output[0] if isinstance(output, (tuple, list)) else output


class CrowdLayerModule(nn.Module):
    """A classification network followed by one crowd matrix per annotator.

    Parameters
    ----------
    clf_module : torch.nn.Module class or instance
        The network; it returns class logits of shape ``(n, n_classes)`` (or
        a tuple whose first element they are). A class is built with
        ``clf_module_params``; an instance is deep-copied, so the caller's
        module is never trained.
    n_annotators : int
        Number of crowd matrices.
    n_classes : int
        Side of each matrix.
    clf_module_params : dict, default=None
        Keyword arguments of ``clf_module`` when it is a class.

    Attributes
    ----------
    clf_module : torch.nn.Module
        The network.
    matrices : torch.nn.Parameter of shape (n_annotators, n_classes, n_classes)
        The crowd matrices, the identity at initialisation.

    Examples
    --------
    >>> import torch
    >>> from skal.torch import MLP
    >>> from skal.torch._crowd_layer_module import CrowdLayerModule
    >>> m = CrowdLayerModule(MLP, 4, 3, {"n_features": 2, "n_classes": 3})
    >>> logits, annotator_logits = m(torch.zeros(5, 2))
    >>> tuple(logits.shape), tuple(annotator_logits.shape)
    ((5, 3), (5, 4, 3))
    """

    def __init__(self, clf_module, n_annotators, n_classes, clf_module_params=None):
        super().__init__()
        self.clf_module = build_clf_module(clf_module, clf_module_params)
        self.matrices = nn.Parameter(torch.eye(n_classes).repeat(n_annotators, 1, 1))

    def class_logits(self, x):
        """Return the network's class logits (no crowd layer).

        Parameters
        ----------
        x : torch.Tensor of shape (n, ...)
            A batch.

        Returns
        -------
        logits : torch.Tensor of shape (n, n_classes)
        """
        return _first(self.clf_module(x))

    def forward(self, x):
        """Return the class logits and every annotator's label logits.

        Parameters
        ----------
        x : torch.Tensor of shape (n, ...)
            A batch.

        Returns
        -------
        class_logits : torch.Tensor of shape (n, n_classes)
        annotator_logits : torch.Tensor of shape (n, n_annotators, n_classes)
        """
        logits = self.class_logits(x)
        return logits, crowd_layer_logits(logits, self.matrices)
