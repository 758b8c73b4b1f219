"""NICKernelRegressor, NadarayaWatsonRegressor: scikit-activeml's numbers, errors."""

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.stats import norm, uniform
from sklearn.datasets import load_diabetes

from skal.estimators import NadarayaWatsonRegressor, NICKernelRegressor, _nic

regressor = pytest.importorskip("skactiveml.regressor")


def _diabetes():
    X, y = load_diabetes(return_X_y=True)
    return X[::3] * 10, y[::3], X * 10


def _tutorial():
    # scikit-activeml's regression tutorial: x^3 + 2x^2 + x - 1 with noise
    x = np.sort(
        np.concatenate(
            (
                uniform.rvs(0, 1, 60, random_state=0),
                uniform.rvs(1, 0.5, 30, random_state=0),
                uniform.rvs(1.5, 0.5, 10, random_state=0),
            )
        )
    )
    noise = np.concatenate(
        (norm.rvs(0, 1.5, 60, random_state=0), norm.rvs(0, 0.5, 40, random_state=0))
    )
    y = x**3 + 2 * x**2 + x - 1 + noise
    X = x.reshape(-1, 1)
    return X[::7], y[::7], np.linspace(-0.5, 2.5, 300).reshape(-1, 1)


NIC_PRIOR = {"mu_0": 150.0, "kappa_0": 2.0, "sigma_sq_0": 4000.0, "nu_0": 4.0}
CASES = {
    "diabetes, defaults": (_diabetes, "NIC", {}),
    "diabetes, prior, gamma 0.3": (_diabetes, "NIC", {"metric_dict": {"gamma": 0.3}}),
    "diabetes, laplacian": (_diabetes, "NIC", {"metric": "laplacian"}),
    "diabetes, Nadaraya-Watson": (_diabetes, "NW", {"metric_dict": {"gamma": 0.5}}),
    "tutorial, gamma 15": (_tutorial, "NIC", {"metric_dict": {"gamma": 15.0}}),
    "tutorial, Nadaraya-Watson": (_tutorial, "NW", {"metric_dict": {"gamma": 15.0}}),
}


def _pair(kind, params, prior):
    if kind == "NW":
        return NadarayaWatsonRegressor(**params), regressor.NadarayaWatsonRegressor(
            **params
        )
    params = {**params, **prior}
    return NICKernelRegressor(**params), regressor.NICKernelRegressor(**params)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_same_numbers_as_skactiveml(case):
    data, kind, params = CASES[case]
    X, y, X_test = data()
    prior = NIC_PRIOR if "prior" in case else {}
    ours, theirs = _pair(kind, params, prior)
    weight = np.random.RandomState(0).uniform(0.2, 3.0, len(y))
    for w in (None, weight):
        ours.fit(X, y, sample_weight=w)
        theirs.fit(X, y, sample_weight=w)
        mean, std = ours.predict(X_test, return_std=True)
        their_mean, their_std = theirs.predict(X_test, return_std=True)
        np.testing.assert_allclose(mean, their_mean, rtol=1e-12)
        np.testing.assert_allclose(std, their_std, rtol=1e-12)
        np.testing.assert_allclose(ours.predict(X_test), their_mean, rtol=1e-12)
        dist = ours.predict_target_distribution(X_test)
        their_dist = theirs.predict_target_distribution(X_test)
        for name in ("df", "loc", "scale"):
            np.testing.assert_allclose(
                dist.kwds[name], their_dist.kwds[name], rtol=1e-12
            )
        np.testing.assert_allclose(
            ours.sample_y(X_test[:20], 3, random_state=1),
            theirs.sample_y(X_test[:20], 3, random_state=1),
            rtol=1e-10,
        )


def test_sparse_rows_give_the_dense_numbers():
    X, y, X_test = _diabetes()
    X[np.abs(X) < 0.3] = 0.0
    X_test = X_test.copy()
    X_test[np.abs(X_test) < 0.3] = 0.0
    theirs = regressor.NICKernelRegressor(metric_dict={"gamma": 0.2}).fit(X, y)
    for fmt in (sp.csr_matrix, sp.csc_matrix):
        ours = NICKernelRegressor(metric_dict={"gamma": 0.2}).fit(fmt(X), y)
        mean, std = ours.predict(fmt(X_test), return_std=True)
        np.testing.assert_allclose(mean, theirs.predict(X_test), rtol=1e-12)
        np.testing.assert_allclose(
            std, theirs.predict(X_test, return_std=True)[1], rtol=1e-12
        )


def test_chunks_give_the_same_numbers(monkeypatch):
    X, y, X_test = _diabetes()
    whole = NICKernelRegressor().fit(X, y).predict(X_test, return_std=True)
    monkeypatch.setattr(_nic, "_KERNEL_ENTRIES", 1000)  # 6 rows a chunk
    chunked = NICKernelRegressor().fit(X, y).predict(X_test, return_std=True)
    np.testing.assert_allclose(chunked, whole, rtol=1e-14)


def test_far_from_the_labels_the_prior_takes_over():
    X, y = [[0.0], [0.1], [3.0]], [1.0, 1.2, 5.0]
    far = [[50.0]]
    nic = NICKernelRegressor(metric_dict={"gamma": 2.0}, mu_0=-2.0).fit(X, y)
    mean, std = nic.predict(far, return_std=True)
    # t(2.5, -2, sqrt(1.1 / 0.1)): std sqrt(11) sqrt(2.5 / 0.5)
    np.testing.assert_allclose([mean[0], std[0]], [-2.0, np.sqrt(55.0)], rtol=1e-14)
    theirs = regressor.NICKernelRegressor(metric_dict={"gamma": 2.0}, mu_0=-2.0)
    with np.errstate(all="ignore"):
        assert np.isnan(theirs.fit(X, y).predict(far)).all()  # scikit-activeml: NaN
    nw = NadarayaWatsonRegressor(metric_dict={"gamma": 2.0}).fit(X, y)
    mean, std = nw.predict(far, return_std=True)
    assert mean.tolist() == [0.0] and std.tolist() == [np.inf]
    # nu = nu_0 + N <= 2: the t variance is infinite
    heavy = NICKernelRegressor(metric_dict={"gamma": 2.0}, nu_0=0.5).fit(X, y)
    assert heavy.predict(far, return_std=True)[1].tolist() == [np.inf]


def test_nadaraya_watson_is_the_kernel_weighted_mean():
    X, y, X_test = _tutorial()
    nw = NadarayaWatsonRegressor(metric_dict={"gamma": 4.0}).fit(X, y)
    K = np.exp(-4.0 * (X_test - X.T) ** 2)
    np.testing.assert_allclose(nw.predict(X_test), K @ y / K.sum(1), rtol=1e-12)
    assert NadarayaWatsonRegressor().get_params() == {
        "metric": "rbf",
        "metric_dict": None,
    }


def test_weights_are_repeats_and_mean_gamma():
    X, y, X_test = _tutorial()
    twice = NICKernelRegressor(metric_dict={"gamma": "mean"})
    repeated = twice.fit(np.vstack([X, X[:3]]), np.append(y, y[:3]))
    weighted = NICKernelRegressor(metric_dict={"gamma": "mean"}).fit(
        X, y, sample_weight=np.r_[2.0, 2.0, 2.0, np.ones(len(y) - 3)]
    )
    assert repeated.metric_dict_["gamma"] == pytest.approx(
        weighted.metric_dict_["gamma"], rel=1e-12
    )
    np.testing.assert_allclose(
        repeated.predict(X_test, return_std=True),
        weighted.predict(X_test, return_std=True),
        rtol=1e-10,
    )


def test_bad_input_gets_a_clear_error():
    X, y = np.array([[0.0], [1.0], [2.0]]), np.array([0.0, 1.0, np.nan])
    with pytest.raises(ValueError, match="NICKernelRegressor takes labeled rows"):
        NICKernelRegressor().fit(X, y)
    with pytest.raises(ValueError, match="NadarayaWatsonRegressor takes labeled"):
        NadarayaWatsonRegressor().fit(X, y)
    y = y[:2]
    with pytest.raises(ValueError, match="does not fit the kernel 'rbf'"):
        NICKernelRegressor(metric_dict={"degree": 2}).fit(X[:2], y)
    with pytest.raises(ValueError, match="the only named gamma is 'mean'"):
        NICKernelRegressor("laplacian", {"gamma": "mean"}).fit(X[:2], y)
    with pytest.raises(ValueError, match="'kappa_0' parameter .* range"):
        NICKernelRegressor(kappa_0=-1).fit(X[:2], y)
    with pytest.raises(ValueError, match="'metric' parameter"):
        NICKernelRegressor("precomputed").fit(X[:2], y)
    with pytest.raises(ValueError, match="Sample weights must contain at least one"):
        NICKernelRegressor().fit(X[:2], y, sample_weight=[0.0, 0.0])
    with pytest.raises(ValueError, match="negative weights"):
        NICKernelRegressor("linear").fit(X[:2] - 1, y).predict([[1.0]])
    fitted = NICKernelRegressor().fit(X[:2], y)
    with pytest.raises(TypeError, match="return_std must be True or False"):
        fitted.predict(X, return_std="yes")
    with pytest.raises(ValueError, match="n_samples must be a positive int"):
        fitted.sample_y(X, n_samples=0)
    with pytest.raises(ValueError, match="X has 2 features"):
        fitted.predict([[0.0, 1.0]])


@pytest.mark.parametrize("mu_0", [np.nan, np.inf, -np.inf])
def test_a_non_finite_prior_mean_is_refused_not_nan_predictions(mu_0):
    with pytest.raises(ValueError, match=r"'mu_0' parameter .* must be a float in"):
        NICKernelRegressor(mu_0=mu_0).fit([[0.0], [1.0]], [0.0, 1.0])


@pytest.mark.parametrize("n_samples", [True, 0, 2.0])
def test_sample_y_refuses_a_bool_or_non_positive_count(n_samples):
    nic = NICKernelRegressor().fit([[0.0], [1.0]], [0.0, 1.0])
    with pytest.raises(ValueError, match="n_samples must be a positive int, got"):
        nic.sample_y([[0.5]], n_samples=n_samples)


@pytest.mark.parametrize("name", ["mu_0", "kappa_0", "sigma_sq_0", "nu_0"])
def test_bools_are_no_prior_parameter(name):
    # True ran as 1.0
    X, y = load_diabetes(return_X_y=True)
    with pytest.raises(ValueError, match=f"'{name}' parameter of NICKernel"):
        NICKernelRegressor(**{name: True}).fit(X[:20], y[:20])
