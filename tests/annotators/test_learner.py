import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.utils._param_validation import InvalidParameterError

from skal.annotators import DawidSkene, MultiAnnotatorLearner, RandomAnnotators
from skal.loop import NoisyOracle


@pytest.fixture
def blobs():
    X, y = make_blobs(120, centers=2, random_state=0)
    return X, y


def _learner(**kw):
    return MultiAnnotatorLearner(LogisticRegression(), random_state=0, **kw)


def test_sklearn_citizenship():
    learner = _learner(annotator_selection=RandomAnnotators(2), batch_size=3)
    copy = clone(learner)
    assert copy.get_params()["annotator_selection__n_annotators"] == 2
    copy.set_params(annotator_selection__n_annotators=4, aggregation="dawid_skene")
    assert copy.annotator_selection.n_annotators == 4
    assert learner.annotator_selection.n_annotators == 2


def test_loop_with_noisy_oracle_learns_and_drops_a_guessing_annotator(blobs):
    X, y = blobs
    oracle = NoisyOracle(y, [0.0, 0.0, 0.5, 0.5], random_state=0)
    learner = _learner(batch_size=2).fit(X, np.full((120, 4), -1))
    for _ in range(12):
        pairs = learner.query()
        assert pairs.shape[1] == 2
        assert not (learner.Y_[pairs[:, 0], pairs[:, 1]] != -1).any()
        learner.teach(
            pairs[:, 0], pairs[:, 1], oracle.label(*pairs.T[:1], annotators=pairs[:, 1])
        )
    per_annotator = (learner.Y_ != -1).sum(axis=0)
    # IEThresh: the guessers disagree with the vote and stop being asked
    assert per_annotator[:2].min() > per_annotator[2:].max()
    assert learner.annotator_bounds_[0, 1] > learner.annotator_bounds_[3, 1]
    assert learner.score(X, y) > 0.95
    assert learner.cost_spent_ == per_annotator.sum()
    assert len(learner.history_) == 13
    assert learner.history_[-1]["n_labels"] == per_annotator.sum()


def test_random_annotators_ask_n_per_sample(blobs):
    X, _ = blobs
    learner = _learner(annotator_selection=RandomAnnotators(2), batch_size=4)
    pairs = learner.fit(X, np.full((120, 5), -1)).query()
    assert pairs.shape == (8, 2)
    assert np.bincount(pairs[:, 0]).max() == 2
    assert len(np.unique(pairs[:, 0])) == 4


def test_cost_aware_batch_prefers_value_per_cost(blobs):
    X, y = blobs
    Y = np.full((120, 3), -1)
    Y[:10] = y[:10, None]
    learner = _learner(
        annotator_selection="random",  # placeholder, replaced below
        annotator_costs=[1.0, 1.0, 10.0],
        batch_size=3,
        max_cost=4,
    )
    learner.set_params(annotator_selection=RandomAnnotators(3)).fit(X, Y)
    pairs, values = learner.query(return_scores=True)
    # 9 candidate pairs; the expensive annotator never fits next to others
    assert set(pairs[:, 1].tolist()) <= {0, 1}
    assert len(pairs) == 4
    assert np.all(np.diff(values) <= 1e-12)
    pairs_all = learner.query(max_cost=100)
    assert len(pairs_all) == 9


def test_dawid_skene_aggregation_and_text_labels(blobs):
    X, y = blobs
    names = np.array(["ham", "spam"])[y]
    Y = np.full((120, 3), None, dtype=object)
    Y[:20, 0], Y[:20, 1] = names[:20], names[:20]
    Y[:20, 2] = names[::-1][:20]
    learner = _learner(aggregation=DawidSkene(), missing_label=None).fit(X, Y)
    assert learner.aggregator_.annotator_accuracy_[2] < 0.8
    assert set(learner.predict(X[:5]).tolist()) <= {"ham", "spam"}
    assert learner.classes_.tolist() == ["ham", "spam"]
    learner.teach([30], [1], ["spam"])
    assert learner.Y_[30, 1] == "spam"


@pytest.mark.parametrize(
    "args, message",
    [
        (([0], [3], [1]), r"annotator must be in 0..2 \(there are 3 annotators\)"),
        (([500], [0], [1]), r"idx must be positions in X_ \(0 to 119\)"),
        (([0, 1], [0], [1, 1]), "same length"),
        (([0], [0], [np.nan]), "label holds missing values"),
        (([0], [0], [-1]), "label holds missing values"),
        (([0, 0], [1, 1], [0, 0]), r"same \(sample, annotator\) pair twice"),
        (([0.5], [0], [1]), "idx must be a 1-D array of integers"),
        (([], [], []), "teach got no labels"),
    ],
)
def test_teach_errors(blobs, args, message):
    X, _ = blobs
    learner = _learner().fit(X, np.full((120, 3), -1))
    with pytest.raises(ValueError, match=message):
        learner.teach(*[np.asarray(a) for a in args])


def test_fit_errors(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match=r"y.reshape\(-1, 1\)"):
        _learner().fit(X, y)
    with pytest.raises(ValueError, match="X has 120 rows but Y has 3"):
        _learner().fit(X, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"one cost per annotator \(2\)"):
        _learner(annotator_costs=[1, 2, 3]).fit(X, np.full((120, 2), -1))
    with pytest.raises(ValueError, match="finite and positive"):
        _learner(annotator_costs=[1, 0]).fit(X, np.full((120, 2), -1))
    with pytest.raises(ValueError, match=r"numbers, one cost per annotator; got \['a"):
        _learner(annotator_costs=["a", "b"]).fit(X, np.full((120, 2), -1))
    with pytest.raises(InvalidParameterError, match="'max_cost' parameter"):
        _learner(max_cost=True).fit(X, np.full((120, 2), -1))
    with pytest.raises(ValueError, match="max_cost must be a positive number"):
        _learner().fit(X, np.full((120, 2), -1)).query(max_cost="5")
    with pytest.raises(InvalidParameterError, match="aggregation"):
        _learner(aggregation="mean").fit(X, np.full((120, 2), -1))
    with pytest.raises(ValueError, match="Nothing is labeled yet"):
        _learner().fit(X, np.full((120, 2), -1)).predict(X)
    full = np.tile(y[:, None], (1, 2))
    with pytest.raises(ValueError, match="no sample left to query"):
        _learner().fit(X, full).query()


def test_nan_marker_and_float_labels(blobs):
    X, y = blobs
    learner = _learner(missing_label=np.nan, batch_size=3)
    learner.fit(X, np.full((120, 2), np.nan))
    for _ in range(4):
        pairs = learner.query()
        learner.teach(pairs[:, 0], pairs[:, 1], y[pairs[:, 0]])
    assert learner.classes_.tolist() == [0.0, 1.0]
    assert np.isnan(learner.y_aggregated_).sum() == 120 - 12
    assert learner.score(X, y) > 0.9


@pytest.mark.parametrize(
    "estimator",
    [
        MultiAnnotatorLearner(LogisticRegression()),
        DawidSkene(),
        RandomAnnotators(2),
    ],
    ids=lambda e: type(e).__name__,
)
def test_init_only_stores_parameters(estimator):
    from sklearn.utils.estimator_checks import (
        check_get_params_invariance,
        check_no_attributes_set_in_init,
    )

    name = type(estimator).__name__
    check_no_attributes_set_in_init(name, estimator)
    check_get_params_invariance(name, estimator)
    assert repr(clone(estimator)) == repr(estimator)


def test_custom_selector_and_its_shape_check(blobs):
    X, _ = blobs

    class FirstTwo:
        def choose(self, bounds, n_samples, random_state):
            return np.tile([True, True, False], (n_samples, 1))

    class Wrong:
        def choose(self, bounds, n_samples, random_state):
            return np.ones((n_samples, 2), dtype=bool)

    pairs = _learner(annotator_selection=FirstTwo(), batch_size=2)
    pairs = pairs.fit(X, np.full((120, 3), -1)).query()
    assert pairs[:, 1].tolist() == [0, 1, 0, 1]
    learner = _learner(annotator_selection=Wrong()).fit(X, np.full((120, 3), -1))
    with pytest.raises(ValueError, match=r"returned shape \(1, 2\), expected \(1, 3\)"):
        learner.query()


def test_budget_below_every_cost_is_an_error(blobs):
    X, _ = blobs
    learner = _learner(annotator_costs=[2.0, 3.0], max_cost=1.5)
    learner.fit(X, np.full((120, 2), -1))
    with pytest.raises(
        ValueError, match=r"max_cost=1.5 is below .* cheapest costs 2.0"
    ):
        learner.query()
    with pytest.raises(ValueError, match="max_cost must be a positive number, got -1"):
        learner.query(max_cost=-1)


def test_aggregator_parameter_is_not_fitted_in_place(blobs):
    X, y = blobs
    Y = np.full((120, 2), -1)
    Y[:10] = y[:10, None]
    given = DawidSkene(max_iter=5)
    learner = _learner(aggregation=given).fit(X, Y)
    assert not hasattr(given, "confusion_")
    assert learner.aggregator_.max_iter == 5 and hasattr(learner.aggregator_, "prior_")


def test_whole_float_labels_stay_the_int_classes(blobs):
    X, y = blobs
    Y = np.full((120, 2), -1)
    Y[:4, 0] = y[:4]
    learner = _learner().fit(X, Y)
    learner.teach([5], [1], [1.0])
    assert learner.Y_.dtype.kind == "i" and learner.Y_[5, 1] == 1
    assert learner.classes_.dtype.kind == "i"
    with pytest.raises(ValueError, match=r"not whole numbers \(\[0.5\]\)"):
        learner.teach([6], [1], [0.5])
    assert learner.Y_[6, 1] == -1


def test_Y_indexed_in_another_order_than_X_is_refused(blobs):
    pd = pytest.importorskip("pandas")
    X, y = blobs
    Y = pd.DataFrame(np.full((120, 2), -1), index=range(120)[::-1])
    with pytest.raises(ValueError, match="Y's index holds the rows of X in another"):
        _learner().fit(pd.DataFrame(X), Y)


def test_text_minus_one_under_the_numeric_marker_is_a_class_and_says_so(blobs):
    X, y = blobs
    Y = np.full((120, 2), "-1")
    Y[:6, 0] = np.where(y[:6] == 1, "a", "b")
    with pytest.warns(UserWarning, match="234 labels are the text '-1', which is"):
        learner = _learner().fit(X, Y)
    assert learner.classes_.tolist() == ["-1", "a", "b"]


def test_teach_does_not_overwrite_an_annotators_label():
    # Y_[0, 0] = 0 was replaced by 2 silently (a user's label lost)
    X = np.arange(12.0).reshape(6, 2)
    Y = np.full((6, 2), -1)
    Y[[0, 5], 0] = [0, 1]
    learner = MultiAnnotatorLearner(GaussianNB(), random_state=0).fit(X, Y)
    with pytest.raises(ValueError, match=r"pairs \[\[0, 0\]\] that already hold"):
        learner.teach([0, 1], [0, 0], [2, 1])
    assert learner.Y_[:2, 0].tolist() == [0, -1]  # nothing changed
    learner.teach([0, 1], [1, 0], [2, 1])  # another annotator may disagree
    assert learner.Y_[:2].tolist() == [[0, 2], [1, -1]]
    # the same answer taught again adds nothing and is not paid twice
    spent = learner.cost_spent_
    with pytest.warns(UserWarning, match="1 .sample, annotator. pairs that already"):
        learner.teach([0, 2], [1, 0], [2, 0])
    assert learner.cost_spent_ == spent + 1.0 and learner.history_[-1]["cost"] == 1.0
    assert learner.Y_[:3].tolist() == [[0, 2], [1, -1], [0, -1]]


def test_a_dataframe_of_nullable_labels_fits():
    # pd.NA of an Int64 DataFrame reached a comparison: "boolean value of NA
    # is ambiguous"
    pd = pytest.importorskip("pandas")
    X = np.arange(12.0).reshape(6, 2)
    Y = pd.DataFrame({"a": [0, None, None, None, None, 1], "b": [None] * 6})
    learner = MultiAnnotatorLearner(GaussianNB(), random_state=0)
    learner.fit(X, Y.astype("Int64"))
    assert learner._labeled.sum() == 2
    assert learner.classes_.tolist() == [0, 1]


def test_score_skips_unlabeled_rows_as_the_pool_learners_do():
    # ClassifierMixin's score counted each -1 as a wrong prediction
    X = np.r_[np.zeros((5, 2)), np.ones((5, 2))] + np.arange(10)[:, None] * 0.01
    y = np.repeat([0, 1], 5)
    learner = MultiAnnotatorLearner(GaussianNB(), random_state=0)
    learner.fit(X, np.c_[y, np.full(10, -1)])
    masked = y.copy()
    masked[::2] = -1
    assert learner.score(X, masked) == learner.score(X[1::2], y[1::2]) == 1.0
    with pytest.raises(ValueError, match="one label per row of X"):
        learner.score(X, y[:3])


def test_a_vote_of_the_second_class_only_is_no_ambiguous_y():
    # the inner learner saw class positions {-1: unlabeled, 1}: skal's {-1, 1}
    # guard refused that y although the user's labels were plain 0 / 1
    X = np.random.RandomState(0).normal(size=(20, 2))
    Y = np.full((20, 3), -1)
    Y[0], Y[1] = [1, 1, 0], [1, 1, 1]  # class 0 only as a minority answer
    with pytest.warns(UserWarning, match=r"Only one class \(1\)"):
        learner = MultiAnnotatorLearner(LogisticRegression(), random_state=0)
        learner.fit(X, Y)
    assert learner.classes_.tolist() == [1]
    assert learner.y_aggregated_[:3].tolist() == [1, 1, -1]
    with pytest.warns(UserWarning, match=r"Only one class \(1\)"):
        learner = MultiAnnotatorLearner(
            LogisticRegression(), classes=[0, 1], random_state=0
        ).fit(X, np.where(np.arange(20)[:, None] < 2, 1, -1) * np.ones((1, 3), int))
    assert learner.query().shape == (3, 2)
