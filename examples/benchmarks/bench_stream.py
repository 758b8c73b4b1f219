"""Benchmark stream-based active learning on a drifting stream, beside scikit-activeml.

The stream is a rotating hyperplane (the boundary turns by pi over the stream)
with the two classes swapped half-way, 4 features (2 of them noise) and 5 %
label noise, made with numpy (``skal.stream.make_rotating_hyperplane``). Each
strategy runs test-then-train (prequential): every sample is predicted, then
offered to the strategy, and learned only when its label is bought. The model
is the same on both sides: a ``LogisticRegression`` refit on the last 50
labels bought (forgetting is what lets a model follow the drift), starting
from 10 labeled samples. For each budget (0.05, 0.1, 0.2, 0.5) the table
shows the prequential accuracy and the fraction of labels bought, for skal
and for scikit-activeml 1.0.1's same strategy, and the decision time per
sample (query and update, the model's prediction included) over the time of
the model's own ``predict_proba`` on one row.

Run ``PYTHONPATH=. python examples/benchmarks/bench_stream.py [--quick]
[--out DIR]``. ``--quick`` shortens the stream (under a minute).
"""

import argparse
import json
import os
import platform
import time
from collections import deque

import numpy as np
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from skal.stream import StreamActiveLearner, make_rotating_hyperplane

STRATEGIES = [
    "fixed_uncertainty",
    "variable_uncertainty",
    "randomized_variable_uncertainty",
    "split",
    "density",
    "random",
    "periodic",
    "uncertainty",
    "probabilistic",
    "cognitive_dual_query",
    "cognitive_dual_query_variable",
    "cognitive_dual_query_fixed",
    "cognitive_dual_query_random",
]
WINDOW = 50
N_INITIAL = 10


def make_stream(n_samples, seed):
    return make_rotating_hyperplane(
        n_samples, 4, swap_at=[n_samples // 2], noise=0.05, random_state=seed
    )


def run_skal(name, budget, X, y, seed):
    learner = StreamActiveLearner(
        LogisticRegression(),
        name,
        budget=budget,
        classes=[0, 1],
        max_labeled=WINDOW,
        random_state=seed,
    ).fit(X[:N_INITIAL], y[:N_INITIAL])
    correct = asked = 0
    decide = 0.0
    for t in range(N_INITIAL, len(y)):
        x = X[t : t + 1]
        correct += learner.predict(x)[0] == y[t]
        start = time.perf_counter()
        ask, utility = learner.query(x, return_utilities=True)
        learner.update(x, ask, utilities=utility)
        decide += time.perf_counter() - start
        if ask[0]:
            learner.teach(x, y[t : t + 1])
            asked += 1
    n = len(y) - N_INITIAL
    return correct / n, asked / n, decide / n


def _peer_strategy(name, budget, seed):
    import skactiveml.stream as s
    from skactiveml.stream.budgetmanager import RandomBudgetManager

    common = {"budget": budget, "random_state": seed}
    # scikit-activeml's StreamProbabilisticAL reads a ParzenWindowClassifier's
    # predict_freq, not the logistic regression both sides share here: no row
    return {
        "fixed_uncertainty": lambda: s.FixedUncertainty(classes=[0, 1], **common),
        "variable_uncertainty": lambda: s.VariableUncertainty(**common),
        "randomized_variable_uncertainty": lambda: s.RandomVariableUncertainty(
            **common
        ),
        "split": lambda: s.Split(**common),
        "density": lambda: s.StreamDensityBasedAL(**common),
        "random": lambda: s.StreamRandomSampling(**common),
        "periodic": lambda: s.PeriodicSampling(**common),
        "cognitive_dual_query": lambda: s.CognitiveDualQueryStrategyRanVarUn(**common),
        "cognitive_dual_query_variable": lambda: s.CognitiveDualQueryStrategyVarUn(
            **common
        ),
        "cognitive_dual_query_fixed": lambda: s.CognitiveDualQueryStrategyFixUn(
            classes=[0, 1], **common
        ),
        "cognitive_dual_query_random": lambda: s.CognitiveDualQueryStrategy(
            budget_manager=RandomBudgetManager(**common), random_state=seed
        ),
    }.get(name, lambda: None)()


def run_peer(name, budget, X, y, seed):
    strategy = _peer_strategy(name, budget, seed)
    if strategy is None:
        return None
    from skactiveml.classifier import SklearnClassifier

    needs_clf = name not in ("random", "periodic")
    window_X = deque(X[:N_INITIAL], maxlen=WINDOW)
    window_y = deque(y[:N_INITIAL], maxlen=WINDOW)
    clf = SklearnClassifier(LogisticRegression(), classes=[0, 1])
    clf.fit(np.array(window_X), np.array(window_y))
    correct = asked = 0
    decide = 0.0
    for t in range(N_INITIAL, len(y)):
        x = X[t : t + 1]
        correct += clf.predict(x)[0] == y[t]
        start = time.perf_counter()
        idx = strategy.query(x, clf) if needs_clf else strategy.query(x)
        strategy.update(x, idx)
        decide += time.perf_counter() - start
        if len(idx):
            window_X.append(X[t])
            window_y.append(y[t])
            clf = SklearnClassifier(LogisticRegression(), classes=[0, 1])
            clf.fit(np.array(window_X), np.array(window_y))
            asked += 1
    n = len(y) - N_INITIAL
    return correct / n, asked / n, decide / n


def proba_time(X, y):
    model = LogisticRegression().fit(X[:200], y[:200])
    x = X[:1]
    start = time.perf_counter()
    for _ in range(500):
        model.predict_proba(x)
    return (time.perf_counter() - start) / 500


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short stream")
    parser.add_argument("--out", default=None, help="folder for the JSON result")
    parser.add_argument("--n-samples", type=int, default=None)
    parser.add_argument("--seeds", type=int, default=None)
    parser.add_argument("--budgets", type=float, nargs="+", default=None)
    parser.add_argument("--strategies", nargs="+", default=STRATEGIES)
    parser.add_argument("--no-peer", action="store_true", help="skal only")
    args = parser.parse_args(argv)
    n_samples = args.n_samples or (250 if args.quick else 2000)
    seeds = args.seeds or (1 if args.quick else 2)
    budgets = args.budgets or ([0.1, 0.5] if args.quick else [0.05, 0.1, 0.2, 0.5])
    peer = not args.no_peer
    if peer:
        try:
            import skactiveml  # noqa: F401
        except ImportError:
            peer = False
    rows = []
    with threadpool_limits(1):
        X0, y0 = make_stream(n_samples, 0)
        base = proba_time(X0, y0)
        for name in args.strategies:
            for budget in budgets:
                runs = {"skal": [], "skactiveml": []}
                for seed in range(seeds):
                    X, y = make_stream(n_samples, seed)
                    runs["skal"].append(run_skal(name, budget, X, y, seed))
                    out = run_peer(name, budget, X, y, seed) if peer else None
                    if out is not None:
                        runs["skactiveml"].append(out)
                for side, results in runs.items():
                    if not results:
                        continue
                    acc, used, sec = np.mean(results, axis=0)
                    rows.append(
                        {
                            "strategy": name,
                            "budget": budget,
                            "library": side,
                            "accuracy": float(acc),
                            "budget_used": float(used),
                            "us_per_sample": float(sec * 1e6),
                            "x_predict_proba": float(sec / base),
                        }
                    )
    print(f"predict_proba on one row: {base * 1e6:.0f} us (one thread)")
    header = f"{'strategy':34s}{'budget':>7s}{'library':>12s}"
    print(header + f"{'accuracy':>10s}{'used':>7s}{'us/sample':>11s}{'x proba':>9s}")
    for r in rows:
        print(
            f"{r['strategy']:34s}{r['budget']:7.2f}{r['library']:>12s}"
            f"{r['accuracy']:10.3f}{r['budget_used']:7.3f}"
            f"{r['us_per_sample']:11.0f}{r['x_predict_proba']:9.1f}"
        )
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "benchmark": "stream",
            "n_samples": n_samples,
            "seeds": seeds,
            "predict_proba_us": base * 1e6,
            "python": platform.python_version(),
            "rows": rows,
        }
        with open(os.path.join(args.out, "bench_stream.json"), "w") as f:
            json.dump(result, f, indent=2)
    return rows


if __name__ == "__main__":
    main()
