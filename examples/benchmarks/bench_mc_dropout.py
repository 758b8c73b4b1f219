"""Cost of 20 MC-dropout passes against 20 deterministic ``predict_proba`` passes.

The reference CNN of Gal et al. (2017) (:class:`skal.torch.GalCNN`) on MNIST
images; ``skal.torch.mc_dropout_proba`` passes each batch ``n_passes`` times
with only the dropout layers in train mode. The target is a ratio of at
most 1.2: MC dropout should cost what the forward passes cost.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_mc_dropout.py --quick
    PYTHONPATH=. python examples/benchmarks/bench_mc_dropout.py --n-images 60000
    PYTHONPATH=. python examples/benchmarks/bench_mc_dropout.py --block 5000

The data come from ``--data-dir`` or ``$SKAL_DATA`` (default
``../shared/data`` beside the repository), file ``mnist.npz``.
"""

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
from skorch import NeuralNetClassifier

from skal.torch import GalCNN, mc_dropout_proba


def data_dir(arg):
    if arg:
        return Path(arg)
    if os.environ.get("SKAL_DATA"):
        return Path(os.environ["SKAL_DATA"])
    return Path(__file__).resolve().parents[2].parent / "shared" / "data"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--n-images", type=int, default=60000)
    parser.add_argument("--n-passes", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument(
        "--block",
        type=int,
        default=None,
        help="interleave the two methods block by block of this many images "
        "(ABBA order) and sum the times: on a shared machine both then meet "
        "the same load",
    )
    parser.add_argument("--quick", action="store_true", help="500 images")
    parser.add_argument("--out", default=None, help="folder for results JSON")
    args = parser.parse_args(argv)
    if args.quick:
        args.n_images = 500
    if args.threads:
        torch.set_num_threads(args.threads)

    data = np.load(data_dir(args.data_dir) / "mnist.npz")
    X = (data["X_train"][: args.n_images] / 255.0).astype(np.float32)[:, None]
    y = data["y_train"][: args.n_images]
    torch.manual_seed(0)
    net = NeuralNetClassifier(
        GalCNN,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        max_epochs=1,
        batch_size=args.batch_size,
        train_split=None,
        verbose=0,
    )
    net.fit(X[:256], y[:256])

    def deterministic(rows):
        return [net.predict_proba(rows) for _ in range(args.n_passes)]

    def mc(rows):
        return mc_dropout_proba(net, rows, args.n_passes, random_state=0)

    methods = (("predict_proba x passes", deterministic), ("mc_dropout_proba", mc))
    mc(X[: args.batch_size])  # warm-up
    times = {name: [] for name, _ in methods}
    for _ in range(args.repeats):  # interleave to share the machine's noise
        block = args.block or len(X)
        total = dict.fromkeys(times, 0.0)
        for b, lo in enumerate(range(0, len(X), block)):
            rows = X[lo : lo + block]
            for name, fn in methods if b % 2 == 0 else methods[::-1]:
                start = time.perf_counter()
                fn(rows)
                total[name] += time.perf_counter() - start
        for name, sec in total.items():
            times[name].append(sec)
    best = {k: min(v) for k, v in times.items()}
    ratio = best["mc_dropout_proba"] / best["predict_proba x passes"]
    print(
        f"{args.n_images} MNIST images, {args.n_passes} passes, GalCNN, "
        f"{torch.get_num_threads()} torch threads"
    )
    print(f"{'method':<26}{'seconds':>10}")
    for name, sec in best.items():
        print(f"{name:<26}{sec:>10.2f}")
    print(f"ratio MC / deterministic: {ratio:.3f} (target <= 1.2)")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        result = {
            "n_images": args.n_images,
            "n_passes": args.n_passes,
            "threads": torch.get_num_threads(),
            "block": args.block,
            "repeats": args.repeats,
            "seconds": best,
            "ratio": ratio,
        }
        (out / "bench_mc_dropout.json").write_text(json.dumps(result, indent=2))
    return ratio


if __name__ == "__main__":
    main()
