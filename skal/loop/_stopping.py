"""Stopping criteria: when is labeling more samples no longer worth it."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.metrics import check_scoring, cohen_kappa_score

from ..utils import take_rows
from ..utils._validation import POSITIVE_INT, _NoBool


class StoppingCriterion(BaseEstimator):
    """Base class of stopping criteria.

    A criterion is a clone-able estimator with parameters only; it keeps
    its running state in attributes ending in ``_``. After every round the
    loop calls ``update(learner, info)``, where ``info`` holds ``round``,
    ``n_labeled`` and, in simulation, ``score`` (the test score); it
    returns True when labeling should stop. ``reset()`` clears the state.
    Parameters are declared in ``_parameter_constraints`` (scikit-learn's
    constraint system) and checked by :func:`check_stopping` before a run.
    """

    _parameter_constraints: dict = {}

    def reset(self):
        """Clear the running state, to start a new run.

        Returns
        -------
        self : object
            The criterion.
        """
        for key in [k for k in vars(self) if k.endswith("_")]:
            delattr(self, key)
        return self

    def update(self, learner, info):
        """Record a round and return whether labeling should stop.

        Parameters
        ----------
        learner : object
            The learner fitted on the labels so far.
        info : dict
            ``round``, ``n_labeled`` and optionally ``score``.

        Returns
        -------
        stop : bool
            True to stop.
        """
        raise NotImplementedError


def check_stopping(stopping):
    """Return a list of fresh (cloned, reset) criteria.

    Parameters
    ----------
    stopping : StoppingCriterion, list of them, or None
        The criteria; labeling stops when any of them says so.

    Returns
    -------
    criteria : list of StoppingCriterion
        Fresh copies.

    Examples
    --------
    >>> from skal.loop import BudgetStopping, check_stopping
    >>> check_stopping(BudgetStopping(50))
    [BudgetStopping(budget=50)]
    """
    if stopping is None:
        return []
    items = stopping if isinstance(stopping, (list, tuple)) else [stopping]
    for item in items:
        if not isinstance(item, StoppingCriterion):
            raise TypeError(
                "stopping must be a StoppingCriterion (BudgetStopping, "
                "TargetScoreStopping, StabilizingPredictions, MaxUncertaintyStopping, "
                f"PlateauStopping) or a list of them, got {item!r}."
            )
    fresh = [clone(item).reset() for item in items]
    for item in fresh:
        item._validate_params()
    return fresh


def _validation_score(criterion, learner, info):
    if (criterion.X_val is None) != (criterion.y_val is None):
        name = type(criterion).__name__
        raise ValueError(f"{name} needs both X_val and y_val, or neither; got one.")
    if criterion.X_val is None:
        if info.get("score") is None:
            raise ValueError(
                f"{type(criterion).__name__} needs X_val and y_val, or a loop that "
                "reports a score (simulate does)."
            )
        return float(info["score"])
    scorer = check_scoring(learner, scoring=criterion.scoring)
    return float(scorer(learner, criterion.X_val, criterion.y_val))


_VALIDATION = {
    "X_val": ["array-like", "sparse matrix", None],
    "y_val": ["array-like", None],
    "scoring": [str, callable, None],
}
_FINITE = _NoBool(Real, None, None, closed="neither")  # a number: not NaN, not a bool
_STOP_SET = {"X_stop": ["array-like", "sparse matrix", None]}


class BudgetStopping(StoppingCriterion):
    """Stop once ``budget`` labels are used.

    Parameters
    ----------
    budget : int
        Number of labels, the initial ones included.

    Examples
    --------
    >>> from skal.loop import BudgetStopping
    >>> BudgetStopping(20).update(None, {"n_labeled": 20})
    True
    """

    _parameter_constraints = {"budget": [POSITIVE_INT]}

    def __init__(self, budget):
        self.budget = budget

    def update(self, learner, info):
        return info["n_labeled"] >= self.budget


class TargetScoreStopping(StoppingCriterion):
    """Stop once the score on a validation set reaches ``target``.

    Parameters
    ----------
    target : float
        Score to reach.
    X_val, y_val : array-like, default=None
        Labeled validation data. When None, the score that the loop reports
        is used (in :func:`skal.simulate`, the test score: handy to measure
        labels-to-target, but not a criterion you could use without labels).
    scoring : str or callable, default=None
        A scikit-learn scorer; None uses the learner's ``score``.

    Examples
    --------
    >>> from skal.loop import TargetScoreStopping
    >>> TargetScoreStopping(0.9).update(None, {"n_labeled": 30, "score": 0.93})
    True
    """

    _parameter_constraints = {"target": [_FINITE], **_VALIDATION}

    def __init__(self, target, *, X_val=None, y_val=None, scoring=None):
        self.target = target
        self.X_val = X_val
        self.y_val = y_val
        self.scoring = scoring

    def update(self, learner, info):
        self.last_score_ = _validation_score(self, learner, info)
        return self.last_score_ >= self.target


class PlateauStopping(StoppingCriterion):
    """Stop when the score has not improved for ``patience`` rounds.

    Parameters
    ----------
    patience : int, default=3
        Rounds without an improvement larger than ``min_delta``.
    min_delta : float, default=0.0
        Smallest change that counts as an improvement.
    X_val, y_val : array-like, default=None
        Validation data; when None, the score the loop reports is used.
    scoring : str or callable, default=None
        A scikit-learn scorer; None uses the learner's ``score``.

    Examples
    --------
    >>> from skal.loop import PlateauStopping
    >>> crit = PlateauStopping(patience=2)
    >>> [crit.update(None, {"n_labeled": 0, "score": s}) for s in [.5, .7, .7, .69]]
    [False, False, False, True]
    """

    _parameter_constraints = {
        "patience": [POSITIVE_INT],
        "min_delta": [_NoBool(Real, 0, None, closed="left")],
        **_VALIDATION,
    }

    def __init__(
        self, patience=3, *, min_delta=0.0, X_val=None, y_val=None, scoring=None
    ):
        self.patience = patience
        self.min_delta = min_delta
        self.X_val = X_val
        self.y_val = y_val
        self.scoring = scoring

    def update(self, learner, info):
        score = _validation_score(self, learner, info)
        if not hasattr(self, "best_") or score > self.best_ + self.min_delta:
            self.best_, self.wait_ = score, 0
        else:
            self.wait_ += 1
        return self.wait_ >= self.patience


def _stop_rows(criterion, learner):
    """Return the stop set: ``X_stop`` or the pool of the learner's first fit."""
    if criterion.X_stop is not None:
        n_stop = np.shape(criterion.X_stop)[-1]
        if n_stop != getattr(learner, "n_features_in_", n_stop):
            raise ValueError(
                f"{type(criterion).__name__}'s X_stop has {n_stop} features, but "
                f"the learner was fitted on {learner.n_features_in_}."
            )
        return criterion.X_stop
    if not hasattr(criterion, "stop_set_"):
        if not hasattr(learner, "labeled_mask_"):
            raise ValueError(
                f"{type(criterion).__name__} needs X_stop, or a skal learner whose "
                "unlabeled rows can serve as the stop set."
            )
        criterion.stop_set_ = np.flatnonzero(~learner.labeled_mask_)
    return take_rows(learner.X_, criterion.stop_set_)


def kappa(a, b):
    """Return Cohen's kappa between two label vectors; 1.0 when identical.

    Parameters
    ----------
    a, b : array-like of shape (n_samples,)
        Two sets of predictions of the same samples.

    Returns
    -------
    kappa : float
        Agreement beyond chance, in [-1, 1]. Identical vectors give 1.0,
        even when they hold a single class (where kappa is 0/0).

    Examples
    --------
    >>> from skal.loop import kappa
    >>> kappa([0, 1, 1, 0], [0, 1, 0, 0])
    0.5
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.size == 0:
        shapes = f"{a.shape} and {b.shape}"
        raise ValueError(f"kappa needs two equal-length vectors; got {shapes}.")
    if np.array_equal(a, b):
        return 1.0
    return float(cohen_kappa_score(a, b))


class StabilizingPredictions(StoppingCriterion):
    """Stop when successive models agree on a stop set (Bloodgood 2009).

    After each round the model predicts the stop set; Cohen's kappa
    between the predictions of successive models measures their agreement.
    Labeling stops when the mean kappa of the last ``k`` comparisons is at
    least ``threshold``; Bloodgood and Vijay-Shanker use ``k=3`` and
    ``threshold=0.99``.

    Parameters
    ----------
    threshold : float, default=0.99
        Agreement to reach.
    k : int, default=3
        Number of successive comparisons averaged.
    X_stop : array-like, default=None
        The stop set (unlabeled samples). None uses the unlabeled rows of
        the learner's fitted ``X`` at the first round.

    Attributes
    ----------
    kappas_ : list of float
        Agreement of each model with the previous one.

    References
    ----------
    M. Bloodgood and K. Vijay-Shanker, "A method for stopping active
    learning based on stabilizing predictions and the need for user-
    adjustable stopping", CoNLL 2009.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.loop import StabilizingPredictions
    >>> crit = StabilizingPredictions(threshold=0.9, k=2).reset()
    >>> preds = [[0, 1, 1, 0], [0, 1, 1, 0], [0, 1, 1, 0]]
    >>> [crit.update_predictions(p) for p in preds]
    [False, False, True]
    """

    _parameter_constraints = {
        "threshold": [_NoBool(Real, None, 1, closed="right")],
        "k": [POSITIVE_INT],
        **_STOP_SET,
    }

    def __init__(self, threshold=0.99, *, k=3, X_stop=None):
        self.threshold = threshold
        self.k = k
        self.X_stop = X_stop

    def update_predictions(self, predictions):
        """Record one model's predictions of the stop set; return whether to stop.

        Parameters
        ----------
        predictions : array-like of shape (n_stop,)
            Predicted labels of the stop set.

        Returns
        -------
        stop : bool
            True when the mean of the last ``k`` kappas reaches ``threshold``.
        """
        if not hasattr(self, "kappas_"):  # used on its own, not via check_stopping
            self._validate_params()
            self.kappas_ = []
        predictions = np.asarray(predictions)
        if predictions.size == 0:
            raise ValueError(f"{type(self).__name__}'s stop set is empty: pass X_stop.")
        previous = getattr(self, "previous_", None)
        if previous is not None:
            self.kappas_.append(kappa(previous, predictions))
        self.previous_ = predictions
        recent = self.kappas_[-self.k :]
        return len(recent) == self.k and float(np.mean(recent)) >= self.threshold

    def update(self, learner, info):
        return self.update_predictions(learner.predict(_stop_rows(self, learner)))


class MaxUncertaintyStopping(StoppingCriterion):
    """Stop when no sample of the stop set is uncertain any more (Zhu 2008).

    The uncertainty of a sample is ``1 - max_k p(k | x)``, its least
    confidence; labeling stops when the largest uncertainty over the stop
    set is below ``threshold``.

    Parameters
    ----------
    threshold : float, default=0.1
        Largest uncertainty allowed to stop.
    X_stop : array-like, default=None
        The stop set; None uses the current unlabeled rows of the learner.

    References
    ----------
    J. Zhu, H. Wang, E. Hovy and M. Ma, "Confidence-based stopping criteria
    for active learning for data annotation", ACM TSLP 2010.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.loop import MaxUncertaintyStopping
    >>> X = np.array([[0.0], [1.0], [9.0], [10.0]])
    >>> model = LogisticRegression(C=100).fit(X, [0, 0, 1, 1])
    >>> MaxUncertaintyStopping(0.1, X_stop=X).update(model, {"n_labeled": 4})
    True
    """

    _parameter_constraints = {
        "threshold": [_NoBool(Real, 0, 1, closed="both")],
        **_STOP_SET,
    }

    def __init__(self, threshold=0.1, *, X_stop=None):
        self.threshold = threshold
        self.X_stop = X_stop

    def update(self, learner, info):
        self._validate_params()
        if self.X_stop is not None:
            rows = self.X_stop
        else:
            pool = np.flatnonzero(~learner.labeled_mask_)
            if pool.shape[0] == 0:
                return True
            rows = take_rows(learner.X_, pool)
        proba = learner.predict_proba(rows)
        self.max_uncertainty_ = float(np.max(1.0 - proba.max(axis=1)))
        return self.max_uncertainty_ < self.threshold
