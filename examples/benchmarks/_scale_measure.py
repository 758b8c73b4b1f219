"""The scale-out benchmark's pool, learners and measuring tools.

Helper of ``bench_scale.py`` (not a benchmark itself): the Gaussian-mixture
pool written to ``.npy`` and zarr (:func:`make_pool`), the learner and the
scikit-activeml query of one strategy, the timers (wall seconds with the
traced peak, or with each dask worker's peak RSS sampled on the worker) and
the ``LocalCluster`` of one-thread worker processes.
"""

import os
import shutil
import threading
import time
import tracemalloc

import numpy as np
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.utils import from_npy

N_FEATURES, N_CLASSES = 64, 10


def _mixture(rng, n, centres):
    labels = rng.randint(0, N_CLASSES, n)
    X = centres[labels] + rng.standard_normal((n, N_FEATURES)).astype(np.float32)
    return X.astype(np.float32), labels


def make_pool(folder, n, seed=0, chunk=1_000_000, zarr=True):
    """Write the pool as ``pool.npy`` and ``pool.zarr``; return paths and a model."""

    rng = np.random.RandomState(seed)
    centres = (rng.standard_normal((N_CLASSES, N_FEATURES)) * 0.6).astype(np.float32)
    npy = os.path.join(folder, "pool.npy")
    zarr_path = os.path.join(folder, "pool.zarr")
    done = os.path.join(folder, f"complete-{n}-{seed}")
    if not os.path.exists(done):  # files of an earlier run with these sizes are kept
        out = np.lib.format.open_memmap(npy, "w+", np.float32, (n, N_FEATURES))
        for start in range(0, n, chunk):
            out[start : start + chunk] = _mixture(rng, min(chunk, n - start), centres)[
                0
            ]
        out.flush()
        del out
        open(done, "w").close()
    if zarr and not os.path.exists(done + "-zarr"):
        shutil.rmtree(zarr_path, ignore_errors=True)
        from_npy(npy, 262_144).to_zarr(zarr_path)
        open(done + "-zarr", "w").close()
    rng = np.random.RandomState(seed + 1)
    X_lab, y_lab = _mixture(rng, 2000, centres)
    return npy, zarr_path, X_lab, y_lab


def _peer_query(strategy, X, X_lab, y_lab):
    """scikit-activeml's query of the same pool with the same model, or None."""
    try:
        from skactiveml.classifier import SklearnClassifier
        from skactiveml.pool import UncertaintySampling
    except ImportError:
        return None
    method = {"entropy": "entropy", "margin": "margin_sampling"}.get(strategy)
    if method is None or X.shape[0] == 0:
        return None
    clf = SklearnClassifier(
        LogisticRegression(max_iter=500), classes=np.arange(N_CLASSES)
    ).fit(X_lab, y_lab)
    y = np.full(X.shape[0], np.nan)
    qs = UncertaintySampling(method=method, random_state=0)
    return lambda: qs.query(X, y, clf=clf, fit_clf=False, batch_size=100)


def _learner(strategy, X_lab, y_lab):
    model = LogisticRegression(max_iter=500)
    return ActiveLearner(model, query_strategy=strategy, random_state=0).fit(
        X_lab, y_lab
    )


def _start_sampler(dask_worker):
    import psutil

    proc = psutil.Process()
    dask_worker.skal_peak = proc.memory_info().rss
    dask_worker.skal_stop = threading.Event()

    def sample():
        while not dask_worker.skal_stop.wait(0.02):
            dask_worker.skal_peak = max(dask_worker.skal_peak, proc.memory_info().rss)

    threading.Thread(target=sample, daemon=True).start()


def _stop_sampler(dask_worker):
    dask_worker.skal_stop.set()
    return dask_worker.skal_peak


def _timed_on(client, func):
    """Run ``func``; return its result, seconds and each worker's peak RSS (MiB)."""
    client.run(_start_sampler)
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    peaks = client.run(_stop_sampler)
    return result, seconds, sorted(round(p / 2**20) for p in peaks.values())


def _traced(func):
    tracemalloc.start()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, round(peak / 2**20)


def _cluster(n_workers):
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=n_workers,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        memory_limit="6GiB",
    )
    return cluster, Client(cluster)


class _Rows(list):
    """A list of table rows that prints each one as it comes (long runs)."""

    def append(self, row):
        super().append(row)
        print("  measured:", row, flush=True)
