"""A deep ensemble: a Committee of skorch nets works with every disagreement measure."""

import numpy as np
import pytest

from skal.strategies import resolve_strategy

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.datasets import load_digits  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402
from skorch import NeuralNetClassifier  # noqa: E402

from skal import Committee  # noqa: E402
from skal.datasets import make_pool  # noqa: E402

MEASURES = [
    "vote_entropy",
    "consensus_entropy",
    "max_disagreement",
    "variation_ratio",
    "bald",
    "mean_std",
]


def _net(seed):
    torch.manual_seed(seed)
    module = torch.nn.Sequential(
        torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)
    )
    net = NeuralNetClassifier(
        module,
        criterion=torch.nn.CrossEntropyLoss,
        max_epochs=5,
        lr=0.1,
        verbose=0,
        train_split=None,
    )
    # skorch wants float32 inputs; the committee passes integer-encoded labels.
    to_float = FunctionTransformer(lambda X: (X / 16.0).astype(np.float32))
    return make_pipeline(to_float, net)


def _committee(strategy):
    members = [(f"net{i}", _net(i)) for i in range(3)]
    return Committee(members, query_strategy=strategy, batch_size=5, random_state=0)


@pytest.fixture(scope="module")
def data():
    X, y = load_digits(return_X_y=True)
    return X[:400], make_pool(y[:400], n_labeled=60, random_state=0)


def test_stack_is_aligned_and_members_differ(data):
    X, y_pool = data
    stack = _committee("vote_entropy").fit(X, y_pool).predict_proba_samples(X[:50])
    assert stack.shape == (3, 50, 10)
    np.testing.assert_allclose(stack.sum(axis=2), 1.0, rtol=1e-5)
    assert np.abs(stack[0] - stack[1]).max() > 1e-3


@pytest.mark.parametrize("measure", MEASURES)
def test_every_measure_queries_the_pool(data, measure):
    X, y_pool = data
    committee = _committee(measure).fit(X, y_pool)
    # every disagreement measure is a strategy name; "bald" and "mean_std" name
    # the MC-dropout strategies, which read the same stack of opinions
    assert repr(committee.query_strategy_) == repr(resolve_strategy(measure))
    idx, scores = committee.query(return_scores=True)
    assert len(set(idx.tolist())) == 5 and (y_pool[idx] == -1).all()
    assert np.all(np.diff(scores) <= 1e-12) and np.all(scores >= 0)
