"""Penultimate-layer embeddings and BADGE gradient factors of skorch nets.

Convention: the embedding of a sample is the *input of the last*
:class:`torch.nn.Linear` *layer* of the module (in registration order),
read with a forward hook in eval mode (dropout off, BatchNorm frozen). For
the usual ``... -> Linear`` classification head this is the
penultimate-layer representation; the reference modules of
:mod:`skal.torch` follow it.
"""

from contextlib import contextmanager

import numpy as np
import torch
from skorch.utils import to_numpy


def _last_linear(module):
    linears = [m for m in module.modules() if isinstance(m, torch.nn.Linear)]
    if not linears:
        raise ValueError(
            f"{type(module).__name__} has no torch.nn.Linear layer, so skal cannot "
            "tell which features are the penultimate layer. End the network with "
            "a torch.nn.Linear classification head."
        )
    return linears[-1]


@contextmanager
def _eval_mode(module):
    modes = [(m, m.training) for m in module.modules()]
    try:
        module.eval()
        with torch.no_grad():
            yield module
    finally:
        for m, mode in modes:
            m.training = mode


def _forward_with_features(net, X):
    """Yield ``(features, outputs)`` batch by batch, in eval mode."""
    net.check_is_fitted()
    captured = {}

    def hook(layer, inputs, output):
        captured["h"] = inputs[0]

    handle = _last_linear(net.module_).register_forward_hook(hook)
    try:
        # fork: torch's DataLoader draws a base seed from the global RNG
        with torch.random.fork_rng(devices=[]), _eval_mode(net.module_):
            for batch in net.get_iterator(net.get_dataset(X), training=False):
                Xi = batch[0] if isinstance(batch, (tuple, list)) else batch
                out = net.infer(Xi)
                yield captured.pop("h").flatten(1), out
    finally:
        handle.remove()


def embed(net, X):
    """Return penultimate-layer features of a fitted skorch net.

    Parameters
    ----------
    net : skorch.NeuralNet
        A fitted net.
    X : array-like or torch.Tensor
        Samples, in any form the net accepts.

    Returns
    -------
    features : ndarray of shape (n_rows, n_features_penultimate)
        The input of the last ``torch.nn.Linear`` layer, float32.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from skal.torch import MLP, embed
    >>> X = np.random.RandomState(0).randn(20, 6).astype("float32")
    >>> y = (X[:, 0] > 0).astype("int64")
    >>> net = NeuralNetClassifier(MLP, module__n_features=6, module__n_classes=2,
    ...                           module__hidden_units=16, max_epochs=1, verbose=0,
    ...                           criterion=torch.nn.CrossEntropyLoss,
    ...                           train_split=None).fit(X, y)
    >>> embed(net, X).shape
    (20, 16)
    """
    parts = [to_numpy(h) for h, _ in _forward_with_features(net, X)]
    return np.concatenate(parts).astype(np.float32, copy=False)


def gradient_embedding_factors(net, X, *, columns=None):
    """Return the factors of the last-layer gradient embedding (BADGE).

    For a softmax head with cross-entropy loss and the predicted label
    ``yhat`` as target, the gradient of the loss with respect to the last
    layer's weights is the outer product ``(p - onehot(yhat)) h^T``
    (Ash et al. 2020). It is kept factored: ``g = p - onehot(yhat)`` and the
    penultimate features ``h``; inner products of two embeddings are
    ``(g_i . g_j) (h_i . h_j)``.

    Parameters
    ----------
    net : skorch.NeuralNetClassifier
        A fitted net (its ``predict_proba`` non-linearity gives ``p``).
    X : array-like or torch.Tensor
        Samples.
    columns : array-like of int, default=None
        Outputs that are classes (``p`` renormalised over them); ``None``
        uses every output.

    Returns
    -------
    g : ndarray of shape (n_rows, n_classes)
        ``p - onehot(argmax p)``, float32.
    h : ndarray of shape (n_rows, n_features_penultimate)
        Penultimate-layer features, float32.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from skal.torch import MLP, gradient_embedding_factors
    >>> X = np.random.RandomState(0).randn(20, 6).astype("float32")
    >>> y = (X[:, 0] > 0).astype("int64")
    >>> net = NeuralNetClassifier(MLP, module__n_features=6, module__n_classes=2,
    ...                           module__hidden_units=16, max_epochs=1, verbose=0,
    ...                           criterion=torch.nn.CrossEntropyLoss,
    ...                           train_split=None).fit(X, y)
    >>> g, h = gradient_embedding_factors(net, X)
    >>> g.shape, h.shape, bool(np.allclose(g.sum(axis=1), 0, atol=1e-6))
    ((20, 2), (20, 16), True)
    """
    nonlin = net._get_predict_nonlinearity()
    gs, hs = [], []
    for h, out in _forward_with_features(net, X):
        p = to_numpy(nonlin(out)).astype(np.float32, copy=False)
        if columns is not None:
            p = p[:, columns]
            p /= p.sum(axis=1, keepdims=True)
        g = p.copy()
        g[np.arange(p.shape[0]), p.argmax(axis=1)] -= 1.0
        gs.append(g)
        hs.append(to_numpy(h))
    return np.concatenate(gs), np.concatenate(hs).astype(np.float32, copy=False)
