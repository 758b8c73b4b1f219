"""Expected model variance reduction for regression (Cohn 1996)."""

import numpy as np

from ._gp_lookahead import gp_lookahead_mean
from ._target_expectation import (
    _STD_FIX,
    LookAheadStrategy,
    mean_std_of,
)


class ExpectedModelVarianceReduction(LookAheadStrategy):
    """Query the sample whose label most reduces the predictive variance (EMVR).

    Cohn (1996) and Cohn, Ghahramani & Jordan (1996) choose the sample that
    minimises the model's expected variance on the data. With
    :math:`\\sigma^2(e)` the predictive variance at an evaluation row
    :math:`e` and :math:`\\sigma^2_{x,y}` that of the model refit on the
    labeled set plus :math:`(x, y)`, the score is the expected reduction

    .. math::

        U(x) = \\frac1{|E|} \\sum_{e \\in E} \\sigma^2(e)
             - \\mathbb E_{y \\sim p(y \\mid x)}
               \\Big[\\frac1{|E|} \\sum_{e \\in E} \\sigma^2_{x,y}(e)\\Big].

    :math:`\\sigma` is the ``predict(X, return_std=True)`` of the learner's
    model (a Gaussian process, ``BayesianRidge``, a
    :class:`skal.CommitteeRegressor`'s spread), each refit is
    ``context.refit``, and :math:`E` is the query's candidates (or
    ``n_eval`` of them). For a Gaussian process with fixed hyperparameters
    :math:`\\sigma^2_{x,y}` does not depend on :math:`y`, so the default
    ``integration="assume_linear"`` (the one target :math:`y = \\mu(x)`)
    is exact; ``"gauss_hermite"`` averages over
    :math:`y \\sim \\mathcal N(\\mu(x), \\sigma^2(x))` for models whose
    variance depends on the targets.

    Parameters
    ----------
    integration : {"assume_linear", "gauss_hermite"}, default="assume_linear"
        How the expectation over the unknown target is taken.
    n_integration_points : int, default=5
        Gauss-Hermite nodes (one refit each) per candidate.
    n_eval : int, default=None
        Evaluate the variance on a random subsample of this many of the
        query's candidates; ``None`` uses them all.
    max_candidates : int, float or None, default=100
        Score a random subsample of the candidates (each costs one refit per
        integration point): this many (int) or this share of them (a float in
        (0, 1), rounded up), never fewer than the batch; ``None`` scores all.
    closed_form : bool, default=True
        For a ``GaussianProcessRegressor`` with fixed hyperparameters
        (``optimizer=None``), ``normalize_y=False`` and a scalar ``alpha``,
        score from the exact rank-one update of the posterior instead of
        refitting: the same scores at the cost of a few ``predict`` passes.

    See Also
    --------
    skal.strategies.StdSampling : The variance at the candidate itself.
    skal.strategies.ExpectedModelOutputChange : The change of the mean.

    References
    ----------
    D. A. Cohn. Neural network exploration using optimal experiment design.
    Neural Networks 9(6), 1996. D. A. Cohn, Z. Ghahramani and M. I. Jordan.
    Active learning with statistical models. JAIR 4, 1996.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.base import clone
    >>> from sklearn.gaussian_process import GaussianProcessRegressor
    >>> from skal.strategies import ExpectedModelVarianceReduction, QueryContext
    >>> X = np.array([[0.0], [1.0], [4.0], [4.2], [9.0]])
    >>> gp = GaussianProcessRegressor(optimizer=None)
    >>> model = clone(gp).fit(X[:2], [0.0, 1.0])
    >>> ctx = QueryContext(
    ...     X, candidates=[2, 3, 4], X_labeled=X[:2], y_labeled=[0.0, 1.0],
    ...     signals={"predict": model.predict,
    ...              "predict_std": lambda r: model.predict(r, return_std=True)[1]},
    ...     model=model, refit=lambda A, b: clone(gp).fit(A, b), random_state=0)
    >>> idx, _ = ExpectedModelVarianceReduction().select(ctx, 1)
    >>> ctx.candidates[idx].tolist()  # x = 4 or 4.2 covers two unknown rows
    [3]
    """

    required_signals = ("predict_std",)

    def _score(self, context):
        self._check(context)
        context.require("predict_std", fix=_STD_FIX)
        evaluation = self._evaluation(context)
        X_eval = evaluation.rows()
        gp = self._exact_gp(context)
        if gp is not None:
            term = lambda c, ve, vc, s2: c**2 / s2  # noqa: E731
            return gp_lookahead_mean(gp, X_eval, context.rows(), term)
        current = np.mean(evaluation.predict_std() ** 2)

        def variance(model):
            return np.mean(mean_std_of(model, X_eval)[1] ** 2)

        return current - self.expected_after_refit(context, variance)
