"""Benchmark skal's ports of scikit-activeml pool strategies against scikit-activeml.

One row per strategy, one thread, the same pool and labeled set for both
libraries: ProbCover, MaxHerding, epistemic uncertainty sampling (Parzen
window), cost-sensitive least confidence (``cost_matrix``), Falcun, CLUE and
discriminative AL, QUIRE, contrastive AL, DropQuery, probabilistic AL
(McPAL), value-of-information EER, 4DS, cost-embedding AL (ALCE) and
expected average precision. Each row gives the seconds of one query in skal
and in scikit-activeml and their ratio (scikit-activeml over skal; above 1
means skal is faster), the limit where one is measured (the one pass no
implementation can skip: the candidates-by-labeled kernel for the kernel
strategies, the model's passes over the candidates for the model-based
ones), and whether the first pick or the scores agree.

Run ``PYTHONPATH=. python examples/benchmarks/bench_pool_strategies.py
[--quick] [--out DIR]``. The full run uses a pool of 10,000 samples;
``--quick`` one of 1,500 (under a minute).
"""

import argparse
import json
import os
import platform

# The script's helpers, beside it (``python examples/benchmarks/
# bench_pool_strategies.py`` puts this folder on ``sys.path``); every name is
# also reachable from here.
from _pool_strategies_model import (  # noqa: F401
    bench_average_precision,
    bench_clue,
    bench_contrastive,
    bench_cost_uncertainty,
    bench_dropquery,
    bench_falcun,
    bench_four_ds,
    bench_mcpal,
    bench_voi,
    fitted_pair,
)
from _pool_strategies_pool import (  # noqa: F401
    bench_alce,
    bench_discriminative,
    bench_epistemic,
    bench_maxherding,
    bench_probcover,
    bench_quire,
    context,
    labeled_kernel_seconds,
    make_pool,
    row,
    seconds,
)
from threadpoolctl import threadpool_limits

BENCHES = [
    bench_probcover,
    bench_maxherding,
    bench_epistemic,
    bench_cost_uncertainty,
    bench_falcun,
    bench_clue,
    bench_discriminative,
    bench_quire,
    bench_contrastive,
    bench_dropquery,
    bench_mcpal,
    bench_voi,
    bench_four_ds,
    bench_alce,
    bench_average_precision,
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small pool, < 1 min")
    parser.add_argument("--out", default=None, help="directory for the JSON result")
    parser.add_argument("--n", type=int, default=None, help="pool size")
    parser.add_argument("--batch", type=int, default=10)
    args = parser.parse_args(argv)
    n = args.n or (1500 if args.quick else 10_000)
    with threadpool_limits(1):
        rows = [bench(n, args.batch) for bench in BENCHES]
    print(
        f"{'strategy':34s} {'n':>6s} {'skal s':>8s} {'skactiveml s':>13s} "
        f"{'ratio':>7s} {'limit s':>8s}  agree"
    )
    for r in rows:
        limit = "-" if r["limit_s"] is None else f"{r['limit_s']:.3f}"
        print(
            f"{r['strategy']:34s} {r['n']:6d} {r['skal_s']:8.3f} "
            f"{r['skactiveml_s']:13.3f} {r['ratio']:7.1f} {limit:>8s}  {r['agree']}"
        )
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "machine": platform.processor() or platform.machine(),
            "quick": args.quick,
            "rows": rows,
        }
        with open(os.path.join(args.out, "bench_pool_strategies.json"), "w") as f:
            json.dump(result, f, indent=2)
    return rows


if __name__ == "__main__":
    main()
