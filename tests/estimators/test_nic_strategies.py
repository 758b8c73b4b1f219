"""skal's NICKernelRegressor drives the regression strategies as scikit-activeml's
does with its own: the same picks, round after round, in an ActiveLearner."""

import numpy as np
import pytest
from sklearn.datasets import load_diabetes

from skal import ActiveLearner
from skal.estimators import NICKernelRegressor
from skal.strategies import (
    ExpectedModelChangeMaximization,
    ExpectedModelOutputChange,
    ExpectedModelVarianceReduction,
    GreedySampling,
)

pool = pytest.importorskip("skactiveml.pool")
regressor = pytest.importorskip("skactiveml.regressor")
GAMMA = {"metric_dict": {"gamma": 2.0}}


@pytest.fixture
def data():
    X, y = load_diabetes(return_X_y=True)
    X = X[:80, [2, 3]] * 10  # BMI and blood pressure, unit scale
    return X, (y[:80] - y[:80].mean()) / y[:80].std()


GH3 = {"method": "gauss_hermite", "n_integration_samples": 3}
CASES = {
    "emvr": (
        ExpectedModelVarianceReduction(max_candidates=None),
        lambda: pool.ExpectedModelVarianceReduction(random_state=0),
    ),
    "emvr, Gauss-Hermite": (
        ExpectedModelVarianceReduction(
            "gauss_hermite", n_integration_points=3, max_candidates=None
        ),
        lambda: pool.ExpectedModelVarianceReduction(
            random_state=0, integration_dict=GH3
        ),
    ),
    "emoc, assume linear": (
        ExpectedModelOutputChange(integration="assume_linear", max_candidates=None),
        lambda: pool.ExpectedModelOutputChange(random_state=0),
    ),
    "emoc, Gauss-Hermite": (
        ExpectedModelOutputChange(n_integration_points=3, max_candidates=None),
        lambda: pool.ExpectedModelOutputChange(random_state=0, integration_dict=GH3),
    ),
    "gsy": (
        GreedySampling("y"),
        lambda: pool.GreedySamplingTarget(method="GSy", random_state=0),
    ),
    "igs": (
        GreedySampling("xy"),
        lambda: pool.GreedySamplingTarget(method="GSi", random_state=0),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_same_picks_as_skactiveml_round_after_round(data, case):
    X, y = data
    ours, theirs = CASES[case]
    y_nan = np.full(len(y), np.nan)
    y_nan[::8] = y[::8]
    learner = ActiveLearner(
        NICKernelRegressor(**GAMMA),
        query_strategy=ours,
        missing_label=np.nan,
        random_state=0,
    ).fit(X, y_nan)
    kwargs = {}
    for _ in range(2 if "Hermite" in case else 4):
        if case.startswith("em"):  # theirs evaluates on all of X by default
            kwargs = {"X_eval": X[np.isnan(y_nan)]}
        q = theirs().query(
            X, y_nan, regressor.NICKernelRegressor(**GAMMA), batch_size=2, **kwargs
        )
        idx = learner.query(batch_size=2)
        assert sorted(idx.tolist()) == sorted(q.tolist())
        learner.teach(X[idx], y[idx])
        y_nan[q] = y[q]


def test_emcm_same_scores_given_the_same_bootstraps(data, monkeypatch):
    module = pytest.importorskip("skactiveml.pool._expected_model_change_maximization")
    X, y = data
    y_nan = np.full(len(y), np.nan)
    y_nan[::5] = y[::5]
    labeled = ~np.isnan(y_nan)
    ours = ExpectedModelChangeMaximization(3)
    boots = [
        NICKernelRegressor(**GAMMA).fit(X[labeled][rows], y[labeled][rows])
        for rows in np.random.RandomState(0).randint(0, labeled.sum(), (3, 16))
    ]
    # both libraries' bootstraps replaced by the same three models
    monkeypatch.setattr(ours, "bootstrap_models", lambda context: boots)
    monkeypatch.setattr(module, "_bootstrap_estimators", lambda *a, **k: boots)
    learner = ActiveLearner(
        NICKernelRegressor(**GAMMA),
        query_strategy=ours,
        missing_label=np.nan,
        random_state=0,
    ).fit(X, y_nan)
    scores = ours.score(learner.query_context())
    q, theirs = pool.ExpectedModelChangeMaximization(random_state=0).query(
        X,
        y_nan,
        regressor.NICKernelRegressor(**GAMMA),
        batch_size=3,
        return_utilities=True,
    )
    np.testing.assert_allclose(theirs[0, ~labeled], scores, rtol=1e-10)
    assert sorted(learner.query(batch_size=3).tolist()) == sorted(q.tolist())


def test_kl_divergence_is_gaussian_not_student_t(data):
    from skal.strategies import KLDivergenceMaximization
    from skal.strategies._kl_divergence import gaussian_kl

    X, y = data
    y_nan = np.full(len(y), np.nan)
    y_nan[::6] = y[::6]
    ours = KLDivergenceMaximization(max_candidates=None)
    learner = ActiveLearner(
        NICKernelRegressor(**GAMMA), query_strategy=ours, missing_label=np.nan
    ).fit(X, y_nan)
    ctx = learner.query_context()
    scores = ours.score(ctx)
    # skal: the mean Gaussian KL of the refit at y = mu(x) (assume_linear)
    X_c = X[ctx.candidates]
    base = NICKernelRegressor(**GAMMA).fit(X[::6], y[::6])
    mean, std = base.predict(X_c, return_std=True)
    i = int(np.argmax(scores))
    refit = NICKernelRegressor(**GAMMA).fit(
        np.vstack([X[::6], X_c[i]]), np.append(y[::6], mean[i])
    )
    new_mean, new_std = refit.predict(X_c, return_std=True)
    expected = np.mean(gaussian_kl(new_mean, new_std, mean, std))
    assert scores[i] == pytest.approx(expected, rel=1e-10)
    # scikit-activeml: the Student-t divergence, not a multiple of skal's
    _, theirs = pool.KLDivergenceMaximization(random_state=0).query(
        X, y_nan, regressor.NICKernelRegressor(**GAMMA), return_utilities=True
    )
    ratio = theirs[0, ctx.candidates] / ctx.n_candidates / scores
    assert 6 < ratio.min() < 7 and 38 < ratio.max() < 39
    top = set(np.argsort(-scores)[:4]) & set(np.argsort(-theirs[0, ctx.candidates])[:4])
    assert top == set()
