"""Speed of the model-change strategies against their limit and scikit-activeml.

1. ``ExpectedGradientLength`` on a 200,000 x 50 pool, 10 classes, batch 100,
   against the model's own ``predict_proba`` over the pool (the limit: EGL
   needs the probabilities and adds only linear work). scikit-activeml has no
   expected-gradient-length strategy for classifiers (its
   ``ExpectedModelChangeMaximization`` is for regressors), so there is no peer.
2. ``ExpectedErrorReduction`` (zero-one loss) against scikit-activeml's
   ``MonteCarloEER`` (misclassification loss, Roy & McCallum 2001) on the same
   candidates and evaluation set: both refit one model per (candidate, label)
   pair, so the limit is the refits themselves; the two must pick the same
   sample.

Everything runs on one thread (BLAS limited by threadpoolctl); times are CPU
seconds of the process (best of a few runs), which on a shared machine are
closer to the idle-machine wall time than wall seconds are.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_model_change.py --quick
    PYTHONPATH=. python examples/benchmarks/bench_model_change.py --out results/
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from skal import ActiveLearner
from skal.strategies import ExpectedErrorReduction, ExpectedGradientLength


def best_of(func, repeats):
    """Return the smallest CPU time of ``repeats`` runs, and the last output.

    Everything here runs on one thread, so CPU seconds equal wall seconds on
    an idle machine and, unlike wall seconds, do not count waiting for
    cores that other jobs share.
    """
    times = []
    for _ in range(repeats):
        start = time.process_time()
        out = func()
        times.append(time.process_time() - start)
    return min(times), out


def bench_egl(n_pool, n_features, n_classes, batch, repeats):
    X, y = make_classification(
        n_samples=n_pool + 1000,
        n_features=n_features,
        n_informative=30,
        n_classes=n_classes,
        random_state=0,
    )
    y_partial = np.full_like(y, -1)
    y_partial[:1000] = y[:1000]
    learner = ActiveLearner(
        LogisticRegression(max_iter=300),
        query_strategy=ExpectedGradientLength(),
        batch_size=batch,
        random_state=0,
    ).fit(X[:1000], y_partial[:1000])
    X_pool = X[1000:]
    t_limit, _ = best_of(lambda: learner.estimator_.predict_proba(X_pool), repeats)
    t_egl, idx = best_of(lambda: learner.query(X_pool), repeats)
    learner.set_params(query_strategy="entropy").fit(X[:1000], y_partial[:1000])
    t_unc, _ = best_of(lambda: learner.query(X_pool), repeats)
    return {
        "pool": [n_pool, n_features],
        "n_classes": n_classes,
        "batch": batch,
        "predict_proba_s": t_limit,
        "skal_egl_s": t_egl,
        "skal_entropy_s": t_unc,
        "egl_over_predict_proba": t_egl / t_limit,
    }


def bench_eer(n_pool, n_labeled, n_candidates, n_eval, n_classes):
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import MonteCarloEER

    X, y = make_classification(
        n_samples=n_pool,
        n_features=20,
        n_informative=10,
        n_classes=n_classes,
        random_state=1,
    )
    rng = np.random.RandomState(0)
    labeled = np.zeros(n_pool, dtype=bool)
    for c in range(n_classes):
        labeled[rng.choice(np.flatnonzero(y == c), 2, replace=False)] = True
    labeled[rng.choice(n_pool, n_labeled - labeled.sum(), replace=False)] = True
    pool = np.flatnonzero(~labeled)
    ev = np.sort(rng.choice(pool, n_eval, replace=False))
    y_partial = np.where(labeled, y, -1)
    est = LogisticRegression(max_iter=300)
    learner = ActiveLearner(est, random_state=0).fit(X, y_partial)

    # skal: the pool is the evaluation set; n_candidates of it are scored.
    def context():  # the same candidates for every run
        ctx = learner.query_context(X[ev])
        ctx.random_state = np.random.RandomState(0)
        return ctx

    eer = ExpectedErrorReduction("zero_one", max_candidates=n_candidates)
    t_skal, (pos, scores) = best_of(lambda: eer.select(context(), n_candidates), 1)
    cand = ev[np.sort(pos)]  # the same candidates for the peer
    skal_scores = scores[np.argsort(pos)]

    y_sk = np.where(labeled, y, np.nan)
    clf = SklearnClassifier(clone(est), classes=np.arange(n_classes), random_state=0)
    qs = MonteCarloEER(method="misclassification_loss", random_state=0)

    def peer_run():
        return qs.query(
            X,
            y_sk,
            clf,
            candidates=cand,
            X_eval=X[ev],
            batch_size=1,
            return_utilities=True,
        )

    warm = ExpectedErrorReduction("zero_one", max_candidates=n_candidates)
    warm.set_params(warm_start=True)
    t_warm, (pos_w, _) = best_of(lambda: warm.select(context(), n_candidates), 1)
    t_peer, (peer_idx, peer_util) = best_of(peer_run, 1)
    peer_scores = peer_util[0][cand]
    same_pick = bool(ev[pos[0]] == peer_idx[0])
    corr = float(np.corrcoef(skal_scores, peer_scores)[0, 1])
    return {
        "pool": n_pool,
        "n_labeled": n_labeled,
        "n_candidates": n_candidates,
        "n_eval": n_eval,
        "n_classes": n_classes,
        "refits": n_candidates * n_classes,
        "skal_eer_s": t_skal,
        "skactiveml_montecarlo_eer_s": t_peer,
        "skactiveml_over_skal": t_peer / t_skal,
        "skal_eer_warm_s": t_warm,
        "skactiveml_over_skal_warm": t_peer / t_warm,
        "warm_same_pick": bool(pos_w[0] == pos[0]),
        "same_pick": same_pick,
        "score_correlation": corr,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, < 1 min")
    parser.add_argument("--out", type=Path, default=None, help="folder for JSON")
    args = parser.parse_args()
    if args.quick:
        egl_cfg = {"n_pool": 20_000, "repeats": 2}
        eer_cfg = {"n_pool": 600, "n_labeled": 40, "n_candidates": 10, "n_eval": 200}
    else:
        egl_cfg = {"n_pool": 200_000, "repeats": 5}
        eer_cfg = {"n_pool": 3000, "n_labeled": 100, "n_candidates": 50, "n_eval": 1000}
    with threadpool_limits(1):
        egl = bench_egl(n_features=50, n_classes=10, batch=100, **egl_cfg)
        eer = bench_eer(n_classes=10, **eer_cfg)

    print("ExpectedGradientLength (one thread, 10 classes, batch 100; CPU seconds)")
    print(
        f"{'pool':>14} {'predict_proba':>14} {'skal EGL':>10} {'entropy':>10} "
        f"{'EGL/limit':>10}"
    )
    print(
        f"{egl['pool'][0]:>8} x {egl['pool'][1]:<3} {egl['predict_proba_s']:>14.3f} "
        f"{egl['skal_egl_s']:>10.3f} {egl['skal_entropy_s']:>10.3f} "
        f"{egl['egl_over_predict_proba']:>10.2f}"
    )
    print("\nExpectedErrorReduction vs scikit-activeml MonteCarloEER (CPU seconds)")
    print(
        f"{'refits':>7} {'skactiveml (s)':>15} {'skal (s)':>9} {'ratio':>6} "
        f"{'skal warm (s)':>14} {'ratio':>6} {'same pick':>10} {'corr':>6}"
    )
    print(
        f"{eer['refits']:>7} {eer['skactiveml_montecarlo_eer_s']:>15.2f} "
        f"{eer['skal_eer_s']:>9.2f} {eer['skactiveml_over_skal']:>6.2f} "
        f"{eer['skal_eer_warm_s']:>14.2f} {eer['skactiveml_over_skal_warm']:>6.2f} "
        f"{str(eer['same_pick'] and eer['warm_same_pick']):>10} "
        f"{eer['score_correlation']:>6.3f}"
    )
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / "bench_model_change.json"
        path.write_text(
            json.dumps({"egl": egl, "eer": eer, "quick": args.quick}, indent=2)
        )
        print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
