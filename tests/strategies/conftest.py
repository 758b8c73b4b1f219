"""Hand-built query contexts over a fixed stack of member probabilities."""

import numpy as np
import pytest

from skal.strategies import QueryContext


def stack_signal(stack, calls=None):
    """``proba_samples`` of rows ``[[i], ...]``: the stack's columns ``i``."""

    def proba_samples(X):
        rows = np.asarray(X)[:, 0].astype(int)
        if calls is not None:
            calls.append(rows.shape[0])
        return stack[:, rows]

    return proba_samples


def stack_context(stack, candidates=None, *, votes=None, calls=None, **kwargs):
    """A classifier's context whose candidates are the stack's samples."""
    signals = {"proba_samples": stack_signal(stack, calls)}
    if votes is not None:
        signals["member_votes"] = lambda X: votes[:, np.asarray(X)[:, 0].astype(int)]
    kwargs.setdefault("classes", np.arange(stack.shape[2]))
    kwargs.setdefault("random_state", 0)
    pool = np.arange(stack.shape[1]).reshape(-1, 1)
    return QueryContext(pool, candidates, signals=signals, **kwargs)


@pytest.fixture
def make_context():
    """``stack_context`` as a fixture: ``make_context(stack, candidates, ...)``."""
    return stack_context


def regression_context(X, y, labeled, estimator, *, seed=0):
    """A regressor's context fitted on ``labeled`` rows, as a learner builds it.

    Returns the context over the other rows and the fitted model. The
    signals are ``predict``, and ``predict_std`` / ``mean_std`` when the
    model's ``predict`` takes ``return_std``; ``refit`` clones ``estimator``.
    """
    from sklearn.base import clone

    labeled = np.asarray(labeled)
    model = clone(estimator).fit(X[labeled], y[labeled])
    signals = {"predict": model.predict}
    try:
        model.predict(X[:1], return_std=True)
    except TypeError:
        pass
    else:
        signals["predict_std"] = lambda rows: model.predict(rows, return_std=True)[1]
        signals["mean_std"] = lambda rows: np.column_stack(
            model.predict(rows, return_std=True)
        )
    ctx = QueryContext(
        X,
        np.setdiff1d(np.arange(len(X)), labeled),
        signals=signals,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        model=model,
        refit=lambda A, b: clone(estimator).fit(A, b),
        random_state=seed,
    )
    return ctx, model


@pytest.fixture
def make_regression_context():
    """``regression_context`` as a fixture."""
    return regression_context
