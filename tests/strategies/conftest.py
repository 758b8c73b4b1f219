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
