"""Monte-Carlo dropout for any skorch classifier whose module has dropout layers."""

from contextlib import contextmanager

import numpy as np
import torch
from sklearn.utils import check_random_state
from skorch import NeuralNetClassifier
from skorch.utils import to_numpy

from ._consistent import consistent_dropout, no_dropout_error

_DROPOUT_TYPES = (torch.nn.modules.dropout._DropoutNd,)


def _dropout_layers(module):
    return [m for m in module.modules() if isinstance(m, _DROPOUT_TYPES)]


@contextmanager
def enable_dropout(module):
    """Evaluate ``module`` with only its dropout layers in training mode.

    Everything else (BatchNorm included) is in eval mode and gradients are
    off; the previous train/eval state of every layer is restored on exit.

    Parameters
    ----------
    module : torch.nn.Module
        A network with at least one dropout layer.

    Yields
    ------
    module : torch.nn.Module
        The same module, ready for stochastic forward passes.

    Raises
    ------
    ValueError
        If ``module`` has no dropout layer.

    Examples
    --------
    >>> import torch
    >>> from skal.torch import enable_dropout
    >>> net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.BatchNorm1d(8),
    ...                           torch.nn.Dropout(0.5), torch.nn.Linear(8, 2))
    >>> with enable_dropout(net):
    ...     print(net[1].training, net[2].training)
    False True
    """
    dropouts = _dropout_layers(module)
    if not dropouts:
        raise no_dropout_error(module)
    modes = [(m, m.training) for m in module.modules()]
    try:
        module.eval()
        for m in dropouts:
            m.train(True)
        with torch.no_grad():
            yield module
    finally:
        for m, mode in modes:
            m.training = mode


def _torch_seed(random_state):
    if random_state is None:
        return None
    return int(check_random_state(random_state).randint(0, 2**31 - 1))


def mc_dropout_proba(net, X, n_samples=20, *, random_state=None, consistent=False):
    """Return class probabilities of ``n_samples`` stochastic dropout passes.

    Works with any fitted skorch classifier whose module has dropout. The
    data are read batch by batch (skorch's ``batch_size``) and each batch is
    passed ``n_samples`` times, so memory beyond the result is one batch.
    With ``consistent=True`` each pass uses one dropout mask for every row
    (one weight sample, as BatchBALD assumes), so the passes of a row do not
    depend on the other rows, their order or the batch size.

    Parameters
    ----------
    net : skorch.NeuralNetClassifier
        A fitted net.
    X : array-like or torch.Tensor
        Samples, in any form the net accepts.
    n_samples : int, default=20
        Number of stochastic forward passes.
    random_state : int, RandomState instance or None, default=None
        Seeds the dropout masks; the global torch RNG is left untouched.
    consistent : bool, default=False
        Share each pass's masks across rows (see
        ``skal.torch._consistent.consistent_dropout``).

    Returns
    -------
    proba_stack : ndarray of shape (n_samples, n_rows, n_classes)
        Probabilities of each pass, float32.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from skal.torch import mc_dropout_proba
    >>> module = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(),
    ...                              torch.nn.Dropout(0.5), torch.nn.Linear(16, 2))
    >>> X = np.random.RandomState(0).randn(30, 4).astype("float32")
    >>> y = (X[:, 0] > 0).astype("int64")
    >>> net = NeuralNetClassifier(module, max_epochs=2, verbose=0,
    ...                           criterion=torch.nn.CrossEntropyLoss).fit(X, y)
    >>> mc_dropout_proba(net, X, 5, random_state=0).shape
    (5, 30, 2)
    """
    if not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive int, got {n_samples!r}.")
    net.check_is_fitted()
    nonlin = net._get_predict_nonlinearity()
    seed = _torch_seed(random_state)
    if consistent:
        return _consistent_passes(net, X, n_samples, nonlin, seed)
    chunks = []
    with torch.random.fork_rng(devices=[]):
        if seed is not None:
            torch.manual_seed(seed)
        with enable_dropout(net.module_):
            for batch in net.get_iterator(net.get_dataset(X), training=False):
                Xi = batch[0] if isinstance(batch, (tuple, list)) else batch
                passes = [to_numpy(nonlin(net.infer(Xi))) for _ in range(n_samples)]
                chunks.append(np.stack(passes).astype(np.float32, copy=False))
    return np.concatenate(chunks, axis=1)


def _consistent_passes(net, X, n_samples, nonlin, seed):
    if seed is None:
        seed = int(np.random.randint(0, 2**31 - 1))
    chunks = []
    # torch's DataLoader draws a base seed from the global RNG: fork it
    with (
        torch.random.fork_rng(devices=[]),
        consistent_dropout(net.module_, seed) as masks,
    ):
        for batch in net.get_iterator(net.get_dataset(X), training=False):
            Xi = batch[0] if isinstance(batch, (tuple, list)) else batch
            passes = []
            for t in range(n_samples):
                masks.n_pass = t
                passes.append(to_numpy(nonlin(net.infer(Xi))))
            chunks.append(np.stack(passes).astype(np.float32, copy=False))
    return np.concatenate(chunks, axis=1)


class MCDropoutClassifier(NeuralNetClassifier):
    """Classify with a skorch net whose predictions average MC-dropout passes.

    Gal & Ghahramani (2016): dropout left on at prediction time samples from
    an approximate posterior over the weights. ``predict_proba`` is the mean
    of ``n_mc_samples`` passes; ``predict_proba_samples`` returns them all,
    stacked as ``(n_samples, n_rows, n_classes)`` like a committee's members.

    Parameters
    ----------
    module : torch.nn.Module class or instance
        The network; it must contain a dropout layer.
    *args
        Passed to :class:`skorch.NeuralNetClassifier`.
    n_mc_samples : int, default=20
        Stochastic passes averaged by ``predict_proba``.
    random_state : int or None, default=None
        Seeds the dropout masks of the passes.
    **kwargs
        Passed to :class:`skorch.NeuralNetClassifier` (``module__*``,
        ``optimizer__*``, ``max_epochs``, ...).

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skal.torch import MCDropoutClassifier
    >>> module = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(),
    ...                              torch.nn.Dropout(0.5), torch.nn.Linear(16, 2))
    >>> X = np.random.RandomState(0).randn(30, 4).astype("float32")
    >>> y = (X[:, 0] > 0).astype("int64")
    >>> net = MCDropoutClassifier(module, criterion=torch.nn.CrossEntropyLoss,
    ...                           max_epochs=2, verbose=0, n_mc_samples=4,
    ...                           random_state=0).fit(X, y)
    >>> net.predict_proba_samples(X).shape
    (4, 30, 2)
    """

    def __init__(self, module, *args, n_mc_samples=20, random_state=None, **kwargs):
        super().__init__(module, *args, **kwargs)
        self.n_mc_samples = n_mc_samples
        self.random_state = random_state

    def predict_proba_samples(self, X, n_samples=None):
        """Return the probabilities of each stochastic dropout pass.

        Parameters
        ----------
        X : array-like or torch.Tensor
            Samples.
        n_samples : int, default=None
            Number of passes; ``None`` uses ``n_mc_samples``.

        Returns
        -------
        proba_stack : ndarray of shape (n_samples, n_rows, n_classes)
            Probabilities of each pass.
        """
        n = self.n_mc_samples if n_samples is None else n_samples
        return mc_dropout_proba(self, X, n, random_state=self.random_state)

    def predict_proba(self, X):
        """Return the mean of ``n_mc_samples`` dropout passes.

        Parameters
        ----------
        X : array-like or torch.Tensor
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_rows, n_classes)
            Averaged class probabilities.
        """
        return self.predict_proba_samples(X).mean(axis=0)
