"""Uncertainty measures against worked examples, and the top-k selection kernel."""

import numpy as np
import pytest

from skal.strategies import (
    QueryContext,
    RandomSampling,
    UncertaintySampling,
    entropy,
    least_confidence,
    margin,
    ratio,
    resolve_strategy,
    select_top_k,
)


def test_worked_example_from_the_literature():
    # Settles (2009) / Monarch (2021): p = [0.3, 0.4, 0.3].
    p = np.array([[0.3, 0.4, 0.3]])
    assert least_confidence(p)[0] == pytest.approx(0.6)
    assert entropy(p)[0] == pytest.approx(1.0889, abs=1e-4)
    assert ratio(p)[0] == pytest.approx(0.75)
    assert margin(p)[0] == pytest.approx(0.9)


def test_margin_ranks_close_calls_first():
    p = np.array([[0.9, 0.05, 0.05], [0.5, 0.49, 0.01]])
    assert np.argmax(margin(p)) == 1
    assert margin(p) == pytest.approx([0.15, 0.99])


@pytest.mark.parametrize("measure", [entropy, margin, least_confidence, ratio])
def test_measures_peak_at_uniform_and_vanish_at_certainty(measure):
    p = np.array([[1 / 3, 1 / 3, 1 / 3], [0.6, 0.3, 0.1], [1.0, 0.0, 0.0]])
    scores = measure(p)
    assert scores[0] > scores[1] > scores[2]
    assert scores[2] == pytest.approx(0.0)


def test_measures_match_brute_force_on_random_probabilities():
    p = np.random.RandomState(0).dirichlet(np.ones(6), size=200)
    s = np.sort(p, axis=1)
    np.testing.assert_allclose(least_confidence(p), 1 - s[:, -1])
    np.testing.assert_allclose(margin(p), 1 - (s[:, -1] - s[:, -2]))
    np.testing.assert_allclose(ratio(p), s[:, -2] / s[:, -1])
    np.testing.assert_allclose(entropy(p), [-(r * np.log(r)).sum() for r in p])


def test_binary_and_zero_probabilities():
    p = np.array([[0.5, 0.5], [0.0, 1.0]])
    assert entropy(p) == pytest.approx([np.log(2), 0.0])
    assert margin(p) == pytest.approx([1.0, 0.0])


def test_bad_shapes():
    with pytest.raises(ValueError, match="n_samples, n_classes"):
        margin([0.2, 0.8])
    with pytest.raises(ValueError, match="classes on the last axis"):
        entropy(0.5)


def test_select_top_k_equals_full_sort_without_ties():
    scores = np.random.RandomState(0).rand(1000)
    np.testing.assert_array_equal(select_top_k(scores, 25), np.argsort(-scores)[:25])


def test_select_top_k_breaks_ties_randomly_but_reproducibly():
    scores = np.array([1.0, 0.5, 0.5, 0.5, 0.5, 0.0])
    picks = {tuple(select_top_k(scores, 3, seed)) for seed in range(30)}
    assert all(p[0] == 0 and set(p[1:]) <= {1, 2, 3, 4} for p in picks)
    assert len(picks) > 1
    np.testing.assert_array_equal(
        select_top_k(scores, 3, 7), select_top_k(scores, 3, 7)
    )


def test_select_top_k_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        select_top_k([0.1, np.nan], 1)


def test_max_candidates_scores_a_subsample():
    seen = []

    def proba(X):
        seen.append(len(X))
        return np.column_stack([X[:, 0], 1 - X[:, 0]])

    X = np.random.RandomState(0).rand(500, 1)
    ctx = QueryContext(X, signals={"proba": proba}, random_state=0)
    idx, scores = UncertaintySampling(max_candidates=50).select(ctx, 5)
    assert sum(seen) == 50 and len(set(idx.tolist())) == 5
    # the picks are the top 5 of the 50 drawn candidates
    drawn = np.sort(np.random.RandomState(0).choice(500, 50, replace=False))
    by_hand = entropy(proba(X[drawn]))
    np.testing.assert_allclose(np.sort(scores), np.sort(by_hand)[-5:])
    with pytest.raises(ValueError, match="'max_candidates' parameter"):
        UncertaintySampling(max_candidates=0).select(ctx, 1)


def test_random_sampling_and_names():
    ctx = QueryContext(np.zeros((20, 2)), random_state=0)
    idx, _ = RandomSampling().select(ctx, 20)
    assert sorted(idx.tolist()) == list(range(20))
    assert resolve_strategy("least_confidence").measure == "least_confidence"
    assert isinstance(resolve_strategy("random"), RandomSampling)
