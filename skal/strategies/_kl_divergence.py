"""KL-divergence maximization for regression (Elreedy, Atiya & Shaheen 2019)."""

import numpy as np

from ._gp_lookahead import gp_lookahead_mean
from ._target_expectation import (
    _STD_FIX,
    LookAheadStrategy,
    mean_std_of,
)

_MIN_STD = 1e-12


def gaussian_kl(mean_p, std_p, mean_q, std_q):
    """Return the KL divergence :math:`\\mathrm{KL}(p \\,\\|\\, q)` of two Gaussians.

    Parameters
    ----------
    mean_p, std_p : array-like
        Mean and standard deviation of :math:`p`.
    mean_q, std_q : array-like
        Mean and standard deviation of :math:`q`; standard deviations are
        floored at 1e-12.

    Returns
    -------
    kl : ndarray
        :math:`\\log(\\sigma_q/\\sigma_p) + (\\sigma_p^2 + (\\mu_p - \\mu_q)^2)
        / (2\\sigma_q^2) - 1/2`, elementwise.

    Examples
    --------
    >>> from skal.strategies._kl_divergence import gaussian_kl
    >>> float(gaussian_kl(1.0, 1.0, 0.0, 1.0))  # a shift of one std
    0.5
    """
    std_p = np.maximum(np.asarray(std_p, dtype=float), _MIN_STD)
    std_q = np.maximum(np.asarray(std_q, dtype=float), _MIN_STD)
    gap = np.asarray(mean_p, dtype=float) - np.asarray(mean_q, dtype=float)
    return np.log(std_q / std_p) + (std_p**2 + gap**2) / (2 * std_q**2) - 0.5


class KLDivergenceMaximization(LookAheadStrategy):
    """Query the sample whose label would most change the predictive law.

    Elreedy, Atiya & Shaheen (2019) measure the information a label
    :math:`y` of :math:`x` brings by the Kullback-Leibler divergence from the
    current predictive distribution :math:`p(\\cdot \\mid e)` to that of the
    model refit with :math:`(x, y)`, :math:`p_{x,y}(\\cdot \\mid e)`, over
    the data :math:`E`, in expectation over the unknown target:

    .. math::

        U(x) = \\mathbb E_{y} \\Big[\\frac1{|E|} \\sum_{e \\in E}
               \\mathrm{KL}\\big(p_{x,y}(\\cdot \\mid e) \\,\\|\\,
               p(\\cdot \\mid e)\\big)\\Big].

    Both are the Gaussians :math:`\\mathcal N(\\mu, \\sigma^2)` of
    ``predict(X, return_std=True)`` (a Gaussian process, ``BayesianRidge``,
    a :class:`skal.CommitteeRegressor`), so the divergence is in closed
    form. A label shrinks the variance near :math:`x` (exploration) and
    moves the mean (exploitation, the term
    :math:`(\\mu_{x,y} - \\mu)^2 / 2\\sigma^2`). The default
    ``integration="assume_linear"`` (one refit per candidate, at
    :math:`y = \\mu(x)`; scikit-activeml's default too) keeps only the
    variance term for models whose mean does not move then, such as a
    Gaussian process; ``"gauss_hermite"`` averages over
    :math:`y \\sim \\mathcal N(\\mu(x), \\sigma^2(x))` and keeps both.

    Parameters
    ----------
    integration : {"assume_linear", "gauss_hermite"}, default="assume_linear"
        How the expectation over the unknown target is taken.
    n_integration_points : int, default=5
        Gauss-Hermite nodes (one refit each) per candidate.
    n_eval : int, default=None
        Measure the divergence on a random subsample of this many of the
        query's candidates; ``None`` uses them all.
    max_candidates : int, float or None, default=100
        Score a random subsample of the candidates: this many (int) or this
        share of them (a float in (0, 1), rounded up), never fewer than the
        batch; ``None`` scores all.
    closed_form : bool, default=True
        For a ``GaussianProcessRegressor`` with fixed hyperparameters
        (``optimizer=None``), ``normalize_y=False`` and a scalar ``alpha``,
        score from the exact rank-one update of the posterior instead of
        refitting: the same scores at the cost of a few ``predict`` passes.

    See Also
    --------
    skal.strategies.ExpectedModelVarianceReduction : The variance term alone.
    skal.strategies.ExpectedModelOutputChange : The mean term alone.

    References
    ----------
    D. Elreedy, A. F. Atiya and S. I. Shaheen. A novel active learning
    regression framework for balancing the exploration-exploitation
    trade-off. Entropy 21(7), 651, 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.base import clone
    >>> from sklearn.gaussian_process import GaussianProcessRegressor
    >>> from skal.strategies import KLDivergenceMaximization, QueryContext
    >>> X = np.array([[0.0], [1.0], [4.0], [4.2], [9.0]])
    >>> gp = GaussianProcessRegressor(optimizer=None)
    >>> model = clone(gp).fit(X[:2], [0.0, 1.0])
    >>> mean_std = lambda r: np.column_stack(model.predict(r, return_std=True))
    >>> ctx = QueryContext(
    ...     X, candidates=[2, 3, 4], X_labeled=X[:2], y_labeled=[0.0, 1.0],
    ...     signals={"predict": model.predict, "mean_std": mean_std},
    ...     model=model, refit=lambda A, b: clone(gp).fit(A, b), random_state=0)
    >>> idx, _ = KLDivergenceMaximization().select(ctx, 1)
    >>> ctx.candidates[idx].tolist()
    [3]
    """

    required_signals = ("predict_std",)

    def _score(self, context):
        self._check(context)
        context.require("mean_std", fix=_STD_FIX)
        evaluation = self._evaluation(context)
        X_eval = evaluation.rows()
        gp = self._exact_gp(context)
        if gp is not None:
            m2 = self._moments()[0]

            def term(c, var_e, var_c, s2):
                new_var = np.maximum(var_e - c**2 / s2, 0.0)
                gap = np.abs(c) / s2 * np.sqrt(var_c * m2)
                return gaussian_kl(gap, np.sqrt(new_var), 0.0, np.sqrt(var_e))

            return gp_lookahead_mean(gp, X_eval, context.rows(), term)
        mean, std = evaluation.predict_mean_std()

        def divergence(model):
            new_mean, new_std = mean_std_of(model, X_eval)
            return np.mean(gaussian_kl(new_mean, new_std, mean, std))

        return self.expected_after_refit(context, divergence)
