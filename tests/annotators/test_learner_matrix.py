"""MultiAnnotatorLearner with a classifier that learns from the label matrix."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression

from skal.annotators import ModelBestAnnotators, MultiAnnotatorLearner


class RepeatedLabels(ClassifierMixin, BaseEstimator):
    """Each (sample, annotator) label as its own training row: a multi-annotator
    classifier in its simplest form, recording the matrix it was given."""

    _annotator_matrix = True

    def __init__(self, missing_label=-1):
        self.missing_label = missing_label

    def fit(self, X, Y):
        self.Y_seen_ = Y.copy()
        rows, cols = np.nonzero(~np.isnan(Y))
        self.model_ = LogisticRegression().fit(X[rows], Y[rows, cols])
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)


@pytest.fixture
def text_labels():
    X, y = make_blobs(60, centers=2, random_state=0)
    names = np.array(["cat", "dog"], dtype=object)
    Y = np.full((60, 3), None, dtype=object)
    Y[:10, 0] = names[y[:10]]
    Y[:10, 1] = names[1 - y[:10]]  # annotator 1 is always wrong
    Y[5:15, 2] = names[y[5:15]]
    return X, y, names, Y


def test_the_classifier_sees_every_label_of_the_labeled_rows(text_labels):
    X, y, names, Y = text_labels
    learner = MultiAnnotatorLearner(
        RepeatedLabels(), missing_label=None, random_state=0
    ).fit(X, Y)
    seen = learner.estimator_.estimator_.Y_seen_
    # rows 0..14 have a label, in order; the annotators' labels as positions
    assert seen.shape == (15, 3)
    expected = np.full((15, 3), np.nan)
    expected[:10, 0], expected[:10, 1] = y[:10], 1 - y[:10]
    expected[5:15, 2] = y[5:15]
    np.testing.assert_array_equal(seen, expected)
    assert learner.estimator_.estimator_.missing_label is not None  # NaN set
    assert np.isnan(learner.estimator_.estimator_.missing_label)
    # predictions come back as the user's labels, probabilities per class
    assert learner.classes_.tolist() == ["cat", "dog"]
    assert set(learner.predict(X).tolist()) <= {"cat", "dog"}
    P = learner.predict_proba(X[:4])
    assert P.shape == (4, 2)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)


def test_teach_refits_on_the_new_labels_and_queries_unlabeled_samples(text_labels):
    X, y, names, Y = text_labels
    learner = MultiAnnotatorLearner(
        RepeatedLabels(), missing_label=None, batch_size=2, random_state=0
    ).fit(X, Y)
    pairs = learner.query()
    assert (pairs[:, 0] >= 15).all()  # samples nobody has labeled
    learner.teach(pairs[:, 0], pairs[:, 1], names[y[pairs[:, 0]]])
    seen = learner.estimator_.estimator_.Y_seen_
    assert seen.shape[0] == 15 + len(np.unique(pairs[:, 0]))
    assert (~np.isnan(seen)).sum() == 30 + len(pairs)


def test_a_strategy_refitting_on_hypothetical_labels_is_refused(text_labels):
    X, y, names, Y = text_labels
    learner = MultiAnnotatorLearner(
        RepeatedLabels(), query_strategy="eer", missing_label=None, random_state=0
    ).fit(X, Y)
    with pytest.raises(ValueError, match="cannot run with a multi-annotator"):
        learner.query()


@pytest.mark.parametrize("kind", ["logistic", "ensemble"])
def test_skals_multi_annotator_classifiers_run_the_loop(kind, text_labels):
    from sklearn.naive_bayes import GaussianNB

    from skal.annotators import AnnotatorEnsembleClassifier, AnnotatorLogisticRegression

    X, y, names, Y = text_labels
    Y = np.where(Y == None, "none", Y)  # noqa: E711 - text marker of the learner
    model = (
        AnnotatorLogisticRegression()
        if kind == "logistic"
        else AnnotatorEnsembleClassifier([(f"a{j}", GaussianNB()) for j in range(3)])
    )
    learner = MultiAnnotatorLearner(
        model, missing_label="none", batch_size=3, random_state=0
    ).fit(X, Y)
    fitted = learner.estimator_.estimator_
    assert type(fitted) is type(model) and fitted.classes_.tolist() == [0.0, 1.0]
    if kind == "logistic":
        # annotator 1 always answers the other class: its confusion says so
        assert fitted.confusion_[1, 0, 1] > 0.5 and fitted.confusion_[1, 1, 0] > 0.5
        assert fitted.confusion_[0, 0, 0] > 0.5 and fitted.confusion_[0, 1, 1] > 0.5
    else:  # annotator 1's member learned the flipped labels (positions)
        assert (fitted.estimators_[1].predict(X) != y).mean() > 0.9
    for _ in range(3):
        pairs = learner.query()
        learner.teach(pairs[:, 0], pairs[:, 1], names[y[pairs[:, 0]]])
    assert learner.classes_.tolist() == ["cat", "dog"]
    # modelling the flipping annotator pays; a vote with it costs accuracy
    assert learner.score(X, names[y]) > (0.9 if kind == "logistic" else 0.8)


class SideExperts(RepeatedLabels):
    """Annotator 0 is right where x0 > 0, annotator 2 elsewhere, 1 never."""

    def predict_annotator_perf(self, X):
        right = (np.asarray(X)[:, 0] > 0).astype(float)
        return np.column_stack([right, np.full(len(X), 0.05), 1 - right])


def test_model_best_annotators_asks_whom_the_model_trusts_per_sample():
    X, y = make_blobs(80, centers=2, random_state=1)
    X = X - X.mean(axis=0)
    learner = MultiAnnotatorLearner(
        SideExperts(),
        query_strategy="random",
        annotator_selection=ModelBestAnnotators(),
        batch_size=10,
        random_state=0,
    ).fit(X, np.full((80, 3), -1))
    first = learner.query()  # no model yet: annotators at random
    assert len(first) == 10 and len(set(first[:, 1])) > 1
    learner.teach(first[:, 0], first[:, 1], y[first[:, 0]])
    pairs = learner.query()
    assert len(pairs) == 10
    expected = np.where(X[pairs[:, 0], 0] > 0, 0, 2)
    np.testing.assert_array_equal(pairs[:, 1], expected)


def test_model_best_annotators_needs_a_model_with_annotator_performances():
    X, y = make_blobs(40, centers=2, random_state=1)
    learner = MultiAnnotatorLearner(
        LogisticRegression(),
        annotator_selection=ModelBestAnnotators(),
        batch_size=4,
        random_state=0,
    ).fit(X, np.full((40, 3), -1))
    pairs = learner.query()
    learner.teach(pairs[:, 0], pairs[:, 1], y[pairs[:, 0]])
    with pytest.raises(TypeError, match="lacks; use a multi-annotator"):
        learner.query()


class IntegerTargets(ClassifierMixin, BaseEstimator):
    """Refuses float targets, as a torch cross-entropy loss does."""

    def fit(self, X, y):
        assert np.asarray(y).dtype.kind == "i", np.asarray(y).dtype
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.model_.predict(X)


def test_the_inner_model_gets_integer_class_positions():
    # a skorch NeuralNetClassifier crashed on the float (NaN-marked) positions
    X, y = make_blobs(40, centers=3, random_state=0)
    learner = MultiAnnotatorLearner(
        IntegerTargets(), annotator_selection="random", batch_size=6, random_state=0
    ).fit(X, np.full((40, 2), -1))
    pairs = learner.query()
    learner.teach(pairs[:, 0], pairs[:, 1], y[pairs[:, 0]] + 10)
    assert set(learner.predict(X)) <= {10, 11, 12}
    assert learner.score(X, y + 10) > 0.8


def test_classes_keeps_a_class_nobody_has_labeled_yet():
    from skal.annotators import AnnotatorLogisticRegression

    X, y = make_blobs(60, centers=3, random_state=0)
    Y = np.full((60, 2), -1)
    seen = np.flatnonzero(y < 2)[:20]  # class 2 not labeled yet
    Y[seen, 0] = y[seen] * 10
    Y[seen[:10], 1] = y[seen[:10]] * 10
    learner = MultiAnnotatorLearner(
        AnnotatorLogisticRegression(), classes=[20, 0, 10], random_state=0
    ).fit(X, Y)
    assert learner.classes_.tolist() == [0, 10, 20]
    assert learner.estimator_.estimator_.classes_.tolist() == [0, 1, 2]
    assert learner.predict_proba(X).shape == (60, 3)
    without = MultiAnnotatorLearner(AnnotatorLogisticRegression()).fit(X, Y)
    assert without.classes_.tolist() == [0, 10]
    Y[0, 1] = 30
    with pytest.raises(ValueError, match=r"Labels \[30\] are not among classes"):
        learner.fit(X, Y)
