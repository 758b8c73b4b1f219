"""BatchBALD: skal's ``greedy_batchbald`` side by side with ``batchbald-redux``.

Batch 10, 20 MC samples, 10 classes, 10,000 candidates (Kirsch et al.'s
setting), the same probabilities for both. ``batchbald-redux`` is the
authors' reference implementation; install it without its torchvision
dependency::

    pip install --no-deps batchbald-redux toma   # toma also needs psutil

Both compute the joint entropy exactly while ``10 ** |batch|`` is at most
``--n-configurations`` and estimate it from that many sampled label
configurations beyond. The table gives the seconds of each, their ratio,
and whether the chosen batches agree (they must on the exact steps; the
sampled steps use different random configurations).

Usage::

    PYTHONPATH=. python examples/benchmarks/bench_batchbald.py [--quick] [--out DIR]
"""

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

os.environ.setdefault("TQDM_DISABLE", "1")  # batchbald-redux's progress bars

from skal.strategies import bald, greedy_batchbald


def make_stack(n, n_models, n_classes, seed=0):
    """Peaked, disagreeing probabilities like those of a trained MC-dropout net."""
    rng = np.random.RandomState(seed)
    centre = rng.dirichlet(0.3 * np.ones(n_classes), size=n)
    noise = rng.dirichlet(np.ones(n_classes), size=(n_models, n))
    mix = rng.uniform(0.0, 0.6, size=(1, n, 1))
    return ((1 - mix) * centre + mix * noise).astype(np.float32)


def reference_information(stack, batch, n_configurations=200000, seed=0):
    """I(y_batch; w) from many sampled configurations: a referee for both."""
    from skal.strategies._batchbald import _sample_configurations
    from skal.strategies._uncertainty import entropy

    joint = _sample_configurations(
        stack, list(batch), n_configurations, np.random.RandomState(seed)
    ).astype(np.float64)
    h_joint = -np.mean(np.log(joint.mean(axis=0)))
    return h_joint - entropy(stack[:, list(batch)]).mean(axis=0).sum()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-candidates", type=int, default=10000)
    parser.add_argument("--n-models", type=int, default=20)
    parser.add_argument("--n-classes", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--n-configurations", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="2,000 candidates")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    if args.quick:
        args.n_candidates = 2000
    stack = make_stack(args.n_candidates, args.n_models, args.n_classes)
    rows = []
    with threadpool_limits(args.threads):
        start = time.perf_counter()
        idx, scores = greedy_batchbald(
            stack,
            args.batch_size,
            n_configurations=args.n_configurations,
            random_state=0,
        )
        rows.append(("skal greedy_batchbald", time.perf_counter() - start, idx, scores))
        start = time.perf_counter()
        top = np.argsort(-bald(stack))[: args.batch_size]
        rows.append(("skal top-k BALD", time.perf_counter() - start, top, None))
        try:
            import torch
            from batchbald_redux.batchbald import get_batchbald_batch

            torch.set_num_threads(args.threads)
            log_probs = torch.from_numpy(np.log(np.swapaxes(stack, 0, 1)).copy())
            start = time.perf_counter()
            ref = get_batchbald_batch(
                log_probs, args.batch_size, args.n_configurations, dtype=torch.float32
            )
            rows.append(
                (
                    "batchbald-redux",
                    time.perf_counter() - start,
                    np.asarray(ref.indices),
                    np.asarray(ref.scores),
                )
            )
        except ImportError as exc:
            print(f"batchbald-redux not available ({exc}); skal only")
    print(
        f"BatchBALD: batch {args.batch_size}, {args.n_models} samples, "
        f"{args.n_classes} classes, {args.n_candidates} candidates, "
        f"{args.n_configurations} configurations, {args.threads} thread(s)"
    )
    print(f"{'method':<24}{'seconds':>10}  first indices")
    for name, sec, ind, _ in rows:
        print(f"{name:<24}{sec:>10.2f}  {ind[:6].tolist()}")
    result = {"params": vars(args), "seconds": {r[0]: r[1] for r in rows}}
    if len(rows) == 3:
        n_exact = int(np.floor(np.log(args.n_configurations) / np.log(args.n_classes)))
        same_exact = (
            rows[0][2][: n_exact + 1].tolist() == rows[2][2][: n_exact + 1].tolist()
        )
        overlap = len(set(rows[0][2].tolist()) & set(rows[2][2].tolist()))
        ratio = rows[0][1] / rows[2][1]
        print(
            f"ratio skal / redux: {ratio:.4f} ({1 / ratio:.0f}x faster); "
            f"exact steps agree: {same_exact}; "
            f"batch overlap {overlap}/{args.batch_size}"
        )
        print(
            "score of the full batch (nats): skal "
            f"{rows[0][3][-1]:.4f}, redux {rows[2][3][-1]:.4f}"
        )
        ref = [reference_information(stack, rows[i][2]) for i in (0, 2)]
        ref_top = reference_information(stack, rows[1][2])
        print(
            "reference I(batch; w) from 200k sampled configurations: skal "
            f"{ref[0]:.4f}, redux {ref[1]:.4f}, top-k BALD {ref_top:.4f}"
        )
        result["reference_information"] = {
            "skal": ref[0],
            "redux": ref[1],
            "topk_bald": ref_top,
        }
        result.update(
            ratio=ratio,
            exact_steps_agree=same_exact,
            overlap=overlap,
            skal_scores=rows[0][3].tolist(),
            redux_scores=rows[2][3].tolist(),
        )
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "bench_batchbald.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
