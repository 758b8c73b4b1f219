"""scikit-learn's estimator checks on the stream learner."""

from sklearn.naive_bayes import GaussianNB
from sklearn.utils.estimator_checks import parametrize_with_checks

from skal.stream import StreamActiveLearner

# y == -1 marks unlabeled rows (scikit-learn's semi-supervised convention), so
# the check that fits on {-1, 1} sees one class; skal's other learners
# declare the same expected failure.
EXPECTED = {
    "check_classifiers_classes": "-1 marks unlabeled rows, so {-1, 1} is one class"
}


@parametrize_with_checks(
    [
        StreamActiveLearner(GaussianNB()),
        StreamActiveLearner(GaussianNB(), "split"),
        StreamActiveLearner(GaussianNB(), "probabilistic"),  # keeps the labels
        StreamActiveLearner(GaussianNB(), "cognitive_dual_query"),
    ],
    expected_failed_checks=lambda est: EXPECTED,
)
def test_sklearn_checks(estimator, check):
    check(estimator)
