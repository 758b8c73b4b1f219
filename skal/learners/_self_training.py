"""Cost-effective active learning: ask the oracle if unsure, pseudo-label if sure."""

import time
from numbers import Real

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils._param_validation import Interval

from ..strategies import entropy
from ..utils import missing_mask, score_in_chunks, take_rows
from ..utils._labels import model_labels
from ._base import BaseLearner
from ._docs import fill_shared
from ._teach import refuse_teach_kwargs


@fill_shared
class ActiveSelfTrainingClassifier(BaseLearner):
    """Query uncertain samples for the oracle and pseudo-label the confident ones.

    Cost-effective active learning (CEAL; Wang et al. 2017). Each round the
    learner asks the oracle for the most uncertain pool samples (the normal
    ``query``) and also labels, with its own prediction, every pool sample
    whose predictive entropy is below a threshold ``delta_t``. The model is
    trained on the oracle labels plus these pseudo-labels. The threshold
    shrinks linearly, ``delta_t = max(delta - threshold_decay * t, 0)`` in
    round ``t``, so the learner trusts itself less as the oracle labels grow.

    Pseudo-labels are kept apart from oracle labels: they live in
    ``pseudo_mask_`` and ``pseudo_labels_``, never in ``y_`` or
    ``labeled_mask_``, stay in the pool (``query`` may still ask for them)
    and are re-decided every round (each ``fit`` and ``teach``) by a model
    trained on the oracle labels alone, so a wrong pseudo-label never
    reinforces itself.

    Parameters
    ----------
    estimator : estimator object
        A classifier with ``predict_proba`` (or a ``Pipeline`` ending in
        one). It is cloned in ``fit``.
    query_strategy : str, strategy object or callable, default="entropy"
        How the oracle's samples are chosen (CEAL uses an uncertainty
        measure: ``"entropy"``, ``"margin"`` or ``"least_confidence"``).
    delta : float, default=0.05
        Initial entropy threshold (in nats) below which a pool sample is
        pseudo-labeled; 0 disables pseudo-labeling.
    threshold_decay : float, default=0.0033
        Amount subtracted from the threshold each round.
    .. shared:: batch_size
    .. shared:: budget
    .. shared:: n_initial
    .. shared:: initial_strategy
    .. shared:: missing_label
    .. shared:: n_jobs
    .. shared:: random_state

    Attributes
    ----------
    estimator_ : estimator object
        The model trained on oracle labels and pseudo-labels.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    query_strategy_ : BaseStrategy
        The resolved strategy.
    X_ : array-like, sparse matrix or DataFrame
        The samples of the last ``fit`` and any taught rows.
    y_ : ndarray of shape (n_rows,)
        Oracle labels; meaningful where ``labeled_mask_`` is True.
    labeled_mask_ : ndarray of bool of shape (n_rows,)
        Rows of ``X_`` labeled by the oracle.
    pseudo_mask_ : ndarray of bool of shape (n_rows,)
        Rows of ``X_`` pseudo-labeled in the last round (disjoint from
        ``labeled_mask_``).
    pseudo_labels_ : ndarray of shape (n_pseudo,)
        Their pseudo-labels, in the order of ``np.flatnonzero(pseudo_mask_)``.
    history_ : list of dict
        As for :class:`skal.ActiveLearner`, plus ``threshold`` and
        ``n_pseudo`` per round and, in simulation, ``n_pseudo_correct``
        (pseudo-labels that equal the hidden label, among rows whose label
        ``y`` holds).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Feature names seen in ``fit``, when ``X`` had them.

    See Also
    --------
    skal.ActiveLearner : The same loop without pseudo-labels.
    sklearn.semi_supervised.SelfTrainingClassifier : Self-training alone.

    References
    ----------
    K. Wang, D. Zhang, Y. Li, R. Zhang and L. Lin. Cost-effective active
    learning for deep image classification. IEEE TCSVT 27(12), 2017.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveSelfTrainingClassifier
    >>> X, y = load_digits(return_X_y=True)
    >>> ceal = ActiveSelfTrainingClassifier(
    ...     LogisticRegression(max_iter=200), delta=0.1, threshold_decay=0.01,
    ...     budget=40, n_initial=20, batch_size=10, random_state=0).fit(X, y)
    >>> [round(h["threshold"], 2) for h in ceal.history_]
    [0.1, 0.09, 0.08]
    >>> bool((ceal.pseudo_mask_ & ceal.labeled_mask_).any())
    False
    >>> all(h["n_pseudo_correct"] <= h["n_pseudo"] for h in ceal.history_)
    True
    """

    #: ``teach`` always refits on oracle labels plus fresh pseudo-labels.
    warm_start = False

    _oracle_known = False  # True while fit simulates with y as the oracle
    _extra_constraints = {
        "delta": [Interval(Real, 0, None, closed="left")],
        "threshold_decay": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        estimator,
        *,
        query_strategy="entropy",
        delta=0.05,
        threshold_decay=0.0033,
        batch_size=1,
        budget=None,
        n_initial=10,
        initial_strategy=None,
        missing_label=-1,
        n_jobs=None,
        random_state=None,
    ):
        self.estimator = estimator
        self.query_strategy = query_strategy
        self.delta = delta
        self.threshold_decay = threshold_decay
        self.batch_size = batch_size
        self.budget = budget
        self.n_initial = n_initial
        self.initial_strategy = initial_strategy
        self.missing_label = missing_label
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y):
        """Fit on oracle and pseudo-labels; with ``budget``, simulate acquisition.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), sparse matrix or DataFrame
            All samples, labeled and unlabeled.
        y : array-like of shape (n_samples,)
            Labels; rows equal to ``missing_label`` (or NaN/None) form the pool.
            With ``budget`` set, ``y`` is the hidden oracle.

        Returns
        -------
        self : object
            The fitted learner.
        """
        self._oracle_known = self.budget is not None
        try:
            super().fit(X, y)
        finally:
            self._oracle_known = False
        for entry, info in zip(self.history_, self._rounds):
            entry.update(info)
        return self

    def _start_fit(self):
        if not is_classifier(self.estimator):
            raise ValueError(
                f"{type(self).__name__} needs a classifier; got "
                f"{type(self.estimator).__name__}."
            )
        if not hasattr(self.estimator, "predict_proba"):
            raise TypeError(
                f"{type(self).__name__} pseudo-labels by predictive entropy, which "
                f"needs predict_proba; {type(self.estimator).__name__} does not "
                "provide it. Wrap it in CalibratedClassifierCV(...)."
            )
        self._round, self._rounds = 0, []

    def teach(self, X, y, *, pool_indices=None, relabel="raise", **kwargs):
        """Add oracle labels, re-decide the pseudo-labels and refit.

        Parameters
        ----------
        X : array-like of shape (n_new, n_features), sparse matrix or DataFrame
            The newly labeled samples.
        y : array-like of shape (n_new,)
            Their labels (no missing labels).
        pool_indices : array-like of int, default=None
            Positions of these rows in the fitted ``X``, when they come from it.
        relabel : {"raise", "replace"}, default="raise"
            What a different label for an already-labeled row does (see
            :meth:`skal.ActiveLearner.teach`).
        **kwargs
            None is taken (modAL's ``only_new`` gets a ``TypeError`` naming
            skal's way).

        Returns
        -------
        self : object
            The refitted learner.
        """
        refuse_teach_kwargs(kwargs)
        super().teach(X, y, pool_indices=pool_indices, relabel=relabel)
        self.history_[-1].update(self._rounds[-1])
        return self

    def _refit(self, X, y, labeled):
        if not labeled.any():  # a cold start: no model, no pseudo-labels
            self._pending_pseudo = (np.empty(0, dtype=np.intp), y[:0])
            return None, 0.0
        start = time.perf_counter()
        estimator = self._fit_estimator(take_rows(X, labeled), model_labels(y[labeled]))
        threshold = max(float(self.delta - self.threshold_decay * self._round), 0.0)
        self._round += 1
        pool = np.flatnonzero(~labeled)
        chosen, labels = pool[:0], np.asarray(estimator.classes_)[:0]
        if pool.size and threshold > 0 and len(estimator.classes_) > 1:
            proba = score_in_chunks(
                estimator.predict_proba, take_rows(X, pool), allow_nan=True
            )
            sure = entropy(proba) < threshold
            chosen = pool[sure]
            labels = np.asarray(estimator.classes_)[proba[sure].argmax(axis=1)]
        info = {"threshold": threshold, "n_pseudo": int(chosen.size)}
        if self._oracle_known:
            known = ~missing_mask(y[chosen], self.missing_label)
            info["n_pseudo_correct"] = int(np.sum(y[chosen][known] == labels[known]))
        if chosen.size:
            y_train = y.copy()
            y_train[chosen] = labels
            rows = labeled.copy()
            rows[chosen] = True
            estimator = self._fit_estimator(take_rows(X, rows), y_train[rows])
        self._rounds.append(info)
        self._pending_pseudo = (chosen, labels)
        return estimator, time.perf_counter() - start

    def _set_fitted(self, X, y, labeled, estimator):
        super()._set_fitted(X, y, labeled, estimator)
        chosen, labels = self._pending_pseudo
        self.pseudo_mask_ = np.zeros(labeled.shape[0], dtype=bool)
        self.pseudo_mask_[chosen] = True
        self.pseudo_labels_ = labels
