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

Two training protocols. ``--protocol fixed`` (the default) trains each
round's fresh net for a fixed number of gradient steps (``--steps``).
``--protocol kirsch`` trains as Kirsch et al. (2019) do: a fresh net every
round, epochs of 5,056 images drawn with replacement from the labeled set
(batch 64), at most 30 epochs, early stopping with patience 3 on the
accuracy of 1,024 held-out validation images (taken out of the pool, the
best epoch's weights kept), and 100 MC-dropout passes for scoring
(``--n-passes``). Every round's training and scoring CPU seconds are
recorded (``time.process_time``, so a shared machine does not inflate
them) and reported per round.

The full protocol (28x28 images, 2,000 candidates, 10k test images, budget
1,000, 3 seeds) takes many CPU hours; ``--quick`` and the reduction flags
(``--downsample``, ``--n-test``, ``--max-candidates``, ``--n-passes``,
``--steps``, ``--max-rounds``) make it fit a laptop. Say which you used.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_mnist_label_efficiency.py --quick
    PYTHONPATH=. python examples/benchmarks/bench_mnist_label_efficiency.py \\
        --seeds 0 1 2 --budget 1000 --out results/
    PYTHONPATH=. python examples/benchmarks/bench_mnist_label_efficiency.py \\
        --protocol kirsch --strategies batchbald --seeds 0 --max-rounds 3
"""

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
from _bench_args import count_or_share
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


class KirschCNN(torch.nn.Module):
    """The MNIST net of Kirsch et al. (2019): two blocks of 5x5 convolution
    (32, then 64 filters), channel dropout (p=0.5), 2x2 max-pooling and ReLU,
    then dense 128, ReLU, dropout (p=0.5) and the 10-way layer
    (``--model kirsch``).
    Dropout sits in all three places, so MC dropout samples every layer."""

    def __init__(self, image_side=28):
        super().__init__()
        side = ((image_side - 4) // 2 - 4) // 2
        if side < 1:
            raise ValueError("--model kirsch needs 28x28 images (--downsample 1).")
        self.features = torch.nn.Sequential(
            torch.nn.Conv2d(1, 32, 5),
            torch.nn.Dropout2d(0.5),
            torch.nn.MaxPool2d(2),
            torch.nn.ReLU(),
            torch.nn.Conv2d(32, 64, 5),
            torch.nn.Dropout2d(0.5),
            torch.nn.MaxPool2d(2),
            torch.nn.ReLU(),
            torch.nn.Flatten(),
            torch.nn.Linear(64 * side * side, 128),
            torch.nn.ReLU(),
            torch.nn.Dropout(0.5),
        )
        self.head = torch.nn.Linear(128, 10)

    def forward(self, x):
        return self.head(self.features(x))


def make_net(args, image_side):
    if args.model == "kirsch":
        module = {"module": KirschCNN, "module__image_side": image_side}
    elif args.model == "mlp":
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
    if args.protocol == "kirsch":
        return _kirsch_net(module, args)
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


class FixedLengthLoader(torch.utils.data.DataLoader):
    """Epochs of ``n_draws`` samples drawn with replacement (Kirsch et al.)."""

    def __init__(self, dataset, n_draws=5056, shuffle=None, **kwargs):
        sampler = torch.utils.data.RandomSampler(
            dataset, replacement=True, num_samples=n_draws
        )
        super().__init__(dataset, sampler=sampler, **kwargs)


def _kirsch_net(module, args):
    from skorch.callbacks import EarlyStopping
    from skorch.dataset import Dataset
    from skorch.helper import predefined_split

    X_val, y_val = args.validation
    net = NeuralNetClassifier(
        **module,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=30,
        batch_size=64,
        classes=list(range(10)),
        iterator_train=FixedLengthLoader,
        iterator_train__n_draws=5056,
        train_split=predefined_split(Dataset(X_val, y_val)),
        callbacks=[
            EarlyStopping(
                monitor="valid_acc", lower_is_better=False, patience=3, load_best=True
            )
        ],
        verbose=0,
    )
    return SkorchAdapter(net, min_steps=0)


def run(name, strategy, seed, data, args):
    X, y, X_test, y_test = data
    rng = np.random.RandomState(seed)
    if args.protocol == "kirsch":
        # 1,024 validation images, out of the pool, for early stopping
        val = rng.choice(len(y), 1024, replace=False)
        args.validation = (X[val], y[val].astype(np.int64))
        keep = np.setdiff1d(np.arange(len(y)), val)
        X, y = X[keep], y[keep]
    initial = np.concatenate(
        [rng.choice(np.flatnonzero(y == k), 2, replace=False) for k in range(10)]
    )
    y_pool = np.full_like(y, -1)
    y_pool[initial] = y[initial]
    cpu0 = time.process_time()
    learner = BayesianLearner(
        make_net(args, X.shape[-1]),
        n_samples=args.n_passes,
        query_strategy=strategy,
        batch_size=10,
        random_state=seed,
    ).fit(X, y_pool)
    curve, cpu = [], []
    start = time.perf_counter()
    train_cpu, query_cpu = time.process_time() - cpu0, 0.0
    while True:
        n = int(learner.labeled_mask_.sum())
        acc = float(np.mean(learner.estimator_.predict(X_test) == y_test))
        curve.append((n, acc))
        epochs = getattr(learner.estimator_, "n_train_epochs_", None)
        history = getattr(getattr(learner.estimator_, "net_", None), "history", None)
        if history is not None:
            epochs = len(history)  # early stopping may end before max_epochs
        print(
            f"  {name:<17} seed {seed} labels {n:4d} acc {acc:.4f} "
            f"({time.perf_counter() - start:.0f} s; epochs {epochs}, CPU s: "
            f"query {query_cpu:.1f}, train {train_cpu:.1f})",
            flush=True,
        )
        if n >= args.budget or acc >= args.stop_at or len(cpu) >= args.max_rounds:
            break
        t0 = time.process_time()
        idx = learner.query()
        t1 = time.process_time()
        learner.teach(X[idx], y[idx])
        query_cpu, train_cpu = t1 - t0, time.process_time() - t1
        cpu.append({"query": query_cpu, "train": train_cpu, "epochs": epochs})
    return {"curve": curve, "cpu": cpu}


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
    parser.add_argument(
        "--max-candidates",
        type=count_or_share,
        default=2000,
        help="candidates scored per query: a count, or a share of the pool in "
        "(0, 1) (default: 2000)",
    )
    parser.add_argument(
        "--n-passes", type=int, default=None, help="20 (fixed) or 100 (kirsch)"
    )
    parser.add_argument("--n-test", type=int, default=10000)
    parser.add_argument("--steps", type=int, default=500, help="gradient steps")
    parser.add_argument("--train-batch", type=int, default=64)
    parser.add_argument("--weight-decay", type=float, default=0.0)
    parser.add_argument("--downsample", type=int, default=1, choices=[1, 2])
    parser.add_argument("--strategies", nargs="+", default=None)
    parser.add_argument(
        "--model",
        choices=["cnn", "mlp", "kirsch"],
        default="cnn",
        help="cnn: Gal et al.'s net (GalCNN); kirsch: Kirsch et al.'s",
    )
    parser.add_argument("--targets", type=float, nargs="+", default=[0.90, 0.95])
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--protocol", choices=["fixed", "kirsch"], default="fixed")
    parser.add_argument(
        "--max-rounds", type=int, default=10**9, help="stop a run after N rounds"
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds, args.budget, args.max_candidates = [0], 40, 200
        args.n_passes, args.n_test, args.steps, args.downsample = 5, 1000, 100, 2
    if args.n_passes is None:  # k = 100 MC samples in Kirsch et al.
        args.n_passes = 100 if args.protocol == "kirsch" else 20
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
    for name, runs in results.items():
        curves = [r["curve"] for r in runs]
        reached = {t: [labels_to(c, t) for c in curves] for t in args.targets}
        table[name] = {f"labels_{t:.2f}": v for t, v in reached.items()}
        last = curves[0][-1]
        cells = "".join(f"{med(v):>7}" for v in reached.values())
        print(f"{name:<18}{cells}  ({last[0]}, {last[1]:.3f})")
    print(f"\nCPU seconds per round ({args.protocol} protocol, median over rounds)")
    print(f"{'strategy':<18}{'train':>8}{'query':>8}{'epochs':>8}{'rounds':>8}")
    for name, runs in results.items():
        rounds = [r for run_ in runs for r in run_["cpu"]]
        if not rounds:
            continue
        train = float(np.median([r["train"] for r in rounds]))
        query = float(np.median([r["query"] for r in rounds]))
        epochs = [r["epochs"] for r in rounds if r["epochs"] is not None]
        ep = f"{np.median(epochs):.0f}" if epochs else "-"
        table[name].update(train_cpu_s=train, query_cpu_s=query)
        print(f"{name:<18}{train:>8.1f}{query:>8.1f}{ep:>8}{len(rounds):>8}")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        params = {k: v for k, v in vars(args).items() if k != "validation"}
        payload = {"params": params, "table": table, "curves": results}
        (out / "bench_mnist_label_efficiency.json").write_text(json.dumps(payload))


if __name__ == "__main__":
    main()
