"""Benchmark the multi-label strategies: one query in skal, modAL, and the limit.

One row per strategy, one thread, one pool: a one-vs-rest logistic regression
over ``L`` labels, fitted on the labeled rows, and the rest of the pool as
candidates. Each row gives the seconds of one ``learner.query()`` in skal
(context, signals and top-k selection included), of modAL 0.4.2's function
of the same name on the same fitted model when modAL is importable, and of
the *limit*: the model's own ``decision_function`` / ``predict_proba`` /
``predict`` over the candidates, as many of them as the strategy reads. The
ratio ``skal / limit`` is the strategy's overhead over scoring the pool.
``agree`` says whether skal's batch equals modAL's (``None`` where modAL has
no such function, or computes another formula, see the user guide).

Run ``PYTHONPATH=. python examples/benchmarks/bench_multilabel.py [--quick]
[--out DIR] [--modal-path DIR]``; modAL is looked for on ``sys.path`` and in
``--modal-path`` (``pip install --no-deps --target DIR modAL-python``). The
full run uses 20,000 candidates and 10 labels; ``--quick`` 3,000.
"""

import argparse
import json
import os
import platform
import sys
import time
import warnings

import numpy as np
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from threadpoolctl import threadpool_limits

from skal import ActiveLearner

#: strategy -> (the model methods it reads, modAL's function and whether
#: modAL's formula is skal's)
STRATEGIES = {
    "binary_minimum": (("decision_function",), "SVM_binary_minimum", True),
    "max_loss": (("decision_function",), "max_loss", False),
    "mean_max_loss": (("decision_function",), "mean_max_loss", False),
    "mmc": (("decision_function", "predict_proba"), None, False),
    "lci": (("decision_function",), None, False),
    "mean_entropy": (("predict_proba",), None, False),
    "min_confidence": (("predict_proba",), "min_confidence", True),
    "avg_confidence": (("predict_proba",), "avg_confidence", True),
    "max_score": (("predict_proba", "predict"), "max_score", True),
    "avg_score": (("predict_proba", "predict"), "avg_score", True),
}


def best_of(func, repeat=3):
    """Return (fastest seconds, last result) of ``repeat`` calls."""
    best, out = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - start)
    return best, out


def load_modal(path):
    if path and os.path.isdir(path) and path not in sys.path:
        sys.path.append(path)
    try:
        import modAL.multilabel as modal
    except ImportError:
        return None
    return modal


def make_problem(n_candidates, n_labels, n_labeled=200, seed=0):
    X, Y = make_multilabel_classification(
        n_candidates + n_labeled,
        n_features=20,
        n_classes=n_labels,
        random_state=seed,
    )
    Y_pool = Y.copy()
    Y_pool[n_labeled:] = -1
    return X, Y, Y_pool, n_labeled


def modal_pick(modal, name, model, X_cand, batch):
    func = getattr(modal, name)
    if name == "SVM_binary_minimum":  # one pick; reads classifier.estimator

        class Wrapped:
            estimator = model

        return np.atleast_1d(func(Wrapped(), X_cand))
    out = func(model, X_cand, batch)
    return np.asarray(out[0] if isinstance(out, tuple) else out)


def bench(name, X, Y_pool, n_labeled, batch, modal):
    methods, modal_name, same_formula = STRATEGIES[name]
    learner = ActiveLearner(
        OneVsRestClassifier(LogisticRegression(max_iter=500)),
        query_strategy=name,
        batch_size=batch,
        random_state=0,
    ).fit(X, Y_pool)
    model, X_cand = learner.estimator_, X[n_labeled:]
    skal_s, picked = best_of(learner.query)
    limit_s, _ = best_of(lambda: [getattr(model, m)(X_cand) for m in methods])
    modal_s, agree = None, None
    if modal is not None and modal_name is not None:
        modal_s, theirs = best_of(
            lambda: modal_pick(modal, modal_name, model, X_cand, batch)
        )
        if same_formula:
            mine = picked[: theirs.shape[0]] - n_labeled
            agree = sorted(mine.tolist()) == sorted(theirs.tolist())
    return {
        "strategy": name,
        "n": int(X_cand.shape[0]),
        "reads": list(methods),
        "skal_s": skal_s,
        "limit_s": limit_s,
        "overhead": skal_s / limit_s,
        "modal_s": modal_s,
        "modal_over_skal": None if modal_s is None else modal_s / skal_s,
        "agree": agree,
    }


def _fmt(value, spec):
    return "-" if value is None else format(value, spec)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small pool, < 1 min")
    parser.add_argument("--out", default=None, help="directory for the JSON result")
    parser.add_argument("--n", type=int, default=None, help="candidates")
    parser.add_argument("--labels", type=int, default=10)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--modal-path", default="/work/notes/modal_pkg")
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES))
    args = parser.parse_args(argv)
    n = args.n or (3000 if args.quick else 20_000)
    modal = load_modal(args.modal_path)
    X, _, Y_pool, n_labeled = make_problem(n, args.labels)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        rows = [
            bench(name, X, Y_pool, n_labeled, args.batch, modal)
            for name in args.strategies
        ]
    print(
        f"{'strategy':16s} {'n':>6s} {'skal s':>8s} {'limit s':>8s} "
        f"{'skal/limit':>10s} {'modAL s':>8s} {'modAL/skal':>10s}  agree"
    )
    for r in rows:
        print(
            f"{r['strategy']:16s} {r['n']:6d} {r['skal_s']:8.4f} "
            f"{r['limit_s']:8.4f} {r['overhead']:10.2f} "
            f"{_fmt(r['modal_s'], '8.4f'):>8s} "
            f"{_fmt(r['modal_over_skal'], '10.2f'):>10s}  {r['agree']}"
        )
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "machine": platform.processor() or platform.machine(),
            "quick": args.quick,
            "n_labels": args.labels,
            "batch": args.batch,
            "modal": modal is not None,
            "rows": rows,
        }
        with open(os.path.join(args.out, "bench_multilabel.json"), "w") as f:
            json.dump(result, f, indent=2)
    return rows


if __name__ == "__main__":
    main()
