"""warm_start with a skorch classifier: ``teach`` continues training (modAL's
``teach(..., only_new=True)``) and the classes stay those of the first fit."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.datasets import load_digits  # noqa: E402
from skorch import NeuralNetClassifier  # noqa: E402

from skal import ActiveLearner  # noqa: E402
from skal.torch import MLP  # noqa: E402


def _net(**kwargs):
    return NeuralNetClassifier(
        MLP,
        module__n_features=64,
        module__hidden_units=16,
        criterion=torch.nn.CrossEntropyLoss,
        max_epochs=2,
        train_split=None,
        verbose=0,
        **kwargs,
    )


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = (X[:300] / 16).astype(np.float32), y[:300]
    y_pool = np.full(300, -1)
    y_pool[:30] = y[:30]  # every digit
    return X, y, y_pool


def _unlabeled_of_class(y, y_pool, label, n=3):
    return np.flatnonzero((y == label) & (y_pool == -1))[:n]


def test_a_batch_of_one_class_keeps_the_classes_of_the_fit(digits):
    # skorch infers classes_ from each partial_fit's y: it became [1], with
    # ten outputs, and the next class taught was refused as "not seen"
    X, y, y_pool = digits
    torch.manual_seed(0)
    learner = ActiveLearner(_net(), warm_start=True, random_state=0).fit(X, y_pool)
    history = len(learner.estimator_.history)
    ones = _unlabeled_of_class(y, y_pool, 1)
    learner.teach(X[ones], y[ones])
    np.testing.assert_array_equal(learner.classes_, np.arange(10))
    assert len(learner.estimator_.history) == history + 2  # it trained on
    twos = _unlabeled_of_class(y, y_pool, 2)
    learner.teach(X[twos], y[twos])
    np.testing.assert_array_equal(learner.estimator_.classes_, np.arange(10))
    assert learner.predict_proba(X[:2]).shape == (2, 10)
    assert learner.labeled_mask_.sum() == 36
    # the user's net is left as it was
    assert learner.estimator.get_params()["classes"] is None


def test_given_classes_are_kept(digits):
    X, y, y_pool = digits
    torch.manual_seed(0)
    net = _net(classes=list(range(10)))
    learner = ActiveLearner(net, warm_start=True, random_state=0).fit(X, y_pool)
    ones = _unlabeled_of_class(y, y_pool, 1)
    learner.teach(X[ones], y[ones])
    assert learner.estimator_.get_params()["classes"] == list(range(10))
    np.testing.assert_array_equal(learner.classes_, np.arange(10))
