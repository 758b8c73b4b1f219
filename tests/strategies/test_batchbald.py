import itertools

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skal.strategies import (
    BALD,
    BatchBALD,
    MaxEntropy,
    MeanSTD,
    QueryContext,
    StochasticBALD,
    VariationRatios,
    bald,
    consensus_entropy,
    greedy_batchbald,
    max_kl,
    mean_std,
    resolve_strategy,
    variation_ratio,
)
from skal.strategies._batchbald import _joint_entropies, _sample_configurations


def _stack(seed, m=6, n=12, k=3, alpha=0.5):
    return np.random.RandomState(seed).dirichlet(alpha * np.ones(k), size=(m, n))


def _brute_mutual_information(stack, subset):
    """I(y_A; w) by enumerating all K^|A| joint label configurations."""
    m, _, k = stack.shape
    joint = np.zeros(k ** len(subset))
    for c, labels in enumerate(itertools.product(range(k), repeat=len(subset))):
        joint[c] = np.mean(np.prod(stack[:, subset, labels], axis=1))
    h_joint = -np.sum(joint * np.log(joint))
    h_cond = -np.sum(stack[:, subset] * np.log(stack[:, subset]), axis=2).mean(0).sum()
    return h_joint - h_cond


def _brute_greedy(stack, batch_size):
    chosen, scores = [], []
    for _ in range(batch_size):
        gains = [
            -np.inf if i in chosen else _brute_mutual_information(stack, chosen + [i])
            for i in range(stack.shape[1])
        ]
        chosen.append(int(np.argmax(gains)))
        scores.append(max(gains))
    return chosen, np.array(scores)


@pytest.mark.parametrize("seed,k,batch", [(0, 2, 5), (1, 3, 4), (2, 4, 3)])
def test_exact_batchbald_equals_brute_force_enumeration(seed, k, batch):
    stack = _stack(seed, k=k)
    idx, scores = greedy_batchbald(stack, batch, random_state=0)
    ref_idx, ref_scores = _brute_greedy(stack, batch)
    assert idx.tolist() == ref_idx
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-4, atol=1e-5)


def test_lazy_greedy_equals_evaluating_every_candidate():
    stack = _stack(11, m=10, n=3000, k=10).astype(np.float32)
    idx, scores = greedy_batchbald(stack, 4, random_state=0)  # exact: 10^3 <= 1024
    joint, chosen = np.ones((10, 1), np.float32), []
    conditional = -(stack * np.log(stack)).sum(axis=2).mean(axis=0)
    for step in range(4):
        gain = _joint_entropies(joint, stack, None) - conditional
        gain -= conditional[chosen].sum()
        gain[chosen] = -np.inf
        best = int(np.argmax(gain))
        assert best == idx[step]
        np.testing.assert_allclose(gain[best], scores[step], rtol=1e-4)
        chosen.append(best)
        joint = (joint[:, :, None] * stack[:, best, None, :]).reshape(10, -1)


def test_batch_of_one_equals_bald():
    stack = _stack(3, m=10, n=40, k=5)
    idx, scores = greedy_batchbald(stack, 1)
    assert idx[0] == np.argmax(bald(stack))
    np.testing.assert_allclose(scores[0], bald(stack).max(), rtol=1e-5)


def test_batchbald_avoids_duplicates_that_topk_bald_takes():
    # The top-BALD sample gets two more copies (rows 0 and 1): top-2 BALD takes
    # two copies, BatchBALD only one of the three, whatever the tie-break.
    stack = _stack(4, m=8, n=6, k=3, alpha=0.3)
    stack = np.concatenate([stack[:, :1], stack], axis=1)
    top = np.argmax(bald(stack))
    stack[:, [0, 1]] = stack[:, [top, top]]
    copies = {0, 1, int(top)}
    assert set(np.argsort(-bald(stack))[:2]) <= copies
    for seed in range(20):
        idx, _ = greedy_batchbald(stack, 2, random_state=seed)
        assert len(copies & set(idx.tolist())) == 1


def test_sampled_joint_entropy_matches_exact():
    stack = _stack(5, m=8, n=30, k=4).astype(np.float32)
    chosen = [3, 7, 11]
    exact = np.ones((8, 1), np.float32)
    for j in chosen:
        exact = (exact[:, :, None] * stack[:, j, None, :]).reshape(8, -1)
    sampled = _sample_configurations(stack, chosen, 40000, np.random.RandomState(0))
    weights = 1.0 / (sampled.shape[1] * sampled.mean(axis=0))
    np.testing.assert_allclose(
        _joint_entropies(sampled, stack, weights),
        _joint_entropies(exact, stack, None),
        rtol=0.02,
    )


def test_sampled_batchbald_close_to_brute_force_and_deterministic():
    stack = _stack(6, m=10, n=25, k=4)
    # exact while 4^|A| <= 64 (three points), sampled for the fifth pick
    a = greedy_batchbald(stack, 5, n_configurations=64 * 3, random_state=1)
    b = greedy_batchbald(stack, 5, n_configurations=64 * 3, random_state=1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    brute = _brute_mutual_information(stack, a[0].tolist())
    assert abs(a[1][-1] - brute) < 0.05 * brute


def test_greedy_batchbald_input_errors():
    with pytest.raises(ValueError, match="n_samples, n_classes"):
        greedy_batchbald(np.ones((3, 2)), 1)
    with pytest.raises(ValueError, match="'n_configurations' parameter.*range"):
        greedy_batchbald(_stack(0), 2, n_configurations=0)
    with pytest.raises(TypeError, match="'n_configurations' parameter.*int"):
        greedy_batchbald(_stack(0), 2, n_configurations=1.5)
    with pytest.raises(InvalidParameterError, match="'batch_size' parameter"):
        greedy_batchbald(_stack(0), 0)


@pytest.mark.parametrize(
    "strategy,measure",
    [
        (BALD(), bald),
        (MaxEntropy(), consensus_entropy),
        (VariationRatios(), variation_ratio),
        (MeanSTD(), mean_std),
    ],
)
def test_score_strategies_take_top_of_their_measure(make_context, strategy, measure):
    stack = _stack(7, m=5, n=30, k=3)
    scores = strategy.score(make_context(stack))
    np.testing.assert_allclose(scores, measure(stack))
    idx, chosen = strategy.select(make_context(stack), 4)
    np.testing.assert_allclose(chosen, np.sort(measure(stack))[::-1][:4])
    np.testing.assert_allclose(measure(stack)[idx], chosen)


def test_strategies_need_stochastic_passes():
    X = np.random.RandomState(0).normal(size=(20, 3))
    ctx = QueryContext(X, classes=[0, 1], signals={"proba": lambda X: X[:, :2]})
    for strategy in (BALD(), BatchBALD(), StochasticBALD()):
        match = "needs predict_proba_samples.*BayesianLearner"
        with pytest.raises(TypeError, match=match):
            strategy.select(ctx, 2)


def test_batchbald_strategy_equals_the_kernel(make_context):
    stack = _stack(12, m=6, n=40, k=3)
    idx, scores = BatchBALD().select(make_context(stack), 4)
    ref_idx, ref_scores = _brute_greedy(stack, 4)
    assert idx.tolist() == ref_idx
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-4, atol=1e-5)
    # On a subset of candidates, positions are positions in the subset.
    candidates = np.arange(0, 40, 3)
    idx, _ = BatchBALD().select(make_context(stack, candidates), 3)
    assert idx.tolist() == _brute_greedy(stack[:, candidates], 3)[0]


def test_batchbald_strategy_with_max_candidates(make_context):
    stack = _stack(8, m=6, n=50, k=3)
    idx, scores = BatchBALD(max_candidates=20).select(make_context(stack), 3)
    assert len(set(idx.tolist())) == 3
    sub = np.sort(np.random.RandomState(0).choice(50, 20, replace=False))
    assert set(idx.tolist()) <= set(sub.tolist())
    np.testing.assert_allclose(
        scores[-1], _brute_mutual_information(stack, idx.tolist()), rtol=1e-4
    )
    # max_candidates below the batch: the batch is never shortened.
    idx, _ = BatchBALD(max_candidates=2).select(make_context(stack), 5)
    assert len(set(idx.tolist())) == 5


def test_stochastic_bald_power_sampling_follows_scores(make_context):
    stack = _stack(9, m=6, n=4, k=3, alpha=0.3)
    s = bald(stack)
    strategy = StochasticBALD("power", beta=1.0)
    rng = np.random.RandomState(0)
    first = [
        strategy.select(make_context(stack, random_state=rng), 1)[0][0]
        for _ in range(3000)
    ]
    freq = np.bincount(first, minlength=4) / 3000
    np.testing.assert_allclose(freq, s / s.sum(), atol=0.03)


@pytest.mark.parametrize("mode", ["power", "softmax", "softrank"])
def test_stochastic_bald_large_beta_is_top_k(make_context, mode):
    stack = _stack(10, m=6, n=40, k=3)
    idx, scores = StochasticBALD(mode, beta=1e4).select(make_context(stack), 5)
    assert idx.tolist() == np.argsort(-bald(stack))[:5].tolist()
    np.testing.assert_allclose(scores, bald(stack)[idx])
    again, _ = StochasticBALD(mode, beta=1.0).select(
        make_context(stack, random_state=3), 5
    )
    same, _ = StochasticBALD(mode, beta=1.0).select(
        make_context(stack, random_state=3), 5
    )
    assert again.tolist() == same.tolist()


def test_stochastic_bald_with_max_kl_scores_the_max_divergence(make_context):
    stack = _stack(13, m=5, n=30, k=3)
    idx, scores = StochasticBALD(measure="max_kl", beta=1e4).select(
        make_context(stack), 3
    )
    expected = max_kl(stack)
    assert idx.tolist() == np.argsort(-expected)[:3].tolist()
    np.testing.assert_allclose(scores, expected[idx])


def test_stochastic_bald_errors_and_registry(make_context):
    ctx = make_context(_stack(0))
    with pytest.raises(InvalidParameterError, match="'mode' parameter"):
        StochasticBALD("gumbel").select(ctx, 2)
    with pytest.raises(InvalidParameterError, match="'beta' parameter"):
        StochasticBALD(beta=-1.0).select(ctx, 2)
    with pytest.raises(InvalidParameterError, match="'measure' parameter"):
        StochasticBALD(measure="nope").select(ctx, 2)
    with pytest.raises(InvalidParameterError, match="'n_configurations' parameter"):
        BatchBALD(n_configurations=0).select(ctx, 2)
    with pytest.raises(TypeError, match="is a regressor"):
        BatchBALD().select(make_context(_stack(0), classes=None), 2)
    assert isinstance(resolve_strategy("batchbald"), BatchBALD)
    assert resolve_strategy("power_bald").mode == "power"
    assert isinstance(resolve_strategy("stochastic_bald"), StochasticBALD)
