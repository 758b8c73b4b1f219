"""A scikit-learn classifier around a skorch net, with MC-dropout passes.

:class:`skal.BayesianLearner` wraps every skorch classifier it is given in
:class:`SkorchAdapter`, so the learner itself has no torch-specific code:
the adapter owns the dtype casting, the label encoding, the seeding and
the Monte-Carlo passes.
"""

import math
from numbers import Integral

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch import NeuralNetClassifier

from ._columns import class_columns, encode_labels, sorted_classes
from ._consistent import _dropout_layers, no_dropout_error
from ._embed import embed, gradient_embedding_factors
from ._history import find_history, replay_predictions
from ._mc_dropout import mc_dropout_proba


def _records_history(adapter):
    """Whether the fitted net has a :class:`PredictionHistory` callback."""
    return find_history(getattr(adapter, "net_", None)) is not None


def _own_method(net, name):
    """``net``'s ``name`` when its class defines one (skorch's nets do not)."""
    return getattr(net, name, None) if hasattr(type(net), name) else None


class SkorchAdapter(ClassifierMixin, BaseEstimator):
    """A scikit-learn classifier on a skorch ``NeuralNetClassifier`` with dropout.

    The adapter makes a skorch net behave as scikit-learn expects a
    classifier to, and adds the Monte-Carlo dropout passes of Gal &
    Ghahramani (2016):

    - ``X`` may be any numeric array, a DataFrame, or images ``(n, C, H, W)``
      / ``(n, H, W)``; it is validated (NaN, inf, sparse and non-numeric
      input raise) and cast to float32.
    - Labels may be any values (strings, non-contiguous integers): they are
      encoded to output columns, ``classes_`` holds the real labels, and
      ``predict_proba`` has one column per class, renormalised over those
      outputs when the module has more outputs than classes. With the net's
      ``classes`` set, its order fixes the columns.
    - ``predict_proba_samples(X, n_samples)`` returns ``n_samples`` passes
      with *consistent* masks: each pass draws one mask per dropout layer,
      shared by every row, from a seed fixed at ``fit``; the passes of a
      row never depend on the other rows, their order or the batch size.
      A net whose class defines its own ``predict_proba_samples``
      (:class:`MCDropoutClassifier`, :class:`MAEClassifier`) is sampled by
      that method instead.
    - ``fit`` trains a fresh net for at least ``min_steps`` gradient steps:
      ``max_epochs`` is raised to ``ceil(min_steps / steps_per_epoch)`` when
      the labeled set is small (skorch's default 10 epochs are 10 steps for
      100 labels at its batch size 128). ``partial_fit`` continues training
      for ``max_epochs``, and may add classes while the module has free
      outputs.
    - Training and the masks are seeded from ``random_state`` inside a
      forked torch RNG: the global torch RNG is left untouched.

    The net's parameters stay reachable as ``net__<param>`` (``clone``,
    ``GridSearchCV``).

    Parameters
    ----------
    net : skorch.NeuralNetClassifier
        The (unfitted) net; cloned in ``fit``. Its module returns logits
        (``criterion=torch.nn.CrossEntropyLoss``) and has a dropout layer.
    n_samples : int, default=20
        Passes averaged by ``predict_proba``.
    min_steps : int, default=200
        Fewest gradient steps of a ``fit``; 0 trains exactly ``max_epochs``.
    random_state : int, RandomState instance or None, default=None
        Seeds training and the dropout masks.

    Attributes
    ----------
    net_ : skorch.NeuralNetClassifier
        The fitted net.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    columns_ : ndarray of int of shape (n_classes,)
        The output of the net for each class.
    n_features_in_ : int
        Columns of ``X`` (the channels or height of images).
    n_train_epochs_ : int
        Epochs of the last ``fit``.

    See Also
    --------
    skal.BayesianLearner : The active learner that uses this adapter.
    mc_dropout_proba : The passes of any fitted skorch classifier.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from skal.torch import MLP, SkorchAdapter
    >>> X = np.random.RandomState(0).randn(40, 5)
    >>> y = np.where(X[:, 0] > 0, "yes", "no")
    >>> net = NeuralNetClassifier(MLP, module__n_features=5, module__n_classes=3,
    ...                           criterion=torch.nn.CrossEntropyLoss,
    ...                           train_split=None, verbose=0)
    >>> clf = SkorchAdapter(net, n_samples=4, min_steps=20, random_state=0)
    >>> clf.fit(X, y).classes_.tolist()
    ['no', 'yes']
    >>> clf.predict_proba(X[:3]).shape  # one column per class, not per output
    (3, 2)
    >>> clf.predict_proba_samples(X[:3]).shape
    (4, 3, 2)
    >>> bool(np.allclose(clf.predict_proba(X[::-1])[::-1], clf.predict_proba(X)))
    True
    """

    _parameter_constraints = {
        "net": [HasMethods(["fit", "partial_fit", "initialize"])],
        "n_samples": [Interval(Integral, 1, None, closed="left")],
        "min_steps": [Interval(Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, net, *, n_samples=20, min_steps=200, random_state=None):
        self.net = net
        self.n_samples = n_samples
        self.min_steps = min_steps
        self.random_state = random_state

    # ------------------------------------------------------------- input
    def _X(self, X, *, reset):
        return validate_data(
            self, X, reset=reset, dtype=np.float32, allow_nd=True, accept_sparse=False
        )

    def _train(self, method, X, y, *, initialize=False, **kwargs):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed_ + self.n_updates_)
            if initialize:  # check for dropout before training
                self.net_.initialize()
                if not _dropout_layers(self.net_.module_):
                    raise no_dropout_error(self.net_.module_)
            try:
                getattr(self.net_, method)(X, y, **kwargs)
            except IndexError as exc:
                if "out of bounds" not in str(exc):
                    raise
                raise ValueError(
                    f"y has {len(self.classes_)} classes but the net has fewer "
                    f"outputs ({exc}); give the module one output per class."
                ) from exc
            with torch.no_grad():  # one row, for the number of outputs
                self.net_.module_.eval()
                n_out = self.net_.infer(torch.as_tensor(X[:1])).shape[1]
        self.n_updates_ += 1
        if n_out < len(self.classes_):
            raise ValueError(
                f"y has {len(self.classes_)} classes but the net has {n_out} outputs; "
                "give the module one output per class (e.g. module__n_classes)."
            )
        self.n_outputs_ = n_out
        return self

    # ------------------------------------------------------------- fitting
    def fit(self, X, y):
        """Train a fresh net on ``X, y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...) or DataFrame
            Samples (numeric); images may have 3 or 4 dimensions.
        y : array-like of shape (n_samples,)
            Class labels of any type.

        Returns
        -------
        self : SkorchAdapter
            The fitted adapter.
        """
        self._validate_params()
        if not isinstance(self.net, NeuralNetClassifier):
            raise TypeError(
                "SkorchAdapter needs a skorch NeuralNetClassifier, got "
                f"{type(self.net).__name__}."
            )
        X, y = validate_data(
            self, X, y, dtype=np.float32, allow_nd=True, accept_sparse=False
        )
        check_classification_targets(y)
        fixed = getattr(self.net, "classes", None)
        self.classes_, self.columns_ = sorted_classes(
            np.unique(y) if fixed is None else fixed
        )
        self.classes_, self.columns_, y_enc = encode_labels(
            self.classes_, self.columns_, y, extend=False
        )
        self.seed_ = int(check_random_state(self.random_state).randint(2**31 - 1))
        self.n_updates_ = 0
        self.net_ = clone(self.net)
        if fixed is not None:
            self.net_.set_params(classes=list(range(len(fixed))))
        if "random_state" in self.net_.get_params(deep=False):
            if self.net_.random_state is None:
                self.net_.set_params(random_state=self.seed_)
        batch = self.net_.batch_size
        steps = 1 if batch in (None, -1) else math.ceil(len(y) / batch)
        epochs = max(self.net_.max_epochs, math.ceil(self.min_steps / max(steps, 1)))
        self.n_train_epochs_ = epochs
        if _own_method(self.net_, "predict_proba_samples") is not None:
            return self._train("fit", X, y_enc, epochs=epochs)
        return self._train("partial_fit", X, y_enc, initialize=True, epochs=epochs)

    def partial_fit(self, X, y, classes=None):
        """Continue training the fitted net for ``max_epochs`` on ``X, y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...) or DataFrame
            Samples.
        y : array-like of shape (n_samples,)
            Labels; a new label takes the next free output of the module.
        classes : array-like, default=None
            Ignored (the net's ``classes`` fixes them); kept for scikit-learn's
            ``partial_fit`` API.

        Returns
        -------
        self : SkorchAdapter
            The updated adapter.
        """
        if not hasattr(self, "net_"):
            return self.fit(X, y)
        X, y = self._X(X, reset=False), np.asarray(y)
        check_classification_targets(y)
        fixed = getattr(self.net, "classes", None) is not None
        self.classes_, self.columns_, y_enc = encode_labels(
            self.classes_, self.columns_, y, extend=not fixed
        )
        if y_enc.max() >= self.n_outputs_:
            raise ValueError(
                f"y has {len(self.classes_)} classes but the net has only "
                f"{self.n_outputs_} outputs; give the module one output per class."
            )
        return self._train("partial_fit", X, y_enc)

    # ---------------------------------------------------------- prediction
    def predict_proba_samples(self, X, n_samples=None):
        """Return the class probabilities of ``n_samples`` MC-dropout passes.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...) or DataFrame
            Samples.
        n_samples : int, default=None
            Number of passes; ``None`` uses ``n_samples``.

        Returns
        -------
        proba_stack : ndarray of shape (n_samples, n_rows, n_classes)
            Probabilities of each pass, columns in the order of ``classes_``.
        """
        check_is_fitted(self)
        X = self._X(X, reset=False)
        n = self.n_samples if n_samples is None else n_samples
        own = _own_method(self.net_, "predict_proba_samples")
        if own is not None:
            stack = own(X, n_samples=n)
        else:
            stack = mc_dropout_proba(
                self.net_, X, n, random_state=self.seed_, consistent=True
            )
        return class_columns(np.asarray(stack), self.columns_, self.n_outputs_)

    def predict_proba(self, X):
        """Return the mean class probabilities of ``n_samples`` passes.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...) or DataFrame
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_rows, n_classes)
            Columns follow ``classes_``.
        """
        return self.predict_proba_samples(X).mean(axis=0)

    def predict(self, X):
        """Return the class of largest mean probability.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...) or DataFrame
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_rows,)
            Labels from ``classes_``.
        """
        check_is_fitted(self)
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def embed(self, X):
        """Return the penultimate-layer features (dropout off).

        The net's own ``embed`` when it has one, else the input of the last
        ``torch.nn.Linear`` layer (see :func:`skal.torch.embed`).

        Parameters
        ----------
        X : array-like of shape (n_rows, ...) or DataFrame
            Samples.

        Returns
        -------
        features : ndarray of shape (n_rows, n_features_embedded)
            Embeddings, float32.
        """
        check_is_fitted(self)
        X = self._X(X, reset=False)
        own = _own_method(self.net_, "embed")
        return np.asarray(own(X)) if own is not None else embed(self.net_, X)

    def gradient_embedding_factors(self, X):
        """Return the factors ``(p - onehot(yhat), h)`` of the BADGE embedding.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...) or DataFrame
            Samples.

        Returns
        -------
        g : ndarray of shape (n_rows, n_classes)
            Probability minus one-hot prediction, over ``classes_``.
        h : ndarray of shape (n_rows, n_features_embedded)
            Penultimate features.
        """
        check_is_fitted(self)
        X = self._X(X, reset=False)
        return gradient_embedding_factors(self.net_, X, columns=self.columns_)

    @available_if(_records_history)
    def prediction_history(self, X):
        """Return the class each recording of the net's training predicts.

        Only when the net has a :class:`skal.torch.PredictionHistory`
        callback; each recording's weights are run on ``X`` with dropout off.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...) or DataFrame
            Samples.

        Returns
        -------
        history : ndarray of shape (n_recordings, n_rows)
            Labels from ``classes_``.
        """
        X = self._X(X, reset=False)
        return self.classes_[replay_predictions(self.net_, X, columns=self.columns_)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags


def adapt(net):
    """Return ``net`` wrapped in a :class:`SkorchAdapter`.

    Parameters
    ----------
    net : skorch.NeuralNetClassifier
        A net with dropout.

    Returns
    -------
    adapter : SkorchAdapter
        The scikit-learn classifier around it.

    Examples
    --------
    >>> import torch
    >>> from skorch import NeuralNetClassifier
    >>> from skal.torch import MLP, adapt
    >>> adapt(NeuralNetClassifier(MLP, criterion=torch.nn.CrossEntropyLoss)).min_steps
    200
    """
    return SkorchAdapter(net)
