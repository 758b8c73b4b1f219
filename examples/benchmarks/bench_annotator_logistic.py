"""Raykar's logistic regression from crowds: skal beside scikit-activeml.

``AnnotatorLogisticRegression`` of skal and of scikit-activeml 1.0.1, both
with their defaults (``tol=1e-4``, Newton-CG, ``weights_prior=1``), fitted
in one process on the same data: 5,000 samples of 10 features, 3 classes,
5 annotators answering right with probability 0.9, 0.8, 0.6, 0.45 and 0.4
(a wrong answer is another class drawn uniformly), 30 % of the answers
missing. The table gives the best of ``--repeats`` fit times, the
``predict_proba`` time on a pool of 100,000 samples, the EM iterations and
the accuracy on the pool's true classes. The limit is a plain scikit-learn
``LogisticRegression`` (the same L2 penalty) fitted on the majority vote:
one M-step without the EM around it, so a lower bound on the time of one
EM iteration (and the accuracy EM has to beat). Both EM fits stop on the
same rule, so the time per iteration is what the implementations change.

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_annotator_logistic.py \
        [--quick] [--out DIR]

``--quick`` uses 1,000 samples and a pool of 10,000 (< 10 s); the JSON goes
to ``DIR/bench_annotator_logistic.json``.
"""

import argparse
import json
import os

import numpy as np
from bench_multilabel import best_of
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from skal.annotators import AnnotatorLogisticRegression, majority_vote

ACCURACIES = (0.9, 0.8, 0.6, 0.45, 0.4)


def make_data(n_train, n_pool, n_features, n_classes=3, seed=0):
    """Training rows with a label matrix (NaN = missing), pool rows with classes."""
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(n_features, n_classes))
    X = rng.normal(size=(n_train + n_pool, n_features))
    y = np.argmax(X @ W + rng.gumbel(size=(len(X), n_classes)), axis=1)
    right = rng.random((n_train, len(ACCURACIES))) < ACCURACIES
    shift = rng.integers(1, n_classes, right.shape)
    Y = np.where(right, y[:n_train, None], (y[:n_train, None] + shift) % n_classes)
    Y = Y.astype(float)
    Y[rng.random(Y.shape) < 0.3] = np.nan
    return X[:n_train], Y, X[n_train:], y[n_train:]


class MajorityLogistic:
    """The limit: one logistic regression on the majority vote."""

    n_iter_ = 1

    def fit(self, X, Y):
        y = majority_vote(Y, missing_label=np.nan, random_state=0)
        keep = ~np.isnan(y)
        self.model = LogisticRegression(C=1.0).fit(X[keep], y[keep])
        return self

    def predict_proba(self, X):
        return self.model.predict_proba(X)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 samples")
    parser.add_argument("--out", default=None, help="directory for the JSON result")
    parser.add_argument("--n-train", type=int, default=None, help="default 5,000")
    parser.add_argument("--n-pool", type=int, default=None, help="default 100,000")
    parser.add_argument("--n-features", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    n_train = args.n_train or (1000 if args.quick else 5000)
    n_pool = args.n_pool or (10_000 if args.quick else 100_000)
    X, Y, X_pool, y_pool = make_data(n_train, n_pool, args.n_features)
    from skactiveml.classifier.multiannotator import (
        AnnotatorLogisticRegression as TheirALR,
    )

    models = {
        "skal": lambda: AnnotatorLogisticRegression(),
        "scikit-activeml": lambda: TheirALR(classes=[0, 1, 2]),
        "limit": MajorityLogistic,
    }
    rows, probas = {}, {}
    with threadpool_limits(args.threads):
        for name, make in models.items():
            fit_s, model = best_of(lambda: make().fit(X, Y), args.repeats)
            proba_s, P = best_of(lambda: model.predict_proba(X_pool), args.repeats)
            probas[name] = P
            rows[name] = {
                "fit_seconds": fit_s,
                "predict_proba_seconds": proba_s,
                "n_iter": getattr(model, "n_iter_", None),  # the peer: none
                "accuracy": float(np.mean(P.argmax(axis=1) == y_pool)),
            }
    gap = float(np.abs(probas["skal"] - probas["scikit-activeml"]).max())
    print(f"{n_train} x {args.n_features} training rows, {len(ACCURACIES)} annotators, "
          f"pool {n_pool}, {args.threads} thread(s)")  # fmt: skip
    print(f"{'':16s} {'fit s':>8s} {'/ limit':>8s} {'proba s':>8s} {'EM iter':>8s} "
          f"{'accuracy':>9s}")  # fmt: skip
    for name, row in rows.items():
        ratio = row["fit_seconds"] / rows["limit"]["fit_seconds"]
        n_iter = "-" if row["n_iter"] is None else str(row["n_iter"])
        print(f"{name:16s} {row['fit_seconds']:8.3f} {ratio:8.1f} "
              f"{row['predict_proba_seconds']:8.4f} {n_iter:>8s} "
              f"{row['accuracy']:9.4f}")  # fmt: skip
    speed = rows["scikit-activeml"]["fit_seconds"] / rows["skal"]["fit_seconds"]
    print(f"fit: skal {speed:.1f}x faster than scikit-activeml")
    print(f"largest difference of the probabilities skal - scikit-activeml: {gap:.1e}")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "n_train": n_train, "n_pool": n_pool, "n_features": args.n_features,
            "accuracies": ACCURACIES, "threads": args.threads, "quick": args.quick,
            "max_abs_difference": gap, **rows,
        }  # fmt: skip
        with open(os.path.join(args.out, "bench_annotator_logistic.json"), "w") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
