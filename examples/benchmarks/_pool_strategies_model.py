"""The pool-strategies benchmark's rows of strategies on a fitted task model.

Helper of ``bench_pool_strategies.py`` (not a benchmark itself): the same
logistic regression in skal's learner and in scikit-activeml's
``SklearnClassifier`` (:func:`fitted_pair`), and the rows of cost-sensitive
least confidence, Falcun, CLUE, contrastive AL, DropQuery, probabilistic AL
(McPAL), value-of-information EER, 4DS and expected average precision.
"""

import numpy as np
from _pool_strategies_pool import (
    context,
    labeled_kernel_seconds,
    make_pool,
    row,
    seconds,
)
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import (
    CLUE,
    ContrastiveAL,
    DropQuery,
    Falcun,
    FourDs,
    ProbabilisticAL,
    QueryContext,
    UncertaintySampling,
    ValueOfInformationEER,
)


def fitted_pair(X, y_nan, n_classes, strategy="entropy", batch=10):
    """The same logistic regression in skal's learner and scikit-activeml's."""
    from skactiveml.classifier import SklearnClassifier

    y_partial = np.where(np.isnan(y_nan), -1, y_nan).astype(int)
    learner = ActiveLearner(
        LogisticRegression(max_iter=300), query_strategy=strategy, batch_size=batch
    ).fit(X, y_partial)
    clf = SklearnClassifier(
        LogisticRegression(max_iter=300), classes=np.arange(n_classes)
    ).fit(X, y_nan)
    return learner, clf


def bench_cost_uncertainty(n, batch):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import UncertaintySampling as Peer

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    C = 1 + np.random.RandomState(0).rand(10, 10)
    np.fill_diagonal(C, 0)
    y_partial = np.where(np.isnan(y_nan), -1, y_nan).astype(int)
    strategy = UncertaintySampling("least_confidence", cost_matrix=C)
    learner = ActiveLearner(
        LogisticRegression(max_iter=300), query_strategy=strategy, batch_size=batch
    ).fit(X, y_partial)
    skal_s, ours = seconds(
        lambda: learner.query_strategy.score(learner.query_context())
    )
    clf = SklearnClassifier(
        LogisticRegression(max_iter=300), classes=np.arange(10)
    ).fit(X, y_nan)
    peer = Peer(method="least_confident", cost_matrix=C)
    peer_s, (_, util) = seconds(
        lambda: peer.query(
            X, y_nan, clf, fit_clf=False, batch_size=batch, return_utilities=True
        )
    )
    agree = bool(np.allclose(ours, util[0][cand], rtol=1e-6))
    return row("UncertaintySampling(cost_matrix)", n, batch, skal_s, peer_s, agree)


def bench_falcun(n, batch):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import Falcun as Peer

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    y_partial = np.where(np.isnan(y_nan), -1, y_nan).astype(int)
    learner = ActiveLearner(
        LogisticRegression(max_iter=300), query_strategy=Falcun(), batch_size=batch
    ).fit(X, y_partial)
    # both include predicting the candidates' probabilities
    skal_s, (idx, chance) = seconds(
        lambda: Falcun().select(learner.query_context(), batch)
    )
    clf = SklearnClassifier(
        LogisticRegression(max_iter=300), classes=np.arange(10)
    ).fit(X, y_nan)
    peer_s, (q, util) = seconds(
        lambda: Peer(random_state=0).query(
            X, y_nan, clf, fit_clf=False, batch_size=batch, return_utilities=True
        )
    )
    # different random streams: compare the first draw's probability
    agree = bool(np.isclose(chance[0], util[0][cand[idx[0]]], rtol=1e-9))
    return row("Falcun", n, batch, skal_s, peer_s, agree)


def bench_clue(n, batch):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import Clue as Peer
    from sklearn.cluster import KMeans

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    y_partial = np.where(np.isnan(y_nan), -1, y_nan).astype(int)
    learner = ActiveLearner(LogisticRegression(max_iter=300)).fit(X, y_partial)
    strategy = CLUE(clusterer=KMeans(n_init=1, random_state=0))
    skal_s, (idx, _) = seconds(lambda: strategy.select(learner.query_context(), batch))
    clf = SklearnClassifier(
        LogisticRegression(max_iter=300), classes=np.arange(10)
    ).fit(X, y_nan)
    peer = Peer(cluster_algo_dict={"random_state": 0, "n_init": 1}, random_state=0)
    peer_s, q = seconds(
        lambda: peer.query(X, y_nan, clf, fit_estimator=False, batch_size=batch)
    )
    return row("CLUE", n, batch, skal_s, peer_s, bool(np.all(cand[idx] == q)))


def bench_contrastive(n, batch):
    from skactiveml.pool import ContrastiveAL as Peer

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    learner, clf = fitted_pair(X, y_nan, 10)
    # both include predicting the candidates' and the labeled probabilities
    skal_s, ours = seconds(lambda: ContrastiveAL().score(learner.query_context()))
    peer_s, (_, util) = seconds(
        lambda: Peer(random_state=0).query(
            X, y_nan, clf, fit_clf=False, batch_size=batch, return_utilities=True
        )
    )
    # the limit: the model's probabilities and the labeled neighbour search
    from sklearn.neighbors import NearestNeighbors

    limit = seconds(
        lambda: (
            learner.estimator_.predict_proba(X),
            NearestNeighbors(n_neighbors=5).fit(X[labeled]).kneighbors(X[cand]),
        )
    )[0]
    agree = bool(np.allclose(ours, util[0][cand], rtol=1e-6))
    return row("ContrastiveAL", n, batch, skal_s, peer_s, agree, limit)


def bench_dropquery(n, batch):
    from skactiveml.pool import DropQuery as Peer
    from skactiveml.utils import check_random_state
    from sklearn.cluster import KMeans

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    learner, clf = fitted_pair(X, y_nan, 10)
    ctx = learner.query_context()
    # scikit-activeml seeds a query from its seed and the unlabeled count
    ctx.random_state = check_random_state(0, int(np.isnan(y_nan).sum()) + 1)
    ours = DropQuery(clusterer=KMeans(n_init=1, random_state=0))
    skal_s, (idx, _) = seconds(lambda: ours.select(ctx, batch))
    peer = Peer(
        cluster_algo=lambda **kw: KMeans(**kw, n_init=1, random_state=0),
        random_state=0,
    )
    peer_s, q = seconds(
        lambda: peer.query(X, y_nan, clf, fit_clf=False, batch_size=batch)
    )
    # the limit: the six predictions (intact and five dropout passes)
    limit = seconds(lambda: [learner.estimator_.predict(X[cand]) for _ in range(6)])
    return row(
        "DropQuery", n, batch, skal_s, peer_s, bool(np.all(cand[idx] == q)), limit[0]
    )


def bench_mcpal(n, batch):
    from skactiveml.classifier import ParzenWindowClassifier
    from skactiveml.pool import ProbabilisticAL as Peer

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    ctx = context(X, y, labeled, cand, np.arange(10))
    skal_s, ours = seconds(lambda: ProbabilisticAL().score(ctx))
    pwc = ParzenWindowClassifier(classes=np.arange(10))
    peer_s, (_, util) = seconds(
        lambda: Peer(random_state=0).query(
            X, y_nan, pwc, batch_size=batch, return_utilities=True
        )
    )
    agree = bool(np.allclose(ours, util[0][cand], rtol=1e-8, atol=1e-12))
    limit = labeled_kernel_seconds(X, labeled, cand, gamma=1 / X.shape[1])
    return row("ProbabilisticAL(McPAL)", n, batch, skal_s, peer_s, agree, limit)


def bench_voi(n, batch):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import ValueOfInformationEER as Peer
    from sklearn.base import clone

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    learner, _ = fitted_pair(X, y_nan, 10)
    ctx = learner.query_context()
    # 10 refits per candidate: score the same 10 candidates in both
    local = np.random.RandomState(0).choice(ctx.n_candidates, 10, replace=False)
    ours = ValueOfInformationEER(max_candidates=None)
    skal_s, s_ours = seconds(lambda: ours.scores(ctx.subset(local)))
    clf = SklearnClassifier(LogisticRegression(max_iter=300), classes=np.arange(10))
    peer = Peer(subtract_current=True, random_state=0)
    peer_s, (_, util) = seconds(
        lambda: peer.query(X, y_nan, clf, candidates=cand[local], return_utilities=True)
    )
    agree = bool(np.allclose(s_ours, util[0][cand[local]], rtol=1e-3))
    # the limit: the refits themselves, one per candidate and class
    lab_X, lab_y = X[labeled], y[labeled]

    def refits():
        for i in cand[local]:
            for k in range(10):
                clone(LogisticRegression(max_iter=300)).fit(
                    np.vstack([lab_X, X[i]]), np.r_[lab_y, k]
                )

    limit = seconds(refits)[0]
    return row("ValueOfInformationEER(10 cand)", n, 1, skal_s, peer_s, agree, limit)


def bench_four_ds(n, batch):
    from skactiveml.classifier import MixtureModelClassifier
    from skactiveml.pool import FourDs as Peer
    from sklearn.mixture import GaussianMixture

    X, y, labeled, cand, y_nan = make_pool(n, 10, 200)
    gmm = GaussianMixture(10, random_state=0)
    # both fit the mixture on the pool inside the query
    clf = MixtureModelClassifier(mixture_model=gmm, classes=np.arange(10))
    fitted = clf.fit(X, y_nan)
    ctx = QueryContext(
        X,
        cand,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=np.arange(10),
        random_state=0,
        signals={"proba": fitted.predict_proba},
    )
    ours = FourDs(mixture=gmm, proba="mixture")
    skal_s, (idx, U) = seconds(lambda: ours.utilities(ctx, batch))
    peer_s, (q, util) = seconds(
        lambda: Peer(random_state=0).query(
            X, y_nan, clf, batch_size=batch, return_utilities=True
        )
    )
    # first pick (later picks differ by design, see the user guide)
    agree = bool(np.allclose(U[0], util[0][cand], rtol=1e-6) and cand[idx[0]] == q[0])
    limit = seconds(lambda: GaussianMixture(10, random_state=0).fit(X))[0]
    return row("FourDs", n, batch, skal_s, peer_s, agree, limit)


def bench_average_precision(n, batch):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import UncertaintySampling as Peer

    from skal.strategies import ExpectedAveragePrecision

    X, y, labeled, cand, y_nan = make_pool(n, 3, 60)
    # scikit-activeml's recursion is cubic in the candidates: 80 of them
    local = np.random.RandomState(0).choice(cand.size, min(80, cand.size), False)
    learner, _ = fitted_pair(X, y_nan, 3)
    ctx = learner.query_context()
    ours = ExpectedAveragePrecision()
    skal_s, s_ours = seconds(lambda: ours.score(ctx.subset(local)))
    clf = SklearnClassifier(LogisticRegression(max_iter=300), classes=np.arange(3))
    peer = Peer(method="expected_average_precision", random_state=0)
    peer_s, (_, util) = seconds(
        lambda: peer.query(X, y_nan, clf, candidates=cand[local], return_utilities=True)
    )
    agree = bool(np.allclose(s_ours, util[0][cand[local]], rtol=1e-8))
    model = learner.estimator_
    limit = seconds(lambda: model.predict_proba(X[cand[local]]))[0]
    name = f"ExpectedAveragePrecision({local.size} cand)"
    return row(name, n, batch, skal_s, peer_s, agree, limit)
