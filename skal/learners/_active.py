"""The active learner: any scikit-learn estimator plus ``query`` and ``teach``."""

from ._base import BaseLearner
from ._docs import fill_shared


@fill_shared
class ActiveLearner(BaseLearner):
    """Wrap an estimator so that it chooses which samples to label next.

    The learner behaves like the estimator it wraps (``fit``, ``predict``,
    ``predict_proba``, ``score``) and adds ``query`` (which pool samples to
    label) and ``teach`` (add labels and refit). Rows of ``y`` equal to
    ``missing_label`` are unlabeled, as in scikit-learn's semi-supervised
    estimators. With ``budget`` set, ``fit`` simulates a whole acquisition
    run with ``y`` as the oracle, so ``GridSearchCV`` can rank strategies by
    their held-out score at that budget.

    Parameters
    ----------
    estimator : estimator object
        A classifier or regressor (or a ``Pipeline`` ending in one). It is
        cloned in ``fit``.
    query_strategy : str, strategy object or callable, default="entropy"
        How samples are chosen: a name (``"entropy"``, ``"margin"``,
        ``"least_confidence"``, ``"ratio"``, ``"random"``, ...), a strategy
        object such as ``UncertaintySampling(measure="margin")``, or a
        function (see :class:`skal.strategies.FunctionStrategy`).
    .. shared:: batch_size
    .. shared:: budget
    .. shared:: n_initial
    .. shared:: initial_strategy
    .. shared:: missing_label
    warm_start : bool, default=False
        If True, ``teach`` updates the fitted model (``partial_fit`` on the
        new rows when the estimator has it, else a refit of the fitted
        model, which honours the estimator's own ``warm_start``) instead of
        fitting a fresh clone on all labels.
    semi_supervised : bool, default=False
        If True, the estimator is fitted on every row of the pool, the
        unlabeled ones marked -1, so a semi-supervised classifier
        (``LabelSpreading``, ``LabelPropagation``, ``SelfTrainingClassifier``,
        or a ``Pipeline`` ending in one) learns from them too; class labels
        must then be integers other than -1. If False, it sees the labeled
        rows only.
    stopping : StoppingCriterion or list of them, default=None
        In simulation (``budget`` set), end acquisition early when any
        criterion of :mod:`skal.loop` fires (e.g.
        ``StabilizingPredictions()``); their ``score`` is ``pool_score``.
    .. shared:: n_jobs
    .. shared:: random_state

    Attributes
    ----------
    estimator_ : estimator object
        The model fitted on the labeled rows.
    classes_ : ndarray of shape (n_classes,)
        Class labels (classifiers only).
    query_strategy_ : BaseStrategy
        The resolved strategy.
    X_ : array-like, sparse matrix or DataFrame
        The samples of the last ``fit`` and any taught rows appended to them.
    y_ : ndarray of shape (n_rows,)
        Their labels; meaningful where ``labeled_mask_`` is True.
    labeled_mask_ : ndarray of bool of shape (n_rows,)
        Which rows of ``X_`` are labeled.
    history_ : list of dict
        One entry per round: ``round``, ``n_labeled``, ``indices`` (positions
        in ``X_``), ``query_seconds``, ``fit_seconds`` and, in simulation,
        ``pool_score`` (the score on the rows not yet queried).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Feature names seen in ``fit``, when ``X`` had them.

    See Also
    --------
    skal.strategies.UncertaintySampling : The default family of strategies.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal import ActiveLearner
    >>> from skal.datasets import make_pool
    >>> X, y = load_digits(return_X_y=True)
    >>> y_pool = make_pool(y, n_labeled=20, random_state=0)
    >>> learner = ActiveLearner(LogisticRegression(max_iter=200),
    ...                         query_strategy="margin", batch_size=5,
    ...                         random_state=0).fit(X, y_pool)
    >>> idx = learner.query()
    >>> learner = learner.teach(X[idx], y[idx])
    >>> int(learner.labeled_mask_.sum())
    25
    """

    _multilabel = True

    def __init__(
        self,
        estimator,
        *,
        query_strategy="entropy",
        batch_size=1,
        budget=None,
        n_initial=10,
        initial_strategy=None,
        missing_label=-1,
        warm_start=False,
        semi_supervised=False,
        stopping=None,
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
        self.warm_start = warm_start
        self.semi_supervised = semi_supervised
        self.stopping = stopping
        self.n_jobs = n_jobs
        self.random_state = random_state
