"""Active learning for regression: predictive spread and greedy sampling."""

import inspect

import numpy as np
from sklearn.base import is_regressor
from sklearn.metrics import pairwise_distances_argmin_min, pairwise_distances_chunked
from sklearn.pipeline import Pipeline
from sklearn.utils.extmath import row_norms, safe_sparse_dot

from ..utils import score_in_chunks, take_rows
from ._base import BaseStrategy, ScoreStrategy, require_signal
from ._embedding import get_embedding
from ._selection import select_top_k


def _has_return_std(estimator):
    final = estimator[-1] if isinstance(estimator, Pipeline) else estimator
    try:
        return "return_std" in inspect.signature(final.predict).parameters
    except (AttributeError, TypeError, ValueError):
        return False


class StdSampling(ScoreStrategy):
    """Query the samples whose prediction is most uncertain: largest std.

    The standard deviation comes from the learner's ``predict_std`` (a
    :class:`skal.CommitteeRegressor`: the members' spread; Burbidge et al.
    2007) or from a regressor whose ``predict`` accepts ``return_std=True``
    (``GaussianProcessRegressor``, ``BayesianRidge``, ``ARDRegression``,
    also at the end of a ``Pipeline``), whose posterior std is largest far
    from the training data (MacKay 1992; Cohn, Ghahramani & Jordan 1996).

    Parameters
    ----------
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.GreedySampling : Needs no predictive uncertainty.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.gaussian_process import GaussianProcessRegressor
    >>> from skal import ActiveLearner
    >>> X = np.linspace(0, 10, 11).reshape(-1, 1)
    >>> y = np.full(11, np.nan); y[:3] = [0.0, 1.0, 2.0]
    >>> learner = ActiveLearner(GaussianProcessRegressor(), query_strategy="std",
    ...                         missing_label=np.nan).fit(X, y)
    >>> learner.query().tolist()  # x = 10, the farthest from the labels
    [10]
    """

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _scorer(self, learner):
        if hasattr(learner, "predict_std"):
            return learner.predict_std
        estimator = getattr(learner, "estimator_", None)
        if estimator is not None and _has_return_std(estimator):
            return lambda X: estimator.predict(X, return_std=True)[1]
        require_signal(
            learner,
            "predict_std",
            self,
            fix=(
                "Use a regressor whose predict accepts return_std=True "
                "(GaussianProcessRegressor, BayesianRidge) or a "
                "skal.CommitteeRegressor, or a strategy that needs no predictive "
                "std: 'gsx', 'gsy', 'igs' (GreedySampling)."
            ),
        )


def _nearest_gap(values, sorted_ref):
    """Return ``min_m |values - ref_m|`` with a binary search per value."""
    pos = np.searchsorted(sorted_ref, values)
    left = sorted_ref[np.clip(pos - 1, 0, sorted_ref.shape[0] - 1)]
    right = sorted_ref[np.clip(pos, 0, sorted_ref.shape[0] - 1)]
    return np.minimum(np.abs(values - left), np.abs(values - right))


_SPACES = {"x": "GSx", "y": "GSy", "xy": "iGS"}


class GreedySampling(BaseStrategy):
    """Greedy sampling for regression: query the sample farthest from the labels.

    Wu, Lin & Huang (2019) choose, one at a time, the pool sample whose
    smallest distance to the labeled samples is largest, measured in

    - input space (GSx): ``d(n) = min_m ||x_n - x_m||``;
    - output space (GSy): ``d(n) = min_m |f(x_n) - y_m|``, with ``f`` the
      model's prediction;
    - both (iGS): ``d(n) = min_m ||x_n - x_m|| |f(x_n) - y_m|``.

    After each pick the chosen sample joins the reference set (with its
    prediction as its output), so a batch spreads out. The state is one
    distance per pool sample, updated in O(n) per pick. Distances are taken
    after a ``Pipeline``'s transform steps (e.g. a scaler), else on ``X``.
    With no labels yet, GSx starts, as in the paper, from the sample closest
    to the pool's centroid (its score is NaN), so ``initial_strategy="gsx"``
    works in simulation.

    Parameters
    ----------
    space : {"x", "y", "xy"}, default="x"
        GSx, GSy or iGS. ``"y"`` and ``"xy"`` need a regressor.
    max_candidates : int, default=None
        Consider only a random subsample of this many pool samples.

    See Also
    --------
    skal.strategies.StdSampling : Query by predictive standard deviation.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skal import ActiveLearner
    >>> from skal.strategies import GreedySampling
    >>> X = np.array([[0.0], [1.0], [2.0], [6.0], [9.0]])
    >>> y = np.array([0.0, 1.0, np.nan, np.nan, np.nan])
    >>> learner = ActiveLearner(Ridge(), query_strategy=GreedySampling("x"),
    ...                         missing_label=np.nan).fit(X, y)
    >>> learner.query(batch_size=2).tolist()  # 9 is farthest, then 6
    [4, 3]
    """

    def __init__(self, space="x", *, max_candidates=None):
        self.space = space
        self.max_candidates = max_candidates

    @property
    def needs_model(self):
        """Tell whether a fitted model is needed: only GSx starts from no labels.

        Returns
        -------
        needs_model : bool
            False for ``space="x"``.
        """
        return self.space != "x"

    def _query(self, learner, X_pool, batch_size, rng):
        if self.space not in _SPACES:
            raise ValueError(
                f"space must be 'x' (GSx), 'y' (GSy) or 'xy' (iGS), got {self.space!r}."
            )
        use_x, use_y = "x" in self.space, "y" in self.space
        mask = getattr(learner, "labeled_mask_", None)
        cold = mask is None or not np.any(mask)
        if cold and use_y:
            raise ValueError(
                f"{self!r} ({_SPACES[self.space]}) needs a fitted regressor and "
                "labeled targets; to start from no labels use "
                "initial_strategy='gsx' (Wu et al.'s initialisation)."
            )
        if use_y and not is_regressor(learner):
            raise TypeError(
                f"{self!r} ({_SPACES[self.space]}) measures distances between "
                "predicted and labeled targets, so it needs a regressor; use "
                "GreedySampling('x') (GSx) for a classifier."
            )
        if use_x:
            Z = get_embedding(learner, X_pool)
            sq_norms = row_norms(Z, squared=True)
        if use_y:
            f = score_in_chunks(
                learner.predict, X_pool, n_jobs=getattr(learner, "n_jobs", None)
            ).astype(float)
            y_lab = np.asarray(learner.y_[mask], dtype=float)
        chosen, scores = [], []
        if cold:
            # Wu et al.: the first sample is the one closest to the pool's centroid.
            centre = np.asarray(Z.mean(axis=0)).reshape(1, -1)
            j = int(pairwise_distances_argmin_min(centre, Z)[0][0])
            chosen.append(j)
            scores.append(np.nan)
            dist = np.full(Z.shape[0], np.inf)
        elif self.space == "x":
            Z_lab = get_embedding(learner, take_rows(learner.X_, mask))
            dist = pairwise_distances_argmin_min(Z, Z_lab)[1]
        elif self.space == "y":
            dist = _nearest_gap(f, np.sort(y_lab))
        else:
            parts = pairwise_distances_chunked(
                Z,
                get_embedding(learner, take_rows(learner.X_, mask)),
                reduce_func=lambda D, start: (
                    D * np.abs(f[start : start + D.shape[0], None] - y_lab)
                ).min(axis=1),
            )
            dist = np.concatenate(list(parts))
        dist = np.asarray(dist, dtype=float)
        while True:
            if chosen:
                j = chosen[-1]
                new = np.ones_like(dist)
                if use_x:
                    cross = safe_sparse_dot(Z, Z[j].T, dense_output=True)
                    gap = sq_norms - 2.0 * np.asarray(cross).ravel() + sq_norms[j]
                    new *= np.sqrt(np.maximum(gap, 0.0))
                if use_y:
                    new *= np.abs(f - f[j])
                np.minimum(dist, new, out=dist)
                dist[chosen] = -np.inf
            if len(chosen) == batch_size:
                break
            j = select_top_k(dist, 1, rng)[0]
            chosen.append(j)
            scores.append(dist[j])
        return np.asarray(chosen, dtype=np.intp), np.asarray(scores)
