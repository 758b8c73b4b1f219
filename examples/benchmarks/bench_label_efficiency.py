"""Label efficiency: skal's strategies against random and scikit-activeml.

For every dataset and seed, the data are split (stratified, 30 % test), the
features standardised on the pool, and one random initial set of
``--n-initial`` labels is drawn. Every strategy starts from that same set and
labels ``--batch-size`` samples a round until ``--budget`` labels are used,
refitting a ``LogisticRegression`` after each round and scoring it on the
test split. Reported, as mean (and standard deviation) over seeds:

- **AULC**: the area under the learning curve (test accuracy against labels
  used, from ``n_initial`` to ``budget``), divided by its width, so that it
  is the average accuracy along the run (1.0 is perfect);
- **final**: the test accuracy at the budget;
- **to target**: the labels the mean curve needs to reach ``--target`` times
  the accuracy of the same model trained on the whole labeled pool
  (``>budget`` if it never does).

Rows: ``random``, skal's ``entropy``, ``margin`` and ``least_confidence``
(``skal:...``), and scikit-activeml's ``UncertaintySampling`` with the same
measure (``skactiveml:...``). The loops use only skal's public API
(``ActiveLearner.fit``, ``query`` and ``teach``).

Datasets: ``digits``, ``breast_cancer`` and ``wine`` ship with scikit-learn;
``magic``, ``spambase`` and ``mnist`` are read from ``--data-dir`` (default:
``$SKAL_DATA``, else ``../shared/data`` beside the repository) and skipped
with a note when missing. MNIST is flattened, divided by 255, and its pool
subsampled to ``--mnist-pool`` images for speed.

Run::

    PYTHONPATH=. python examples/benchmarks/bench_label_efficiency.py --out bench-out
    PYTHONPATH=. python examples/benchmarks/bench_label_efficiency.py --quick --out q
"""

import argparse
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skal import ActiveLearner

try:  # the peer is optional: the `bench` extra installs it
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import UncertaintySampling as SkUncertaintySampling
except ImportError:  # pragma: no cover - depends on the environment
    SklearnClassifier = None

REPO = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------- datasets
class Missing(Exception):
    """A dataset file is not there; the dataset is skipped with a note."""


def _npz(args, name):
    path = Path(args.data_dir) / f"{name}.npz"
    if not path.is_file():
        raise Missing(f"{path} not found (set --data-dir or SKAL_DATA)")
    return np.load(path)


def _bundled(loader):
    def load(args, seed):
        X, y = loader(return_X_y=True)
        return _split(X, y, seed)

    return load


def _drop_row_id(X):
    """Drop a first column that only numbers the rows 1..n.

    OpenML's MagicTelescope keeps the source file's row ID as a feature; the
    file lists gammas before hadrons, so the ID alone predicts the class
    (correlation 0.83) and would make every strategy look perfect.
    """
    if X.shape[1] > 1 and np.array_equal(np.sort(X[:, 0]), np.arange(1, len(X) + 1)):
        return X[:, 1:]
    return X


def _from_npz(name):
    def load(args, seed):
        data = _npz(args, name)
        X = _drop_row_id(data["X"].astype(np.float64))
        return _split(X, data["y"], seed)

    return load


def _split(X, y, seed, test_size=0.3):
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    scaler = StandardScaler().fit(X_pool)  # unsupervised: the pool is known
    return scaler.transform(X_pool), y_pool, scaler.transform(X_test), y_test


def _mnist(args, seed):
    data = _npz(args, "mnist")
    rng = np.random.default_rng(seed)
    pool = rng.choice(len(data["y_train"]), args.mnist_pool, replace=False)
    test = rng.choice(len(data["y_test"]), args.mnist_test, replace=False)

    def flat(images):
        return images.reshape(len(images), -1).astype(np.float64) / 255.0

    X_train, X_test = data["X_train"], data["X_test"]
    return (
        flat(X_train[pool]),
        data["y_train"][pool],
        flat(X_test[test]),
        data["y_test"][test],
    )


DATASETS = {
    "digits": _bundled(load_digits),
    "breast_cancer": _bundled(load_breast_cancer),
    "wine": _bundled(load_wine),
    "magic": _from_npz("magic"),
    "spambase": _from_npz("spambase"),
    "mnist": _mnist,
}


def _model(seed):
    return LogisticRegression(max_iter=1000, random_state=seed)


# ---------------------------------------------------------------- runners
def skal_runner(strategy):
    """Return a loop over skal's public API with ``query_strategy=strategy``."""

    def run(X, y, X_test, y_test, initial, args, seed):
        y_partial = np.full(len(y), -1, dtype=np.int64)
        y_partial[initial] = y[initial]
        learner = ActiveLearner(
            _model(seed),
            query_strategy=strategy,
            batch_size=args.batch_size,
            random_state=seed,
        ).fit(X, y_partial)
        curve = [learner.score(X_test, y_test)]
        while learner.labeled_mask_.sum() < args.budget:
            left = args.budget - int(learner.labeled_mask_.sum())
            idx = learner.query(batch_size=min(args.batch_size, left))
            learner.teach(X[idx], y[idx], pool_indices=idx)
            curve.append(learner.score(X_test, y_test))
        return curve

    return run


def skactiveml_runner(method):
    """Return the same loop written with scikit-activeml."""

    def run(X, y, X_test, y_test, initial, args, seed):
        y_partial = np.full(len(y), np.nan)
        y_partial[initial] = y[initial]
        clf = SklearnClassifier(_model(seed), classes=np.unique(y), random_state=seed)
        qs = SkUncertaintySampling(method=method, random_state=seed)
        clf.fit(X, y_partial)
        curve = [clf.score(X_test, y_test)]
        while np.sum(~np.isnan(y_partial)) < args.budget:
            left = args.budget - int(np.sum(~np.isnan(y_partial)))
            idx = qs.query(
                X,
                y_partial,
                clf=clf,
                fit_clf=False,
                batch_size=min(args.batch_size, left),
            )
            y_partial[idx] = y[idx]
            clf.fit(X, y_partial)
            curve.append(clf.score(X_test, y_test))
        return curve

    return run


#: (row name, runner); scikit-activeml rows only when it is installed.
STRATEGIES = [("random", skal_runner("random"))]
for _name, _method in [
    ("entropy", "entropy"),
    ("margin", "margin_sampling"),
    ("least_confidence", "least_confident"),
]:
    STRATEGIES.append((f"skal:{_name}", skal_runner(_name)))
    if SklearnClassifier is not None:
        STRATEGIES.append((f"skactiveml:{_name}", skactiveml_runner(_method)))


# ---------------------------------------------------------------- metrics
def labels_axis(n_initial, budget, batch_size):
    steps = np.arange(n_initial, budget, batch_size)
    return np.append(steps, budget)


def aulc(labels, curve):
    """Average accuracy along the run: trapezoid area over its width."""
    curve = np.asarray(curve, dtype=float)
    area = np.sum((curve[1:] + curve[:-1]) / 2 * np.diff(labels))
    return float(area / (labels[-1] - labels[0]))


def labels_to(labels, curve, target):
    reached = np.flatnonzero(np.asarray(curve) >= target)
    return int(labels[reached[0]]) if reached.size else None


def bench_dataset(name, args):
    curves = {row: [] for row, _ in STRATEGIES}
    full_scores = []
    for seed in range(args.seeds):
        X, y, X_test, y_test = DATASETS[name](args, seed)
        # A small pool (wine: 124 rows) caps the budget at its size.
        budget = min(args.budget, len(y))
        run_args = argparse.Namespace(**{**vars(args), "budget": budget})
        labels = labels_axis(args.n_initial, budget, args.batch_size)
        full_scores.append(_model(seed).fit(X, y).score(X_test, y_test))
        initial = np.random.default_rng(seed).choice(
            len(y), args.n_initial, replace=False
        )
        for row, run in STRATEGIES:
            curves[row].append(run(X, y, X_test, y_test, initial, run_args, seed))
    full = float(np.mean(full_scores))
    target = args.target * full
    results = []
    for row, _ in STRATEGIES:
        c = np.asarray(curves[row], dtype=float)
        areas = [aulc(labels, s) for s in c]
        mean = c.mean(axis=0)
        results.append(
            {
                "dataset": name,
                "strategy": row,
                "aulc": float(np.mean(areas)),
                "aulc_std": float(np.std(areas)),
                "final": float(mean[-1]),
                "final_std": float(c[:, -1].std()),
                "labels_to_target": labels_to(labels, mean, target),
                "target": target,
                "full_pool_score": full,
                "n_pool": int(len(y)),
                "budget": int(labels[-1]),
                "labels": labels.tolist(),
                "mean_curve": mean.tolist(),
                "std_curve": c.std(axis=0).tolist(),
            }
        )
    return results


# ----------------------------------------------------------------- report
def format_table(rows):
    head = (
        f"{'dataset':<14}{'strategy':<29}{'AULC':>14}{'final':>14}"
        f"{'to target':>11}{'target':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        to = r["labels_to_target"]
        lines.append(
            f"{r['dataset']:<14}{r['strategy']:<29}"
            f"{r['aulc']:>8.3f} ±{r['aulc_std']:.3f}"
            f"{r['final']:>8.3f} ±{r['final_std']:.3f}"
            f"{(str(to) if to is not None else '>' + str(r['budget'])):>11}"
            f"{r['target']:>8.3f}"
        )
    return "\n".join(lines)


def plot(rows, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r["dataset"] for r in rows))
    ncols = min(3, len(names))
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.2 * ncols, 3.2 * nrows), squeeze=False
    )
    colors = {"entropy": "C0", "margin": "C1", "least_confidence": "C2"}
    for ax, name in zip(axes.flat, names):
        for r in (r for r in rows if r["dataset"] == name):
            lib, _, measure = r["strategy"].rpartition(":")
            x, m, s = (np.asarray(r[k]) for k in ("labels", "mean_curve", "std_curve"))
            style = {
                "color": colors.get(measure, "k"),
                "ls": "--" if lib == "skactiveml" else "-",
                "lw": 1.2 if lib == "skactiveml" else 1.8,
            }
            ax.plot(x, m, label=r["strategy"], **style)
            if lib != "skactiveml":
                ax.fill_between(x, m - s, m + s, color=style["color"], alpha=0.12)
        ax.axhline(r["target"], color="grey", lw=0.8, ls=":")
        ax.set_title(f"{name} (pool {r['n_pool']})")
        ax.set_xlabel("labels used")
        ax.set_ylabel("test accuracy")
    for ax in list(axes.flat)[len(names) :]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    p.add_argument("--data-dir", default=os.environ.get("SKAL_DATA"))
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--n-initial", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=10)
    p.add_argument("--budget", type=int, default=200)
    p.add_argument(
        "--target", type=float, default=0.95, help="fraction of the full-pool score"
    )
    p.add_argument("--mnist-pool", type=int, default=5000)
    p.add_argument("--mnist-test", type=int, default=2000)
    p.add_argument("--threads", type=int, default=1, help="BLAS threads")
    p.add_argument("--no-plot", dest="plot", action="store_false")
    p.add_argument("--quick", action="store_true", help="digits, 2 seeds, budget 60")
    p.add_argument("--out", default="bench-out", help="folder for JSON and PNG")
    args = p.parse_args(argv)
    if args.data_dir is None:
        args.data_dir = str(REPO.parent / "shared" / "data")
    if args.quick:
        args.datasets, args.seeds, args.budget = ["digits"], 2, 60
    if not 1 <= args.n_initial < args.budget:
        p.error("need 1 <= --n-initial < --budget")
    return args


def main(argv=None):
    args = parse_args(argv)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    # Classes first seen in a queried batch are expected in active learning.
    warnings.filterwarnings("ignore", message="teach added new classes")
    print(
        f"LogisticRegression, {args.n_initial} initial labels, "
        f"batch {args.batch_size}, "
        f"budget {args.budget}, {args.seeds} seeds; target = {args.target} x the "
        "full-pool score"
    )
    if SklearnClassifier is None:
        print("scikit-activeml is not installed: its rows are left out")
    rows, notes, start = [], {}, time.perf_counter()
    with threadpool_limits(limits=args.threads):
        for name in args.datasets:
            t0 = time.perf_counter()
            try:
                rows.extend(bench_dataset(name, args))
            except Missing as exc:
                notes[name] = f"skipped: {exc}"
                print(f"{name}: {notes[name]}")
                continue
            print(f"{name}: {time.perf_counter() - t0:.1f} s", flush=True)
    seconds = time.perf_counter() - start
    print(format_table(rows))
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "bench_label_efficiency.json")
    with open(path, "w") as f:
        json.dump(
            {
                "benchmark": "label_efficiency",
                "args": vars(args),
                "notes": notes,
                "seconds": seconds,
                "results": rows,
            },
            f,
            indent=2,
        )
    print(f"wrote {path} ({seconds:.1f} s)")
    if args.plot and rows:
        png = os.path.join(args.out, "bench_label_efficiency.png")
        plot(rows, png)
        print(f"wrote {png}")
    return rows


if __name__ == "__main__":
    main()
