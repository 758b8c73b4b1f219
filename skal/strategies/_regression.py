"""Active learning for regression: predictive spread and greedy sampling."""

import numpy as np
from sklearn.metrics import pairwise_distances_argmin_min, pairwise_distances_chunked
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.extmath import row_norms, safe_sparse_dot

from ._base import _MAX_CANDIDATES, BaseStrategy
from ._row_scores import RowScoreStrategy
from ._selection import select_top_k


class StdSampling(RowScoreStrategy):
    """Query the samples whose prediction is most uncertain: largest std.

    The standard deviation is the context's ``predict_std`` signal: a
    :class:`skal.CommitteeRegressor`'s members' spread (Burbidge et al.
    2007), or the posterior std of a regressor whose ``predict`` accepts
    ``return_std=True`` (``GaussianProcessRegressor``, ``BayesianRidge``,
    ``ARDRegression``), largest far from the training data (MacKay 1992;
    Cohn, Ghahramani & Jordan 1996). It is read chunk by chunk. A
    classifier has no predictive std: use an uncertainty or committee
    strategy instead.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool samples: this many (int) or
        this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.GreedySampling : Needs no predictive uncertainty.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.gaussian_process import GaussianProcessRegressor
    >>> from skal.strategies import QueryContext, StdSampling
    >>> X = np.linspace(0, 10, 11).reshape(-1, 1)
    >>> gp = GaussianProcessRegressor().fit(X[:3], [0.0, 1.0, 2.0])
    >>> std = lambda rows: gp.predict(rows, return_std=True)[1]
    >>> ctx = QueryContext(X, candidates=np.arange(3, 11),
    ...                    signals={"predict_std": std}, random_state=0)
    >>> idx, _ = StdSampling().select(ctx, 1)
    >>> ctx.candidates[idx].tolist()  # x = 10, the farthest from the labels
    [10]
    """

    task = "regression"
    required_signals = ("predict_std",)

    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _score(self, context):
        if context.is_classifier:
            raise TypeError(
                f"{self!r} queries by the spread of a regressor's predictions, "
                "but the model is a classifier; use 'entropy' "
                "(UncertaintySampling) or, for a committee, 'qbc'."
            )
        return context.map(
            "predict_std",
            lambda std: np.asarray(std, dtype=float),
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
    in the context's ``embedding`` (after a ``Pipeline``'s transform steps,
    e.g. a scaler, else on ``X``); GSy and iGS read ``predict`` chunk by
    chunk and the labeled targets ``y_labeled``.
    With no labels yet, GSx starts, as in the paper, from the sample closest
    to the pool's centroid (its score is NaN), so ``initial_strategy="gsx"``
    works in simulation.

    Parameters
    ----------
    space : {"x", "y", "xy"}, default="x"
        GSx, GSy or iGS. ``"y"`` and ``"xy"`` need a regressor.
    max_candidates : int, float or None, default=None
        Consider only a random subsample of the pool samples: this many (int)
        or this share of them (a float in (0, 1), rounded up), never fewer than
        the batch.

    See Also
    --------
    skal.strategies.StdSampling : Query by predictive standard deviation.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import GreedySampling, QueryContext
    >>> X = np.array([[0.0], [1.0], [2.0], [6.0], [9.0]])
    >>> ctx = QueryContext(X, candidates=[2, 3, 4], X_labeled=X[:2],
    ...                    y_labeled=[0.0, 1.0], random_state=0)
    >>> idx, scores = GreedySampling("x").select(ctx, 2)
    >>> ctx.candidates[idx].tolist(), scores.tolist()  # 9 is farthest, then 6
    ([4, 3], [8.0, 3.0])
    """

    _parameter_constraints = {
        "space": [StrOptions(set(_SPACES))],
        "max_candidates": _MAX_CANDIDATES,
    }

    def __init__(self, space="x", *, max_candidates=None):
        self.space = space
        self.max_candidates = max_candidates

    @property
    def requires_model(self):
        """Tell whether a fitted model is needed: only GSx starts from no labels.

        Returns
        -------
        requires_model : bool
            False for ``space="x"``.
        """
        return self.space != "x"

    def _select(self, context, batch_size):
        rng = context.random_state
        use_x, use_y = "x" in self.space, "y" in self.space
        cold = context.n_labeled == 0
        if cold and use_y:
            raise ValueError(
                f"{self!r} ({_SPACES[self.space]}) needs a fitted regressor and "
                "labeled targets; to start from no labels use "
                "initial_strategy='gsx' (Wu et al.'s initialisation)."
            )
        if use_y and context.is_classifier:
            raise TypeError(
                f"{self!r} ({_SPACES[self.space]}) measures distances between "
                "predicted and labeled targets, so it needs a regressor; use "
                "GreedySampling('x') (GSx) for a classifier."
            )
        if use_x:
            Z = context.embedding()
            sq_norms = row_norms(Z, squared=True)
        if use_y:
            f = np.asarray(context.predict(), dtype=float).reshape(-1)
            y_lab = np.asarray(context.y_labeled, dtype=float)
        chosen, scores = [], []
        if cold:
            # Wu et al.: the first sample is the one closest to the pool's centroid.
            centre = np.asarray(Z.mean(axis=0)).reshape(1, -1)
            j = int(pairwise_distances_argmin_min(centre, Z)[0][0])
            chosen.append(j)
            scores.append(np.nan)
            dist = np.full(Z.shape[0], np.inf)
        elif self.space == "x":
            dist = pairwise_distances_argmin_min(Z, context.labeled_embedding())[1]
        elif self.space == "y":
            dist = _nearest_gap(f, np.sort(y_lab))
        else:
            parts = pairwise_distances_chunked(
                Z,
                context.labeled_embedding(),
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
