"""The pool-based benchmark of Zhan et al. (IJCAI 2021) as re-run by Lu et al.

Protocol (Lu et al., TMLR 2025, "Re-benchmarking pool-based active learning
for binary classification"), on the LIBSVM sets in ``--data-dir``
(default ``$SKAL_DATA``, else ``../shared/data`` beside the repository;
the files are ``zhan2021/NAME.npz``):

- the labels are re-encoded to ``0 .. K-1`` (the binary sets are stored as
  ``{-1, +1}``; with skal's default ``missing_label=-1`` the class ``-1``
  would be read as "unlabeled", so it is re-encoded rather than relying on
  ``missing_label=None``);
- every repeat draws its own stratified 60/40 train/test split (seed
  ``repeat``) and standardises the features on the train part
  (``StandardScaler``);
- 20 initial labels drawn at random from the train part (at least one per
  class, :func:`skal.datasets.make_pool`), the same for every strategy of a
  repeat, so the comparison is paired;
- ``SVC(kernel="rbf", gamma="auto", C=1)`` is both the query model (margin on
  ``decision_function``) and the task model, refitted from scratch after every
  query of one sample, until the pool is empty;
- AUBC is the mean test accuracy over the whole curve (from 20 labels to the
  whole pool).

Pools bigger than ``--pool-cap`` (banana, phoneme: 3,180 and 3,242 train
rows) are subsampled, stratified, to that many rows per repeat (the test part
is kept whole); their figures are therefore not the published protocol and
are flagged ``capped``.

``--split lu`` replaces the split and the initial labels by those of Lu et
al.'s code (see :func:`split_lu`): not stratified, the same rows for a seed
as in their runs, and the repeats whose 20 labels miss a class dropped, as
they were there.

Rows: ``random``, ``margin`` (``UncertaintySampling("margin")``), ``auto``
and ``albl`` (``Adaptive``), ``coreset`` (``CoreSet``), ``density``
(``DensityWeighted("margin", similarity="rbf")``) and ``qbc``: query by
committee, ``QueryByCommittee("vote_entropy")`` on a ``skal.Committee`` of
``QBC_MEMBERS`` bagged clones of the task model (each fitted on a bootstrap
sample of the labels); the committee only picks the queries, the curve is
the task model refitted on the same labels, as for every other row. Its
records hold the share of rounds in which every member voted alike (the
committee then picks at random among ties).

A second part runs batches of 10 with ``LogisticRegression`` on the
multi-class sets and on scikit-learn's ``load_digits``, same splits,
until the pool is empty (also capped).

Per set and strategy it reports mean ± sd of the AUBC over the repeats, the
paired difference to random with the paired t-test and Wilcoxon signed-rank
p-values (``scipy.stats``), "below random in k of n", and the published
Uniform / US-C means where known. The loop uses only skal's public API
(``ActiveLearner.fit``, ``query`` and ``teach``).

Run::

    PYTHONPATH=. python examples/benchmarks/bench_zhan2021.py --quick --out q
    PYTHONPATH=. nice -n 10 python examples/benchmarks/bench_zhan2021.py \
        --repeats 20 --n-jobs 2 --out bench-out
"""

import argparse
import json
import os
import platform
import time
from pathlib import Path

# The script's helpers, beside it (``python examples/benchmarks/bench_zhan2021.py``
# puts this folder on ``sys.path``); every name is also reachable from here.
from _zhan2021_data import (  # noqa: F401
    BINARY,
    MULTICLASS,
    PUBLISHED,
    load_set,
    split,
    split_lu,
)
from _zhan2021_report import (  # noqa: F401
    MATCH_MARGIN,
    ROW_ORDER,
    format_goals,
    format_rst,
    format_table,
    goal_check,
    paired_stats,
    summarise,
)
from _zhan2021_run import (  # noqa: F401
    AUTO_PARAMS,
    QBC_MEMBERS,
    InOrder,
    aubc_lu,
    make_strategy,
    measure_cost,
    merge_records,
    run_all,
    run_curve,
    run_repeat,
)

import skal

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------- main
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="two small sets and digits, 2 repeats, to 60 labels",
    )
    parser.add_argument("--out", default=None, help="directory for the JSON")
    parser.add_argument(
        "--data-dir",
        default=os.environ.get("SKAL_DATA", str(REPO.parent / "shared" / "data")),
    )
    parser.add_argument(
        "--sets",
        nargs="+",
        default=None,
        help="sets to run (binary ones use SVC, batch 1; multi-class "
        "ones and digits use LogisticRegression, batch 10)",
    )
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument(
        "--first-repeat",
        type=int,
        default=0,
        help="run repeats first-repeat .. repeats - 1 only (to split "
        "a run over processes)",
    )
    parser.add_argument(
        "--strategies",
        nargs="+",
        default=["random", "margin", "auto", "coreset", "qbc", "density"],
    )
    parser.add_argument("--pool-cap", type=int, default=1000)
    parser.add_argument(
        "--split",
        choices=["stratified", "lu"],
        default="stratified",
        help="stratified: a stratified split and initial labels with "
        "every class (make_pool) per seed; lu: the split and initial "
        "labels of Lu et al.'s code (numpy default_rng(seed), not "
        "stratified; a repeat whose labels miss a class is dropped)",
    )
    parser.add_argument("--n-initial", type=int, default=20)
    parser.add_argument(
        "--budget",
        type=int,
        default=None,
        help="stop at this many labels (default: the whole pool)",
    )
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument(
        "--from-records",
        nargs="+",
        default=None,
        metavar="JSONL",
        help="summarise records of earlier runs (the strategies of "
        "one set and repeat are merged) instead of running",
    )
    parser.add_argument(
        "--cost",
        action="store_true",
        help="only time Adaptive's queries against its arms' "
        "(a generated pool of 20,000)",
    )
    parser.add_argument(
        "--auto-params",
        default="{}",
        metavar="JSON",
        help="parameters of Adaptive for the auto row, as JSON",
    )
    parser.add_argument(
        "--rst",
        default=None,
        metavar="FILE",
        help="also write the tables as reStructuredText",
    )
    parser.add_argument(
        "--skip-done",
        nargs="+",
        default=(),
        metavar="JSONL",
        help="skip the (set, repeat) runs these records already hold "
        "for every requested strategy",
    )
    args = parser.parse_args(argv)
    AUTO_PARAMS.clear()
    AUTO_PARAMS.update(json.loads(args.auto_params))
    if args.quick:
        args.sets = args.sets or ["appendicitis", "sonar", "digits"]
        args.repeats = min(args.repeats, 2)
        args.budget = args.budget or 60
    if args.sets is None:
        args.sets = BINARY + MULTICLASS + ["digits"]
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.cost:
        cost = measure_cost(
            n_rounds=3 if args.quick else 10, n_pool=2000 if args.quick else 20000
        )
        print(json.dumps(cost, indent=1))
        if args.out:
            Path(args.out).mkdir(parents=True, exist_ok=True)
            (Path(args.out) / "bench_zhan2021_cost.json").write_text(
                json.dumps(cost, indent=1)
            )
        return cost
    start = time.perf_counter()
    if args.from_records:
        records = merge_records(args.from_records)
    else:
        records = run_all(args)
    order = BINARY + MULTICLASS + ["digits"]
    records.sort(key=lambda r: (order.index(r["set"]), r.get("split", ""), r["repeat"]))
    summary = summarise(records)
    print(format_table(summary))
    goals = goal_check(summary)
    if goals:
        print(format_goals(goals))
    print(f"total {time.perf_counter() - start:.1f} s")
    if args.rst:
        Path(args.rst).write_text(format_rst(summary) + "\n")
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        payload = {
            "args": dict(vars(args)),
            "machine": {
                "python": platform.python_version(),
                "skal": getattr(skal, "__version__", "dev"),
                "cpu_count": os.cpu_count(),
            },
            "summary": summary,
            "goals": goals,
            "repeats": records,
        }
        (out / "bench_zhan2021.json").write_text(json.dumps(payload, indent=1))
    return summary


if __name__ == "__main__":
    main()
