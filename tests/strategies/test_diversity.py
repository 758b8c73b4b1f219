"""Diversity strategies: brute-force references, toys, contract."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from scipy.spatial.distance import cdist
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner
from skal.strategies import (
    CoreSet,
    DensityWeighted,
    KMeansSampling,
    QueryContext,
    TypiClust,
    UncertaintySampling,
    resolve_strategy,
    typicality,
)
from skal.strategies._kcenter import k_center_greedy
from skal.strategies._kernels import (
    augment,
    greedy_k_center,
    mean_rbf_similarity,
    min_sq_distances,
)


def brute_k_center(X, labeled, k, start=None):
    """Farthest-first traversal, all distances recomputed in float64."""
    if labeled is None:
        d = ((X - X[start]) ** 2).sum(axis=1)
        picks = [start]
    else:
        d = cdist(X, labeled, "sqeuclidean").min(axis=1)
        picks = []
    while len(picks) < k:
        i = int(np.argmax(d))
        picks.append(i)
        d = np.minimum(d, ((X - X[i]) ** 2).sum(axis=1))
    return picks


@pytest.fixture(scope="module")
def blobs():
    X, y = make_blobs(300, n_features=4, centers=3, random_state=0)
    return X, y


def fitted_context(X, y_partial, estimator=None, random_state=0, X_pool=None):
    """The context of the next query of a learner fitted on ``(X, y_partial)``."""
    learner = ActiveLearner(estimator or LogisticRegression())
    learner.set_params(random_state=random_state)
    return learner.fit(X, y_partial).query_context(X_pool)


def partial(y, n_labeled, seed=0):
    rng = np.random.RandomState(seed)
    y_partial = np.full_like(y, -1)
    keep = rng.choice(len(y), n_labeled, replace=False)
    y_partial[keep] = y[keep]
    return y_partial


def test_min_sq_distances_match_cdist():
    rng = np.random.RandomState(0)
    X, C = rng.normal(size=(500, 7)) + 3, rng.normal(size=(40, 7)) + 3
    centre = X.mean(axis=0)
    Za, z_sq = augment(X, centre)
    Ca, c_sq = augment(C, centre)
    ref = cdist(X, C, "sqeuclidean").min(axis=1)
    for chunk in (1, 64, 2048):  # chunk of 1 also splits the centres
        got = min_sq_distances(Za, z_sq, Ca, c_sq, chunk_rows=chunk)
        np.testing.assert_allclose(got, ref, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("n_candidates", [None, 30, 3])
def test_k_center_equals_brute_force(n_candidates):
    rng = np.random.RandomState(1)
    X, L = rng.normal(size=(400, 5)), rng.normal(size=(12, 5))
    Za, z_sq = augment(X)
    La, l_sq = augment(L, X.mean(axis=0))
    d2 = min_sq_distances(Za, z_sq, La, l_sq)
    idx, dists = greedy_k_center(Za, z_sq, 40, d2, n_candidates=n_candidates)
    ref = brute_k_center(X, L, 40)
    assert idx.tolist() == ref
    expected = [
        cdist(X[[i]], np.vstack([L, X[ref[:t]]])).min() for t, i in enumerate(ref)
    ]
    np.testing.assert_allclose(dists, expected, rtol=1e-4)


@pytest.mark.parametrize("n_labeled", [40, 160])
def test_pruned_k_center_equals_brute_force(n_labeled):
    # Bounds from every 8th labeled row: exact distances for a few points
    # only, then the greedy on them, proven global or grown.
    rng = np.random.RandomState(3)
    X, L = rng.normal(size=(20000, 3)), rng.normal(size=(n_labeled, 3))
    idx, dists = k_center_greedy(X, 6, X_labeled=L)
    assert idx.tolist() == brute_k_center(X, L, 6)
    np.testing.assert_allclose(
        dists[0], np.sqrt(cdist(X[[idx[0]]], L, "sqeuclidean").min()), rtol=1e-4
    )


def test_pruned_k_center_with_misleading_bounds_falls_back():
    # The bounding rows (every 8th) sit in one corner and a hole in the
    # labeled set lies next to it: the farthest points have small bounds, so
    # the first candidate sets fail the check and the exact fallback is used.
    rng = np.random.RandomState(0)
    X = rng.uniform(size=(20000, 2))
    spread = rng.uniform(size=(600, 2))
    spread = spread[np.linalg.norm(spread - 0.2, axis=1) > 0.25][:140]
    L = np.empty((160, 2))
    L[::8] = 0.0
    L[np.arange(160) % 8 != 0] = spread
    idx, _ = k_center_greedy(X, 6, X_labeled=L)
    assert idx.tolist() == brute_k_center(X, L, 6)
    assert np.linalg.norm(X[idx[0]] - 0.2) < 0.25  # the hole


def test_coreset_select_equals_brute_force_on_labeled_set(blobs):
    X, y = blobs
    y_partial = partial(y, 15)
    idx, scores = CoreSet().select(fitted_context(X, y_partial), 20)
    pool = np.flatnonzero(y_partial == -1)
    ref = brute_k_center(X[pool], X[y_partial != -1], 20)
    assert idx.tolist() == ref
    assert np.all(np.diff(scores) <= 1e-6)  # farthest-first: distances shrink
    np.testing.assert_allclose(
        scores[0], cdist(X[pool][[ref[0]]], X[y_partial != -1]).min(), rtol=1e-4
    )


def test_coreset_through_the_learner_query(blobs):
    X, y = blobs
    y_partial = partial(y, 15)
    learner = ActiveLearner(
        LogisticRegression(), query_strategy=CoreSet(), batch_size=20
    ).fit(X, y_partial)
    idx, scores = learner.query(return_scores=True)
    pool = np.flatnonzero(y_partial == -1)
    ref = brute_k_center(X[pool], X[y_partial != -1], 20)
    assert idx.tolist() == pool[ref].tolist()  # positions in X, not in the pool


def test_coreset_cold_start_starts_at_the_mean():
    X = np.random.RandomState(0).normal(size=(100, 3))
    idx, scores = CoreSet().select(QueryContext(X), 5)
    start = int(np.argmin(((X - X.mean(axis=0)) ** 2).sum(axis=1)))
    assert idx.tolist() == brute_k_center(X, None, 5, start=start)
    assert np.isinf(scores[0])


def test_coreset_uses_the_pipeline_embedding():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 2)) * [1.0, 1000.0]
    y = (X[:, 0] > 0).astype(int)
    y_partial = partial(y, 10)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    ctx = fitted_context(X, y_partial, pipe)
    Z = ctx.model[:-1].transform(X)
    pool = np.flatnonzero(y_partial == -1)
    ref = brute_k_center(Z[pool], Z[y_partial != -1], 5)
    assert CoreSet().select(ctx, 5)[0].tolist() == ref
    # Raw features would give other picks: the scale of column 1 dominates.
    raw = brute_k_center(X[pool], X[y_partial != -1], 5)
    assert raw != ref


def test_coreset_score_is_the_distance_to_the_labeled_set(blobs):
    X, y = blobs
    y_partial = partial(y, 15)
    lab = y_partial != -1
    got = CoreSet().score(fitted_context(X, y_partial))
    np.testing.assert_allclose(got, cdist(X[~lab], X[lab]).min(axis=1), rtol=1e-4)
    assert np.isinf(CoreSet().score(QueryContext(X))).all()


def test_context_embedding_sources():
    X = np.arange(6.0).reshape(3, 2)
    assert QueryContext(X.astype(int)).embedding().dtype == np.float64
    np.testing.assert_array_equal(QueryContext(pd.DataFrame(X)).embedding(), X)
    np.testing.assert_array_equal(QueryContext(sp.csr_matrix(X)).embedding(), X)
    ctx = QueryContext(
        X,
        candidates=[2, 0],
        signals={"embed": lambda rows: np.asarray(rows)[:, :1] * 2},
        X_labeled=X[1:2],
        y_labeled=[0],
    )
    assert ctx.embedding().tolist() == [[8.0], [0.0]]
    assert ctx.labeled_embedding().tolist() == [[4.0]]
    assert QueryContext(X).labeled_embedding() is None


def test_kmeans_sampling_takes_one_per_blob(blobs):
    X, y = blobs
    idx, mass = KMeansSampling().select(QueryContext(X, random_state=0), 3)
    assert sorted(y[idx].tolist()) == [0, 1, 2]
    assert mass.sum() == len(X) and np.all(np.diff(mass) <= 0)
    for i in idx:  # each pick is its blob's sample closest to the blob mean
        members = np.flatnonzero(y == y[i])
        centre = X[members].mean(axis=0)
        assert i == members[np.argmin(((X[members] - centre) ** 2).sum(axis=1))]


def test_typicality_matches_brute_force():
    Z = np.random.RandomState(0).normal(size=(30, 3))
    D = cdist(Z, Z)
    np.fill_diagonal(D, np.inf)
    ref = 1.0 / np.sort(D, axis=1)[:, :4].mean(axis=1)
    np.testing.assert_allclose(typicality(Z, 4), ref)


def test_typiclust_picks_most_typical_of_uncovered_blobs(blobs):
    X, y = blobs
    # One label in blob 0 and a batch of 2 make 3 clusters, the 3 blobs;
    # the picks are the most typical samples of blobs 1 and 2.
    labeled = np.zeros(len(X), dtype=bool)
    labeled[np.flatnonzero(y == 0)[0]] = True
    ctx = QueryContext(
        X[~labeled], X_labeled=X[labeled], y_labeled=y[labeled], random_state=0
    )
    idx, scores = TypiClust().select(ctx, 2)
    picked = np.flatnonzero(~labeled)[idx]
    assert sorted(y[picked].tolist()) == [1, 2]
    for i, score in zip(picked, scores):
        blob = np.flatnonzero(y == y[i])
        typ = typicality(X[blob], 20)
        assert i == blob[np.argmax(typ)]
        assert score == pytest.approx(typ.max())


def test_typiclust_as_cold_start_initial_strategy():
    X, y = load_iris(return_X_y=True)
    learner = ActiveLearner(
        LogisticRegression(max_iter=500),
        initial_strategy=TypiClust(),
        n_initial=6,
        budget=12,
        batch_size=3,
        random_state=0,
    ).fit(X, y)
    ref, _ = TypiClust().select(QueryContext(X, random_state=0), 6)
    assert learner.history_[0]["indices"] == ref.tolist()
    assert len(set(y[ref].tolist())) == 3  # one typical flower per species and more
    assert learner.labeled_mask_.sum() == 12


@pytest.mark.parametrize(
    "strategy", [CoreSet(), KMeansSampling(), TypiClust()], ids=repr
)
def test_needs_no_model(strategy):
    X, y = load_wine(return_X_y=True)
    assert strategy.requires_model is False
    # A context with no model and no signals: the features are the embedding.
    first, _ = strategy.select(QueryContext(X, random_state=0), 5)
    again, _ = clone(strategy).select(QueryContext(X, random_state=0), 5)
    assert first.tolist() == again.tolist() and len(set(first.tolist())) == 5
    # As a learner's cold start: the pipeline's scaler is fitted on the pool.
    learner = ActiveLearner(
        make_pipeline(StandardScaler(), LogisticRegression()),
        initial_strategy=strategy,
        n_initial=5,
        budget=15,
        batch_size=5,
        random_state=0,
    )
    cold = learner.fit(X, y).history_[0]["indices"]
    assert learner.fit(X, y).history_[0]["indices"] == cold and len(set(cold)) == 5


def test_density_weighted_prefers_dense_uncertain_points():
    # Labeled at -3 (class 0) and +3 (class 1): the boundary is at 0. An
    # isolated point at -0.3 is the most uncertain; a cluster sits at 0.5.
    cluster = 0.5 + np.linspace(-0.05, 0.05, 9)
    X = np.concatenate([[-3.0, 3.0, -0.3], cluster, [2.5, -2.6]])[:, None]
    y = np.r_[0, 1, [-1] * (len(X) - 2)]
    unc = UncertaintySampling().select(fitted_context(X, y), 1)[0]
    assert unc.tolist() == [0]  # positions among the unlabeled rows 2, 3, ...
    picked, _ = DensityWeighted(similarity="rbf").select(fitted_context(X, y), 1)
    assert 1 <= picked[0] <= 9
    only_unc = DensityWeighted(beta=0.0).select(fitted_context(X, y), 1)[0]
    assert only_unc.tolist() == [0]


def test_density_values_match_brute_force():
    rng = np.random.RandomState(0)
    Z = rng.normal(size=(50, 3)) + 1.0
    Zn = Z / np.linalg.norm(Z, axis=1, keepdims=True)
    cos_ref = ((1.0 + Zn @ Zn.T) / 2).mean(axis=1)  # Settles & Craven's (1+cos)/2
    np.testing.assert_allclose(DensityWeighted().density(QueryContext(Z)), cos_ref)
    rbf_ref = np.exp(-0.3 * cdist(Z, Z, "sqeuclidean")).mean(axis=1)
    np.testing.assert_allclose(
        DensityWeighted(similarity="rbf", gamma=0.3).density(QueryContext(Z)),
        rbf_ref,
        rtol=1e-5,
    )
    Za, z_sq = augment(Z)
    np.testing.assert_allclose(
        mean_rbf_similarity(Za, z_sq, 0.3, chunk_rows=7), rbf_ref, rtol=1e-5
    )
    # Hand-computed: cosines of (1, 0) to the pool are 1, 0, -1.
    toy = np.array([[1.0, 0.0], [0.0, 3.0], [-2.0, 0.0]])
    got = DensityWeighted().density(QueryContext(toy))
    np.testing.assert_allclose(got, [(1 + 0.5 + 0) / 3, 2 / 3, (0 + 0.5 + 1) / 3])


def test_cosine_density_never_zero_on_standardised_breast_cancer():
    # Clipping negative mean cosines to 0 (the former default) gave 37-41%
    # of this pool density 0, so their scores were 0 whatever the uncertainty.
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    Zn = X / np.linalg.norm(X, axis=1, keepdims=True)
    clipped = np.maximum(Zn @ Zn.mean(axis=0), 0.0)
    assert 0.3 < np.mean(clipped == 0) < 0.5
    y_partial = partial(y, 20)
    ctx = fitted_context(X, y_partial)
    density = DensityWeighted().density(ctx)
    pool = X[y_partial == -1]
    Pn = pool / np.linalg.norm(pool, axis=1, keepdims=True)
    np.testing.assert_allclose(density, ((1 + Pn @ Pn.T) / 2).mean(axis=1))
    assert density.min() > 0.25 and density.max() <= 1.0
    scores = DensityWeighted().score(ctx)
    assert np.all(scores > 0)  # every candidate keeps its uncertainty's rank


@pytest.mark.parametrize(
    "strategy, exact, cold",
    [
        (CoreSet(), True, False),
        (DensityWeighted(similarity="rbf"), True, False),
        (KMeansSampling(n_init=3), False, False),
        (TypiClust(), False, True),
    ],
    ids=repr,
)
def test_deterministic_and_permutation_invariant(blobs, strategy, exact, cold):
    X, y = blobs
    y_partial = partial(y, 12)
    pool = X[y_partial == -1]

    def ctx(rows, seed):
        # TypiClust clusters pool and labeled rows into n_labeled + batch
        # clusters; only the cold start (3 clusters for 3 blobs) has an
        # order-free partition.
        if cold:
            return QueryContext(rows, random_state=seed)
        return fitted_context(X, y_partial, random_state=seed, X_pool=rows)

    a, _ = strategy.select(ctx(pool, 0), 3)
    b, _ = clone(strategy).select(ctx(pool, 0), 3)
    assert a.tolist() == b.tolist()
    perm = np.random.RandomState(5).permutation(len(pool))
    c, _ = strategy.select(ctx(pool[perm], 1), 3)
    if exact:
        assert perm[c].tolist() == a.tolist()
    else:  # k-means partitions of well-separated blobs do not depend on order
        assert sorted(perm[c].tolist()) == sorted(a.tolist())


@pytest.mark.parametrize("name", ["coreset", "kmeans", "typiclust", "density"])
def test_max_candidates_restricts_the_pool(blobs, name):
    X, y = blobs
    strategy = resolve_strategy(name).set_params(max_candidates=40)
    idx, _ = strategy.select(fitted_context(X, partial(y, 12), X_pool=X), 4)
    subset = np.sort(np.random.RandomState(0).choice(len(X), 40, replace=False))
    assert len(set(idx.tolist())) == 4 and set(idx.tolist()) <= set(subset.tolist())


def test_bad_parameters_raise_clear_errors(blobs):
    X, y = blobs
    ctx = fitted_context(X, partial(y, 12))
    with pytest.raises(ValueError, match="'similarity' parameter of DensityWeighted"):
        DensityWeighted(similarity="manhattan").select(ctx, 2)
    with pytest.raises(ValueError, match="'beta' parameter of DensityWeighted"):
        DensityWeighted(beta=-1).select(ctx, 2)
    with pytest.raises(TypeError, match="'n_neighbors' parameter of TypiClust"):
        TypiClust(n_neighbors=2.5).select(ctx, 2)
    with pytest.raises(ValueError, match="'n_init' parameter of KMeansSampling"):
        KMeansSampling(n_init=0).select(ctx, 2)
    narrow = QueryContext(X[:, :2], X_labeled=X[:3], y_labeled=y[:3])
    with pytest.raises(ValueError, match="same representation"):
        CoreSet().select(narrow, 2)


def test_k_center_on_a_sparse_pool_is_the_dense_greedy():
    X, _ = make_blobs(300, n_features=4, random_state=0)
    S, rows = sp.csr_matrix(np.where(X > 0, X, 0)), np.arange(40, 300)
    for L in (None, S[:40]):
        dense_L = None if L is None else L.toarray()
        got = k_center_greedy(S, 6, X_labeled=L, rows=rows, chunk_rows=64)[0]
        want = k_center_greedy(S.toarray(), 6, X_labeled=dense_L, rows=rows)[0]
        assert got.tolist() == want.tolist()
