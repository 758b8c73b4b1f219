"""Dask and memmap pools on the local (threaded) scheduler: no cluster needed.

The same paths on a real multi-process cluster are in ``test_dask_cluster.py``.
"""

import tracemalloc

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import select_top_k, select_top_k_blocks
from skal.utils import is_dask_array, num_rows, row_blocks, score_in_chunks, take_rows

da = pytest.importorskip("dask.array", reason="the dask extra is not installed")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    y_part = np.full(y.shape[0], -1)
    y_part[:60] = y[:60]
    return X, y_part


def _learner(strategy, X, y):
    model = LogisticRegression(max_iter=300)
    return ActiveLearner(model, query_strategy=strategy, random_state=0).fit(X, y)


def test_score_in_chunks_on_a_dask_array_equals_numpy():
    X = np.random.RandomState(0).rand(1000, 6)
    pool = da.from_array(X, chunks=(170, 4))  # column blocks are merged
    np.testing.assert_allclose(score_in_chunks(lambda Z: Z.sum(axis=1), pool), X.sum(1))
    rows = np.array([999, 3, 500, 3])
    got = score_in_chunks(lambda Z: Z[:, :2], pool, rows=rows, chunk_rows=2)
    np.testing.assert_array_equal(got, X[rows, :2])


def test_dask_pool_nan_is_reported_from_the_block():
    X = np.ones((100, 2))
    X[77, 1] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN or infinity"):
        score_in_chunks(lambda Z: Z[:, 0], da.from_array(X, chunks=30))
    ok = score_in_chunks(lambda Z: Z[:, 0], da.from_array(X, chunks=30), allow_nan=True)
    assert ok.shape == (100,)


def test_unknown_chunk_sizes_ask_for_compute_chunk_sizes():
    x = da.from_array(np.arange(10.0), chunks=5)
    pool = x[x > 2][:, None]
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        row_blocks(pool)


def test_rows_helpers_keep_dask_lazy():
    pool = da.from_array(np.arange(12.0).reshape(6, 2), chunks=2)
    assert is_dask_array(pool) and not is_dask_array(np.ones(2))
    assert num_rows(pool) == 6
    picked = take_rows(pool, [4, 1])
    assert is_dask_array(picked)
    assert picked.compute().tolist() == [[8.0, 9.0], [2.0, 3.0]]


@pytest.mark.parametrize("seed", range(6))
def test_block_top_k_is_select_top_k_with_many_ties(seed):
    rng = np.random.RandomState(seed)
    n = 2000
    scores = rng.randint(0, 4, n).astype(float)  # ~500 ties per value
    scores[rng.choice(n, 5, replace=False)] = 9.0
    for k, chunks in [(1, 7), (37, 300), (600, 111), (1999, 1000), (2000, 64)]:
        expected = select_top_k(scores, k, seed)
        idx, top = select_top_k_blocks(da.from_array(scores, chunks=chunks), k, seed)
        np.testing.assert_array_equal(idx, expected)
        np.testing.assert_array_equal(top, scores[expected])


def test_block_top_k_continuous_and_errors():
    scores = np.random.RandomState(1).rand(5000)
    idx, _ = select_top_k_blocks(da.from_array(scores, chunks=512), 20, 3)
    np.testing.assert_array_equal(idx, np.argsort(-scores)[:20])
    assert select_top_k_blocks(da.from_array(scores, chunks=512), 0)[0].shape == (0,)
    bad = scores.copy()
    bad[4000] = np.nan
    with pytest.raises(ValueError, match="scores contain NaN"):
        select_top_k_blocks(da.from_array(bad, chunks=512), 5)
    with pytest.raises(ValueError, match="scores must be 1-D"):
        select_top_k_blocks(da.ones((4, 2)), 1)


@pytest.mark.parametrize("strategy", ["entropy", "margin", "random"])
def test_learner_query_on_a_dask_pool_equals_numpy(digits, strategy):
    X, y = digits
    pool = X[60:]
    expected = _learner(strategy, X, y).query(pool, 15)
    got = _learner(strategy, X, y).query(da.from_array(pool, chunks=(400, 64)), 15)
    np.testing.assert_array_equal(got, expected)


def test_learner_query_on_a_memmap_pool_equals_numpy(digits, tmp_path):
    X, y = digits
    path = tmp_path / "pool.npy"
    np.save(path, X[60:])
    pool = np.load(path, mmap_mode="r")
    expected = _learner("entropy", X, y).query(X[60:], 15)
    np.testing.assert_array_equal(_learner("entropy", X, y).query(pool, 15), expected)


def test_memmap_is_scored_chunk_by_chunk(tmp_path):
    n, d = 200_000, 16
    path = tmp_path / "big.npy"
    pool = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, d))
    pool[:] = 1.0
    pool.flush()
    pool = np.load(path, mmap_mode="r")
    tracemalloc.start()
    scores = score_in_chunks(lambda Z: Z.sum(axis=1), pool, chunk_rows=4096)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert scores.shape == (n,) and float(scores[123]) == 16.0
    # The scores (n float32) and a chunk, not the 12.8 MB pool.
    assert peak < pool.nbytes / 3


def test_from_npy_reads_blocks_of_the_file(tmp_path):
    from skal.utils import from_npy

    X = np.arange(70.0, dtype=np.float32).reshape(35, 2)
    np.save(tmp_path / "pool.npy", X)
    pool = from_npy(tmp_path / "pool.npy", block_rows=8)
    assert pool.chunks[0] == (8, 8, 8, 8, 3) and pool.dtype == np.float32
    np.testing.assert_array_equal(pool.compute(), X)
    # the graph holds the path, not the data
    assert all(
        not isinstance(v, np.ndarray) for v in dict(pool.__dask_graph__()).values()
    )


def test_badge_on_a_dask_pool_draws_the_exact_kmeans_plusplus_sequence():
    import dask

    from skal.strategies import BADGE, gradient_embedding_factors
    from skal.strategies._seeding import kmeans_plusplus_factored

    X, y = load_digits(return_X_y=True)
    y_pool = y.copy()
    y_pool[50:] = -1
    learner = ActiveLearner(
        LogisticRegression(max_iter=300), query_strategy=BADGE(), batch_size=5
    ).fit(X, y_pool)
    pool = X[50:]
    learner._rng = np.random.RandomState(1)
    with dask.config.set(scheduler="threads"):
        got = learner.query(da.from_array(pool, chunks=(400, 64)))
    # the same draws as the in-memory seeding with up-to-date D^2 every pick
    U = gradient_embedding_factors(learner.predict_proba(pool)).astype(np.float32)
    want, _ = kmeans_plusplus_factored(
        U, pool.astype(np.float32), 5, np.random.RandomState(1), max_pending=1
    )
    assert got.tolist() == want.tolist()


def test_kmeans_sampling_on_a_small_dask_pool_is_the_in_memory_pick():
    import dask

    from skal.strategies import KMeansSampling

    X, y = load_digits(return_X_y=True)
    y_pool = y.copy()
    y_pool[50:] = -1
    learner = ActiveLearner(
        LogisticRegression(max_iter=300), query_strategy=KMeansSampling(), batch_size=4
    ).fit(X, y_pool)
    pool = X[50:]
    learner._rng = np.random.RandomState(3)
    with dask.config.set(scheduler="threads"):
        got = learner.query(da.from_array(pool, chunks=(400, 64)))
    learner._rng = np.random.RandomState(3)
    want = learner.query(pool)  # the whole pool is the sample: the same k-means
    assert sorted(got.tolist()) == sorted(want.tolist())


def test_top_k_of_blocks_equals_select_top_k_with_ties():
    from skal.strategies._row_scores import top_k_of_blocks

    rng = np.random.RandomState(0)
    for trial in range(120):
        n = rng.randint(1, 300)
        if trial % 3 == 0:  # a few distinct values: ties across blocks
            s = rng.randint(0, rng.randint(1, 6), n).astype(float)
        else:
            s = np.round(rng.rand(n), 1 + trial % 2 * 5)
        k, seed = rng.randint(1, n + 3), rng.randint(1000)
        pool = da.from_array(s[:, None], chunks=(rng.randint(1, 60), 1))
        idx, top = top_k_of_blocks(lambda rows: rows[:, 0], pool, k, seed)
        np.testing.assert_array_equal(idx, select_top_k(s, k, seed))
        np.testing.assert_array_equal(top, s[idx])
    with pytest.raises(ValueError, match="scores contain NaN"):
        top_k_of_blocks(lambda rows: rows[:, 0], da.from_array([[0.0], [np.nan]]), 1, 0)


def test_a_user_row_score_strategy_is_reduced_block_by_block(digits, monkeypatch):
    # the contributor guide's example: a user subclass of RowScoreStrategy
    # scores each block where it is and picks what margin picks in memory
    from skal.strategies import RowScoreStrategy, UncertaintySampling, _row_scores

    class TopClassGap(RowScoreStrategy):
        requires_model = True
        _parameter_constraints = {}

        def _score(self, context):
            p = np.sort(context.proba(), axis=1)
            return 1.0 - (p[:, -1] - p[:, -2])

    X, y = digits
    pool = X[60:]
    calls = []
    real = _row_scores.top_k_of_blocks
    monkeypatch.setattr(
        _row_scores,
        "top_k_of_blocks",
        lambda *args: calls.append(args[2]) or real(*args),
    )
    expected = _learner(UncertaintySampling("margin"), X, y).query(pool, 12)
    got = _learner(TopClassGap(), X, y).query(da.from_array(pool, chunks=(300, 64)), 12)
    np.testing.assert_array_equal(got, expected)
    assert calls == [12]  # the block-wise path ran, once
    assert _learner(TopClassGap(), X, y).query(pool, 12).tolist() == expected.tolist()
