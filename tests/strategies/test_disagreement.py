import numpy as np
import pytest

from skal.strategies import (
    bald,
    consensus_entropy,
    max_disagreement,
    max_kl,
    mean_std,
    variation_ratio,
    vote_entropy,
)

MEASURES = [
    bald,
    consensus_entropy,
    max_disagreement,
    max_kl,
    mean_std,
    variation_ratio,
    vote_entropy,
]


def _random_stack(seed=0, m=4, n=30, k=3):
    rng = np.random.RandomState(seed)
    p = rng.dirichlet(np.ones(k), size=(m, n))
    return p


@pytest.mark.parametrize(
    "measure",
    [bald, max_disagreement, max_kl, mean_std, variation_ratio, vote_entropy],
)
def test_unanimous_committee_has_zero_disagreement(measure):
    member = _random_stack(m=1)[0]
    stack = np.stack([member] * 5)
    np.testing.assert_allclose(measure(stack), 0.0, atol=1e-12)


def test_hand_worked_vote_entropy_and_variation_ratio():
    # 3 members vote 0, 1, 0 on sample 0 and 2, 2, 2 on sample 1.
    stack = np.array(
        [
            [[0.9, 0.1, 0.0], [0.1, 0.1, 0.8]],
            [[0.2, 0.7, 0.1], [0.0, 0.3, 0.7]],
            [[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]],
        ]
    )
    expected = -(2 / 3 * np.log(2 / 3) + 1 / 3 * np.log(1 / 3))
    np.testing.assert_allclose(vote_entropy(stack), [expected, 0.0])
    np.testing.assert_allclose(variation_ratio(stack), [1 / 3, 0.0])


def test_kl_to_consensus_equals_direct_computation():
    stack = _random_stack(1)
    consensus = stack.mean(axis=0)
    direct = np.mean([np.sum(p * np.log(p / consensus), axis=1) for p in stack], axis=0)
    np.testing.assert_allclose(max_disagreement(stack), direct, rtol=1e-10)


def test_max_kl_equals_direct_computation():
    stack = _random_stack(4, m=5)
    consensus = stack.mean(axis=0)
    kl = np.array([np.sum(p * np.log(p / consensus), axis=1) for p in stack])
    np.testing.assert_allclose(max_kl(stack), kl.max(axis=0), rtol=1e-10)
    assert (max_kl(stack) >= max_disagreement(stack) - 1e-12).all()


def test_bald_equals_entropy_of_mean_minus_mean_entropy():
    stack = _random_stack(2)

    def h(p):
        return -np.sum(p * np.log(p), axis=-1)

    np.testing.assert_allclose(consensus_entropy(stack), h(stack.mean(0)))
    np.testing.assert_allclose(bald(stack), h(stack.mean(0)) - h(stack).mean(0))
    assert (bald(stack) >= 0).all()


def test_mean_std_is_class_average_of_member_std():
    stack = _random_stack(3)
    np.testing.assert_allclose(mean_std(stack), stack.std(axis=0).mean(axis=1))


@pytest.mark.parametrize("measure", MEASURES)
def test_wrong_rank_raises(measure):
    with pytest.raises(ValueError, match="n_members, n_samples, n_classes"):
        measure(np.ones((3, 2)))
