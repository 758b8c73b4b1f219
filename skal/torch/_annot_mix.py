"""Annot-Mix: mixup over (sample, annotator, label) triples (Herde et al. 2024)."""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet

from ..utils._validation import MISSING_LABEL_CONSTRAINT
from ._annot_mix_module import AnnotMixCollate, AnnotMixLoss, AnnotMixModule
from ._multi_annotator import (
    MultiAnnotatorNetMixin,
    check_clf_module,
    softmax,
    split_params,
)


class AnnotMixClassifier(MultiAnnotatorNetMixin, ClassifierMixin, BaseEstimator):
    """A network and an annotator-performance network trained with Annot-Mix.

    Herde et al. (2024) model annotator ``a``'s label for sample ``x`` as
    the true class ``c ~ p(x) = softmax(f(x))`` passed through a confusion
    matrix ``P(x, a) = softmax_rows(g(x, a))``, so the label distribution is
    ``q(x, a) = p(x) P(x, a)``. The annotator-performance network ``g`` maps
    a learned annotator embedding (and, with ``sample_embed_dim > 0``, a
    learned map of the sample's embedding) to the ``K x K`` logits; its bias
    starts at ``log(eta (K - 1) / (1 - eta))`` on the diagonal, a prior
    probability ``eta`` of a correct label. Training extends mixup to
    triples: the labeled (sample, one-hot annotator, one-hot label) triples
    of a batch are mixed with a permuted copy, ``lambda ~ Beta(alpha,
    alpha)`` per triple, and the loss is the mean KL divergence of ``q`` at
    the mixed sample and annotator from the mixed label. Prediction uses
    ``p(x)`` alone.

    The model, loss and mixup are those of scikit-activeml's
    ``AnnotMixClassifier``, with the same parameters; see the Notes for
    the differences.

    Parameters
    ----------
    clf_module : torch.nn.Module class or instance
        The classification network, returning class logits ``(n, n_classes)``
        or ``(logits, embedding)``; without an embedding the input is used as
        one. A class is built with the ``module__*`` entries of
        ``neural_net_param_dict``; an instance is deep-copied at every
        ``fit``, never trained in place.
    alpha : float, default=0.5
        Mixup concentration: ``lambda ~ Beta(alpha, alpha)``; ``0`` turns
        mixup off.
    sample_embed_dim : int, default=0
        Width of the learned map of the (detached) sample embedding fed to
        the performance network; ``0`` makes the confusion matrices depend
        on the annotator only (class-specific performance).
    annotator_embed_dim : int, default=16
        Width of the annotator embedding.
    hidden_dim : int, default=None
        Width of the performance network's hidden layers; ``None`` is
        ``min(4 n_classes, max(128, 2 (annotator_embed_dim +
        sample_embed_dim)))``, scikit-activeml's default.
    n_hidden_layers : int, default=0
        Hidden layers (Dropout, Linear, BatchNorm1d, SiLU) of the performance
        network; ``0`` makes it a single linear layer.
    hidden_dropout : float, default=0.1
        Dropout before each hidden layer.
    eta : float, default=0.9
        Prior probability of a correct label, in ``(1 / n_classes, 1)``.
    n_annotators : int, default=None
        Number of annotators; ``None`` takes the columns of ``y``.
    neural_net_param_dict : dict, default=None
        Arguments of the :class:`skorch.NeuralNet` (``max_epochs``, ``lr``,
        ``batch_size``, ``optimizer``, ``device``, ...); ``module__<name>``
        go to ``clf_module``. ``module``, ``criterion``,
        ``predict_nonlinearity`` and ``iterator_train__collate_fn`` are
        refused and ``train_split`` must be ``None``. skorch's defaults
        otherwise (SGD, ``lr=0.01``, ``max_epochs=10``, ``batch_size=128``
        samples, each bringing its labeled pairs), except ``verbose=0``.
    sample_dtype : str or type, default=np.float32
        dtype ``X`` is cast to; ``None`` keeps it.
    classes : array-like of shape (n_classes,), default=None
        All classes; ``None`` takes the labels present in ``y``.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``cost_matrix[i, j]`` is the cost of predicting class ``j`` for a
        sample of class ``i``, in the order of ``classes`` (of the sorted
        classes when ``classes=None``); ``None`` is ``1 - I``.
    missing_label : scalar, str, None or nan, default=np.nan
        Marker of a missing label in ``y``; NaN and None always are.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the batches and the mixup draws (in a
        forked torch RNG: the global one is left untouched).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The classes, sorted.
    n_annotators_ : int
        Number of annotators.
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        Costs, rows and columns following ``classes_``.
    annotator_embeddings_ : ndarray of shape (n_annotators, annotator_embed_dim)
        The learned annotator embeddings.
    neural_net_ : skorch.NeuralNet
        The fitted net (its ``history`` holds the ``train_loss``).
    n_features_in_ : int
        Columns of ``X``.

    See Also
    --------
    CrowdLayerClassifier : One learned confusion matrix per annotator.
    skal.annotators.MultiAnnotatorLearner : Chooses samples and annotators.

    Notes
    -----
    Differences from scikit-activeml 1.0.1's class: ``fit`` refuses a
    ``y`` without any label (scikit-activeml leaves the network untrained)
    and a network with the wrong number of outputs; ``alpha`` and ``eta``
    are checked before training starts, in scikit-learn's constraint system;
    a ``cost_matrix`` is accepted without ``classes``; ``random_state``
    seeds the weights and mixup (scikit-activeml uses torch's global RNG,
    its ``random_state`` breaks prediction ties only); ``verbose`` is 0; the
    ``extra_outputs`` argument of ``predict``/``predict_proba`` is replaced
    by :meth:`predict_annotator_perf`, :meth:`predict_annotator_proba` and
    ``annotator_embeddings_``; there is no ``partial_fit``. Given the same
    torch seed, both draw the same weights, batches and mixup coefficients,
    and train to the same network (tested).

    References
    ----------
    Herde, M., Lührs, L., Huseljic, D. & Sick, B. (2024). Annot-Mix: Learning
    with noisy class labels from multiple annotators via a mixup extension.
    *European Conference on Artificial Intelligence (ECAI)*, 2910-2918.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skal.torch import MLP, AnnotMixClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(120, 2).astype(np.float32)
    >>> y_true = (X[:, 0] > 0).astype(int)
    >>> Y = np.stack([y_true, y_true, 1 - y_true], axis=1).astype(float)
    >>> Y[rng.rand(*Y.shape) < 0.3] = np.nan  # not every annotator labels all
    >>> clf = AnnotMixClassifier(MLP, neural_net_param_dict={
    ...     "module__n_features": 2, "module__n_classes": 2, "module__dropout": 0.0,
    ...     "optimizer": torch.optim.Adam, "lr": 0.02, "max_epochs": 60},
    ...     random_state=0).fit(X, Y)
    >>> bool((clf.predict(X) == y_true).mean() > 0.9)
    True
    >>> clf.predict_annotator_perf(X).mean(axis=0).round(1).tolist()  # the swapper
    [1.0, 1.0, 0.0]
    """

    _parameter_constraints = {
        "clf_module": "no_validation",  # a torch.nn.Module class or instance
        "alpha": [Interval(Real, 0, None, closed="left")],
        "sample_embed_dim": [Interval(Integral, 0, None, closed="left")],
        "annotator_embed_dim": [Interval(Integral, 1, None, closed="left")],
        "hidden_dim": [Interval(Integral, 1, None, closed="left"), None],
        "n_hidden_layers": [Interval(Integral, 0, None, closed="left")],
        "hidden_dropout": [Interval(Real, 0, 1, closed="left")],
        "eta": [Interval(Real, 0, 1, closed="neither")],
        "n_annotators": [Interval(Integral, 1, None, closed="left"), None],
        "neural_net_param_dict": [dict, None],
        "sample_dtype": [type, str, None],
        "classes": ["array-like", None],
        "cost_matrix": ["array-like", None],
        "missing_label": MISSING_LABEL_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        clf_module,
        alpha=0.5,
        sample_embed_dim=0,
        annotator_embed_dim=16,
        hidden_dim=None,
        n_hidden_layers=0,
        hidden_dropout=0.1,
        eta=0.9,
        n_annotators=None,
        neural_net_param_dict=None,
        sample_dtype=np.float32,
        classes=None,
        cost_matrix=None,
        missing_label=np.nan,
        random_state=None,
    ):
        self.clf_module = clf_module
        self.alpha = alpha
        self.sample_embed_dim = sample_embed_dim
        self.annotator_embed_dim = annotator_embed_dim
        self.hidden_dim = hidden_dim
        self.n_hidden_layers = n_hidden_layers
        self.hidden_dropout = hidden_dropout
        self.eta = eta
        self.n_annotators = n_annotators
        self.neural_net_param_dict = neural_net_param_dict
        self.sample_dtype = sample_dtype
        self.classes = classes
        self.cost_matrix = cost_matrix
        self.missing_label = missing_label
        self.random_state = random_state

    def _build_net(self, n_classes):
        params, clf_params = split_params(
            self.neural_net_param_dict,
            "the Annot-Mix module, its mixup collate and loss",
            reserved=("iterator_train__collate_fn",),
        )
        check_clf_module(self.clf_module, clf_params)
        if not 1 / n_classes < self.eta < 1:
            raise ValueError(
                f"eta={self.eta} must lie in (1 / n_classes, 1) = "
                f"({1 / n_classes:.4g}, 1): a prior performance at or below "
                "guessing makes the diagonal prior point the wrong way."
            )
        hidden_dim = self.hidden_dim
        if hidden_dim is None:
            width = 2 * (self.annotator_embed_dim + self.sample_embed_dim)
            hidden_dim = min(4 * n_classes, max(128, width))
        return NeuralNet(
            module=AnnotMixModule,
            module__clf_module=self.clf_module,
            module__n_annotators=self.n_annotators_,
            module__n_classes=n_classes,
            module__clf_module_params=clf_params,
            module__sample_embed_dim=self.sample_embed_dim,
            module__annotator_embed_dim=self.annotator_embed_dim,
            module__hidden_dim=hidden_dim,
            module__n_hidden_layers=self.n_hidden_layers,
            module__hidden_dropout=self.hidden_dropout,
            module__eta=self.eta,
            criterion=AnnotMixLoss,
            iterator_train__collate_fn=AnnotMixCollate(
                n_classes, self.n_annotators_, float(self.alpha)
            ),
            predict_nonlinearity=None,
            **params,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train fresh networks on the annotators' labels with Annot-Mix.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples (numeric); images may have more dimensions.
        y : array-like of shape (n_samples, n_annotators)
            ``y[i, a]`` is annotator ``a``'s label of sample ``i``,
            ``missing_label`` where it gave none. Samples without any label
            are left out of training.

        Returns
        -------
        self : AnnotMixClassifier
            The fitted classifier.
        """
        self._fit_net(X, y)
        module = self.neural_net_.module_
        eye = torch.eye(self.n_annotators_, device=self.neural_net_.device)
        with torch.no_grad():
            A = module.annotator_embed(eye).cpu().numpy()
        self.annotator_embeddings_ = A.astype(float)
        return self

    def _infer(self, X, full):
        """Concatenated outputs of the module in eval mode, batch by batch."""
        check_is_fitted(self)
        X = self._X(X, reset=False)
        net = self.neural_net_
        module = net.module_
        was_training = module.training
        module.eval()
        outs = []
        try:
            with torch.no_grad():
                for Xi, _ in net.get_iterator(net.get_dataset(X), training=False):
                    Xi = torch.as_tensor(Xi, device=net.device)
                    out = module(Xi) if full else (module.class_logits(Xi),)
                    outs.append([o.cpu().numpy() for o in out])
        finally:
            module.train(was_training)
        return [np.concatenate(parts).astype(float) for parts in zip(*outs)]

    def predict_proba(self, X):
        """Return the classification network's class probabilities ``p(x)``.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_rows, n_classes)
            Columns follow ``classes_``.
        """
        return softmax(self._infer(X, full=False)[0])

    def predict_annotator_proba(self, X):
        """Return each annotator's label distribution ``q(x, a) = p(x) P(x, a)``.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_rows, n_annotators, n_classes)
            ``proba[i, a, o]``: probability that annotator ``a`` labels
            sample ``i`` as ``classes_[o]``.
        """
        return np.exp(self._infer(X, full=True)[1])

    def predict_annotator_perf(self, X):
        """Return each annotator's estimated probability of a correct label.

        As scikit-activeml's ``extra_outputs="annotator_perf"``:
        ``sum_c p_c(x) P(x, a)[c, c]``.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        perf : ndarray of shape (n_rows, n_annotators)
            Values in ``[0, 1]``.
        """
        return np.exp(self._infer(X, full=True)[2])
