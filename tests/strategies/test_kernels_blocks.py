"""Diversity kernels on raw NumPy, memmap and dask pools, against the in-memory ones."""

import tracemalloc

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.datasets import make_blobs

from skal.strategies import k_center_greedy
from skal.strategies._kernels import augment, greedy_k_center, min_sq_distances
from skal.strategies._seeding import kmeans_closest, kmeans_plusplus_factored

da = pytest.importorskip("dask.array", reason="the dask extra is not installed")
blocks = pytest.importorskip("skal.strategies._seeding_blocks")


def _reference(X, k, L, centre):
    Za, z_sq = augment(X, centre)
    if L is None:
        return greedy_k_center(Za, z_sq, k)
    La, l_sq = augment(L, centre)
    return greedy_k_center(Za, z_sq, k, min_sq_distances(Za, z_sq, La, l_sq))


def _brute(X, L, k):
    d = cdist(X, L, "sqeuclidean").min(axis=1)
    picks = []
    for _ in range(k):
        picks.append(int(np.argmax(d)))
        d = np.minimum(d, ((X - X[picks[-1]]) ** 2).sum(axis=1))
    return picks


@pytest.mark.parametrize("n_labeled", [0, 40])
def test_k_center_on_numpy_dask_and_rows_equals_greedy_k_center(n_labeled):
    rng = np.random.RandomState(n_labeled)
    X = rng.rand(6000, 6).astype(np.float32)
    L = rng.rand(n_labeled, 6).astype(np.float32) if n_labeled else None
    centre = X.mean(axis=0)
    expected, dists = _reference(X, 25, L, centre)
    got, got_dists = k_center_greedy(X, 25, X_labeled=L, centre=centre, chunk_rows=700)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_allclose(got_dists, dists, rtol=1e-6)
    # a short candidate list forces refreshes of the distributed vector
    pool = da.from_array(X, chunks=(1100, 3))
    lazy, _ = k_center_greedy(pool, 25, X_labeled=L, centre=centre, n_candidates=40)
    np.testing.assert_array_equal(lazy, expected)
    rows = np.sort(rng.choice(6000, 2500, replace=False))
    sub, _ = _reference(X[rows], 25, L, centre)
    got_rows, _ = k_center_greedy(X, 25, X_labeled=L, rows=rows, centre=centre)
    np.testing.assert_array_equal(got_rows, sub)


def test_k_center_picks_are_the_float64_greedy():
    X, _ = make_blobs(800, n_features=3, centers=5, random_state=2)
    L = X[:10]
    picks, _ = k_center_greedy(X, 12, X_labeled=L)
    assert picks.tolist() == _brute(X, L, 12)
    assert k_center_greedy(X, 0)[0].shape == (0,)
    assert k_center_greedy(X[:3], 10)[0].shape == (3,)  # clipped to the pool


def test_k_center_on_a_memmap_uses_no_pool_sized_copy(tmp_path):
    path = tmp_path / "pool.npy"
    pool = np.lib.format.open_memmap(path, "w+", np.float32, (400_000, 16))
    pool[:] = np.random.RandomState(0).rand(400_000, 16)
    pool.flush()
    pool = np.load(path, mmap_mode="r")
    labeled = np.asarray(pool[:5])
    centre = pool.mean(axis=0, dtype=np.float64)
    tracemalloc.start()
    picks, _ = k_center_greedy(pool, 10, X_labeled=labeled, centre=centre)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # d2 and its partition: 3 vectors of n, not the 25.6 MB pool (nor 27 MB augmented)
    assert peak < 0.5 * pool.nbytes
    expected, _ = _reference(np.asarray(pool), 10, labeled, centre)
    assert picks.tolist() == expected.tolist()


def test_factored_seeding_on_blocks_equals_the_in_memory_draws():
    rng = np.random.RandomState(3)
    U, H = rng.rand(1500, 4) - 0.5, rng.rand(1500, 9)
    for seed in range(3):
        expected, d2 = kmeans_plusplus_factored(
            U, H, 15, np.random.RandomState(seed), max_pending=1
        )
        got, got_d2 = blocks.kmeans_plusplus_factored_blocks(
            da.from_array(U, chunks=(400, 4)),
            da.from_array(H, chunks=(256, 9)),  # realigned to U's blocks
            15,
            np.random.RandomState(seed),
        )
        np.testing.assert_array_equal(got, expected)
        np.testing.assert_allclose(got_d2, d2, rtol=1e-9)


def test_factored_seeding_on_duplicates_falls_back_to_uniform():
    U = da.ones((6, 2), chunks=4)
    H = da.ones((6, 3), chunks=4)
    picks, d2 = blocks.kmeans_plusplus_factored_blocks(
        U, H, 4, np.random.RandomState(0)
    )
    assert len(set(picks.tolist())) == 4 and d2[1:].tolist() == [0.0, 0.0, 0.0]


def test_kmeans_closest_blocks_full_sample_is_kmeans_closest():
    X, _ = make_blobs(2400, n_features=4, centers=6, random_state=1)
    expected, mass = kmeans_closest(X, 6, np.random.RandomState(5))
    got, got_mass = blocks.kmeans_closest_blocks(
        da.from_array(X, chunks=(500, 4)), 6, np.random.RandomState(5)
    )
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(got_mass, mass)


def test_kmeans_closest_blocks_subsample_bound():
    # Centres from 10% of the pool: on separated blobs every cluster is found,
    # its full-pool size is exact, and each pick lies in a different blob.
    X, blob = make_blobs(6000, n_features=4, centers=5, cluster_std=0.5, random_state=4)
    picks, mass = blocks.kmeans_closest_blocks(
        da.from_array(X, chunks=(1000, 4)), 5, np.random.RandomState(0), sample_size=600
    )
    assert sorted(blob[picks].tolist()) == [0, 1, 2, 3, 4]
    assert mass.tolist() == np.bincount(blob)[blob[picks]].astype(float).tolist()
    # each pick is near its blob's centre: within one std (0.5 * sqrt(4)) of the mean
    means = np.array([X[blob == b].mean(axis=0) for b in blob[picks]])
    assert np.linalg.norm(X[picks] - means, axis=1).max() < 1.0


def test_k_center_with_many_labeled_rows_uses_bounds_and_stays_exact():
    # 400 labeled rows: distances to every 8th bound the rest; the greedy on the
    # rows of largest bound is proven global, or the candidate set grows.
    rng = np.random.RandomState(7)
    X = rng.rand(40_000, 4).astype(np.float32)
    L = rng.rand(400, 4).astype(np.float32)
    centre = X.mean(axis=0)
    expected, dists = _reference(X, 30, L, centre)
    got, got_dists = k_center_greedy(X, 30, X_labeled=L, centre=centre)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_allclose(got_dists, dists, rtol=1e-6)
    lazy, _ = k_center_greedy(
        da.from_array(X, chunks=(9000, 4)), 30, X_labeled=L, centre=centre
    )
    np.testing.assert_array_equal(lazy, expected)
