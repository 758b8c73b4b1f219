"""QueryByCommittee: vote fast path, registry names, tie-heavy top-k."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator

from skal.strategies import (
    GreedySampling,
    QueryByCommittee,
    StdSampling,
    resolve_strategy,
    select_top_k,
    variation_ratio,
    vote_entropy,
)
from skal.strategies._committee import (
    _variation_ratio_from_votes,
    _vote_entropy_from_votes,
)


@pytest.mark.parametrize("n_members", [1, 2, 3, 5, 12])
def test_votes_path_equals_pure_functions(n_members):
    rng = np.random.RandomState(n_members)
    stack = rng.dirichlet(np.full(4, 0.3), size=(n_members, 200))
    votes = stack.argmax(axis=2)
    np.testing.assert_allclose(_vote_entropy_from_votes(votes), vote_entropy(stack))
    np.testing.assert_allclose(
        _variation_ratio_from_votes(votes), variation_ratio(stack)
    )


def test_hand_worked_vote_entropy_from_votes():
    # Five members vote 0,0,1,1,2 on sample 0 and 3,3,3,3,3 on sample 1.
    votes = np.array([[0, 3], [0, 3], [1, 3], [1, 3], [2, 3]])
    expected = -(2 * 0.4 * np.log(0.4) + 0.2 * np.log(0.2))
    np.testing.assert_allclose(_vote_entropy_from_votes(votes), [expected, 0.0])
    np.testing.assert_allclose(_variation_ratio_from_votes(votes), [0.6, 0.0])


@pytest.mark.parametrize(
    "name, expected",
    [
        ("qbc", QueryByCommittee()),
        ("vote_entropy", QueryByCommittee("vote_entropy")),
        ("consensus_entropy", QueryByCommittee("consensus_entropy")),
        ("max_disagreement", QueryByCommittee("max_disagreement")),
        ("variation_ratio", QueryByCommittee("variation_ratio")),
        ("std", StdSampling()),
        ("gsx", GreedySampling("x")),
        ("gsy", GreedySampling("y")),
        ("igs", GreedySampling("xy")),
    ],
)
def test_registered_names(name, expected):
    assert repr(resolve_strategy(name)) == repr(expected)


@pytest.mark.parametrize("top_share", [0.01, 0.5, 0.97])
def test_select_top_k_with_huge_tie_blocks_matches_brute_force(top_share):
    # Vote entropy takes few distinct values; most samples tie at one of them.
    rng = np.random.RandomState(0)
    n, k = 20_000, 100
    levels = np.array([0.0, 0.5, 0.67, 1.1])
    probs = [1 - top_share - 0.02, 0.01, 0.01, top_share]
    scores = levels[rng.choice(4, n, p=probs)]
    idx = select_top_k(scores, k, random_state=0)
    assert len(set(idx.tolist())) == k
    np.testing.assert_array_equal(scores[idx], np.sort(scores)[::-1][:k])
    np.testing.assert_array_equal(idx, select_top_k(scores, k, random_state=0))


class _StackOnly(BaseEstimator):
    """A learner with member probabilities but no member_votes (like MC dropout)."""

    def __init__(self, stack=None):
        self.stack = stack

    def predict_proba_samples(self, X):
        return self.stack[:, np.asarray(X)[:, 0].astype(int)]


@pytest.mark.parametrize("measure", ["vote_entropy", "variation_ratio", "bald"])
def test_stack_only_learner_scores_equal_pure_functions(measure):
    from skal.strategies._disagreement import DISAGREEMENTS

    rng = np.random.RandomState(3)
    stack = rng.dirichlet(np.full(3, 0.5), size=(6, 50))
    learner = _StackOnly(stack)
    X = np.arange(50).reshape(-1, 1)
    np.testing.assert_allclose(
        QueryByCommittee(measure).scores(learner, X), DISAGREEMENTS[measure](stack)
    )
