"""Bad input to the stream strategies added with stream PAL and CogDQS."""

import numpy as np
import pytest
from sklearn.naive_bayes import GaussianNB

from skal.stream import StreamActiveLearner, StreamProbabilisticAL

X = np.random.RandomState(0).normal(size=(30, 2))
y = (X[:, 0] > 0).astype(int)


def _fit(strategy, **kwargs):
    return StreamActiveLearner(GaussianNB(), strategy, **kwargs).fit(X[:20], y[:20])


@pytest.mark.parametrize(
    "params, error, message",
    [
        ({"gamma": -1.0}, ValueError, r"metric_params\['gamma'\]=-1.0 does not"),
        ({"gamma": np.nan}, ValueError, "finite positive number"),
        ({"gamma": 0}, ValueError, "finite positive number"),
        ({"gamma": "abc"}, TypeError, r"metric_params\['gamma'\] must be a number"),
        ({"foo": 1}, ValueError, r"\['foo'\] are not parameters of the 'rbf'"),
    ],
)
def test_pal_refuses_bad_kernel_parameters_at_fit(params, error, message):
    # they gave NaN utilities (no label ever bought), kernels above 1, or a
    # TypeError from NumPy or rbf_kernel at the first query
    with pytest.raises(error, match=message):
        _fit(StreamProbabilisticAL(metric_params=params))


def test_pal_kernel_parameters_of_other_kernels():
    with pytest.raises(ValueError, match=r"'linear' kernel, which takes none"):
        _fit(StreamProbabilisticAL(metric="linear", metric_params={"gamma": 1}))
    # gamma of a sigmoid may be negative; None is scikit-learn's default
    _fit(StreamProbabilisticAL(metric="sigmoid", metric_params={"gamma": -0.1}))
    learner = _fit(StreamProbabilisticAL(metric_params={"gamma": None}))
    reference = _fit(StreamProbabilisticAL(metric_params={"gamma": 0.5}))
    u = learner.query(X[20:], return_utilities=True)[1]
    np.testing.assert_allclose(u, reference.query(X[20:], return_utilities=True)[1])


def test_nan_probabilities_of_the_model_are_refused_at_query():
    # GaussianNB taught one sample has a zero variance and NaN probabilities:
    # query returned a NaN utility (never a label) and update then said
    # 'utilities must be finite (what query returns)' of what query returned
    from skal.stream import prequential_evaluation

    learner = StreamActiveLearner(GaussianNB(), "cognitive_dual_query", classes=[0, 1])
    learner.fit(X[:0], y[:0]).teach(X[0], [1])
    with pytest.raises(ValueError, match="GaussianNB returned NaN class prob"):
        learner.query(X[1:3])
    with pytest.raises(ValueError, match="after 1 labels .* start the stream"):
        learner.predict_proba(X[1:3])
    learner = StreamActiveLearner(GaussianNB(), "variable_uncertainty", classes=[0, 1])
    with pytest.raises(ValueError, match="NaN class probabilities"):
        prequential_evaluation(learner, X, y)
    # with labels of both classes from the start the stream runs
    result = prequential_evaluation(learner, X, y, n_initial=10)
    assert (result.n_queried, result.accuracy) == (11, 0.65)


def test_set_params_estimator_mid_stream_waits_for_fit():
    # a refit took the new estimator mid-stream, partial_fit kept the old one
    from sklearn.linear_model import LogisticRegression

    learner = StreamActiveLearner(LogisticRegression(), "probabilistic")
    learner.fit(X[:10], y[:10]).set_params(estimator=GaussianNB())
    learner.teach(X[10], [y[10]])
    assert type(learner.estimator_) is LogisticRegression
    assert learner.estimator_.coef_.shape == (1, 2) and learner.n_labeled_ == 11
    assert type(learner.fit(X[:10], y[:10]).estimator_) is GaussianNB


@pytest.mark.parametrize(
    "classes, message",
    [
        # NumPy read [0, 'a'] as ['0', 'a']: 'Labels [0] are not among the classes'
        ([0, "a"], "classes mixes numeric and string labels"),
        # flattened into two classes without a word
        ([[0, 1]], r"classes must be a flat list .* shape \(1, 2\)"),
        ([0, None], r"classes \[0, None\] hold the missing marker"),
    ],
)
def test_stream_classes_of_the_wrong_shape_or_mixed_kinds(classes, message):
    learner = StreamActiveLearner(GaussianNB(), classes=classes, missing_label=None)
    with pytest.raises(ValueError, match=message):
        learner.fit(X[:2], [0, 0])
