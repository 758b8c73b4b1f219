"""Label efficiency of the diversity and hybrid strategies vs random sampling.

For each dataset (digits, breast cancer, wine, and spambase and magic from
the shared data folder), each strategy and each of 5 seeds: a stratified
70/30 split, 10 random initial labels, then rounds of ``batch 10`` queries
up to the budget, a ``StandardScaler + LogisticRegression`` refit after
each round, and the test accuracy after each. The area under that learning
curve (mean accuracy over the rounds, trapezoid rule) is reported per
strategy, with its difference to random sampling.

Run ``PYTHONPATH=. python examples/benchmarks/bench_label_efficiency_diversity.py
[--quick] [--out DIR] [--data DIR] [--rst FILE]``. The data folder defaults
to ``$SKAL_DATA`` or ``../shared/data`` next to the repository; datasets
whose file is missing are skipped.
"""

import argparse
import json
import os
import time
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skal import ActiveLearner
from skal.strategies import (
    BADGE,
    CoreSet,
    DensityWeighted,
    DiverseMiniBatch,
    Hybrid,
    KMeansSampling,
    RandomSampling,
    RankedBatch,
    SuggestiveAnnotation,
    TypiClust,
    UncertaintySampling,
)

STRATEGIES = {
    "random": RandomSampling(),
    "entropy": UncertaintySampling(),
    "CoreSet": CoreSet(),
    "KMeansSampling": KMeansSampling(),
    "TypiClust": TypiClust(),
    "DensityWeighted": DensityWeighted(similarity="rbf", max_candidates=3000),
    "DiverseMiniBatch": DiverseMiniBatch(),
    "RankedBatch": RankedBatch(),
    "SuggestiveAnnotation": SuggestiveAnnotation(),
    "BADGE": BADGE(),
    "Hybrid(entropy+CoreSet)": Hybrid([("u", "entropy"), ("c", CoreSet())]),
}


def load_datasets(data_dir, quick):
    sets = {
        "digits": load_digits(return_X_y=True),
        "breast_cancer": load_breast_cancer(return_X_y=True),
        "wine": load_wine(return_X_y=True),
    }
    if quick:
        return sets
    for name in ("spambase", "magic"):
        path = os.path.join(data_dir, f"{name}.npz")
        if os.path.exists(path):
            with np.load(path) as f:
                sets[name] = (f["X"].astype(float), f["y"])
        else:
            print(f"skipping {name}: {path} not found")
    return sets


def learning_curve(strategy, X, y, seed, n_initial, batch, budget):
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=seed
    )
    rng = np.random.RandomState(seed)
    y_partial = np.full_like(y_tr, -1)
    start = rng.choice(len(y_tr), n_initial, replace=False)
    y_partial[start] = y_tr[start]
    learner = ActiveLearner(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
        query_strategy=strategy,
        batch_size=batch,
        random_state=seed,
    ).fit(X_tr, y_partial)
    accuracy = [learner.score(X_te, y_te)]
    while learner.labeled_mask_.sum() < budget:
        idx = learner.query()
        learner.teach(X_tr[idx], y_tr[idx])
        accuracy.append(learner.score(X_te, y_te))
    return np.asarray(accuracy)


def aulc(curve):
    return float(np.trapezoid(curve) / (len(curve) - 1))


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 small sets, 2 seeds")
    parser.add_argument("--out", default=None, help="directory for the JSON result")
    parser.add_argument(
        "--data",
        default=os.environ.get("SKAL_DATA", os.path.join(root, "..", "shared", "data")),
    )
    parser.add_argument("--rst", default=None, help="write the table as reST here")
    parser.add_argument("--seeds", type=int, default=None)
    parser.add_argument("--budget", type=int, default=None)
    args = parser.parse_args(argv)
    seeds = args.seeds or (2 if args.quick else 5)
    budget = args.budget or (50 if args.quick else 110)
    datasets = load_datasets(args.data, args.quick)
    results = {}
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        for data_name, (X, y) in datasets.items():
            results[data_name] = {}
            for name, strategy in STRATEGIES.items():
                start = time.perf_counter()
                scores = [
                    aulc(learning_curve(strategy, X, y, seed, 10, 10, budget))
                    for seed in range(seeds)
                ]
                results[data_name][name] = {
                    "aulc_mean": float(np.mean(scores)),
                    "aulc_std": float(np.std(scores)),
                    "seconds": time.perf_counter() - start,
                }
                print(
                    f"{data_name:14s} {name:24s} AULC {np.mean(scores):.4f} "
                    f"+- {np.std(scores):.4f} ({time.perf_counter() - start:.1f} s)",
                    flush=True,
                )
    names = list(STRATEGIES)
    header = ["strategy", *results]
    lines = []
    for name in names:
        cells = [name]
        for data_name in results:
            r = results[data_name][name]
            diff = r["aulc_mean"] - results[data_name]["random"]["aulc_mean"]
            cells.append(f"{r['aulc_mean']:.3f} ({diff:+.3f})")
        lines.append(cells)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines)]
    border = "  ".join("=" * w for w in widths)
    table = [border, "  ".join(h.ljust(w) for h, w in zip(header, widths)), border]
    table += ["  ".join(c.ljust(w) for c, w in zip(cells, widths)) for cells in lines]
    table.append(border)
    print("\n" + "\n".join(table))
    if args.rst:
        with open(args.rst, "w") as fh:
            fh.write(
                "Label efficiency of diversity and hybrid strategies\n"
                "====================================================\n\n"
                "Area under the test-accuracy learning curve (mean over "
                f"{seeds} seeds; in brackets the difference to random sampling). "
                "StandardScaler + LogisticRegression, 10 random initial labels, "
                f"batches of 10 up to {budget} labels, stratified 70/30 splits. "
                "Produced by ``examples/benchmarks/"
                "bench_label_efficiency_diversity.py``.\n\n"
            )
            fh.write("\n".join(table) + "\n")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        path = os.path.join(args.out, "bench_label_efficiency_diversity.json")
        with open(path, "w") as fh:
            json.dump(
                {"seeds": seeds, "budget": budget, "results": results}, fh, indent=2
            )
        print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
