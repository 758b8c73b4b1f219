"""Epistemic uncertainty sampling: closed forms, brute force, scikit-activeml."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from skal.strategies import (
    EpistemicUncertaintySampling,
    QueryContext,
    epistemic_uncertainty,
)


def brute_force(n, p, grid=200_001):
    theta = np.linspace(0, 1, grid)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_l = np.nan_to_num(p * np.log(theta)) + np.nan_to_num(n * np.log(1 - theta))
    L = np.exp(log_l - log_l.max())
    pi_1 = np.max(np.minimum(L, 2 * theta - 1))
    pi_0 = np.max(np.minimum(L, 1 - 2 * theta))
    return min(pi_0, pi_1)


def test_closed_forms():
    # one label of each class: L = 4 theta (1 - theta) crosses 2 theta - 1
    # where 4 theta^2 - 2 theta - 1 = 0, at 2 theta - 1 = (sqrt 5 - 1) / 2
    scores = epistemic_uncertainty([[1, 1], [0, 0], [3, 0], [0, 3]])
    assert scores[0] == pytest.approx((np.sqrt(5) - 1) / 2, abs=1e-12)
    assert scores[1] == 1.0  # no evidence: fully epistemic
    # all evidence on one side: theta^3 = 1 - 2 theta for the other class
    theta = np.roots([1, 0, 2, -1]).real[np.isreal(np.roots([1, 0, 2, -1]))][0]
    assert scores[2] == pytest.approx(1 - 2 * theta, abs=1e-12) == scores[3]


@pytest.mark.parametrize("n, p", [(0.3, 2.7), (3.2, 0.1), (10, 10), (50, 45), (2, 5)])
def test_against_a_grid_search(n, p):
    assert epistemic_uncertainty([[n, p]])[0] == pytest.approx(
        brute_force(n, p), abs=1e-5
    )


def test_tiny_evidence_is_fully_epistemic():
    # far from every label a Parzen window's counts underflow towards 0:
    # theta = 1 - 1e-25 is not a float, so the solver works in 1 - theta
    assert epistemic_uncertainty([[1e-35, 3e-11]])[0] == pytest.approx(1.0)


def test_more_balanced_evidence_is_less_epistemic():
    scores = epistemic_uncertainty([[1, 1], [5, 5], [20, 20], [100, 100]])
    assert np.all(np.diff(scores) < 0)


def test_refuses_bad_frequencies_and_more_classes():
    with pytest.raises(ValueError, match="two classes, of shape"):
        epistemic_uncertainty([[1.0, 2.0, 3.0]])
    ctx = QueryContext(np.zeros((3, 1)), classes=[0, 1, 2])
    with pytest.raises(ValueError, match="defined for two classes"):
        EpistemicUncertaintySampling().select(ctx, 1)


def test_agrees_with_skactiveml_parzen_window():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y = make_blobs(200, centers=2, cluster_std=2.0, random_state=0)
    labeled = np.arange(0, 200, 10)
    cand = np.setdiff1d(np.arange(200), labeled)
    y_nan = np.full(200, np.nan)
    y_nan[labeled] = y[labeled]
    pwc = classifier.ParzenWindowClassifier(classes=[0, 1], metric_dict={"gamma": 0.2})
    q, util = pool.EpistemicUncertaintySampling(random_state=0).query(
        X, y_nan, pwc, batch_size=1, return_utilities=True
    )
    ctx = QueryContext(
        X,
        cand,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=[0, 1],
        random_state=0,
    )
    strategy = EpistemicUncertaintySampling(metric_params={"gamma": 0.2})
    ours = strategy.score(ctx)
    # theirs maximizes with a bounded scalar search (tolerance 1e-5)
    np.testing.assert_allclose(ours, util[0][cand], atol=1e-4)
    assert np.all(ours >= util[0][cand] - 1e-9)  # the exact supremum is larger
    assert cand[strategy.select(ctx, 1)[0][0]] == q[0]
