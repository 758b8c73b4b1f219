"""Record a net's weights during training, to replay its predictions on any rows.

Label dispersion (Bengar et al. 2021) needs the class a net predicted for
each pool row at many points of its training. The net of an active learner
trains on the labeled rows only and never sees the pool, so
:class:`PredictionHistory` keeps a copy of the module's weights every ``k``
epochs (or steps) instead; :func:`replay_predictions` runs each copy on the
rows asked for. That is the same ``T`` forward passes over the pool that
recording during training would cost, and it works on any pool, including
rows from outside.
"""

import copy
from numbers import Integral

import numpy as np
import torch
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from skorch.callbacks import Callback


class PredictionHistory(Callback):
    """A skorch callback keeping the module's weights every ``every`` epochs or steps.

    Add it to a net (``callbacks=[PredictionHistory()]``); a
    :class:`skal.torch.SkorchAdapter` (hence :class:`skal.BayesianLearner`)
    around that net then offers ``prediction_history(X)``, the class each
    recording predicts for each row, which the ``"label_dispersion"``
    strategy reads. The recordings restart when the net is initialised
    (every ``fit``) and continue over ``partial_fit``.

    Parameters
    ----------
    every : int, default=1
        Record once every ``every`` epochs (or steps).
    unit : {"epoch", "step"}, default="epoch"
        What ``every`` counts: epochs, or training batches (gradient steps).
    max_recordings : int, default=None
        Keep at most this many recordings, the latest; ``None`` keeps all.

    Attributes
    ----------
    snapshots_ : list of dict
        The module's ``state_dict`` (CPU copies) at each recording.
    n_steps_ : int
        Training steps seen since the net was initialised.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from skal.torch import MLP, PredictionHistory
    >>> X = np.random.RandomState(0).randn(30, 4).astype("float32")
    >>> y = (X[:, 0] > 0).astype("int64")
    >>> net = NeuralNetClassifier(MLP, module__n_features=4, module__n_classes=2,
    ...                           max_epochs=6, train_split=None, verbose=0,
    ...                           callbacks=[PredictionHistory(every=2)]).fit(X, y)
    >>> len(net.callbacks[0].snapshots_)
    3
    """

    _parameter_constraints = {
        "every": [Interval(Integral, 1, None, closed="left")],
        "unit": [StrOptions({"epoch", "step"})],
        "max_recordings": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, every=1, unit="epoch", max_recordings=None):
        self.every = every
        self.unit = unit
        self.max_recordings = max_recordings

    def initialize(self):
        validate_parameter_constraints(
            self._parameter_constraints,
            self.get_params(deep=False),
            caller_name=type(self).__name__,
        )
        self.snapshots_ = []
        self.n_steps_ = 0
        return self

    def _record(self, net):
        state = net.module_.state_dict()
        copy_ = {k: v.detach().to("cpu", copy=True) for k, v in state.items()}
        self.snapshots_.append(copy_)
        cap = self.max_recordings
        if cap is not None and len(self.snapshots_) > cap:
            del self.snapshots_[0]

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if not training:
            return
        self.n_steps_ += 1
        if self.unit == "step" and self.n_steps_ % self.every == 0:
            self._record(net)

    def on_epoch_end(self, net, **kwargs):
        if self.unit == "epoch" and len(net.history) % self.every == 0:
            self._record(net)


def find_history(net):
    """Return the :class:`PredictionHistory` callback of a skorch ``net``, or None."""
    for _, callback in getattr(net, "callbacks_", None) or []:
        if isinstance(callback, PredictionHistory):
            return callback
    return None


def replay_predictions(net, X, *, columns=None, batch_size=1024):
    """Return the output column each recorded snapshot of ``net`` predicts.

    Parameters
    ----------
    net : skorch.NeuralNet
        A fitted net with a :class:`PredictionHistory` callback.
    X : ndarray of shape (n_rows, ...)
        Rows, float32.
    columns : array-like of int, default=None
        Compare only these outputs (the classes' columns); the result then
        indexes ``columns``. ``None`` uses every output.
    batch_size : int, default=1024
        Rows per forward pass.

    Returns
    -------
    history : ndarray of int of shape (n_recordings, n_rows)
        The predicted column at each recording.
    """
    callback = find_history(net)
    if callback is None or not getattr(callback, "snapshots_", None):
        raise ValueError(
            "The net has no recorded predictions: add a skal.torch.PredictionHistory "
            "callback (callbacks=[PredictionHistory()]) and fit it."
        )
    module = copy.deepcopy(net.module_).eval()
    device = next(module.parameters()).device
    X = torch.as_tensor(np.asarray(X, dtype=np.float32))
    cols = None if columns is None else torch.as_tensor(np.asarray(columns))
    out = np.empty((len(callback.snapshots_), X.shape[0]), dtype=np.intp)
    with torch.no_grad():
        for t, state in enumerate(callback.snapshots_):
            module.load_state_dict(state)
            for start in range(0, X.shape[0], batch_size):
                logits = module(X[start : start + batch_size].to(device))
                if isinstance(logits, tuple):
                    logits = logits[0]
                if cols is not None:
                    logits = logits[:, cols.to(logits.device)]
                stop = start + logits.shape[0]
                out[t, start:stop] = logits.argmax(dim=1).cpu().numpy()
    return out
