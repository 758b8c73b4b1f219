"""The multi-annotator learner: choose samples and who labels them."""

import time
import warnings
from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..learners import ActiveLearner
from ..utils import missing_mask
from ..utils._labels import as_integer_labels, check_label_types, warn_marker_as_text
from ..utils._validation import MISSING_LABEL_CONSTRAINT, POSITIVE_INT, _NoBool
from ._aggregation import aggregate
from ._labels import (
    all_classes,
    check_annotator_labels,
    check_costs,
    check_max_cost,
    check_relabel,
    check_taught_pairs,
    history_entry,
    masked_score,
)
from ._matrix import LabelMatrixFit, label_codes, takes_label_matrix, with_classes
from ._selection import (
    SELECTORS,
    choose_annotators,
    interval_estimation,
    selector,
    within_budget,
)

#: The inner learner's marker of unlabeled class positions; not -1, since
#: positions {-1, 1} alone (only the second class voted) would read as the
#: ambiguous y that skal refuses under missing_label=-1.
_UNLABELED = -2


class MultiAnnotatorLearner(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """Active learning with several noisy annotators: query (sample, annotator) pairs.

    Labels live in an ``(n_samples, n_annotators)`` matrix, ``missing_label``
    where an annotator has not labeled a sample. Each query the labels are
    aggregated (majority vote or Dawid–Skene), a single-annotator skal
    strategy ranks the samples nobody has labeled yet (as scikit-activeml's
    ``SingleAnnotatorWrapper`` does), and ``annotator_selection`` decides who
    labels each chosen sample; with ``annotator_costs`` and ``max_cost`` the
    pairs of highest value per cost are taken until the budget is spent.

    Parameters
    ----------
    estimator : estimator object
        A classifier, fitted on the aggregated labels; a multi-annotator one
        (:class:`AnnotatorLogisticRegression`...) is fitted on the labels.
    query_strategy : str or strategy object, default="entropy"
        Any skal strategy (see :class:`skal.ActiveLearner`).
    annotator_selection : {"ie_thresh", "random", "best"} or object, default="ie_thresh"
        Who labels a chosen sample: :class:`IEThresh` (upper confidence bound
        of the agreement with the aggregated label above ``epsilon`` times
        the best), :class:`RandomAnnotators` or :class:`BestAnnotators` (one
        annotator each when named), :class:`ModelBestAnnotators` (the ones a
        multi-annotator model expects right per sample), or an object with
        ``choose(bounds, n_samples, random_state)``.
    aggregation : {"majority", "dawid_skene"} or object, default="majority"
        One label per sample from several: majority vote, or :class:`DawidSkene`
        EM (an object with ``fit(Y)`` and ``predict(Y)`` may be given).
    annotator_costs : array-like of shape (n_annotators,), default=None
        Cost of one label of each annotator; 1 each when None.
    max_cost : float, default=None
        Cost budget of one query; None takes every chosen pair.
    batch_size : int, default=1
        Samples the strategy chooses per query.
    alpha : float, default=0.05
        Confidence level of the annotators' accuracy intervals.
    initial_strategy : str, strategy object or None, default=None
        Chooses the first samples when nothing is labeled; ``None`` is the
        query strategy when it needs no model, else random (as in
        :class:`skal.ActiveLearner`).
    missing_label : scalar, str, None or nan, default=-1
        Marker of a missing label in ``Y``.
    classes : array-like of shape (n_classes,), default=None
        Every class; None takes the labels taught so far. Give it when the
        model has a fixed number of outputs (a network) and the first labels
        may miss a class: a model with a ``classes`` parameter gets them all.
    random_state : int, RandomState instance or None, default=None

    Attributes
    ----------
    X_ : array-like of shape (n_samples, n_features)
    Y_ : ndarray of shape (n_samples, n_annotators)
        The labels so far.
    y_aggregated_ : ndarray of shape (n_samples,)
        One label per sample, ``missing_label`` where nobody labeled it.
    learner_ : ActiveLearner
        The single-annotator learner fitted on ``y_aggregated_``.
    estimator_ : estimator object
        Its fitted model (None before the first label): on the aggregated
        labels, or the label matrix for a multi-annotator classifier.
    classes_ : ndarray of shape (n_classes,)
    annotator_bounds_ : ndarray of shape (n_annotators, 3)
        Lower bound, mean and upper bound of each annotator's agreement with
        the majority vote of the others (:func:`interval_estimation`).
    aggregator_ : DawidSkene or None
        The fitted aggregator when ``aggregation`` is not "majority".
    cost_spent_ : float
        Total cost of the labels taught.
    history_ : list of dict
        One entry per ``teach``: ``round``, ``n_labels``, ``pairs``, ``cost``,
        ``query_seconds``, ``fit_seconds``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_blobs
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.annotators import MultiAnnotatorLearner
    >>> from skal.loop import NoisyOracle
    >>> X, y = make_blobs(200, centers=2, random_state=0)
    >>> oracle = NoisyOracle(y, flip_rate=[0.0, 0.3, 0.5], random_state=0)
    >>> learner = MultiAnnotatorLearner(LogisticRegression(), batch_size=2,
    ...                                 random_state=0)
    >>> learner = learner.fit(X, np.full((200, 3), -1))
    >>> for _ in range(5):
    ...     pairs = learner.query()
    ...     labels = oracle.label(pairs[:, 0], annotators=pairs[:, 1])
    ...     learner = learner.teach(pairs[:, 0], pairs[:, 1], labels)
    >>> int((learner.Y_ != -1).sum()), round(learner.score(X, y), 2)
    (30, 0.97)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_proba"])],
        "query_strategy": [str, callable, HasMethods(["select"])],
        "annotator_selection": [StrOptions(set(SELECTORS)), HasMethods(["choose"])],
        "aggregation": [
            StrOptions({"majority", "dawid_skene"}),
            HasMethods(["fit", "predict"]),
        ],
        "annotator_costs": ["array-like", None],
        "max_cost": [_NoBool(Real, 0, None, closed="neither"), None],
        "batch_size": [POSITIVE_INT],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "initial_strategy": [str, callable, HasMethods(["select"]), None],
        "missing_label": MISSING_LABEL_CONSTRAINT,
        "classes": ["array-like", None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator,
        *,
        query_strategy="entropy",
        annotator_selection="ie_thresh",
        aggregation="majority",
        annotator_costs=None,
        max_cost=None,
        batch_size=1,
        alpha=0.05,
        initial_strategy=None,
        missing_label=-1,
        classes=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.query_strategy = query_strategy
        self.annotator_selection = annotator_selection
        self.aggregation = aggregation
        self.annotator_costs = annotator_costs
        self.max_cost = max_cost
        self.batch_size = batch_size
        self.alpha = alpha
        self.initial_strategy = initial_strategy
        self.missing_label = missing_label
        self.classes = classes
        self.random_state = random_state

    # ------------------------------------------------------------- fitting
    def _aggregate(self):
        """Aggregate ``Y_``, refit the inner learner and the annotator bounds."""
        y, self.aggregator_ = aggregate(
            self.Y_, self._labeled, self.aggregation, self.missing_label, self._rng
        )
        self.y_aggregated_ = y
        # the inner learner sees class positions (_UNLABELED: unlabeled), so
        # no label value can be misread as the missing marker
        labels = self.Y_[self._labeled]
        self._all_classes = all_classes(labels, self.classes)
        known = ~missing_mask(y, self.missing_label)
        codes = np.full(y.shape[0], _UNLABELED, dtype=np.intp)  # ints, as nets need
        if known.any():
            codes[known] = np.searchsorted(self._all_classes, y[known])
        start = time.perf_counter()
        with warnings.catch_warnings():
            # the inner learner would name class positions; say it with labels
            warnings.filterwarnings("ignore", "Only one class", UserWarning)
            self.learner_ = self._inner_learner(known).fit(self.X_, codes)
        self.estimator_ = self.learner_.estimator_
        if self.estimator_ is not None:
            self.classes_ = self._all_classes[self.learner_.classes_.astype(np.intp)]
            if len(self.classes_) < 2:
                warnings.warn(
                    f"Only one class ({self.classes_.tolist()[0]!r}) is labeled so "
                    "far: the model predicts it everywhere and samples are chosen "
                    "at random until a second class is labeled.",
                    UserWarning,
                    stacklevel=3,
                )
        self.annotator_bounds_ = interval_estimation(
            self.Y_, alpha=self.alpha, missing_label=self.missing_label
        )
        return time.perf_counter() - start

    def _inner_learner(self, known):
        estimator = with_classes(self.estimator, self.classes, self._all_classes)
        if takes_label_matrix(estimator):  # fitted on the labels, not their vote
            codes = label_codes(self.Y_, self._labeled, self._all_classes)
            estimator = LabelMatrixFit(estimator, codes[known])
        return ActiveLearner(
            estimator,
            query_strategy=self.query_strategy,
            batch_size=self.batch_size,
            initial_strategy=self.initial_strategy,
            missing_label=_UNLABELED,
            random_state=self._rng.randint(np.iinfo(np.int32).max),
        )

    def fit(self, X, Y):
        """Fit on the labels given so far.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            All samples.
        Y : array-like of shape (n_samples, n_annotators)
            Each annotator's labels, ``missing_label`` where it has none
            (all missing for a cold start).

        Returns
        -------
        self : object
        """
        self._validate_params()
        Y, labeled = check_annotator_labels(Y, self.missing_label, X=X)
        warn_marker_as_text(self.missing_label, Y.ravel(), stacklevel=3)
        self._rng = check_random_state(self.random_state)
        self._costs_ = check_costs(self.annotator_costs, Y.shape[1])
        self.X_, self.n_annotators_ = X, Y.shape[1]
        self.Y_ = Y.astype(object) if Y.dtype.kind == "O" else Y.copy()
        self._labeled = labeled
        self.cost_spent_ = 0.0
        fit_seconds = self._aggregate()
        self._last_query_seconds = 0.0
        self.history_ = [history_entry(0, labeled, [], 0.0, 0.0, fit_seconds)]
        return self

    # --------------------------------------------------------------- query
    def query(self, batch_size=None, max_cost=None, return_scores=False):
        """Return the (sample, annotator) pairs to label next, best first.

        Parameters
        ----------
        batch_size : int, default=None
            Samples to choose; the learner's ``batch_size`` when None.
        max_cost : float, default=None
            Cost budget of this query; the learner's ``max_cost`` when None.
        return_scores : bool, default=False
            Also return each pair's value per cost.

        Returns
        -------
        pairs : ndarray of int of shape (n_pairs, 2)
            Column 0: sample positions in ``X_``; column 1: annotators.
        values : ndarray of shape (n_pairs,)
            Returned when ``return_scores=True``.
        """
        check_is_fitted(self, "Y_")
        start = time.perf_counter()
        batch_size = self.batch_size if batch_size is None else batch_size
        max_cost = self.max_cost if max_cost is None else max_cost
        check_max_cost(max_cost)
        if self._labeled.any(axis=1).all():
            raise ValueError(
                "Every sample has a label from some annotator, so there is no sample "
                "left to query; teach further annotators' labels directly."
            )
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Only one class", UserWarning)
            samples = self.learner_.query(batch_size=batch_size)
        model, bounds = self.estimator_, self.annotator_bounds_
        chooser = selector(self.annotator_selection)
        mask = choose_annotators(chooser, bounds, samples, self.X_, model, self._rng)
        mask &= ~self._labeled[samples]
        # value of a pair: sample rank weight x estimated accuracy, per cost
        rank_weight = (len(samples) - np.arange(len(samples))) / len(samples)
        accuracy = np.clip(self.annotator_bounds_[:, 1], 1e-3, None)
        value = rank_weight[:, None] * accuracy[None, :] / self._costs_[None, :]
        rows, cols = np.nonzero(mask)
        order = np.lexsort((-value[rows, cols], rows))
        if max_cost is not None:
            order = within_budget(value[rows, cols], self._costs_[cols], max_cost)
            if order.size == 0:
                raise ValueError(
                    f"max_cost={max_cost} is below the cost of every annotator "
                    f"chosen (the cheapest costs {self._costs_[cols].min()}), so no "
                    "pair fits the budget; raise max_cost."
                )
        pairs = np.column_stack([samples[rows[order]], cols[order]]).astype(np.intp)
        self._last_query_seconds = time.perf_counter() - start
        return (pairs, value[rows[order], cols[order]]) if return_scores else pairs

    # --------------------------------------------------------------- teach
    def teach(self, idx, annotator, label):
        """Record labels of (sample, annotator) pairs, re-aggregate and refit.

        Parameters
        ----------
        idx : array-like of int of shape (n_labels,)
            Sample positions in ``X_``.
        annotator : array-like of int of shape (n_labels,)
            Who gave each label.
        label : array-like of shape (n_labels,)
            The labels (no missing marker, no NaN).

        Returns
        -------
        self : object
        """
        check_is_fitted(self, "Y_")
        idx, annotator, label = check_taught_pairs(
            idx, annotator, label, self.Y_.shape, self.missing_label
        )
        check_label_types(label, name="label", known=self.Y_[self._labeled])
        label = as_integer_labels(label, self.Y_.dtype)
        new = check_relabel(self.Y_, self._labeled, idx, annotator, label)
        if label.dtype.kind in "USO" and self.Y_.dtype.kind not in "USO":
            self.Y_ = self.Y_.astype(object)  # text labels, numeric marker
        elif label.dtype.kind == "f" and self.Y_.dtype.kind in "iub":
            self.Y_ = self.Y_.astype(float)
        self.Y_[idx, annotator] = label
        self._labeled[idx, annotator] = True
        cost = float(self._costs_[annotator[new]].sum())
        self.cost_spent_ += cost
        fit_seconds = self._aggregate()
        pairs = np.column_stack([idx, annotator]).tolist()
        times = (self._last_query_seconds, fit_seconds)
        entry = history_entry(len(self.history_), self._labeled, pairs, cost, *times)
        self.history_.append(entry)
        self._last_query_seconds = 0.0
        return self

    # ---------------------------------------------------------- prediction
    score = masked_score  # unlabeled rows skipped, as the pool learners score

    def _model(self):
        check_is_fitted(self, "Y_")
        if self.estimator_ is None:
            raise ValueError("Nothing is labeled yet: teach some labels first.")
        return self.estimator_

    def predict(self, X):
        """Predict with the fitted model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        self._model()
        codes = np.asarray(self.learner_.predict(X)).astype(np.intp)
        return self._all_classes[codes]

    def predict_proba(self, X):
        """Class probabilities of the fitted model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        self._model()
        return self.learner_.predict_proba(X)
