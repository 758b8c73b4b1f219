"""4DS: the terms by hand, the cold start, and scikit-activeml's utilities."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture

from skal.strategies import FourDs, QueryContext, resolve_strategy


def minmax(v):
    return (v - v.min() + 1e-5) / (v.max() - v.min() + 1e-5)


def setup(n_labeled_step=10):
    X, y = make_blobs(200, centers=3, random_state=0)
    labeled = np.arange(0, 200, n_labeled_step)
    cand = np.setdiff1d(np.arange(200), labeled)
    gmm = GaussianMixture(3, random_state=0).fit(X)
    P = np.random.RandomState(0).dirichlet(np.ones(3), 200)
    order = np.argsort(X[:, 0])  # rows are told apart by their first feature

    def row_proba(Z):
        return P[order[np.searchsorted(X[order, 0], Z[:, 0])]]

    proba = {"proba": row_proba}
    ctx = QueryContext(
        X,
        cand,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=np.arange(3),
        random_state=0,
        signals=proba,
    )
    return X, y, labeled, cand, gmm, P, ctx


def test_second_pick_follows_the_formula():
    X, y, labeled, cand, gmm, P, ctx = setup()
    picks, U = FourDs(lmbda=0.2, mixture=gmm).utilities(ctx, 2)
    R, R_l = gmm.predict_proba(X[cand]), gmm.predict_proba(X[labeled])
    Ps = np.sort(P[cand], axis=1)
    dist = minmax(np.log((Ps[:, -1] + 1e-5) / (Ps[:, -2] + 1e-5)))
    dens = minmax(gmm.score_samples(X[cand]))
    w = gmm.weights_
    rho = min(1.0, np.abs(w - R_l.mean(axis=0)).sum())
    alpha = (1 - rho) * np.mean((1 - Ps[:, -1]) * dens)
    first = (
        alpha * (1 - dist)
        + (1 - rho - alpha) * dens
        + rho * (1 - np.maximum(w - (R + R_l.sum(0)) / (len(labeled) + 1), 0).sum(1))
    )
    np.testing.assert_allclose(U[0], first, rtol=1e-12)
    s = picks[0]
    rho2 = min(rho, 0.8)
    alpha2 = (1 - rho2 - 0.2) * np.mean(Ps[:, -1])
    div = -np.log(dens + dens[s])
    div = (div - div.min()) / (div.max() - div.min())
    mean = (R + R[s] + R_l.sum(0)) / (len(labeled) + 2)  # L, S = {s}, and x
    second = (
        alpha2 * (1 - dist)
        + (1 - rho2 - 0.2 - alpha2) * dens
        + 0.2 * div
        + rho2 * (1 - np.maximum(w - mean, 0).sum(1))
    )
    second[s] = np.nan
    np.testing.assert_allclose(U[1], second, rtol=1e-12)
    assert picks[1] == np.nanargmax(second)


def test_cold_start_is_distribution_only():
    X, _ = make_blobs(60, centers=2, random_state=1)
    gmm = GaussianMixture(2, random_state=0).fit(X)
    ctx = QueryContext(
        X,
        classes=[0, 1],
        random_state=0,
        signals={"proba": lambda Z: np.full((len(Z), 2), 0.5)},
    )
    _, U = FourDs(mixture=gmm).utilities(ctx, 1)
    expected = 1 - np.maximum(gmm.weights_ - gmm.predict_proba(X), 0).sum(axis=1)
    np.testing.assert_allclose(U[0], expected, rtol=1e-12)


def test_fits_its_own_mixture_when_not_given_one():
    X, y, labeled, cand, gmm, P, ctx = setup()
    strategy = FourDs()
    mixture = strategy.fit_mixture(ctx)
    assert mixture.n_components == 3 and mixture.weights_.shape == (3,)
    assert strategy.mixture is None  # nothing stored on the strategy
    assert len(set(strategy.select(ctx, 4)[0].tolist())) == 4


def test_wide_embeddings_get_diagonal_covariances():
    # 50 rows x 5,000 columns took 80 s a query with full 5,000^2 covariances
    X, y = make_blobs(24, n_features=40, centers=2, random_state=0)
    labeled = np.arange(0, 24, 4)

    def context(columns):
        return QueryContext(
            X[:, :columns],
            np.setdiff1d(np.arange(24), labeled),
            X_labeled=X[labeled, :columns],
            y_labeled=y[labeled],
            classes=[0, 1],
            random_state=0,
            signals={"proba": lambda Z: np.full((len(Z), 2), 0.5)},
        )

    mixture = FourDs().fit_mixture(context(40))
    assert mixture.covariance_type == "diag" and mixture.covariances_.shape == (2, 40)
    seed = np.random.RandomState(0).randint(np.iinfo(np.int32).max)
    same = BayesianGaussianMixture(
        n_components=2, covariance_type="diag", random_state=seed
    )
    _, U = FourDs().utilities(context(40), 1)
    _, expected = FourDs(mixture=same).utilities(context(40), 1)
    np.testing.assert_allclose(U, expected, rtol=1e-12)
    assert FourDs().fit_mixture(context(3)).covariance_type == "full"


def test_validation_and_name():
    ctx = QueryContext(np.zeros((3, 1)), classes=[0, 1])
    with pytest.raises(ValueError, match="'lmbda' parameter of FourDs"):
        FourDs(lmbda=1.5).select(ctx, 1)
    with pytest.raises(ValueError, match="FourDs needs the classes"):
        FourDs().select(QueryContext(np.zeros((3, 1))), 1)
    assert isinstance(resolve_strategy("4ds"), FourDs)


@pytest.mark.parametrize("proba", ["mixture", "model"])
def test_first_pick_agrees_with_skactiveml(proba):
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y, labeled, cand, gmm, P, ctx = setup()
    y_nan = np.full(200, np.nan)
    y_nan[labeled] = y[labeled]
    clf = classifier.MixtureModelClassifier(mixture_model=gmm, classes=[0, 1, 2])
    clf.fit(X, y_nan)
    ctx = QueryContext(
        X,
        cand,
        X_labeled=X[labeled],
        y_labeled=y[labeled],
        classes=np.arange(3),
        random_state=0,
        signals={"proba": clf.predict_proba},
    )
    q, util = pool.FourDs(random_state=0).query(
        X, y_nan, clf, fit_clf=False, batch_size=1, return_utilities=True
    )
    picks, U = FourDs(mixture=gmm, proba=proba).utilities(ctx, 1)
    np.testing.assert_allclose(U[0], util[0][cand], rtol=1e-10)
    assert cand[picks[0]] == q[0]
