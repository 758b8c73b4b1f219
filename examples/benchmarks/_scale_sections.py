"""The scale-out benchmark's measurements, one function a section.

Helper of ``bench_scale.py`` (not a benchmark itself): throughput of a query
on the pool in memory, memory-mapped and on the cluster (:func:`throughput`),
peak RSS against the block size (:func:`rss_by_block`), the same picks as in
memory (:func:`same_picks`), CoreSet (:func:`coreset`) and ``compare`` serial
against the cluster (:func:`compare_runs`). Each returns the rows of its table.
"""

import os
import time

import numpy as np
from _scale_measure import (
    N_FEATURES,
    _learner,
    _peer_query,
    _Rows,
    _timed_on,
    _traced,
)
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner, compare
from skal.strategies import k_center_greedy, select_top_k, select_top_k_blocks
from skal.strategies._kernels import augment, greedy_k_center, min_sq_distances
from skal.utils import from_npy, score_blocks


def throughput(args, npy, zarr_path, X_lab, y_lab, clients):
    import dask.array as da

    rows = _Rows()
    pool = np.load(npy, mmap_mode="r")
    n = pool.shape[0]
    n_mem = min(args.memory_rows, n)
    in_memory = np.array(pool[:n_mem])
    kinds = {
        "npy": lambda: from_npy(npy, args.block_rows),
        "zarr": lambda: da.from_zarr(zarr_path),
    }
    for strategy in args.strategies:
        learner = _learner(strategy, X_lab, y_lab)
        _, sec, mib = _traced(lambda: learner.query(in_memory, 100))
        rows.append([strategy, "numpy in memory", 0, n_mem, sec, n_mem / sec, [mib]])
        peer = _peer_query(strategy, in_memory[: args.peer_query_rows], X_lab, y_lab)
        if peer is not None:
            m = min(args.peer_query_rows, n_mem)
            _, sec, mib = _traced(peer)
            rows.append([strategy, "scikit-activeml, numpy", 0, m, sec, m / sec, [mib]])
        _, sec, mib = _traced(lambda: learner.query(pool, 100))
        rows.append([strategy, "npy memmap, in process", 0, n, sec, n / sec, [mib]])
        for n_workers, client in clients.items():
            for kind, open_pool in ((k, kinds[k]) for k in args.kinds):
                with client.as_current():
                    _, sec, peaks = _timed_on(
                        client, lambda: learner.query(open_pool(), 100)
                    )
                rows.append(
                    [strategy, f"{kind} dask", n_workers, n, sec, n / sec, peaks]
                )
    return rows


def rss_by_block(args, npy, X_lab, y_lab, client):
    learner = _learner("entropy", X_lab, y_lab)
    rows = []
    m = min(args.sweep_rows, args.rows)
    for block in args.block_sizes:
        with client.as_current():
            _, sec, peaks = _timed_on(
                client, lambda: learner.query(from_npy(npy, block)[:m], 100)
            )
        block_mib = block * N_FEATURES * 4 / 2**20
        rows.append([block, round(block_mib, 1), sec, peaks])
    return rows


def same_picks(args, npy, X_lab, y_lab, client):
    pool = np.load(npy, mmap_mode="r")
    m = min(args.check_rows, pool.shape[0])
    sub = np.array(pool[:m])
    out = {}
    with client.as_current():
        for strategy in ["entropy", "margin"]:
            learner = _learner(strategy, X_lab, y_lab)
            expected = learner.query(sub, 100)
            lazy = from_npy(npy, args.block_rows)[:m]
            out[f"{strategy} query"] = bool(
                np.array_equal(
                    _learner(strategy, X_lab, y_lab).query(lazy, 100), expected
                )
            )
        proba = _learner("entropy", X_lab, y_lab).predict_proba
        scores = score_blocks(lambda Z: np.round(proba(Z).max(axis=1), 2), lazy)
        idx, _ = select_top_k_blocks(scores, 500, 0)  # rounded: many ties
        out["block top-k, ties"] = bool(
            np.array_equal(idx, select_top_k(scores.compute(), 500, 0))
        )
    return out


def coreset(args, npy, client):
    pool = np.load(npy, mmap_mode="r")
    n = min(args.coreset_rows, pool.shape[0])
    X = np.array(pool[:n])
    labeled = X[:: max(1, n // 100)][:100].copy()
    rows = []
    with client.as_current():
        # read by the workers from the file, then held in their memory
        lazy = from_npy(npy, args.block_rows)[:n].persist()
        picks, sec, peaks = _timed_on(
            client, lambda: k_center_greedy(lazy, 100, X_labeled=labeled)[0]
        )
    rows.append(
        [f"k_center_greedy, dask ({len(peaks)} workers)", n, sec, f"RSS {peaks}"]
    )
    ref, sec, mib = _traced(lambda: k_center_greedy(X, 100, X_labeled=labeled)[0])
    rows.append(["k_center_greedy, numpy", n, sec, f"+{mib} MiB"])

    def previous():
        Za, z_sq = augment(X[np.arange(n)])  # the candidate copy, then float32
        La, l_sq = augment(labeled, X.mean(axis=0))
        return greedy_k_center(Za, z_sq, 100, min_sq_distances(Za, z_sq, La, l_sq))

    _, sec, mib = _traced(previous)
    rows.append(["before: copy + augment + greedy", n, sec, f"+{mib} MiB"])
    agree = bool(np.array_equal(np.sort(picks), np.sort(ref)))
    try:
        from skactiveml.pool import CoreSet as SkCoreSet

        m = min(args.peer_rows, n)
        y = np.full(m + 100, np.nan)
        y[m:] = 0
        Xp = np.vstack([X[:m], labeled])
        _, sec, mib = _traced(
            lambda: SkCoreSet(random_state=0).query(Xp, y, batch_size=100)
        )
        rows.append(["scikit-activeml CoreSet", m, sec, f"+{mib} MiB"])
    except ImportError:
        rows.append(["scikit-activeml CoreSet", 0, float("nan"), "not installed"])
    return rows, agree, round(X.nbytes / 2**20)


def _cpu_seconds():
    return time.process_time()


def _warm():
    import skal.loop  # noqa: F401
    import skal.strategies  # noqa: F401


def compare_runs(args, client):
    """Serial against the cluster: wall seconds, and CPU seconds spent."""
    X, y = load_digits(return_X_y=True)
    learners = {
        s: ActiveLearner(LogisticRegression(max_iter=300), query_strategy=s)
        for s in ["random", "entropy", "margin", "coreset"]
    }
    kwargs = {"budget": args.budget, "batch_size": 10, "n_initial": 20}
    kwargs.update(n_repeats=args.repeats, random_state=0, progress=False)
    start, cpu = time.perf_counter(), time.process_time()
    serial = compare(learners, X, y, **kwargs)
    t_serial = time.perf_counter() - start
    cpu_serial = time.process_time() - cpu
    import joblib
    from distributed import get_task_stream

    # A long-lived cluster has imported skal and scikit-learn already: warm
    # the workers first, so that their one-time imports are not counted.
    client.run(_warm)
    workers = client.run(_cpu_seconds)
    with client.as_current(), joblib.parallel_config(backend="dask"):
        with get_task_stream(client) as stream:
            start, cpu = time.perf_counter(), time.process_time()
            spread = compare(learners, X, y, n_jobs=-1, **kwargs)
            t_cluster = time.perf_counter() - start
            cpu_client = time.process_time() - cpu  # with the scheduler's thread
    after = client.run(_cpu_seconds)
    same = all(
        [r["score"] for r in serial[k].repeats]
        == [r["score"] for r in spread[k].repeats]
        for k in learners
    )
    # Where the time went: CPU seconds of the serial run against the
    # cluster's (the workers', and the client's with the scheduler), and the
    # seconds the workers spent moving inputs (transfer) and unpickling them.
    spent = {"transfer": 0.0, "deserialize": 0.0}
    for task in stream.data:
        for part in task["startstops"]:
            if part["action"] in spent:
                spent[part["action"]] += part["stop"] - part["start"]
    spent = {k: round(v, 2) for k, v in spent.items()}
    spent["cpu_serial"] = round(cpu_serial, 1)
    spent["cpu_workers"] = round(sum(after[w] - workers[w] for w in after), 1)
    spent["cpu_client_and_scheduler"] = round(cpu_client, 1)
    spent["load_average"] = round(os.getloadavg()[0], 1)
    return t_serial, t_cluster, same, len(stream.data), spent
