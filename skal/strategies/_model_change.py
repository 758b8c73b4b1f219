"""Model change and error reduction: expected gradient length, expected error reduction.

:class:`ExpectedGradientLength` scores a sample by how much its label would
move a softmax-linear model, in closed form from the probabilities and the
norm of the features. :class:`ExpectedErrorReduction` refits the model for
every candidate and every possible label and keeps the candidates that most
lower the expected loss on the pool.
"""

import copy
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import Interval, StrOptions
from threadpoolctl import threadpool_limits

from ..utils import concat_rows, take_rows
from ..utils._validation import N_JOBS_CONSTRAINT
from ._base import _MAX_CANDIDATES, BaseStrategy
from ._row_scores import RowScoreStrategy
from ._selection import select_top_k
from ._uncertainty import entropy

#: Fitted heads whose ``predict_proba`` is the softmax (or, for two classes,
#: the sigmoid) of ``X @ coef_.T + intercept_``.
SOFTMAX_LINEAR = (LogisticRegression, LogisticRegressionCV)


def _linear_head(model, strategy):
    """Return ``(transform, head)``: the feature map and the softmax-linear model."""
    if model is None:
        raise TypeError(
            f"{type(strategy).__name__} needs a fitted model; none is fitted yet "
            "(no labels). Start with a strategy that needs no model, such as "
            "'random' or 'coreset'."
        )
    transform = None
    while isinstance(model, Pipeline):
        if len(model.steps) > 1:
            prefix = model[:-1]
            transform = (
                prefix.transform
                if transform is None
                else (lambda X, f=transform, g=prefix.transform: g(f(X)))
            )
        model = model.steps[-1][1]
    if not isinstance(model, SOFTMAX_LINEAR):
        raise TypeError(
            f"{type(strategy).__name__} has a closed form only for softmax-linear "
            "models: LogisticRegression or LogisticRegressionCV, alone or as the "
            f"last step of a Pipeline; got {type(model).__name__}. Use "
            "ExpectedErrorReduction or UncertaintySampling for other models."
        )
    return transform, model


def _row_norms_sq(Z):
    if sp.issparse(Z):
        return np.asarray(Z.multiply(Z).sum(axis=1), dtype=float).ravel()
    Z = np.asarray(Z, dtype=float)
    return np.einsum("ij,ij->i", Z, Z)


def expected_gradient_length(proba, feature_norms):
    """Compute the expected gradient length of a softmax-linear model.

    For a sample with features ``z`` (with a 1 appended for the intercept)
    and class probabilities ``p``, the gradient of the log-loss of label
    ``k`` with respect to the weights is ``(p - e_k) z^T``, whose norm is
    ``||p - e_k|| ||z||``. The expected length under the model's own
    belief is ``sum_k p_k ||p - e_k|| ||z||`` (Settles, Craven & Ray 2008).

    With two classes a logistic regression has a single weight vector; the
    gradient of label ``k`` is ``(p_1 - k) z`` and the expectation is
    ``2 p_0 p_1 ||z||``. Probabilities with two columns are scored so.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Class probabilities.
    feature_norms : array-like of shape (n_samples,)
        Euclidean norm of each sample's features as the linear layer sees
        them, including the 1 of the intercept when there is one.

    Returns
    -------
    scores : ndarray of shape (n_samples,)
        Expected gradient length; higher means a larger expected change.

    Notes
    -----
    Two columns are read as a binary model with one weight vector, whose
    score ``2 p_0 p_1 ||z||`` is the multinomial formula divided by
    ``sqrt(2)``: the ranking is the same either way.

    Examples
    --------
    >>> from skal.strategies import expected_gradient_length
    >>> expected_gradient_length([[0.5, 0.5], [1.0, 0.0]], [2.0, 2.0]).tolist()
    [1.0, 0.0]
    >>> round(float(expected_gradient_length([[0.5, 0.5, 0.0]], [1.0])[0]), 4)
    0.7071
    """
    proba = np.asarray(proba, dtype=float)
    norms = np.asarray(feature_norms, dtype=float)
    if proba.ndim != 2 or norms.shape != (proba.shape[0],):
        raise ValueError(
            "Expected proba of shape (n_samples, n_classes) and feature_norms of "
            f"shape (n_samples,), got {proba.shape} and {norms.shape}."
        )
    if proba.shape[1] == 2:
        return 2.0 * proba[:, 0] * proba[:, 1] * norms
    # ||p - e_k||^2 = sum_j p_j^2 - 2 p_k + 1, computed in one buffer
    dist = proba * -2.0
    dist += (np.einsum("ij,ij->i", proba, proba) + 1.0)[:, None]
    np.maximum(dist, 0.0, out=dist)
    np.sqrt(dist, out=dist)
    dist *= proba
    return dist.sum(axis=1) * norms


class ExpectedGradientLength(RowScoreStrategy):
    """Query the samples whose label would change the model the most.

    Expected gradient length (EGL; Settles, Craven & Ray 2008) scores a
    sample by the norm of the log-loss gradient its label would add,
    averaged over the labels with the model's probabilities:
    ``sum_k p_k ||p - e_k|| ||[z, 1]||``, where ``z`` are the features the
    linear layer sees (after a Pipeline's transform steps). It is computed
    in closed form, chunk by chunk, at the cost of one ``predict_proba``
    plus linear work.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the candidates: this many (int) or
        this share (a float in (0, 1), rounded up), never fewer than the batch.

    See Also
    --------
    skal.strategies.expected_gradient_length : The scoring function.
    skal.strategies.ExpectedErrorReduction : Refit-based lookahead.

    Notes
    -----
    Supported models: ``LogisticRegression`` and ``LogisticRegressionCV``,
    alone or as the last step of a ``Pipeline``. Others raise a
    ``TypeError``.

    References
    ----------
    B. Settles, M. Craven and S. Ray. Multiple-instance active learning.
    NIPS 2008.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import ExpectedGradientLength, QueryContext
    >>> X = np.array([[-2.0], [2.0], [0.0], [5.0]])
    >>> model = LogisticRegression().fit(X[:2], [0, 1])
    >>> ctx = QueryContext(X[2:], model=model, random_state=0)
    >>> ExpectedGradientLength().select(ctx, 1)[0].tolist()
    [0]
    """

    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _score(self, context):
        transform, head = _linear_head(context.model, self)
        intercept = 1.0 if head.fit_intercept else 0.0

        def score(X):
            Z = X if transform is None else transform(X)
            norms = np.sqrt(_row_norms_sq(Z) + intercept)
            return expected_gradient_length(head.predict_proba(Z), norms)

        # Chunk by chunk, like the context's own signals: memory stays
        # bounded by a chunk of features and probabilities.
        return context.map_rows(score)


def _risk(proba, loss):
    if loss == "zero_one":
        return float(np.mean(1.0 - proba.max(axis=1)))
    return float(np.mean(entropy(proba)))


def _risks_after(fit, X_lab, y_lab, X_cand, tasks, X_eval, loss):
    """Risk on ``X_eval`` after refitting with each ``(candidate, label)`` added.

    One task list per worker: ``fit`` (which may carry the learner) is
    pickled once per worker, not once per refit.
    """
    risks = []
    for i, label in tasks:
        x = take_rows(X_cand, [i])
        if X_lab is None:
            X_train, y_train = x, np.asarray([label])
        else:
            X_train = concat_rows(X_lab, x)
            y_train = np.concatenate([y_lab, np.asarray([label], dtype=y_lab.dtype)])
        model = fit(X_train, y_train)
        if callable(loss):  # a risk of the refit model itself
            risks.append(loss(model, i, label))
        else:
            risks.append(_risk(model.predict_proba(X_eval), loss))
    return risks


def refit_risks(strategy, context, tasks, X_eval, loss):
    """The risk after each refit ``(candidate i, label)`` of ``tasks``.

    ``loss`` is ``"zero_one"`` / ``"log"`` on ``X_eval`` or a callable
    ``loss(model, i, label) -> float``. Refits are ``context.refit`` (or warm
    copies of ``context.model`` with ``strategy.warm_start``), in parallel
    over ``strategy.n_jobs`` workers with one BLAS thread each.
    """
    if strategy.warm_start:
        fit = _warm_fit(_warm_template(context.model, strategy))
    else:
        fit = context.refit
    X_lab, y_lab = context.X_labeled, np.asarray(context.y_labeled)
    n_chunks = min(effective_n_jobs(strategy.n_jobs), max(len(tasks), 1))
    chunks = np.array_split(np.arange(len(tasks)), n_chunks)
    # Many tiny fits: BLAS threads only add contention; n_jobs parallelises.
    with threadpool_limits(limits=1):
        parts = Parallel(n_jobs=strategy.n_jobs)(
            delayed(_risks_after)(
                fit,
                X_lab,
                y_lab,
                context.rows(),
                [tasks[t] for t in chunk],
                X_eval,
                loss,
            )
            for chunk in chunks
        )
    return [r for part in parts for r in part]


def _warm_fit(template):
    """``fit(X, y)`` continuing from a copy of the fitted ``template``."""

    def fit(X, y):
        return copy.deepcopy(template).fit(X, y)

    return fit


def _warm_template(model, strategy):
    """Copy the fitted model with its final step set to ``warm_start=True``."""
    model = copy.deepcopy(model)
    final = model
    while isinstance(final, Pipeline):
        final = final.steps[-1][1]
    params = final.get_params(deep=False) if hasattr(final, "get_params") else {}
    if "warm_start" not in params:
        raise TypeError(
            f"{type(strategy).__name__}(warm_start=True) needs a final estimator "
            f"with a warm_start parameter; {type(final).__name__} has none. Use "
            "warm_start=False."
        )
    final.set_params(warm_start=True)
    return model


class ExpectedErrorReduction(BaseStrategy):
    """Query the samples whose label is expected to lower the pool error most.

    For each candidate ``x`` and each class ``k``, the model is refit on
    the labeled set plus ``(x, k)``, as the learner fits it, and its risk on
    the evaluation set ``U`` (the candidates, or a random subsample of
    ``n_eval`` of them) is measured. The score is the expected reduction of
    the risk, ``R(current) - sum_k p(k|x) R(labeled + (x, k))`` (Roy &
    McCallum 2001), with

    - ``loss="zero_one"``: ``R = mean_u (1 - max_y p(y|u))``,
    - ``loss="log"``: ``R = mean_u H[p(.|u)]`` (expected log-loss).

    Because it refits ``n_classes`` models per candidate, only a random
    subsample of ``max_candidates`` candidates is scored (never fewer than
    the batch).

    Parameters
    ----------
    loss : {"zero_one", "log"}, default="zero_one"
        Loss whose expectation over the pool is minimised.
    n_eval : int, default=None
        Estimate the risk on a random subsample of this many candidates;
        ``None`` uses every candidate.
    max_candidates : int, float or None, default=100
        Score a random subsample of the candidates: this many (int) or this
        share of them (a float in (0, 1), rounded up), never fewer than the
        batch; ``None`` scores every candidate (slow).
    warm_start : bool, default=False
        Start each refit from the fitted model's weights (its final step
        must have a ``warm_start`` parameter, as ``LogisticRegression``
        does). For a convex model this reaches the same optimum, up to the
        solver's tolerance, in far fewer iterations.
    n_jobs : int, default=None
        Refits run in parallel with joblib.

    See Also
    --------
    skal.strategies.ExpectedGradientLength : Closed-form model change.

    Notes
    -----
    The labeled set is the context's ``X_labeled`` / ``y_labeled`` (oracle
    labels only); each refit is ``context.refit(X, y)``, the learner's own
    fit (for a :class:`skal.Committee`, its members), or with
    ``warm_start=True`` a copy of the fitted ``context.model`` refit from
    its weights. The evaluation set is drawn from all candidates, before
    the candidates to score are subsampled. The refits are many small fits,
    so they run with one BLAS thread each; ``n_jobs`` runs them in parallel.

    References
    ----------
    N. Roy and A. McCallum. Toward optimal active learning through Monte
    Carlo estimation of error reduction. ICML 2001.

    Examples
    --------
    >>> from sklearn.base import clone
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.strategies import ExpectedErrorReduction, QueryContext
    >>> X, y = load_iris(return_X_y=True)
    >>> lr = LogisticRegression()
    >>> model = clone(lr).fit(X[::30], y[::30])
    >>> ctx = QueryContext(X, signals={"proba": model.predict_proba},
    ...                    X_labeled=X[::30], y_labeled=y[::30],
    ...                    classes=[0, 1, 2], model=model, estimator=lr,
    ...                    refit=lambda X, y: clone(lr).fit(X, y), random_state=0)
    >>> eer = ExpectedErrorReduction(max_candidates=10, n_eval=50)
    >>> eer.select(ctx, 2)[0].shape
    (2,)
    """

    _parameter_constraints = {
        "loss": [StrOptions({"zero_one", "log"})],
        "n_eval": [Interval(Integral, 1, None, closed="left"), None],
        "max_candidates": _MAX_CANDIDATES,
        "warm_start": ["boolean"],
        "n_jobs": N_JOBS_CONSTRAINT,
    }

    def __init__(
        self,
        loss="zero_one",
        *,
        n_eval=None,
        max_candidates=100,
        warm_start=False,
        n_jobs=None,
    ):
        self.loss = loss
        self.n_eval = n_eval
        self.max_candidates = max_candidates
        self.warm_start = warm_start
        self.n_jobs = n_jobs

    def _select(self, context, batch_size):
        rng = context.random_state
        full = context.root  # the risk is measured on all the query's candidates
        n = full.n_candidates
        evaluation = full
        if self.n_eval is not None and n > self.n_eval:
            evaluation = full.subset(np.sort(rng.choice(n, self.n_eval, replace=False)))
        if not context.is_classifier:
            raise TypeError(
                f"{type(self).__name__} refits a classifier for every possible "
                "label; the learner has no classes (a regressor?)."
            )
        proba = context.proba()
        current = _risk(evaluation.proba(), self.loss)
        scores = current - self._expected_risk(context, evaluation.rows(), proba)
        idx = select_top_k(scores, batch_size, rng)
        return idx, scores[idx]

    def _expected_risk(self, context, X_eval, proba):
        classes = np.asarray(context.classes)
        pairs = [
            (i, k) for i in range(proba.shape[0]) for k in np.flatnonzero(proba[i] > 0)
        ]
        tasks = [(i, classes[k]) for i, k in pairs]
        risks = refit_risks(self, context, tasks, X_eval, self.loss)
        expected = np.zeros(proba.shape[0])
        for (i, k), risk in zip(pairs, risks):
            expected[i] += proba[i, k] * risk
        return expected
