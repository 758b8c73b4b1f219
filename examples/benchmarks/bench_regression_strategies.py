"""Benchmark skal's regression strategies against scikit-activeml's, and their RMSE.

Expected model change maximization (EMCM), expected model variance
reduction (EMVR), expected model output change (EMOC), KL-divergence
maximization and regression-tree-based AL, on scikit-learn's diabetes data
(standardized), one thread. Part one times one query (batch of 5) in skal
(``learner.query``) and in scikit-activeml (``query`` with the regressor
already fitted), over the same labeled set and candidates, beside the
limit: one ``predict`` (with ``return_std``) of the model over the
candidates. Both libraries score every candidate (skal's ``max_candidates``
is lifted). The Gaussian process has fixed hyperparameters, so skal scores
EMVR, EMOC and KL in closed form; the "refits" rows force
``closed_form=False``. ``agree`` says whether the scores match (EMCM's bootstrap draws
and the tree's random rounding differ by design: ``-``). Part two runs
skal's strategies in paired simulations (``compare``) and reports the area
under the test-RMSE curve (lower is better) against random sampling, all
with the same Gaussian process.

Run ``PYTHONPATH=. python examples/benchmarks/bench_regression_strategies.py
[--quick] [--out DIR]``. The full run uses all 442 rows and 5 repeats up to
60 labels; ``--quick`` 100 rows and one short repeat (under a minute).
"""

import argparse
import json
import os
import platform
import time
import warnings

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel
from sklearn.linear_model import Ridge
from sklearn.tree import DecisionTreeRegressor
from threadpoolctl import threadpool_limits

from skal import ActiveLearner, compare
from skal.strategies import (
    ExpectedModelChangeMaximization,
    ExpectedModelOutputChange,
    ExpectedModelVarianceReduction,
    KLDivergenceMaximization,
    RegressionTreeBasedAL,
)

# fixed hyperparameters on standardized targets: skal scores it in closed form
GP = GaussianProcessRegressor(ConstantKernel(1.0) * RBF(3.0), alpha=0.5, optimizer=None)
TREE = DecisionTreeRegressor(min_samples_leaf=5, random_state=0)
BATCH = 5


def load(n):
    X, y = load_diabetes(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X[:n], (y[:n] - y.mean()) / y.std()  # RMSE in target stds


def seconds(func, repeat=1):
    best = np.inf
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - start)
    return best, out


def peers():
    """scikit-activeml's strategy and wrapped regressor for each row."""
    from skactiveml import pool
    from skactiveml.regressor import SklearnNormalRegressor, SklearnRegressor

    hermite = {"method": "gauss_hermite", "n_integration_samples": 5}
    return {
        "EMCM": (
            pool.ExpectedModelChangeMaximization(random_state=0),
            SklearnRegressor(Ridge()),
            {},
        ),
        "EMVR": (
            pool.ExpectedModelVarianceReduction(random_state=0),
            SklearnNormalRegressor(clone(GP)),
            {"X_eval": True},
        ),
        "EMOC": (
            pool.ExpectedModelOutputChange(hermite, random_state=0),
            SklearnNormalRegressor(clone(GP)),
            {},
        ),
        "KL divergence": (
            pool.KLDivergenceMaximization(random_state=0),
            SklearnNormalRegressor(clone(GP)),
            {},
        ),
        "tree, diversity": (
            pool.RegressionTreeBasedAL("diversity", random_state=0),
            SklearnRegressor(clone(TREE)),
            {},
        ),
        "tree, representativity": (
            pool.RegressionTreeBasedAL("representativity", random_state=0),
            SklearnRegressor(clone(TREE)),
            {},
        ),
    }


REFITS = {"closed_form": False, "max_candidates": None}
OURS = {  # name: (scikit-activeml row, strategy, model, how scores compare)
    "EMCM": ("EMCM", ExpectedModelChangeMaximization(), Ridge(), None),
    "EMVR": ("EMVR", ExpectedModelVarianceReduction(max_candidates=None), GP, 1.0),
    "EMVR, refits": ("EMVR", ExpectedModelVarianceReduction(**REFITS), GP, 1.0),
    "EMOC": ("EMOC", ExpectedModelOutputChange(max_candidates=None), GP, 1.0),
    "EMOC, refits": ("EMOC", ExpectedModelOutputChange(**REFITS), GP, 1.0),
    "KL divergence": (
        "KL divergence",
        KLDivergenceMaximization(max_candidates=None),
        GP,
        "sum",
    ),
    "KL divergence, refits": (
        "KL divergence",
        KLDivergenceMaximization(**REFITS),
        GP,
        "sum",
    ),
    "tree, diversity": (
        "tree, diversity",
        RegressionTreeBasedAL("diversity"),
        TREE,
        None,
    ),
    "tree, representativity": (
        "tree, representativity",
        RegressionTreeBasedAL("representativity"),
        TREE,
        None,
    ),
}


def speed_rows(n, n_labeled):
    X, y = load(n)
    labeled = np.random.RandomState(0).choice(n, n_labeled, replace=False)
    y_nan = np.full(n, np.nan)
    y_nan[labeled] = y[labeled]
    cand = np.flatnonzero(np.isnan(y_nan))
    try:
        their = peers()
    except ImportError:
        their = {}
    rows, peer_seconds = [], {}
    for name, (peer_name, strategy, model, compare_as) in OURS.items():
        learner = ActiveLearner(
            model, query_strategy=strategy, missing_label=np.nan, random_state=0
        ).fit(X, y_nan)
        skal_s, _ = seconds(lambda: learner.query(batch_size=BATCH))
        fitted = learner.estimator_
        std = "return_std" if model is GP else ""
        limit_s, _ = seconds(
            lambda: (
                fitted.predict(X[cand], return_std=True)
                if std
                else fitted.predict(X[cand])
            ),
            repeat=5,
        )
        row = {
            "strategy": name,
            "n_candidates": int(cand.size),
            "skal_s": skal_s,
            "limit_s": limit_s,
            "skactiveml_s": None,
            "agree": None,
        }
        if peer_name in peer_seconds:  # timed once per scikit-activeml row
            row["skactiveml_s"], util = peer_seconds[peer_name]
        elif peer_name in their:
            qs, reg, extra = their[peer_name]
            reg = reg.fit(X, y_nan)
            kwargs = {"X_eval": X[cand]} if extra.get("X_eval") else {}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                peer_s, (_, util) = seconds(
                    lambda: qs.query(
                        X,
                        y_nan,
                        reg,
                        fit_reg=False,
                        batch_size=BATCH,
                        return_utilities=True,
                        **kwargs,
                    )
                )
            row["skactiveml_s"] = peer_s
            peer_seconds[peer_name] = (peer_s, util)
        if row["skactiveml_s"] is not None:
            if compare_as is not None:
                ours = strategy.score(learner.query_context())
                theirs = util[0][cand]
                if compare_as == "sum":
                    theirs = theirs / cand.size
                row["agree"] = bool(np.allclose(ours, theirs, rtol=1e-5, atol=1e-9))
        rows.append(row)
    return rows


def rmse_rows(n, budget, n_repeats):
    X, y = load(n)
    strategies = {
        "random": ("random", GP),
        "std": ("std", GP),
        "EMCM": ("emcm", GP),
        "EMVR": ("emvr", GP),
        "EMOC": ("emoc", GP),
        "KL divergence": ("kl_divergence", GP),
        "tree, diversity": ("regression_tree_diversity", GP),
        "tree, representativity": ("regression_tree_representativity", GP),
    }
    learners = {
        name: ActiveLearner(model, query_strategy=s, missing_label=np.nan)
        for name, (s, model) in strategies.items()
    }
    result = compare(
        learners,
        X,
        y,
        budget=budget,
        batch_size=BATCH,
        n_initial=10,
        n_repeats=n_repeats,
        scoring="neg_root_mean_squared_error",
        random_state=0,
        progress=False,
    )
    rows = []
    for name, curve in result.items():
        query_s, _ = curve.seconds()
        rows.append(
            {
                "strategy": name,
                "model": type(strategies[name][1]).__name__,
                "rmse_area": -curve.aulc(),
                "final_rmse": -curve.final_score(),
                "query_s_per_repeat": query_s,
            }
        )
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small pool, < 1 min")
    parser.add_argument("--out", default=None, help="directory for the JSON result")
    args = parser.parse_args(argv)
    n = 100 if args.quick else 442
    with threadpool_limits(1):
        speed = speed_rows(n, 20 if args.quick else 40)
        rmse = rmse_rows(n, 25 if args.quick else 60, 1 if args.quick else 5)

    def fmt(s):
        return "-" if s is None else f"{s:.4f}"

    print(
        f"{'strategy':24s} {'cands':>6s} {'skal s':>8s} {'skactiveml s':>13s} "
        f"{'limit s':>8s}  agree"
    )
    for r in speed:
        agree = "-" if r["agree"] is None else str(r["agree"])
        print(
            f"{r['strategy']:24s} {r['n_candidates']:6d} {fmt(r['skal_s']):>8s} "
            f"{fmt(r['skactiveml_s']):>13s} {fmt(r['limit_s']):>8s}  {agree}"
        )
    print(
        f"\n{'strategy':24s} {'model':>24s} {'RMSE area':>10s} {'final':>8s} "
        f"{'query s':>8s}"
    )
    for r in rmse:
        print(
            f"{r['strategy']:24s} {r['model']:>24s} {r['rmse_area']:10.2f} "
            f"{r['final_rmse']:8.2f} {r['query_s_per_repeat']:8.2f}"
        )
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        result = {
            "machine": platform.processor() or platform.machine(),
            "quick": args.quick,
            "n": n,
            "batch_size": BATCH,
            "speed": speed,
            "rmse": rmse,
        }
        with open(os.path.join(args.out, "bench_regression_strategies.json"), "w") as f:
            json.dump(result, f, indent=2)
    return speed, rmse


if __name__ == "__main__":
    main()
