"""Epistemic uncertainty sampling (Nguyen, Destercke & Huellermeier 2019).

Of the two sources of a binary prediction's uncertainty, only the epistemic
one (too little evidence) shrinks with more labels; the aleatoric one
(classes that truly overlap) does not. The relative likelihood of the
positive-class probability ``theta`` given ``p`` positive and ``n``
negative (kernel-weighted) labeled neighbours,

    L(theta) = theta^p (1 - theta)^n / sup_t t^p (1 - t)^n,

supports class 1 with degree ``pi_1 = sup_theta min(L(theta), 2 theta - 1)``
and class 0 with ``pi_0 = sup_theta min(L(theta), 1 - 2 theta)``; the
epistemic uncertainty is ``min(pi_0, pi_1)``: both classes remain plausible.
"""

import numpy as np
from sklearn.metrics.pairwise import pairwise_kernels
from sklearn.utils._param_validation import StrOptions

from ..estimators._kernel_params import check_kernel_params, check_kernel_values
from ._base import _MAX_CANDIDATES, ScoreStrategy
from ._coverage import _METRICS, _blocks


def _xlogy(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0, 0.0, x * np.log(y))


def _support_of_one(n, p, n_iter=64):
    """``sup_theta min(L(theta), 2 theta - 1)`` for each pair of counts.

    Solved in ``u = 1 - theta``, which keeps its precision where ``theta``
    rounds to 1 (tiny ``n``).
    """
    total = n + p
    with np.errstate(invalid="ignore", divide="ignore"):
        u_mode = np.where(total > 0, n / total, 0.5)
        log_peak = _xlogy(p, p / total) + _xlogy(n, u_mode)

    def likelihood(u):
        return np.exp(_xlogy(p, 1 - u) + _xlogy(n, u) - log_peak)

    # Right of the mode, L falls as theta rises (rises with u) while
    # 2 theta - 1 = 1 - 2 u rises: the supremum is where they cross, at u
    # below both the mode and 1/2.
    lo = np.zeros_like(u_mode)
    hi = np.minimum(u_mode, 0.5)
    for _ in range(n_iter):
        mid = (lo + hi) / 2
        above = likelihood(mid) >= 1 - 2 * mid
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    support = np.minimum(likelihood(hi), 1 - 2 * hi)
    return np.where(total > 0, support, 1.0)


def epistemic_uncertainty(frequencies):
    """Epistemic uncertainty of binary predictions from class frequencies.

    Parameters
    ----------
    frequencies : array-like of shape (n_samples, 2)
        Evidence for class 0 (``n``) and class 1 (``p``) of each sample,
        e.g. the kernel-weighted counts of a Parzen window.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        ``min(pi_0, pi_1)`` in ``[0, 1]``: 1 with no evidence, small when
        the evidence is large whatever its balance (then the uncertainty
        left is aleatoric).

    Examples
    --------
    >>> from skal.strategies import epistemic_uncertainty
    >>> epistemic_uncertainty([[0, 0], [1, 1], [10, 10], [0, 5]]).round(3).tolist()
    [1.0, 0.618, 0.326, 0.027]
    """
    F = np.asarray(frequencies, dtype=float)
    if F.ndim != 2 or F.shape[1] != 2 or not np.isfinite(F).all() or (F < 0).any():
        raise ValueError(
            "Epistemic uncertainty needs finite non-negative frequencies of two "
            f"classes, of shape (n_samples, 2); got shape {F.shape}."
        )
    n, p = F[:, 0], F[:, 1]
    return np.minimum(_support_of_one(n, p), _support_of_one(p, n))


def parzen_frequencies(context, metric="rbf", metric_params=None):
    """Kernel-weighted labeled counts of each class at each candidate.

    ``F_k(x) = sum_{l: y_l = k} k(z_x, z_l)`` over the labeled samples, on
    the context's embedding: scikit-activeml's
    ``ParzenWindowClassifier.predict_freq``.

    Parameters
    ----------
    context : QueryContext
        The candidates, the labeled set and the classes.
    metric : str, default="rbf"
        Kernel of :func:`sklearn.metrics.pairwise.pairwise_kernels`.
    metric_params : dict, default=None
        Its parameters.

    Returns
    -------
    frequencies : ndarray of shape (n_candidates, n_classes)
        Zeros before any label.
    """
    params = check_kernel_params(metric, metric_params, "metric_params", False)
    Z = context.embedding()
    classes = context.classes
    F = np.zeros((Z.shape[0], len(classes)))
    if not context.n_labeled:
        return F
    onehot = (np.asarray(context.y_labeled)[:, None] == classes).astype(float)
    Z_labeled = context.labeled_embedding()
    for rows in _blocks(Z.shape[0]):
        K = pairwise_kernels(Z[rows], Z_labeled, metric=metric, **params)
        F[rows] = check_kernel_values(K, metric) @ onehot
    return F


def model_frequencies(context, strategy):
    """The model's ``predict_freq`` at each candidate, checked.

    Parameters
    ----------
    context : QueryContext
        The candidates and the model's ``"freq"`` signal.
    strategy : str
        The strategy's name, for the errors.

    Returns
    -------
    frequencies : ndarray of shape (n_candidates, n_classes)
        Non-negative class frequencies, columns in the order of the classes.
    """
    fix = (
        "Use a model with predict_freq (skal.estimators.ParzenWindowClassifier) "
        "or frequencies='parzen'."
    )
    F = np.asarray(context.signal("freq", fix=fix), dtype=float)
    n_classes = len(context.classes)
    if (
        F.ndim != 2
        or F.shape[1] != n_classes
        or not np.isfinite(F).all()
        or (F < 0).any()
    ):
        raise ValueError(
            f"{strategy} needs the model's predict_freq to return finite, "
            f"non-negative frequencies of shape (n_samples, {n_classes}), one "
            f"column per class; got shape {F.shape}."
        )
    return F


class EpistemicUncertaintySampling(ScoreStrategy):
    """Query the samples whose binary label has the least evidence either way.

    The class frequencies of each candidate are those of a Parzen window on
    the embedding, ``F_k(x) = sum_{l: y_l = k} k(x, x_l)`` over the labeled
    samples, as scikit-activeml's ``ParzenWindowClassifier.predict_freq``;
    the score is :func:`epistemic_uncertainty` of them. Binary tasks only,
    as in the paper. With ``frequencies="predict_freq"`` they are the
    model's own ``predict_freq`` (a
    :class:`~skal.estimators.ParzenWindowClassifier`, as scikit-activeml's
    strategy reads its classifier's).

    Parameters
    ----------
    metric : str, default="rbf"
        Kernel of :func:`sklearn.metrics.pairwise.pairwise_kernels`.
    metric_params : dict, default=None
        Its parameters, e.g. ``{"gamma": 0.5}``.
    frequencies : {"parzen", "predict_freq"}, default="parzen"
        A Parzen window of ``metric``, or the model's ``predict_freq``
        (``metric`` and ``metric_params`` then unused).
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import EpistemicUncertaintySampling, QueryContext
    >>> X_lab = np.array([[0.0], [0.0], [4.0], [4.0]])
    >>> ctx = QueryContext(np.array([[0.0], [2.0], [9.0]]), classes=[0, 1],
    ...                    X_labeled=X_lab, y_labeled=[0, 0, 1, 1])
    >>> EpistemicUncertaintySampling().select(ctx, 1)[0].tolist()  # far away
    [2]
    """

    task = "classification"
    binary_only = True
    _parameter_constraints = {
        "metric": [StrOptions(_METRICS)],
        "metric_params": [dict, None],
        "frequencies": [StrOptions({"parzen", "predict_freq"})],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        metric="rbf",
        *,
        metric_params=None,
        frequencies="parzen",
        max_candidates=None,
    ):
        self.metric = metric
        self.metric_params = metric_params
        self.frequencies = frequencies
        self.max_candidates = max_candidates

    def label_frequencies(self, context):
        """Parzen-window class frequencies of the candidates, (n_candidates, 2).

        Parameters
        ----------
        context : QueryContext
            The candidates and the labeled set.

        Returns
        -------
        frequencies : ndarray of shape (n_candidates, 2)
            Kernel-weighted labeled counts of each class.
        """
        classes = context.classes
        if classes is None or len(classes) != 2:
            raise ValueError(
                "EpistemicUncertaintySampling is defined for two classes (Nguyen "
                "et al. 2019), got classes "
                f"{None if classes is None else list(np.asarray(classes).tolist())}."
            )
        if self.frequencies == "predict_freq":
            return model_frequencies(context, "EpistemicUncertaintySampling")
        return parzen_frequencies(context, self.metric, self.metric_params)

    def _score(self, context):
        return epistemic_uncertainty(self.label_frequencies(context))
