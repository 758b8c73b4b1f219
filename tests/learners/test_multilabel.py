"""ActiveLearner on a multi-label indicator y: fit / query / teach / score / checks."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import LinearSVC

from skal import ActiveLearner, ActiveSelfTrainingClassifier, BayesianLearner, Committee
from skal.strategies import MULTILABEL_STRATEGIES


@pytest.fixture(scope="module")
def data():
    X, Y = make_multilabel_classification(
        n_samples=150, n_features=8, n_classes=4, random_state=0
    )
    Y_pool = Y.copy()
    Y_pool[40:] = -1
    return X, Y, Y_pool


MODELS = {
    "ovr_svm": lambda: OneVsRestClassifier(LinearSVC()),
    "multioutput_lr": lambda: MultiOutputClassifier(LogisticRegression()),
    "knn": lambda: KNeighborsClassifier(n_neighbors=3),
    "forest": lambda: RandomForestClassifier(n_estimators=5, random_state=0),
}


@pytest.mark.parametrize("model", sorted(MODELS))
def test_fit_query_teach_predict(data, model):
    X, Y, Y_pool = data
    learner = ActiveLearner(
        MODELS[model](), query_strategy="mean_max_loss", batch_size=4, random_state=0
    ).fit(X, Y_pool)
    assert learner.labeled_mask_.tolist() == [True] * 40 + [False] * 110
    assert learner.classes_.tolist() == [0, 1, 2, 3]
    idx = learner.query()
    assert idx.shape == (4,) and idx.min() >= 40  # unlabeled rows only
    learner.teach(X[idx], Y[idx])
    assert int(learner.labeled_mask_.sum()) == 44
    np.testing.assert_array_equal(learner.y_[idx], Y[idx])
    assert learner.history_[-1]["indices"] == idx.tolist()
    assert learner.history_[-1]["n_labeled"] == 44
    reference = MODELS[model]().fit(X[learner.labeled_mask_], Y[learner.labeled_mask_])
    np.testing.assert_array_equal(learner.predict(X), reference.predict(X))


def test_context_proba_is_probability_of_label_one(data):
    X, Y, Y_pool = data
    learner = ActiveLearner(
        MultiOutputClassifier(LogisticRegression()), query_strategy="mean_entropy"
    ).fit(X, Y_pool)
    ctx = learner.query_context()
    per_label = learner.estimator_.predict_proba(X[40:])
    expected = np.column_stack([p[:, 1] for p in per_label])
    np.testing.assert_allclose(ctx.proba(), expected)
    assert ctx.predict().shape == (110, 4)
    assert not ctx.has("decision")  # MultiOutputClassifier has none


def test_context_decision_of_one_vs_rest(data):
    X, Y, Y_pool = data
    learner = ActiveLearner(
        OneVsRestClassifier(LinearSVC()), query_strategy="binary_minimum"
    ).fit(X, Y_pool)
    ctx = learner.query_context()
    np.testing.assert_allclose(
        ctx.decision(), learner.estimator_.decision_function(X[40:])
    )


def test_score_is_subset_accuracy_on_labeled_rows(data):
    X, Y, Y_pool = data
    learner = ActiveLearner(
        OneVsRestClassifier(LinearSVC()), query_strategy="max_loss"
    ).fit(X, Y_pool)
    Y_test = Y.copy()
    Y_test[:10] = -1
    expected = accuracy_score(Y[10:], learner.predict(X[10:]))
    assert learner.score(X, Y_test) == pytest.approx(expected)
    assert 0 < expected < 1


def test_nan_marker_and_cold_start(data):
    X, Y, _ = data
    Y_nan = np.full(Y.shape, np.nan)
    learner = ActiveLearner(
        OneVsRestClassifier(LinearSVC()),
        query_strategy="lci",
        missing_label=np.nan,
        batch_size=10,
        random_state=0,
    ).fit(X, Y_nan)
    assert learner.estimator_ is None and not learner.labeled_mask_.any()
    idx = learner.query()  # initial_strategy="random"
    learner.teach(X[idx], Y[idx])
    assert int(learner.labeled_mask_.sum()) == 10
    assert learner.predict(X).shape == (150, 4)
    assert learner.query().shape == (10,)


def test_simulated_acquisition_with_budget(data):
    X, Y, _ = data
    learner = ActiveLearner(
        OneVsRestClassifier(LinearSVC()),
        query_strategy="mmc",
        budget=30,
        n_initial=10,
        batch_size=10,
        random_state=0,
    ).fit(X, Y)
    assert [h["n_labeled"] for h in learner.history_] == [10, 20, 30]
    assert all(0 <= h["pool_score"] <= 1 for h in learner.history_)
    assert int(learner.labeled_mask_.sum()) == 30
    assert (learner.y_[~learner.labeled_mask_] == -1).all()


def test_partly_missing_row_is_rejected(data):
    X, Y, Y_pool = data
    bad = Y_pool.copy()
    bad[3, 1] = -1
    with pytest.raises(ValueError, match=r"Rows \[3\] of the multi-label y are partly"):
        ActiveLearner(OneVsRestClassifier(LinearSVC()), query_strategy="lci").fit(
            X, bad
        )


def test_values_other_than_zero_one_are_rejected(data):
    X, Y, Y_pool = data
    bad = Y_pool.copy()
    bad[0, 0] = 2
    with pytest.raises(ValueError, match="MultiLabelBinarizer"):
        ActiveLearner(OneVsRestClassifier(LinearSVC()), query_strategy="lci").fit(
            X, bad
        )


def test_teach_checks_shape_and_relabels(data):
    X, Y, Y_pool = data
    learner = ActiveLearner(OneVsRestClassifier(LinearSVC()), query_strategy="lci").fit(
        X, Y_pool
    )
    with pytest.raises(ValueError, match=r"y of shape \(n_samples, 4\)"):
        learner.teach(X[50:52], Y[50:52, :3])
    with pytest.raises(ValueError, match=r"pass y of shape \(n_samples, 4\)"):
        learner.teach(X[50:52], np.array([0, 1]))
    with pytest.raises(ValueError, match="full label vector"):
        learner.teach(X[50:51], np.array([[1, -1, 0, 0]]))
    flipped = 1 - Y[:1]
    with pytest.raises(ValueError, match=r"teach relabels rows \[0\]"):
        learner.teach(X[:1], flipped)
    learner.teach(X[:1], flipped, relabel="replace")
    np.testing.assert_array_equal(learner.y_[0], flipped[0])
    with pytest.warns(UserWarning, match="teach added no label for 1 of the 1"):
        learner.teach(X[1:2], Y[1:2])  # the same labels: left alone
    assert int(learner.labeled_mask_.sum()) == 40


@pytest.mark.parametrize("strategy", ["entropy", "margin", "badge", "qbc"])
def test_single_label_strategy_names_itself_and_the_alternatives(data, strategy):
    X, Y, Y_pool = data
    with pytest.raises(ValueError) as err:
        ActiveLearner(OneVsRestClassifier(LinearSVC()), query_strategy=strategy).fit(
            X, Y_pool
        )
    msg = str(err.value)
    assert msg.startswith(f"query_strategy={strategy!r} handles single-label y only")
    assert "(4 labels)" in msg
    assert all(repr(name) in msg for name in MULTILABEL_STRATEGIES)


@pytest.mark.parametrize("strategy", ["coreset", "kmeans", "typiclust", "random"])
def test_row_only_strategies_serve_multilabel(data, strategy):
    X, Y, Y_pool = data
    learner = ActiveLearner(
        OneVsRestClassifier(LinearSVC()),
        query_strategy=strategy,
        batch_size=3,
        random_state=0,
    ).fit(X, Y_pool)
    assert np.unique(learner.query()).shape == (3,)


def test_multilabel_strategy_on_1d_y_is_rejected(data):
    X, Y, _ = data
    y = Y[:, 0].copy()
    y[40:] = -1
    msg = "'mmc' is a multi-label strategy, but y is 1-d"
    with pytest.raises(ValueError, match=msg):
        ActiveLearner(LogisticRegression(), query_strategy="mmc").fit(X, y)


def test_regressor_still_needs_1d_y(data):
    X, Y, _ = data
    with pytest.raises(ValueError, match=r"y should be a 1d array.*needs a classifier"):
        ActiveLearner(Ridge(), query_strategy="random").fit(X, Y.astype(float))


def test_semi_supervised_needs_1d_labels(data):
    X, _, Y_pool = data
    with pytest.raises(ValueError, match="semi_supervised=True needs 1-d"):
        ActiveLearner(
            OneVsRestClassifier(LinearSVC()),
            query_strategy="lci",
            semi_supervised=True,
        ).fit(X, Y_pool)


def test_single_label_learner_rejects_2d_teach():
    X = np.arange(20.0).reshape(10, 2)
    y = np.array([0, 1] * 2 + [-1] * 6)
    learner = ActiveLearner(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="fitted on 1-d labels"):
        learner.teach(X[5:6], np.array([[0, 1]]))


def test_every_registered_strategy_serves_or_refuses_multilabel(data):
    from skal.strategies import available_strategies, resolve_strategy

    X, Y, Y_pool = data
    served = []
    for name in available_strategies():
        learner = ActiveLearner(
            OneVsRestClassifier(LinearSVC()),
            query_strategy=name,
            batch_size=2,
            random_state=0,
        )
        if "multilabel" in resolve_strategy(name).label_types:
            assert learner.fit(X, Y_pool).query().shape == (2,), name
            served.append(name)
            continue
        with pytest.raises(ValueError) as err:
            learner.fit(X, Y_pool)
        msg = str(err.value)
        assert (
            "handles single-label y only" in msg and "'mmc'" in msg
        ) or "is a regression strategy" in msg, (name, msg)
    assert sorted(served) == sorted(
        [*MULTILABEL_STRATEGIES, "random", "coreset", "kmeans", "typiclust"]
    )


def test_sparse_indicator_is_rejected(data):
    import scipy.sparse as sp

    X, _, Y_pool = data
    with pytest.raises(ValueError, match=r"sparse matrix; pass a dense array"):
        ActiveLearner(OneVsRestClassifier(LinearSVC()), query_strategy="lci").fit(
            X, sp.csr_matrix(np.maximum(Y_pool, 0))
        )


def test_all_labeled_entries_equal_is_a_constant_model(data):
    X, Y, _ = data
    Y_pool = np.full(Y.shape, -1)
    Y_pool[:3] = 0
    learner = ActiveLearner(
        OneVsRestClassifier(LinearSVC()),
        query_strategy="mean_entropy",
        batch_size=2,
        random_state=0,
    )
    with pytest.warns(UserWarning, match=r"Only one value \(0\) is"):
        learner.fit(X, Y_pool)
    assert (learner.predict(X) == 0).all()
    assert learner.query().shape == (2,)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Committee(
            [("a", KNeighborsClassifier()), ("b", KNeighborsClassifier(1))],
            query_strategy="binary_minimum",
        ),
        lambda: BayesianLearner(
            RandomForestClassifier(n_estimators=3, random_state=0),
            query_strategy="binary_minimum",
        ),
        lambda: ActiveSelfTrainingClassifier(
            KNeighborsClassifier(), query_strategy="binary_minimum"
        ),
    ],
    ids=["Committee", "BayesianLearner", "ActiveSelfTrainingClassifier"],
)
def test_learners_without_multilabel_support_refuse_it_at_fit(data, make):
    # these learners used to crash inside NumPy / LabelEncoder on a 2-d y
    X, _, Y_pool = data
    learner = make()
    name = type(learner).__name__
    with pytest.raises(
        ValueError,
        match=rf"{name} takes 1-d class labels, but y is a "
        r"multi-label indicator of shape \(150, 4\)\. Use "
        r"skal\.ActiveLearner",
    ):
        learner.fit(X, Y_pool)
    assert not hasattr(learner, "labeled_mask_")
