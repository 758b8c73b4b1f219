"""The rows of docs/coming_from_skactiveml.rst that claim the same scores or
the same picks as a scikit-activeml name, each checked against that name."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_diabetes, load_iris
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skal import ActiveLearner, Committee, CommitteeRegressor
from skal.annotators import interval_estimation, majority_vote
from skal.strategies import (
    BADGE,
    CoreSet,
    ExpectedErrorReduction,
    GreedySampling,
    bald,
    entropy,
    expected_cost,
    expected_cost_reduction,
    greedy_batchbald,
    k_center_greedy,
    least_confidence,
    margin,
    max_disagreement,
    select_top_k,
    variation_ratio,
    vote_entropy,
)
from skal.utils import missing_mask

pool = pytest.importorskip("skactiveml.pool")
skclf = pytest.importorskip("skactiveml.classifier")

RNG = np.random.default_rng(0)
PROBA = RNG.dirichlet(np.ones(4), size=40)
STACK = RNG.dirichlet(np.ones(3), size=(7, 30))  # (members, samples, classes)


@pytest.mark.parametrize(
    "method, ours",
    [
        ("least_confident", least_confidence),
        ("margin_sampling", margin),
        ("entropy", entropy),
    ],
)
def test_uncertainty_scores_are_skal_measures(method, ours):
    theirs = pool.uncertainty_scores(PROBA, method=method)
    np.testing.assert_allclose(ours(PROBA), theirs, atol=1e-12)


@pytest.mark.parametrize(
    "method, measure",
    [("least_confident", "least_confidence"), ("margin_sampling", "margin")],
)
def test_cost_sensitive_uncertainty_scores_are_expected_cost(method, measure):
    C = RNG.uniform(1, 5, (4, 4))
    np.fill_diagonal(C, 0)
    theirs = pool.uncertainty_scores(PROBA, cost_matrix=C, method=method)
    np.testing.assert_allclose(expected_cost(PROBA, C, measure=measure), theirs)


@pytest.mark.parametrize("m_max, prior", [(1, 1.0), (2, 1e-3), (3, 0.5)])
def test_cost_reduction_is_expected_cost_reduction(m_max, prior):
    K = RNG.uniform(0, 3, (25, 3))
    C = 1.0 - np.eye(3)
    C[0, 2] = 4.0
    theirs = pool.cost_reduction(K, C=C, m_max=m_max, prior=prior)
    ours = expected_cost_reduction(K, prior=prior, m_max=m_max, cost_matrix=C)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-14)


def test_committee_measures_are_skal_disagreements():
    votes = STACK.argmax(axis=2).T  # scikit-activeml: (n_samples, n_members)
    np.testing.assert_allclose(
        max_disagreement(STACK), pool.average_kl_divergence(STACK), atol=1e-6
    )
    np.testing.assert_allclose(
        vote_entropy(STACK), pool.vote_entropy(votes, classes=np.arange(3))
    )
    np.testing.assert_allclose(variation_ratio(STACK), pool.variation_ratios(votes))


def test_batch_bald_picks_are_greedy_batchbald_picks():
    # 3 classes, batch 5: at most 81 joint configurations, computed exactly
    # on both sides once scikit-activeml's n_MC_samples is at least that
    # (its default, the number of members, samples them from the 2nd pick).
    theirs = pool.batch_bald(
        STACK.copy(), batch_size=5, n_MC_samples=1024, random_state=0
    )
    idx, scores = greedy_batchbald(STACK, 5, n_configurations=1024, random_state=0)
    assert idx.tolist() == np.nanargmax(theirs, axis=1).tolist()
    np.testing.assert_allclose(scores, np.nanmax(theirs, axis=1), rtol=1e-5)
    default = pool.batch_bald(STACK.copy(), batch_size=5, random_state=0)
    assert np.nanargmax(default, axis=1).tolist() != idx.tolist()


def all_scores(learner):
    """The learner's strategy scores of every candidate, in pool order."""
    context = learner.query_context()
    idx, scores = learner.query_strategy_.select(context, context.n_candidates)
    out = np.empty(context.n_candidates)
    out[idx] = scores
    return out


def iris_partial(step=10):
    X, y = load_iris(return_X_y=True)
    y_nan = np.full(len(y), np.nan)
    y_nan[::step] = y[::step]
    y_skal = np.where(np.isnan(y_nan), -1, y_nan).astype(int)
    return X, y, y_nan, y_skal


def test_core_set_and_k_greedy_center_pick_the_same_samples():
    X, _, y_nan, y_skal = iris_partial()
    theirs = pool.CoreSet(random_state=0).query(X, y_nan, batch_size=6)
    learner = ActiveLearner(
        LogisticRegression(), query_strategy=CoreSet(), batch_size=6
    ).fit(X, y_skal)
    assert learner.query().tolist() == theirs.tolist()
    centres, _ = pool.k_greedy_center(X, y_nan, batch_size=6, random_state=0)
    labeled = y_skal >= 0
    rows = np.flatnonzero(~labeled)
    ours, _ = k_center_greedy(X, 6, X_labeled=X[labeled], rows=rows)
    assert rows[ours].tolist() == centres.tolist() == theirs.tolist()


def test_greedy_sampling_x_picks_the_same_samples():
    X, y = load_diabetes(return_X_y=True)
    X = X[:120, [2, 3]]
    y_nan = np.full(len(y[:120]), np.nan)
    y_nan[:3] = y[:3]
    theirs = pool.GreedySamplingX(random_state=0).query(X, y_nan, batch_size=8)
    learner = ActiveLearner(
        LinearRegression(),
        query_strategy=GreedySampling("x"),
        batch_size=8,
        missing_label=np.nan,
    ).fit(X, y_nan)
    assert learner.query().tolist() == theirs.tolist()


@pytest.mark.parametrize(
    "method, measure",
    [
        ("KL_divergence", "max_disagreement"),
        ("vote_entropy", "vote_entropy"),
        ("variation_ratios", "variation_ratios"),
    ],
)
def test_query_by_committee_methods_are_skal_measures(method, measure):
    X, _, y_nan, y_skal = iris_partial(step=7)
    members = [
        ("lr", LogisticRegression(max_iter=1000)),
        ("nb", GaussianNB()),
        ("tree", DecisionTreeClassifier(max_depth=2, random_state=0)),
    ]
    learner = Committee(members, query_strategy=measure, batch_size=1).fit(X, y_skal)
    ensemble = [
        skclf.SklearnClassifier(est, classes=[0, 1, 2], random_state=0)
        for _, est in members
    ]
    qs = pool.QueryByCommittee(method=method, random_state=0)
    _, utilities = qs.query(X, y_nan, ensemble=ensemble, return_utilities=True)
    idx, scores = learner.query(return_scores=True)
    unlabeled = np.flatnonzero(y_skal < 0)
    ours = all_scores(learner)
    # scikit-activeml clips probabilities at eps=1e-7 before the logarithm
    np.testing.assert_allclose(ours, utilities[0, unlabeled], rtol=1e-4)
    assert scores[0] == pytest.approx(np.nanmax(utilities[0]), rel=1e-4)
    # the vote measures tie often; both pick one of the best at random
    assert utilities[0, idx[0]] == pytest.approx(np.nanmax(utilities[0]), rel=1e-4)


@pytest.mark.parametrize(
    "method, loss", [("misclassification_loss", "zero_one"), ("log_loss", "log")]
)
def test_monte_carlo_eer_scores_are_expected_error_reduction(method, loss):
    X, _, y_nan, y_skal = iris_partial(step=15)
    X, y_nan, y_skal = X[::3], y_nan[::3], y_skal[::3]
    lr = LogisticRegression(max_iter=1000)
    learner = ActiveLearner(
        lr, query_strategy=ExpectedErrorReduction(loss, max_candidates=None)
    ).fit(X, y_skal)
    unlabeled = np.flatnonzero(y_skal < 0)
    clf = skclf.SklearnClassifier(lr, classes=[0, 1, 2], random_state=0)
    qs = pool.MonteCarloEER(method=method, subtract_current=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, utilities = qs.query(
            X, y_nan, clf=clf, X_eval=X[unlabeled], return_utilities=True
        )
    ours = all_scores(learner)
    # scikit-activeml sums the risk over the evaluation set, skal averages:
    # the same scores up to the factor len(X_eval), the same pick.
    theirs = utilities[0, unlabeled]
    np.testing.assert_allclose(ours * len(unlabeled), theirs, rtol=1e-3, atol=1e-6)
    assert np.argmax(ours) == np.argmax(theirs)


def test_greedy_bald_scores_are_bald():
    # GreedyBALD takes the top of BatchBALD's first row, the BALD scores
    theirs = pool.batch_bald(STACK.copy(), batch_size=1, random_state=0)[0]
    np.testing.assert_allclose(bald(STACK), theirs, atol=1e-6)


def test_badge_first_pick_is_the_largest_gradient_embedding():
    # both seed k-means++ at the largest norm; the later draws differ
    X, _, y_nan, y_skal = iris_partial()
    lr = LogisticRegression(max_iter=1000)
    for seed in range(3):
        clf = skclf.SklearnClassifier(lr, classes=[0, 1, 2], random_state=seed)
        theirs = pool.Badge(random_state=seed).query(
            X, y_nan, clf=clf.fit(X, y_nan), fit_clf=False, batch_size=4
        )
        ours = ActiveLearner(
            lr, query_strategy=BADGE(), batch_size=4, random_state=seed
        ).fit(X, y_skal)
        assert ours.query()[0] == theirs[0]


def test_interval_estimation_annot_model_is_interval_estimation():
    ma = pytest.importorskip("skactiveml.pool.multiannotator")
    skutils = pytest.importorskip("skactiveml.utils")
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 3, 60)
    Y = np.where(
        rng.random((60, 4)) < [0.1, 0.2, 0.4, 0.6],
        rng.integers(0, 3, (60, 4)),
        truth[:, None],
    ).astype(float)
    Y[rng.random((60, 4)) < 0.3] = np.nan
    reference = skutils.majority_vote(Y, classes=[0, 1, 2], random_state=0)
    model = ma.IntervalEstimationAnnotModel(classes=[0, 1, 2], random_state=0)
    theirs = model.fit(None, Y).A_perf_
    ours = interval_estimation(Y, reference, missing_label=np.nan)
    np.testing.assert_allclose(ours[:, 1], theirs[:, 1])
    # skal's sample standard deviation (ddof=1), scikit-activeml's ddof=0
    n = (~np.isnan(Y)).sum(axis=0) + 2
    half_ours, half_theirs = ours[:, 2] - ours[:, 1], theirs[:, 2] - theirs[:, 1]
    np.testing.assert_allclose(half_ours, half_theirs * np.sqrt(n / (n - 1)))


def test_utils_recipes_give_scikit_activemls_answers():
    skutils = pytest.importorskip("skactiveml.utils")
    y = np.array([0.0, np.nan, 2.0, np.nan, 1.0])
    np.testing.assert_array_equal(missing_mask(y, np.nan), skutils.is_unlabeled(y))
    np.testing.assert_array_equal(~missing_mask(y, np.nan), skutils.is_labeled(y))
    y_int = np.array([0, -1, 2, -1, 1])
    assert np.flatnonzero(missing_mask(y_int)).tolist() == (
        skutils.unlabeled_indices(y_int, missing_label=-1).tolist()
    )
    assert np.flatnonzero(~missing_mask(y_int)).tolist() == (
        skutils.labeled_indices(y_int, missing_label=-1).tolist()
    )
    scores = RNG.permutation(20) / 20.0  # distinct: no tie to break
    # simple_batch writes NaN over the chosen scores: give it a copy
    theirs = skutils.simple_batch(scores.copy(), random_state=0, batch_size=4)
    assert select_top_k(scores, 4, random_state=0).tolist() == theirs.tolist()
    assert select_top_k(scores, 1)[0] == skutils.rand_argmax(scores)[0]
    Y = np.array([[0, 0, 1], [2, 2, 2], [1, -1, 1], [-1, 0, -1]])
    np.testing.assert_array_equal(
        majority_vote(Y), skutils.majority_vote(Y, missing_label=-1)
    )


def test_utilities_on_a_grid_are_the_strategy_scores():
    # scikit-activeml's plot_utilities draws qs.query(..., candidates=grid,
    # return_utilities=True); skal's scores of the same grid are these
    X, _, y_nan, y_skal = iris_partial()
    X = X[:, :2]
    grid = np.stack(np.meshgrid(np.linspace(4, 8, 7), np.linspace(2, 4.5, 5)), -1)
    grid = grid.reshape(-1, 2)
    lr = LogisticRegression(max_iter=1000)
    learner = ActiveLearner(lr, query_strategy="margin").fit(X, y_skal)
    ours = learner.query_strategy_.score(learner.query_context(grid))
    clf = skclf.SklearnClassifier(lr, classes=[0, 1, 2]).fit(X, y_nan)
    qs = pool.UncertaintySampling(method="margin_sampling", random_state=0)
    _, theirs = qs.query(
        X, y_nan, clf=clf, fit_clf=False, candidates=grid, return_utilities=True
    )
    np.testing.assert_allclose(ours, theirs[0], atol=1e-12)


def test_regression_committee_std_is_query_by_committee():
    skreg = pytest.importorskip("skactiveml.regressor")
    X, y = load_diabetes(return_X_y=True)
    X, y = X[:60], y[:60]
    y_nan = np.where(np.arange(60) < 15, y, np.nan)
    members = [("ridge", Ridge()), ("lin", LinearRegression())]
    members.append(("tree", DecisionTreeRegressor(max_depth=3, random_state=0)))
    learner = CommitteeRegressor(
        members, query_strategy="std", missing_label=np.nan
    ).fit(X, y_nan)
    ensemble = [skreg.SklearnRegressor(est, random_state=0) for _, est in members]
    qs = pool.QueryByCommittee(random_state=0)
    _, utilities = qs.query(X, y_nan, ensemble=ensemble, return_utilities=True)
    ours = learner.query_strategy_.score(learner.query_context())
    np.testing.assert_allclose(ours, utilities[0, 15:], rtol=1e-10)


def test_the_migration_page_names_every_public_name():
    import importlib
    import re
    from pathlib import Path

    page = Path(__file__).parents[1] / "docs" / "coming_from_skactiveml.rst"
    text = page.read_text()
    modules = ["pool", "pool.multiannotator", "stream", "stream.budgetmanager"]
    modules += ["classifier", "classifier.multiannotator", "regressor"]
    missing = []
    for module in [*modules, "utils", "visualization"]:
        names = importlib.import_module(f"skactiveml.{module}").__all__
        for name in set(names) - {"multiannotator", "utils", "budgetmanager"}:
            if not re.search(rf"\b{re.escape(name)}\b", text):
                missing.append(f"skactiveml.{module}.{name}")
    assert not missing, f"not on {page.name}: {sorted(missing)}"
