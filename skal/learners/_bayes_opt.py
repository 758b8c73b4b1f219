"""Bayesian optimisation as active learning: query where the maximum may be."""

import numpy as np
from sklearn.base import is_regressor
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_is_fitted

from ..utils import take_rows
from ._base import BaseLearner
from ._docs import fill_shared


@fill_shared
class BayesianOptimizer(BaseLearner):
    """Look for the maximum of an expensive function with a surrogate regressor.

    Bayesian optimisation is active learning where a "label" is the value
    of the function at a point and the goal is its maximum, not a model: a
    regressor with a predictive std (``GaussianProcessRegressor``, the usual
    surrogate) is fitted on the points evaluated so far, and the next points
    are those of highest acquisition, expected improvement by default
    (:class:`~skal.strategies.ExpectedImprovement`). :meth:`get_max` returns
    the best point evaluated. The learner maximises: to minimise a
    function, teach its negative. The pool is a grid (or any finite set) of
    candidate points; ``query()`` searches the unevaluated rows of ``X``.

    Parameters
    ----------
    estimator : regressor
        The surrogate model; its ``predict`` should accept ``return_std``
        (``GaussianProcessRegressor``, ``BayesianRidge``), or use a
        :class:`skal.CommitteeRegressor`'s spread through a custom strategy.
    query_strategy : str, strategy object or callable, default="ei"
        The acquisition: ``"ei"`` (expected improvement), ``"pi"``
        (probability of improvement), ``"ucb"`` (upper confidence bound), or
        a strategy object such as ``UpperConfidenceBound(beta=2.0)``.
    .. shared:: batch_size
    .. shared:: budget
    .. shared:: n_initial
    .. shared:: initial_strategy
    missing_label : float, default=np.nan
        Marker of unevaluated rows in ``y``; NaN always marks them.
    .. shared:: n_jobs
    .. shared:: random_state

    Attributes
    ----------
    estimator_ : estimator object
        The surrogate fitted on the evaluated points (``None`` before any).
    query_strategy_, X_, y_, labeled_mask_, history_, n_features_in_ : object
        As in :class:`skal.ActiveLearner`; ``labeled_mask_`` marks the
        evaluated rows.

    See Also
    --------
    skal.strategies.ExpectedImprovement : The default acquisition.
    skal.ActiveLearner : Any strategy on any estimator.

    Notes
    -----
    modAL's ``BayesianOptimizer(estimator, query_strategy=max_EI,
    X_training=..., y_training=...)`` is ``BayesianOptimizer(estimator,
    query_strategy="ei").fit(X, y)`` with ``y`` NaN on the points not yet
    evaluated; ``get_max()`` returns the same ``(X_max, y_max)`` pair.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.gaussian_process import GaussianProcessRegressor
    >>> from sklearn.gaussian_process.kernels import Matern
    >>> from skal import BayesianOptimizer
    >>> X = np.linspace(0, 20, 200).reshape(-1, 1)
    >>> f = lambda x: np.sin(x) / 2 - (10 - x) ** 2 / 50 + 2
    >>> y = np.full(200, np.nan); y[30] = f(X[30, 0])
    >>> opt = BayesianOptimizer(GaussianProcessRegressor(Matern(length_scale=1.0)),
    ...                         random_state=0).fit(X, y)
    >>> for _ in range(10):
    ...     idx = opt.query()
    ...     opt = opt.teach(X[idx], f(X[idx, 0]))
    >>> X_max, y_max = opt.get_max()
    >>> round(float(X_max[0]), 1), round(y_max, 2)  # the maximum: f(8.0) = 2.41
    (8.0, 2.41)
    """

    _extra_constraints = {"estimator": [HasMethods(["fit", "predict"])]}
    # teach refits the surrogate on every evaluated point.
    warm_start = False

    def __init__(
        self,
        estimator,
        *,
        query_strategy="ei",
        batch_size=1,
        budget=None,
        n_initial=10,
        initial_strategy=None,
        missing_label=np.nan,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.query_strategy = query_strategy
        self.batch_size = batch_size
        self.budget = budget
        self.n_initial = n_initial
        self.initial_strategy = initial_strategy
        self.missing_label = missing_label
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _prepare_fit(self, X, y):
        self._validate_params()
        if not is_regressor(self.estimator):
            raise ValueError(
                f"BayesianOptimizer needs a regressor as its surrogate, got "
                f"{type(self.estimator).__name__}; use e.g. "
                "GaussianProcessRegressor()."
            )
        return super()._prepare_fit(X, y)

    def get_max(self):
        """Return the best point evaluated so far and its value.

        Returns
        -------
        X_max : ndarray of shape (n_features,)
            The evaluated row of largest target (the first, if tied).
        y_max : float
            Its target value.

        Raises
        ------
        ValueError
            If no point is evaluated yet (a cold start).
        """
        check_is_fitted(self, "labeled_mask_")
        rows = np.flatnonzero(self.labeled_mask_)
        if rows.shape[0] == 0:
            raise ValueError(
                "get_max needs an evaluated point, but none is labeled yet: "
                "query() the first points and teach() their values."
            )
        values = np.asarray(self.y_[rows], dtype=float)
        best = rows[int(np.argmax(values))]
        X_max = take_rows(self.X_, np.array([best]))
        X_max = X_max.to_numpy() if hasattr(X_max, "to_numpy") else X_max
        X_max = X_max.toarray() if hasattr(X_max, "toarray") else np.asarray(X_max)
        return X_max[0], float(values.max())
