"""Expectations over a candidate's unknown target, each point a refit.

The regression strategies that look one label ahead (expected model
variance reduction, expected model output change, KL-divergence
maximization) share one computation: for a candidate :math:`x` and a
possible target :math:`y`, refit the model on the labeled set plus
:math:`(x, y)`, measure something of the new model on evaluation rows, and
average over :math:`y \\sim \\mathcal N(\\mu(x), \\sigma^2(x))`, the
model's own predictive distribution. This module holds that loop.
"""

from numbers import Integral

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from scipy.special import roots_hermitenorm
from sklearn.utils._param_validation import Interval, StrOptions
from threadpoolctl import threadpool_limits

from ..utils import concat_rows, take_rows
from ._base import _MAX_CANDIDATES, ScoreStrategy
from ._emcm import _check_regressor
from ._gp_lookahead import exact_gp, node_moments

#: The constraints every look-ahead regression strategy shares.
LOOKAHEAD_CONSTRAINTS = {
    "integration": [StrOptions({"assume_linear", "gauss_hermite"})],
    "n_integration_points": [Interval(Integral, 1, None, closed="left")],
    "n_eval": [Interval(Integral, 1, None, closed="left"), None],
    "max_candidates": _MAX_CANDIDATES,
    "closed_form": ["boolean"],
}

_STD_FIX = (
    "Use a regressor whose predict accepts return_std=True "
    "(GaussianProcessRegressor, BayesianRidge) or a skal.CommitteeRegressor."
)


def target_points(mean, std, integration, n_points):
    """Integration points and weights of :math:`y \\sim N(\\mu, \\sigma^2)`.

    Parameters
    ----------
    mean : ndarray of shape (n,)
        Predictive means.
    std : ndarray of shape (n,) or None
        Predictive standard deviations (unused by ``"assume_linear"``).
    integration : {"assume_linear", "gauss_hermite"}
        ``"assume_linear"`` takes the one point :math:`y = \\mu`;
        ``"gauss_hermite"`` the ``n_points`` Gauss-Hermite nodes.
    n_points : int
        Number of Gauss-Hermite nodes.

    Returns
    -------
    y : ndarray of shape (n, n_nodes)
        The targets to refit with.
    weights : ndarray of shape (n_nodes,)
        Weights summing to one.

    Examples
    --------
    >>> from skal.strategies._target_expectation import target_points
    >>> y, w = target_points([0.0], [2.0], "gauss_hermite", 3)
    >>> y.round(4).tolist(), w.round(4).tolist()
    ([[-3.4641, 0.0, 3.4641]], [0.1667, 0.6667, 0.1667])
    """
    mean = np.asarray(mean, dtype=float).reshape(-1, 1)
    if integration == "assume_linear":
        return mean, np.ones(1)
    nodes, weights = roots_hermitenorm(n_points)
    std = np.asarray(std, dtype=float).reshape(-1, 1)
    return mean + std * nodes, weights / weights.sum()


class LookAheadMixin:
    """The shared loop of the strategies that refit on one more label."""

    def _evaluation(self, context):
        """The evaluation rows' context: the query's candidates, or a subsample."""
        full = context.root
        if self.n_eval is not None and full.n_candidates > self.n_eval:
            rng = context.random_state
            local = rng.choice(full.n_candidates, self.n_eval, replace=False)
            return full.subset(np.sort(local))
        return full

    def _check(self, context):
        _check_regressor(self, context)
        if context.n_labeled == 0 or not context.fitted:
            raise ValueError(
                f"{type(self).__name__} refits the model with one more label, so "
                "it needs a fitted model; start with initial_strategy='random' "
                "or 'gsx'."
            )

    def _exact_gp(self, context):
        """The fitted GP when ``closed_form`` applies to it, else ``None``."""
        return exact_gp(context.model) if self.closed_form else None

    def _moments(self):
        """:math:`\\mathbb E t^2`, :math:`\\mathbb E|t|` of the integration nodes."""
        return node_moments(target_points, self.integration, self.n_integration_points)

    def _targets(self, context):
        """Candidate targets and weights from the model's predictive law."""
        if self.integration == "assume_linear":
            return target_points(context.predict(), None, "assume_linear", 1)
        context.require("mean_std", fix=_STD_FIX)
        mean, std = context.predict_mean_std()
        return target_points(mean, std, "gauss_hermite", self.n_integration_points)

    def expected_after_refit(self, context, measure):
        """Average ``measure(new_model)`` over each candidate's targets.

        Parameters
        ----------
        context : QueryContext
            The query; its ``refit`` fits each new model.
        measure : callable
            Maps a model refit on the labeled set plus one candidate to a
            number.

        Returns
        -------
        expected : ndarray of shape (n_candidates,)
            The weighted mean of ``measure`` over each candidate's targets.
        """
        y_points, weights = self._targets(context)
        X_lab, y_lab = context.X_labeled, np.asarray(context.y_labeled, dtype=float)
        rows = context.rows()
        n = context.n_candidates
        n_chunks = min(effective_n_jobs(context.n_jobs), n)
        chunks = np.array_split(np.arange(n), n_chunks)
        # Many small fits: BLAS threads only add contention; n_jobs parallelises.
        with threadpool_limits(limits=1):
            parts = Parallel(n_jobs=n_chunks)(
                delayed(_expected_chunk)(
                    context.refit,
                    measure,
                    X_lab,
                    y_lab,
                    take_rows(rows, chunk),
                    y_points[chunk],
                    weights,
                )
                for chunk in chunks
            )
        return np.concatenate(parts)


class LookAheadStrategy(LookAheadMixin, ScoreStrategy):
    """A look-ahead score strategy with the shared parameters (see subclasses)."""

    task = "regression"
    _parameter_constraints = dict(LOOKAHEAD_CONSTRAINTS)

    def __init__(
        self,
        integration="assume_linear",
        *,
        n_integration_points=5,
        n_eval=None,
        max_candidates=100,
        closed_form=True,
    ):
        self.integration = integration
        self.n_integration_points = n_integration_points
        self.n_eval = n_eval
        self.max_candidates = max_candidates
        self.closed_form = closed_form


def _expected_chunk(refit, measure, X_lab, y_lab, rows, y_points, weights):
    """The weighted mean of ``measure`` over the targets of a chunk of candidates."""
    expected = np.zeros(y_points.shape[0])
    for i in range(y_points.shape[0]):
        X_new = concat_rows(X_lab, take_rows(rows, [i]))
        for y_i, w in zip(y_points[i], weights):
            expected[i] += w * measure(refit(X_new, np.append(y_lab, y_i)))
    return expected


def mean_std_of(model, X):
    """Predictive mean and std of a refit ``model`` on ``X``, as float arrays."""
    mean, std = model.predict(X, return_std=True)
    return np.asarray(mean, dtype=float).ravel(), np.asarray(std, dtype=float).ravel()
