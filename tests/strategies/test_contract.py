"""The strategy contract: the contributor guide's worked examples, select's checks."""

import inspect
from numbers import Real

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    validate_parameter_constraints,
)

import skal.strategies
from skal import ActiveLearner
from skal.strategies import (
    BaseStrategy,
    CoreSet,
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
    assert (
        learner.query_strategy_ == UncertaintySampling("gini")
        or repr(learner.query_strategy_) == "UncertaintySampling(measure='gini')"
    )
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
        dist = np.min([np.linalg.norm(X[top] - X[c], axis=1) for c in chosen], axis=0)
        chosen.append(top[int(np.argmax(dist))])
    assert idx.tolist() == [int(c) for c in chosen]
    grid = GridSearchCV(
        ActiveLearner(
            LogisticRegression(max_iter=500),
            budget=20,
            batch_size=5,
            query_strategy=FarthestUncertain(),
            random_state=0,
        ),
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


def _counting_context(n=500):
    seen = []

    def proba(X):
        seen.append(len(X))
        return np.column_stack([X[:, 0], 1 - X[:, 0]])

    X = np.random.RandomState(0).rand(n, 1)
    return QueryContext(X, signals={"proba": proba}, random_state=0), seen


@pytest.mark.parametrize(
    "fraction, batch, scored",
    [
        (0.1, 5, 50),  # 50 of the 500 candidates
        (0.1001, 5, 51),  # 50.05 rounds up
        (0.01, 8, 8),  # 5 would shorten the batch of 8
        (0.999, 5, 500),  # 500 of 500: no subsample
    ],
)
def test_a_fraction_of_the_candidates_is_that_share_rounded_up(fraction, batch, scored):
    ctx, seen = _counting_context()
    idx, scores = UncertaintySampling(max_candidates=fraction).select(ctx, batch)
    assert sum(seen) == scored and len(set(idx.tolist())) == batch
    # the same subsample, hence the same picks, as the equivalent count
    count = None if scored == 500 else scored
    ctx, seen = _counting_context()
    same = UncertaintySampling(max_candidates=count).select(ctx, batch)
    assert sum(seen) == scored
    np.testing.assert_array_equal(idx, same[0])
    np.testing.assert_array_equal(scores, same[1])


def test_a_fraction_draws_the_same_rows_as_the_count_for_a_batch_strategy():
    X = np.random.RandomState(1).rand(300, 2)
    picks = [
        CoreSet(max_candidates=m).select(QueryContext(X, random_state=3), 4)
        for m in (0.25, 75)
    ]
    np.testing.assert_array_equal(picks[0][0], picks[1][0])
    assert (
        picks[0][0].tolist()
        != CoreSet().select(QueryContext(X, random_state=3), 4)[0].tolist()
    )


def test_an_int_max_candidates_is_still_a_count():
    ctx, seen = _counting_context()
    idx, _ = UncertaintySampling(max_candidates=1).select(ctx, 1)
    assert sum(seen) == 1 and idx.shape == (1,)  # 1 is one candidate, not all
    ctx, seen = _counting_context()
    UncertaintySampling(max_candidates=np.int64(30)).select(ctx, 3)
    assert sum(seen) == 30


@pytest.mark.parametrize("bad", [0, 0.0, 1.0, 1.5, -0.5, True, False, "0.1"])
def test_max_candidates_outside_counts_and_shares_is_refused(bad):
    ctx, _ = _counting_context()
    with pytest.raises(
        InvalidParameterError,
        match=r"'max_candidates' parameter of UncertaintySampling must be an int "
        r"in the range \[1, inf\), a float in the range \(0.0, 1.0\) or None",
    ):
        UncertaintySampling(max_candidates=bad).select(ctx, 1)


def _with_max_candidates():
    for name in skal.strategies.__all__:
        obj = getattr(skal.strategies, name)
        if (
            inspect.isclass(obj)
            and issubclass(obj, BaseStrategy)
            and "max_candidates" in inspect.signature(obj).parameters
        ):
            yield obj


@pytest.mark.parametrize("cls", list(_with_max_candidates()), ids=lambda c: c.__name__)
def test_every_max_candidates_takes_a_share(cls):
    constraints = cls._parameter_constraints
    for ok in (0.1, 5, None):
        validate_parameter_constraints(
            constraints, {"max_candidates": ok}, caller_name=cls.__name__
        )
    for bad in (1.0, True):
        with pytest.raises(InvalidParameterError, match="'max_candidates' parameter"):
            validate_parameter_constraints(
                constraints, {"max_candidates": bad}, caller_name=cls.__name__
            )


def test_a_share_of_exactly_k_rows_scores_k_and_others_round_up():
    # 0.3 * 10 is 3.0000000000000004 in floats: ceil made it 4
    from fractions import Fraction

    from skal.strategies._base import n_subsample

    ctx, seen = _counting_context(10)
    UncertaintySampling(max_candidates=0.3).select(ctx, 1)
    assert seen == [3]
    for n in range(2, 300):
        assert [n_subsample(k / n, n, 1) for k in range(1, n)] == list(range(1, n))
    # a share that is not k/n still rounds up, as the exact product does
    rng = np.random.RandomState(0)
    for n, share in zip(rng.randint(2, 10**6, 2000), rng.uniform(1e-4, 0.9999, 2000)):
        exact = -(-Fraction(float(share)) * int(n) // 1)  # ceil, no float error
        assert (n_subsample(float(share), int(n), 1) or n) == exact
    assert n_subsample(0.31, 10, 1) == 4 and n_subsample(0.7, 10, 1) == 7
