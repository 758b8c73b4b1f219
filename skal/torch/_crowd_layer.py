"""Deep learning from crowds: the crowd-layer classifier (Rodrigues & Pereira 2018)."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted
from skorch import NeuralNet

from ..utils._validation import MISSING_LABEL_CONSTRAINT
from ._crowd_layer_module import CrowdLayerModule, MaskedCrowdLoss
from ._multi_annotator import (
    MultiAnnotatorNetMixin,
    check_clf_module,
    softmax,
    split_params,
)


class CrowdLayerClassifier(MultiAnnotatorNetMixin, ClassifierMixin, BaseEstimator):
    """A network trained end to end on every annotator's labels (crowd layer).

    Rodrigues & Pereira (2018) put one *crowd layer* per annotator on top
    of a classification network ``f``: with the network's class
    probabilities ``p(x) = softmax(f(x))`` and a ``K x K`` matrix ``W_a`` per
    annotator (the "MW" variant, initialised to the identity), annotator
    ``a``'s label distribution is ``softmax(p(x) W_a)``. Network and matrices
    are trained together by minimising the cross-entropy of these
    distributions on the labels actually given, averaged over the observed
    (sample, annotator) pairs of a batch; missing labels are masked out.
    The matrices absorb each annotator's systematic confusions, so the
    network below them learns the true classes; prediction uses the network
    alone.

    The model and training are those of scikit-activeml's
    ``CrowdLayerClassifier``, with the same parameters; see the Notes for
    the differences.

    Parameters
    ----------
    clf_module : torch.nn.Module class or instance
        The network, returning class logits ``(n, n_classes)`` (or a tuple
        whose first element they are), e.g. :class:`skal.torch.MLP`. A class
        is built with the ``module__*`` entries of ``neural_net_param_dict``;
        an instance is deep-copied at every ``fit``, never trained in place.
    n_annotators : int, default=None
        Number of annotators; ``None`` takes the columns of ``y``.
    neural_net_param_dict : dict, default=None
        Arguments of the :class:`skorch.NeuralNet` (``max_epochs``, ``lr``,
        ``batch_size``, ``optimizer``, ``device``, ...); ``module__<name>``
        go to ``clf_module``. ``module``, ``criterion`` and
        ``predict_nonlinearity`` are refused and ``train_split`` must be
        ``None``. skorch's defaults otherwise (SGD, ``lr=0.01``,
        ``max_epochs=10``, ``batch_size=128``), except ``verbose=0``.
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
        Seeds the initial weights and the batches (in a forked torch RNG:
        the global one is left untouched).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The classes, sorted.
    n_annotators_ : int
        Number of annotators.
    cost_matrix_ : ndarray of shape (n_classes, n_classes)
        Costs, rows and columns following ``classes_``.
    annotator_matrices_ : ndarray of shape (n_annotators, n_classes, n_classes)
        The learned crowd matrices ``W_a``; ``W_a[c, o]`` weighs true class
        ``c`` for label ``o``.
    neural_net_ : skorch.NeuralNet
        The fitted net (its ``history`` holds the ``train_loss``).
    n_features_in_ : int
        Columns of ``X``.

    See Also
    --------
    skal.annotators.MultiAnnotatorLearner : Chooses samples and annotators.
    skal.annotators.dawid_skene : Confusion matrices from the labels alone.

    Notes
    -----
    Differences from scikit-activeml 1.0.1's class: ``fit`` refuses a
    ``y`` without any label (scikit-activeml silently leaves the network
    untrained) and a network with the wrong number of outputs; a
    ``cost_matrix`` is accepted without ``classes``; ``verbose`` is 0 by
    default; the ``extra_outputs`` argument of ``predict``/``predict_proba``
    is replaced by :meth:`predict_annotator_perf` and
    :meth:`predict_annotator_proba`; there is no ``partial_fit``. With a
    full batch and no dropout both train to the same weights (tested);
    otherwise the shuffling and seeding differ, so numbers differ.

    References
    ----------
    Rodrigues, F. & Pereira, F. C. (2018). Deep learning from crowds.
    *AAAI Conference on Artificial Intelligence*, 32(1).

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skal.torch import MLP, CrowdLayerClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(120, 2).astype(np.float32)
    >>> y_true = (X[:, 0] > 0).astype(int)
    >>> Y = np.stack([y_true, y_true, 1 - y_true], axis=1).astype(float)
    >>> Y[rng.rand(*Y.shape) < 0.3] = np.nan  # not every annotator labels all
    >>> clf = CrowdLayerClassifier(MLP, neural_net_param_dict={
    ...     "module__n_features": 2, "module__n_classes": 2, "module__dropout": 0.0,
    ...     "optimizer": torch.optim.Adam, "max_epochs": 60}, random_state=0)
    >>> clf.fit(X, Y).annotator_matrices_.shape
    (3, 2, 2)
    >>> bool((clf.predict(X) == y_true).mean() > 0.9)
    True
    >>> clf.annotator_matrices_[2].argmax(axis=1).tolist()  # the swapper
    [1, 0]
    """

    _parameter_constraints = {
        "clf_module": "no_validation",  # a torch.nn.Module class or instance
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
        n_annotators=None,
        neural_net_param_dict=None,
        sample_dtype=np.float32,
        classes=None,
        cost_matrix=None,
        missing_label=np.nan,
        random_state=None,
    ):
        self.clf_module = clf_module
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
            "the crowd-layer module, its masked loss and the softmax",
        )
        check_clf_module(self.clf_module, clf_params)
        return NeuralNet(
            module=CrowdLayerModule,
            module__clf_module=self.clf_module,
            module__n_annotators=self.n_annotators_,
            module__n_classes=n_classes,
            module__clf_module_params=clf_params,
            criterion=MaskedCrowdLoss,
            predict_nonlinearity=None,
            **params,
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train a fresh network and crowd layer on the annotators' labels.

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
        self : CrowdLayerClassifier
            The fitted classifier.
        """
        self._fit_net(X, y)
        W = self.neural_net_.module_.matrices.detach().cpu().numpy()
        self.annotator_matrices_ = W.astype(float)
        return self

    def _forward(self, X):
        check_is_fitted(self)
        X = self._X(X, reset=False)
        logits, annotator_logits = self.neural_net_.forward(X, training=False)
        return logits.cpu().numpy(), annotator_logits.cpu().numpy()

    def predict_proba(self, X):
        """Return the network's class probabilities (before the crowd layer).

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_rows, n_classes)
            Columns follow ``classes_``.
        """
        return softmax(self._forward(X)[0])

    def predict_annotator_proba(self, X):
        """Return each annotator's label distribution ``softmax(p(x) W_a)``.

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
        return softmax(self._forward(X)[1])

    def predict_annotator_perf(self, X):
        """Return each annotator's estimated probability of a correct label.

        As scikit-activeml's ``extra_outputs="annotator_perf"``:
        ``sum_c p_c(x) softmax(W_a[c])[c]``, the network's class probabilities
        weighing the diagonal of each annotator's row-softmaxed matrix.

        Parameters
        ----------
        X : array-like of shape (n_rows, ...)
            Samples.

        Returns
        -------
        perf : ndarray of shape (n_rows, n_annotators)
            Values in ``[0, 1]``.
        """
        P = self.predict_proba(X)
        diag = np.diagonal(softmax(self.annotator_matrices_), axis1=1, axis2=2)
        return P @ diag.T
