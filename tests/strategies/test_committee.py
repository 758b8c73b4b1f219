"""QueryByCommittee: vote fast path, registry names, tie-heavy top-k, max_kl."""

import numpy as np
import pytest
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skal import Committee
from skal.datasets import make_pool
from skal.strategies import (
    BALD,
    GreedySampling,
    MaxEntropy,
    MeanSTD,
    QueryByCommittee,
    QueryContext,
    StdSampling,
    VariationRatios,
    bald,
    max_disagreement,
    max_kl,
    resolve_strategy,
    select_top_k,
    variation_ratio,
    vote_entropy,
)
from skal.strategies._committee import (
    _variation_ratio_from_votes,
    _vote_entropy_from_votes,
)
from skal.strategies._disagreement import DISAGREEMENTS


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
        ("max_kl", QueryByCommittee("max_kl")),
        ("variation_ratio", QueryByCommittee("variation_ratio")),
        ("bald", BALD()),
        ("max_entropy", MaxEntropy()),
        ("variation_ratios", VariationRatios()),
        ("mean_std", MeanSTD()),
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


@pytest.mark.parametrize("measure", sorted(DISAGREEMENTS))
def test_stack_only_context_scores_equal_pure_functions(measure, make_context):
    # No member_votes (like MC dropout): vote measures count the stack's argmax.
    stack = np.random.RandomState(3).dirichlet(np.full(3, 0.5), size=(6, 50))
    ctx = make_context(stack)
    scores = QueryByCommittee(measure).score(ctx)
    np.testing.assert_allclose(scores, DISAGREEMENTS[measure](stack), atol=1e-12)
    idx, chosen = QueryByCommittee(measure).select(make_context(stack), 4)
    np.testing.assert_allclose(chosen, np.sort(scores)[::-1][:4])
    np.testing.assert_allclose(scores[idx], chosen)


def test_vote_measures_read_the_members_own_votes(make_context):
    # Member 2's predict says class 1 where its probabilities' argmax is 0
    # (as an SVC with probability=True can): the votes, not the stack, count.
    stack = np.array(
        [
            [[0.9, 0.1], [0.8, 0.2]],
            [[0.7, 0.3], [0.6, 0.4]],
            [[0.6, 0.4], [0.9, 0.1]],
        ]
    )
    votes = np.array([[0, 0], [0, 0], [1, 0]])
    ctx = make_context(stack, votes=votes)
    h = -(2 / 3 * np.log(2 / 3) + 1 / 3 * np.log(1 / 3))
    np.testing.assert_allclose(QueryByCommittee("vote_entropy").score(ctx), [h, 0])
    np.testing.assert_allclose(
        QueryByCommittee("variation_ratio").score(ctx), [1 / 3, 0]
    )
    np.testing.assert_allclose(VariationRatios().score(ctx), [1 / 3, 0])
    # Without the votes, the argmax of the stack is unanimous.
    np.testing.assert_allclose(QueryByCommittee().score(make_context(stack)), 0)


def test_bald_has_one_meaning_for_committees_and_mc_dropout(make_context):
    stack = np.random.RandomState(5).dirichlet(np.full(4, 0.4), size=(7, 60))
    votes = stack.argmax(axis=2)
    for ctx_votes in (None, votes):  # MC dropout, then a committee
        by_name = resolve_strategy("bald")
        assert type(by_name) is BALD
        ctx = make_context(stack, votes=ctx_votes)
        np.testing.assert_allclose(by_name.score(ctx), bald(stack))
        np.testing.assert_allclose(QueryByCommittee("bald").score(ctx), bald(stack))
        a = by_name.select(make_context(stack, votes=ctx_votes), 5)
        b = QueryByCommittee("bald").select(make_context(stack, votes=ctx_votes), 5)
        np.testing.assert_array_equal(a[0], b[0])
        assert a[0].tolist() == np.argsort(-bald(stack))[:5].tolist()
    np.testing.assert_allclose(
        resolve_strategy("mean_std").score(make_context(stack)),
        QueryByCommittee("mean_std").score(make_context(stack)),
    )


def test_max_kl_is_the_largest_member_divergence_by_hand(make_context):
    stack = np.array(
        [
            [[1.0, 0.0], [0.8, 0.2]],
            [[0.5, 0.5], [0.8, 0.2]],
            [[0.0, 1.0], [0.2, 0.8]],
        ]
    )
    # Sample 0: consensus (0.5, 0.5); members log 2, 0, log 2 away.
    # Sample 1: consensus (0.6, 0.4).
    near = 0.8 * np.log(0.8 / 0.6) + 0.2 * np.log(0.2 / 0.4)
    far = 0.2 * np.log(0.2 / 0.6) + 0.8 * np.log(0.8 / 0.4)
    np.testing.assert_allclose(max_kl(stack), [np.log(2), far])
    np.testing.assert_allclose(
        max_disagreement(stack), [2 * np.log(2) / 3, (2 * near + far) / 3]
    )
    ctx = make_context(stack)
    np.testing.assert_allclose(QueryByCommittee("max_kl").score(ctx), [np.log(2), far])


def test_max_kl_and_mean_kl_pick_different_samples(make_context):
    # Sample 0: one member of four dissents (3 x (1, 0), 1 x (0, 1)): one large
    # divergence log 4, mean (3 log(4/3) + log 4) / 4 = 0.562. Sample 1: a 2-2
    # split, every member log 2 = 0.693 away.
    stack = np.array(
        [[[1.0, 0.0], [1.0, 0.0]]] * 2
        + [[[1.0, 0.0], [0.0, 1.0]]]
        + [[[0.0, 1.0], [0.0, 1.0]]]
    )
    np.testing.assert_allclose(max_kl(stack), [np.log(4), np.log(2)])
    np.testing.assert_allclose(
        max_disagreement(stack), [(3 * np.log(4 / 3) + np.log(4)) / 4, np.log(2)]
    )
    assert QueryByCommittee("max_kl").select(make_context(stack), 1)[0][0] == 0
    assert (
        QueryByCommittee("max_disagreement").select(make_context(stack), 1)[0][0] == 1
    )


def test_scores_are_computed_chunk_by_chunk(make_context):
    stack = np.random.RandomState(1).dirichlet(np.ones(3), size=(4, 20_000))
    calls = []
    scores = QueryByCommittee("bald").score(make_context(stack, calls=calls))
    np.testing.assert_allclose(scores, bald(stack))
    assert len(calls) > 1 and max(calls) < 20_000 and sum(calls) == 20_000


def test_subsampled_candidates_score_the_subsample(make_context):
    stack = np.random.RandomState(2).dirichlet(np.ones(3), size=(5, 40))
    candidates = np.array([3, 17, 8, 30])
    ctx = make_context(stack, candidates)
    np.testing.assert_allclose(
        QueryByCommittee("consensus_entropy").score(ctx),
        DISAGREEMENTS["consensus_entropy"](stack[:, candidates]),
    )


def test_errors_are_clear(make_context):
    stack = np.random.RandomState(0).dirichlet(np.ones(3), size=(3, 10))
    with pytest.raises(
        InvalidParameterError, match="'measure' parameter of QueryByCommittee"
    ):
        QueryByCommittee("kl").select(make_context(stack), 2)
    regressor = make_context(stack, classes=None)
    with pytest.raises(TypeError, match="is a regressor.*query_strategy='std'"):
        QueryByCommittee().select(regressor, 2)
    with pytest.raises(TypeError, match="is a regressor"):
        BALD().select(regressor, 2)
    plain = QueryContext(
        np.zeros((5, 1)), classes=[0, 1], signals={"proba": lambda X: X}
    )
    with pytest.raises(
        TypeError, match="needs predict_proba_samples.*BayesianLearner.*skal.Committee"
    ):
        QueryByCommittee().select(plain, 2)


def test_bald_through_a_committee_learner_is_the_bald_of_its_stack():
    X, y = load_iris(return_X_y=True)
    y_pool = make_pool(y, n_labeled=15, random_state=0)
    committee = Committee(
        estimator=DecisionTreeClassifier(max_depth=2),
        n_members=5,
        query_strategy="bald",
        batch_size=4,
        random_state=0,
    ).fit(X, y_pool)
    assert type(committee.query_strategy_) is BALD
    ctx = committee.query_context()
    expected = bald(committee.predict_proba_samples(X[ctx.candidates]))
    idx, scores = committee.query(return_scores=True)
    np.testing.assert_allclose(scores, np.sort(expected)[::-1][:4])
    local, qbc_scores = QueryByCommittee("bald").select(committee.query_context(), 4)
    np.testing.assert_allclose(qbc_scores, scores)
    np.testing.assert_allclose(expected[local], qbc_scores)


@pytest.mark.parametrize("name", sorted(DISAGREEMENTS))
def test_every_disagreement_measure_is_a_strategy_name(make_context, name):
    # "bald" and "mean_std" resolve to BALD and MeanSTD: the same numbers.
    stack = np.random.RandomState(6).dirichlet(np.full(3, 0.5), size=(5, 40))
    strategy = resolve_strategy(name)
    np.testing.assert_allclose(
        strategy.score(make_context(stack)), DISAGREEMENTS[name](stack), atol=1e-12
    )
