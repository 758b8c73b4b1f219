"""The labeled-set model: rows are positions in the pool, whatever the container."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_iris
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skal import ActiveLearner, simulate
from skal.strategies import UncertaintySampling


@pytest.fixture
def iris_pool():
    X, y = load_iris(return_X_y=True)
    y_pool = y.copy()
    y_pool[10:140] = -1
    return X, y, y_pool


def _learner(**kw):
    kw.setdefault("batch_size", 6)
    kw.setdefault("random_state", 0)
    return ActiveLearner(LogisticRegression(max_iter=500), **kw)


_WRAP = {
    "ndarray": lambda A: A,
    "frame": lambda A: pd.DataFrame(A, columns=[f"f{i}" for i in range(4)]),
    "csr": sp.csr_matrix,
}


@pytest.mark.parametrize("container", ["ndarray", "frame", "csr"])
def test_taught_query_rows_are_marked_in_any_order_and_subset(iris_pool, container):
    X, y, y_pool = iris_pool
    pool = _WRAP[container](X)
    learner = _learner().fit(pool, y_pool)
    idx = learner.query()
    order = idx[[4, 1, 3]]  # a subset, shuffled
    rows = pool.iloc[order] if container == "frame" else pool[order]
    learner.teach(rows, y[order])
    assert learner.X_.shape[0] == 150  # nothing appended
    assert learner.labeled_mask_.sum() == 20 + 3
    assert learner.labeled_mask_[order].all()
    np.testing.assert_array_equal(learner.y_[order], y[order])
    assert set(learner.history_[-1]["indices"]) == set(order.tolist())
    assert not set(learner.query().tolist()) & set(order.tolist())


@pytest.mark.parametrize(
    "fitted, taught",
    [
        ("frame", "ndarray"),
        ("ndarray", "frame"),
        ("csr", "ndarray"),
        ("ndarray", "csr"),
    ],
)
def test_pool_rows_in_another_container_label_their_positions(
    iris_pool, fitted, taught
):
    X, y, y_pool = iris_pool
    learner = _learner().fit(_WRAP[fitted](X), y_pool)
    rows = [60, 12, 90]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # feature names differ
        learner.teach(_WRAP[taught](X[rows]), y[rows])
        learner.teach(_WRAP[taught](X[[70]]), y[[70]], pool_indices=[70])
        with pytest.raises(ValueError, match="labels would go to the wrong"):
            learner.teach(_WRAP[taught](X[[80]]), y[[80]], pool_indices=[81])
    assert learner.X_.shape[0] == 150  # nothing appended twice
    assert learner.labeled_mask_[rows + [70]].all()
    assert learner.labeled_mask_.sum() == 24


def test_rows_of_other_dtypes_find_their_row_in_a_frame(iris_pool):
    X, y, y_pool = iris_pool
    frame = pd.DataFrame({"n": np.arange(150), "x": X[:, 0]})
    learner = _learner().fit(frame, y_pool)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        learner.teach(frame.to_numpy()[[50, 51]], y[[50, 51]])
    assert learner.X_.shape[0] == 150 and learner.labeled_mask_[[50, 51]].all()
    # the same rows as a frame of other dtypes: floats for the ints, float32
    learner.teach(frame.iloc[[60]].astype(float), y[[60]])
    learner.teach(pd.DataFrame({"n": np.float32([70]), "x": X[[70], 0]}), y[[70]])
    assert learner.X_.shape[0] == 150 and learner.labeled_mask_[[60, 70]].all()


def test_rows_from_the_pool_that_were_not_queried_are_found_too(iris_pool):
    X, y, y_pool = iris_pool
    learner = _learner().fit(X, y_pool)
    learner.teach(X[[50, 60]], y[[50, 60]])
    assert learner.X_.shape[0] == 150
    assert learner.labeled_mask_[[50, 60]].all()


def test_new_rows_are_appended(iris_pool):
    X, y, y_pool = iris_pool
    learner = _learner().fit(X, y_pool)
    new = X[:2] + 10.0
    learner.teach(new, [2, 2])
    assert learner.X_.shape[0] == 152
    np.testing.assert_array_equal(learner.X_[150:], new)
    assert learner.labeled_mask_[150:].all()
    assert learner.history_[-1]["indices"] == [150, 151]


def test_relabeling_is_explicit_and_never_duplicates(iris_pool):
    X, y, y_pool = iris_pool
    learner = _learner().fit(X, y_pool)
    before = learner.labeled_mask_.sum()
    with pytest.warns(UserWarning, match=r"no label for 1 of the 1 taught"):
        learner.teach(X[[0]], y[[0]])  # the same label again: nothing changes
    assert learner.X_.shape[0] == 150 and learner.labeled_mask_.sum() == before
    with pytest.raises(ValueError, match=r"relabels rows \[0\].*relabel='replace'"):
        learner.teach(X[[0]], [1])
    assert learner.y_[0] == 0  # the failed teach changed nothing
    learner.teach(X[[0]], [1], relabel="replace")
    assert learner.y_[0] == 1 and learner.X_.shape[0] == 150
    with pytest.raises(ValueError, match="relabel must be"):
        learner.teach(X[[0]], [1], relabel="yes")


def test_teaching_labeled_rows_again_warns_that_nothing_was_added(iris_pool):
    # modAL's loop queried its X_pool and deleted the picks; query(X) with the
    # fitted X offers the labeled rows too, and teaching them changes nothing
    X, y, y_pool = iris_pool
    learner = _learner().fit(X, y_pool)
    msg = (
        r"teach added no label for 2 of the 3 taught samples: rows \[0, 145\] "
        r"of X_ were labeled already, with these labels\. query\(X_pool\) "
        r"offers every row of X_pool, labeled ones too; call query\(\)"
    )
    with pytest.warns(UserWarning, match=msg):
        learner.teach(X[[0, 50, 145]], y[[0, 50, 145]])
    assert learner.labeled_mask_.sum() == 21 and learner.X_.shape[0] == 150
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # unlabeled rows only: no warning
        learner.teach(X[learner.query()], y[learner.query()])
    assert learner.labeled_mask_.sum() == 27


def test_duplicate_rows_in_the_pool_label_distinct_positions():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [5.0, 5.0], [5.0, 5.0], [9.0, 9.0]])
    y_pool = np.array([0, 1, -1, -1, -1])
    learner = ActiveLearner(LogisticRegression()).fit(X, y_pool)
    learner.teach(X[[2, 2]], [1, 1])
    assert learner.labeled_mask_.tolist() == [True, True, True, True, False]
    assert learner.X_.shape[0] == 5


def test_minus_one_rule_depends_on_the_values_of_y_only():
    X, y = load_iris(return_X_y=True)
    # skal's own draws track labels with a mask: with n_initial=1 the first
    # label is a single class in every seed, and no seed raises.
    for seed in range(12):
        learner = _learner(budget=3, n_initial=1, batch_size=1, random_state=seed)
        learner.fit(X, y + 0)  # classes {0, 1, 2}
        assert learner.labeled_mask_.sum() == 3
    y_pm = np.where(y == 0, -1, 1)
    y_pm[::3] = -1
    with pytest.raises(ValueError, match="only the values -1 and 1"):
        _learner().fit(X, y_pm)
    # -1 as a class works once the marker is NaN
    y_nan = y_pm.astype(float)
    y_nan[1::2] = np.nan
    learner = _learner(missing_label=np.nan).fit(X, y_nan)
    assert learner.classes_.tolist() == [-1.0, 1.0]


def test_nan_markers_beside_minus_one_are_ambiguous():
    X, y = load_iris(return_X_y=True)
    y_f = y.astype(float) - 1  # classes -1, 0, 1
    y_f[::4] = np.nan
    with pytest.raises(ValueError, match="both with NaN/None and with missing_label"):
        _learner().fit(X, y_f)
    learner = _learner(missing_label=np.nan).fit(X, y_f)
    assert learner.classes_.tolist() == [-1.0, 0.0, 1.0]
    assert learner.labeled_mask_.sum() == 150 - len(y_f[::4])


def test_object_labels_with_none_marker(iris_pool):
    X, y, _ = iris_pool
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    y_obj = names.copy()
    y_obj[10:140] = None
    learner = _learner(missing_label=None).fit(X, y_obj)
    idx = learner.query()
    learner.teach(X[idx], names[idx])
    assert learner.classes_.tolist() == ["setosa", "versicolor", "virginica"]
    assert learner.labeled_mask_.sum() == 26


@pytest.mark.parametrize("where", ["teach", "query", "predict"])
def test_nan_is_rejected_at_every_entry_point(iris_pool, where):
    X, y, y_pool = iris_pool
    learner = _learner(query_strategy="random").fit(X, y_pool)
    X_bad = X[:3].copy()
    X_bad[1, 2] = np.nan
    call = {
        "teach": lambda: learner.teach(X_bad, y[:3]),
        "query": lambda: learner.query(X_bad, batch_size=2),
        "predict": lambda: learner.predict(X_bad),
    }[where]
    with pytest.raises(ValueError, match="NaN or infinity"):
        call()
    assert learner.labeled_mask_.sum() == 20 and learner.X_.shape[0] == 150


def test_max_candidates_never_shortens_the_batch(iris_pool):
    X, _, y_pool = iris_pool
    learner = _learner(
        query_strategy=UncertaintySampling(max_candidates=20), batch_size=30
    ).fit(X, y_pool)
    idx = learner.query()
    assert idx.shape == (30,) and np.unique(idx).shape == (30,)


def test_max_candidates_subsample_scores_match_the_full_scores(iris_pool):
    X, _, y_pool = iris_pool
    learner = _learner(query_strategy=UncertaintySampling(max_candidates=40)).fit(
        X, y_pool
    )
    idx, scores = learner.query(return_scores=True)
    full = UncertaintySampling().score(learner.query_context())
    pool = np.flatnonzero(~learner.labeled_mask_)
    np.testing.assert_allclose(scores, full[np.searchsorted(pool, idx)])


def test_parameters_fail_at_fit_with_one_error_type(iris_pool):
    X, y, y_pool = iris_pool
    bad = [
        {"budget": 30.0},
        {"batch_size": 0},
        {"warm_start": "yes"},
        {"query_strategy": UncertaintySampling("nope")},
        {"query_strategy": 3},
    ]
    for params in bad:
        with pytest.raises(InvalidParameterError):
            ActiveLearner(LogisticRegression(), **params).fit(X, y_pool)


def test_initial_strategy_that_needs_a_model_is_refused(iris_pool):
    X, y, _ = iris_pool
    with pytest.raises(ValueError, match="initial_strategy='entropy' needs a fitted"):
        _learner(initial_strategy="entropy", budget=30).fit(X, y)


@pytest.mark.parametrize(
    "strategy", ["entropy", "coreset", UncertaintySampling(max_candidates=3)]
)
def test_a_nan_anywhere_in_an_outside_pool_is_rejected(iris_pool, strategy):
    # score strategies check the pool chunk by chunk as they read it; the rest,
    # and rows a subsample never read, are checked before the picks return
    X, _, y_pool = iris_pool
    learner = _learner(query_strategy=strategy, batch_size=2).fit(X, y_pool)
    X_bad = X[:40].copy()
    X_bad[37, 0] = np.inf
    with pytest.raises(ValueError, match="NaN or infinity"):
        learner.query(X_bad)
    assert learner.query(X[:40]).shape == (2,)


def test_integer_labels_with_none_holes_are_classes():
    # ints carry None for unlabeled rows in an object array (missing_label=None);
    # the model learns them as numbers and classes_ stay ints, as in the same
    # learner on an int y with -1 holes
    X, y = load_iris(return_X_y=True)
    y_obj = np.array([int(v) if i % 5 == 0 else None for i, v in enumerate(y)], object)
    y_int = np.where(np.arange(150) % 5 == 0, y, -1)
    a = ActiveLearner(LogisticRegression(max_iter=500), missing_label=None)
    b = ActiveLearner(LogisticRegression(max_iter=500))
    a.fit(X, y_obj), b.fit(X, y_int)
    assert a.classes_.dtype.kind == "i" and a.classes_.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.score(X, y_obj) == b.score(X, y_int)
    # a cold start on an all-None y, then integer labels taught
    cold = ActiveLearner(LogisticRegression(max_iter=500), missing_label=None)
    cold.set_params(batch_size=10).fit(X, np.full(150, None, dtype=object))
    for _ in range(2):
        idx = cold.query()
        cold.teach(X[idx], y[idx])
    assert cold.labeled_mask_.sum() == 20 and cold.y_.dtype == object
    assert cold.predict(X[:3]).dtype.kind == "i"


@pytest.mark.parametrize("strategy", ["margin", "coreset", "typiclust", "badge"])
def test_an_imputing_pipeline_takes_nan_and_distances_use_its_output(strategy):
    # scikit-learn's Pipeline does not pass its first step's allow_nan tag on;
    # skal looks inside, so the recipe its own NaN error names works
    X, y = load_iris(return_X_y=True)
    X = X.copy()
    X[::9, 1] = np.nan
    y_pool = np.where(np.arange(150) % 6 == 0, y, -1)
    model = make_pipeline(SimpleImputer(), LogisticRegression(max_iter=300))
    learner = ActiveLearner(model, query_strategy=strategy, batch_size=3)
    idx = learner.set_params(random_state=0).fit(X, y_pool).query()
    assert idx.shape == (3,) and (y_pool[idx] == -1).all()
    learner.teach(X[idx], y[idx])
    assert learner.labeled_mask_.sum() == 28
    # a model that takes NaN itself, alone or after a scaler that keeps NaN:
    # distances on those rows cannot
    hgb = HistGradientBoostingClassifier(max_iter=5)
    for model in (hgb, make_pipeline(StandardScaler(), hgb)):
        raw = ActiveLearner(model, query_strategy=strategy).fit(X, y_pool)
        if strategy == "margin":
            assert raw.query().shape == (1,)
        else:
            with pytest.raises(ValueError, match=r"measures distances .* hold NaN"):
                raw.query()


def test_which_pipelines_take_nan():
    from sklearn.compose import make_column_transformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from skal.utils import accepts_nan

    lr, hgb = LogisticRegression(), HistGradientBoostingClassifier()
    ct = make_column_transformer
    cases = [
        (make_pipeline(SimpleImputer(), lr), True),  # filled before the model
        (make_pipeline(StandardScaler(), lr), False),  # the scaler passes NaN on
        (make_pipeline(StandardScaler(), SimpleImputer(), lr), True),
        (make_pipeline(StandardScaler(), hgb), True),  # the model takes it
        (make_pipeline(ct((SimpleImputer(), [0]), (OneHotEncoder(), [1])), lr), True),
        (make_pipeline(ct((StandardScaler(), [0]), (OneHotEncoder(), [1])), lr), False),
        (make_pipeline(ct((SimpleImputer(), [0]), remainder="passthrough"), lr), False),
        (lr, False),
        (hgb, True),
    ]
    assert [accepts_nan(est) for est, _ in cases] == [want for _, want in cases]
    assert ActiveLearner(cases[0][0]).__sklearn_tags__().input_tags.allow_nan
    assert not ActiveLearner(cases[1][0]).__sklearn_tags__().input_tags.allow_nan


def test_a_pandas_y_in_another_row_order_than_X_is_refused(iris_pool):
    X, y, y_pool = iris_pool
    frame = pd.DataFrame(X).sample(frac=1, random_state=0)  # shuffled rows
    labels = pd.Series(y_pool)  # the unshuffled order: labels to wrong rows
    match = r"y's index holds the rows of X in another order .* y.loc\[X.index\]"
    with pytest.raises(ValueError, match=match):
        _learner().fit(frame, labels)
    learner = _learner().fit(frame, labels.loc[frame.index])
    with pytest.raises(ValueError, match=match):
        learner.score(frame, pd.Series(y))
    rows = frame.iloc[:3]
    with pytest.raises(ValueError, match=match):
        learner.teach(rows, pd.Series(y).loc[rows.index[::-1]])
    aligned = learner.score(frame, pd.Series(y).loc[frame.index])
    assert aligned == learner.score(frame, y[frame.index.to_numpy()])
    with pytest.raises(ValueError, match="y_test's index"):
        simulate(
            _learner(),
            X,
            y,
            X_test=frame,
            y_test=pd.Series(y),
            budget=10,
            batch_size=5,
            n_initial=5,
            progress=False,
        )


def test_modal_teach_keywords_name_the_skal_way(iris_pool):
    X, y, y_pool = iris_pool
    learner = _learner().fit(X, y_pool)
    with pytest.raises(
        TypeError,
        match=r"unexpected keyword argument 'only_new': modAL's "
        r"teach\(only_new=\.\.\.\) is not skal's; warm_start=True on the learner",
    ):
        learner.teach(X[[50]], y[[50]], only_new=True)
    with pytest.raises(TypeError, match=r"'bootstrap'.*Committee\(\.\.\., bootstrap"):
        learner.teach(X[[50]], y[[50]], bootstrap=True)
    typo = r"^teach\(\) got an unexpected keyword argument 'relable'\.$"
    with pytest.raises(TypeError, match=typo):
        learner.teach(X[[50]], y[[50]], relable="replace")
    assert learner.labeled_mask_.sum() == 20  # nothing was taught
