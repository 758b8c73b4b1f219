"""Oracles: who answers queries (true labels, noisy labels, a function).

The person at the terminal is :class:`TerminalOracle`, in ``_terminal``.
"""

import numpy as np
from sklearn.utils import check_random_state

from ..utils import missing_mask, num_rows, take_rows
from ..utils._validation import check_positions


class _Signal:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


#: An oracle's answer meaning "do not label this sample".
SKIP = _Signal("SKIP")
#: An oracle's answer meaning "take back the previous label".
UNDO = _Signal("UNDO")
#: An oracle's answer meaning "end the session".
STOP = _Signal("STOP")


class Oracle:
    """Base class of oracles.

    ``label(indices, X)`` answers a batch (an array of labels);
    ``ask(index, x)`` answers one sample and may also return :data:`SKIP`,
    :data:`UNDO` or :data:`STOP`. Interactive oracles (``interactive =
    True``) are asked one sample at a time.
    """

    interactive = False

    def label(self, indices, X=None):
        """Return the labels of the samples at ``indices``.

        Parameters
        ----------
        indices : array-like of int
            Positions of the samples in the data set.
        X : array-like, default=None
            The data set (oracles that look at the samples need it).

        Returns
        -------
        labels : ndarray of shape (len(indices),)
            One label per sample.
        """
        raise NotImplementedError

    def ask(self, index, x=None):
        """Return the label of one sample.

        Parameters
        ----------
        index : int
            Position of the sample.
        x : array-like, default=None
            The sample.

        Returns
        -------
        label : object
            Its label, or :data:`SKIP`, :data:`UNDO` or :data:`STOP`.
        """
        X = None if x is None else [x]
        return self.label(np.array([index]), X)[0]


class SimulatedOracle(Oracle):
    """Answer with the true labels: the oracle of every simulation.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The true labels of the whole data set.

    Examples
    --------
    >>> from skal.loop import SimulatedOracle
    >>> SimulatedOracle([3, 1, 2]).label([2, 0]).tolist()
    [2, 3]
    """

    def __init__(self, y):
        self.y = y

    def label(self, indices, X=None):
        y = np.asarray(self.y)
        return y[check_positions(indices, y.shape[0] if y.ndim else 0)]


class NoisyOracle(Oracle):
    """Answer with the true labels, each flipped to another class at random.

    Models an annotator who errs with probability ``flip_rate``; a flipped
    label is drawn uniformly from the other classes. With one flip rate per
    annotator (a list), it models several annotators of different accuracy
    and, with ``costs``, different prices: ``label(indices, annotators=a)``
    asks annotator ``a[k]`` about sample ``indices[k]``, and ``label(indices)``
    asks every annotator about every sample (an ``(n, n_annotators)`` matrix).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The true labels.
    flip_rate : float or array-like of shape (n_annotators,)
        Probability of a wrong answer, in [0, 1]; one per annotator for
        several annotators.
    classes : array-like, default=None
        Classes a wrong answer is drawn from; the values of ``y`` when None.
    costs : float or array-like of shape (n_annotators,), default=None
        Cost of one answer of each annotator; 1 when None.
    random_state : int, RandomState instance or None, default=None
        Seeds which answers are wrong.

    Attributes
    ----------
    n_flipped_ : int
        Wrong answers given so far.
    n_answers_ : ndarray of int of shape (n_annotators,)
        Answers given so far by each annotator.
    cost_spent_ : float
        Total cost of the answers given.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.loop import NoisyOracle
    >>> y = np.repeat([0, 1], 500)
    >>> oracle = NoisyOracle(y, flip_rate=0.2, random_state=0)
    >>> answers = oracle.label(np.arange(1000))
    >>> flipped = int(np.sum(answers != y))
    >>> 150 < flipped < 250, oracle.n_flipped_ == flipped
    (True, True)

    Three annotators, the last one guessing and the first one expensive:

    >>> crowd = NoisyOracle(y, [0.0, 0.1, 0.5], costs=[5, 1, 1], random_state=0)
    >>> crowd.label([0, 999], annotators=[0, 0]).tolist(), crowd.cost_spent_
    ([0, 1], 10.0)
    >>> (crowd.label(np.arange(1000)) != y[:, None]).mean(axis=0).round(1).tolist()
    [0.0, 0.1, 0.5]
    """

    def __init__(self, y, flip_rate, *, classes=None, costs=None, random_state=None):
        self.y = y
        self.flip_rate = flip_rate
        self.classes = classes
        self.costs = costs
        self.random_state = random_state

    def _rates(self):
        rates = np.atleast_1d(np.asarray(self.flip_rate))
        if rates.dtype.kind not in "iuf" or rates.ndim != 1 or rates.size == 0:
            raise ValueError(
                "flip_rate must be a float or a 1-D list with one rate per "
                f"annotator, got {self.flip_rate!r}."
            )
        if np.any(~np.isfinite(rates)) or np.any((rates < 0) | (rates > 1)):
            raise ValueError(f"flip_rate must be in [0, 1], got {self.flip_rate!r}.")
        costs = np.ones(rates.size) if self.costs is None else self.costs
        costs = np.asarray(costs, dtype=float)
        if costs.ndim > 1 or costs.size not in (1, rates.size):
            raise ValueError(
                f"costs must be one cost, or one per annotator ({rates.size} "
                f"flip rates), got {self.costs!r}."
            )
        costs = np.broadcast_to(costs, rates.shape)
        if np.any(~np.isfinite(costs)) or np.any(costs < 0):
            raise ValueError(f"costs must be finite and >= 0, got {self.costs!r}.")
        return rates.astype(float), costs

    @property
    def n_annotators(self):
        """Number of annotators (the length of ``flip_rate``)."""
        return self._rates()[0].size

    def label(self, indices, X=None, *, annotators=None):
        """Return the answers about the samples at ``indices``.

        Parameters
        ----------
        indices : array-like of int
            Positions of the samples in the data set.
        X : array-like, default=None
            Unused (the answers depend on the true labels only).
        annotators : array-like of int, default=None
            Who answers about each sample. When None: the single annotator
            (one rate), or every annotator (several rates).

        Returns
        -------
        labels : ndarray of shape (len(indices),) or (len(indices), n_annotators)
            An ``(n, n_annotators)`` matrix when several annotators answer
            every sample.
        """
        rates, costs = self._rates()
        if not hasattr(self, "rng_"):
            self.rng_ = check_random_state(self.random_state)
            self.n_flipped_ = 0
            self.cost_spent_ = 0.0
        if getattr(self, "n_answers_", np.zeros(0)).shape != rates.shape:
            self.n_answers_ = np.zeros(rates.size, dtype=int)
        indices = check_positions(indices, np.shape(self.y)[0])
        if annotators is None and rates.size > 1:
            rows = np.repeat(indices, rates.size)
            who = np.tile(np.arange(rates.size), indices.size)
            return self._answer(rows, who, rates, costs).reshape(-1, rates.size)
        if annotators is None:
            annotators = np.zeros(indices.shape[0], dtype=np.intp)
        who = np.asarray(annotators)
        if who.shape != indices.shape or (who.size and who.dtype.kind not in "iu"):
            raise ValueError(
                f"annotators must be {indices.shape[0]} integer annotator indices, "
                f"one per sample; got {who!r}."
            )
        if who.size and (who.min() < 0 or who.max() >= rates.size):
            raise ValueError(
                f"annotators must be in 0..{rates.size - 1} (flip_rate has "
                f"{rates.size} rates); got {who.min()} to {who.max()}."
            )
        return self._answer(indices, who.astype(np.intp), rates, costs)

    def _answer(self, indices, who, rates, costs):
        y = np.asarray(self.y)
        if self.classes is None:  # a hole (NaN, None) is no class to answer
            classes = np.unique(y[~missing_mask(y.ravel(), None)])
        else:
            classes = np.asarray(self.classes)
        answers = y[indices].copy()
        if answers.dtype.kind in "US" and classes.dtype.kind in "US":
            answers = answers.astype(np.result_type(answers, classes))  # no 'bbb'->'b'
        flip = self.rng_.random_sample(answers.shape[0]) < rates[who]
        flip &= ~missing_mask(answers, None)  # no answer to get wrong
        for i in np.flatnonzero(flip):
            others = classes[classes != answers[i]]
            if others.size:
                answers[i] = self.rng_.choice(others)
                self.n_flipped_ += 1
        np.add.at(self.n_answers_, who, 1)
        self.cost_spent_ += float(costs[who].sum())
        return answers


class CallbackOracle(Oracle):
    """Answer by calling a function: a labeling service, a database, a rule.

    Parameters
    ----------
    fn : callable
        ``fn(X_rows, indices) -> labels``, called once per batch with the
        queried rows and their positions in the data set.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.loop import CallbackOracle
    >>> oracle = CallbackOracle(lambda rows, idx: (rows[:, 0] > 0).astype(int))
    >>> oracle.label([0, 2], np.array([[-1.0], [5.0], [2.0]])).tolist()
    [0, 1]
    """

    def __init__(self, fn):
        self.fn = fn

    def label(self, indices, X=None):
        if not callable(self.fn):
            raise TypeError(
                f"CallbackOracle needs a function fn(X_rows, indices) -> labels, "
                f"got {self.fn!r}."
            )
        n_rows = np.inf if X is None else num_rows(X)
        indices = check_positions(indices, n_rows)
        rows = None if X is None else _rows(X, indices)
        labels = np.asarray(self.fn(rows, indices))
        if labels.ndim == 0 or labels.shape[0] != indices.shape[0]:
            got = labels.shape[0] if labels.ndim else "no"
            raise ValueError(
                f"The oracle's function returned {got} labels for "
                f"{indices.shape[0]} samples."
            )
        return labels


def _rows(X, indices):
    rows = take_rows(X, np.asarray(indices, dtype=np.intp))
    return np.asarray(rows) if isinstance(rows, list) else rows
