"""Benchmark AnnotatorEnsembleClassifier's fit and predict_proba beside the peer's.

One classifier per annotator, each fitted on the samples its annotator
labeled, combined by hard or soft voting. The data: ``make_classification``
with 3 classes (20,000 rows, 10 features; ``--quick``: 2,000), 5 annotators
who flip 0 to 40 % of their labels and each label about half of the rows at
random (NaN elsewhere). Three sides, the same members:

- skal: ``skal.annotators.AnnotatorEnsembleClassifier``;
- peer: scikit-activeml 1.0.1's
  ``skactiveml.classifier.multiannotator.AnnotatorEnsembleClassifier``, its
  members wrapped in ``SklearnClassifier`` as it requires;
- limit: the 5 scikit-learn models fitted in a plain loop on their rows and
  their ``predict_proba`` averaged (soft), or their ``predict`` counted
  (hard), by hand: what any ensemble of these members costs.

Each figure is the best of ``--repeats`` runs (5; ``--quick``: 2) of ``fit``
and of ``predict_proba`` on all rows, in milliseconds, the three sides taking
turns after one untimed round; "max |dP|" is the largest difference from
skal's probabilities.

Run ``PYTHONPATH=. python examples/benchmarks/bench_annotator_ensemble.py
[--quick] [--out DIR] [--repeats N]``.
"""

import argparse
import json
import os
import platform
import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB

from skal.annotators import AnnotatorEnsembleClassifier

N_ANNOTATORS = 5
MODELS = {"GaussianNB": GaussianNB(), "LogisticRegression": LogisticRegression()}
CASES = [("GaussianNB", "soft"), ("GaussianNB", "hard"), ("LogisticRegression", "soft")]


def make_data(n_rows, seed=0):
    """Samples and a (n_rows, 5) label matrix, NaN where unlabeled."""
    X, y = make_classification(
        n_rows, n_features=10, n_informative=6, n_classes=3, random_state=seed
    )
    rng = np.random.default_rng(seed)
    Y = np.tile(y[:, None], (1, N_ANNOTATORS)).astype(float)
    flip = rng.random(Y.shape) < np.linspace(0.0, 0.4, N_ANNOTATORS)
    Y[flip] = rng.integers(0, 3, flip.sum())
    Y[rng.random(Y.shape) < 0.5] = np.nan
    return X, Y


class Limit:
    """The members fitted in a loop, combined by hand."""

    def __init__(self, model, voting):
        self.model, self.voting = model, voting

    def fit(self, X, Y):
        self.members_ = []
        for j in range(Y.shape[1]):
            rows = ~np.isnan(Y[:, j])
            self.members_.append(clone(self.model).fit(X[rows], Y[rows, j]))
        return self

    def predict_proba(self, X):
        if self.voting == "soft":
            return sum(m.predict_proba(X) for m in self.members_) / len(self.members_)
        P = np.zeros((len(X), 3))
        for m in self.members_:
            P[np.arange(len(X)), m.predict(X).astype(int)] += 1
        return P / len(self.members_)


def make_side(side, model_name, voting):
    model = MODELS[model_name]
    if side == "skal":
        members = [(f"a{j}", clone(model)) for j in range(N_ANNOTATORS)]
        return AnnotatorEnsembleClassifier(members, voting=voting)
    if side == "peer":
        from skactiveml.classifier import SklearnClassifier
        from skactiveml.classifier.multiannotator import (
            AnnotatorEnsembleClassifier as PeerEnsemble,
        )

        members = [
            (f"a{j}", SklearnClassifier(clone(model))) for j in range(N_ANNOTATORS)
        ]
        return PeerEnsemble(members, voting=voting, random_state=0)
    return Limit(model, voting)


def run_case(sides, model_name, voting, X, Y, repeats):
    """Best ``fit`` and ``predict_proba`` times in ms of each side, and its P.

    The sides take turns within each repeat (after one untimed round), so a
    change of load on the machine hits them alike.
    """
    ests = {s: make_side(s, model_name, voting) for s in sides}
    times = {s: {"fit_ms": [], "predict_proba_ms": []} for s in sides}
    probas = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for r in range(repeats + 1):
            for side, est in ests.items():
                start = time.perf_counter()
                est.fit(X, Y)
                middle = time.perf_counter()
                probas[side] = est.predict_proba(X)
                end = time.perf_counter()
                if r:  # round 0 warms up
                    times[side]["fit_ms"].append((middle - start) * 1000)
                    times[side]["predict_proba_ms"].append((end - middle) * 1000)
    best = {s: {k: min(v) for k, v in t.items()} for s, t in times.items()}
    return best, probas


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 rows")
    parser.add_argument("--out", help="folder of the JSON results")
    parser.add_argument("--repeats", type=int, default=None)
    args = parser.parse_args()
    n_rows = 2_000 if args.quick else 20_000
    repeats = args.repeats or (2 if args.quick else 5)
    try:
        import skactiveml  # noqa: F401

        sides = ["skal", "peer", "limit"]
    except ImportError:
        sides = ["skal", "limit"]
    X, Y = make_data(n_rows)
    rows = []
    print(f"{n_rows} rows, {N_ANNOTATORS} annotators, best of {repeats}; times in ms")
    header = f"{'members':<20} {'voting':<6} {'side':<6} {'fit':>9} {'proba':>9}"
    print(header + f" {'max |dP|':>10}")
    print("-" * (len(header) + 11))
    for model_name, voting in CASES:
        best, probas = run_case(sides, model_name, voting, X, Y, repeats)
        for side in sides:
            timing = best[side]
            diff = float(np.abs(probas[side] - probas["skal"]).max())
            rows.append(
                {"members": model_name, "voting": voting, "side": side}
                | timing
                | {"max_abs_diff_vs_skal": diff}
            )
            print(
                f"{model_name:<20} {voting:<6} {side:<6} {timing['fit_ms']:>9.1f} "
                f"{timing['predict_proba_ms']:>9.1f} {diff:>10.1e}"
            )
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "n_rows": n_rows,
            "n_annotators": N_ANNOTATORS,
            "repeats": repeats,
            "machine": platform.platform(),
            "cpu_count": os.cpu_count(),
            "rows": rows,
        }
        path = os.path.join(args.out, "bench_annotator_ensemble.json")
        with open(path, "w") as f:
            json.dump(result, f, indent=2)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
