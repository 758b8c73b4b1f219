"""Label efficiency on MNIST: the protocol of Gal, Islam & Ghahramani (2017).

Start from 20 class-balanced labels, acquire 10 images a round from a random
subsample of the 60,000-image pool (the authors scored 2,000), retrain the
reference CNN (:class:`skal.torch.GalCNN`) from scratch every round, and
record test accuracy. The table gives the labels needed to reach 90% and
95% test accuracy (median over seeds) for random, max entropy, variation
ratios, BALD and BatchBALD.

Published anchors (batch 10 unless said): Gal et al. 2017, Table 1 (batch 10
in their code, 2,000 scored candidates): random 255/835, max entropy
165/355, BALD 145/335, variation ratios 120/295; Kirsch et al. 2019 (medians)
BALD 120/250, BatchBALD 90/200.

The full protocol (28x28 images, 20 passes, 2,000 candidates, 10k test
images, budget 1,000, 3 seeds) takes many CPU hours; ``--quick`` and the
reduction flags (``--downsample``, ``--n-test``, ``--max-candidates``,
``--n-passes``, ``--steps``) make it fit a laptop. Say which you used.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_mnist_label_efficiency.py --quick
    PYTHONPATH=. python examples/benchmarks/bench_mnist_label_efficiency.py \\
        --seeds 0 1 2 --budget 1000 --out results/
"""

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
from skorch import NeuralNetClassifier

from skal import BayesianLearner
from skal.strategies import BALD, BatchBALD, MaxEntropy, RandomSampling, VariationRatios
from skal.torch import MLP, GalCNN, SkorchAdapter


def data_dir(arg):
    if arg:
        return Path(arg)
    if os.environ.get("SKAL_DATA"):
        return Path(os.environ["SKAL_DATA"])
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def load(args):
    data = np.load(data_dir(args.data_dir) / "mnist.npz")

    def prep(images):
        X = images.astype(np.float32) / 255.0
        if args.downsample > 1:
            f = args.downsample
            n, h, w = X.shape
            X = X.reshape(n, h // f, f, w // f, f).mean(axis=(2, 4))
        return X[:, None]

    X_test, y_test = prep(data["X_test"]), data["y_test"]
    if args.n_test < len(y_test):
        keep = np.random.RandomState(0).choice(len(y_test), args.n_test, replace=False)
        X_test, y_test = X_test[keep], y_test[keep]
    return prep(data["X_train"]), data["y_train"], X_test, y_test


def strategies(args):
    m = args.max_candidates
    return {
        "random": RandomSampling(),
        "max_entropy": MaxEntropy(max_candidates=m),
        "variation_ratios": VariationRatios(max_candidates=m),
        "bald": BALD(max_candidates=m),
        "batchbald": BatchBALD(max_candidates=m),
    }


def make_net(args, image_side):
    if args.model == "mlp":
        module = {
            "module": MLP,
            "module__n_features": image_side**2,
            "module__hidden_units": 256,
        }
    else:
        module = {
            "module": GalCNN,
            "module__image_shape": (1, image_side, image_side),
            "module__kernel_size": 4 if image_side >= 20 else 3,
        }
    net = NeuralNetClassifier(
        **module,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        optimizer__weight_decay=args.weight_decay,
        lr=1e-3,
        max_epochs=1,
        batch_size=args.train_batch,
        train_split=None,
        verbose=0,
    )
    # A fixed number of gradient steps whatever the label count (with 20
    # labels a fixed number of epochs is a handful of steps); Kirsch et al.
    # (2019) likewise draw a fixed number of samples per training run.
    return SkorchAdapter(net, min_steps=args.steps)


def run(name, strategy, seed, data, args):
    X, y, X_test, y_test = data
    rng = np.random.RandomState(seed)
    initial = np.concatenate(
        [rng.choice(np.flatnonzero(y == k), 2, replace=False) for k in range(10)]
    )
    y_pool = np.full_like(y, -1)
    y_pool[initial] = y[initial]
    learner = BayesianLearner(
        make_net(args, X.shape[-1]),
        n_samples=args.n_passes,
        query_strategy=strategy,
        batch_size=10,
        random_state=seed,
    ).fit(X, y_pool)
    curve = []
    start = time.perf_counter()
    while True:
        n = int(learner.labeled_mask_.sum())
        acc = float(np.mean(learner.estimator_.predict(X_test) == y_test))
        curve.append((n, acc))
        print(
            f"  {name:<17} seed {seed} labels {n:4d} acc {acc:.4f} "
            f"({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
        if n >= args.budget or acc >= args.stop_at:
            break
        idx = learner.query()
        learner.teach(X[idx], y[idx])
    return curve


def labels_to(curve, target):
    for n, acc in curve:
        if acc >= target:
            return n
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--stop-at", type=float, default=0.95)
    parser.add_argument("--max-candidates", type=int, default=2000)
    parser.add_argument("--n-passes", type=int, default=20)
    parser.add_argument("--n-test", type=int, default=10000)
    parser.add_argument("--steps", type=int, default=500, help="gradient steps")
    parser.add_argument("--train-batch", type=int, default=64)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--downsample", type=int, default=1, choices=[1, 2])
    parser.add_argument("--strategies", nargs="+", default=None)
    parser.add_argument("--model", choices=["cnn", "mlp"], default="cnn")
    parser.add_argument("--targets", type=float, nargs="+", default=[0.90, 0.95])
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds, args.budget, args.max_candidates = [0], 40, 200
        args.n_passes, args.n_test, args.steps, args.downsample = 5, 1000, 100, 2
    if args.threads:
        torch.set_num_threads(args.threads)
    data = load(args)
    chosen = strategies(args)
    if args.strategies:
        chosen = {k: chosen[k] for k in args.strategies}
    results = {}
    for name, strategy in chosen.items():
        results[name] = [run(name, strategy, s, data, args) for s in args.seeds]

    def med(values):
        # a seed that never reached the target counts as "more than the budget"
        m = np.median([np.inf if v is None else v for v in values])
        return "-" if not np.isfinite(m) else f"{int(m)}"

    heads = "".join(f"{t:>7.0%}" for t in args.targets)
    print(
        f"\nlabels to reach each test accuracy (median of seeds {args.seeds}; "
        f"'-': not reached within {args.budget} labels)"
    )
    print(f"{'strategy':<18}{heads}  final (labels, acc)")
    table = {}
    for name, curves in results.items():
        reached = {t: [labels_to(c, t) for c in curves] for t in args.targets}
        table[name] = {f"labels_{t:.2f}": v for t, v in reached.items()}
        last = curves[0][-1]
        cells = "".join(f"{med(v):>7}" for v in reached.values())
        print(f"{name:<18}{cells}  ({last[0]}, {last[1]:.3f})")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        payload = {"params": vars(args), "table": table, "curves": results}
        (out / "bench_mnist_label_efficiency.json").write_text(json.dumps(payload))


if __name__ == "__main__":
    main()
