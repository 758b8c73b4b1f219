"""Labels to a target accuracy and cost per round of deep strategies (digits, MNIST).

Loss prediction, VAAL, MAL and label dispersion beside random, entropy and
BALD, in one run on one protocol. Two data sets (``--data``):

- ``digits`` (the default): the 1,797 8x8 digits of scikit-learn as
  (n, 8, 8) images, split into a pool of 1,297 and a stratified test set of
  500;
- ``mnist``: ``mnist.npz`` of the shared data (``--data-dir``, else
  ``$SKAL_DATA``, else ``../shared/data``), average-pooled to 14x14 as in
  the reduced protocol of ``bench_mnist_label_efficiency.py``; a pool of
  ``--pool`` training images (default 10,000, stratified, seed 0) and a
  fixed random subset of ``--n-test`` test images (default 2,000, seed 0,
  as there);

and on both: 20 initial labels covering every class (the
  same for every strategy of a seed), 20 labels a round, up to ``--budget``
  labels; ``--seeds`` seeds (initial set, nets, strategies);
- the task net: on digits :class:`skal.torch.MLP` (64 hidden units, dropout
  0.5), on MNIST the reduced protocol's :class:`skal.torch.GalCNN` (3x3
  kernels, 14x14 images), under :class:`skal.BayesianLearner`, retrained
  from scratch every round for at least 200 Adam steps (lr 0.005, batch 16),
  predictions averaged over 5 MC-dropout passes. Label dispersion adds a
  :class:`skal.torch.PredictionHistory` callback (one recording per epoch on
  digits; on MNIST one every 10 steps, the pool being 8x larger). Loss
  prediction uses the same net as a :class:`skal.torch.LossPredictionNet`
  (head on the hidden blocks, 32 units) under :class:`skal.ActiveLearner`,
  100 epochs (200 steps at 20 labels, more later), deterministic
  predictions;
- VAAL and MAL train their own networks at every query (latent 16,
  hidden 64, ``--adversarial-steps`` iterations, lr 0.001).

Reported per strategy: the mean test accuracy per round, the labels the
mean curve needs to reach ``--target``, and the cost of a round relative to
one training epoch of the task net: the query alone, and query plus
retraining. The epoch is that of the random run's net at the same round
(fit seconds over its epochs), so every ratio shares one reference.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_deep_strategies.py --quick
    PYTHONPATH=. python examples/benchmarks/bench_deep_strategies.py --out results/
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

from skal import ActiveLearner, BayesianLearner, simulate
from skal.datasets import initial_indices
from skal.torch import MAL, MLP, VAAL, GalCNN, LossPredictionNet, PredictionHistory

STRATEGIES = (
    "random",
    "entropy",
    "bald",
    "label_dispersion",
    "predicted_loss",
    "vaal",
    "mal",
)
MIN_STEPS, BATCH, LP_EPOCHS = 200, 16, 100  # the adapter's default min_steps
NET = {
    "module__n_features": 64,
    "module__hidden_units": 64,
    "optimizer": torch.optim.Adam,
    "lr": 0.005,
    "batch_size": BATCH,
    "verbose": 0,
}


def load_data(args):
    """The pool and test images and labels of ``--data``, and a description."""
    if args.data == "digits":
        X, y = load_digits(return_X_y=True)
        images = (X / 16.0).reshape(-1, 8, 8).astype(np.float32)
        X_pool, X_test, y_pool, y_test = train_test_split(
            images, y, test_size=500, stratify=y, random_state=0
        )
        return (X_pool, y_pool, X_test, y_test), "8x8 digits as (n, 8, 8) images"
    # the reduced protocol's own loader: 14x14 images, its fixed test subset
    from bench_mnist_label_efficiency import load

    X, y, X_test, y_test = load(
        argparse.Namespace(data_dir=args.data_dir, downsample=2, n_test=args.n_test)
    )
    keep, _ = train_test_split(
        np.arange(len(y)), train_size=args.pool, stratify=y, random_state=0
    )
    return (X[keep], y[keep].astype(np.int64), X_test, y_test.astype(np.int64)), (
        f"MNIST 14x14 (average-pooled), a stratified pool of {args.pool} training "
        f"images, {args.n_test} test images"
    )


def epochs_of(n_labeled, name):
    """Epochs the task net trains for with ``n_labeled`` labels."""
    if name == "predicted_loss":
        return LP_EPOCHS
    steps = math.ceil(n_labeled / BATCH)
    return max(10, math.ceil(MIN_STEPS / steps))  # skorch's 10, raised to 200 steps


def make_learner(name, adversarial_steps, image_shape):
    """The learner of a strategy: an MLP on 8x8 digits, a CNN on 14x14 MNIST."""
    params = dict(NET)
    if len(image_shape) == 2:  # the 8x8 digits
        module, history = MLP, PredictionHistory()
    else:  # MNIST, (1, 14, 14) with its channel axis
        module, history = GalCNN, PredictionHistory(every=10, unit="step")
        del params["module__n_features"], params["module__hidden_units"]
        params.update(module__image_shape=tuple(image_shape), module__kernel_size=3)
    if name == "predicted_loss":
        net = LossPredictionNet(
            module, head_units=32, max_epochs=LP_EPOCHS, **params, random_state=0
        )
        return ActiveLearner(net, query_strategy="predicted_loss")
    callbacks = [history] if name == "label_dispersion" else None
    net = NeuralNetClassifier(
        module,
        criterion=torch.nn.CrossEntropyLoss,
        train_split=None,
        callbacks=callbacks,
        **params,
    )
    adversarial = {
        "latent_dim": 16,
        "hidden_units": 64,
        "n_steps": adversarial_steps,
        "lr": 1e-3,
    }
    strategy = {"vaal": VAAL(**adversarial), "mal": MAL(**adversarial)}.get(name, name)
    return BayesianLearner(net, n_samples=5, query_strategy=strategy)


def run(name, data, initial, seed, budget, adversarial_steps):
    X_pool, y_pool, X_test, y_test = data
    curve = simulate(
        make_learner(name, adversarial_steps, X_pool.shape[1:]),
        X_pool,
        y_pool,
        X_test=X_test,
        y_test=y_test,
        budget=budget,
        batch_size=20,
        initial_indices=initial,
        progress=False,
        random_state=seed,
    )
    return curve.repeats[0]


def summarise(name, repeats, reference, target):
    n_labeled = np.asarray(repeats[0]["n_labeled"])
    scores = np.mean([r["score"] for r in repeats], axis=0)
    reached = np.flatnonzero(scores >= target)
    query, total = [], []
    for rep, ref in zip(repeats, reference):
        for r in range(1, len(rep["n_labeled"])):  # round 0 is the initial set
            epoch = ref["fit_seconds"][r] / epochs_of(ref["n_labeled"][r], "random")
            query.append(rep["query_seconds"][r] / epoch)
            total.append((rep["query_seconds"][r] + rep["fit_seconds"][r]) / epoch)
    return {
        "strategy": name,
        "n_labeled": n_labeled.tolist(),
        "mean_accuracy": scores.tolist(),
        "labels_to_target": int(n_labeled[reached[0]]) if reached.size else None,
        "query_epochs": float(np.median(query)),
        "round_epochs": float(np.median(total)),
        "repeats": repeats,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--target", type=float, default=0.85)
    parser.add_argument("--adversarial-steps", type=int, default=300)
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES))
    parser.add_argument("--data", choices=["digits", "mnist"], default="digits")
    parser.add_argument("--data-dir", default=None, help="folder of mnist.npz")
    parser.add_argument("--pool", type=int, default=10000, help="MNIST pool size")
    parser.add_argument("--n-test", type=int, default=2000, help="MNIST test images")
    parser.add_argument("--quick", action="store_true", help="40 labels, 1 seed")
    parser.add_argument("--out", default=None, help="folder for results JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.budget, args.seeds, args.target, args.adversarial_steps = 40, 1, 0.75, 50
    torch.set_num_threads(1)
    unknown = set(args.strategies) - set(STRATEGIES)
    if unknown:
        parser.error(f"unknown strategies {sorted(unknown)}; known: {STRATEGIES}")
    names = ["random"] + [s for s in args.strategies if s != "random"]

    data, described = load_data(args)
    y_pool = data[1]
    start = time.perf_counter()
    repeats = {name: [] for name in names}
    for seed in range(args.first_seed, args.first_seed + args.seeds):
        initial = initial_indices(y_pool, 20, random_state=seed)
        for name in names:
            repeats[name].append(
                run(name, data, initial, seed, args.budget, args.adversarial_steps)
            )
            last = repeats[name][-1]
            print(
                f"seed {seed} {name}: final accuracy {last['score'][-1]:.3f} "
                f"({time.perf_counter() - start:.0f} s)",
                flush=True,
            )
            if args.out:  # what is done so far, in case the run is cut short
                partial = Path(args.out) / "bench_deep_strategies.partial.json"
                partial.parent.mkdir(parents=True, exist_ok=True)
                partial.write_text(json.dumps(repeats, indent=1))
    rows = [
        summarise(name, repeats[name], repeats["random"], args.target) for name in names
    ]
    seconds = time.perf_counter() - start

    print(
        f"{described}: pool {len(y_pool)} / test {len(data[3])}, 20 initial + 20 "
        "a round to "
        f"{args.budget} labels, {args.seeds} seed(s); mean test accuracy; "
        f"labels to {args.target:.2f}; cost per round in task-net epochs "
        "(median)"
    )
    counts = rows[0]["n_labeled"]
    head = " ".join(f"{n:>5}" for n in counts)
    print(f"{'strategy':<17}{head}  {'labels':>6}  {'query':>7}  {'round':>7}")
    for row in rows:
        accs = " ".join(f"{a:5.3f}" for a in row["mean_accuracy"])
        to = row["labels_to_target"]
        print(
            f"{row['strategy']:<17}{accs}  {to if to else '>' + str(counts[-1]):>6}"
            f"  {row['query_epochs']:7.2f}  {row['round_epochs']:7.2f}"
        )
    print(f"total {seconds:.0f} s")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result = {
            "protocol": {
                "data": described,
                "pool": int(len(y_pool)),
                "test": int(len(data[3])),
                "initial": 20,
                "batch_size": 20,
                "budget": args.budget,
                "seeds": args.seeds,
                "target": args.target,
                "adversarial_steps": args.adversarial_steps,
                "task_net": (
                    "MLP 64 hidden, dropout 0.5"
                    if args.data == "digits"
                    else "GalCNN, 3x3 kernels, 14x14 images"
                )
                + ", >= 200 Adam steps of batch 16",
            },
            "seconds": seconds,
            "results": rows,
        }
        path = out / "bench_deep_strategies.json"
        path.write_text(json.dumps(result, indent=2))
    return rows


if __name__ == "__main__":
    main()
