"""Common checks over every registered stream strategy and budget manager."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.naive_bayes import GaussianNB
from sklearn.utils._param_validation import (
    InvalidParameterError,
    generate_invalid_param_val,
    make_constraint,
)

from skal.stream import BUDGET_MANAGERS, STREAM_STRATEGIES, StreamActiveLearner

CLASSES = [*STREAM_STRATEGIES.values(), *BUDGET_MANAGERS.values()]


def _start(obj):
    if obj.__class__ in BUDGET_MANAGERS.values():
        return obj.init_state(0.1)
    return obj.init_state(0.1, 2)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_parameter_has_a_constraint_and_round_trips(cls):
    assert set(cls._parameter_constraints) == set(cls._get_param_names())
    obj = cls()
    copy = clone(obj)
    assert copy is not obj and repr(copy) == repr(obj)
    assert isinstance(_start(copy), dict)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_invalid_parameters_are_refused_by_name(cls):
    for name, constraints in cls._parameter_constraints.items():
        for constraint in map(make_constraint, constraints):
            try:
                bad = generate_invalid_param_val(constraint)
            except NotImplementedError:
                continue
            with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
                _start(cls().set_params(**{name: bad}))


@pytest.mark.parametrize("name", sorted(STREAM_STRATEGIES))
def test_every_name_runs_a_stream_within_budget(name):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 2))
    y = (X[:, 0] + rng.normal(size=400) > 0).astype(int)  # overlapping classes
    learner = StreamActiveLearner(GaussianNB(), name, budget=0.1, random_state=0)
    learner.fit(X[:30], y[:30])
    asked = []
    for x, label in zip(X[30:], y[30:]):
        ask, u = learner.query(x, return_utilities=True)
        learner.update(x, ask, utilities=u)
        if ask[0]:
            learner.teach(x, [label])
        asked.append(ask[0])
    assert learner.budget_used_ == pytest.approx(np.mean(asked))
    assert 0.01 < learner.budget_used_ < 0.2
    assert learner.n_labeled_ == 30 + sum(asked)
