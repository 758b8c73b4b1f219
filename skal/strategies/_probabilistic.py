"""Multi-class probabilistic active learning, McPAL (Kottke et al. 2016).

Kottke, Krempl, Lang, Teschner & Spiliopoulou, *Multi-Class Probabilistic
Active Learning*, ECAI 2016. The labels near a candidate are summarized by
kernel frequencies ``k`` (a Parzen window); the true class posterior is
unknown, Dirichlet-distributed given them, and the value of a candidate is
the expected drop in misclassification cost per label when ``m`` more labels
arrive there, maximized over ``m``.
"""

from numbers import Integral, Real

import numpy as np
from scipy.special import gammaln
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import _MAX_CANDIDATES, ScoreStrategy
from ._coverage import _METRICS
from ._epistemic import model_frequencies, parzen_frequencies


def _label_vectors(m, n_classes):
    """Every count vector of ``m`` labels over ``n_classes``, (n_vectors, K)."""
    if n_classes == 1:
        return np.array([[m]])
    return np.array(
        [
            [first, *rest]
            for first in range(m, -1, -1)
            for rest in _label_vectors(m - first, n_classes - 1)
        ]
    )


def expected_cost_reduction(frequencies, *, prior=1.0, m_max=1, cost_matrix=None):
    """McPAL's expected cost reduction per label of each sample.

    With ``k`` the frequencies, ``a = k + prior`` the Dirichlet parameters
    of the unknown posterior ``p`` and ``y(k) = argmin_j (k C)_j`` the
    decision, the expected cost after ``m`` more labels ``l`` is

    ``R_m = sum_{|l| = m} E_p[Mult(l | m, p) sum_y p_y C[y, y(k + l)]]``

    ``= sum_{|l| = m} binom(m, l) B(a + l) / B(a) sum_y (a_y + l_y) / (|a| + m)
    C[y, y(k + l)]``,

    and the score is ``max_{1 <= m <= m_max} (R_0 - R_m) / m``.

    Parameters
    ----------
    frequencies : array-like of shape (n_samples, n_classes)
        Non-negative label frequencies ``k`` near each sample.
    prior : float, default=1.0
        Dirichlet prior added to every frequency.
    m_max : int, default=1
        Most hypothetical labels considered.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        ``C[i, j]`` the cost of predicting ``j`` for class ``i``; ``None``
        is ``1 - I`` (the error rate).

    Returns
    -------
    gain : ndarray of shape (n_samples,)
        Expected cost reduction per label.

    Examples
    --------
    >>> from skal.strategies import expected_cost_reduction
    >>> expected_cost_reduction([[0, 0], [1, 1], [2, 1]]).round(4).tolist()
    [0.1667, 0.1, 0.0]
    """
    F = np.asarray(frequencies, dtype=float)
    if F.ndim != 2 or not np.isfinite(F).all() or (F < 0).any():
        raise ValueError(
            "expected_cost_reduction needs finite non-negative frequencies of "
            f"shape (n_samples, n_classes); got shape {F.shape}."
        )
    if isinstance(prior, bool) or not isinstance(prior, Real) or not 0 < prior < np.inf:
        raise ValueError(f"prior must be a finite number > 0, got {prior!r}.")
    if isinstance(m_max, bool) or not isinstance(m_max, Integral) or m_max < 1:
        raise ValueError(f"m_max must be an int >= 1, got {m_max!r}.")
    n_classes = F.shape[1]
    C = 1 - np.eye(n_classes) if cost_matrix is None else np.asarray(cost_matrix)
    if C.shape != (n_classes, n_classes) or C.dtype.kind not in "biuf":
        raise ValueError(
            f"cost_matrix must be a ({n_classes}, {n_classes}) array of numbers, "
            f"a row and a column per class; got shape {C.shape}, dtype {C.dtype}."
        )
    if not np.isfinite(C).all() or (C < 0).any():
        raise ValueError("cost_matrix must hold finite non-negative costs.")
    A = F + prior
    A_sum = A.sum(axis=1)
    risks = np.zeros((F.shape[0], m_max + 1))
    for m in range(m_max + 1):
        for lv in _label_vectors(m, n_classes):
            decision = np.argmin((F + lv) @ C, axis=1)
            log_coef = (
                gammaln(m + 1)
                - gammaln(lv + 1).sum()
                + (gammaln(A + lv) - gammaln(A)).sum(axis=1)
                + gammaln(A_sum)
                - gammaln(A_sum + m + 1)
            )
            cost = np.einsum("ny,ny->n", A + lv, C[:, decision].T)
            risks[:, m] += np.exp(log_coef) * cost
    gains = (risks[:, :1] - risks[:, 1:]) / np.arange(1, m_max + 1)
    return gains.max(axis=1)


class ProbabilisticAL(ScoreStrategy):
    """Query where more labels most reduce the expected cost: McPAL.

    Multi-class probabilistic active learning (Kottke et al. 2016) scores a
    candidate by :func:`expected_cost_reduction` of its label frequencies:
    the expected drop in misclassification cost per label if ``m <= m_max``
    labels arrived at it, the unknown posterior being Dirichlet with
    parameters ``k + prior``. It prefers samples with few labels nearby
    (high epistemic uncertainty) and a balanced neighbourhood.

    The frequencies ``k`` are those of a Parzen window on the embedding,
    ``k_c(x) = sum_{l: y_l = c} k(x, x_l)`` (``frequencies="parzen"``, as
    scikit-activeml with a ``ParzenWindowClassifier``), or the total
    kernel count times the model's probabilities,
    ``k(x) = sum_l k(x, x_l) p(y | x)`` (``frequencies="model"``, any
    probabilistic classifier), or the model's own ``predict_freq``
    (``frequencies="predict_freq"``, e.g. a
    :class:`~skal.estimators.ParzenWindowClassifier`: scikit-activeml's
    default, ``metric=None``).

    Parameters
    ----------
    prior : float, default=1.0
        Dirichlet prior added to every class frequency.
    m_max : int, default=1
        Most hypothetical labels ``m``.
    frequencies : {"parzen", "model", "predict_freq"}, default="parzen"
        Where the class frequencies come from; with ``"predict_freq"``,
        ``metric`` and ``metric_params`` are unused (the model's kernel
        counts).
    metric : str, default="rbf"
        Kernel of :func:`sklearn.metrics.pairwise.pairwise_kernels`.
    metric_params : dict, default=None
        Its parameters, e.g. ``{"gamma": 0.5}``.
    cost_matrix : array-like of shape (n_classes, n_classes), default=None
        Misclassification costs; ``None`` is ``1 - I``.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import ProbabilisticAL, QueryContext
    >>> X_lab = np.array([[0.0], [0.0], [0.1], [3.0]])
    >>> ctx = QueryContext(np.array([[0.0], [1.5], [3.0]]), classes=[0, 1],
    ...                    X_labeled=X_lab, y_labeled=[0, 0, 0, 1])
    >>> ProbabilisticAL().select(ctx, 1)[0].tolist()  # between, little evidence
    [1]
    """

    requires_labels = True  # the classes of the labeled rows
    task = "classification"
    _parameter_constraints = {
        "prior": [Interval(Real, 0, None, closed="neither")],
        "m_max": [Interval(Integral, 1, None, closed="left")],
        "frequencies": [StrOptions({"parzen", "model", "predict_freq"})],
        "metric": [StrOptions(_METRICS)],
        "metric_params": [dict, None],
        "cost_matrix": ["array-like", None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        prior=1.0,
        m_max=1,
        *,
        frequencies="parzen",
        metric="rbf",
        metric_params=None,
        cost_matrix=None,
        max_candidates=None,
    ):
        self.prior = prior
        self.m_max = m_max
        self.frequencies = frequencies
        self.metric = metric
        self.metric_params = metric_params
        self.cost_matrix = cost_matrix
        self.max_candidates = max_candidates

    @property
    def requires_model(self):
        """Tell whether a fitted model is needed: for its ``predict_freq``.

        Returns
        -------
        requires_model : bool
            True for ``frequencies="predict_freq"`` (then, until a second
            class is labeled, a learner queries at random, as for any
            strategy that needs a model).
        """
        return self.frequencies == "predict_freq"

    def label_frequencies(self, context):
        """The frequencies ``k`` of each candidate, (n_candidates, n_classes).

        Parameters
        ----------
        context : QueryContext
            The candidates, the labeled set and (``"model"``) the model.

        Returns
        -------
        frequencies : ndarray of shape (n_candidates, n_classes)
            Non-negative kernel-weighted class counts.
        """
        if context.classes is None:
            raise ValueError("ProbabilisticAL needs the classes of a classifier.")
        if self.frequencies == "predict_freq":
            return model_frequencies(context, "ProbabilisticAL")
        F = parzen_frequencies(context, self.metric, self.metric_params)
        if self.frequencies == "model":
            F = F.sum(axis=1, keepdims=True) * context.proba()
        return F

    def _score(self, context):
        F = self.label_frequencies(context)
        C = self.cost_matrix
        if C is not None and np.shape(C) != (F.shape[1], F.shape[1]):
            raise ValueError(
                f"cost_matrix must have shape ({F.shape[1]}, {F.shape[1]}) for "
                f"the {F.shape[1]} classes, got {np.shape(C)}."
            )
        return expected_cost_reduction(
            F, prior=self.prior, m_max=self.m_max, cost_matrix=C
        )
