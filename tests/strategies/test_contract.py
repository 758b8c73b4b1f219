"""The strategy contract: the contributor guide's worked examples, select's checks."""

from numbers import Real

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import Interval

from skal import ActiveLearner
from skal.strategies import (
    BaseStrategy,
    QueryContext,
    UncertaintySampling,
    _uncertainty,
    entropy,
    resolve_strategy,
)


def gini(proba):
    proba = np.asarray(proba, dtype=float)
    return 1.0 - np.einsum("ij,ij->i", proba, proba)


@pytest.fixture
def iris():
    X, y = load_iris(return_X_y=True)
    y_pool = y.copy()
    y_pool[10:140] = -1
    return X, y, y_pool


def test_a_new_measure_is_one_function_and_its_registry_line(iris, monkeypatch):
    X, _, y_pool = iris
    monkeypatch.setitem(_uncertainty.MEASURES, "gini", gini)
    learner = ActiveLearner(
        LogisticRegression(max_iter=500), query_strategy="gini", batch_size=3
    ).fit(X, y_pool)
    assert learner.query_strategy_ == UncertaintySampling("gini") or repr(
        learner.query_strategy_
    ) == "UncertaintySampling(measure='gini')"
    idx, scores = learner.query(return_scores=True)
    pool = np.flatnonzero(~learner.labeled_mask_)
    by_hand = gini(learner.predict_proba(X[pool]))
    np.testing.assert_allclose(np.sort(scores), np.sort(by_hand)[-3:])


class FarthestUncertain(BaseStrategy):
    """The worked batch strategy of the contributor guide."""

    _parameter_constraints = {"beta": [Interval(Real, 1, None, closed="left")]}

    def __init__(self, beta=3.0):
        self.beta = beta

    def _select(self, context, batch_size):
        unc = context.map("proba", entropy)
        top = np.argsort(-unc)[: int(self.beta * batch_size)]
        Z = context.subset(top).embedding()
        picked = [0]
        d = np.linalg.norm(Z - Z[0], axis=1)
        for _ in range(batch_size - 1):
            picked.append(int(np.argmax(d)))
            d = np.minimum(d, np.linalg.norm(Z - Z[picked[-1]], axis=1))
        return top[picked], unc[top[picked]]


def test_a_new_batch_strategy_needs_no_learner_change(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(
        LogisticRegression(max_iter=500),
        query_strategy=FarthestUncertain(beta=2),
        batch_size=3,
    ).fit(X, y_pool)
    idx = learner.query()
    # brute force: the 6 most uncertain pool rows, then farthest-first from the first
    pool = np.flatnonzero(~learner.labeled_mask_)
    unc = entropy(learner.predict_proba(X[pool]))
    top = pool[np.argsort(-unc)[:6]]
    chosen = [top[0]]
    for _ in range(2):
        dist = np.min(
            [np.linalg.norm(X[top] - X[c], axis=1) for c in chosen], axis=0
        )
        chosen.append(top[int(np.argmax(dist))])
    assert idx.tolist() == [int(c) for c in chosen]
    grid = GridSearchCV(
        ActiveLearner(LogisticRegression(max_iter=500), budget=20, batch_size=5,
                      query_strategy=FarthestUncertain(), random_state=0),
        {"query_strategy__beta": [1.0, 2.0]},
        cv=2,
    ).fit(X, y)
    assert grid.best_params_["query_strategy__beta"] in (1.0, 2.0)
    with pytest.raises(ValueError, match="'beta' parameter of FarthestUncertain"):
        ActiveLearner(LogisticRegression(), query_strategy=FarthestUncertain(0.5)).fit(
            X, y_pool
        )


class _Broken(BaseStrategy):
    requires_model = False

    def __init__(self, out=None):
        self.out = out

    _parameter_constraints = {"out": "no_validation"}

    def _select(self, context, batch_size):
        return np.asarray(self.out), np.zeros(len(self.out))


@pytest.mark.parametrize(
    "out, message",
    [
        ([0, 1], "returned 2 indices for a batch of 3"),
        ([0, 1, 1], "the same position twice"),
        ([0, 1, 9], "outside the 5 candidates"),
        ([0.0, 1.0, 2.0], "integer positions"),
    ],
)
def test_select_checks_what_a_strategy_returns(out, message):
    ctx = QueryContext(np.zeros((5, 2)), random_state=0)
    with pytest.raises((ValueError, TypeError), match=message):
        _Broken(out).select(ctx, 3)


def test_a_missing_signal_names_the_strategy_and_its_providers():
    ctx = QueryContext(np.zeros((5, 2)), signals={"proba": lambda X: None})
    with pytest.raises(TypeError, match=r"needs predict_proba_samples.*skal.Committee"):
        with ctx.asked_by("BALD()"):
            ctx.proba_samples()


def test_cold_start_context_says_what_to_use():
    ctx = QueryContext(np.zeros((5, 2)))
    with pytest.raises(TypeError, match="no model is fitted yet.*'typiclust'"):
        UncertaintySampling().select(ctx, 2)


def test_signals_are_computed_once_per_query():
    calls = []

    def proba(X):
        calls.append(len(X))
        return np.full((len(X), 2), 0.5)

    ctx = QueryContext(np.zeros((6, 2)), candidates=[5, 1, 3], signals={"proba": proba})
    first = ctx.proba()
    second = ctx.subset([2, 0]).proba()
    np.testing.assert_array_equal(second, first[[2, 0]])
    assert calls == [3]


def test_modals_regression_function_runs_on_the_context_unchanged():
    # modAL's GP tutorial: ``regressor.predict(X, return_std=True)`` and one
    # index back, from a two-argument function
    from sklearn.gaussian_process import GaussianProcessRegressor

    from skal import ActiveLearner

    def GP_regression_std(regressor, X):
        _, std = regressor.predict(X, return_std=True)
        return np.argmax(std)

    X = np.linspace(0, 10, 40).reshape(-1, 1)
    y = np.sin(X).ravel()
    y_pool = np.full(40, np.nan)
    y_pool[[5, 20]] = y[[5, 20]]
    learner = ActiveLearner(
        GaussianProcessRegressor(),
        query_strategy=GP_regression_std,
        missing_label=np.nan,
    ).fit(X, y_pool)
    pool = np.flatnonzero(np.isnan(y_pool))
    _, std = learner.estimator_.predict(X[pool], return_std=True)
    assert learner.query().tolist() == [pool[np.argmax(std)]]
    ctx = learner.query_context()
    mean, std_ctx = ctx.predict(X[:3], return_std=True)
    np.testing.assert_allclose(std_ctx, learner.predict(X[:3], return_std=True)[1])
    np.testing.assert_allclose(ctx.predict(X[:3]), mean)


def test_a_two_argument_function_returning_scores_is_still_a_scorer():
    from sklearn.linear_model import LogisticRegression

    from skal import ActiveLearner

    X, y = load_iris(return_X_y=True)
    y_pool = np.full(150, -1)
    y_pool[[0, 50, 100]] = y[[0, 50, 100]]
    first_feature = ActiveLearner(
        LogisticRegression(), query_strategy=lambda ctx, rows: rows[:, 0]
    ).fit(X, y_pool)
    pool = np.flatnonzero(y_pool == -1)
    picked = first_feature.query(batch_size=2)
    top_two = np.sort(X[pool, 0])[::-1][:2]  # 7.7 twice: ties broken at random
    np.testing.assert_array_equal(np.sort(X[picked, 0])[::-1], top_two)


def test_a_mistyped_name_gets_the_close_ones():
    with pytest.raises(ValueError, match=r"'entopy' \(did you mean 'entropy'\?\)\."):
        resolve_strategy("entopy")
    with pytest.raises(ValueError, match=r"^Unknown query_strategy 'nope'\. Known"):
        resolve_strategy("nope")
