"""Hybrid strategies: factored BADGE, weighted k-means, max-cover, fusion."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.base import clone
from sklearn.datasets import load_iris, make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import check_set_params

from skal import ActiveLearner
from skal.strategies import (
    BADGE,
    CoreSet,
    DiverseMiniBatch,
    Hybrid,
    QueryContext,
    RankedBatch,
    SuggestiveAnnotation,
    UncertaintySampling,
    entropy,
    gradient_embedding_factors,
    least_confidence,
    resolve_strategy,
)
from skal.strategies._seeding import (
    greedy_max_cover,
    kmeans_closest,
    kmeans_plusplus_factored,
)


def explicit_kmeans_pp(G, k, rng):
    """k-means++ on explicit embeddings, with the kernel's draw convention."""
    sq = (G**2).sum(axis=1)
    picks = [int(np.argmax(sq))]
    d2 = ((G - G[picks[0]]) ** 2).sum(axis=1)
    while len(picks) < k:
        d2[picks] = 0.0
        cum = np.cumsum(d2)
        picks.append(int(np.searchsorted(cum, rng.uniform() * cum[-1], side="right")))
        d2 = np.minimum(d2, ((G - G[picks[-1]]) ** 2).sum(axis=1))
    return picks


@pytest.fixture(scope="module")
def fitted():
    """``(ctx, model, pool, X_lab)``; ``ctx(rows=None, seed=0)`` is a fresh
    context of a learner's next query (of its unlabeled rows, or ``rows``)."""
    X, y = make_blobs(240, n_features=5, centers=4, cluster_std=2.5, random_state=0)
    y_partial = np.full_like(y, -1)
    lab = np.random.RandomState(0).choice(len(y), 16, replace=False)
    y_partial[lab] = y[lab]
    learner = ActiveLearner(LogisticRegression(max_iter=500)).fit(X, y_partial)

    def ctx(rows=None, seed=0):
        fresh = clone(learner).set_params(random_state=seed)
        return fresh.fit(X, y_partial).query_context(rows)

    return ctx, learner.estimator_, X[y_partial == -1], X[y_partial != -1]


def test_factored_inner_products_equal_explicit_gradient_embeddings():
    rng = np.random.RandomState(0)
    proba = rng.dirichlet(np.ones(4), size=30)
    H = rng.normal(size=(30, 6))
    U = gradient_embedding_factors(proba)
    G = (U[:, :, None] * H[:, None, :]).reshape(30, -1)  # (p - e_yhat) (x) h
    np.testing.assert_allclose(G @ G.T, (U @ U.T) * (H @ H.T), atol=1e-12)
    assert np.allclose(U.sum(axis=1), 0.0) and np.all(
        U[np.arange(30), proba.argmax(1)] < 0
    )


def test_factored_seeding_equals_explicit_kmeans_plus_plus():
    # With max_pending=1 every draw is the inverse-CDF draw on exact D^2.
    rng = np.random.RandomState(1)
    U = gradient_embedding_factors(rng.dirichlet(np.ones(10), size=200))
    H = rng.normal(size=(200, 16))
    G = (U[:, :, None] * H[:, None, :]).reshape(200, -1)
    for seed in range(3):
        got, d2 = kmeans_plusplus_factored(
            U, H, 25, np.random.RandomState(seed), max_pending=1
        )
        ref = explicit_kmeans_pp(G, 25, np.random.RandomState(seed))
        assert got.tolist() == ref
        dist = cdist(G[ref[1:]], G[ref[:-1]], "sqeuclidean")
        expected = [min(dist[t, : t + 1]) for t in range(24)]
        np.testing.assert_allclose(d2[1:], expected, rtol=1e-8)


def test_rejection_draws_follow_the_kmeans_plus_plus_distribution():
    # The third pick is drawn from stale D^2 with a rejection step; over many
    # seeds its frequencies match D^2 to the first two picks.
    rng = np.random.RandomState(0)
    U = gradient_embedding_factors(rng.dirichlet(np.ones(3), size=7))
    H = rng.normal(size=(7, 2))
    G = (U[:, :, None] * H[:, None, :]).reshape(7, -1)
    runs, observed, expected = 1000, np.zeros(7), np.zeros(7)
    for seed in range(runs):
        picks, _ = kmeans_plusplus_factored(U, H, 3, np.random.RandomState(seed))
        d2 = cdist(G, G[picks[:2]], "sqeuclidean").min(axis=1)
        expected += d2 / d2.sum()
        observed[picks[2]] += 1
    np.testing.assert_allclose(observed / runs, expected / runs, atol=0.04)
    every, _ = kmeans_plusplus_factored(U, H, 7, np.random.RandomState(0))
    assert sorted(every.tolist()) == list(range(7))


def test_badge_select_uses_proba_and_embedding(fitted):
    ctx, model, pool, _ = fitted
    idx, _ = BADGE().select(ctx(seed=3), 8)
    U = gradient_embedding_factors(model.predict_proba(pool)).astype(np.float32)
    ref, _ = kmeans_plusplus_factored(
        U, pool.astype(np.float32), 8, np.random.RandomState(3)
    )
    assert idx.tolist() == ref.tolist() and len(set(idx.tolist())) == 8


def test_badge_needs_probabilities():
    X, y = load_iris(return_X_y=True)
    ctx = ActiveLearner(LinearSVC()).fit(X[::5], y[::5]).query_context(X)
    match = "BADGE.. needs predict_proba, which LinearSVC does"
    with pytest.raises(TypeError, match=match):
        BADGE().select(ctx, 2)


def test_weighted_kmeans_hand_checked():
    # Cluster {0, 1, 2} with weights {1, 1, 10}: weighted centre 21/12 = 1.75,
    # closest sample 2 (unweighted centre 1.0, closest sample 1). Cluster
    # {100, 101, 105} with weights {5, 1, 1}: centre 100.86, closest 101.
    Z = np.array([[0.0], [1.0], [2.0], [100.0], [101.0], [105.0]])
    w = np.array([1.0, 1.0, 10.0, 5.0, 1.0, 1.0])
    idx, mass = kmeans_closest(Z, 2, np.random.RandomState(0), sample_weight=w)
    assert idx.tolist() == [2, 4] and mass.tolist() == [12.0, 7.0]
    idx, mass = kmeans_closest(Z, 2, np.random.RandomState(0))
    assert sorted(idx.tolist()) == [1, 4] and mass.tolist() == [3.0, 3.0]


def test_diverse_mini_batch_hand_checked():
    # Informativeness given directly: the prefilter (beta * b = 5) drops the
    # low-information sample at 50; weighted k-means then picks 2 and 100.
    Z = np.array([[0.0], [1.0], [2.0], [50.0], [100.0], [101.0]])
    info = np.array([1.0, 1.0, 10.0, 0.001, 5.0, 1.0])

    ctx = QueryContext(
        Z, signals={"proba": lambda X: np.zeros((len(X), 2))}, random_state=0
    )
    strategy = DiverseMiniBatch(measure=lambda proba: info, beta=2.5)
    idx, scores = strategy.select(ctx, 2)
    assert idx.tolist() == [2, 4] and scores.tolist() == [10.0, 5.0]


def brute_ranked_batch(unc, X, L, k):
    d = cdist(X, L).min(axis=1) if len(L) else np.full(len(X), np.inf)
    picks = []
    for t in range(k):
        alpha = (len(X) - t) / (len(X) + len(L))
        score = alpha * (1 - 1 / (1 + d)) + (1 - alpha) * unc
        if not len(L) and t == 0:  # no labels: the most uncertain first
            score = unc.copy()
        score[picks] = -np.inf
        picks.append(int(np.argmax(score)))
        d = np.minimum(d, cdist(X, X[[picks[-1]]])[:, 0])
    return picks


def test_ranked_batch_equals_brute_force(fitted):
    ctx, model, pool, X_lab = fitted
    idx, _ = RankedBatch().select(ctx(), 10)
    unc = least_confidence(model.predict_proba(pool))
    assert idx.tolist() == brute_ranked_batch(unc, pool, X_lab, 10)


def test_ranked_batch_without_labels_starts_at_the_most_uncertain(fitted):
    # Formerly every score tied at 1 and the first pick was always position 0.
    _, model, pool, _ = fitted
    unc = least_confidence(model.predict_proba(pool))
    assert int(np.argmax(unc)) != 0 and np.sum(unc == unc.max()) == 1
    no_labels = QueryContext(pool, signals={"proba": model.predict_proba}, model=model)
    idx, scores = RankedBatch().select(no_labels, 6)
    assert idx[0] == np.argmax(unc) and scores[0] == pytest.approx(unc.max())
    assert idx.tolist() == brute_ranked_batch(unc, pool, np.empty((0, 5)), 6)

    # Ties (a constant model) are broken at random, reproducibly.
    def flat(seed):
        signals = {"proba": lambda X: np.full((len(X), 2), 0.5)}
        return QueryContext(pool, signals=signals, random_state=seed)

    firsts = {int(RankedBatch().select(flat(seed), 1)[0][0]) for seed in range(5)}
    assert len(firsts) > 1


def brute_max_cover(S, k):
    cover, picks = np.zeros(S.shape[1]), []
    for _ in range(k):
        gains = np.maximum(S - cover, 0).sum(axis=1)
        gains[picks] = -1
        picks.append(int(np.argmax(gains)))
        cover = np.maximum(cover, S[picks[-1]])
    return picks


def test_lazy_max_cover_equals_plain_greedy():
    rng = np.random.RandomState(0)
    for _ in range(5):
        S = rng.rand(30, 80) ** 3
        assert greedy_max_cover(S, 10)[0].tolist() == brute_max_cover(S, 10)


def test_suggestive_annotation_equals_brute_force(fitted):
    ctx, model, pool, _ = fitted
    idx, _ = SuggestiveAnnotation(beta=3).select(ctx(), 5)
    unc = entropy(model.predict_proba(pool))
    top = np.argsort(-unc)[:15]
    Zn = pool / np.linalg.norm(pool, axis=1, keepdims=True)
    S = np.maximum(Zn[top] @ Zn.T, 0)
    assert idx.tolist() == top[brute_max_cover(S, 5)].tolist()


def test_hybrid_score_and_rank_fusion(fitted):
    ctx, model, pool, X_lab = fitted
    unc = UncertaintySampling("margin").score(ctx())
    far = CoreSet().score(ctx())
    np.testing.assert_allclose(far, cdist(pool, X_lab).min(axis=1), rtol=1e-4)
    only_unc = Hybrid([("u", "margin"), ("c", CoreSet())], weights=[1, 0])
    assert set(only_unc.select(ctx(), 5)[0].tolist()) == set(
        np.argsort(-unc)[:5].tolist()
    )
    norm = lambda s: (s - s.min()) / (s.max() - s.min())  # noqa: E731
    both = Hybrid([("u", "margin"), ("c", CoreSet())], weights=[2, 1])
    ref = np.argsort(-(2 * norm(unc) + norm(far)))[:5]
    assert both.select(ctx(), 5)[0].tolist() == ref.tolist()
    rank = both.set_params(combine="rank")
    rank_ref = np.argsort(
        2 * np.argsort(np.argsort(-unc)) + np.argsort(np.argsort(-far))
    )
    assert rank.select(ctx(), 5)[0].tolist() == rank_ref[:5].tolist()


def test_hybrid_parts_share_one_signal_pass(fitted):
    # Three parts read the probabilities; the model is asked once per query.
    _, model, pool, X_lab = fitted
    calls = []

    def proba(X):
        calls.append(len(X))
        return model.predict_proba(X)

    ctx = QueryContext(
        pool,
        signals={"proba": proba},
        X_labeled=X_lab,
        y_labeled=np.zeros(len(X_lab)),
        model=model,
    )
    both = Hybrid([("m", "margin"), ("e", "entropy"), ("b", BADGE())])
    both.select(ctx, 3)
    assert calls == [len(pool)]


def test_hybrid_params_are_nested_and_cloneable():
    h = Hybrid([("u", UncertaintySampling()), ("d", DiverseMiniBatch())])
    params = h.get_params()
    assert params["u__measure"] == "entropy" and params["d__beta"] == 10
    h2 = clone(h).set_params(d__beta=3, weights=[1, 2])
    assert h2.named_strategies.d.beta == 3 and h2.weights == [1, 2]
    assert h.named_strategies.d.beta == 10
    assert h.requires_model is True
    learner = ActiveLearner(LogisticRegression(), query_strategy=h)
    learner.set_params(query_strategy__u__measure="margin")
    assert learner.get_params()["query_strategy__u__measure"] == "margin"
    assert Hybrid([("c", CoreSet()), ("k", "kmeans")]).requires_model is False
    assert Hybrid([("c", CoreSet()), ("u", "margin")]).requires_model is True
    empty = QueryContext(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="Names provided are not unique"):
        Hybrid([("a", "margin"), ("a", "entropy")]).select(empty, 1)
    with pytest.raises(ValueError, match="Unknown strategies\\['b'\\]"):
        Hybrid([("a", "margin"), ("b", "nope")], weights=[1, 0]).select(empty, 1)
    with pytest.raises(ValueError, match="weights must be 2"):
        Hybrid([("a", "random"), ("b", "random")], weights=[1]).select(empty, 1)
    with pytest.raises(ValueError, match="'combine' parameter of Hybrid"):
        Hybrid([("a", "random")], combine="x").select(empty, 1)


def test_hybrid_set_params_keeps_the_strategies_list():
    # Formerly set_params(weights=...) replaced strategies with a copy.
    parts = [("u", UncertaintySampling()), ("c", CoreSet())]
    h = Hybrid(parts)
    h.set_params(weights=[1, 2], u__measure="margin")
    assert h.strategies is parts and h.weights == [1, 2]
    assert parts[0][1].measure == "margin"
    check_set_params("Hybrid", Hybrid(parts))
    replaced = Hybrid(list(parts)).set_params(c="kmeans")
    assert replaced.get_params()["c"] == "kmeans" and parts[1][0] == "c"


@pytest.mark.parametrize(
    "strategy",
    [
        BADGE(),
        DiverseMiniBatch(beta=4),
        RankedBatch(),
        SuggestiveAnnotation(),
        Hybrid([("u", "entropy"), ("c", CoreSet())], combine="rank"),
    ],
    ids=repr,
)
def test_deterministic_and_max_candidates(fitted, strategy):
    ctx, _, pool, _ = fitted
    a, _ = strategy.select(ctx(), 4)
    b, _ = clone(strategy).select(ctx(), 4)
    assert a.tolist() == b.tolist() and len(set(a.tolist())) == 4
    sub = clone(strategy).set_params(max_candidates=30)
    c, _ = sub.select(ctx(), 4)
    subset = np.random.RandomState(0).choice(len(pool), 30, replace=False)
    assert set(c.tolist()) <= set(subset.tolist())


@pytest.mark.parametrize("strategy", [RankedBatch(), SuggestiveAnnotation()], ids=repr)
def test_permutation_invariant(fitted, strategy):
    ctx, _, pool, _ = fitted
    a, _ = strategy.select(ctx(), 5)
    perm = np.random.RandomState(2).permutation(len(pool))
    c, _ = strategy.select(ctx(rows=pool[perm]), 5)
    assert perm[c].tolist() == a.tolist()


def test_grid_search_over_beta_with_simulated_acquisition():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(
        LogisticRegression(max_iter=300),
        query_strategy=DiverseMiniBatch(),
        budget=16,
        n_initial=8,
        batch_size=8,
        random_state=0,
    )
    grid = GridSearchCV(learner, {"query_strategy__beta": [1, 4]}, cv=3).fit(X, y)
    assert grid.cv_results_["param_query_strategy__beta"].tolist() == [1, 4]
    assert grid.best_score_ > 0.8
    assert repr(resolve_strategy("badge")) == "BADGE()"
