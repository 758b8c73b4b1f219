"""MixtureModelClassifier: scikit-activeml's numbers, unlabeled rows, errors."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.base import BaseEstimator
from sklearn.datasets import load_iris, make_blobs
from sklearn.frozen import FrozenEstimator
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture

from skal.estimators import MixtureModelClassifier
from skal.estimators._mixture import mahalanobis

# a short mixture fit is what both libraries compare, converged or not
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def _iris():
    X, y = load_iris(return_X_y=True)
    labeled = np.arange(150) % 7 == 0
    return X, y, labeled


def _blobs_text():
    X, y = make_blobs(300, centers=4, cluster_std=2.0, random_state=1)
    names = np.array(["d", "b", "c", "a"])[y]
    return X, names, np.arange(300) % 9 == 0


CASES = {
    "iris, the default Bayesian mixture": (_iris, {}),
    "iris, full GMM, prior 1": (
        _iris,
        {"mixture_model": GaussianMixture(3, random_state=0), "class_prior": 1.0},
    ),
    "iris, similarities": (
        _iris,
        {
            "mixture_model": GaussianMixture(4, random_state=1),
            "weight_mode": "similarities",
            "class_prior": 0.1,
        },
    ),
    "blobs, text labels, an unseen class, prior array": (
        _blobs_text,
        {"classes": ["d", "a", "c", "b", "e"], "class_prior": [0.1, 0, 2, 0, 1]},
    ),
    "blobs, cost matrix, BGM of 6": (
        _blobs_text,
        {
            "mixture_model": BayesianGaussianMixture(n_components=6, random_state=2),
            "classes": ["d", "b", "c", "a"],
            "cost_matrix": [[0, 1, 1, 1], [4, 0, 1, 1], [1, 1, 0, 1], [2, 1, 1, 0]],
        },
    ),
}


def _theirs(classifier, params, X, y, labeled, w=None):
    missing = "" if y.dtype.kind == "U" else np.nan
    y_missing = np.where(labeled, y, missing)
    if y.dtype.kind != "U":
        y_missing = y_missing.astype(float)
    theirs = classifier.MixtureModelClassifier(
        **params, missing_label=missing, random_state=0
    )
    return theirs.fit(X, y_missing, sample_weight=w)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_same_numbers_as_skactiveml(case):
    classifier = pytest.importorskip("skactiveml.classifier")
    data, params = CASES[case]
    X, y, labeled = data()
    theirs = _theirs(classifier, params, X, y, labeled)
    marker = "" if y.dtype.kind == "U" else -1
    ours = MixtureModelClassifier(**params, missing_label=marker, random_state=0)
    ours.fit(X, np.where(labeled, y, marker))
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_allclose(ours.F_components_, theirs.F_components_, rtol=1e-12)
    F, P = ours.predict_freq(X), ours.predict_proba(X)
    np.testing.assert_allclose(F, theirs.predict_freq(X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(P, theirs.predict_proba(X), rtol=1e-12, atol=1e-12)
    costs = np.sort(P @ ours.cost_matrix_, axis=1)  # theirs breaks ties at random
    unique = costs[:, 1] - costs[:, 0] > 1e-9
    assert unique.mean() > 0.5
    np.testing.assert_array_equal(ours.predict(X)[unique], theirs.predict(X)[unique])
    assert ours.score(X[labeled], y[labeled]) > 0.5


def test_nan_marker_and_sample_weight_as_skactiveml():
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y, labeled = _iris()
    w = np.random.RandomState(0).randint(0, 4, 150).astype(float)
    params = {"mixture_model": GaussianMixture(3, random_state=0)}
    theirs = _theirs(classifier, params, X, y, labeled, w)
    ours = MixtureModelClassifier(**params, missing_label=np.nan)
    ours.fit(X, np.where(labeled, y, np.nan), sample_weight=w)
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-12
    )
    assert ours.classes_.tolist() == [0.0, 1.0, 2.0]
    # None marks a row in an object array of numbers too, as in skactiveml
    y_object = np.where(labeled, y, None)
    ours.fit(X, y_object, sample_weight=w)
    np.testing.assert_allclose(
        ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-12
    )
    assert ours.classes_.tolist() == [0, 1, 2]


def test_a_mixture_fitted_on_the_pool_gives_the_semi_supervised_numbers():
    X, y, labeled = _iris()
    gmm = GaussianMixture(3, random_state=0).fit(X)
    semi = MixtureModelClassifier(GaussianMixture(3, random_state=0), missing_label=-1)
    semi.fit(X, np.where(labeled, y, -1))
    for prefit in (gmm, FrozenEstimator(gmm)):
        ours = MixtureModelClassifier(prefit).fit(X[labeled], y[labeled])
        np.testing.assert_allclose(
            ours.predict_proba(X), semi.predict_proba(X), rtol=1e-12
        )
    assert not hasattr(GaussianMixture(3), "weights_")
    # the labeled rows alone make another mixture, and other numbers
    alone = MixtureModelClassifier(GaussianMixture(3, random_state=0))
    alone.fit(X[labeled], y[labeled])
    assert np.abs(alone.predict_proba(X) - semi.predict_proba(X)).max() > 1e-3


def test_frequencies_are_responsibilities_times_label_counts_by_hand():
    X, y, labeled = _iris()
    gmm = GaussianMixture(3, random_state=0).fit(X)
    ours = MixtureModelClassifier(gmm, class_prior=0.5).fit(X[labeled], y[labeled])
    R = gmm.predict_proba(X)
    onehot = y[labeled, None] == np.arange(3)
    F = R @ (gmm.predict_proba(X[labeled]).T @ onehot)
    np.testing.assert_allclose(ours.predict_freq(X), F, rtol=1e-12)
    np.testing.assert_allclose(
        ours.predict_proba(X), (F + 0.5) / (F + 0.5).sum(1, keepdims=True), rtol=1e-12
    )


@pytest.mark.parametrize("kind", ["full", "tied", "diag", "spherical"])
def test_mahalanobis_of_every_covariance_type_by_hand(kind):
    X, _, _ = _iris()
    gmm = GaussianMixture(3, covariance_type=kind, random_state=0).fit(X)
    d = X.shape[1]
    P = gmm.precisions_
    full = {
        "full": P,
        "tied": [P] * 3,
        "diag": [np.diag(p) for p in P] if kind == "diag" else None,
        "spherical": [np.eye(d) * p for p in P] if kind == "spherical" else None,
    }[kind]
    expected = np.column_stack(
        [cdist(X, gmm.means_[[j]], "mahalanobis", VI=full[j]).ravel() for j in range(3)]
    )
    np.testing.assert_allclose(mahalanobis(gmm, X), expected, rtol=1e-10)


def test_no_label_yet_is_the_prior_and_ties_take_the_first_class():
    X, _, _ = _iris()
    cmm = MixtureModelClassifier(
        GaussianMixture(2, random_state=0), classes=[2, 0, 1], missing_label=-1
    ).fit(X, np.full(150, -1))
    np.testing.assert_array_equal(cmm.F_components_, np.zeros((2, 3)))
    np.testing.assert_allclose(cmm.predict_proba(X[:2]), np.full((2, 3), 1 / 3))
    assert cmm.predict(X[:2]).tolist() == [0, 0]


def test_bad_input_gets_a_clear_error():
    X, y, labeled = _iris()
    with pytest.raises(ValueError, match="missing_label=None takes labeled rows"):
        MixtureModelClassifier().fit(X, np.where(labeled, y, np.nan))
    with pytest.raises(ValueError, match="no label .* pass classes"):
        MixtureModelClassifier(missing_label=-1).fit(X, np.full(150, -1))
    with pytest.raises(ValueError, match=r"labels \[2\] that are not in classes"):
        MixtureModelClassifier(classes=[0, 1]).fit(X, y)
    with pytest.raises(ValueError, match="class_prior must be .* 3 non-negative"):
        MixtureModelClassifier(class_prior=[1, 2]).fit(X, y)
    with pytest.raises(ValueError, match=r"cost_matrix must be a \(3, 3\) array"):
        MixtureModelClassifier(cost_matrix=np.ones((2, 2))).fit(X, y)
    with pytest.raises(ValueError, match="'weight_mode' parameter"):
        MixtureModelClassifier(weight_mode="distances").fit(X, y)
    with pytest.raises(ValueError, match="'mixture_model' parameter"):
        MixtureModelClassifier(mixture_model="gmm").fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        MixtureModelClassifier(missing_label=-1).fit(X, np.where(labeled, y + 0.5, -1))
    with pytest.raises(ValueError, match="Input y contains infinity"):
        MixtureModelClassifier(missing_label=-1).fit(X, np.where(labeled, np.inf, -1))
    fitted = GaussianMixture(2, random_state=0).fit(X[:, :2])
    with pytest.raises(ValueError, match="takes 2 features, but X has 4"):
        MixtureModelClassifier(fitted).fit(X, y)
    with pytest.raises(ValueError, match="n_components = 3, n_samples = 2"):
        MixtureModelClassifier(classes=[0, 1, 2]).fit(X[[0, 60]], [0, 1])
    with pytest.raises(ValueError, match="X has 3 features"):
        MixtureModelClassifier(random_state=0).fit(X, y).predict(X[:, :3])
    with pytest.raises(TypeError, match="similarities.*Gaussian mixture's"):
        MixtureModelClassifier(_Soft(), weight_mode="similarities").fit(X, y)


class _Soft(BaseEstimator):
    """A soft clustering with no Gaussian components."""

    def fit(self, X):
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)


def test_bad_missing_label_and_non_mixture_are_refused():
    from sklearn.linear_model import LogisticRegression

    X = np.r_[np.linspace(0, 1, 5), np.linspace(5, 6, 5)].reshape(-1, 1)
    y = np.array([0, -1, -1, -1, -1, -1, -1, -1, -1, 1])
    with pytest.raises(TypeError, match=r"missing_label='\?' cannot mark a row"):
        MixtureModelClassifier(missing_label="?").fit(X, y)
    with pytest.raises(TypeError, match=r"missing_label=-1 cannot mark a row"):
        MixtureModelClassifier(missing_label=-1).fit(X, y.astype(str))
    with pytest.raises(ValueError, match=r"holds missing_label=-1, the marker"):
        MixtureModelClassifier(missing_label=-1, classes=[-1, 0, 1]).fit(X, y)
    with pytest.raises(TypeError, match=r"LogisticRegression\(\) is fitted on X and y"):
        MixtureModelClassifier(LogisticRegression(), missing_label=-1).fit(X, y)
    fitted = LogisticRegression().fit(X, np.arange(10) % 2)
    for model in (fitted, FrozenEstimator(fitted)):
        with pytest.raises(TypeError, match=r"is fitted on X and y, so it is no"):
            MixtureModelClassifier(model, missing_label=-1).fit(X, y)
    frozen = FrozenEstimator(GaussianMixture(2, random_state=0).fit(X))
    cmm = MixtureModelClassifier(frozen, missing_label=-1).fit(X, y)
    np.testing.assert_array_equal(cmm.predict([[0.0], [6.0]]), [0, 1])


def test_none_among_text_labels_without_a_marker_gets_the_clear_error():
    # missing_label=None takes labeled rows only; a None crashed np.unique
    X, y, labeled = _iris()
    text = np.where(labeled, np.array(["a", "b", "c"])[y], None).astype(object)
    with pytest.raises(ValueError, match="contains NaN or None.*labeled rows only"):
        MixtureModelClassifier().fit(X, text)
    fitted = MixtureModelClassifier(missing_label=None).fit(X[labeled], text[labeled])
    assert fitted.classes_.tolist() == ["a", "b", "c"]


def test_features_whose_squares_overflow_get_a_scaling_hint():
    # NumPy's "array must not contain infs or NaNs" came from the mixture's fit
    X, y, labeled = _iris()
    with pytest.raises(ValueError, match="too large for a Gaussian mixture.*scale"):
        MixtureModelClassifier().fit(X * 1e200, y)


def test_a_bool_missing_label_is_refused():
    # missing_label=True marked every row labeled 1 as unlabeled (1 == True)
    X, y, labeled = _iris()
    with pytest.raises(ValueError, match="'missing_label' parameter of Mixture"):
        MixtureModelClassifier(missing_label=True).fit(X, y)
