"""ActiveLearner: the contract of fit / query / teach, and every kind of bad input."""

from functools import partial

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from skal import ActiveLearner
from skal.datasets import make_pool
from skal.strategies import FunctionStrategy, UncertaintySampling, entropy


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return X, y, make_pool(y, n_labeled=12, random_state=0)


def _lr():
    return LogisticRegression(max_iter=500)


def _scaled_lr():
    # Scaled inputs make lbfgs converge in a few iterations: keeps tests fast.
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=200))


def test_fit_trains_on_labeled_rows_only(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(_lr()).fit(X, y_pool)
    labeled = y_pool != -1
    reference = _lr().fit(X[labeled], y[labeled])
    np.testing.assert_allclose(learner.predict_proba(X), reference.predict_proba(X))
    assert learner.n_features_in_ == 4
    assert learner.classes_.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(learner.labeled_mask_, labeled)


def test_query_returns_top_entropy_samples_best_first(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(_lr(), batch_size=5, random_state=0).fit(X, y_pool)
    pool = np.flatnonzero(y_pool == -1)
    idx, scores = learner.query(return_scores=True)
    expected = entropy(learner.predict_proba(X[pool]))
    order = pool[np.argsort(-expected)[:5]]
    np.testing.assert_array_equal(idx, order)
    np.testing.assert_allclose(scores, np.sort(expected)[::-1][:5])
    assert idx.dtype.kind == "i"
    # with an explicit pool, positions are in that pool
    idx_pool = learner.query(X[pool], batch_size=3)
    np.testing.assert_array_equal(pool[idx_pool], order[:3])


def test_teach_after_query_moves_rows_out_of_pool(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(_lr(), batch_size=4, random_state=0).fit(X, y_pool)
    idx = learner.query()
    learner.teach(X[idx], y[idx])
    assert learner.labeled_mask_.sum() == 16
    assert learner.labeled_mask_[idx].all()
    assert len(learner.X_) == len(X)  # recognised as pool rows, not appended
    assert not np.isin(learner.query(), idx).any()
    assert learner.history_[-1]["indices"] == idx.tolist()
    # new rows from elsewhere are appended
    learner.teach(X[:2] + 0.01, y[:2])
    assert len(learner.X_) == len(X) + 2 and learner.labeled_mask_.sum() == 18


def test_teach_is_all_or_nothing(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(_lr(), warm_start=True).fit(X, y_pool)
    before = learner.labeled_mask_.copy()
    with pytest.raises(ValueError, match="cannot add classes"):
        learner.teach(X[:1], np.array([7]))
    np.testing.assert_array_equal(learner.labeled_mask_, before)


def test_teach_new_class_refits_with_warning():
    X, y = load_wine(return_X_y=True)
    y_pool = np.full_like(y, -1)
    y_pool[y != 2] = y[y != 2]
    learner = ActiveLearner(_scaled_lr()).fit(X, y_pool)
    assert learner.classes_.tolist() == [0, 1]
    with pytest.warns(UserWarning, match="new classes"):
        learner.teach(X[y == 2][:3], y[y == 2][:3])
    assert learner.classes_.tolist() == [0, 1, 2]


def test_warm_start_partial_fit_updates_the_same_model(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(
        SGDClassifier(loss="log_loss", random_state=0), warm_start=True, random_state=0
    ).fit(X, y_pool)
    coef = learner.estimator_.coef_.copy()
    idx = learner.query()
    learner.teach(X[idx], y[idx])
    assert not np.allclose(coef, learner.estimator_.coef_)


def test_simulated_acquisition_records_history_and_is_deterministic():
    X, y = load_digits(return_X_y=True)
    kw = {"batch_size": 10, "budget": 50, "n_initial": 10, "random_state": 0}
    a = ActiveLearner(_scaled_lr(), **kw).fit(X, y)
    b = ActiveLearner(_scaled_lr(), **kw).fit(X, y)
    assert [h["n_labeled"] for h in a.history_] == [10, 20, 30, 40, 50]
    assert a.labeled_mask_.sum() == 50
    assert [h["indices"] for h in a.history_] == [h["indices"] for h in b.history_]
    # the pool score is the accuracy on the rows not yet queried
    last = a.history_[-1]
    rest = ~a.labeled_mask_
    assert last["pool_score"] == pytest.approx(a.score(X[rest], y[rest]))
    assert all(h["fit_seconds"] >= 0 for h in a.history_)


def test_uncertainty_beats_random_on_digits_at_equal_budget():
    X, y = load_digits(return_X_y=True)
    scores = {}
    for strategy in ["random", "margin"]:
        runs = [
            ActiveLearner(
                _lr(),
                query_strategy=strategy,
                batch_size=10,
                budget=120,
                random_state=seed,
            )
            .fit(X, y)
            .history_[-1]["pool_score"]
            for seed in range(3)
        ]
        scores[strategy] = np.mean(runs)
    assert scores["margin"] > scores["random"] + 0.02


def test_grid_search_ranks_strategies_in_simulation():
    X, y = load_breast_cancer(return_X_y=True)
    learner = ActiveLearner(
        make_pipeline(StandardScaler(), _lr()), budget=40, n_initial=10, random_state=0
    )
    grid = GridSearchCV(
        learner,
        {
            "query_strategy": [UncertaintySampling()],
            "query_strategy__measure": ["entropy", "margin"],
            "batch_size": [5, 10],
        },
        cv=3,
    ).fit(X, y)
    assert len(grid.cv_results_["mean_test_score"]) == 4
    assert grid.best_score_ > 0.85
    assert grid.best_estimator_.labeled_mask_.sum() == 40


def test_pipeline_params_reachable_and_cross_val_score_ignores_unlabeled(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(make_pipeline(StandardScaler(), _lr()))
    learner.set_params(estimator__logisticregression__C=0.5)
    assert clone(learner).estimator.steps[1][1].C == 0.5
    fitted = clone(learner).fit(X, y)
    y_masked = y.copy()
    y_masked[::2] = -1
    assert fitted.score(X, y_masked) == pytest.approx(fitted.score(X[1::2], y[1::2]))
    assert cross_val_score(learner, X, y, cv=3).mean() > 0.8


def test_sparse_text_pandas_and_string_labels():
    pd = pytest.importorskip("pandas")
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [
        "good movie",
        "bad movie",
        "great film",
        "awful film",
        "good film",
        "bad acting",
        "great acting",
        "awful plot",
        "nice plot",
        "poor plot",
    ]
    labels = np.array(
        ["pos", "neg", "pos", "neg", "pos", "neg", "pos", "neg", None, None],
        dtype=object,
    )
    X_sparse = TfidfVectorizer().fit_transform(docs)
    learner = ActiveLearner(_lr(), missing_label=None, batch_size=2).fit(
        X_sparse, labels
    )
    assert set(learner.classes_) == {"neg", "pos"}
    assert sorted(learner.query().tolist()) == [8, 9]
    # raw text through a pipeline (1-D string input)
    text = ActiveLearner(make_pipeline(TfidfVectorizer(), _lr()), missing_label=None)
    text.fit(np.array(docs), labels)
    assert text.predict(np.array(["good plot"])).tolist() == ["pos"]
    # DataFrame input keeps feature names
    X, y = load_iris(return_X_y=True, as_frame=True)
    frame_learner = ActiveLearner(_lr(), batch_size=3).fit(
        X, make_pool(y, 10, random_state=0)
    )
    assert list(frame_learner.feature_names_in_) == list(X.columns)
    assert frame_learner.query(X.iloc[:20]).shape == (3,)
    assert isinstance(pd.DataFrame, type)


def test_modal_style_function_strategy(iris):
    X, y, y_pool = iris

    def modal_uncertainty(classifier, X_pool, n_instances=1):
        proba = classifier.predict_proba(X_pool)
        idx = np.argsort(proba.max(axis=1))[:n_instances]
        return idx, X_pool[idx]

    learner = ActiveLearner(_lr(), query_strategy=modal_uncertainty, batch_size=3)
    learner.fit(X, y_pool)
    pool = np.flatnonzero(y_pool == -1)
    expected = pool[np.argsort(learner.predict_proba(X[pool]).max(axis=1))[:3]]
    np.testing.assert_array_equal(learner.query(), expected)
    assert isinstance(learner.query_strategy_, FunctionStrategy)


def test_modal_function_with_its_own_arguments(iris):
    # modAL's cost-effective example calls query(U_x, K, N): K uncertain plus
    # N confident rows. In skal the arguments are bound to the function and
    # the batch is K + N; each wrong turn says what to do.
    X, y, y_pool = iris

    def uncertain_and_confident(classifier, X_pool, K=2, N=2):
        e = entropy(classifier.predict_proba(X_pool))
        return np.concatenate([np.argsort(e)[-K:], np.argsort(e)[:N]])

    learner = ActiveLearner(_lr(), query_strategy=uncertain_and_confident)
    learner.fit(X, y_pool)
    with pytest.raises(TypeError, match=r"functools.partial\(f, K=16\)"):
        learner.query(None, 3, 1)
    learner.set_params(query_strategy=partial(uncertain_and_confident, K=3, N=1))
    with pytest.raises(ValueError, match="ask for that many: batch_size=4"):
        learner.query()
    idx = learner.query(batch_size=4)
    pool = np.flatnonzero(y_pool == -1)
    e = entropy(learner.predict_proba(X[pool]))
    np.testing.assert_array_equal(idx[:3], pool[np.argsort(e)[-3:]])
    assert idx[3] == pool[np.argmin(e)]


# ----------------------------------------------------------------- bad input
def test_query_before_fit(iris):
    X, _, _ = iris
    with pytest.raises(NotFittedError):
        ActiveLearner(_lr()).query(X)


def test_wrong_number_of_features(iris):
    X, _, y_pool = iris
    learner = ActiveLearner(_lr()).fit(X, y_pool)
    with pytest.raises(
        ValueError, match="X has 3 features, but ActiveLearner is expecting 4"
    ):
        learner.query(X[:, :3])


def test_empty_pool(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(_lr()).fit(X, y)
    with pytest.raises(ValueError, match="pool is empty"):
        learner.query()
    with pytest.raises(ValueError, match="pool is empty"):
        learner.query(X[:0])


def test_batch_larger_than_pool_returns_whole_pool_ordered(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(_lr(), random_state=0).fit(X, y_pool)
    with pytest.warns(UserWarning, match="larger than the pool"):
        idx, scores = learner.query(X[:5], batch_size=10, return_scores=True)
    assert sorted(idx.tolist()) == [0, 1, 2, 3, 4]
    assert np.all(np.diff(scores) <= 0)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        learner.query(X, batch_size=0)
    with pytest.raises(TypeError, match="batch_size must be an int"):
        learner.query(X, batch_size=2.5)


def test_nan_in_pool_is_a_clear_error(iris):
    X, _, y_pool = iris
    learner = ActiveLearner(_lr()).fit(X, y_pool)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        learner.query(X_nan)
    with pytest.raises(ValueError, match="NaN"):
        ActiveLearner(_lr()).fit(X_nan, y_pool)


def test_all_labels_missing_starts_cold(iris):
    X, y, _ = iris
    learner = ActiveLearner(_lr(), batch_size=4, random_state=0)
    learner.fit(X, np.full(len(X), -1))
    assert learner.estimator_ is None and not learner.labeled_mask_.any()
    with pytest.raises(NotFittedError, match="no labeled rows yet"):
        learner.predict(X)
    first = learner.query()  # initial_strategy="random" picks the first rows
    assert first.tolist() == np.random.RandomState(0).choice(150, 4, False).tolist()
    learner.teach(X[first], y[first])
    assert learner.labeled_mask_.sum() == 4 and len(learner.X_) == 150


def test_single_labeled_class_falls_back_to_random(iris):
    X, y, _ = iris
    y_pool = np.full_like(y, -1)
    y_pool[:5] = 0
    with pytest.warns(UserWarning, match="Only one class"):
        learner = ActiveLearner(_lr(), batch_size=3, random_state=0).fit(X, y_pool)
    with pytest.warns(UserWarning, match="querying at random"):
        idx = learner.query()
    assert len(set(idx.tolist())) == 3 and (y_pool[idx] == -1).all()
    assert set(learner.predict(X).tolist()) == {0}


def test_minus_one_plus_one_labels_are_not_silently_dropped():
    X, _ = load_breast_cancer(return_X_y=True)
    y = np.where(np.arange(len(X)) % 2, 1, -1)
    with pytest.raises(ValueError, match="-1 is a class"):
        ActiveLearner(_scaled_lr()).fit(X, y)
    learner = ActiveLearner(_scaled_lr(), missing_label=None).fit(X[:50], y[:50])
    assert learner.classes_.tolist() == [-1, 1]


def test_strategy_needing_proba_names_the_fix(iris):
    X, _, y_pool = iris
    learner = ActiveLearner(LinearSVC(), query_strategy="entropy").fit(X, y_pool)
    with pytest.raises(TypeError, match="CalibratedClassifierCV.*margin"):
        learner.query()
    # the two fixes the message names both work
    margin = ActiveLearner(LinearSVC(), query_strategy="margin", batch_size=2)
    assert margin.fit(X, y_pool).query().shape == (2,)
    calibrated = ActiveLearner(CalibratedClassifierCV(LinearSVC(), cv=2))
    assert calibrated.fit(X, y_pool).query().shape == (1,)


def test_teach_bad_input(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(_lr()).fit(X, y_pool)
    with pytest.raises(ValueError, match="X has 2 rows but y has 3 labels"):
        learner.teach(X[:2], y[:3])
    with pytest.raises(ValueError, match="missing labels"):
        learner.teach(X[:2], np.array([0, -1]))
    with pytest.raises(ValueError, match="fitted on int"):
        learner.teach(X[:1], np.array(["setosa"]))
    assert learner.labeled_mask_.sum() == 12


def test_unknown_strategy_and_budget_errors(iris):
    X, y, _ = iris
    with pytest.raises(ValueError, match="Unknown query_strategy 'nope'"):
        ActiveLearner(_lr(), query_strategy="nope").fit(X, y)
    with pytest.raises(ValueError, match="budget=1000 is larger"):
        ActiveLearner(_lr(), budget=1000).fit(X, y)
    with pytest.raises(TypeError, match="'query_strategy' parameter of ActiveLearner"):
        ActiveLearner(_lr(), query_strategy=3).fit(X, y)


def test_labels_are_not_lost_when_refit_fails(iris):
    X, y, y_pool = iris
    learner = ActiveLearner(_lr()).fit(X, y_pool)
    mask, y_before = learner.labeled_mask_.copy(), learner.y_.copy()
    learner.estimator.set_params(C=-1.0)  # every refit now raises
    with pytest.raises(ValueError):
        learner.teach(X[:2] + 1.0, y[:2])
    np.testing.assert_array_equal(learner.labeled_mask_, mask)
    np.testing.assert_array_equal(learner.y_, y_before)
    assert len(learner.X_) == len(X)


def test_set_params_query_strategy_after_fit_takes_effect_at_next_query():
    from skal.strategies import RandomSampling, UncertaintySampling

    X, y = load_digits(return_X_y=True)
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    learner = ActiveLearner(
        LogisticRegression(max_iter=500), query_strategy="random", random_state=0
    ).fit(X, y_pool)
    assert isinstance(learner.query_strategy_, RandomSampling)
    learner.set_params(query_strategy="margin")
    idx, scores = learner.query(batch_size=5, return_scores=True)
    assert isinstance(learner.query_strategy_, UncertaintySampling)
    # the picks are margin's: the five smallest margins of the pool
    pool = np.flatnonzero(y_pool == -1)
    proba = np.sort(learner.predict_proba(X[pool]), axis=1)
    margins = proba[:, -1] - proba[:, -2]
    assert set(idx) == set(pool[np.argsort(margins)[:5]])
