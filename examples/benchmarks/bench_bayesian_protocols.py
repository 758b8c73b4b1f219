"""What each training protocol of BayesianLearner costs and gives, on digits.

An MLP with dropout (Adam; skorch's defaults: lr 0.01, 10 epochs, batch 128)
learns the 8x8 digits by active learning (max entropy over 10 MC-dropout
passes), from 20 labels (two per class) to ``--budget`` in batches of 10. Protocols:

- ``scratch_10_epochs``: a fresh net every round, exactly skorch's 10 epochs
  (``SkorchAdapter(net, min_steps=0)``, the old default);
- ``scratch_min_steps``: a fresh net every round, at least 200 gradient
  steps (the default);
- ``warm_start``: the net keeps training, 10 more epochs a round on all
  labels (``warm_start=True``).

The table gives the final test accuracy, the area under the learning curve
and the training seconds and gradient steps of the whole run (mean over
seeds).

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_bayesian_protocols.py --quick
    PYTHONPATH=. python examples/benchmarks/bench_bayesian_protocols.py --out results/
"""

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from skorch import NeuralNetClassifier

from skal import BayesianLearner
from skal.torch import MLP, SkorchAdapter

PROTOCOLS = {
    "scratch_10_epochs": {"min_steps": 0, "warm_start": False},
    "scratch_min_steps": {"min_steps": 200, "warm_start": False},
    "warm_start": {"min_steps": 200, "warm_start": True},
}


def run(protocol, seed, data, args):
    X, y, X_test, y_test = data
    net = NeuralNetClassifier(
        MLP,
        module__n_features=64,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        train_split=None,
        verbose=0,
    )
    options = PROTOCOLS[protocol]
    y_pool = np.full_like(y, -1)
    rng = np.random.RandomState(seed)  # two labels per class: warm_start
    initial = np.concatenate(  # cannot add classes later
        [rng.choice(np.flatnonzero(y == k), 2, replace=False) for k in range(10)]
    )
    y_pool[initial] = y[initial]
    learner = BayesianLearner(
        SkorchAdapter(net, min_steps=options["min_steps"]),
        n_samples=args.n_passes,
        query_strategy="entropy",
        batch_size=10,
        warm_start=options["warm_start"],
        random_state=seed,
    )
    with np.errstate(all="ignore"):
        learner.fit(X, y_pool)
    labels, accs = [], []
    while True:
        labels.append(int(learner.labeled_mask_.sum()))
        accs.append(float(learner.score(X_test, y_test)))
        if labels[-1] >= args.budget:
            break
        idx = learner.query()
        learner.teach(X[idx], y[idx])
    seconds = sum(h["fit_seconds"] for h in learner.history_)
    # gradient steps: one per batch of 128 labels, per epoch trained
    steps, n_epochs = 0, 0
    for h in learner.history_:
        per_epoch = math.ceil(h["n_labeled"] / 128)
        if options["warm_start"] and h["round"] > 0:
            epochs = 10
        else:
            epochs = max(10, math.ceil(options["min_steps"] / per_epoch))
        steps += epochs * per_epoch
        n_epochs += epochs
    aulc = float(np.trapezoid(accs, labels) / (labels[-1] - labels[0]))
    return {"final": accs[-1], "aulc": aulc, "seconds": seconds, "steps": steps}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--n-passes", type=int, default=10)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds, args.budget, args.n_passes = [0], 60, 5
    torch.set_num_threads(1)
    X, y = load_digits(return_X_y=True)
    X_pool, X_test, y_pool, y_test = train_test_split(
        (X / 16.0).astype(np.float32), y, test_size=500, stratify=y, random_state=0
    )
    data = (X_pool, y_pool, X_test, y_test)
    rows = []
    print(f"{'protocol':<19}{'final acc':>10}{'AULC':>8}{'train s':>9}{'steps':>8}")
    for name in PROTOCOLS:
        start = time.perf_counter()
        runs = [run(name, seed, data, args) for seed in args.seeds]
        mean = {k: float(np.mean([r[k] for r in runs])) for k in runs[0]}
        mean["std_final"] = float(np.std([r["final"] for r in runs]))
        rows.append({"protocol": name, **mean, "runs": runs})
        print(
            f"{name:<19}{mean['final']:>10.3f}{mean['aulc']:>8.3f}"
            f"{mean['seconds']:>9.1f}{int(mean['steps']):>8d}"
            f"   ({time.perf_counter() - start:.0f} s wall)",
            flush=True,
        )
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        settings = {"seeds": args.seeds, "budget": args.budget, "passes": args.n_passes}
        (out / "bench_bayesian_protocols.json").write_text(
            json.dumps({"settings": settings, "rows": rows}, indent=2)
        )
    return rows


if __name__ == "__main__":
    main()
