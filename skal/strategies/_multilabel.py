"""Multi-label strategies: each sample carries a 0/1 vector of ``L`` labels.

A learner fitted on a 2-d indicator ``y`` hands these strategies its signals
per label: ``context.decision()`` is ``f`` of shape (n, L), one decision
value per label, ``context.proba()`` is ``p`` of shape (n, L) with
``p[i, l] = P(y_l = 1 | x_i)``. Where a model has no ``decision_function``
(``MultiOutputClassifier``, k-NN, forests), ``f = 2 p - 1``: the same sign,
a margin in [-1, 1]. The formulas are in docs/user_guide/multilabel.rst.
"""

from numbers import Real

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._base import ScoreStrategy

_EPS = 1e-12


def label_values(context):
    """Per-label margins ``f`` (n, L): decision values, else ``2 p - 1``."""
    if context.has("decision"):
        return np.asarray(context.decision(), dtype=float)
    return 2.0 * np.asarray(context.proba(), dtype=float) - 1.0


def _labels_proba(context, X=None):
    """``p`` (n, L) of the candidates or of rows ``X``: proba, else sigmoid(f)."""
    if context.has("proba"):
        p = context.proba() if X is None else context.predict_proba(X)
        return np.asarray(p, dtype=float)
    f = label_values(context) if X is None else context.decision_function(X)
    return 1.0 / (1.0 + np.exp(-np.asarray(f, dtype=float)))


def binary_minimum(f):
    """Brinker (2006): ``-min_l |f_l|``; the sample nearest a label's boundary.

    Examples
    --------
    >>> from skal.strategies import binary_minimum
    >>> binary_minimum([[2.0, -0.5], [1.0, 3.0]]).tolist()
    [-0.5, -1.0]
    """
    return -np.min(np.abs(np.asarray(f, dtype=float)), axis=1)


def max_loss(f):
    """Li et al. (2004) max loss: ``max_l max(0, 1 - sign(f_l) f_l)``.

    Examples
    --------
    >>> from skal.strategies import max_loss
    >>> max_loss([[2.0, -0.5], [1.0, 3.0]]).tolist()
    [0.5, 0.0]
    """
    return np.max(np.maximum(0.0, 1.0 - np.abs(np.asarray(f, dtype=float))), axis=1)


def mean_max_loss(f):
    """Li et al. (2004) mean max loss: ``mean_l max(0, 1 - sign(f_l) f_l)``.

    Examples
    --------
    >>> from skal.strategies import mean_max_loss
    >>> mean_max_loss([[2.0, -0.5], [0.0, 0.5]]).tolist()
    [0.25, 0.75]
    """
    f = np.abs(np.asarray(f, dtype=float))
    return np.mean(np.maximum(0.0, 1.0 - f), axis=1)


def mmc_loss(f, cardinality):
    """Yang et al. (2009) MMC: ``sum_l (1 - y_l f_l) / 2``, ``y`` the top-m labels.

    The predicted label vector ``y`` has ``+1`` on the ``cardinality[i]``
    labels of largest ``f`` and ``-1`` elsewhere.

    Examples
    --------
    >>> from skal.strategies import mmc_loss
    >>> mmc_loss([[0.8, 0.2, -0.9]], [2]).tolist()  # (0.2 + 0.8 + 0.1) / 2
    [0.55]
    """
    f = np.asarray(f, dtype=float)
    m = np.asarray(cardinality).reshape(-1, 1)
    rank = np.argsort(np.argsort(-f, axis=1, kind="stable"), axis=1)
    y = np.where(rank < m, 1.0, -1.0)
    return np.round(np.sum((1.0 - y * f) / 2.0, axis=1), 12)


def separation_margin(f):
    """Li & Guo (2013): ``min f over predicted-positive - max f over the rest``.

    A side with no label counts as 0 (the threshold), so the margin is >= 0.

    Examples
    --------
    >>> from skal.strategies import separation_margin
    >>> separation_margin([[0.5, 2.0, -0.25], [-1.0, -3.0, -2.0]]).tolist()
    [0.75, 1.0]
    """
    f = np.asarray(f, dtype=float)
    positive = f > 0
    low = np.where(positive, f, np.inf).min(axis=1)
    high = np.where(positive, -np.inf, f).max(axis=1)
    return np.where(np.isinf(low), 0.0, low) - np.where(np.isinf(high), 0.0, high)


def cardinality_inconsistency(f, mean_cardinality):
    """Li & Guo (2013) LCI: ``| #{l : f_l > 0} - mean labeled cardinality |``.

    Examples
    --------
    >>> from skal.strategies import cardinality_inconsistency
    >>> cardinality_inconsistency([[1.0, 1.0, -1.0], [-1.0, -1.0, -1.0]], 1.5).tolist()
    [0.5, 1.5]
    """
    n_positive = np.sum(np.asarray(f, dtype=float) > 0, axis=1)
    return np.abs(n_positive - float(mean_cardinality))


def _binary_entropy(p):
    p = np.clip(p, _EPS, 1.0 - _EPS)
    return -(p * np.log(p) + (1.0 - p) * np.log(1.0 - p))


#: Averaged label uncertainty: name -> function of (p, y_pred); higher = query.
LABEL_MEASURES = {
    "mean_entropy": lambda p, y: _binary_entropy(p).mean(axis=1),
    "mean_margin": lambda p, y: 1.0 - np.abs(2.0 * p - 1.0).mean(axis=1),
    # modAL's four (Esuli & Sebastiani 2009), on p as modAL computes them
    "min_confidence": lambda p, y: -p.min(axis=1),
    "avg_confidence": lambda p, y: p.mean(axis=1),
    "max_score": lambda p, y: (p * (y - 0.5)).max(axis=1),
    "avg_score": lambda p, y: (p * (y - 0.5)).mean(axis=1),
}
_NEEDS_PREDICT = frozenset({"max_score", "avg_score"})


def label_uncertainty(proba, measure="mean_entropy", y_pred=None):
    """Score samples by an averaged per-label measure; higher is more valuable.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_labels)
        ``P(label l = 1)`` per sample and label.
    measure : str, default="mean_entropy"
        One of ``LABEL_MEASURES`` (see the user guide for formulas).
    y_pred : array-like of shape (n_samples, n_labels), default=None
        The model's 0/1 predictions; needed by ``"max_score"`` and
        ``"avg_score"`` (``proba > 0.5`` when not given).

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        The measure of each sample.

    Examples
    --------
    >>> from skal.strategies import label_uncertainty
    >>> label_uncertainty([[0.5, 0.9], [0.1, 0.9]], "mean_margin").round(3).tolist()
    [0.6, 0.2]
    """
    if measure not in LABEL_MEASURES:
        raise ValueError(
            f"Unknown measure {measure!r}; use one of {sorted(LABEL_MEASURES)}."
        )
    p = np.asarray(proba, dtype=float)
    y = (p > 0.5).astype(float) if y_pred is None else np.asarray(y_pred, float)
    return LABEL_MEASURES[measure](p, y)


class _MultilabelStrategy(ScoreStrategy):
    """A score strategy for learners fitted on a multi-label indicator ``y``."""

    task = "classification"
    label_types = ("multilabel",)


class BinaryMinimum(_MultilabelStrategy):
    """Query the sample closest to any one label's decision boundary.

    Brinker (2006), "On active learning in multi-label classification":
    ``score(x) = -min_l |f_l(x)|``, ``f_l`` the decision value of label ``l``
    (``2 p_l - 1`` for a model without ``decision_function``).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import BinaryMinimum, QueryContext
    >>> f = np.array([[2.0, -0.5], [1.0, 3.0], [0.1, -2.0]])
    >>> ctx = QueryContext(np.zeros((3, 1)), signals={"decision": lambda X: f})
    >>> BinaryMinimum().select(ctx, 1)[0].tolist()
    [2]
    """

    def _score(self, context):
        return binary_minimum(label_values(context))


class MaxLoss(_MultilabelStrategy):
    """Query the sample of largest hinge loss of any one label.

    Li, Wang & Sung (2004), "Multilabel SVM active learning for image
    classification": with the predicted labels ``sign(f_l)``,
    ``score(x) = max_l max(0, 1 - sign(f_l) f_l)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import MaxLoss, QueryContext
    >>> f = np.array([[2.0, -0.5], [1.0, 3.0], [0.1, -2.0]])
    >>> ctx = QueryContext(np.zeros((3, 1)), signals={"decision": lambda X: f})
    >>> MaxLoss().select(ctx, 2)[0].tolist()
    [2, 0]
    """

    def _score(self, context):
        return max_loss(label_values(context))


class MeanMaxLoss(_MultilabelStrategy):
    """Query the sample of largest mean hinge loss over its labels.

    Li, Wang & Sung (2004): ``score(x) = mean_l max(0, 1 - sign(f_l) f_l)``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import MeanMaxLoss, QueryContext
    >>> f = np.array([[2.0, -0.5], [0.0, 0.5], [0.1, -2.0]])
    >>> ctx = QueryContext(np.zeros((3, 1)), signals={"decision": lambda X: f})
    >>> MeanMaxLoss().select(ctx, 1)[0].tolist()
    [1]
    """

    def _score(self, context):
        return mean_max_loss(label_values(context))


class MMC(_MultilabelStrategy):
    """Maximum loss reduction with maximal confidence (Yang et al., KDD 2009).

    Each sample's number of labels ``m(x)`` is predicted by a classifier
    trained on the labeled rows, its features the label probabilities
    sorted in decreasing order, its target the row's label count. The
    predicted label vector is ``+1`` on the ``m(x)`` labels of largest
    ``f`` and ``-1`` elsewhere; ``score(x) = sum_l (1 - y_l f_l(x)) / 2``.

    Parameters
    ----------
    cardinality_model : classifier, default=None
        Predicts the label count; ``None`` is
        ``LogisticRegression(max_iter=1000)``. When every labeled row has
        the same count, that count is used.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import MMC, QueryContext
    >>> f = np.array([[0.8, 0.2, -0.9], [0.9, -0.8, -0.9]])
    >>> ctx = QueryContext(np.zeros((2, 1)), signals={"decision": lambda X: f},
    ...                    X_labeled=np.zeros((2, 1)), y_labeled=[[1, 1, 0], [0, 1, 1]])
    >>> MMC().score(ctx).tolist()  # every labeled row has 2 labels
    [0.55, 1.0]
    """

    _parameter_constraints = {
        "cardinality_model": [HasMethods(["fit", "predict"]), None],
    }

    def __init__(self, cardinality_model=None):
        self.cardinality_model = cardinality_model

    def predict_cardinality(self, context):
        """Return the predicted number of labels of each candidate."""
        counts = np.asarray(context.y_labeled, dtype=float).sum(axis=1).astype(int)
        n_labels = label_values(context).shape[1]
        if np.unique(counts).shape[0] < 2:
            return np.full(context.n_candidates, counts[0] if counts.size else 1)
        model = self.cardinality_model
        model = LogisticRegression(max_iter=1000) if model is None else clone(model)
        features = -np.sort(-_labels_proba(context, context.X_labeled), axis=1)
        model.fit(features, counts)
        candidates = -np.sort(-_labels_proba(context), axis=1)
        return np.clip(np.asarray(model.predict(candidates)), 0, n_labels)

    def _score(self, context):
        return mmc_loss(label_values(context), self.predict_cardinality(context))


class LabelCardinalityInconsistency(_MultilabelStrategy):
    """Query samples whose predicted label count is unlike the labeled ones'.

    Li & Guo (IJCAI 2013), "Active learning with multi-label SVM
    classification": ``c(x) = | #{l : f_l(x) > 0} - c_bar |`` with ``c_bar``
    the mean label count of the labeled rows, combined with the max-margin
    uncertainty ``u(x) = 1 / sep(x)`` (:func:`separation_margin`) as
    ``score(x) = u(x)^beta * c(x)^(1 - beta)``.

    Parameters
    ----------
    beta : float in [0, 1], default=0.0
        Weight of the margin uncertainty; 0 is pure LCI, 1 pure max-margin.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import LabelCardinalityInconsistency, QueryContext
    >>> f = np.array([[1.0, 1.0, -1.0], [-1.0, -1.0, -1.0]])
    >>> ctx = QueryContext(np.zeros((2, 1)), signals={"decision": lambda X: f},
    ...                    X_labeled=np.zeros((2, 1)), y_labeled=[[1, 0, 0], [1, 1, 0]])
    >>> LabelCardinalityInconsistency().score(ctx).tolist()
    [0.5, 1.5]
    """

    _parameter_constraints = {"beta": [Interval(Real, 0, 1, closed="both")]}

    def __init__(self, beta=0.0):
        self.beta = beta

    def _score(self, context):
        f = label_values(context)
        mean = np.asarray(context.y_labeled, dtype=float).sum(axis=1).mean()
        c = cardinality_inconsistency(f, mean)
        if self.beta == 0:
            return c
        u = 1.0 / np.maximum(separation_margin(f), _EPS)
        return u**self.beta * c ** (1.0 - self.beta)


class LabelUncertainty(_MultilabelStrategy):
    """Average a per-label uncertainty over the labels (or modAL's measures).

    ``"mean_entropy"``: ``mean_l H(p_l)``, ``H`` the binary entropy;
    ``"mean_margin"``: ``1 - mean_l |2 p_l - 1|``; and modAL's four
    (Esuli & Sebastiani 2009, computed on ``p`` as modAL does):
    ``"min_confidence"`` ``-min_l p_l``, ``"avg_confidence"`` ``mean_l p_l``,
    ``"max_score"`` ``max_l p_l (y_l - 1/2)``, ``"avg_score"``
    ``mean_l p_l (y_l - 1/2)``, ``y`` the model's 0/1 predictions.

    Parameters
    ----------
    measure : str, default="mean_entropy"
        A name in ``skal.strategies.LABEL_MEASURES``.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import LabelUncertainty, QueryContext
    >>> p = np.array([[0.5, 0.9], [0.1, 0.9], [0.6, 0.4]])
    >>> ctx = QueryContext(np.zeros((3, 1)), signals={"proba": lambda X: p})
    >>> LabelUncertainty("mean_margin").select(ctx, 1)[0].tolist()
    [2]
    """

    _parameter_constraints = {"measure": [StrOptions(set(LABEL_MEASURES))]}

    def __init__(self, measure="mean_entropy"):
        self.measure = measure

    def _score(self, context):
        p = _labels_proba(context)
        y = context.predict() if self.measure in _NEEDS_PREDICT else None
        return label_uncertainty(p, self.measure, y)


#: Registry name -> factory of every multi-label strategy.
MULTILABEL_REGISTRY = {
    "binary_minimum": BinaryMinimum,
    "max_loss": MaxLoss,
    "mean_max_loss": MeanMaxLoss,
    "mmc": MMC,
    "lci": LabelCardinalityInconsistency,
    **{name: (lambda name=name: LabelUncertainty(name)) for name in LABEL_MEASURES},
}
#: The names of the strategies that handle a multi-label ``y``.
MULTILABEL_STRATEGIES = tuple(MULTILABEL_REGISTRY)
