"""Shared plumbing of skal's networks trained on an annotator label matrix.

:class:`~skal.torch.CrowdLayerClassifier` and
:class:`~skal.torch.AnnotMixClassifier` validate ``X`` and the label matrix
``y`` the same way, route ``neural_net_param_dict`` to a
:class:`skorch.NeuralNet` the same way, and predict the same way: the
classification network's softmax and the class of least expected cost.
"""

import numpy as np
import torch
from scipy import special
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data

from ..annotators._labels import check_annotator_labels
from ..estimators._frequencies import (
    LeastCostPredictMixin,
    check_costs,
    encode_classes,
)


def softmax(z):
    """scipy's softmax over the last axis, in float64 (torch gives float32)."""
    return special.softmax(np.asarray(z, dtype=float), axis=-1)


_RESERVED = ("module", "criterion", "predict_nonlinearity")


def split_params(params, what, reserved=()):
    """``(net_kwargs, clf_module_kwargs)`` from ``neural_net_param_dict``.

    ``what`` names the module the classifier builds, for the error messages;
    ``reserved`` are further keys the classifier sets itself.
    """
    params = dict(params or {})
    for key in (*_RESERVED, *reserved):
        if key in params:
            raise ValueError(
                f"neural_net_param_dict must not set {key!r}: the classifier builds "
                f"{what} itself; give the network as clf_module and its arguments "
                "as 'module__*'."
            )
    if params.get("train_split") is not None:
        raise ValueError(
            "neural_net_param_dict['train_split'] must be None: a validation split "
            "of the annotator label matrix is not supported (as in "
            "scikit-activeml); hold out samples yourself."
        )
    clf_params = {
        k[len("module__") :]: params.pop(k)
        for k in list(params)
        if k.startswith("module__")
    }
    params["train_split"] = None
    params.setdefault("verbose", 0)
    return params, clf_params


def check_clf_module(clf_module, clf_params):
    """Raise unless ``clf_module`` is a torch module class or instance."""
    if not (
        isinstance(clf_module, torch.nn.Module)
        or (isinstance(clf_module, type) and issubclass(clf_module, torch.nn.Module))
    ):
        raise TypeError(
            "clf_module must be a torch.nn.Module class or instance, got "
            f"{clf_module!r}."
        )
    if clf_params and not isinstance(clf_module, type):
        raise ValueError(
            f"module__ arguments {sorted(clf_params)} need clf_module to be a "
            "class; an instance is used as it is."
        )


class MultiAnnotatorNetMixin(LeastCostPredictMixin):
    """Validation and prediction shared by the multi-annotator networks.

    The host sets ``neural_net_`` (whose ``module_`` has ``class_logits``),
    ``classes_`` and ``cost_matrix_`` in ``fit``.
    """

    _annotator_matrix = True  # skal.annotators.MultiAnnotatorLearner: fit on Y

    def _X(self, X, *, reset):
        return validate_data(
            self,
            X,
            reset=reset,
            dtype=self.sample_dtype,
            allow_nd=True,
            accept_sparse=False,
        )

    def _labels(self, X, y):
        """Validated ``X`` and ``y`` encoded as class positions, -1 where missing."""
        Y, labeled = check_annotator_labels(y, self.missing_label, name="y", X=X)
        X = self._X(X, reset=True)
        if self.n_annotators is not None and Y.shape[1] != self.n_annotators:
            raise ValueError(
                f"y has {Y.shape[1]} annotator columns but n_annotators="
                f"{self.n_annotators}; give one column per annotator or "
                "n_annotators=None."
            )
        if not labeled.any():
            raise ValueError(
                "y holds no label (every entry is the missing marker "
                f"{self.missing_label!r}): give at least one annotator's label."
            )
        self.classes_, codes_flat = encode_classes(Y[labeled], self.classes)
        if len(self.classes_) < 2:
            raise ValueError(
                f"y holds one class only ({self.classes_.tolist()}); a classifier "
                "needs two: label more samples, or give all of them as classes."
            )
        codes = np.full(Y.shape, -1, dtype=np.int64)
        codes[labeled] = codes_flat
        return X, codes

    def _fit_net(self, X, y):
        """Validate, build ``neural_net_`` with ``_build_net`` and train it.

        Weights, batches and any other torch draw are seeded from
        ``random_state`` in a forked torch RNG.
        """
        X, codes = self._labels(X, y)
        self.n_annotators_ = codes.shape[1]
        n_classes = len(self.classes_)
        self.cost_matrix_ = check_costs(self.cost_matrix, self.classes, n_classes)
        seed = int(check_random_state(self.random_state).randint(2**31 - 1))
        keep = (codes >= 0).any(axis=1)
        self.neural_net_ = self._build_net(n_classes)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.neural_net_.initialize()
            self._check_outputs(X)
            self.neural_net_.partial_fit(X[keep], codes[keep])

    def _check_outputs(self, X):
        module = self.neural_net_.module_
        with torch.no_grad():
            was_training = module.training
            module.eval()
            out = module.class_logits(
                torch.as_tensor(X[:1], device=self.neural_net_.device)
            )
            module.train(was_training)
        if out.ndim != 2 or out.shape[1] != len(self.classes_):
            raise ValueError(
                f"clf_module returns logits of shape {tuple(out.shape)} but y has "
                f"{len(self.classes_)} classes: give the network one output per "
                f"class (e.g. 'module__n_classes': {len(self.classes_)})."
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        tags.target_tags.multi_output = True
        return tags
