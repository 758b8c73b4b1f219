"""ActiveSelfTrainingClassifier (CEAL): pseudo-labels kept apart, counted, decayed."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from skal import ActiveLearner, ActiveSelfTrainingClassifier
from skal.strategies import entropy


@pytest.fixture(autouse=True)
def _one_blas_thread():
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def wine():
    X, y = load_wine(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _model():
    return LogisticRegression(C=0.5)


def _ceal(**kwargs):
    params = {"delta": 0.3, "threshold_decay": 0.05, "batch_size": 5}
    params.update(random_state=0, **kwargs)
    return ActiveSelfTrainingClassifier(_model(), **params)


def _expected_pseudo(X, y, labeled, threshold):
    """Brute force: a model on oracle labels only, entropy below the threshold."""
    model = clone(_model()).fit(X[labeled], y[labeled])
    pool = np.flatnonzero(~labeled)
    proba = model.predict_proba(X[pool])
    sure = entropy(proba) < threshold
    return pool[sure], model.classes_[proba[sure].argmax(axis=1)]


def test_simulation_counts_correct_pseudo_labels(wine):
    X, y = wine
    ceal = _ceal(budget=25, n_initial=10).fit(X, y)
    thresholds = [h["threshold"] for h in ceal.history_]
    np.testing.assert_allclose(thresholds, [0.3, 0.25, 0.2, 0.15])
    last = ceal.history_[-1]
    chosen, labels = _expected_pseudo(X, y, ceal.labeled_mask_, 0.15)
    np.testing.assert_array_equal(np.flatnonzero(ceal.pseudo_mask_), chosen)
    np.testing.assert_array_equal(ceal.pseudo_labels_, labels)
    assert last["n_pseudo"] == chosen.size > 0
    assert last["n_pseudo_correct"] == int(np.sum(y[chosen] == labels))
    # The final model is trained on oracle labels plus pseudo-labels.
    rows = ceal.labeled_mask_ | ceal.pseudo_mask_
    y_train = y.copy()
    y_train[chosen] = labels
    ref = clone(_model()).fit(X[rows], y_train[rows])
    np.testing.assert_allclose(ceal.estimator_.coef_, ref.coef_)


def test_pseudo_labels_never_leak_into_oracle_labels(wine):
    X, y = wine
    ceal = _ceal(budget=25, n_initial=10).fit(X, y)
    assert ceal.labeled_mask_.sum() == 25
    assert not (ceal.pseudo_mask_ & ceal.labeled_mask_).any()
    assert np.all(ceal.y_[~ceal.labeled_mask_] == -1)
    acquired = sorted(i for h in ceal.history_ for i in h["indices"])
    assert acquired == np.flatnonzero(ceal.labeled_mask_).tolist()


def test_teach_re_decides_pseudo_labels(wine):
    X, y = wine
    y_partial = np.full_like(y, -1)
    y_partial[::12] = y[::12]
    ceal = _ceal(batch_size=4).fit(X, y_partial)
    assert "n_pseudo_correct" not in ceal.history_[0]  # no oracle outside simulation
    first_pseudo = ceal.pseudo_mask_.copy()
    assert first_pseudo.any()
    # Teach rows that were pseudo-labeled: they become oracle labels.
    idx = np.flatnonzero(first_pseudo)[:3]
    ceal.teach(X[idx], y[idx], pool_indices=idx)
    labeled = ceal.labeled_mask_
    assert labeled[idx].all() and not ceal.pseudo_mask_[idx].any()
    assert labeled.sum() == (y_partial != -1).sum() + 3
    chosen, labels = _expected_pseudo(X, ceal.y_, labeled, 0.25)
    np.testing.assert_array_equal(np.flatnonzero(ceal.pseudo_mask_), chosen)
    np.testing.assert_array_equal(ceal.pseudo_labels_, labels)
    assert ceal.history_[-1]["threshold"] == pytest.approx(0.25)
    assert ceal.history_[-1]["n_pseudo"] == chosen.size
    # query() still offers pseudo-labeled rows: they are not oracle labels.
    scores = ceal.query(batch_size=int((~labeled).sum()), return_scores=True)[0]
    assert set(np.flatnonzero(ceal.pseudo_mask_)) <= set(scores.tolist())


def test_teach_refuses_modal_only_new_before_changing_anything(wine):
    X, y = wine
    y_partial = np.full_like(y, -1)
    y_partial[::12] = y[::12]
    ceal = _ceal().fit(X, y_partial)
    n_rounds = len(ceal.history_)
    with pytest.raises(TypeError, match=r"'only_new'.*warm_start=True"):
        ceal.teach(X[[1]], y[[1]], only_new=True)
    assert len(ceal.history_) == n_rounds and not ceal.labeled_mask_[1]


def test_threshold_reaches_zero_and_zero_delta_is_active_learning(wine):
    X, y = wine
    ceal = _ceal(delta=0.1, threshold_decay=0.06, budget=25, n_initial=10).fit(X, y)
    assert [h["threshold"] for h in ceal.history_][-2:] == [0.0, 0.0]
    assert ceal.history_[-1]["n_pseudo"] == 0 and not ceal.pseudo_mask_.any()
    plain = _ceal(delta=0.0, budget=25, n_initial=10).fit(X, y)
    al = ActiveLearner(_model(), batch_size=5, budget=25, n_initial=10, random_state=0)
    al.fit(X, y)
    assert [h["indices"] for h in plain.history_] == [h["indices"] for h in al.history_]
    np.testing.assert_allclose(plain.estimator_.coef_, al.estimator_.coef_)


def test_deterministic_and_clone(wine):
    X, y = wine
    ceal = _ceal(budget=20, n_initial=10, query_strategy="margin")
    a = clone(ceal).fit(X, y)
    b = clone(ceal).fit(X, y)
    assert [h["indices"] for h in a.history_] == [h["indices"] for h in b.history_]
    np.testing.assert_array_equal(a.pseudo_mask_, b.pseudo_mask_)
    assert repr(clone(ceal)) == repr(ceal)
    assert clone(ceal).set_params(delta=0.2).delta == 0.2


def test_pipeline_and_one_class_start():
    X, y = load_wine(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), LogisticRegression())
    y_partial = np.full_like(y, -1)
    y_partial[:3] = y[:3]  # one class only: no pseudo-labels, queries at random
    with pytest.warns(UserWarning, match="Only one class"):
        ceal = ActiveSelfTrainingClassifier(pipe, delta=0.5).fit(X, y_partial)
    assert not ceal.pseudo_mask_.any() and ceal.history_[0]["n_pseudo"] == 0


def test_bad_input():
    X, y = load_wine(return_X_y=True)
    with pytest.raises(ValueError, match="needs a classifier"):
        ActiveSelfTrainingClassifier(Ridge()).fit(X, y)
    with pytest.raises(TypeError, match="predict_proba"):
        ActiveSelfTrainingClassifier(LinearSVC()).fit(X, y)
    with pytest.raises(ValueError, match="delta"):
        ActiveSelfTrainingClassifier(_model(), delta=-0.1).fit(X, y)
    with pytest.raises(TypeError, match="threshold_decay"):
        ActiveSelfTrainingClassifier(_model(), threshold_decay="fast").fit(X, y)
