"""The pool-strategies benchmark's pool and tools, and the rows that need no model.

Helper of ``bench_pool_strategies.py`` (not a benchmark itself): the pool of
blobs with its labeled set (:func:`make_pool`), the query context skal's
strategies read (:func:`context`), the timer (:func:`seconds`), one row of
the table (:func:`row`) and the kernel limit
(:func:`labeled_kernel_seconds`); then the strategies that fit no task
model: QUIRE, ProbCover, MaxHerding, epistemic uncertainty sampling (its own
Parzen window classifier), discriminative AL (its own discriminator) and
cost-embedding AL (its own regressors into the embedded cost matrix),
each timed in skal and in scikit-activeml on the same pool and labeled set.
"""

import time

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from skal.strategies import (
    QUIRE,
    CostEmbeddingAL,
    DiscriminativeAL,
    EpistemicUncertaintySampling,
    MaxHerding,
    ProbCover,
    QueryContext,
)


def seconds(func):
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def make_pool(n, n_classes, n_labeled, seed=0):
    X, y = make_blobs(n, centers=n_classes, n_features=16, random_state=seed)
    X = normalize(X)
    labeled = np.random.RandomState(seed).choice(n, n_labeled, replace=False)
    labeled[:n_classes] = [np.flatnonzero(y == k)[0] for k in range(n_classes)]
    labeled = np.unique(labeled)
    cand = np.setdiff1d(np.arange(n), labeled)
    y_nan = np.full(n, np.nan)
    y_nan[labeled] = y[labeled]
    return X, y, labeled, cand, y_nan


def context(X, y, labeled, cand, classes):
    return QueryContext(
        X,
        cand,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=classes,
        random_state=0,
    )


def row(name, n, batch, skal_s, peer_s, agree, limit_s=None):
    return {
        "strategy": name,
        "n": n,
        "batch": batch,
        "skal_s": skal_s,
        "skactiveml_s": peer_s,
        "ratio": peer_s / skal_s,
        "agree": agree,
        "limit_s": limit_s,
    }


def labeled_kernel_seconds(X, labeled, cand, **params):
    """The limit of a kernel strategy: the candidates-by-labeled kernel."""
    from sklearn.metrics.pairwise import rbf_kernel

    return seconds(lambda: rbf_kernel(X[cand], X[labeled], **params))[0]


def bench_quire(n, batch):
    from skactiveml.pool import Quire as Peer

    # scikit-activeml's QUIRE is O(n^3) time and O(n^2) memory: a smaller pool
    n = min(n, 500)
    X, y, labeled, cand, y_nan = make_pool(n, 10, 30)
    ctx = context(X, y, labeled, cand, np.arange(10))
    skal_s, ours = seconds(lambda: QUIRE().score(ctx))
    peer = Peer(classes=np.arange(10), random_state=0)
    peer_s, (_, util) = seconds(
        lambda: peer.query(X, y_nan, batch_size=batch, return_utilities=True)
    )
    agree = bool(np.allclose(ours, util[0][cand], rtol=1e-8))
    limit = labeled_kernel_seconds(X, labeled, cand)
    return row("QUIRE", n, batch, skal_s, peer_s, agree, limit)


def bench_probcover(n, batch):
    from skactiveml.pool import ProbCover as Peer

    X, y, labeled, cand, y_nan = make_pool(n, 10, 20)
    ctx = context(X, y, labeled, cand, np.arange(10))
    ours = ProbCover(n_clusters=10)
    skal_s, (idx, gains) = seconds(lambda: ours.select(ctx, batch))
    peer = Peer(n_classes=10, random_state=0)
    peer_s, (q, util) = seconds(
        lambda: peer.query(X, y_nan, batch_size=batch, return_utilities=True)
    )
    # k-means seeds differ, so compare the radius and the first gain
    agree = bool(ours.delta_ == peer.delta_max_ and gains[0] == np.nanmax(util[0]))
    return row("ProbCover", n, batch, skal_s, peer_s, agree)


def bench_maxherding(n, batch):
    from skactiveml.pool import MaxHerding as Peer

    X, y, labeled, cand, y_nan = make_pool(n, 10, 20)
    skal_s, (idx, _) = seconds(
        lambda: MaxHerding().select(context(X, y, labeled, cand, None), batch)
    )
    peer_s, q = seconds(lambda: Peer(random_state=0).query(X, y_nan, batch_size=batch))
    return row("MaxHerding", n, batch, skal_s, peer_s, bool(np.all(cand[idx] == q)))


def bench_epistemic(n, batch):
    from skactiveml.classifier import ParzenWindowClassifier
    from skactiveml.pool import EpistemicUncertaintySampling as Peer

    X, y, labeled, cand, y_nan = make_pool(n, 2, 100)
    ctx = context(X, y, labeled, cand, np.arange(2))
    strategy = EpistemicUncertaintySampling()
    skal_s, ours = seconds(lambda: strategy.score(ctx))
    pwc = ParzenWindowClassifier(classes=[0, 1])
    peer_s, (_, util) = seconds(
        lambda: Peer().query(X, y_nan, pwc, batch_size=batch, return_utilities=True)
    )
    agree = bool(np.allclose(ours, util[0][cand], atol=1e-4))
    return row("EpistemicUncertaintySampling", n, batch, skal_s, peer_s, agree)


def bench_discriminative(n, batch):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import DiscriminativeAL as Peer

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    ctx = context(X, y, labeled, cand, np.arange(10))
    skal_s, (idx, _) = seconds(lambda: DiscriminativeAL().select(ctx, batch))
    disc = SklearnClassifier(LogisticRegression(max_iter=1000))
    peer_s, q = seconds(
        lambda: Peer(random_state=0).query(X, y_nan, disc, batch_size=batch)
    )
    return row(
        "DiscriminativeAL", n, batch, skal_s, peer_s, bool(np.all(cand[idx] == q))
    )


def bench_alce(n, batch):
    from skactiveml.pool import CostEmbeddingAL as Peer
    from sklearn.base import clone
    from sklearn.svm import SVR

    from skal.strategies import embed_cost_matrix

    X, y, labeled, cand, y_nan = make_pool(n, 4, 200)
    C = 1 + np.random.RandomState(0).rand(4, 4)
    np.fill_diagonal(C, 0)
    fixed = {"random_state": 0}  # the same MDS starts on both sides
    ctx = context(X, y, labeled, cand, np.arange(4))
    strategy = CostEmbeddingAL(C, mds_params=fixed)
    skal_s, ours = seconds(lambda: strategy.score(ctx))
    peer = Peer(classes=np.arange(4), cost_matrix=C, mds_params=fixed)
    peer_s, (_, util) = seconds(
        lambda: peer.query(X, y_nan, batch_size=batch, return_utilities=True)
    )
    agree = bool(np.allclose(ours, util[0][cand], atol=1e-10))
    # the limit: the embedding and one SVR per hidden dimension, fit and predict
    Z = embed_cost_matrix(C, random_state=0)[:4]

    def regressors():
        for d in range(Z.shape[1]):
            clone(SVR()).fit(X[labeled], Z[y[labeled], d]).predict(X[cand])

    limit = seconds(lambda: (embed_cost_matrix(C, random_state=0), regressors()))[0]
    return row("CostEmbeddingAL (ALCE)", n, batch, skal_s, peer_s, agree, limit)
