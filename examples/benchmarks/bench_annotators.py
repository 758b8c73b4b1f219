"""Benchmark multi-annotator active learning beside scikit-activeml's strategies.

The data are scikit-activeml's multi-annotator getting-started tutorial's:
100 samples of ``make_blobs(centers=6, random_state=0)`` with the blob index
taken modulo 2 as the class, and 5 annotators who flip each label with
probability 0, 0.125, 0.25, 0.375 and 0.5 (the last one guesses). Every run
starts with no label and buys 60 labels, 3 per query; accuracy is measured
on the 100 samples against the true classes (as in the tutorial) after 15,
30, 45 and 60 labels, over several draws (seed ``s`` draws the annotators'
noise and seeds both libraries' strategies).

Methods, with the same model on both sides (scikit-activeml's
``ParzenWindowClassifier(class_prior=1e-3)``, the tutorial's) and skal also
with scikit-learn's ``GaussianProcessClassifier``:

- skal ``MultiAnnotatorLearner`` with margin sampling, and annotators chosen
  by ``RandomAnnotators(3)`` (the tutorial's wrapper), by IEThresh
  (``annotator_selection="ie_thresh"``, all annotators above the threshold),
  or by IEThresh under a cost budget of 3 labels per query (the 3 with the
  highest estimated accuracy among those IEThresh keeps); labels aggregated
  by majority vote or Dawid–Skene.
- scikit-activeml 1.0.1, run from its own code: ``SingleAnnotatorWrapper``
  around ``ProbabilisticAL`` (the tutorial) and around margin
  ``UncertaintySampling``, with 3 random annotators per sample, and
  ``IntervalEstimationThreshold`` with ``batch_size=3``; majority vote.
- The limits: the same skal loop taught the true labels (a perfect
  annotator, whose majority vote is the truth), and each model fitted on all
  100 true labels.

The table shows the mean accuracy (min–max over the draws) at each budget
and the mean time of one ``query`` call (the peer's ``query`` refits its
classifier inside for IEThresh only; fitting after ``teach`` is not timed).

Run ``PYTHONPATH=. python examples/benchmarks/bench_annotators.py [--quick]
[--out DIR]``. ``--quick`` uses 3 draws instead of 10 (under a minute).
"""

import argparse
import json
import os
import platform
import time
import warnings

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.gaussian_process import GaussianProcessClassifier

from skal.annotators import MultiAnnotatorLearner, RandomAnnotators

N_ANNOTATORS, BUDGET, PER_QUERY = 5, 60, 3
CHECKPOINTS = [15, 30, 45, 60]


def make_data(seed):
    """The tutorial's toy data and one draw of its 5 annotators' labels."""
    X, y = make_blobs(n_samples=100, centers=6, random_state=0)
    y = y % 2
    rng = np.random.default_rng(seed)
    Y = np.zeros((100, N_ANNOTATORS), dtype=int)
    for j, p in enumerate(np.linspace(0.0, 0.5, N_ANNOTATORS)):
        Y[:, j] = rng.binomial(1, p, 100) ^ y
    return X, y, Y


def pwc():
    from skactiveml.classifier import ParzenWindowClassifier

    return ParzenWindowClassifier(classes=[0, 1], class_prior=1e-3, random_state=0)


SKAL = {
    "skal pwc random3 mv": (pwc, {"annotator_selection": RandomAnnotators(3)}),
    "skal pwc ie_thresh mv": (pwc, {"annotator_selection": "ie_thresh"}),
    "skal pwc ie_thresh cost3 mv": (pwc, {"max_cost": PER_QUERY}),
    "skal pwc random3 ds": (
        pwc,
        {"annotator_selection": RandomAnnotators(3), "aggregation": "dawid_skene"},
    ),
    "skal gpc random3 mv": (
        lambda: GaussianProcessClassifier(random_state=0),
        {"annotator_selection": RandomAnnotators(3)},
    ),
    "skal gpc ie_thresh cost3 mv": (
        lambda: GaussianProcessClassifier(random_state=0),
        {"max_cost": PER_QUERY},
    ),
}
PEER = ["peer SAW(xPAL) random3", "peer SAW(margin) random3", "peer IEThresh"]


def run_skal(make_model, params, X, y, Y, seed, *, truth=False):
    learner = MultiAnnotatorLearner(
        make_model(), query_strategy="margin", random_state=seed, **params
    ).fit(X, np.full(Y.shape, -1))
    curve, seconds, n = {}, [], 0
    while n < BUDGET:
        start = time.perf_counter()
        pairs = learner.query()[: BUDGET - n]
        seconds.append(time.perf_counter() - start)
        labels = y[pairs[:, 0]] if truth else Y[pairs[:, 0], pairs[:, 1]]
        learner.teach(pairs[:, 0], pairs[:, 1], labels)
        n += len(pairs)
        for c in CHECKPOINTS:
            if c not in curve and n >= c:
                curve[c] = learner.score(X, y)
    return curve, float(np.mean(seconds))


def run_peer(name, X, y, Y, seed):
    from skactiveml.pool import ProbabilisticAL, UncertaintySampling
    from skactiveml.pool.multiannotator import (
        IntervalEstimationThreshold,
        SingleAnnotatorWrapper,
    )
    from skactiveml.utils import MISSING_LABEL, majority_vote

    clf = pwc()
    if name == "peer IEThresh":
        qs = IntervalEstimationThreshold(random_state=seed)
    else:
        inner = (
            ProbabilisticAL(random_state=seed)
            if "xPAL" in name
            else UncertaintySampling(method="margin_sampling", random_state=seed)
        )
        qs = SingleAnnotatorWrapper(inner, random_state=seed)
    Y_seen = np.full(Y.shape, MISSING_LABEL)
    clf.fit(X, majority_vote(Y_seen))
    curve, seconds, n = {}, [], 0
    while n < BUDGET:
        start = time.perf_counter()
        if name == "peer IEThresh":
            q = qs.query(X, Y_seen, clf=clf, fit_clf=False, batch_size=PER_QUERY)
        else:
            q = qs.query(
                X,
                Y_seen,
                clf=clf,
                batch_size=PER_QUERY,
                n_annotators_per_sample=PER_QUERY,
            )
        seconds.append(time.perf_counter() - start)
        Y_seen[q[:, 0], q[:, 1]] = Y[q[:, 0], q[:, 1]]
        clf.fit(X, majority_vote(Y_seen, random_state=0))
        n += len(q)
        for c in CHECKPOINTS:
            if c not in curve and n >= c:
                curve[c] = float(np.mean(clf.predict(X) == y))
    return curve, float(np.mean(seconds))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 draws (< 1 min)")
    parser.add_argument("--out", help="folder of the JSON results")
    args = parser.parse_args(argv)
    seeds = range(3 if args.quick else 10)
    warnings.filterwarnings("ignore")
    methods = [*SKAL, *PEER, "limit: skal pwc, true labels"]
    rows = {m: {"acc": {c: [] for c in CHECKPOINTS}, "seconds": []} for m in methods}
    full = {"pwc, all true labels": [], "gpc, all true labels": []}
    for seed in seeds:
        X, y, Y = make_data(seed)
        for name in methods:
            if name in SKAL:
                curve, sec = run_skal(*SKAL[name], X, y, Y, seed)
            elif name in PEER:
                curve, sec = run_peer(name, X, y, Y, seed)
            else:
                curve, sec = run_skal(
                    pwc, SKAL["skal pwc random3 mv"][1], X, y, Y, seed, truth=True
                )
            for c in CHECKPOINTS:
                rows[name]["acc"][c].append(curve[c])
            rows[name]["seconds"].append(sec)
        full["pwc, all true labels"].append(pwc().fit(X, y).score(X, y))
        full["gpc, all true labels"].append(
            GaussianProcessClassifier(random_state=0).fit(X, y).score(X, y)
        )
    header = f"{'method':32s}" + "".join(f"{c:>8d}" for c in CHECKPOINTS)
    print(
        f"accuracy after n labels (mean over {len(seeds)} draws), "
        "min-max at 60, ms per query"
    )
    print(header + f"{'min-max':>12s}{'ms/query':>10s}")
    for name in methods:
        acc = rows[name]["acc"]
        means = "".join(f"{np.mean(acc[c]):8.3f}" for c in CHECKPOINTS)
        spread = f"{min(acc[60]):.2f}-{max(acc[60]):.2f}"
        ms = 1000 * np.mean(rows[name]["seconds"])
        print(f"{name:32s}{means}{spread:>12s}{ms:10.1f}")
    for name, values in full.items():
        print(f"limit: {name:25s}{np.mean(values):8.3f}")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "benchmark": "annotators",
            "quick": args.quick,
            "draws": len(seeds),
            "checkpoints": CHECKPOINTS,
            "python": platform.python_version(),
            "methods": {
                name: {
                    "accuracy": {str(c): v for c, v in r["acc"].items()},
                    "seconds_per_query": float(np.mean(r["seconds"])),
                }
                for name, r in rows.items()
            },
            "limits": {name: float(np.mean(v)) for name, v in full.items()},
        }
        with open(os.path.join(args.out, "bench_annotators.json"), "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
