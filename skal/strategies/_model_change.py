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
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.pipeline import Pipeline
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from ..utils import concat_rows, num_rows, take_rows
from ._base import BaseStrategy, ScoreStrategy, _check_max_candidates, require_signal
from ._selection import select_top_k
from ._uncertainty import entropy

#: Fitted heads whose ``predict_proba`` is the softmax (or, for two classes,
#: the sigmoid) of ``X @ coef_.T + intercept_``.
SOFTMAX_LINEAR = (LogisticRegression, LogisticRegressionCV)


def _linear_head(learner, strategy):
    """Return ``(transform, head)``: the feature map and the softmax-linear model."""
    model = getattr(learner, "estimator_", learner)
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


class ExpectedGradientLength(ScoreStrategy):
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
    max_candidates : int, default=None
        Score only a random subsample of this many pool samples.

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
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import ExpectedGradientLength
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = y.copy(); y_partial[5:145] = -1
    >>> learner = ActiveLearner(LogisticRegression(),
    ...                         query_strategy=ExpectedGradientLength(),
    ...                         batch_size=3, random_state=0).fit(X, y_partial)
    >>> learner.query().shape
    (3,)
    """

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _scorer(self, learner):
        transform, head = _linear_head(learner, self)
        intercept = 1.0 if head.fit_intercept else 0.0

        def score(X):
            Z = X if transform is None else transform(X)
            norms = np.sqrt(_row_norms_sq(Z) + intercept)
            return expected_gradient_length(head.predict_proba(Z), norms)

        return score


def _risk(proba, loss):
    if loss == "zero_one":
        return float(np.mean(1.0 - proba.max(axis=1)))
    return float(np.mean(entropy(proba)))


def _risk_after(estimator, X_train, y_train, X_eval, loss, warm):
    model = copy.deepcopy(estimator) if warm else clone(estimator)
    model.fit(X_train, y_train)
    return _risk(model.predict_proba(X_eval), loss)


def _warm_template(learner, strategy):
    """Copy the fitted model with its final step set to ``warm_start=True``."""
    model = copy.deepcopy(learner.estimator_)
    final = model
    while isinstance(final, Pipeline):
        final = final.steps[-1][1]
    if "warm_start" not in final.get_params(deep=False):
        raise TypeError(
            f"{type(strategy).__name__}(warm_start=True) needs a final estimator "
            f"with a warm_start parameter; {type(final).__name__} has none. Use "
            "warm_start=False."
        )
    final.set_params(warm_start=True)
    return model


class ExpectedErrorReduction(BaseStrategy):
    """Query the samples whose label is expected to lower the pool error most.

    For each candidate ``x`` and each class ``k``, a clone of the learner's
    ``estimator`` is refit on the labeled set plus ``(x, k)``, and its risk
    on the evaluation set ``U`` (the pool, or a random subsample of
    ``n_eval`` samples) is measured. The score is the expected reduction of
    the risk, ``R(current) - sum_k p(k|x) R(labeled + (x, k))`` (Roy &
    McCallum 2001), with

    - ``loss="zero_one"``: ``R = mean_u (1 - max_y p(y|u))``,
    - ``loss="log"``: ``R = mean_u H[p(.|u)]`` (expected log-loss).

    Because it refits ``n_classes`` models per candidate, only a random
    subsample of ``max_candidates`` candidates is scored.

    Parameters
    ----------
    loss : {"zero_one", "log"}, default="zero_one"
        Loss whose expectation over the pool is minimised.
    n_eval : int, default=None
        Estimate the risk on a random subsample of this many pool samples;
        ``None`` uses the whole pool.
    max_candidates : int, default=100
        Number of randomly drawn candidates that are scored; ``None``
        scores the whole pool (slow).
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
    The labeled set is ``learner.X_[learner.labeled_mask_]`` (oracle labels
    only) and the model refit is a clone of ``learner.estimator`` (with
    ``warm_start=True``, a copy of the fitted ``learner.estimator_``). The
    refits are many small fits, so they run with one BLAS thread each;
    ``n_jobs`` runs them in parallel.

    References
    ----------
    N. Roy and A. McCallum. Toward optimal active learning through Monte
    Carlo estimation of error reduction. ICML 2001.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.strategies import ExpectedErrorReduction
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = y.copy(); y_partial[5:145] = -1
    >>> eer = ExpectedErrorReduction(max_candidates=10, n_eval=50)
    >>> learner = ActiveLearner(LogisticRegression(), query_strategy=eer,
    ...                         random_state=0).fit(X, y_partial)
    >>> learner.query().shape
    (1,)
    """

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

    def _check_params(self):
        if self.loss not in ("zero_one", "log"):
            raise ValueError(f"loss must be 'zero_one' or 'log', got {self.loss!r}.")
        if self.n_eval is not None and (
            isinstance(self.n_eval, bool)
            or not isinstance(self.n_eval, Integral)
            or self.n_eval < 1
        ):
            raise ValueError(
                f"n_eval must be a positive int or None, got {self.n_eval!r}."
            )

    def query(self, learner, X_pool, batch_size, *, random_state=None):
        """Choose the ``batch_size`` candidates with the largest error reduction.

        Parameters
        ----------
        learner : object
            The fitted learner; it provides ``predict_proba``, ``estimator``
            and the labeled set (``X_``, ``y_``, ``labeled_mask_``).
        X_pool : array-like, sparse matrix or DataFrame
            Candidate samples; also the evaluation set.
        batch_size : int
            Number of samples to choose.
        random_state : int, RandomState instance or None, default=None
            Seeds the candidate and evaluation subsamples and tie-breaking.

        Returns
        -------
        indices : ndarray of int of shape (batch_size,)
            Positions in ``X_pool``, largest expected reduction first.
        scores : ndarray of shape (batch_size,)
            Expected reduction of the risk for each chosen sample.
        """
        self._check_params()
        predict_proba = require_signal(learner, "predict_proba", self)
        rng = check_random_state(random_state)
        n = num_rows(X_pool)
        max_candidates = _check_max_candidates(self.max_candidates)
        cand = np.arange(n)
        if max_candidates is not None and n > max_candidates:
            cand = np.sort(rng.choice(n, max_candidates, replace=False))
        X_eval = X_pool
        if self.n_eval is not None and n > self.n_eval:
            X_eval = take_rows(
                X_pool, np.sort(rng.choice(n, self.n_eval, replace=False))
            )
        X_cand = take_rows(X_pool, cand)
        scores = _risk(predict_proba(X_eval), self.loss) - self._expected_risk(
            learner, X_cand, X_eval, predict_proba(X_cand)
        )
        idx = select_top_k(scores, batch_size, rng)
        return cand[idx], scores[idx]

    def _expected_risk(self, learner, X_cand, X_eval, proba):
        for attr in ("X_", "y_", "labeled_mask_", "classes_"):
            if not hasattr(learner, attr):
                raise TypeError(
                    f"{type(self).__name__} needs the learner's labeled set "
                    f"(X_, y_, labeled_mask_, classes_); {type(learner).__name__} "
                    f"has no {attr}. Use it with skal.ActiveLearner."
                )
        mask = learner.labeled_mask_
        X_lab, y_lab = take_rows(learner.X_, mask), learner.y_[mask]
        classes = np.asarray(learner.classes_)
        warm = bool(self.warm_start)
        template = _warm_template(learner, self) if warm else learner.estimator
        pairs = [
            (i, k) for i in range(proba.shape[0]) for k in np.flatnonzero(proba[i] > 0)
        ]
        # Many tiny fits: BLAS threads only add contention; n_jobs parallelises.
        with threadpool_limits(limits=1):
            risks = Parallel(n_jobs=self.n_jobs)(
                delayed(_risk_after)(
                    template,
                    concat_rows(X_lab, take_rows(X_cand, [i])),
                    np.concatenate([y_lab, classes[k : k + 1].astype(y_lab.dtype)]),
                    X_eval,
                    self.loss,
                    warm,
                )
                for i, k in pairs
            )
        expected = np.zeros(proba.shape[0])
        for (i, k), risk in zip(pairs, risks):
            expected[i] += proba[i, k] * risk
        return expected
