"""Benchmark: masked-autoencoder features for active learning on MNIST.

1. Pretrain :class:`skal.torch.MaskedAutoencoder` on the 60,000 training
   images (no labels), timing it.
2. Save a picture of reconstructions of masked test digits.
3. Linear probe at 1,000 labels: logistic regression on MAE features vs raw
   pixels vs PCA (test accuracy on 10,000 images, mean over seeds).
4. Active-learning curve on a pool of training images: MAE features with a
   k-means "typical points" cold start then margin sampling, vs random
   sampling on MAE features, vs margin on raw pixels; labels needed to reach
   90% and 95% test accuracy.

Run from the repository root::

    PYTHONPATH=. python examples/benchmarks/bench_mae.py --out bench-out/mae
    PYTHONPATH=. python examples/benchmarks/bench_mae.py --quick --out /tmp/mae

The data path comes from ``--data-dir``, else ``$SKAL_DATA``, else
``../shared/data`` beside the checkout (``mnist.npz``).
"""

import argparse
import functools
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner
from skal.strategies import bald
from skal.torch import MAEClassifier, MaskedAutoencoder

ROOT = Path(__file__).resolve().parents[2]


def mae_arguments(parser, out):
    """Add the options shared with ``bench_mae_semi_supervised.py``."""
    parser.add_argument("--data-dir", default=os.environ.get("SKAL_DATA"))
    parser.add_argument("--out", default=out)
    parser.add_argument("--quick", action="store_true", help="subset, < 1 minute")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--patch-size", type=int, default=7)
    parser.add_argument("--embed-dim", type=int, default=64)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--pooling", default="tokens", help="features for AL")
    parser.add_argument("--load-model", help="skip pretraining: MaskedAutoencoder.load")
    parser.add_argument("--save-model", help="save the pretrained autoencoder here")
    return parser


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mae_arguments(parser, "bench-out/mae")
    parser.add_argument(
        "--no-finetune", action="store_true", help="skip the MAEClassifier runs"
    )
    parser.add_argument("--runs", help="only the AL runs whose name contains this")
    parser.add_argument(
        "--skip-probe", action="store_true", help="skip the linear-probe table"
    )
    parser.add_argument(
        "--figure-only", action="store_true", help="with --load-model: only the figure"
    )
    parser.add_argument(
        "--figure",
        default=None,
        help="where the reconstruction picture goes (default: the docs' picture; "
        "with --quick, the --out folder)",
    )
    return parser.parse_args()


def load_mnist(data_dir):
    path = Path(data_dir or ROOT.parent / "shared" / "data") / "mnist.npz"
    with np.load(path) as data:
        return (data["X_train"], data["y_train"], data["X_test"], data["y_test"])


def pretrain(args, X_train, epochs):
    """The pretrained autoencoder: ``--load-model``, else fit on ``X_train``."""
    if args.load_model:
        return MaskedAutoencoder.load(args.load_model)
    mae = MaskedAutoencoder(
        patch_size=args.patch_size,
        embed_dim=args.embed_dim,
        depth=args.depth,
        num_heads=4,
        decoder_embed_dim=32,
        decoder_depth=1,
        max_epochs=epochs,
        batch_size=256,
        lr=2e-3,
        pooling=args.pooling,
        verbose=1,
        random_state=0,
    )
    mae.fit(X_train)
    if args.save_model:
        mae.save(args.save_model)
    return mae


def probe(F_train, y_train, F_test, y_test, n_labels, seeds):
    accs = []
    for seed in seeds:
        idx = np.random.RandomState(seed).choice(len(F_train), n_labels, replace=False)
        clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, C=0.1))
        accs.append(clf.fit(F_train[idx], y_train[idx]).score(F_test, y_test))
    return float(np.mean(accs)), float(np.std(accs))


def typical_points(features, n, random_state=0, k=20):
    """TypiClust-style cold start: the most typical point of each k-means cluster.

    Typicality is the inverse mean distance to the ``k`` nearest neighbours
    inside the cluster (Hacohen et al. 2022). The lead swaps in
    ``skal.strategies.TypiClust`` once merged.
    """
    km = KMeans(n, n_init=3, random_state=random_state).fit(features)
    picks = []
    for c in range(n):
        members = np.flatnonzero(km.labels_ == c)
        kk = min(k, len(members) - 1)
        if kk == 0:
            picks.append(members[0])
            continue
        nn = NearestNeighbors(n_neighbors=kk + 1).fit(features[members])
        dist, _ = nn.kneighbors(features[members])  # chunked, O(n k) memory
        picks.append(members[np.argmin(dist[:, 1:].mean(axis=1))])
    return np.asarray(picks)


def run_al(F_pool, y_pool, F_test, y_test, steps, strategy, init_idx):
    """Labels -> test accuracy of one run (features computed once, beforehand)."""
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500, C=0.1))
    y_known = np.full(len(y_pool), -1)
    y_known[init_idx] = y_pool[init_idx]
    learner = ActiveLearner(pipe, query_strategy=strategy, random_state=0)
    learner.fit(F_pool, y_known)
    curve = [(len(init_idx), learner.score(F_test, y_test))]
    for target in steps[1:]:
        n_new = target - int(learner.labeled_mask_.sum())
        idx = learner.query(batch_size=n_new)
        learner.teach(F_pool[idx], y_pool[idx])
        curve.append((target, learner.score(F_test, y_test)))
    return curve


def fine_tune(mae, X, y, max_epochs=50, freeze_encoder=False):
    clf = MAEClassifier(
        mae,
        freeze_encoder=freeze_encoder,
        max_epochs=max_epochs,
        batch_size=32,
        lr=3e-3 if freeze_encoder else 1e-3,
        n_mc_samples=10,
        random_state=0,
    )
    return clf.fit(X, y)


def run_bald(
    mae, X_pool, y_pool, X_test, y_test, steps, init_idx, candidates, freeze=False
):
    """MAEClassifier (fine-tuned or frozen), BALD on a random subset each round."""
    rng = np.random.RandomState(0)
    idx, curve, clf = np.asarray(init_idx), [], None
    for target in steps:
        if len(idx) < target:
            rest = np.setdiff1d(np.arange(len(y_pool)), idx)
            cand = rng.choice(rest, min(candidates, len(rest)), replace=False)
            scores = bald(clf.predict_proba_samples(X_pool[cand]))
            idx = np.concatenate([idx, cand[np.argsort(-scores)[: target - len(idx)]]])
        clf = fine_tune(mae, X_pool[idx], y_pool[idx], freeze_encoder=freeze)
        curve.append((len(idx), float(clf.score(X_test, y_test))))
    return curve


def labels_to_reach(curve, level):
    hit = [n for n, acc in curve if acc >= level]
    return hit[0] if hit else None


def save_figure(mae, X, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rec, hidden = mae.reconstruct(X, random_state=0, return_mask=True)
    masked = np.ma.masked_where(hidden, X)
    pasted = np.where(hidden, rec, X)
    rows = [
        ("original", X),
        ("masked input", masked),
        ("reconstruction", rec),
        ("visible + predicted", pasted),
    ]
    fig, axes = plt.subplots(len(rows), len(X), figsize=(len(X) * 1.1, 4.8))
    cmap = plt.get_cmap("gray_r").copy()
    cmap.set_bad("#9ecae1")  # hidden patches in blue
    for r, (name, imgs) in enumerate(rows):
        for c, img in enumerate(imgs):
            ax = axes[r, c]
            ax.imshow(img, cmap=cmap, vmin=0, vmax=255)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r, 0].set_ylabel(name, fontsize=8)
    fig.suptitle(f"MAE on MNIST: {int(mae.mask_ratio * 100)}% of patches hidden")
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main():
    args = parse_args()
    warnings.filterwarnings("ignore", message="teach added new classes")
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    X_train, y_train, X_test, y_test = load_mnist(args.data_dir)
    if args.quick:
        X_train, y_train = X_train[:3000], y_train[:3000]
        X_test, y_test = X_test[:1000], y_test[:1000]
    epochs = args.epochs or (2 if args.quick else 10)
    results = {"quick": args.quick, "threads": args.threads, "n_pretrain": len(X_train)}

    # 1. pretraining (self-supervised, all training images)
    mae = pretrain(args, X_train, epochs)
    if args.figure is None:
        docs = ROOT / "docs" / "_static" / "mae_reconstructions.png"
        args.figure = str(out / docs.name if args.quick else docs)
    if args.figure_only:
        save_figure(mae, X_test[:10].astype(np.float32), args.figure)
        return
    results["pretrain"] = {
        "params": {k: v for k, v in mae.get_params().items() if k != "random_state"},
        "seconds": round(mae.fit_time_, 1),
        "epochs": mae.n_epochs_,
        "loss_curve": [round(v, 4) for v in mae.loss_curve_],
    }
    print(f"pretraining: {mae.fit_time_:.0f}s for {mae.n_epochs_} epochs")
    save_figure(mae, X_test[:10].astype(np.float32), args.figure)
    print(f"figure: {args.figure}")

    # 2. linear probe at 1,000 labels
    tic = time.perf_counter()
    feats = {
        "raw pixels": (
            X_train.reshape(len(X_train), -1) / 255.0,
            X_test.reshape(len(X_test), -1) / 255.0,
        ),
    }
    pca = PCA(50, random_state=0).fit(feats["raw pixels"][0])
    feats["PCA (50)"] = tuple(pca.transform(f) for f in feats["raw pixels"])
    tokens = [mae.encode(X, pooling="tokens") for X in (X_train, X_test)]
    d = mae.embed_dim
    feats["MAE mean"] = tuple(t.reshape(len(t), -1, d).mean(axis=1) for t in tokens)
    feats["MAE tokens"] = tuple(tokens)
    results["transform_seconds"] = round(time.perf_counter() - tic, 1)
    n_labels = 1000
    seeds = [0] if args.quick else [0, 1, 2]
    results["probe"] = {}
    print(f"\nLinear probe, {n_labels} labels, test accuracy ({len(seeds)} draws)")
    for name, (F_tr, F_te) in feats.items() if not args.skip_probe else ():
        mean, std = probe(F_tr, y_train, F_te, y_test, n_labels, seeds)
        results["probe"][name] = {"accuracy": mean, "std": std, "dim": F_tr.shape[1]}
        print(f"  {name:12s} dim {F_tr.shape[1]:5d}  {mean:.4f} +- {std:.4f}")

    if not args.no_finetune and not args.skip_probe:
        tic = time.perf_counter()
        idx = np.random.RandomState(0).choice(len(X_train), n_labels, replace=False)
        clf = fine_tune(mae, X_train[idx], y_train[idx], 5 if args.quick else 50)
        acc = float(clf.score(X_test, y_test))
        results["probe"]["MAE fine-tuned"] = {
            "accuracy": acc,
            "std": None,
            "seconds": time.perf_counter() - tic,
        }
        print(f"  {'MAE fine-tuned (MAEClassifier, 1 draw)':12s}  {acc:.4f}")

    # 3. active learning on a pool
    n_pool = 1000 if args.quick else 10000
    pool = np.random.RandomState(0).choice(len(X_train), n_pool, replace=False)
    y_pool = y_train[pool]
    budget = 30 if args.quick else 300
    steps = list(range(10, budget + 1, 10))
    mae_pool, mae_test = (
        feats[f"MAE {args.pooling}"][0][pool],
        feats[f"MAE {args.pooling}"][1],
    )
    raw_pool, raw_test = feats["raw pixels"][0][pool], feats["raw pixels"][1]
    cold = typical_points(mae_pool, steps[0])
    rand0 = np.random.RandomState(0).choice(n_pool, steps[0], replace=False)
    runs = {
        "MAE + typical start + margin": (mae_pool, mae_test, "margin", cold),
        "MAE + random start + margin": (mae_pool, mae_test, "margin", rand0),
        "MAE + random sampling": (mae_pool, mae_test, "random", rand0),
        "raw pixels + random start + margin": (raw_pool, raw_test, "margin", rand0),
        "raw pixels + random sampling": (raw_pool, raw_test, "random", rand0),
    }
    runs = {
        name: functools.partial(run_al, F_pool, y_pool, F_test, y_test, steps, q, i)
        for name, (F_pool, F_test, q, i) in runs.items()
    }
    if not args.no_finetune:
        bald_steps = [n for n in steps if n <= (30 if args.quick else 200)]
        runs["MAE fine-tuned + typical start + BALD"] = functools.partial(
            run_bald,
            mae,
            X_train[pool],
            y_pool,
            X_test,
            y_test,
            bald_steps,
            cold,
            candidates=500 if args.quick else 2000,
        )
        runs["MAE frozen + dropout head + typical start + BALD"] = functools.partial(
            runs["MAE fine-tuned + typical start + BALD"], freeze=True
        )
    if args.runs:
        runs = {k: v for k, v in runs.items() if args.runs in k}
    results["active_learning"] = {"pool": n_pool, "curves": {}}
    print(f"\nActive learning, pool {n_pool}, test {len(y_test)}, batch 10")
    print(
        f"  {'method':36s} {'acc@30':>7s} {'acc@60':>7s} {'to 90%':>7s} {'to 95%':>7s}"
    )
    for name, run in runs.items():
        tic = time.perf_counter()
        curve = run()
        acc = dict(curve)
        n90, n95 = labels_to_reach(curve, 0.90), labels_to_reach(curve, 0.95)
        results["active_learning"]["curves"][name] = {
            "curve": curve,
            "labels_to_90": n90,
            "labels_to_95": n95,
            "seconds": round(time.perf_counter() - tic, 1),
        }
        print(
            f"  {name:36s} {acc.get(30, float('nan')):7.3f} "
            f"{acc.get(60, float('nan')):7.3f} {str(n90):>7s} {str(n95):>7s}"
        )
    with open(out / "bench_mae.json", "w") as fh:
        json.dump(results, fh, indent=1, default=float)
    print(f"\nwrote {out / 'bench_mae.json'}")


if __name__ == "__main__":
    main()
