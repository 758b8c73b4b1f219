"""PI, EI and UCB: hand-computed values, modAL's formulas, the strategies."""

import numpy as np
import pytest
from scipy.stats import norm
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.linear_model import BayesianRidge, LogisticRegression, Ridge

from skal import ActiveLearner
from skal.strategies import (
    ExpectedImprovement,
    ProbabilityOfImprovement,
    QueryContext,
    UpperConfidenceBound,
    expected_improvement,
    probability_of_improvement,
    resolve_strategy,
    upper_confidence_bound,
)

MEAN = np.array([0.2, 1.5, -0.3, 1.0, 0.9])
STD = np.array([0.5, 0.1, 2.0, 1.0, 0.3])
Y_MAX = 1.0


def test_pi_matches_hand_computed_normal_cdf():
    # Phi((mu - f* - xi) / sigma), worked out term by term with scipy.stats.norm
    expected = [
        norm.cdf((0.2 - 1.0 - 0.1) / 0.5),
        norm.cdf((1.5 - 1.0 - 0.1) / 0.1),
        norm.cdf((-0.3 - 1.0 - 0.1) / 2.0),
        norm.cdf((1.0 - 1.0 - 0.1) / 1.0),
        norm.cdf((0.9 - 1.0 - 0.1) / 0.3),
    ]
    got = probability_of_improvement(MEAN, STD, Y_MAX, xi=0.1)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    assert got[1] == pytest.approx(0.9999683287581669)  # Phi(4)
    assert got[3] == pytest.approx(0.460172162722971)  # Phi(-0.1)


def test_ei_matches_hand_computed_values():
    # g Phi(g / s) + s phi(g / s) with g = mu - f* - xi
    g = MEAN - Y_MAX
    expected = g * norm.cdf(g / STD) + STD * norm.pdf(g / STD)
    got = expected_improvement(MEAN, STD, Y_MAX)
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    # at mu == f* the EI is sigma / sqrt(2 pi)
    assert got[3] == pytest.approx(1.0 / np.sqrt(2 * np.pi))
    assert np.all(got >= 0)


def test_ucb_is_mean_plus_beta_std():
    got = upper_confidence_bound(MEAN, STD, beta=2.0)
    np.testing.assert_allclose(got, [1.2, 1.7, 3.7, 3.0, 1.5])


def test_zero_std_takes_the_limits():
    mean, std = np.array([2.0, 0.5, 1.0]), np.zeros(3)
    assert probability_of_improvement(mean, std, 1.0).tolist() == [1.0, 0.0, 0.0]
    assert expected_improvement(mean, std, 1.0).tolist() == [1.0, 0.0, 0.0]
    # no nan or inf from 0 / 0
    assert np.isfinite(expected_improvement(mean, std, 1.0)).all()


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="same length"):
        expected_improvement([1.0, 2.0], [1.0], 0.0)
    with pytest.raises(ValueError, match="non-negative"):
        probability_of_improvement([1.0], [-1.0], 0.0)


def test_same_numbers_as_modal_acquisition():
    acq = pytest.importorskip("modAL.acquisition")
    for xi in (0.0, 0.1):
        np.testing.assert_allclose(
            probability_of_improvement(MEAN, STD, Y_MAX, xi),
            acq.PI(MEAN, STD, Y_MAX, xi),
            rtol=1e-12,
        )
        np.testing.assert_allclose(
            expected_improvement(MEAN, STD, Y_MAX, xi),
            acq.EI(MEAN, STD, Y_MAX, xi),
            rtol=1e-12,
        )
    for beta in (0.0, 1.0, 3.0):
        np.testing.assert_allclose(
            upper_confidence_bound(MEAN, STD, beta), acq.UCB(MEAN, STD, beta)
        )


def _gp_learner(strategy="ei"):
    X = np.linspace(0, 10, 41).reshape(-1, 1)
    y = np.full(41, np.nan)
    y[[4, 20, 36]] = np.sin(X[[4, 20, 36], 0])
    learner = ActiveLearner(
        GaussianProcessRegressor(),
        query_strategy=strategy,
        missing_label=np.nan,
        random_state=0,
    ).fit(X, y)
    return learner, X


@pytest.mark.parametrize(
    "name, modal_name, kwargs",
    [
        ("pi", "max_PI", {"tradeoff": 0.05}),
        ("ei", "max_EI", {"tradeoff": 0.0}),
        ("ucb", "max_UCB", {"beta": 2.0}),
    ],
)
def test_same_picks_as_modal_max_functions(name, modal_name, kwargs):
    acq = pytest.importorskip("modAL.acquisition")
    learner, X = _gp_learner(name)
    gp = learner.estimator_
    pool = np.flatnonzero(~learner.labeled_mask_)

    class Optimizer:  # what modAL's max_* read: predict(X, return_std) and y_max
        y_max = float(np.max(learner.y_[learner.labeled_mask_]))

        def predict(self, X, return_std=False):
            return gp.predict(X, return_std=return_std)

    select = getattr(acq, modal_name)
    modal_idx = select(Optimizer(), X[pool], n_instances=3, **kwargs)[0]
    params = {"xi": kwargs["tradeoff"]} if "tradeoff" in kwargs else kwargs
    learner.set_params(query_strategy=resolve_strategy(name).set_params(**params))
    ours = learner.query(batch_size=3)
    assert sorted(ours.tolist()) == sorted(pool[np.ravel(modal_idx)].tolist())


def test_strategy_scores_are_the_function_of_the_gp_posterior():
    learner, X = _gp_learner()
    ctx = learner.query_context()
    mean, std = learner.estimator_.predict(X[ctx.candidates], return_std=True)
    y_max = np.sin(X[[4, 20, 36], 0]).max()
    np.testing.assert_allclose(
        ExpectedImprovement(xi=0.01).score(ctx),
        expected_improvement(mean, std, y_max, 0.01),
    )
    np.testing.assert_allclose(
        ProbabilityOfImprovement().score(ctx),
        probability_of_improvement(mean, std, y_max),
    )
    np.testing.assert_allclose(
        UpperConfidenceBound(beta=0.5).score(ctx), mean + 0.5 * std
    )
    # the mean and std come from one cached predict(X, return_std=True) pass
    assert "mean_std" in ctx._cache and "predict" not in ctx._cache


def test_falls_back_to_separate_predict_and_std_signals():
    pool = np.array([[0.0], [1.0], [2.0]])
    ctx = QueryContext(
        pool,
        y_labeled=[1.0],
        signals={
            "predict": lambda X: X[:, 0],
            "predict_std": lambda X: np.full(len(X), 0.5),
        },
    )
    np.testing.assert_allclose(
        UpperConfidenceBound(beta=2.0).score(ctx), [1.0, 2.0, 3.0]
    )


def test_registry_names_and_regression_only():
    assert isinstance(resolve_strategy("pi"), ProbabilityOfImprovement)
    assert isinstance(resolve_strategy("ei"), ExpectedImprovement)
    assert isinstance(resolve_strategy("ucb"), UpperConfidenceBound)
    X, y = np.arange(8.0).reshape(-1, 1), np.array([0, 1, 0, 1, -1, -1, -1, -1])
    with pytest.raises(ValueError, match="regression strategy"):
        ActiveLearner(LogisticRegression(), query_strategy="ei").fit(X, y)


def test_a_regressor_without_std_names_the_fix():
    X = np.arange(8.0).reshape(-1, 1)
    y = np.array([0.0, 1.0, 2.0] + [np.nan] * 5)
    learner = ActiveLearner(Ridge(), query_strategy="ucb", missing_label=np.nan)
    learner.fit(X, y)
    with pytest.raises(TypeError, match="needs predict_std .*GaussianProcessRegressor"):
        learner.query()
    # BayesianRidge has return_std: it works, and queries far from the labels
    br = ActiveLearner(BayesianRidge(), query_strategy="ucb", missing_label=np.nan)
    assert br.fit(X, y).query().tolist() == [7]
