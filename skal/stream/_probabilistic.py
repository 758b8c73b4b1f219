"""Probabilistic active learning on streams (stream PAL).

D. Kottke, G. Krempl and M. Spiliopoulou. Probabilistic active learning in
datastreams. Advances in Intelligent Data Analysis XIV (IDA), LNCS 9385,
145-157, 2015; multi-class gain of D. Kottke, G. Krempl, D. Lang, J.
Teschner and M. Spiliopoulou. Multi-class probabilistic active learning.
ECAI 2016, 586-594. The spatial utility of a sample is McPAL's expected cost
reduction of its kernel label frequencies; the temporal decision is the
balanced incremental quantile filter's.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.metrics.pairwise import KERNEL_PARAMS, pairwise_kernels
from sklearn.utils._param_validation import StrOptions

from ..strategies import expected_cost_reduction
from ..utils._validation import _NoBool
from ._base import BaseStreamStrategy

__all__ = ["StreamProbabilisticAL"]

_KERNELS = set(KERNEL_PARAMS) - {"precomputed"}


def _kernel(X, Y, metric, params):
    """``pairwise_kernels(X, Y, metric, **params)``; RBF without the checks.

    The RBF kernel repeats scikit-learn's operations (squared distances
    ``-2 X Y' + |x|^2 + |y|^2`` clipped at 0, times ``-gamma``, exp), so the
    numbers are the same, without its input validation, which costs more
    than the kernel on one streamed sample.
    """
    if metric != "rbf" or set(params) - {"gamma"}:
        return pairwise_kernels(X, Y, metric=metric, **params)
    gamma = params.get("gamma")
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    K = -2 * (X @ Y.T)
    K += np.einsum("ij,ij->i", X, X)[:, np.newaxis]
    K += np.einsum("ij,ij->i", Y, Y)[np.newaxis, :]
    np.maximum(K, 0, out=K)
    K *= -gamma
    return np.exp(K, out=K)


def _check_metric_params(metric, params):
    """Refuse kernel parameters the kernel does not take, or not finite numbers."""
    allowed = sorted(KERNEL_PARAMS[metric])
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(
            f"metric_params {unknown} are not parameters of the {metric!r} kernel, "
            f"which takes {allowed or 'none'}: pass only those."
        )
    for name, value in params.items():
        if value is None and name == "gamma":
            continue  # scikit-learn's default, 1 / n_features
        if not isinstance(value, Real) or isinstance(value, bool):
            raise TypeError(f"metric_params[{name!r}] must be a number, got {value!r}.")
        if not np.isfinite(value) or (
            name == "gamma" and metric in ("rbf", "laplacian", "chi2") and value <= 0
        ):
            raise ValueError(
                f"metric_params[{name!r}]={value!r} does not make {metric!r} a "
                "Parzen window: pass a finite"
                + (" positive" if name == "gamma" else "")
                + " number (or leave it out for scikit-learn's default)."
            )


class StreamProbabilisticAL(BaseStreamStrategy):
    """Probabilistic active learning on a stream: McPAL's gain, filtered.

    The utility of a sample ``x`` is McPAL's expected cost reduction per
    label (:func:`skal.strategies.expected_cost_reduction`) of its label
    frequencies ``k(x)``, the unknown posterior being Dirichlet with
    parameters ``k(x) + prior``, maximised over ``m <= m_max`` hypothetical
    labels. The default budget manager,
    :class:`~skal.stream.BalancedIncrementalQuantileFilter`, labels the
    samples whose utility is in the top ``budget`` quantile of the recent
    ones. scikit-activeml's ``StreamProbabilisticAL``.

    The frequencies come from

    - ``"parzen"``: a Parzen window over the labeled samples the learner
      keeps (all, or the last ``max_labeled``),
      ``k_c(x) = sum_{l: y_l = c} K(x, x_l)``: scikit-activeml with its
      ``ParzenWindowClassifier`` fitted on those labels;
    - ``"model"``: the total kernel count times the model's probabilities,
      ``k(x) = sum_l K(x, x_l) P(y | x)``, for any classifier:
      scikit-activeml with ``metric`` set;
    - ``"estimator"``: the estimator's own ``predict_freq(X)`` (a Parzen
      window classifier's, e.g. scikit-activeml's): scikit-activeml's
      default ``metric=None``.

    Parameters
    ----------
    prior : float, default=1e-3
        Dirichlet prior added to every class frequency.
    m_max : int, default=2
        Most hypothetical labels ``m``.
    frequencies : {"parzen", "model", "estimator"}, default="parzen"
        Where the label frequencies come from.
    metric : str, default="rbf"
        Kernel of :func:`sklearn.metrics.pairwise.pairwise_kernels` (unused
        with ``frequencies="estimator"``).
    metric_params : dict or None, default=None
        Its parameters, e.g. ``{"gamma": 0.5}``; ``None`` takes scikit-learn's
        defaults (``gamma = 1 / n_features`` for ``"rbf"``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.stream import StreamActiveLearner, StreamProbabilisticAL
    >>> X = np.array([[0.0], [0.1], [3.0], [3.1]])
    >>> learner = StreamActiveLearner(
    ...     GaussianNB(), StreamProbabilisticAL(metric_params={"gamma": 1.0})
    ... ).fit(X, [0, 0, 1, 1])
    >>> # far from every label, between the classes, on two labels of class 0
    >>> _, u = learner.query(np.array([[9.0], [1.5], [0.0]]), return_utilities=True)
    >>> u.round(3).tolist()
    [0.499, 0.279, 0.0]
    """

    _parameter_constraints: dict = {
        "prior": [_NoBool(Real, 0, None, closed="neither")],
        "m_max": [_NoBool(Integral, 1, None, closed="left")],
        "frequencies": [StrOptions({"parzen", "model", "estimator"})],
        "metric": [StrOptions(_KERNELS)],
        "metric_params": [dict, None],
    }
    default_budget_manager = "balanced"

    def __init__(
        self,
        prior=1e-3,
        m_max=2,
        *,
        frequencies="parzen",
        metric="rbf",
        metric_params=None,
    ):
        self.prior = prior
        self.m_max = m_max
        self.frequencies = frequencies
        self.metric = metric
        self.metric_params = metric_params

    def _init_state(self, budget, n_classes):
        if self.frequencies != "estimator":
            _check_metric_params(self.metric, self.metric_params or {})
        return super()._init_state(budget, n_classes)

    @property
    def uses_labeled(self):
        """Whether the learner must keep the labeled samples (not ``"estimator"``).

        Returns
        -------
        bool
            True for ``"parzen"`` and ``"model"``.
        """
        return self.frequencies != "estimator"

    def label_frequencies(self, X, model):
        """The frequencies ``k`` of each sample, (n_samples, n_classes).

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            The samples.
        model : StreamModel
            The learner's model view (probabilities, ``predict_freq``, the
            labeled samples).

        Returns
        -------
        frequencies : ndarray of shape (n_samples, n_classes)
            Non-negative kernel-weighted label counts (zeros before a label).
        """
        if self.frequencies == "estimator":
            return np.asarray(model.predict_freq(X), dtype=float)
        X_labeled, y_labeled = model.labeled()
        n_classes = len(model.classes)
        F = np.zeros((X.shape[0], n_classes))
        if len(y_labeled):
            params = self.metric_params or {}
            K = _kernel(X, X_labeled, self.metric, params)
            F = K @ np.eye(n_classes)[y_labeled]
        if self.frequencies == "model":
            F = F.sum(axis=1, keepdims=True) * model(X)
        return F

    def utilities(self, X, proba):
        F = self.label_frequencies(X, proba)
        if (F < 0).any():
            raise ValueError(
                f"The {self.frequencies!r} label frequencies are negative, so "
                f"metric={self.metric!r} is not a valid Parzen kernel here: use "
                "a non-negative kernel such as 'rbf' or 'laplacian'."
            )
        return expected_cost_reduction(F, prior=self.prior, m_max=self.m_max)
