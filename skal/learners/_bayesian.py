"""The Bayesian active learner: Monte-Carlo dropout passes of a net (or any sampler).

This module never imports torch: a skorch net is recognised by its class
and ``skal.torch`` is imported only when a net is used.
"""

import copy
import inspect
import time
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ..utils import take_rows
from ._base import BaseLearner
from ._docs import fill_shared


def _is_skorch_net(estimator):
    return any(c.__module__.startswith("skorch") for c in type(estimator).__mro__)


def _samples_takes_n(method):
    try:
        return "n_samples" in inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False


def _has_signal(attr):
    """Available for skorch nets, or when the estimator itself has ``attr``."""

    def check(self):
        est = getattr(self, "estimator_", self.estimator)
        return _is_skorch_net(self.estimator) or hasattr(est, attr)

    return check


@fill_shared
class BayesianLearner(BaseLearner):
    """Active learner on Monte-Carlo dropout passes (Bayesian deep learning).

    Gal & Ghahramani (2016) read dropout at prediction time as sampling
    weights from an approximate posterior; Gal, Islam & Ghahramani (2017)
    use the resulting ``n_samples`` stochastic passes to score a pool
    (BALD, max entropy, variation ratios, mean STD). ``predict_proba`` is
    the mean of the passes and ``predict_proba_samples`` returns them all,
    stacked as ``(n_samples, n_rows, n_classes)``.

    The estimator is either a plain skorch ``NeuralNetClassifier`` whose
    module has a dropout layer (the passes come from
    :func:`skal.torch.mc_dropout_proba`), or any classifier with a
    ``predict_proba_samples(X[, n_samples])`` method (e.g.
    :class:`skal.torch.MCDropoutClassifier`). For skorch nets, ``X`` is cast
    to float32, labels must be the integers ``0 .. n_outputs - 1`` and are
    cast to int64, ``classes_`` is ``arange(n_outputs)``, and images may be
    ``(n, C, H, W)`` or ``(n, H, W)`` arrays. Every round retrains from
    scratch (the protocol of the papers) unless ``warm_start=True``, which
    continues training the current net on all labels.

    Parameters
    ----------
    estimator : estimator object
        A skorch classifier with dropout, or a classifier with
        ``predict_proba_samples``. Cloned in ``fit``.
    n_samples : int, default=20
        Number of stochastic passes.
    query_strategy : str, strategy object or callable, default="bald"
        ``"bald"``, ``"max_entropy"``, ``"variation_ratios"``, ``"mean_std"``
        (the strategies of :mod:`skal.strategies._bayesian`), any
        registered name (``"batchbald"``, ``"stochastic_bald"``,
        ``"random"``, ``"entropy"``, ...), an object or a function.
    .. shared:: batch_size
    .. shared:: budget
    .. shared:: n_initial
    .. shared:: initial_strategy
    .. shared:: missing_label
    warm_start : bool, default=False
        Continue training the current net on all labels (skorch's
        ``partial_fit``) instead of training a fresh one each round.
    .. shared:: n_jobs
    .. shared:: random_state

    Attributes
    ----------
    estimator_ : estimator object
        The model fitted on the labeled rows.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    query_strategy_ : BaseStrategy
        The resolved strategy.
    X_, y_, labeled_mask_, history_, n_features_in_ :
        As in :class:`skal.ActiveLearner`.

    See Also
    --------
    skal.strategies.BatchBALD : Joint mutual information of a batch.
    skal.torch.mc_dropout_proba : The passes of a plain skorch net.

    Examples
    --------
    >>> import torch
    >>> from sklearn.datasets import load_digits
    >>> from skorch import NeuralNetClassifier
    >>> from skal import BayesianLearner
    >>> from skal.datasets import make_pool
    >>> from skal.torch import MLP
    >>> X, y = load_digits(return_X_y=True)
    >>> net = NeuralNetClassifier(MLP, module__n_features=64, max_epochs=5,
    ...                           criterion=torch.nn.CrossEntropyLoss,
    ...                           train_split=None, verbose=0)
    >>> y_pool = make_pool(y, n_labeled=50, random_state=0)
    >>> learner = BayesianLearner(net, n_samples=10, batch_size=5,
    ...                           random_state=0).fit(X / 16, y_pool)
    >>> learner.predict_proba_samples(X[:3] / 16).shape
    (10, 3, 10)
    >>> learner.query().shape
    (5,)
    """

    _extra_constraints = {"n_samples": [Interval(Integral, 1, None, closed="left")]}

    def __init__(
        self,
        estimator,
        *,
        n_samples=20,
        query_strategy="bald",
        batch_size=1,
        budget=None,
        n_initial=10,
        initial_strategy="random",
        missing_label=-1,
        warm_start=False,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.n_samples = n_samples
        self.query_strategy = query_strategy
        self.batch_size = batch_size
        self.budget = budget
        self.n_initial = n_initial
        self.initial_strategy = initial_strategy
        self.missing_label = missing_label
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------ plumbing
    def _is_net(self):
        return _is_skorch_net(self.estimator)

    def _check_X(self, X, *, reset):
        X = super()._check_X(X, reset=reset)
        if self._is_net() and isinstance(X, np.ndarray) and X.dtype != np.float32:
            if X.dtype.kind not in "fiub":
                raise ValueError(
                    f"A skorch net needs numeric X, got an array of dtype {X.dtype}."
                )
            X = X.astype(np.float32)
        return X

    def _net_labels(self, y):
        y = np.asarray(y)
        if y.dtype.kind == "f" and np.all(np.mod(y, 1) == 0):
            y = y.astype(np.int64)
        if y.dtype.kind not in "iu" or (y.size and y.min() < 0):
            raise ValueError(
                "A skorch net is trained with class labels 0 .. n_outputs - 1; got "
                f"labels {np.unique(y)[:10].tolist()}. Encode them with "
                "sklearn.preprocessing.LabelEncoder first."
            )
        return y.astype(np.int64, copy=False)

    def fit(self, X, y):
        """Fit on the labeled rows of ``y``; with ``budget``, simulate acquisition.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            All samples (2-D features or image arrays), labeled and unlabeled.
        y : array-like of shape (n_rows,)
            Labels; rows equal to ``missing_label`` form the pool.

        Returns
        -------
        self : object
            The fitted learner.
        """
        return super().fit(X, y)

    def _start_fit(self):
        self._warm_model = None
        self._seed = (
            None
            if self.random_state is None
            else int(check_random_state(self.random_state).randint(2**31 - 1))
        )

    def _train(self, estimator, X, y, method="fit"):
        if not self._is_net():
            return getattr(estimator, method)(X, y)
        import torch

        y = self._net_labels(y)
        with torch.random.fork_rng(devices=[]):
            if self._seed is not None:
                torch.manual_seed(self._seed + len(y))
            try:
                return getattr(estimator, method)(X, y)
            except IndexError as exc:
                if "out of bounds" not in str(exc):
                    raise
                raise ValueError(
                    f"Labels go up to {int(y.max())} but the net has fewer outputs "
                    f"({exc}); give the module one output per class."
                ) from exc

    def _fit_estimator(self, X, y):
        if self._is_net():
            model = self._train(clone(self.estimator), X, y)
        elif self._seed is not None and np.unique(y).shape[0] > 1:
            # Seed the sampler's unset random_state parameters (e.g. a bagged
            # committee's bootstraps) so that fit is reproducible.
            model = clone(self.estimator)
            params = model.get_params(deep=True)
            model.set_params(
                **{
                    k: self._seed
                    for k, v in params.items()
                    if (k == "random_state" or k.endswith("__random_state"))
                    and v is None
                }
            )
            model.fit(X, y)
        else:
            model = super()._fit_estimator(X, y)
        self._warm_model = model
        return model

    def _refit(self, X, y, labeled):
        if self.warm_start and getattr(self, "_warm_model", None) is not None:
            start = time.perf_counter()
            model = self._warm_refit(None, None, take_rows(X, labeled), y[labeled])
            return model, time.perf_counter() - start
        return super()._refit(X, y, labeled)

    def _warm_refit(self, X_new, y_new, X_labeled, y_labeled):
        model = copy.deepcopy(self._warm_model)
        method = "partial_fit" if hasattr(model, "partial_fit") else "fit"
        self._warm_model = self._train(model, X_labeled, y_labeled, method)
        return self._warm_model

    def _set_fitted(self, X, y, labeled, estimator):
        super()._set_fitted(X, y, labeled, estimator)
        if self._is_net() and estimator is not None:
            n_out = self._mc_passes(estimator, X[:1], 1).shape[2]
            self.classes_ = np.arange(n_out)
            seen = np.unique(self._net_labels(y[labeled]))
            if seen.max() >= n_out:
                raise ValueError(
                    f"Labels go up to {int(seen.max())} but the net has {n_out} "
                    "outputs; give the module one output per class."
                )

    # ------------------------------------------------------------ signals
    def _signals(self, pool):
        signals = super()._signals(pool)
        model = getattr(self, "estimator_", None)
        if model is None:
            return signals

        def samples(X):
            return self._mc_passes(model, X, self.n_samples)

        signals["proba_samples"] = samples
        signals["proba"] = lambda X: samples(X).mean(axis=0)
        signals["predict"] = lambda X: self.classes_[samples(X).mean(axis=0).argmax(1)]
        signals.pop("decision", None)
        if self._is_net() and hasattr(model, "module_"):
            from ..torch import embed, gradient_embedding_factors

            signals["embed"] = lambda X: embed(model, X)
            signals["gradient_factors"] = lambda X: gradient_embedding_factors(model, X)
        return signals

    def _mc_passes(self, estimator, X, n_samples):
        if self._is_net() and not hasattr(estimator, "predict_proba_samples"):
            from ..torch import mc_dropout_proba

            return mc_dropout_proba(estimator, X, n_samples, random_state=self._seed)
        method = getattr(estimator, "predict_proba_samples", None)
        if method is None:  # e.g. a placeholder fitted on a single class
            return np.repeat(estimator.predict_proba(X)[None], n_samples, axis=0)
        if _samples_takes_n(method):
            return np.asarray(method(X, n_samples=n_samples))
        return np.asarray(method(X))

    def predict_proba_samples(self, X):
        """Return the class probabilities of each stochastic pass.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        proba_stack : ndarray of shape (n_samples, n_rows, n_classes)
            Probabilities of each MC-dropout pass (or member).
        """
        check_is_fitted(self)
        return self._mc_passes(
            self.estimator_, self._check_X(X, reset=False), self.n_samples
        )

    def predict_proba(self, X):
        """Return the mean class probabilities over the stochastic passes.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_rows, n_classes)
            Columns follow ``classes_``.
        """
        return self.predict_proba_samples(X).mean(axis=0)

    def predict(self, X):
        """Predict the class with the largest mean probability over the passes.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_rows,)
            Predicted classes.
        """
        check_is_fitted(self)
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    @available_if(_has_signal("embed"))
    def embed(self, X):
        """Return penultimate-layer features (deterministic, dropout off).

        For a skorch net this is the input of its last ``torch.nn.Linear``
        layer (see :func:`skal.torch.embed`); otherwise the estimator's own
        ``embed``.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        features : ndarray of shape (n_rows, n_features_embedded)
            Embeddings.
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        if self._is_net() and hasattr(self.estimator_, "module_"):
            from ..torch import embed

            return embed(self.estimator_, X)
        return self.estimator_.embed(X)

    @available_if(_has_signal("gradient_embedding_factors"))
    def gradient_embedding_factors(self, X):
        """Return the factors ``(p - onehot(yhat), h)`` of the BADGE embedding.

        The gradient of the cross-entropy at the predicted label with
        respect to the last layer's weights is ``g h^T`` with ``g = p -
        onehot(argmax p)`` and ``h`` the penultimate features (see
        :func:`skal.torch.gradient_embedding_factors`).

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        g : ndarray of shape (n_rows, n_classes)
            Probability minus one-hot prediction.
        h : ndarray of shape (n_rows, n_features_embedded)
            Penultimate features.
        """
        check_is_fitted(self)
        X = self._check_X(X, reset=False)
        if self._is_net() and hasattr(self.estimator_, "module_"):
            from ..torch import gradient_embedding_factors

            return gradient_embedding_factors(self.estimator_, X)
        return self.estimator_.gradient_embedding_factors(X)
