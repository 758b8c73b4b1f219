"""skal on a real multi-process dask cluster (``-m cluster``; see .ci/run).

One ``LocalCluster`` (2 worker processes, 1 thread each, on 127.0.0.1) serves the
module. The results are compared, value for value, with the in-memory and serial
runs.
"""

import re
import sys

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_digits, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier

from skal import ActiveLearner, Committee, compare
from skal.strategies import (
    QueryByCommittee,
    UncertaintySampling,
    k_center_greedy,
    select_top_k,
    select_top_k_blocks,
)
from skal.strategies._kernels import augment, greedy_k_center, min_sq_distances
from skal.strategies._seeding import kmeans_plusplus_factored
from skal.utils import score_in_chunks

da = pytest.importorskip("dask.array", reason="the dask extra is not installed")
distributed = pytest.importorskip("distributed", reason="dask.distributed missing")
joblib = pytest.importorskip("joblib")

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def client():
    import cloudpickle

    # The helpers below live in this test module, which workers cannot import.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    cluster = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
    )
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()
    cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


class CountingScore:
    """Row sums; counts how often this process pickles it."""

    pickled = 0

    def __call__(self, X):
        return X.sum(axis=1)

    def __reduce__(self):
        CountingScore.pickled += 1
        return (CountingScore, ())


def test_score_function_is_shipped_once_not_per_block(client):
    X = np.random.RandomState(0).rand(4000, 5)
    CountingScore.pickled = 0
    scores = score_in_chunks(CountingScore(), da.from_array(X, chunks=(200, 5)))
    np.testing.assert_allclose(scores, X.sum(axis=1))
    # 20 blocks; once in the graph, once to the worker that loads it (the other
    # worker copies it from there): embedded per task it would be >= 20.
    assert 1 <= CountingScore.pickled <= 3


def test_tasks_run_on_the_workers(client):
    X = da.from_array(np.ones((1000, 2)), chunks=100)
    with distributed.get_task_stream(client) as stream:
        score_in_chunks(CountingScore(), X)
    workers = {task["worker"] for task in stream.data}
    assert workers <= set(client.scheduler_info()["workers"]) and workers


@pytest.mark.parametrize("strategy", ["entropy", "margin"])
def test_learner_query_on_the_cluster_equals_in_memory(client, strategy):
    X, y = load_digits(return_X_y=True)
    y_part = np.full(y.shape[0], -1)
    y_part[:80] = y[:80]

    def learner():
        model = LogisticRegression(max_iter=300)
        return ActiveLearner(model, query_strategy=strategy, random_state=1).fit(
            X, y_part
        )

    expected = learner().query(X[80:], 20)
    got = learner().query(da.from_array(X[80:], chunks=(300, 64)), 20)
    np.testing.assert_array_equal(got, expected)


class CountingEntropy:
    """Entropy of the probabilities; counts how often this process pickles it."""

    pickled = 0

    def __call__(self, proba):
        return -(proba * np.log(np.clip(proba, 1e-12, None))).sum(axis=1)

    def __reduce__(self):
        CountingEntropy.pickled += 1
        return (CountingEntropy, ())


def _no_gathered_scores(monkeypatch):
    """Make the client's context fail if it scores a dask pool itself."""
    import skal.strategies._context as context_module

    real = context_module.score_in_chunks

    def refuse(score, X, **kwargs):
        assert not da.Array.__instancecheck__(X), "scores gathered on the client"
        return real(score, X, **kwargs)

    monkeypatch.setattr(context_module, "score_in_chunks", refuse)


@pytest.mark.parametrize(
    "strategy",
    [
        UncertaintySampling("entropy"),
        UncertaintySampling("margin"),
        UncertaintySampling("least_confidence", max_candidates=700),
        QueryByCommittee("vote_entropy"),
    ],
    ids=["entropy", "margin", "least_confidence-subsample", "qbc"],
)
def test_row_scores_are_reduced_on_the_workers(client, monkeypatch, strategy):
    X, y = load_digits(return_X_y=True)
    y_part = np.full(y.shape[0], -1)
    y_part[:80] = y[:80]
    committee = isinstance(strategy, QueryByCommittee)

    def learner():
        if committee:
            members = [
                (f"t{i}", DecisionTreeClassifier(random_state=i)) for i in range(3)
            ]
            return Committee(members, query_strategy=strategy, random_state=1).fit(
                X, y_part
            )
        model = LogisticRegression(max_iter=300)
        return ActiveLearner(model, query_strategy=strategy, random_state=1).fit(
            X, y_part
        )

    expected = learner().query(X[80:], 25, return_scores=True)
    _no_gathered_scores(monkeypatch)
    pool = da.from_array(X[80:], chunks=(250, 64))
    with distributed.get_task_stream(client) as stream:
        got = learner().query(pool, 25, return_scores=True)
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_allclose(got[1], expected[1], rtol=1e-12)
    # the strategy is one key; each block sends its top-k to the client
    keys = [str(t["key"]) for t in stream.data]
    assert sum(k.startswith("skal-score-") for k in keys) == 1
    tops = sum(k.startswith("_block_best-") for k in keys)
    # a subsample is taken from the dask pool lazily: its blocks are fewer
    assert tops == 7 if strategy.max_candidates is None else 1 < tops < 7


def test_row_score_strategy_is_shipped_once_per_query(client):
    X, y = load_iris(return_X_y=True)
    y_part = np.full(y.shape[0], -1)
    y_part[::10] = y[::10]
    learner = ActiveLearner(
        LogisticRegression(max_iter=500),
        query_strategy=UncertaintySampling(CountingEntropy()),
        random_state=0,
    ).fit(X, y_part)
    pool = np.tile(X, (20, 1)) + np.repeat(np.arange(20.0), 150)[:, None] * 1e-3
    expected = learner.query(pool, 10)
    CountingEntropy.pickled = 0
    got = learner.query(da.from_array(pool, chunks=(150, 4)), 10)  # 20 blocks
    np.testing.assert_array_equal(got, expected)
    # the strategy (with its measure) and the model travel in one graph key:
    # pickled once for the graph, at most twice more for the workers; once
    # per block it would be >= 20
    assert 1 <= CountingEntropy.pickled <= 3


def test_block_top_k_on_the_cluster_with_ties(client):
    scores = np.random.RandomState(2).randint(0, 3, 5000).astype(float)
    for seed in range(3):
        idx, _ = select_top_k_blocks(da.from_array(scores, chunks=700), 123, seed)
        np.testing.assert_array_equal(idx, select_top_k(scores, 123, seed))


def test_diversity_kernels_on_the_cluster(client):
    rng = np.random.RandomState(0)
    X = rng.rand(8000, 6).astype(np.float32)
    L = rng.rand(20, 6).astype(np.float32)
    centre = X.mean(axis=0)
    Za, z_sq = augment(X, centre)
    La, l_sq = augment(L, centre)
    expected, _ = greedy_k_center(Za, z_sq, 30, min_sq_distances(Za, z_sq, La, l_sq))
    pool = da.from_array(X, chunks=(1000, 6))
    got, _ = k_center_greedy(pool, 30, X_labeled=L, centre=centre, n_candidates=64)
    np.testing.assert_array_equal(got, expected)

    from skal.strategies._seeding_blocks import kmeans_plusplus_factored_blocks

    U, H = rng.rand(3000, 3) - 0.5, rng.rand(3000, 8)
    ref, _ = kmeans_plusplus_factored(U, H, 10, np.random.RandomState(4), max_pending=1)
    seeds, _ = kmeans_plusplus_factored_blocks(
        da.from_array(U, chunks=(500, 3)),
        da.from_array(H, chunks=(500, 8)),
        10,
        np.random.RandomState(4),
    )
    np.testing.assert_array_equal(seeds, ref)


def _curves(result):
    return {
        name: [(r["n_labeled"], r["score"], r["seed"]) for r in curve.repeats]
        for name, curve in result.items()
    }


def test_compare_on_the_cluster_equals_the_serial_run(client):
    X, y = load_iris(return_X_y=True)
    learners = {
        s: ActiveLearner(GaussianNB(), query_strategy=s)
        for s in ["random", "margin", "entropy", "coreset"]
    }
    kwargs = {"budget": 30, "batch_size": 5, "n_initial": 10, "n_repeats": 3}
    kwargs["random_state"] = 0
    serial = compare(learners, X, y, progress=False, **kwargs)
    with distributed.get_task_stream(client) as stream:
        with joblib.parallel_config(backend="dask"):
            parallel = compare(learners, X, y, progress=False, n_jobs=-1, **kwargs)
    assert _curves(parallel) == _curves(serial)
    # the 4 x 3 runs went to the workers; joblib may batch several in a task
    # (key "batch_of__run_repeat_<n>_calls-...")
    runs = 0
    for task in stream.data:
        if "_run_repeat" in task["key"]:
            batched = re.search(r"batch_of__run_repeat_(\d+)_calls", task["key"])
            runs += int(batched.group(1)) if batched else 1
    assert runs >= 12


def test_grid_search_with_budget_on_the_cluster_equals_serial(client):
    X, y = load_breast_cancer(return_X_y=True)
    learner = ActiveLearner(
        LogisticRegression(max_iter=2000), budget=30, n_initial=10, random_state=0
    )
    grid = {"query_strategy": ["entropy", "margin", "random"], "batch_size": [5, 10]}
    serial = GridSearchCV(learner, grid, cv=3).fit(X, y)
    with joblib.parallel_config(backend="dask"):
        parallel = GridSearchCV(learner, grid, cv=3, n_jobs=-1).fit(X, y)
    np.testing.assert_array_equal(
        parallel.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    assert parallel.best_params_ == serial.best_params_


def test_committee_members_fit_on_the_cluster_equal_serial(client):
    X, y = load_iris(return_X_y=True)
    y_part = np.full(y.shape[0], -1)
    y_part[::5] = y[::5]
    members = [(f"tree{i}", DecisionTreeClassifier(random_state=i)) for i in range(4)]

    def committee(n_jobs):
        return Committee(members, bootstrap=True, random_state=0, n_jobs=n_jobs)

    serial = committee(None).fit(X, y_part)
    with joblib.parallel_config(backend="dask"):
        parallel = committee(-1).fit(X, y_part)
    np.testing.assert_array_equal(parallel.predict_proba(X), serial.predict_proba(X))
    np.testing.assert_array_equal(parallel.query(X, 10), serial.query(X, 10))


@pytest.fixture(scope="module")
def blobs():
    from sklearn.datasets import make_blobs

    X, blob = make_blobs(4000, n_features=6, centers=8, random_state=0, cluster_std=1.5)
    return X.astype(np.float32), blob


def test_typiclust_with_the_whole_pool_as_sample_equals_in_memory(client, blobs):
    from skal.strategies import QueryContext, TypiClust
    from skal.strategies._typiclust_blocks import typiclust_blocks

    X, _ = blobs
    L = X[:10] + 0.01
    pool = da.from_array(X, chunks=(700, 6))
    for k in [5, 30]:  # fewer clusters than blobs, and more
        ctx = QueryContext(X, X_labeled=L, y_labeled=np.zeros(10), random_state=3)
        ref, ref_typ = TypiClust().select(ctx, k)
        got, typ = typiclust_blocks(
            pool,
            k,
            np.random.RandomState(3),
            X_labeled=L,
            sample_size=len(X),
            n_candidates=len(X),
        )
        np.testing.assert_array_equal(got, ref)
        np.testing.assert_allclose(typ, ref_typ, rtol=1e-9)


def test_typiclust_on_the_cluster_within_its_bound(client, blobs):
    from skal.strategies import QueryContext, TypiClust
    from skal.strategies._typiclust_blocks import typiclust_blocks

    X, blob = blobs
    pool = da.from_array(X, chunks=(700, 6))
    # Same clusters, typicality searched among the 32 rows nearest each centre
    # only: each pick is within 1 % of its cluster's most typical row.
    exact, top = typiclust_blocks(pool, 8, np.random.RandomState(3), n_candidates=4000)
    near, typ = typiclust_blocks(pool, 8, np.random.RandomState(3), n_candidates=32)
    assert not np.array_equal(near, exact)
    assert np.all(typ <= top * (1 + 1e-12)) and np.all(typ >= 0.99 * top)
    # Centres from a 10 % sample: every blob is still found, and the picks are
    # as typical as the in-memory ones to within 5 % on average.
    ref, ref_typ = TypiClust().select(QueryContext(X, random_state=3), 8)
    got, got_typ = typiclust_blocks(pool, 8, np.random.RandomState(3), sample_size=400)
    assert sorted(set(blob[got])) == sorted(set(blob[ref])) == list(range(8))
    assert got_typ.mean() >= 0.95 * ref_typ.mean()
    # The strategy on a dask pool takes this path: with its defaults (the whole
    # pool as sample here, 64 central rows) it finds the in-memory picks.
    idx, _ = TypiClust().select(QueryContext(pool, random_state=3), 8)
    np.testing.assert_array_equal(idx, ref)
