"""Fine-tune a pretrained masked-autoencoder encoder with an MC-dropout head."""

import copy

import numpy as np
import torch
from sklearn.base import clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted
from skorch.dataset import unpack_data
from skorch.utils import is_dataset

from ._mae import MaskedAutoencoder
from ._mae_module import POOLINGS, MAEHead
from ._mae_train import seed_from
from ._mc_dropout import MCDropoutClassifier, _torch_seed, enable_dropout


class MAEClassifier(MCDropoutClassifier):
    """Classifier fine-tuned from a pretrained :class:`MaskedAutoencoder`.

    The encoder of ``mae`` is copied (never refit, never modified), topped
    with dropout and a linear layer, and trained on the labeled images with
    cross-entropy (AdamW). Dropout left on at prediction time gives Monte
    Carlo samples (``predict_proba_samples``, shape ``(n_mc_samples, n,
    n_classes)``) for BALD and BatchBALD; ``embed`` gives the fine-tuned
    encoder's features for diversity strategies. ``freeze_encoder=True``
    trains the head only: a linear probe of the MAE features with dropout.

    ``clone`` keeps the same fitted ``mae`` (it is not reset), so active
    learners that clone their estimator at every ``fit``/``teach`` reuse the
    pretraining instead of redoing it. A
    ``sklearn.frozen.FrozenEstimator(mae)`` is accepted as well. Because the
    autoencoder is shared, do not set its parameters through the classifier
    (``mae__patch_size=...``): that would change the shared object without
    refitting it; pretrain one autoencoder per configuration instead.

    Parameters
    ----------
    mae : MaskedAutoencoder or FrozenEstimator
        A fitted autoencoder.
    module : None
        Ignored: the module is built from ``mae``; kept for skorch's API.
    criterion : torch criterion, default=torch.nn.CrossEntropyLoss
        Loss on the logits.
    *args
        Passed to :class:`skorch.NeuralNetClassifier`.
    freeze_encoder : bool, default=False
        Train only the head (linear probe).
    dropout : float, default=0.5
        Dropout rate before the linear layer (the MC-dropout layer).
    pooling : {"mean", "cls", "tokens"}, default=None
        Features fed to the head; ``None`` uses ``mae.pooling``.
    n_mc_samples : int, default=20
        Stochastic passes averaged by ``predict_proba``.
    random_state : int or None, default=None
        Seeds the head's weights, the batches and the dropout masks.
    optimizer : torch optimizer, default=torch.optim.AdamW
        Optimizer.
    lr : float, default=1e-3
        Learning rate.
    max_epochs : int, default=30
        Epochs of fine-tuning.
    batch_size : int, default=64
        Batch size.
    train_split : callable or None, default=None
        The skorch validation split; none by default (few labels).
    verbose : int, default=0
        Progress printing of skorch.
    classes : array-like of shape (n_classes,), default=None
        All class labels, in the order of the output columns. ``None`` uses
        the labels seen in ``fit``. Give it when the labeled set may miss
        classes and the outputs must keep a fixed width (``classes=range(10)``
        for digits); ``skal.BayesianLearner`` then reports every class in
        ``classes_``, a column for each.
    **kwargs
        Other skorch parameters (``optimizer__weight_decay``, ``device``, ...).

    Attributes
    ----------
    module_ : MAEHead
        The fine-tuned network.
    classes_ : ndarray of shape (n_classes,)
        Class labels.

    See Also
    --------
    MaskedAutoencoder : The self-supervised pretraining.
    MCDropoutClassifier : MC dropout for any skorch module.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skal.torch import MAEClassifier, MaskedAutoencoder
    >>> X, y = load_digits(return_X_y=True)
    >>> mae = MaskedAutoencoder(patch_size=4, embed_dim=16, depth=1, max_epochs=1,
    ...                         random_state=0).fit(X)
    >>> clf = MAEClassifier(mae, max_epochs=2, n_mc_samples=3,
    ...                     random_state=0).fit(X[:40], y[:40])
    >>> clf.predict_proba_samples(X[:5]).shape
    (3, 5, 10)
    >>> clf.embed(X[:5]).shape  # 4 patches x 16 features
    (5, 64)
    """

    def __init__(
        self,
        mae=None,
        module=None,
        criterion=torch.nn.CrossEntropyLoss,
        *args,
        freeze_encoder=False,
        dropout=0.5,
        pooling=None,
        n_mc_samples=20,
        random_state=None,
        optimizer=torch.optim.AdamW,
        lr=1e-3,
        max_epochs=30,
        batch_size=64,
        train_split=None,
        verbose=0,
        **kwargs,
    ):
        super().__init__(
            module,
            *args,
            criterion=criterion,
            n_mc_samples=n_mc_samples,
            random_state=random_state,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            verbose=verbose,
            **kwargs,
        )
        self.mae = mae
        self.freeze_encoder = freeze_encoder
        self.dropout = dropout
        self.pooling = pooling

    def __sklearn_clone__(self):
        # Keep the (fitted, read-only) autoencoder: a clone must not lose the
        # pretraining, which is the point of pretraining once on the pool.
        params = self.get_params(deep=False)
        mae = params.pop("mae")
        params = {k: clone(v, safe=False) for k, v in params.items()}
        return type(self)(mae=mae, **params)

    def _mae(self):
        mae = getattr(self.mae, "estimator", self.mae)  # FrozenEstimator
        if not isinstance(mae, MaskedAutoencoder):
            raise TypeError(
                "MAEClassifier needs mae=a fitted skal.torch.MaskedAutoencoder (or "
                f"FrozenEstimator of one), got {self.mae!r}."
            )
        check_is_fitted(
            mae,
            msg="MAEClassifier needs a fitted MaskedAutoencoder: pretrain it once "
            "on all images with mae.fit(X_all), then pass it as mae=.",
        )
        return mae

    def initialize_module(self):
        """Build the module from a copy of the autoencoder's encoder.

        Returns
        -------
        self : MAEClassifier
            With ``module_`` set.
        """
        mae = self._mae()
        pooling = mae.pooling if self.pooling is None else self.pooling
        if pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {pooling!r}.")
        if not hasattr(self, "n_classes_"):
            raise AttributeError("Call fit(X, y) before initializing MAEClassifier.")
        self.module_ = MAEHead(
            copy.deepcopy(mae.module_.encoder).to(self.device),
            self.n_classes_,
            self.dropout,
            pooling,
            self.freeze_encoder,
        )
        return self

    def get_dataset(self, X, y=None):
        """Return skorch's dataset of float32 images checked against ``mae``.

        Parameters
        ----------
        X : array-like of images or Dataset
            Samples.
        y : array-like, default=None
            Targets.

        Returns
        -------
        dataset : torch.utils.data.Dataset
            The dataset.
        """
        if not is_dataset(X):
            X = self._mae()._images(X, reset=False)
        return super().get_dataset(X, y)

    def fit(self, X, y, **fit_params):
        """Fine-tune on labeled images.

        Parameters
        ----------
        X : array-like of images
            As accepted by ``mae``.
        y : array-like of shape (n,)
            Class labels (any values; encoded internally).
        **fit_params : dict
            Passed to skorch's ``fit``.

        Returns
        -------
        self : MAEClassifier
            The fitted classifier.
        """
        y = np.asarray(y)
        check_classification_targets(y)
        if self.classes is None:
            classes, y_enc = np.unique(y, return_inverse=True)
        else:
            classes = np.asarray(self.classes)
            order = np.argsort(classes, kind="stable")
            pos = np.searchsorted(classes[order], y).clip(0, len(classes) - 1)
            unknown = classes[order][pos] != y
            if unknown.any():
                raise ValueError(
                    f"y has labels {np.unique(y[unknown])[:10].tolist()} that are not "
                    f"in classes={classes.tolist()}."
                )
            y_enc = order[pos]
        self.n_classes_ = len(classes)
        with torch.random.fork_rng(devices=[]):
            if self.random_state is not None:
                torch.manual_seed(seed_from(self.random_state))
            super().fit(X, y_enc.astype(np.int64), **fit_params)
        self.classes_inferred_ = classes
        return self

    def predict_proba_samples(self, X, n_samples=None):
        """Return the probabilities of each Monte-Carlo dropout pass.

        The encoder has no dropout, so each batch is encoded once and only
        the dropout head is sampled ``n_samples`` times: the cost of MC
        dropout is one forward pass, not ``n_samples``.

        Parameters
        ----------
        X : array-like of images
            Samples.
        n_samples : int, default=None
            Number of passes; ``None`` uses ``n_mc_samples``.

        Returns
        -------
        proba_stack : ndarray of shape (n_samples, n_rows, n_classes)
            The probabilities of each pass, float32.
        """
        n = self.n_mc_samples if n_samples is None else n_samples
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"n_samples must be a positive int, got {n!r}.")
        self.check_is_fitted()
        nonlin = self._get_predict_nonlinearity()
        module = self.module_
        seed = _torch_seed(self.random_state)
        chunks = []
        module.eval()
        with torch.random.fork_rng(devices=[]):
            if seed is not None:
                torch.manual_seed(seed)
            with enable_dropout(module.dropout):
                for batch in self.get_iterator(self.get_dataset(X), training=False):
                    Xi, _ = unpack_data(batch)
                    feats = module.features(Xi.to(self.device))
                    passes = [
                        nonlin(module.head(module.dropout(feats))).cpu().numpy()
                        for _ in range(n)
                    ]
                    chunks.append(np.stack(passes).astype(np.float32, copy=False))
        return np.concatenate(chunks, axis=1)

    def predict(self, X):
        """Return the class with the highest MC-averaged probability.

        Parameters
        ----------
        X : array-like of images
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n,)
            Labels from ``classes_``.
        """
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def embed(self, X):
        """Return the fine-tuned encoder's features (dropout off).

        Parameters
        ----------
        X : array-like of images
            Samples.

        Returns
        -------
        features : ndarray of shape (n, n_features)
            Pooled encoder features, float32.
        """
        self.check_is_fitted()
        self.module_.eval()
        out = []
        with torch.no_grad():
            for batch in self.get_iterator(self.get_dataset(X), training=False):
                Xi, _ = unpack_data(batch)
                out.append(self.module_.features(Xi.to(self.device)).cpu().numpy())
        return np.concatenate(out)
