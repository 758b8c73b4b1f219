"""Drive skal and scikit-activeml side by side on a stream with a real model.

Both sides refit the same classifier on the same labels after every bought
label, so their probabilities (and kernel frequencies) are the same numbers;
the decisions of the strategies are compared sample by sample.
"""

import numpy as np
from sklearn.base import clone

from skal.stream import StreamActiveLearner


def run_skal(estimator, strategy, X, y, n_initial, budget, manager=None, seed=0):
    """Prequential run of skal: decisions and utilities of each streamed sample."""
    learner = StreamActiveLearner(
        clone(estimator),
        strategy,
        budget=budget,
        budget_manager=manager,
        classes=np.unique(y),
        random_state=seed,
    ).fit(X[:n_initial], y[:n_initial])
    asked, utilities = [], []
    for t in range(n_initial, len(y)):
        ask, u = learner.query(X[t], return_utilities=True)
        learner.update(X[t], ask, utilities=u)
        if ask[0]:
            learner.teach(X[t], y[t : t + 1])
        asked.append(bool(ask[0]))
        utilities.append(float(u[0]))
    return np.array(asked), np.array(utilities), learner


def run_peer(clf, strategy, X, y, n_initial, kwargs=None, with_utilities=False):
    """The same stream through a scikit-activeml stream strategy.

    ``clf`` is a scikit-activeml classifier, refit on the labels bought;
    ``kwargs(X_lab, y_lab)`` gives extra ``query`` arguments (stream PAL's
    training set); ``with_utilities`` hands the utilities to the budget
    manager's update (the balanced quantile filter needs them).
    """
    X_lab, y_lab = list(X[:n_initial]), list(y[:n_initial])
    clf = clone(clf).fit(np.array(X_lab), np.array(y_lab))
    asked, utilities = [], []
    for t in range(n_initial, len(y)):
        x = X[t : t + 1]
        extra = kwargs(np.array(X_lab), np.array(y_lab)) if kwargs else {}
        idx, u = strategy.query(x, clf=clf, return_utilities=True, **extra)
        bm_kwargs = {"utilities": u} if with_utilities else None
        strategy.update(x, idx, budget_manager_param_dict=bm_kwargs)
        if len(idx):
            X_lab.append(X[t])
            y_lab.append(y[t])
            clf = clone(clf).fit(np.array(X_lab), np.array(y_lab))
        asked.append(len(idx) > 0)
        utilities.append(float(np.ravel(u)[0]))
    return np.array(asked), np.array(utilities)
