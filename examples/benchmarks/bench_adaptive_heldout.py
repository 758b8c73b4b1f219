"""Adaptive on data it was not tuned on: against margin and random, paired.

:class:`~skal.strategies.Adaptive`'s goals were measured on the sets of Zhan
et al. (``bench_zhan2021.py``). This script asks the same questions on four
other sets, with a short budget instead of the whole pool: scikit-learn's
breast cancer (wdbc) and digits, and ``spambase`` and ``magic`` from
``--data-dir`` (default ``$SKAL_DATA``, else ``../shared/data``; skipped with
a note when missing).

Protocol: :func:`skal.compare` (paired repeats: the same split, test quarter,
initial labels and seed for every strategy), ``StandardScaler`` then
``LogisticRegression(max_iter=1000)``, 20 initial labels, batches of 10 to
200 labels, 20 repeats. Rows: ``random``, ``margin``, ``auto``
(``Adaptive()``, the default), ``stable`` (``Adaptive(stable_labels=20)``)
and ``explore_0.1`` (``Adaptive(explore=0.1, explore_bounds=(0.025, 0.5))``).
Per set and strategy: the mean area under the learning curve (AULC), the
paired difference with random (paired t p) and with margin, and the
non-inferiority p-value against margin at 0.005
(:func:`skal.loop._stats.non_inferiority_p`: a small p shows the strategy
at most 0.005 below margin).

Run::

    PYTHONPATH=. python examples/benchmarks/bench_adaptive_heldout.py --out bench-out
    PYTHONPATH=. python examples/benchmarks/bench_adaptive_heldout.py --quick --out q
"""

import argparse
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import stats
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skal import ActiveLearner, compare
from skal.loop._stats import non_inferiority_p
from skal.strategies import Adaptive

REPO = Path(__file__).resolve().parents[2]
MATCH_MARGIN = 0.005


def strategies():
    """The rows, by name (fresh objects: each learner gets its own)."""
    return {
        "random": "random",
        "margin": "margin",
        "auto": Adaptive(),
        "stable": Adaptive(stable_labels=20),
        "explore_0.1": Adaptive(explore=0.1, explore_bounds=(0.025, 0.5)),
    }


def load_sets(names, data_dir):
    """``{name: (X, y)}``; the files that are missing are skipped with a note."""
    bundled = {"wdbc": load_breast_cancer, "digits": load_digits}
    out = {}
    for name in names:
        if name in bundled:
            out[name] = bundled[name](return_X_y=True)
            continue
        path = Path(data_dir) / f"{name}.npz"
        if not path.is_file():
            print(f"note: {path} not found, {name} skipped (set --data-dir)")
            continue
        with np.load(path) as data:
            out[name] = (data["X"], data["y"])
    return out


def run_set(X, y, args):
    """Per-repeat AULC of every strategy on one set (paired repeats)."""
    learners = {
        name: ActiveLearner(
            make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)),
            query_strategy=strategy,
        )
        for name, strategy in strategies().items()
    }
    result = compare(
        learners,
        X,
        y,
        budget=args.budget,
        batch_size=args.batch_size,
        n_initial=args.n_initial,
        n_repeats=args.repeats,
        random_state=0,
        progress=False,
    )
    return {
        name: np.asarray(curve.aulc(per_repeat=True)).tolist()
        for name, curve in result.items()
    }


def summarise(aulc):
    """Per strategy: mean AULC, paired differences and their p-values."""
    rand, margin = np.asarray(aulc["random"]), np.asarray(aulc["margin"])
    rows = {}
    for name, values in aulc.items():
        values = np.asarray(values)
        row = {"mean": float(values.mean())}
        for base, ref in (("random", rand), ("margin", margin)):
            if name == base:
                continue
            diff = values - ref
            row[f"vs_{base}"] = float(diff.mean())
            row[f"vs_{base}_p"] = (
                float(stats.ttest_rel(values, ref).pvalue) if np.ptp(diff) > 0 else None
            )
        if name != "margin":
            row["non_inferiority_p"] = non_inferiority_p(values, margin, MATCH_MARGIN)
        rows[name] = row
    return rows


def _p(value):
    if value is None:
        return "-"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def format_table(summary):
    lines = [
        f"{'set':9} {'strategy':12} {'AULC':>6} {'vs random':>9} {'p':>6} "
        f"{'vs margin':>9} {'NI p':>6}"
    ]
    for set_name, rows in summary.items():
        for name, row in rows.items():
            vr, vm = row.get("vs_random"), row.get("vs_margin")
            lines.append(
                f"{set_name:9} {name:12} {row['mean']:6.4f} "
                f"{'' if vr is None else format(vr, '+.4f'):>9} "
                f"{_p(row.get('vs_random_p')) if vr is not None else '':>6} "
                f"{'' if vm is None else format(vm, '+.4f'):>9} "
                f"{_p(row.get('non_inferiority_p')) if vm is not None else '':>6}"
            )
    lines.append(
        f"NI p: non-inferiority to margin at {MATCH_MARGIN} (one-sided "
        "paired t); p < 0.05 shows at most 0.005 below margin"
    )
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="wdbc and digits, 2 repeats, to 60 labels"
    )
    parser.add_argument("--out", default=None, help="directory for the JSON")
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("SKAL_DATA", str(REPO.parent / "shared" / "data")),
    )
    parser.add_argument(
        "--sets", nargs="+", default=["wdbc", "digits", "spambase", "magic"]
    )
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--n-initial", type=int, default=20)
    args = parser.parse_args(argv)
    if args.quick:
        args.sets, args.repeats, args.budget = ["wdbc", "digits"], 2, 60
    return args


def main(argv=None):
    args = parse_args(argv)
    start = time.perf_counter()
    aulc = {}
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, (X, y) in load_sets(args.sets, args.data_dir).items():
            aulc[name] = run_set(X, y, args)
            print(f"{name}: done ({time.perf_counter() - start:.0f} s)", flush=True)
    summary = {name: summarise(values) for name, values in aulc.items()}
    print(format_table(summary))
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        payload = {
            "args": vars(args),
            "summary": summary,
            "aulc": aulc,
            "seconds": time.perf_counter() - start,
        }
        (out / "bench_adaptive_heldout.json").write_text(json.dumps(payload, indent=1))
    return summary


if __name__ == "__main__":
    main()
