"""Benchmark: MAE features, TypiClust and label spreading on MNIST (few labels).

The fusion loop of ``bench_mae.py`` with the unlabeled pool put to work:

1. A :class:`skal.torch.MaskedAutoencoder` is pretrained on the 60,000
   training images without labels (or loaded with ``--load-model``).
2. Each image gets a graph feature: its MAE tokens (standardised, whitened
   PCA to 64 dimensions, unit length) beside a 50-component PCA of its pixels
   (unit length). Every transform is fitted on the unlabeled training images.
3. ``ActiveLearner(LabelSpreading(kernel="knn"), semi_supervised=True)``:
   label spreading (Zhou et al. 2004) learns from the labeled images and from
   the whole unlabeled pool through a 10-nearest-neighbour graph.
4. The labels are chosen by TypiClust (Hacohen et al. 2022) every round, or
   TypiClust for the first 30 then margin sampling, or at random.

Ablations in the same run: the graph on MAE features alone and on pixels
alone, and a supervised logistic regression on the same features with the
same TypiClust choices. Pool: 10,000 training images (three random draws),
test: the 10,000 test images, batch 10. The table gives the test accuracy at
30 and 60 labels and the labels needed to reach 90% and 95% (median of the
draws).

Run from the repository root::

    PYTHONPATH=. python examples/benchmarks/bench_mae_semi_supervised.py \\
        --load-model bench-out/mae/mae.pt --out bench-out/mae-semi
    PYTHONPATH=. python examples/benchmarks/bench_mae_semi_supervised.py --quick
"""

import argparse
import json
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from bench_mae import labels_to_reach as labels_to
from bench_mae import load_mnist, mae_arguments, pretrain
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler, normalize
from sklearn.semi_supervised import LabelSpreading
from threadpoolctl import threadpool_limits

from skal import ActiveLearner
from skal.strategies import QueryContext, TypiClust


class KnnSpreading(LabelSpreading):
    """Label spreading whose unreached rows get uniform probabilities.

    scikit-learn returns NaN probabilities for rows that the directed
    neighbour graph does not connect to any label (0 / 0): with ten labels
    in a pool of 10,000 there are some. They carry no information, so they
    are given the uniform distribution, which margin sampling then treats
    as most uncertain.
    """

    def predict_proba(self, X):
        proba = super().predict_proba(X)
        unreached = ~np.isfinite(proba).all(axis=1)
        proba[unreached] = 1.0 / proba.shape[1]
        return proba


def spreading():
    return KnnSpreading(kernel="knn", n_neighbors=10, alpha=0.2, max_iter=300)


def graph_features(mae, X_train, X_test, quick):
    """Return ``{name: (train, test)}``: MAE, pixels and both side by side."""
    tokens = [mae.encode(X, pooling="tokens") for X in (X_train, X_test)]
    scaler = StandardScaler().fit(tokens[0])
    tokens = [scaler.transform(t) for t in tokens]
    dim = 16 if quick else 64
    whiten = PCA(dim, whiten=True, random_state=0).fit(tokens[0])
    m = [normalize(whiten.transform(t)) for t in tokens]
    pixels = [X.reshape(len(X), -1) / 255.0 for X in (X_train, X_test)]
    pca = PCA(16 if quick else 50, random_state=0).fit(pixels[0])
    p = [normalize(pca.transform(x)) for x in pixels]
    both = [np.hstack([a, b]) for a, b in zip(m, p)]
    return {"MAE": tuple(m), "pixels": tuple(p), "MAE + pixels": tuple(both)}


RUNS = {
    # name: (graph features, estimator, first labels, strategy after them)
    "MAE + pixels graph, TypiClust": ("MAE + pixels", "spread", "typiclust", None),
    "MAE + pixels graph, TypiClust 30 then margin": (
        "MAE + pixels",
        "spread",
        "typiclust",
        "margin",
    ),
    "MAE + pixels graph, random": ("MAE + pixels", "spread", "random", None),
    "MAE graph, TypiClust": ("MAE", "spread", "typiclust", None),
    "pixels graph, TypiClust": ("pixels", "spread", "typiclust", None),
    "MAE + pixels, logistic regression, TypiClust": (
        "MAE + pixels",
        "logistic",
        "typiclust",
        None,
    ),
}


def run(F_pool, y_pool, F_test, y_test, estimator, first, then, budget, seed):
    """Labels -> test accuracy of one run: 10 first labels, then batches of 10."""
    if estimator == "spread":
        model, semi = spreading(), True
    else:
        model, semi = LogisticRegression(C=10.0, max_iter=1000), False
    if first == "typiclust":
        first = TypiClust()
        idx, _ = first.select(QueryContext(F_pool, random_state=seed), 10)
    else:
        idx = np.random.RandomState(seed).choice(len(y_pool), 10, replace=False)
    y_known = np.full(len(y_pool), -1)
    y_known[idx] = y_pool[idx]
    learner = ActiveLearner(
        model,
        query_strategy=first,
        batch_size=10,
        semi_supervised=semi,
        random_state=seed,
    ).fit(F_pool, y_known)
    curve = []
    while True:
        n = int(learner.labeled_mask_.sum())
        curve.append((n, float(learner.score(F_test, y_test))))
        if n >= budget:
            return curve
        if then is not None and n == 30:
            learner.set_params(query_strategy=then)  # takes effect at this query
        q = learner.query()
        learner.teach(F_pool[q], y_pool[q])


def median_labels(values):
    m = np.median([np.inf if v is None else v for v in values])
    return None if not np.isfinite(m) else int(m)


def main():
    parser = mae_arguments(
        argparse.ArgumentParser(description=__doc__.split("\n")[0]),
        "bench-out/mae-semi",
    )
    parser.add_argument("--budget", type=int, default=150)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--runs", help="only the runs whose name contains this")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", message="teach added new classes")
    torch.set_num_threads(args.threads)
    threadpool_limits(args.threads)
    X_train, y_train, X_test, y_test = load_mnist(args.data_dir)
    n_pool = 10000
    if args.quick:
        X_train, y_train = X_train[:3000], y_train[:3000]
        X_test, y_test = X_test[:1000], y_test[:1000]
        args.seeds, args.budget, n_pool = args.seeds[:1], 40, 1000
    mae = pretrain(args, X_train, args.epochs or (1 if args.quick else 10))
    tic = time.perf_counter()
    feats = graph_features(mae, X_train, X_test, args.quick)
    results = {
        "quick": args.quick,
        "pool": n_pool,
        "n_test": len(y_test),
        "seeds": args.seeds,
        "budget": args.budget,
        "feature_seconds": round(time.perf_counter() - tic, 1),
        "runs": {},
    }
    runs = {k: v for k, v in RUNS.items() if not args.runs or args.runs in k}
    print(f"pool {n_pool}, test {len(y_test)}, batch 10, seeds {args.seeds}")
    print(f"  {'run':46s} {'acc@30':>7s} {'acc@60':>7s} {'to 90%':>7s} {'to 95%':>7s}")
    for name, (space, estimator, first, then) in runs.items():
        tic = time.perf_counter()
        F_train, F_test = feats[space]
        curves = []
        for seed in args.seeds:
            pool = np.random.RandomState(seed).choice(
                len(y_train), n_pool, replace=False
            )
            curves.append(
                run(
                    F_train[pool],
                    y_train[pool],
                    F_test,
                    y_test,
                    estimator,
                    first,
                    then,
                    args.budget,
                    seed,
                )
            )
        acc = {n: float(np.median([dict(c)[n] for c in curves])) for n, _ in curves[0]}
        n90 = median_labels([labels_to(c, 0.90) for c in curves])
        n95 = median_labels([labels_to(c, 0.95) for c in curves])
        results["runs"][name] = {
            "curves": curves,
            "median_accuracy": acc,
            "labels_to_90": n90,
            "labels_to_95": n95,
            "per_seed_labels_to_90": [labels_to(c, 0.90) for c in curves],
            "seconds": round(time.perf_counter() - tic, 1),
        }
        print(
            f"  {name:46s} {acc.get(30, float('nan')):7.3f} "
            f"{acc.get(60, float('nan')):7.3f} {str(n90):>7s} {str(n95):>7s}",
            flush=True,
        )
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "bench_mae_semi_supervised.json", "w") as fh:
        json.dump(results, fh, indent=1)
    print(f"\nwrote {out / 'bench_mae_semi_supervised.json'}")


if __name__ == "__main__":
    main()
