"""Learning loss for active learning (Yoo & Kweon, CVPR 2019).

A small head reads chosen intermediate layers of the task network
("taps"): each tapped output is globally average-pooled, passed through a
fully connected layer and a ReLU, and the concatenation is mapped to one
scalar, the predicted loss. The head trains with the task, on the pairwise
margin ranking loss of the paper; the ``"predicted_loss"`` strategy then
queries the rows with the highest predicted loss.
"""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.utils import check_array, check_random_state
from sklearn.utils._param_validation import (
    Interval,
    validate_parameter_constraints,
)
from sklearn.utils.multiclass import check_classification_targets
from skorch import NeuralNetClassifier
from skorch.utils import to_numpy, to_tensor

from ._loss_prediction_module import LossPredictionModule, loss_prediction_loss


def _float32_rows(X):
    # Dense float32 rows for the net (images keep their extra axes); sparse
    # input, NaN and inf get scikit-learn's own clear errors, not torch's.
    return check_array(X, dtype=np.float32, allow_nd=True)


class LossPredictionNet(NeuralNetClassifier):
    """A skorch classifier that also learns to predict its own loss.

    The module (a class or instance, with ``module__*`` parameters as in
    skorch) is wrapped in a :class:`LossPredictionModule`. Training
    minimises, on each batch,

    .. math::

        \\frac{1}{b} \\sum_i \\ell(y_i, f(x_i))
        + \\lambda \\, L_{\\mathrm{loss}}(\\hat l, l)

    with ``ℓ`` the criterion per row (cross-entropy), ``l`` those per-row
    losses and :func:`loss_prediction_loss` the ranking loss (margin
    ``ξ``). After ``detach_after`` epochs the tapped features are detached,
    so the head no longer changes the backbone (Yoo & Kweon stop it after
    120 of 200 epochs). ``predict_loss(X)`` returns the predicted loss,
    the ``predicted_loss`` signal of the ``"predicted_loss"`` strategy, so
    ``ActiveLearner(LossPredictionNet(...), query_strategy="predicted_loss")``
    works. Labels may be any values; inputs are cast to float32.

    Parameters
    ----------
    module : torch.nn.Module class or instance
        The task network; returns logits.
    *args
        Passed to :class:`skorch.NeuralNetClassifier`.
    taps : sequence of str or None, default=None
        Submodules read by the head (see :class:`LossPredictionModule`).
    head_units : int, default=128
        Width of each tap's layer.
    margin : float, default=1.0
        The ranking margin ξ.
    loss_weight : float, default=1.0
        The weight λ of the ranking loss.
    detach_after : int or None, default=None
        Epochs after which the head's gradient stops at the features;
        ``None`` never stops it.
    criterion : torch loss class, default=torch.nn.CrossEntropyLoss
        Built with ``reduction="none"`` (per-row losses).
    train_split : callable or None, default=None
        skorch's validation split; none by default (few labels).
    random_state : int, RandomState instance or None, default=None
        Seeds training inside a forked torch RNG.
    **kwargs
        Passed to :class:`skorch.NeuralNetClassifier`.

    Examples
    --------
    >>> import numpy as np
    >>> from skal import ActiveLearner
    >>> from skal.torch import MLP, LossPredictionNet
    >>> X = np.random.RandomState(0).randn(60, 4)
    >>> y = np.where(X[:, 0] > 0, -1, 1); y[20:] = 0
    >>> net = LossPredictionNet(MLP, module__n_features=4, module__n_classes=2,
    ...                         max_epochs=5, verbose=0, random_state=0)
    >>> learner = ActiveLearner(net, query_strategy="predicted_loss",
    ...                         missing_label=0, batch_size=3).fit(X, y)
    >>> learner.query().shape, learner.estimator_.classes_.tolist()
    ((3,), [-1, 1])
    """

    _parameter_constraints = {
        "head_units": [Interval(Integral, 1, None, closed="left")],
        "margin": [Interval(Real, 0, None, closed="left")],
        "loss_weight": [Interval(Real, 0, None, closed="left")],
        "detach_after": [Interval(Integral, 0, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        module,
        *args,
        taps=None,
        head_units=128,
        margin=1.0,
        loss_weight=1.0,
        detach_after=None,
        criterion=torch.nn.CrossEntropyLoss,
        train_split=None,
        random_state=None,
        **kwargs,
    ):
        super().__init__(
            module, *args, criterion=criterion, train_split=train_split, **kwargs
        )
        self.taps = taps
        self.head_units = head_units
        self.margin = margin
        self.loss_weight = loss_weight
        self.detach_after = detach_after
        self.random_state = random_state

    # ------------------------------------------------------------ skorch hooks
    def initialize_module(self):
        super().initialize_module()
        self.module_ = LossPredictionModule(
            self.module_, taps=self.taps, head_units=self.head_units
        )
        return self

    def initialize_criterion(self):
        kwargs = {"reduction": "none", **self.get_params_for("criterion")}
        self.criterion_ = self.initialized_instance(self.criterion, kwargs)
        return self

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        super().on_epoch_begin(net, dataset_train, dataset_valid, **kwargs)
        after = self.detach_after
        self.module_.detach_features = after is not None and len(self.history) > after

    def get_loss(self, y_pred, y_true, X=None, training=False):
        logits, predicted = y_pred
        per_row = self.criterion_(logits, to_tensor(y_true, device=self.device))
        if per_row.dim() == 0:
            raise ValueError(
                "LossPredictionNet needs the loss of every row: give a criterion "
                "that accepts reduction='none'."
            )
        ranking = loss_prediction_loss(predicted, per_row, margin=self.margin)
        return per_row.mean() + self.loss_weight * ranking

    # ------------------------------------------------------------ sklearn API
    def fit(self, X, y, **fit_params):
        """Train a fresh net and its loss head on ``X, y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples (images may have 3 or 4 dimensions).
        y : array-like of shape (n_samples,)
            Class labels of any type.
        **fit_params
            Passed to skorch's ``fit``.

        Returns
        -------
        self : LossPredictionNet
            The fitted net.
        """
        constraints = self._parameter_constraints
        params = {k: getattr(self, k) for k in constraints}
        validate_parameter_constraints(constraints, params, type(self).__name__)
        y = np.asarray(y)
        check_classification_targets(y)
        labels = np.unique(y) if self.classes is None else np.asarray(self.classes)
        y_enc = self._encode(y, labels)
        seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self._in_fit = True  # skorch's fit calls partial_fit: let it through
            try:
                super().fit(_float32_rows(X), y_enc, **fit_params)
            except IndexError as exc:
                if "out of bounds" not in str(exc):
                    raise
                raise ValueError(
                    f"y has {len(labels)} classes but the module has fewer outputs "
                    f"({exc}); give it one output per class (e.g. module__n_classes)."
                ) from exc
            finally:
                self._in_fit = False
        self.classes_inferred_ = labels
        return self

    @staticmethod
    def _encode(y, labels):
        codes = {label: i for i, label in enumerate(labels.tolist())}
        unknown = sorted(set(np.unique(y).tolist()) - set(codes))
        if unknown:
            raise ValueError(
                f"y has labels {unknown[:10]} that are not in the classes "
                f"{labels.tolist()[:10]} of the net."
            )
        return np.array([codes[v] for v in y.tolist()], dtype=np.int64)

    def partial_fit(self, X, y, classes=None, **fit_params):
        """Continue training on ``X, y`` (a first call is ``fit``).

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples.
        y : array-like of shape (n_samples,)
            Labels among ``classes_``.
        classes : array-like, default=None
            Ignored; the classes are fixed by the first ``fit``.
        **fit_params
            Passed to skorch's ``partial_fit``.

        Returns
        -------
        self : LossPredictionNet
            The updated net.
        """
        if getattr(self, "_in_fit", False):
            return super().partial_fit(X, y, classes, **fit_params)
        if not getattr(self, "initialized_", False) or not hasattr(
            self, "classes_inferred_"
        ):
            return self.fit(X, y, **fit_params)
        labels = self.classes_
        y_enc = self._encode(np.asarray(y), labels)
        super().partial_fit(_float32_rows(X), y_enc, **fit_params)
        self.classes_inferred_ = labels
        return self

    def predict_proba(self, X):
        """Return the class probabilities, one column per class.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_rows, n_classes)
            Columns follow ``classes_``.
        """
        proba = super().predict_proba(_float32_rows(X))
        n_classes = len(self.classes_)
        if proba.shape[1] < n_classes:
            raise ValueError(
                f"y has {n_classes} classes but the module has {proba.shape[1]} "
                "outputs; give it one output per class (e.g. module__n_classes)."
            )
        proba = proba[:, :n_classes]
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Return the most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_rows,)
            Labels from ``classes_``.
        """
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def predict_loss(self, X):
        """Return the loss the head predicts for each row.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        loss : ndarray of shape (n_rows,)
            Predicted losses (a ranking: only their order is trained).
        """
        X = _float32_rows(X)
        return np.concatenate(
            [to_numpy(out[1]) for out in self.forward_iter(X, training=False)]
        )
