"""Committee: members, aligned stacks, disagreement via the learner, grid search."""

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import load_iris, load_wine
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from skal import ActiveLearner, Committee, CommitteeRegressor
from skal.datasets import make_pool
from skal.strategies import QueryByCommittee, vote_entropy

MEASURES = [
    "vote_entropy",
    "consensus_entropy",
    "max_disagreement",
    "variation_ratio",
    "bald",
    "mean_std",
]


class ShiftClassifier(ClassifierMixin, BaseEstimator):
    """Predict class ``clip(floor(x + shift))`` with one-hot probabilities."""

    def __init__(self, shift=0.0):
        self.shift = shift

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        k = np.clip(np.floor(np.asarray(X)[:, 0] + self.shift), 0, 2).astype(int)
        return np.eye(len(self.classes_))[k]

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


@pytest.fixture(scope="module")
def iris_pool():
    X, y = load_iris(return_X_y=True)
    return X, y, make_pool(y, n_labeled=15, random_state=0)


@pytest.mark.parametrize("measure", MEASURES)
def test_unanimous_committee_gives_zero_disagreement(iris_pool, measure):
    X, _, y_pool = iris_pool
    committee = Committee(
        [("a", GaussianNB()), ("b", GaussianNB()), ("c", GaussianNB())],
        query_strategy=QueryByCommittee(measure),
        random_state=0,
    ).fit(X, y_pool)
    stack = committee.predict_proba_samples(X)
    np.testing.assert_array_equal(stack[0], stack[2])
    scores = committee.query_strategy_.score(committee.query_context(X))
    consensus_h = -np.sum(stack[0] * np.log(np.maximum(stack[0], 1e-300)), axis=1)
    expected = consensus_h if measure == "consensus_entropy" else 0.0
    np.testing.assert_allclose(scores, expected, atol=1e-10)


def test_hand_worked_three_member_vote_entropy():
    committee = Committee(
        [("a", ShiftClassifier(0.0)), ("b", ShiftClassifier(0.6))]
        + [("c", ShiftClassifier(1.2))],
        batch_size=3,
    ).fit([[0.0], [1.0], [2.0]], [0, 1, 2])
    X_pool = np.array([[0.5], [0.9], [2.5]])
    # x=0.5 votes 0,1,1; x=0.9 votes 0,1,2; x=2.5 votes 2,2,2.
    np.testing.assert_array_equal(
        committee.member_votes(X_pool), [[0, 0, 2], [1, 1, 2], [1, 2, 2]]
    )
    idx, scores = committee.query(X_pool, return_scores=True)
    split = -(1 / 3 * np.log(1 / 3) + 2 / 3 * np.log(2 / 3))
    assert idx.tolist() == [1, 0, 2]
    np.testing.assert_allclose(scores, [np.log(3), split, 0.0], atol=1e-12)
    # The pure function on the stack agrees with the fast path.
    np.testing.assert_allclose(
        vote_entropy(committee.predict_proba_samples(X_pool)), [split, np.log(3), 0]
    )


def test_member_missing_a_class_gets_a_zero_column():
    X, _ = load_iris(return_X_y=True)
    committee = Committee(
        estimator=LogisticRegression(), n_members=3, random_state=0
    ).fit(X[[0, 50, 100, 101]], [0, 1, 2, 2])
    stack = committee.predict_proba_samples(X[:60])
    assert stack.shape == (3, 60, 3)
    np.testing.assert_allclose(stack.sum(axis=2), 1.0)
    seen = [set(est.classes_.tolist()) for est in committee.estimators_]
    assert any(len(s) < 3 for s in seen)  # the bootstraps did miss classes
    for member, classes in zip(stack, seen):
        for k in set(range(3)) - classes:
            assert (member[:, k] == 0).all()


def test_consensus_predict_and_score(iris_pool):
    X, y, y_pool = iris_pool
    committee = Committee(
        [("lr", LogisticRegression()), ("nb", GaussianNB())], random_state=0
    ).fit(X, y_pool)
    stack = committee.predict_proba_samples(X)
    np.testing.assert_allclose(committee.predict_proba(X), stack.mean(axis=0))
    pred = committee.predict(X)
    np.testing.assert_array_equal(pred, stack.mean(axis=0).argmax(axis=1))
    assert committee.score(X, y) == pytest.approx(np.mean(pred == y))
    assert set(committee.named_estimators_) == {"lr", "nb"}
    assert not hasattr(committee, "decision_function")


def test_string_labels_and_member_without_predict_proba():
    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    y_pool = make_pool(names, n_labeled=12, missing_label=None, random_state=0)
    committee = Committee(
        [("svc", LinearSVC()), ("nb", GaussianNB())], missing_label=None
    ).fit(X, y_pool)
    stack = committee.predict_proba_samples(X)
    assert set(np.unique(stack[0])) <= {0.0, 1.0}  # one-hot votes of the SVC
    np.testing.assert_allclose(stack.sum(axis=2), 1.0)
    assert set(committee.predict(X)) <= set(names)


def test_fast_vote_path_equals_stack_path(iris_pool):
    X, _, y_pool = iris_pool
    committee = Committee(
        estimator=DecisionTreeClassifier(max_depth=2), n_members=7, random_state=0
    ).fit(X, y_pool)
    for measure in ["vote_entropy", "variation_ratio"]:
        fast = QueryByCommittee(measure).score(committee.query_context(X))
        stack = committee.predict_proba_samples(X)
        slow = QueryByCommittee(lambda s, m=measure: _pure(m)(s)).score(
            committee.query_context(X)
        )
        np.testing.assert_allclose(fast, slow, atol=1e-12)
        np.testing.assert_allclose(fast, _pure(measure)(stack), atol=1e-12)


def _pure(name):
    from skal.strategies import variation_ratio

    return {"vote_entropy": vote_entropy, "variation_ratio": variation_ratio}[name]


def test_bootstrap_is_deterministic_and_teach_redraws(iris_pool):
    X, y, y_pool = iris_pool
    make = Committee(estimator=LogisticRegression(), n_members=3, random_state=1)
    a, b = clone(make).fit(X, y_pool), clone(make).fit(X, y_pool)
    np.testing.assert_array_equal(
        a.predict_proba_samples(X), b.predict_proba_samples(X)
    )
    coefs = [est.coef_.copy() for est in a.estimators_]
    assert not np.allclose(coefs[0], coefs[1])  # members saw different draws
    idx = a.query(batch_size=2)
    a.teach(X[idx], y[idx])
    assert a.labeled_mask_.sum() == 17
    assert not np.allclose(a.estimators_[0].coef_, coefs[0])
    # n_jobs fits the same members in parallel.
    with parallel_backend("threading"):
        c = clone(make).set_params(n_jobs=2).fit(X, y_pool)
    np.testing.assert_array_equal(
        c.predict_proba_samples(X), b.predict_proba_samples(X)
    )


def test_rebag_redraws_the_bootstrap_and_keeps_the_labels(iris_pool):
    # modAL's Committee.rebag(): same labels, new bootstrap samples.
    X, y, y_pool = iris_pool
    make = Committee(estimator=LogisticRegression(), n_members=3, random_state=1)
    a, b = clone(make).fit(X, y_pool), clone(make).fit(X, y_pool)
    before = a.predict_proba_samples(X)
    assert a.rebag() is a and b.rebag() is b
    assert a.labeled_mask_.sum() == 15 and len(a.history_) == 1
    after = a.predict_proba_samples(X)
    assert not np.allclose(before, after)  # the members saw new draws
    np.testing.assert_array_equal(after, b.predict_proba_samples(X))  # seeded
    regressor = CommitteeRegressor(estimator=Ridge(), n_members=2, random_state=0)
    y_reg = np.where(y_pool == -1, np.nan, y_pool.astype(float))
    regressor = regressor.set_params(missing_label=np.nan).fit(X, y_reg)
    coef = regressor.estimators_[0].coef_.copy()
    assert not np.allclose(regressor.rebag().estimators_[0].coef_, coef)
    heterogeneous = Committee(
        [("lr", LogisticRegression()), ("nb", GaussianNB())], random_state=0
    ).fit(X, y_pool)
    with pytest.raises(ValueError, match="set bootstrap=True first"):
        heterogeneous.rebag()


def test_only_one_class_warns_and_queries_at_random():
    X, _ = load_iris(return_X_y=True)
    y = np.full(150, -1)
    y[:3] = 0
    with pytest.warns(UserWarning, match="Only one class"):
        committee = Committee(estimator=GaussianNB(), n_members=2, random_state=0).fit(
            X, y
        )
    assert (committee.predict(X) == 0).all()
    with pytest.warns(UserWarning, match="querying at random"):
        assert committee.query(batch_size=2).shape == (2,)


def test_grid_search_tunes_a_member_by_name():
    X, y = load_wine(return_X_y=True)
    committee = Committee(
        [
            ("lr", make_pipeline(StandardScaler(), LogisticRegression())),
            ("nb", GaussianNB()),
        ]
    )
    assert "lr__logisticregression__C" in committee.get_params()
    grid = GridSearchCV(
        committee, {"lr__logisticregression__C": [1e-4, 1.0]}, cv=3
    ).fit(X, y)
    assert grid.best_params_ == {"lr__logisticregression__C": 1.0}
    best = grid.best_estimator_.named_estimators_["lr"]
    assert best[-1].C == 1.0
    scores = grid.cv_results_["mean_test_score"]
    assert scores[1] > scores[0]
    # set_params replaces a member by name; clone keeps it.
    committee.set_params(nb=DecisionTreeClassifier(max_depth=1))
    assert isinstance(clone(committee).estimators[1][1], DecisionTreeClassifier)
    with pytest.raises(ValueError, match="Invalid parameter"):
        committee.set_params(svm__C=1.0)


def test_grid_search_over_the_disagreement_measure():
    X, y = load_iris(return_X_y=True)
    committee = Committee(
        [("lr", LogisticRegression()), ("nb", GaussianNB())],
        query_strategy=QueryByCommittee(),
        budget=24,
        n_initial=6,
        batch_size=6,
        random_state=0,
    )
    grid = GridSearchCV(
        committee,
        {"query_strategy__measure": ["vote_entropy", "max_disagreement", "bald"]},
        cv=3,
    ).fit(X, y)
    assert grid.best_params_["query_strategy__measure"] in {
        "vote_entropy",
        "max_disagreement",
        "bald",
    }
    best = grid.best_estimator_
    assert best.query_strategy_.measure == grid.best_params_["query_strategy__measure"]
    assert [h["n_labeled"] for h in best.history_] == [6, 12, 18, 24]
    assert (grid.cv_results_["mean_test_score"] > 0.6).all()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, "exactly one of"),
        ({"estimators": [("a", GaussianNB())], "estimator": GaussianNB()}, "exactly"),
        ({"estimators": [("a", GaussianNB()), ("a", GaussianNB())]}, "unique"),
        ({"estimators": [("n_jobs", GaussianNB())]}, "parameter names"),
        ({"estimators": [GaussianNB()]}, "tuples"),
        ({"estimator": GaussianNB(), "n_members": 0}, "n_members"),
        ({"estimator": GaussianNB(), "bootstrap": "yes"}, "bootstrap"),
        (
            {"estimators": [("nb", GaussianNB()), ("r", Ridge())]},
            r"member 'r' \(Ridge\) is a regressor; use skal.CommitteeRegressor",
        ),
        ({"estimator": Ridge()}, r"but estimator \(Ridge\) is a regressor"),
    ],
)
def test_bad_committees_raise_clear_errors(iris_pool, kwargs, match):
    X, _, y_pool = iris_pool
    with pytest.raises(ValueError, match=match):
        Committee(**kwargs).fit(X, y_pool)


def test_a_regression_committee_refuses_classifiers(iris_pool):
    X = iris_pool[0]
    y_reg = np.where(np.arange(150) % 10 == 0, X[:, 0], np.nan)
    with pytest.raises(ValueError, match=r"\(GaussianNB\) is a classifier; use skal"):
        CommitteeRegressor([("nb", GaussianNB()), ("r", Ridge())]).fit(X, y_reg)


def test_query_by_committee_needs_member_probabilities(iris_pool):
    X, _, y_pool = iris_pool
    learner = ActiveLearner(LogisticRegression(), query_strategy="vote_entropy").fit(
        X, y_pool
    )
    with pytest.raises(TypeError, match="needs predict_proba_samples.*Committee"):
        learner.query()
    committee = Committee(
        estimator=GaussianNB(), n_members=2, query_strategy=QueryByCommittee("kl")
    )
    # Strategy parameters are validated at fit.
    with pytest.raises(ValueError, match="'measure' parameter of QueryByCommittee"):
        committee.fit(X, y_pool)


def test_a_member_with_more_outputs_than_classes_gets_a_clear_error():
    from sklearn.base import BaseEstimator, ClassifierMixin

    class TenOutputs(ClassifierMixin, BaseEstimator):
        """Like a net with 10 outputs trained on fewer classes."""

        def fit(self, X, y):
            self.classes_ = np.unique(y)
            return self

        def predict_proba(self, X):
            return np.full((len(X), 10), 0.1)

        def predict(self, X):
            return np.full(len(X), self.classes_[0])

    X, y = load_iris(return_X_y=True)
    y_pool = np.full(150, -1)
    y_pool[[0, 1, 50, 51]] = y[[0, 1, 50, 51]]
    committee = Committee([("net", TenOutputs()), ("b", TenOutputs())]).fit(X, y_pool)
    with pytest.raises(ValueError, match="Member 'net' returns 10 probability"):
        committee.predict_proba(X[:3])


def test_one_model_where_the_member_list_belongs_says_how_to_bag():
    X, y = load_iris(return_X_y=True)
    for Cls, model in [(Committee, GaussianNB()), (CommitteeRegressor, Ridge())]:
        with pytest.raises(
            InvalidParameterError,
            match=rf"estimators' parameter of {Cls.__name__} must be a list .* to "
            rf"bag copies of one model, pass {Cls.__name__}\(estimator=",
        ):
            Cls(model).fit(X, y)
    with pytest.raises(ValueError, match=r"for bagged copies of one model pass"):
        Committee([GaussianNB()]).fit(X, y)
