"""McPAL: the expected cost reduction by integration, and scikit-activeml's."""

import numpy as np
import pytest
from scipy import integrate, stats
from sklearn.datasets import make_blobs

from skal.strategies import (
    ProbabilisticAL,
    QueryContext,
    expected_cost_reduction,
    resolve_strategy,
)


def integrated_gain(k0, k1, prior, m):
    """(R_0 - R_m) / m for two classes, integrating over p ~ Beta."""
    a1, a0 = k1 + prior, k0 + prior

    def risk(decision, p):  # error rate of predicting `decision`, p = P(class 1)
        return p if decision == 0 else 1 - p

    def decide(n0, n1):
        return 0 if n0 >= n1 else 1  # ties: the first class, as argmin

    def after(p):
        return sum(
            stats.binom.pmf(l1, m, p) * risk(decide(k0 + m - l1, k1 + l1), p)
            for l1 in range(m + 1)
        )

    def density(p):
        return stats.beta.pdf(p, a1, a0)

    r0 = integrate.quad(lambda p: density(p) * risk(decide(k0, k1), p), 0, 1)[0]
    rm = integrate.quad(lambda p: density(p) * after(p), 0, 1)[0]
    return (r0 - rm) / m


@pytest.mark.parametrize("k0, k1", [(0.0, 0.0), (1.0, 1.0), (2.5, 1.2), (0.3, 4.0)])
@pytest.mark.parametrize("m_max", [1, 3])
def test_gain_is_the_integrated_cost_drop(k0, k1, m_max):
    expected = max(integrated_gain(k0, k1, 0.5, m) for m in range(1, m_max + 1))
    got = expected_cost_reduction([[k0, k1]], prior=0.5, m_max=m_max)[0]
    assert got == pytest.approx(expected, abs=1e-8)


def test_no_evidence_is_worth_most_and_the_worked_value():
    # k = 0, prior 1: p ~ U(0, 1), R_0 = 1/2, one label leaves E min(p, 1-p)
    # weighted by the label's likelihood: R_1 = 1/3, so the gain is 1/6
    assert expected_cost_reduction([[0, 0]])[0] == pytest.approx(1 / 6)
    gains = expected_cost_reduction([[0, 0], [1, 1], [5, 5], [9, 1]], m_max=2)
    assert gains[0] > gains[1] > gains[2] > 0
    with pytest.raises(ValueError, match="non-negative frequencies"):
        expected_cost_reduction([[-1.0, 2.0]])


def test_validation_and_names():
    ctx = QueryContext(np.zeros((3, 1)), classes=[0, 1, 2])
    with pytest.raises(ValueError, match="'m_max' parameter of ProbabilisticAL"):
        ProbabilisticAL(m_max=0).select(ctx, 1)
    with pytest.raises(ValueError, match=r"cost_matrix must have shape \(3, 3\)"):
        ProbabilisticAL(cost_matrix=np.ones((2, 2))).select(ctx, 1)
    assert isinstance(resolve_strategy("mcpal"), ProbabilisticAL)


def blobs():
    X, y = make_blobs(150, centers=3, cluster_std=1.5, random_state=0)
    labeled = np.arange(0, 150, 7)
    cand = np.setdiff1d(np.arange(150), labeled)
    y_nan = np.full(150, np.nan)
    y_nan[labeled] = y[labeled]
    ctx = QueryContext(
        X,
        cand,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=np.arange(3),
        random_state=0,
        signals={"proba": lambda Z: np.full((len(Z), 3), 1 / 3)},
    )
    return X, y_nan, cand, ctx


@pytest.mark.parametrize("m_max, prior", [(1, 1.0), (2, 0.1)])
def test_agrees_with_skactiveml_parzen_window(m_max, prior):
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y_nan, cand, ctx = blobs()
    pwc = classifier.ParzenWindowClassifier(
        classes=[0, 1, 2], metric_dict={"gamma": 0.3}
    )
    q, util = pool.ProbabilisticAL(prior=prior, m_max=m_max, random_state=0).query(
        X, y_nan, pwc, batch_size=1, return_utilities=True
    )
    strategy = ProbabilisticAL(prior, m_max, metric_params={"gamma": 0.3})
    ours = strategy.score(ctx)
    np.testing.assert_allclose(ours, util[0][cand], rtol=1e-9, atol=1e-12)
    assert cand[strategy.select(ctx, 1)[0][0]] == q[0]


def test_model_frequencies_agree_with_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y_nan, cand, ctx = blobs()
    # the model's probabilities: uniform (as the context's signal above)
    uniform = type(
        "Uniform",
        (classifier.ParzenWindowClassifier,),
        {"predict_proba": lambda self, Z: np.full((len(Z), 3), 1 / 3)},
    )(classes=[0, 1, 2])
    _, util = pool.ProbabilisticAL(
        metric="rbf", metric_dict={"gamma": 0.3}, random_state=0
    ).query(X, y_nan, uniform, batch_size=1, return_utilities=True)
    ours = ProbabilisticAL(frequencies="model", metric_params={"gamma": 0.3}).score(ctx)
    np.testing.assert_allclose(ours, util[0][cand], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"cost_matrix": np.ones((3, 3))}, r"must be a \(2, 2\) array of numbers"),
        ({"cost_matrix": [[0, np.nan], [1, 0]]}, "finite non-negative costs"),
        ({"prior": 0}, "prior must be a finite number > 0, got 0"),
        ({"prior": -1.0}, "prior must be a finite number > 0, got -1.0"),
        ({"m_max": 0}, "m_max must be an int >= 1, got 0"),
    ],
)
def test_expected_cost_reduction_refuses_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        expected_cost_reduction([[0, 1], [1, 1]], **kwargs)


def test_expected_cost_reduction_refuses_nan_frequencies():
    with pytest.raises(ValueError, match="finite non-negative frequencies"):
        expected_cost_reduction([[np.nan, 1], [1, 1]])
