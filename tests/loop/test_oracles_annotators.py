import numpy as np
import pytest

from skal.loop import NoisyOracle


def _old_noisy_answers(y, flip_rate, indices, seed):
    """The single-annotator algorithm before several annotators existed."""
    rng = np.random.RandomState(seed)
    classes = np.unique(y)
    answers = y[indices].copy()
    for i in np.flatnonzero(rng.random_sample(answers.shape[0]) < flip_rate):
        answers[i] = rng.choice(classes[classes != answers[i]])
    return answers


def test_single_annotator_answers_are_unchanged():
    y = np.arange(300) % 3
    idx = np.arange(0, 300, 2)
    oracle = NoisyOracle(y, 0.3, random_state=4)
    np.testing.assert_array_equal(oracle.label(idx), _old_noisy_answers(y, 0.3, idx, 4))
    assert oracle.n_answers_.tolist() == [150] and oracle.cost_spent_ == 150.0


def test_several_annotators_matrix_and_pairs():
    y = np.repeat([0, 1], 1000)
    oracle = NoisyOracle(y, [0.0, 0.2, 0.5], costs=[3, 1, 1], random_state=0)
    assert oracle.n_annotators == 3
    answers = oracle.label(np.arange(2000))
    assert answers.shape == (2000, 3)
    np.testing.assert_allclose(
        (answers != y[:, None]).mean(0), [0, 0.2, 0.5], atol=0.03
    )
    assert oracle.n_flipped_ == int((answers != y[:, None]).sum())
    assert oracle.cost_spent_ == 2000 * 5
    pair = oracle.label([5, 1500], annotators=[0, 0])
    assert pair.tolist() == [0, 1]
    assert oracle.n_answers_.tolist() == [2002, 2000, 2000]
    assert oracle.cost_spent_ == 2000 * 5 + 6


@pytest.mark.parametrize(
    "kwargs, call, message",
    [
        ({"flip_rate": [0.1, 1.5]}, {}, r"flip_rate must be in \[0, 1\]"),
        ({"flip_rate": [[0.1]]}, {}, "1-D list with one rate per annotator"),
        ({"flip_rate": [0.1, 0.2]}, {"annotators": [2]}, r"annotators must be in 0..1"),
        ({"flip_rate": [0.1, 0.2]}, {"annotators": [0, 1]}, "one per sample"),
        ({"flip_rate": 0.1, "costs": [-1]}, {}, "costs must be finite and >= 0"),
    ],
)
def test_noisy_oracle_errors(kwargs, call, message):
    oracle = NoisyOracle(np.array([0, 1, 1]), **kwargs)
    with pytest.raises(ValueError, match=message):
        oracle.label([0], **call)
