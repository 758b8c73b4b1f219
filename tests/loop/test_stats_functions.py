"""The statistics on plain numbers, and the split that pairs compare's repeats.

skal.loop._stats' exact Wilcoxon extreme and non-inferiority test, p-values
printed on their side of alpha, and compare giving every strategy the same
split and initial set (what makes its repeats paired). A Comparison's
intervals, tests and verdicts on hand-made curves are in test_stats.py.
"""

import math

import numpy as np
import pytest
from scipy import stats
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner, compare
from skal.loop._stats import min_wilcoxon_p, non_inferiority_p


def test_p_values_print_on_their_side_of_alpha():
    from skal.loop._report import _fmt_p

    assert _fmt_p(0.04996168) == "0.04996"  # not "0.050": it is below 0.05
    assert _fmt_p(0.0457) == "0.046" and _fmt_p(0.866) == "0.866"
    assert _fmt_p(0.05) == "0.050" and _fmt_p(0.0504, alpha=0.05) == "0.050"
    assert _fmt_p(0.0996, alpha=0.1) == "0.0996"
    assert _fmt_p(0.0004) == "<0.001" and _fmt_p(None) == "-"


def test_min_wilcoxon_p_is_the_exact_extreme():
    for n in (3, 5, 6):
        d = np.arange(1, n + 1) / 100
        assert min_wilcoxon_p(n) == pytest.approx(stats.wilcoxon(d).pvalue)


def test_compare_gives_every_strategy_the_same_split_and_initial_set():
    X, y = load_wine(return_X_y=True)
    seen = []

    def scorer(estimator, X_test, y_test):
        seen.append(hash(X_test.tobytes()))
        return estimator.score(X_test, y_test)

    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500))
    learners = {s: ActiveLearner(model, query_strategy=s) for s in ["margin", "random"]}
    result = compare(
        learners,
        X,
        y,
        budget=30,
        batch_size=10,
        n_initial=8,
        scoring=scorer,
        random_state=1,
        progress=False,
    )
    assert len(seen) == 2 * 3 * 4 and len(set(seen)) == 1  # one test set for all
    margin, random = result["margin"].repeats, result["random"].repeats
    assert len(margin) == 3  # the default number of repeats
    for a, b in zip(margin, random):
        assert a["seed"] == b["seed"]
        assert a["initial_indices"] == b["initial_indices"]
        assert len(a["initial_indices"]) == 8
        assert a["score"][0] == b["score"][0]  # same start, same model
    assert margin[0]["initial_indices"] != margin[1]["initial_indices"]
    # the initial rows are rows of X with their own labels: one per class at least
    assert set(y[margin[0]["initial_indices"]]) == {0, 1, 2}
    assert result.summary()[0]["n_paired"] == 3


def test_non_inferiority_p_is_the_one_sided_shifted_t_test():
    rng = np.random.RandomState(0)
    base = rng.uniform(0.8, 0.9, 20)
    values = base - 0.002 + rng.normal(0, 0.003, 20)
    d = values - base
    # by hand: t = (mean + delta) / (s / sqrt n), upper tail on n - 1 dof
    t = (d.mean() + 0.005) / (d.std(ddof=1) / math.sqrt(20))
    assert non_inferiority_p(values, base, margin=0.005) == pytest.approx(
        stats.t.sf(t, 19)
    )
    assert non_inferiority_p(values, base, margin=0.005) < 0.05
    # 0.002 below on average: not shown to match at a margin of 0
    assert non_inferiority_p(values, base, margin=0.0) > 0.5
    # a larger margin is easier to meet
    assert non_inferiority_p(values, base, margin=0.01) < non_inferiority_p(
        values, base, margin=0.005
    )


def test_non_inferiority_p_edge_cases():
    assert non_inferiority_p([0.8], [0.8], margin=0.005) is None
    # identical curves match; a constant loss beyond the margin does not
    assert non_inferiority_p([0.8, 0.9], [0.8, 0.9], margin=0.005) == 0.0
    assert non_inferiority_p([0.79, 0.89], [0.8, 0.9], margin=0.005) == 1.0
    with pytest.raises(ValueError, match="equal, non-zero length"):
        non_inferiority_p([0.8, 0.9], [0.8], margin=0.005)
    with pytest.raises(ValueError, match="margin must be a finite float"):
        non_inferiority_p([0.8, 0.9], [0.8, 0.9], margin=-0.1)
