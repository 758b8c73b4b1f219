"""Query-by-committee speed: skal against scikit-activeml and against the limit.

A committee of ``--members`` logistic regressions (bagged: each fitted on a
bootstrap of ``--n-labeled`` labeled samples) chooses ``--batch-size``
samples by vote entropy from a pool of ``--n-pool`` Gaussian-mixture samples
(50 features, 10 classes):

- **skal**: ``Committee(estimator=LogisticRegression(), n_members=5)``,
  fitted, then ``committee.query(X_pool)`` (only the query is timed); the
  members vote with their ``predict``, chunk by chunk, and vote entropy is
  counted from the votes (no probability stack);
- **skal (proba argmax)**: the same committee without ``member_votes``, so
  the votes are the argmax of each chunk's ``predict_proba_samples`` stack
  (the path of learners that only give probabilities, e.g. MC dropout);
- **skal (pure function)**: ``QueryByCommittee(vote_entropy)``, the pure
  function of the stack, applied chunk by chunk;
- **peer**: scikit-activeml's ``QueryByCommittee(method="vote_entropy")``
  with a list of fitted ``SklearnClassifier`` members and
  ``fit_ensemble=False`` (only the query is timed);
- **limit**: the sum of the members' own ``predict_proba`` on the pool,
  what a query built on the members' probabilities must pay.

Each time is the best of ``--repeats`` calls, run round-robin; wall and
CPU seconds are both reported (CPU time is the robust figure on a shared
machine, since everything runs on one thread: BLAS is limited with
:mod:`threadpoolctl`). The ``same_top`` entry is the overlap of skal's and
the peer's batches (vote entropy has many ties, so it is informative only
when high).

Run::

    PYTHONPATH=. python examples/benchmarks/bench_committee.py --out bench-out
    PYTHONPATH=. python examples/benchmarks/bench_committee.py --quick --out /tmp/q
"""

import argparse
import json
import os
import platform
import time

import numpy as np
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.metaestimators import available_if
from threadpoolctl import threadpool_limits

from skal import Committee
from skal.strategies import QueryByCommittee, vote_entropy

try:  # the peer is optional: the `bench` extra installs it
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import QueryByCommittee as SkQueryByCommittee
    from skactiveml.utils import MISSING_LABEL
except ImportError:  # pragma: no cover - depends on the environment
    SklearnClassifier = None


def make_blobs_pool(n_samples, n_features, n_classes, rng):
    """Draw a Gaussian mixture: one unit-variance blob per class."""
    centers = rng.normal(scale=1.0, size=(n_classes, n_features))
    y = rng.integers(n_classes, size=n_samples)
    X = rng.standard_normal((n_samples, n_features)) + centers[y]
    return X, y


class StackCommittee(Committee):
    """A committee without ``member_votes``: votes come from the stack's argmax.

    This is the path of learners that only give ``predict_proba_samples``
    (MC dropout).
    """

    @available_if(lambda self: False)
    def member_votes(self, X):
        """Hidden."""


def interleaved_best(runs, repeats):
    """Time each run ``repeats`` times, round-robin; keep the best of each.

    Returns ``{name: (wall seconds, CPU seconds)}`` and the last results.
    Interleaving exposes every run to the same background load; CPU time is
    the robust figure on a shared machine (everything runs on one thread).
    """
    best = {name: [np.inf, np.inf] for name in runs}
    out = {}
    for _ in range(repeats):
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            out[name] = run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
    return {k: tuple(v) for k, v in best.items()}, out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-pool", type=int, default=200_000)
    parser.add_argument("--n-features", type=int, default=50)
    parser.add_argument("--n-classes", type=int, default=10)
    parser.add_argument("--n-labeled", type=int, default=1000)
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="one small run")
    parser.add_argument("--out", default=None, help="folder for results.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.n_pool, args.repeats = min(args.n_pool, 50_000), 3

    rng = np.random.default_rng(args.seed)
    X, y = make_blobs_pool(
        args.n_pool + args.n_labeled, args.n_features, args.n_classes, rng
    )
    X_lab, y_lab = X[: args.n_labeled], y[: args.n_labeled]
    X_pool = X[args.n_labeled :]

    with threadpool_limits(limits=args.threads):
        committee = Committee(
            estimator=LogisticRegression(max_iter=1000),
            n_members=args.members,
            batch_size=args.batch_size,
            random_state=args.seed,
        ).fit(X_lab, y_lab)
        members = committee.estimators_

        def limit():
            return [m.predict_proba(X_pool) for m in members]

        stacked = StackCommittee(**committee.get_params(deep=False)).fit(X_lab, y_lab)
        pure = clone(committee).set_params(
            query_strategy=QueryByCommittee(vote_entropy)
        )
        pure.fit(X_lab, y_lab)
        runs = {
            "limit": limit,
            "skal": lambda: committee.query(X_pool),
            "skal (proba argmax)": lambda: stacked.query(X_pool),
            "skal (pure function)": lambda: pure.query(X_pool),
        }
        if SklearnClassifier is not None:
            ensemble = [
                SklearnClassifier(
                    LogisticRegression(max_iter=1000, random_state=i),
                    classes=np.arange(args.n_classes),
                    random_state=i,
                ).fit(X_lab[rows_], y_lab[rows_])
                for i, rows_ in enumerate(
                    rng.integers(args.n_labeled, size=(args.members, args.n_labeled))
                )
            ]
            y_pool = np.full(args.n_pool, MISSING_LABEL)
            qs = SkQueryByCommittee(method="vote_entropy", random_state=0)
            runs["scikit-activeml"] = lambda: qs.query(
                X_pool,
                y_pool,
                ensemble=ensemble,
                fit_ensemble=False,
                batch_size=args.batch_size,
            )
        rows, out = interleaved_best(runs, args.repeats)

    print(
        f"vote-entropy query, {args.members} members, pool {args.n_pool} x "
        f"{args.n_features}, {args.n_classes} classes, batch {args.batch_size}, "
        f"{args.threads} thread(s); best of {args.repeats}"
    )
    print(f"{'':22s}{'wall s':>9s}{'x limit':>9s}{'CPU s':>9s}{'x limit':>9s}")
    wall0, cpu0 = rows["limit"]
    for name, (wall, cpu) in rows.items():
        print(f"{name:22s}{wall:9.3f}{wall / wall0:9.2f}{cpu:9.3f}{cpu / cpu0:9.2f}")
    result = {
        "benchmark": "committee_vote_entropy",
        "params": vars(args),
        "wall_seconds": {k: v[0] for k, v in rows.items()},
        "cpu_seconds": {k: v[1] for k, v in rows.items()},
        "wall_ratio_to_limit": {k: v[0] / wall0 for k, v in rows.items()},
        "cpu_ratio_to_limit": {k: v[1] / cpu0 for k, v in rows.items()},
        "machine": platform.platform(),
        "cpu_count": os.cpu_count(),
    }
    if "scikit-activeml" in out:
        peer = set(np.asarray(out["scikit-activeml"]).tolist())
        result["same_top"] = len(set(out["skal"].tolist()) & peer) / args.batch_size
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        path = os.path.join(args.out, "bench_committee.json")
        with open(path, "w") as fh:
            json.dump(result, fh, indent=2)
        print(f"wrote {path}")
    return result


if __name__ == "__main__":
    main()
