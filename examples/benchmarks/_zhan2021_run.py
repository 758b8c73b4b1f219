"""Runner of the Zhan et al. (2021) benchmark: the strategy rows and the loops.

Helper of ``bench_zhan2021.py`` (not a benchmark itself): the strategy of each
row (:func:`make_strategy`), the query/teach loop of one strategy
(:func:`run_curve`), one repeat of one set (:func:`run_repeat`), every
(set, repeat) of a run (:func:`run_all`, its records in ``records.jsonl``)
and the ``--cost`` timing (:func:`measure_cost`).
"""

import json
import time
import warnings
from pathlib import Path

import numpy as np
from _zhan2021_data import BINARY, load_set, split, split_lu
from joblib import Parallel, delayed
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

from skal import ActiveLearner, Committee
from skal.datasets import make_pool
from skal.strategies import (
    CoreSet,
    DensityWeighted,
    QueryByCommittee,
    ScoreStrategy,
    UncertaintySampling,
)

#: Members of the bagged committee of the ``qbc`` row.
QBC_MEMBERS = 5
#: How skal's committee warns that its members agree on every candidate.
_ALL_AGREE = "agrees on every candidate"


#: Parameters of ``Adaptive`` for the ``auto`` row (``--auto-params``).
AUTO_PARAMS = {}


def _adaptive():
    from skal.strategies import Adaptive

    return Adaptive(**AUTO_PARAMS)


def _albl():
    from skal.strategies import Adaptive

    return Adaptive(policy="albl")


class InOrder(ScoreStrategy):
    """The ``uniform`` row: the unlabeled pool rows in the pool's own order.

    This is the uniform sampling of Lu et al.'s code (the ``UniformSampling``
    of Google's active-learning package): it takes the first unlabeled rows
    of a train part that the seed has already shuffled. With ``--split lu``
    the pool is that shuffled train part, so the row queries their very rows
    and reproduces their "Uniform" figure seed by seed; under either split it
    is uniform random sampling, its randomness drawn by the split's shuffle
    rather than by the learner's ``random_state``.
    """

    _parameter_constraints = {}

    def _score(self, context):
        return -np.asarray(context.candidates, dtype=float)


def make_strategy(name):
    """Return a fresh strategy object for a row name (None: not available)."""
    factories = {
        "random": lambda: "random",
        "uniform": InOrder,
        "margin": lambda: UncertaintySampling("margin"),
        "auto": _adaptive,
        "albl": _albl,
        "coreset": CoreSet,
        "qbc": lambda: QueryByCommittee("vote_entropy"),
        "density": lambda: DensityWeighted("margin", similarity="rbf"),
    }
    if name not in factories:
        raise SystemExit(f"unknown strategy {name!r}; choose from {sorted(factories)}")
    return factories[name]()


def _model(part, seed):
    if part == "svc":
        return SVC(kernel="rbf", gamma="auto", C=1.0)
    return LogisticRegression(max_iter=1000, random_state=seed)


def aubc_lu(curve):
    """AUBC as the published figures compute it (Lu et al.'s ``AUBC``).

    The trapezoids between the accuracies after each query (the initial
    model's is left out), summed with width 1 and divided by the number of
    queries ``Q``: about ``(Q - 1) / Q`` times the mean, so it sits below
    :func:`numpy.mean` of the curve by up to 2 % on the smallest sets.
    """
    after = np.asarray(curve[1:], dtype=float)
    if after.size < 2:
        return float(after.mean()) if after.size else float(curve[0])
    return float(np.sum((after[1:] + after[:-1]) / 2.0) / after.size)


def _learner(strategy, part, batch_size, seed):
    """The learner of a row; for query by committee, a bagged committee.

    The committee (``QBC_MEMBERS`` clones of the task model, each fitted on a
    bootstrap sample of the labeled rows) only chooses the queries: the
    curve is the accuracy of the task model refitted on the same labels, as
    for every other row.
    """
    if isinstance(strategy, QueryByCommittee):
        return Committee(
            estimator=_model(part, seed),
            n_members=QBC_MEMBERS,
            query_strategy=strategy,
            batch_size=batch_size,
            random_state=seed,
        )
    return ActiveLearner(
        _model(part, seed),
        query_strategy=strategy,
        batch_size=batch_size,
        random_state=seed,
    )


def run_curve(strategy, part, data, y_initial, batch_size, budget, seed):
    """Query until the pool is empty (or ``budget``); return the curve and costs."""
    X_pool, y_pool, X_test, y_test = data
    learner = _learner(strategy, part, batch_size, seed).fit(X_pool, y_initial)
    if isinstance(learner, Committee):
        labels = y_initial.copy()

        def score():
            known = labels != -1
            task = _model(part, seed).fit(X_pool[known], labels[known])
            return task.score(X_test, y_test)
    else:
        labels = None

        def score():
            return learner.score(X_test, y_test)

    curve = [score()]
    query_seconds = []
    ties = 0
    limit = len(y_pool) if budget is None else min(budget, len(y_pool))
    while (n := int(learner.labeled_mask_.sum())) < limit:
        start = time.perf_counter()
        # only a committee's queries are watched: its members all agreeing
        # (it then picks at random among ties) is counted; other rows keep
        # their warnings
        with warnings.catch_warnings(record=labels is not None) as caught:
            if labels is not None:
                warnings.simplefilter("always", UserWarning)
            idx = learner.query(batch_size=min(batch_size, limit - n))
        query_seconds.append(time.perf_counter() - start)
        ties += any(_ALL_AGREE in str(w.message) for w in caught or ())
        learner.teach(X_pool[idx], y_pool[idx], pool_indices=idx)
        if labels is not None:
            labels[idx] = y_pool[idx]
        curve.append(score())
    out = {
        "aubc": float(np.mean(curve)),
        "aubc_lu": aubc_lu(curve),
        "curve": [round(float(c), 5) for c in curve],
        "final": float(curve[-1]),
        "n_rounds": len(query_seconds),
        "query_seconds_per_round": float(np.mean(query_seconds or [0.0])),
    }
    if labels is not None:
        out["all_agree_share"] = ties / max(len(query_seconds), 1)
    arms = getattr(learner.query_strategy_, "history_", None)
    if arms:
        names = [entry["strategy"] for entry in arms]
        out["arm_share"] = {a: names.count(a) / len(names) for a in sorted(set(names))}
    return out


def run_repeat(set_name, part, repeat, args):
    """One repeat of one set: every strategy from the same split and labels."""
    X, y = load_set(set_name, args.data_dir)
    seed = repeat
    record = {"set": set_name, "part": part, "repeat": repeat}
    if args.split == "lu":
        X_pool, y_pool, X_test, y_test, capped, y_initial = split_lu(
            X, y, seed, args.pool_cap, args.n_initial
        )
        record["split"] = "lu"
        if y_initial is None:  # the initial labels miss a class: dropped
            return {
                **record,
                "capped": capped,
                "n_pool": int(len(y_pool)),
                "dropped": True,
                "results": {},
            }
    else:
        X_pool, y_pool, X_test, y_test, capped = split(X, y, seed, args.pool_cap)
        y_initial = make_pool(y_pool, args.n_initial, random_state=seed)
    batch_size = 1 if part == "svc" else 10
    AUTO_PARAMS.clear()  # a worker process starts with the module's own
    AUTO_PARAMS.update(json.loads(args.auto_params))
    rows = {}
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name in args.strategies:
            strategy = make_strategy(name)
            if strategy is None:
                continue
            start = time.perf_counter()
            rows[name] = run_curve(
                strategy,
                part,
                (X_pool, y_pool, X_test, y_test),
                y_initial,
                batch_size,
                args.budget,
                seed,
            )
            rows[name]["seconds"] = time.perf_counter() - start
    return {**record, "capped": capped, "n_pool": int(len(y_pool)), "results": rows}


def measure_cost(n_rounds=20, n_labeled=100, batch_size=10, seed=0, n_pool=20000):
    """Seconds per query of Adaptive (both policies) against the strategies it wraps.

    A pool of ``n_pool`` generated samples (50 features, 5 classes) with
    ``LogisticRegression``; every strategy runs its own query/teach loop from
    the same initial labels, the loops taking turns round by round (so that
    they share the machine's load); only ``query`` is timed.
    """
    from sklearn.datasets import make_classification

    from skal.strategies import Adaptive

    X, y = make_classification(
        n_samples=n_pool,
        n_features=50,
        n_informative=20,
        n_classes=5,
        random_state=seed,
    )
    y_initial = make_pool(y, n_labeled, random_state=seed)
    contenders = {
        "margin": UncertaintySampling("margin"),
        "coreset": CoreSet(),
        "auto": Adaptive(),
        "albl(margin, coreset)": Adaptive(["margin", "coreset"], policy="albl"),
    }
    seconds = {name: [] for name in contenders}
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        learners = {
            name: ActiveLearner(
                _model("lr", seed),
                query_strategy=strategy,
                batch_size=batch_size,
                random_state=seed,
            ).fit(X, y_initial)
            for name, strategy in contenders.items()
        }
        for _ in range(n_rounds):
            for name, learner in learners.items():
                start = time.perf_counter()
                idx = learner.query()
                seconds[name].append(time.perf_counter() - start)
                learner.teach(X[idx], y[idx], pool_indices=idx)
    out = {
        name: {"mean": float(np.mean(s)), "median": float(np.median(s))}
        for name, s in seconds.items()
    }
    # each adaptive strategy against the most expensive strategy it wraps, and
    # its rounds by the arm that chose them against that arm's own rounds
    for name, wraps in (
        ("auto", ["margin"]),
        ("albl(margin, coreset)", ["margin", "coreset"]),
    ):
        arms = [h["strategy"] for h in learners[name].query_strategy_.history_]
        own = np.asarray(seconds[name])
        worst = max(out[w]["median"] for w in wraps)
        out[name]["ratio_to_most_expensive"] = out[name]["median"] / worst
        out[name]["rounds_by_arm"] = {
            a: {
                "rounds": arms.count(a),
                "median": float(np.median(own[np.asarray(arms) == a])),
                "ratio": float(np.median(own[np.asarray(arms) == a]) / out[a]["median"])
                if a in out
                else None,
            }
            for a in sorted(set(arms))
        }
    return out


def merge_records(paths):
    """Read JSON-lines records and merge the strategies of one set and repeat."""
    merged = {}
    for path in paths:
        for line in Path(path).read_text().splitlines():
            rec = json.loads(line)
            key = (
                rec["part"],
                rec["set"],
                rec["repeat"],
                rec.get("split", "stratified"),
            )
            if key in merged:
                merged[key]["results"].update(rec["results"])
            else:
                merged[key] = rec
    return [merged[k] for k in sorted(merged)]


def run_all(args):
    """Run every (set, repeat), appending each record to ``records.jsonl``."""
    earlier = [p for p in args.skip_done if Path(p).is_file()]
    done = {
        (r["part"], r["set"], r["repeat"])
        for r in merge_records(earlier)
        if r.get("split", "stratified") == args.split
        and (r.get("dropped") or set(args.strategies) <= set(r["results"]))
    }
    tasks = [
        (s, "svc" if s in BINARY else "lr", r)
        for s in args.sets
        for r in range(args.first_repeat, args.repeats)
    ]
    tasks = [t for t in tasks if (t[1], t[0], t[2]) not in done]
    sink = None
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        sink = open(Path(args.out) / "records.jsonl", "a")  # noqa: SIM115
    records = []
    jobs = (delayed(run_repeat)(s, part, r, args) for s, part, r in tasks)
    try:
        for rec in Parallel(n_jobs=args.n_jobs, return_as="generator_unordered")(jobs):
            records.append(rec)
            if sink:
                sink.write(json.dumps(rec) + "\n")
                sink.flush()
    finally:
        if sink:
            sink.close()
    return records
