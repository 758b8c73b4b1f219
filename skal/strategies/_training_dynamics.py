"""Strategies that read what a net learned while it trained.

Label dispersion (Bengar et al. 2021) scores a row by how often the net
changed its mind about it over training; forgetting events (Toneva et al.
2019) count, on labeled rows, how often a correct prediction became wrong.
Predicted loss (Yoo & Kweon 2019) queries the rows a loss-prediction head
expects the largest loss on. None of this imports torch: the signals come
from the model (``prediction_history``, ``predict_loss``), see
:class:`skal.torch.PredictionHistory` and :class:`skal.torch.LossPredictionNet`.
"""

import numpy as np
from sklearn.utils._param_validation import validate_params

from ._base import _MAX_CANDIDATES, ScoreStrategy


@validate_params({"history": ["array-like"]}, prefer_skip_nested_validation=True)
def label_dispersion(history):
    """Return the label dispersion of each row of a prediction history.

    ``history[t, i]`` is the class predicted for row ``i`` at the ``t``-th
    recording. With ``f_i`` the number of recordings that predicted the most
    frequent class of row ``i`` among ``T``, the dispersion is
    ``1 - f_i / T`` (Bengar et al. 2021): 0 for a row the net always
    predicted the same way, close to 1 for one it never settled on.

    Parameters
    ----------
    history : array-like of shape (n_recordings, n_rows)
        Predicted classes (any labels), one row per recording.

    Returns
    -------
    dispersion : ndarray of shape (n_rows,)
        Values in ``[0, 1 - 1/T]``.

    Examples
    --------
    >>> from skal.strategies import label_dispersion
    >>> label_dispersion([[0, 1], [0, 2], [0, 1], [0, 3]]).tolist()
    [0.0, 0.5]
    """
    history = np.asarray(history)
    if history.ndim != 2 or history.shape[0] == 0:
        raise ValueError(
            "history must have shape (n_recordings, n_rows) with at least one "
            f"recording; got shape {history.shape}."
        )
    n_rec = history.shape[0]
    _, codes = np.unique(history, return_inverse=True)
    codes = codes.reshape(history.shape)
    counts = np.zeros((codes.max() + 1, history.shape[1]), dtype=np.intp)
    np.add.at(counts, (codes, np.arange(history.shape[1])[None, :]), 1)
    return 1.0 - counts.max(axis=0) / n_rec


@validate_params(
    {"history": ["array-like"], "y": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def forgetting_events(history, y):
    """Count the forgetting events of each labeled row (Toneva et al. 2019).

    A forgetting event of row ``i`` is a recording ``t`` where row ``i`` is
    predicted correctly and the next recording predicts it wrongly.

    Parameters
    ----------
    history : array-like of shape (n_recordings, n_rows)
        Predicted classes, one row per recording.
    y : array-like of shape (n_rows,)
        The true labels.

    Returns
    -------
    events : ndarray of int of shape (n_rows,)
        Forgetting events per row. A row never predicted correctly has 0;
        ``(history == y).any(axis=0)`` tells whether a row was ever learned
        (Toneva et al. count never-learned rows as forgotten infinitely often).

    Examples
    --------
    >>> from skal.strategies import forgetting_events
    >>> forgetting_events([[1, 0], [0, 0], [1, 1], [0, 0]], [1, 0]).tolist()
    [2, 1]
    """
    history, y = np.asarray(history), np.asarray(y)
    if history.ndim != 2 or history.shape[1] != y.shape[0]:
        raise ValueError(
            "history must have shape (n_recordings, n_rows) and y shape (n_rows,); "
            f"got {history.shape} and {y.shape}."
        )
    correct = history == y[None, :]
    return (correct[:-1] & ~correct[1:]).sum(axis=0)


_HISTORY_FIX = (
    "Give the net a skal.torch.PredictionHistory callback "
    "(callbacks=[PredictionHistory()]) and wrap it in skal.torch.SkorchAdapter or "
    "skal.BayesianLearner."
)


class LabelDispersion(ScoreStrategy):
    """Query the rows whose predicted class changed most during training.

    The net records its predictions during training (a
    :class:`skal.torch.PredictionHistory` callback keeps a copy of the
    weights every ``k`` epochs or steps); a candidate's score is its
    :func:`label_dispersion` over those recordings, ``1 - f_x / T``
    (Bengar et al. 2021, "Reducing label effort:
    self-supervised meets active learning"). Each query also records the
    :func:`forgetting_events` of the labeled rows (Toneva et al. 2019) in
    ``forgetting_events_``, a diagnostic.

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool rows: this many (int) or this
        share of them (a float in (0, 1), rounded up), never fewer than the
        batch.

    Attributes
    ----------
    forgetting_events_ : ndarray of int of shape (n_labeled,)
        Forgetting events of the labeled rows (context order) at the last
        query.
    n_recordings_ : int
        Recordings ``T`` behind the last query's scores.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import LabelDispersion, QueryContext
    >>> history = np.array([[0, 1, 2], [0, 2, 2], [0, 1, 1], [0, 0, 2]])
    >>> ctx = QueryContext(np.zeros((3, 1)),
    ...                    signals={"prediction_history": lambda X: history})
    >>> LabelDispersion().select(ctx, 1)[0].tolist()
    [1]
    """

    task = "classification"
    required_signals = ("prediction_history",)
    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _score(self, context):
        history = context.signal("prediction_history", fix=_HISTORY_FIX)
        self.n_recordings_ = int(history.shape[0])
        if context.n_labeled:
            provider = context.require("prediction_history", fix=_HISTORY_FIX)
            labeled = np.asarray(provider(context.X_labeled))
            self.forgetting_events_ = forgetting_events(labeled, context.y_labeled)
        else:
            self.forgetting_events_ = np.zeros(0, dtype=np.intp)
        return label_dispersion(history)


class PredictedLoss(ScoreStrategy):
    """Query the rows with the largest predicted loss (Yoo & Kweon 2019).

    The model predicts its own loss on each row with a loss-prediction
    head trained jointly with the task (:class:`skal.torch.LossPredictionNet`);
    the strategy takes the candidates whose predicted loss is highest
    ("Learning Loss for Active Learning", CVPR 2019).

    Parameters
    ----------
    max_candidates : int, float or None, default=None
        Score only a random subsample of the pool rows: this many (int) or this
        share of them (a float in (0, 1), rounded up), never fewer than the
        batch (the paper scores a random subset of 10,000).

    Examples
    --------
    >>> import numpy as np
    >>> from skal.strategies import PredictedLoss, QueryContext
    >>> ctx = QueryContext(np.array([[0.5], [2.0], [1.0]]),
    ...                    signals={"predicted_loss": lambda X: X[:, 0]})
    >>> PredictedLoss().select(ctx, 2)[0].tolist()
    [1, 2]
    """

    required_signals = ("predicted_loss",)
    _parameter_constraints = {"max_candidates": _MAX_CANDIDATES}

    def __init__(self, *, max_candidates=None):
        self.max_candidates = max_candidates

    def _score(self, context):
        fix = "Use skal.torch.LossPredictionNet as the estimator."
        return np.ravel(context.map("predicted_loss", np.ravel, fix=fix))
