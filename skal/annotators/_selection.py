"""Who labels a chosen sample: interval estimation (IEThresh) and baselines."""

from numbers import Real

import numpy as np
from scipy.stats import t as student_t
from sklearn.base import BaseEstimator
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import Interval, validate_params

from ..utils import missing_mask
from ..utils._labels import check_label_types
from ..utils._validation import MISSING_LABEL_CONSTRAINT, POSITIVE_INT, _NoBool
from ._aggregation import majority_vote
from ._labels import check_annotator_labels


@validate_params(
    {
        "Y": ["array-like"],
        "y_ref": ["array-like", None],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "missing_label": MISSING_LABEL_CONSTRAINT,
    },
    prefer_skip_nested_validation=True,
)
def interval_estimation(Y, y_ref=None, *, alpha=0.05, missing_label=-1):
    """Confidence interval of each annotator's agreement with reference labels.

    Interval estimation (Kaelbling, 1993) as IEThresh uses it (Donmez et al.,
    2009): annotator ``j``'s rewards are 1 where its label equals the
    reference (e.g. the majority vote) and 0 otherwise, over the samples both
    label, plus one reward of each kind so an annotator who has answered
    nothing yet has a wide interval. With mean ``m``, sample standard
    deviation ``s`` (``ddof=1``) and ``n`` rewards the interval is
    ``m -/+ t_{alpha/2, n-1} * s / sqrt(n)``.

    Parameters
    ----------
    Y : array-like of shape (n_samples, n_annotators)
        Labels of each annotator, ``missing_label`` where missing.
    y_ref : array-like of shape (n_samples,), default=None
        Reference labels, ``missing_label`` where there is none. When None,
        each annotator is compared with the majority vote of the *other*
        annotators (ties broken at random, seed 0), so a sample only that
        annotator labeled says nothing about it: against a vote that
        includes its own label, an annotator who labels alone always agrees.
    alpha : float, default=0.05
        One minus the confidence level of the interval.
    missing_label : scalar, str, None or nan, default=-1
        Marker of a missing label.

    Returns
    -------
    bounds : ndarray of shape (n_annotators, 3)
        Lower bound, mean and upper bound of each annotator's agreement.

    Examples
    --------
    >>> from skal.annotators import interval_estimation
    >>> Y = [[0, 0], [1, 0], [1, 1], [0, 0]]
    >>> interval_estimation(Y, [0, 1, 1, 0]).round(3).tolist()
    [[0.405, 0.833, 1.262], [0.125, 0.667, 1.209]]
    """
    Y, labeled = check_annotator_labels(Y, missing_label)
    if y_ref is None:
        return np.vstack(
            [
                _bounds(
                    Y,
                    labeled,
                    j,
                    _others_vote(Y, j, missing_label),
                    alpha,
                    missing_label,
                )
                for j in range(Y.shape[1])
            ]
        )
    y_ref = np.asarray(y_ref)
    if y_ref.shape != (Y.shape[0],):
        raise ValueError(
            f"y_ref must have shape ({Y.shape[0]},), one label per row of Y; got "
            f"{y_ref.shape}."
        )
    # "a" against labels 0 and 1 was a silent disagreement everywhere
    check_label_types(
        y_ref[~missing_mask(y_ref, missing_label)], name="y_ref", known=Y[labeled]
    )
    return np.vstack(
        [_bounds(Y, labeled, j, y_ref, alpha, missing_label) for j in range(Y.shape[1])]
    )


def _others_vote(Y, j, missing_label):
    if Y.shape[1] == 1:
        return np.full(Y.shape[0], missing_label, dtype=object)
    return majority_vote(
        np.delete(Y, j, axis=1), missing_label=missing_label, random_state=0
    )


def _bounds(Y, labeled, j, y_ref, alpha, missing_label):
    """Lower bound, mean and upper bound of annotator ``j``'s rewards."""
    rows = labeled[:, j] & ~missing_mask(y_ref, missing_label)
    rewards = np.concatenate([(Y[rows, j] == y_ref[rows]).astype(float), [0, 1]])
    n = rewards.shape[0]
    half = student_t.isf(alpha / 2, n - 1) * rewards.std(ddof=1) / np.sqrt(n)
    mean = rewards.mean()
    return np.array([mean - half, mean, mean + half])


class IEThresh(BaseEstimator):
    """Ask every annotator whose upper confidence bound is near the best one's.

    IEThresh (Donmez, Carbonell and Schneider, 2009) estimates each
    annotator's accuracy by its agreement with the majority vote, as an
    interval (:func:`interval_estimation`), and asks the annotators whose
    upper bound ``UI_j`` reaches ``epsilon * max_j UI_j``. Annotators with
    few answers have wide intervals and keep being asked (exploration);
    those who often disagree with the majority drop out (exploitation).
    The intervals' confidence level is the learner's ``alpha``.

    Parameters
    ----------
    epsilon : float, default=0.9
        Threshold as a fraction of the best upper bound, in [0, 1]; 1 asks
        only the best-looking annotator(s), 0 asks everyone.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.annotators import IEThresh
    >>> bounds = np.array([[0.6, 0.9, 1.2], [0.2, 0.5, 0.8], [0.5, 0.8, 1.1]])
    >>> IEThresh(epsilon=0.9).choose(bounds, 2, np.random.RandomState(0)).tolist()
    [[True, False, True], [True, False, True]]
    """

    _parameter_constraints = {
        "epsilon": [_NoBool(Real, 0, 1, closed="both")],
    }

    def __init__(self, epsilon=0.9):
        self.epsilon = epsilon

    def choose(self, bounds, n_samples, random_state):
        """Return which annotators label each of ``n_samples`` chosen samples.

        Parameters
        ----------
        bounds : ndarray of shape (n_annotators, 3)
            Lower bound, mean and upper bound of each annotator's accuracy.
        n_samples : int
            Number of chosen samples.
        random_state : RandomState
            Unused (the choice is deterministic).

        Returns
        -------
        mask : ndarray of bool of shape (n_samples, n_annotators)
        """
        self._validate_params()
        upper = bounds[:, 2]
        chosen = upper >= self.epsilon * upper.max()
        return np.tile(chosen, (n_samples, 1))


class _FixedCount(BaseEstimator):
    """Selectors that ask a fixed number of annotators per sample."""

    _parameter_constraints = {"n_annotators": [POSITIVE_INT]}

    def __init__(self, n_annotators=1):
        self.n_annotators = n_annotators


class RandomAnnotators(_FixedCount):
    """Ask ``n_annotators`` annotators drawn at random for each sample.

    The baseline of scikit-activeml's ``SingleAnnotatorWrapper`` without
    ``A_perf``: annotators are chosen uniformly, independently per sample.

    Parameters
    ----------
    n_annotators : int, default=1
        Annotators per sample (all of them when larger).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.annotators import RandomAnnotators
    >>> mask = RandomAnnotators(2).choose(np.zeros((4, 3)), 5, np.random.RandomState(0))
    >>> mask.sum(axis=1).tolist()
    [2, 2, 2, 2, 2]
    """

    def choose(self, bounds, n_samples, random_state):
        """Return which annotators label each of ``n_samples`` chosen samples.

        Parameters
        ----------
        bounds : ndarray of shape (n_annotators, 3)
            Only its number of rows is used.
        n_samples : int
        random_state : RandomState

        Returns
        -------
        mask : ndarray of bool of shape (n_samples, n_annotators)
        """
        self._validate_params()
        m = bounds.shape[0]
        k = min(self.n_annotators, m)
        ranks = np.argsort(random_state.random_sample((n_samples, m)), axis=1)
        mask = np.zeros((n_samples, m), dtype=bool)
        np.put_along_axis(mask, ranks[:, :k], True, axis=1)
        return mask


class BestAnnotators(_FixedCount):
    """Ask the ``n_annotators`` annotators with the highest estimated accuracy.

    Pure exploitation of the mean of :func:`interval_estimation` (or of the
    Dawid–Skene accuracies when the learner aggregates with them); ties go
    to the lower index.

    Parameters
    ----------
    n_annotators : int, default=1

    Examples
    --------
    >>> import numpy as np
    >>> from skal.annotators import BestAnnotators
    >>> bounds = np.array([[0.6, 0.7, 0.8], [0.8, 0.9, 1.0], [0.5, 0.8, 1.1]])
    >>> BestAnnotators(2).choose(bounds, 1, None).tolist()
    [[False, True, True]]
    """

    def choose(self, bounds, n_samples, random_state):
        """Return which annotators label each of ``n_samples`` chosen samples.

        Parameters
        ----------
        bounds : ndarray of shape (n_annotators, 3)
        n_samples : int
        random_state : RandomState
            Unused.

        Returns
        -------
        mask : ndarray of bool of shape (n_samples, n_annotators)
        """
        self._validate_params()
        best = np.argsort(-bounds[:, 1], kind="stable")[: self.n_annotators]
        chosen = np.zeros(bounds.shape[0], dtype=bool)
        chosen[best] = True
        return np.tile(chosen, (n_samples, 1))


class ModelBestAnnotators(_FixedCount):
    """Ask, for each sample, the annotators the model expects to be right.

    scikit-activeml's ``SingleAnnotatorWrapper`` with ``A_perf``: the
    learner's multi-annotator model (:class:`skal.torch.AnnotMixClassifier`,
    :class:`skal.torch.CrowdLayerClassifier`,
    :class:`AnnotatorLogisticRegression`) estimates each annotator's
    probability of a correct label for each chosen sample
    (``predict_annotator_perf``), and the ``n_annotators`` highest are asked;
    ties are broken at random. Before the first label, when there is no
    model yet, the annotators are drawn at random (as the wrapper does
    without ``A_perf``).

    Parameters
    ----------
    n_annotators : int, default=1
        Annotators per sample (all of them when larger).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.annotators import ModelBestAnnotators
    >>> perf = np.array([[0.9, 0.6, 0.7], [0.2, 0.8, 0.5]])
    >>> ModelBestAnnotators().choose(np.zeros((3, 3)), 2, np.random.RandomState(0),
    ...                              annotator_perf=perf).tolist()
    [[True, False, False], [False, True, False]]
    """

    _uses_annotator_perf = True

    def choose(self, bounds, n_samples, random_state, annotator_perf=None):
        """Return which annotators label each of ``n_samples`` chosen samples.

        Parameters
        ----------
        bounds : ndarray of shape (n_annotators, 3)
            Only its number of rows is used.
        n_samples : int
        random_state : RandomState
            Breaks ties (and draws the annotators without a model).
        annotator_perf : ndarray of shape (n_samples, n_annotators), default=None
            The model's estimated probability that each annotator labels each
            chosen sample correctly; None draws the annotators at random.

        Returns
        -------
        mask : ndarray of bool of shape (n_samples, n_annotators)
        """
        self._validate_params()
        m = bounds.shape[0]
        noise = random_state.random_sample((n_samples, m))
        perf = np.zeros((n_samples, m))
        if annotator_perf is not None:
            perf = np.asarray(annotator_perf, dtype=float)
            if perf.shape != (n_samples, m) or not np.isfinite(perf).all():
                raise ValueError(
                    f"annotator_perf must be a finite ({n_samples}, {m}) array, one "
                    f"row per chosen sample; got shape {perf.shape}."
                )
        ranks = np.lexsort((noise, -perf), axis=1)  # best first, ties at random
        mask = np.zeros((n_samples, m), dtype=bool)
        np.put_along_axis(mask, ranks[:, : min(self.n_annotators, m)], True, axis=1)
        return mask


def choose_annotators(selector, bounds, samples, X, model, random_state):
    """The selector's ``(n_samples, n_annotators)`` mask for the chosen samples.

    A selector marked ``_uses_annotator_perf`` gets the fitted model's
    ``predict_annotator_perf`` of the chosen samples (None before there is a
    model).
    """
    kwargs = {}
    if getattr(selector, "_uses_annotator_perf", False) and model is not None:
        if not hasattr(model, "predict_annotator_perf"):
            raise TypeError(
                f"{type(selector).__name__} chooses annotators by the model's "
                "predict_annotator_perf, which the learner's estimator lacks; use "
                "a multi-annotator classifier (AnnotMixClassifier, "
                "CrowdLayerClassifier, AnnotatorLogisticRegression)."
            )
        perf = model.predict_annotator_perf(_safe_indexing(X, samples))
        kwargs["annotator_perf"] = perf
    mask = selector.choose(bounds, len(samples), random_state, **kwargs)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != (len(samples), bounds.shape[0]):
        raise ValueError(
            f"annotator_selection.choose returned shape {mask.shape}, expected "
            f"({len(samples)}, {bounds.shape[0]})."
        )
    return mask


def within_budget(value, cost, budget):
    """Greedy knapsack: pairs by decreasing value, each taken while it fits."""
    taken, left = [], budget
    for k in np.argsort(-value, kind="stable"):
        if cost[k] <= left:
            taken.append(k)
            left -= cost[k]
    return np.asarray(taken, dtype=np.intp)


#: The annotator selections ``MultiAnnotatorLearner`` names.
SELECTORS = {"ie_thresh": IEThresh, "random": RandomAnnotators, "best": BestAnnotators}


def selector(selection):
    """The selection named ``selection`` (a key of ``SELECTORS``), or the object."""
    return SELECTORS[selection]() if isinstance(selection, str) else selection
