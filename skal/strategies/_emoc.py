"""Expected model output change for regression (Käding et al. 2016)."""

import numpy as np
from sklearn.utils._param_validation import StrOptions

from ._base import ScoreStrategy
from ._gp_lookahead import gp_lookahead_mean
from ._target_expectation import LOOKAHEAD_CONSTRAINTS, LookAheadMixin

_LOSSES = {
    "squared": lambda old, new: np.mean((new - old) ** 2),
    "absolute": lambda old, new: np.mean(np.abs(new - old)),
}


class ExpectedModelOutputChange(LookAheadMixin, ScoreStrategy):
    """Query the sample whose label would move the predictions most (EMOC).

    Käding, Rodner, Freytag, Mothes, Barz & Denzler (2018) score a
    candidate :math:`x` by how much the model's outputs on the data
    :math:`E` change, in expectation over its unknown target, when the
    model :math:`f` is refit as :math:`f_{x,y}` with :math:`(x, y)` added:

    .. math::

        U(x) = \\mathbb E_{y \\sim \\mathcal N(\\mu(x), \\sigma^2(x))}
               \\Big[\\frac1{|E|} \\sum_{e \\in E}
               L\\big(f(e), f_{x,y}(e)\\big)\\Big],

    with :math:`L` the squared (default) or the absolute difference (the
    paper's :math:`L_1` change). The expectation is a Gauss-Hermite
    quadrature over the model's predictive distribution
    (``predict(X, return_std=True)``: a Gaussian process, ``BayesianRidge``,
    a :class:`skal.CommitteeRegressor`), one refit (``context.refit``) per
    node; :math:`E` is the query's candidates (or ``n_eval`` of them).
    The quadrature is exact for the squared change of a model linear in its
    targets (a Gaussian process, ridge) from two nodes; the absolute change
    is not smooth in :math:`y`, and 5 nodes put :math:`\\mathbb E|t|` of a
    standard normal at 0.666 instead of 0.798.

    ``integration="assume_linear"`` (scikit-activeml's default) refits with
    the one target :math:`y = \\mu(x)` only. For least squares, ridge, a
    Gaussian process or any model whose fit is unchanged by a point lying on
    its own prediction, that change is zero for every candidate and the
    picks are random; it is kept for models where it is not.

    Parameters
    ----------
    loss : {"squared", "absolute"} or callable, default="squared"
        :math:`L`; a callable maps ``(old, new)`` prediction arrays over
        :math:`E` to one number.
    integration : {"gauss_hermite", "assume_linear"}, default="gauss_hermite"
        How the expectation over the unknown target is taken.
    n_integration_points : int, default=5
        Gauss-Hermite nodes (one refit each) per candidate.
    n_eval : int, default=None
        Measure the change on a random subsample of this many of the
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
        A callable ``loss`` always refits.

    See Also
    --------
    skal.strategies.ExpectedModelVarianceReduction : The change of the variance.
    skal.strategies.ExpectedModelChangeMaximization : The change of the weights.

    References
    ----------
    C. Käding, E. Rodner, A. Freytag, O. Mothes, B. Barz and J. Denzler.
    Active learning for regression tasks with expected model output
    change. BMVC 2018. For classification: A. Freytag, E. Rodner and J.
    Denzler. Selecting influential examples: active learning with expected
    model output changes. ECCV 2014.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.base import clone
    >>> from sklearn.linear_model import BayesianRidge
    >>> from skal.strategies import ExpectedModelOutputChange, QueryContext
    >>> X = np.array([[0.0], [1.0], [2.0], [1.5], [8.0]])
    >>> br = BayesianRidge()
    >>> model = clone(br).fit(X[:3], [0.0, 1.1, 1.9])
    >>> mean_std = lambda r: np.column_stack(model.predict(r, return_std=True))
    >>> ctx = QueryContext(
    ...     X, candidates=[3, 4], X_labeled=X[:3], y_labeled=[0.0, 1.1, 1.9],
    ...     signals={"predict": model.predict, "mean_std": mean_std},
    ...     model=model, refit=lambda A, b: clone(br).fit(A, b), random_state=0)
    >>> idx, _ = ExpectedModelOutputChange().select(ctx, 1)
    >>> ctx.candidates[idx].tolist()  # the far point tilts the line
    [4]
    """

    task = "regression"
    required_signals = ("predict_std",)
    _parameter_constraints = {
        **LOOKAHEAD_CONSTRAINTS,
        "loss": [StrOptions(set(_LOSSES)), callable],
    }

    def __init__(
        self,
        loss="squared",
        *,
        integration="gauss_hermite",
        n_integration_points=5,
        n_eval=None,
        max_candidates=100,
        closed_form=True,
    ):
        self.closed_form = closed_form
        self.loss = loss
        self.integration = integration
        self.n_integration_points = n_integration_points
        self.n_eval = n_eval
        self.max_candidates = max_candidates

    def _score(self, context):
        self._check(context)
        evaluation = self._evaluation(context)
        X_eval = evaluation.rows()
        gp = self._exact_gp(context)
        if gp is not None and isinstance(self.loss, str):
            m2, m1 = self._moments()
            if self.loss == "squared":
                term = lambda c, ve, vc, s2: (c / s2) ** 2 * vc * m2  # noqa: E731
            else:
                term = lambda c, ve, vc, s2: np.abs(c) / s2 * np.sqrt(vc) * m1  # noqa: E731
            return gp_lookahead_mean(gp, X_eval, context.rows(), term)
        old = np.asarray(evaluation.predict(), dtype=float).ravel()
        loss = _LOSSES[self.loss] if isinstance(self.loss, str) else self.loss

        def change(model):
            return float(loss(old, np.asarray(model.predict(X_eval), float).ravel()))

        return self.expected_after_refit(context, change)
