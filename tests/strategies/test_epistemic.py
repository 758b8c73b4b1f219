"""Epistemic uncertainty sampling: closed forms, brute force, scikit-activeml."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from skal.strategies import (
    EpistemicUncertaintySampling,
    QueryContext,
    epistemic_uncertainty,
)


def brute_force(n, p, grid=200_001):
    theta = np.linspace(0, 1, grid)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_l = np.nan_to_num(p * np.log(theta)) + np.nan_to_num(n * np.log(1 - theta))
    L = np.exp(log_l - log_l.max())
    pi_1 = np.max(np.minimum(L, 2 * theta - 1))
    pi_0 = np.max(np.minimum(L, 1 - 2 * theta))
    return min(pi_0, pi_1)


def test_closed_forms():
    # one label of each class: L = 4 theta (1 - theta) crosses 2 theta - 1
    # where 4 theta^2 - 2 theta - 1 = 0, at 2 theta - 1 = (sqrt 5 - 1) / 2
    scores = epistemic_uncertainty([[1, 1], [0, 0], [3, 0], [0, 3]])
    assert scores[0] == pytest.approx((np.sqrt(5) - 1) / 2, abs=1e-12)
    assert scores[1] == 1.0  # no evidence: fully epistemic
    # all evidence on one side: theta^3 = 1 - 2 theta for the other class
    theta = np.roots([1, 0, 2, -1]).real[np.isreal(np.roots([1, 0, 2, -1]))][0]
    assert scores[2] == pytest.approx(1 - 2 * theta, abs=1e-12) == scores[3]


@pytest.mark.parametrize("n, p", [(0.3, 2.7), (3.2, 0.1), (10, 10), (50, 45), (2, 5)])
def test_against_a_grid_search(n, p):
    assert epistemic_uncertainty([[n, p]])[0] == pytest.approx(
        brute_force(n, p), abs=1e-5
    )


def test_tiny_evidence_is_fully_epistemic():
    # far from every label a Parzen window's counts underflow towards 0:
    # theta = 1 - 1e-25 is not a float, so the solver works in 1 - theta
    assert epistemic_uncertainty([[1e-35, 3e-11]])[0] == pytest.approx(1.0)


def test_more_balanced_evidence_is_less_epistemic():
    scores = epistemic_uncertainty([[1, 1], [5, 5], [20, 20], [100, 100]])
    assert np.all(np.diff(scores) < 0)


def test_refuses_bad_frequencies_and_more_classes():
    with pytest.raises(ValueError, match="two classes, of shape"):
        epistemic_uncertainty([[1.0, 2.0, 3.0]])
    ctx = QueryContext(np.zeros((3, 1)), classes=[0, 1, 2])
    with pytest.raises(ValueError, match="defined for two classes"):
        EpistemicUncertaintySampling().select(ctx, 1)


def test_agrees_with_skactiveml_parzen_window():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y = make_blobs(200, centers=2, cluster_std=2.0, random_state=0)
    labeled = np.arange(0, 200, 10)
    cand = np.setdiff1d(np.arange(200), labeled)
    y_nan = np.full(200, np.nan)
    y_nan[labeled] = y[labeled]
    pwc = classifier.ParzenWindowClassifier(classes=[0, 1], metric_dict={"gamma": 0.2})
    q, util = pool.EpistemicUncertaintySampling(random_state=0).query(
        X, y_nan, pwc, batch_size=1, return_utilities=True
    )
    ctx = QueryContext(
        X,
        cand,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=[0, 1],
        random_state=0,
    )
    strategy = EpistemicUncertaintySampling(metric_params={"gamma": 0.2})
    ours = strategy.score(ctx)
    # theirs maximizes with a bounded scalar search (tolerance 1e-5)
    np.testing.assert_allclose(ours, util[0][cand], atol=1e-4)
    assert np.all(ours >= util[0][cand] - 1e-9)  # the exact supremum is larger
    assert cand[strategy.select(ctx, 1)[0][0]] == q[0]


_TWO_CLASSES_ONLY = (
    "query_strategy='epistemic' (EpistemicUncertaintySampling) is defined for two "
    "classes only, but the labels hold 3 classes: [0, 1, 2]. Use a strategy for any "
    "number of classes, e.g. query_strategy='entropy', 'margin' or 'random', or "
    "merge the classes into two."
)


def test_a_learner_refuses_it_once_the_labels_hold_three_classes():
    # it failed at the first query, inside the Parzen window's frequencies
    from sklearn.linear_model import LogisticRegression

    from skal import ActiveLearner
    from skal.strategies import Hybrid

    X, y = make_blobs(30, centers=3, random_state=0)
    partial = np.where(np.arange(30) < 9, y, -1)
    learner = ActiveLearner(LogisticRegression(), query_strategy="epistemic")
    with pytest.raises(ValueError) as info:
        learner.fit(X, partial)
    assert str(info.value) == _TWO_CLASSES_ONLY
    with pytest.raises(ValueError, match="hold 3 classes"):  # with a budget too
        learner.set_params(budget=12, n_initial=6).fit(X, y)
    # two classes at fit, a third taught: teach says so
    two = np.where(partial == 2, -1, partial)
    learner.set_params(budget=None).fit(X, two)
    assert learner.query().shape == (1,)
    third = np.flatnonzero(y == 2)[0]
    with pytest.warns(UserWarning, match="teach added new classes"):
        with pytest.raises(ValueError, match="defined for two classes only"):
            learner.teach(X[[third]], [2])
    # a learner fitted on three classes, switched to it by set_params
    other = ActiveLearner(LogisticRegression()).fit(X, partial)
    with pytest.raises(ValueError) as info:
        other.set_params(query_strategy="epistemic").query()
    assert str(info.value) == _TWO_CLASSES_ONLY
    # a hybrid holding it is two-class only too
    both = Hybrid([("e", "epistemic"), ("m", "margin")])
    assert both.binary_only and not Hybrid([("m", "margin")]).binary_only
    with pytest.raises(ValueError, match=r"query_strategy=Hybrid\(.*two classes only"):
        ActiveLearner(LogisticRegression(), query_strategy=both).fit(X, partial)
    # and two classes are served
    binary = np.where(partial == 2, 1, partial)
    learner = ActiveLearner(LogisticRegression(), query_strategy="epistemic")
    assert learner.fit(X, binary).query().shape == (1,)


def test_the_declarations_the_command_line_reads():
    from skal._cli_learners import BINARY_STRATEGIES, TORCH_STRATEGIES
    from skal.strategies import MAL, VAAL, BaseStrategy

    assert EpistemicUncertaintySampling.binary_only and not BaseStrategy.binary_only
    assert VAAL.requires_torch and MAL.requires_torch
    assert not BaseStrategy.requires_torch
    assert BINARY_STRATEGIES == {"epistemic"}
    assert TORCH_STRATEGIES == {"vaal", "mal"}


def test_a_direct_three_class_context_names_the_classes_as_a_list():
    rng = np.random.RandomState(0)
    context = QueryContext(
        rng.rand(5, 2),
        np.arange(5),
        X_labeled=rng.rand(3, 2),
        y_labeled=np.array([3, 7, 100]),
        classes=np.array([3, 7, 100]),
    )
    with pytest.raises(ValueError, match=r"got classes \[3, 7, 100\]\.$"):
        EpistemicUncertaintySampling().score(context)


@pytest.mark.parametrize(
    "metric_params, error, match",
    [
        ({"foo": 1}, ValueError, r"metric_params=\{'foo': 1\} does not fit"),
        ({"gamma": np.nan}, ValueError, r"metric_params gamma=nan .* number > 0"),
        ({"gamma": -1}, ValueError, r"metric_params gamma=-1 .* finite number > 0"),
        ({"gamma": "mean"}, TypeError, r"metric_params gamma='mean' must be a number"),
    ],
)
def test_bad_metric_params_are_refused_by_both_parzen_strategies(
    metric_params, error, match
):
    from skal.strategies import ProbabilisticAL

    rng = np.random.RandomState(0)
    Z = rng.randn(12, 2)
    ctx = QueryContext(
        Z[4:], X_labeled=Z[:4], y_labeled=np.array([0, 1, 0, 1]), classes=[0, 1]
    )
    for strategy in (EpistemicUncertaintySampling, ProbabilisticAL):
        with pytest.raises(error, match=match):
            strategy(metric_params=metric_params).score(ctx)


def test_non_finite_frequencies_are_refused_not_scored():
    with pytest.raises(ValueError, match="needs finite non-negative frequencies"):
        epistemic_uncertainty([[np.nan, 1.0], [1.0, 1.0]])
    with pytest.raises(ValueError, match="needs finite non-negative frequencies"):
        epistemic_uncertainty([[np.inf, 1.0], [1.0, 1.0]])
    Z = np.array([[10.0], [20.0], [30.0], [15.0], [25.0]])
    ctx = QueryContext(
        Z[3:], X_labeled=Z[:3], y_labeled=np.array([0, 1, 0]), classes=[0, 1]
    )
    with pytest.raises(ValueError, match="The kernel 'poly' gave NaN or infinite"):
        EpistemicUncertaintySampling("poly", metric_params={"degree": 300}).score(ctx)
