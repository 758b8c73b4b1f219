"""Prequential (test-then-train) evaluation of a stream learner."""

import numpy as np
from sklearn.utils import Bunch
from sklearn.utils._param_validation import HasMethods

from ..utils import missing_mask
from ..utils._labels import check_aligned
from ..utils._validation import IntInterval, validate_params


@validate_params(
    {
        "learner": [HasMethods(["fit", "query", "update", "teach", "predict"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "n_initial": [IntInterval(0, None, closed="left")],
    },
    prefer_skip_nested_validation=False,
)
def prequential_evaluation(learner, X, y, *, n_initial=0):
    """Run a stream learner test-then-train over ``(X, y)``.

    The first ``n_initial`` samples are labeled for ``fit``; then each sample
    is first predicted (a wrong guess while the model knows no two classes
    yet), then offered to ``query``; its label is learned only when bought.
    The learner is fit on the initial samples, so it should know all the
    classes (``classes=[...]``) when ``n_initial`` is small.

    Parameters
    ----------
    learner : StreamActiveLearner
        The learner (refit here).
    X : array-like of shape (n_samples, n_features)
        The stream, in arrival order.
    y : array-like of shape (n_samples,)
        The true labels (the oracle).
    n_initial : int, default=0
        Samples labeled before the stream starts.

    Returns
    -------
    result : Bunch
        ``correct`` (bool per streamed sample), ``queried`` (bool per
        streamed sample), ``accuracy`` (prequential accuracy, the mean of
        ``correct``), ``n_queried`` and ``budget_used`` (``n_queried`` over
        the samples streamed).

    Examples
    --------
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.stream import (
    ...     StreamActiveLearner, make_rotating_hyperplane, prequential_evaluation
    ... )
    >>> X, y = make_rotating_hyperplane(1000, random_state=0)
    >>> learner = StreamActiveLearner(GaussianNB(), budget=0.1, classes=[0, 1])
    >>> result = prequential_evaluation(learner, X, y, n_initial=10)
    >>> result.n_queried, round(result.accuracy, 3)
    (112, 0.706)
    """
    check_aligned(X, y)
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            "X must hold numeric features (encode text or categories first, "
            f"e.g. with OneHotEncoder); got {np.asarray(X).dtype} values."
        ) from None
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X must be 2-D with one row per label; got X {X.shape}, y {y.shape}."
        )
    if n_initial > X.shape[0]:
        raise ValueError(
            f"n_initial={n_initial} is larger than the {X.shape[0]} samples of X."
        )
    marker = learner.get_params().get("missing_label", -1)
    hole = np.flatnonzero(missing_mask(y[n_initial:], marker)) + n_initial
    if hole.size:  # taught, it would be skipped as unlabeled and scored wrong
        raise ValueError(
            f"y is the oracle of the stream, so every streamed sample needs its "
            f"label, but rows {hole[:10].tolist()} are missing (NaN, None or "
            f"missing_label={marker!r}); drop them, or mark them among the first "
            "n_initial rows only."
        )
    learner.fit(X[:n_initial], y[:n_initial])
    n = X.shape[0] - n_initial
    correct = np.zeros(n, dtype=bool)
    queried = np.zeros(n, dtype=bool)
    for t in range(n):
        x = X[n_initial + t : n_initial + t + 1]
        label = y[n_initial + t : n_initial + t + 1]
        if learner.model_fitted_:
            correct[t] = learner.predict(x)[0] == label[0]
        ask, utility = learner.query(x, return_utilities=True)
        learner.update(x, ask, utilities=utility)
        if ask[0]:
            learner.teach(x, label)
        queried[t] = ask[0]
    return Bunch(
        correct=correct,
        queried=queried,
        accuracy=float(correct.mean()) if n else float("nan"),
        n_queried=int(queried.sum()),
        budget_used=float(queried.mean()) if n else 0.0,
    )
