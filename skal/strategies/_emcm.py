"""Expected model change maximization for regression (Cai, Zhang & Zhou 2013)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval

from ..utils import take_rows
from ._base import _MAX_CANDIDATES, ScoreStrategy, ceil_product


def _check_regressor(strategy, context):
    """Raise the one error of a regression strategy handed a classifier."""
    if context.is_classifier:
        raise TypeError(
            f"{type(strategy).__name__} is a regression strategy, but the model "
            "is a classifier; use 'egl' (ExpectedGradientLength) or 'eer' "
            "(ExpectedErrorReduction) for classifiers."
        )


class ExpectedModelChangeMaximization(ScoreStrategy):
    """Query the sample whose label would change a linear model most (EMCM).

    Cai, Zhang & Zhou (2013) measure the change a label :math:`y` of
    :math:`x` makes to a linear model :math:`f(x) = \\theta^\\top \\phi(x)`
    trained on the squared loss by the length of the loss gradient,
    :math:`\\lVert (f(x) - y)\\, \\phi(x) \\rVert`. The unknown :math:`y` is
    replaced by the predictions of :math:`K` models fitted on bootstrap
    samples of the labeled set, so the score is

    .. math::

        U(x) = \\frac1K \\sum_{k=1}^{K}
               \\lvert f(x) - f_k(x) \\rvert \\, \\lVert \\phi(x) \\rVert.

    The bootstrap models are refits of the learner's own model
    (``context.refit``) on labeled rows drawn with replacement; :math:`f` is
    the fitted model's ``predict``. :math:`\\phi(x)` is the context's
    ``embedding`` (after a ``Pipeline``'s transform steps: the inputs of its
    final linear step), or ``feature_map`` of the candidate rows.

    Parameters
    ----------
    n_bootstraps : int, default=3
        Number :math:`K` of bootstrap models.
    max_samples : float, default=1.0
        Size of each bootstrap sample as a fraction of the labeled rows
        (rounded up; at least one row).
    ord : float, default=2
        Order of the norm of :math:`\\phi(x)` (``numpy.linalg.norm``;
        ``numpy.inf`` for the max norm).
    feature_map : callable, default=None
        Maps candidate rows to the gradient features :math:`\\phi(x)`, e.g.
        ``PolynomialFeatures(2).fit_transform``; ``None`` uses the
        embedding.
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.ExpectedGradientLength : The same idea for classifiers.
    skal.strategies.StdSampling : The spread of a committee alone.

    References
    ----------
    W. Cai, Y. Zhang and J. Zhou. Maximizing expected model change for
    active learning in regression. IEEE ICDM 2013, 51-60.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.base import clone
    >>> from sklearn.linear_model import LinearRegression
    >>> from skal.strategies import ExpectedModelChangeMaximization, QueryContext
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0], [10.0]])
    >>> y = np.array([0.0, 1.2, 1.8, 3.1, 9.0])
    >>> lr = LinearRegression()
    >>> model = clone(lr).fit(X[:4], y[:4])
    >>> ctx = QueryContext(X, candidates=[4], signals={"predict": model.predict},
    ...                    X_labeled=X[:4], y_labeled=y[:4], model=model,
    ...                    refit=lambda X, y: clone(lr).fit(X, y), random_state=0)
    >>> idx, scores = ExpectedModelChangeMaximization().select(ctx, 1)
    >>> bool(scores[0] > 0)
    True
    """

    task = "regression"

    _parameter_constraints = {
        "n_bootstraps": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [Interval(Real, 0, 1, closed="right")],
        "ord": [Interval(Real, 0, None, closed="neither")],
        "feature_map": [callable, None],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(
        self,
        n_bootstraps=3,
        *,
        max_samples=1.0,
        ord=2,
        feature_map=None,
        max_candidates=None,
    ):
        self.n_bootstraps = n_bootstraps
        self.max_samples = max_samples
        self.ord = ord
        self.feature_map = feature_map
        self.max_candidates = max_candidates

    def bootstrap_models(self, context):
        """Fit the :math:`K` bootstrap models on the context's labeled rows.

        Parameters
        ----------
        context : QueryContext
            The query; its ``refit`` fits each model.

        Returns
        -------
        models : list of estimator
            ``n_bootstraps`` fitted models.
        """
        n = context.n_labeled
        if n == 0:
            raise ValueError(
                f"{type(self).__name__} needs labeled rows to bootstrap; start "
                "with initial_strategy='random' or 'gsx'."
            )
        size = max(1, ceil_product(self.max_samples, n))
        rng = context.random_state
        models = []
        for _ in range(self.n_bootstraps):
            rows = rng.randint(0, n, size=size)
            models.append(
                context.refit(
                    take_rows(context.X_labeled, rows),
                    np.asarray(context.y_labeled)[rows],
                )
            )
        return models

    def _score(self, context):
        _check_regressor(self, context)
        models = self.bootstrap_models(context)
        X = context.rows()
        f = np.asarray(context.predict(), dtype=float).reshape(-1)
        spread = np.mean(
            [
                np.abs(np.asarray(m.predict(X), dtype=float).reshape(-1) - f)
                for m in models
            ],
            axis=0,
        )
        if self.feature_map is None:
            phi = context.embedding()
        else:
            phi = np.asarray(self.feature_map(X), dtype=float)
            if phi.ndim != 2 or phi.shape[0] != context.n_candidates:
                raise ValueError(
                    f"feature_map must return one row per sample, shape "
                    f"({context.n_candidates}, n_features); got {phi.shape}."
                )
        return spread * np.linalg.norm(phi, ord=self.ord, axis=1)
