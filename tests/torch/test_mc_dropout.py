import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402
from skorch import NeuralNetClassifier  # noqa: E402

from skal.torch import MCDropoutClassifier, enable_dropout, mc_dropout_proba  # noqa: E402


def _module(dropout=True):
    layers = [torch.nn.Linear(4, 16), torch.nn.BatchNorm1d(16), torch.nn.ReLU()]
    if dropout:
        layers.append(torch.nn.Dropout(0.5))
    layers.append(torch.nn.Linear(16, 3))
    return torch.nn.Sequential(*layers)


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.randn(60, 4).astype("float32")
    y = (X[:, 0] > 0).astype("int64") + (X[:, 1] > 1)
    return X, y


@pytest.fixture(scope="module")
def net(data):
    X, y = data
    torch.manual_seed(0)
    return MCDropoutClassifier(
        _module(),
        criterion=torch.nn.CrossEntropyLoss,
        max_epochs=3,
        verbose=0,
        n_mc_samples=8,
        random_state=0,
        batch_size=16,
    ).fit(X, y)


def test_passes_vary_rows_sum_to_one_and_batchnorm_stays(net, data):
    X, _ = data
    bn = net.module_[1]
    mean_before = bn.running_mean.clone()
    stack = net.predict_proba_samples(X)
    assert stack.shape == (8, 60, 3)
    np.testing.assert_allclose(stack.sum(axis=2), 1.0, rtol=1e-5)
    assert stack.std(axis=0).mean() > 1e-3
    assert torch.equal(bn.running_mean, mean_before)
    assert not net.module_.training and not bn.training


def test_seeded_passes_are_reproducible_and_leave_global_rng(net, data):
    X, _ = data
    state = torch.random.get_rng_state()
    a = mc_dropout_proba(net, X, 4, random_state=1)
    b = mc_dropout_proba(net, X, 4, random_state=1)
    np.testing.assert_array_equal(a, b)
    assert torch.equal(torch.random.get_rng_state(), state)
    np.testing.assert_allclose(
        net.predict_proba(X), net.predict_proba_samples(X).mean(0)
    )


def test_no_dropout_layer_gives_clear_error(data):
    X, y = data
    plain = NeuralNetClassifier(
        _module(dropout=False),
        criterion=torch.nn.CrossEntropyLoss,
        max_epochs=1,
        verbose=0,
    ).fit(X, y)
    with pytest.raises(ValueError, match="no dropout layer"):
        mc_dropout_proba(plain, X, 3)
    with pytest.raises(ValueError, match="n_samples"):
        mc_dropout_proba(plain, X, 0)


def test_clone_keeps_mc_parameters():
    net = MCDropoutClassifier(
        _module(), n_mc_samples=7, random_state=3, module__0__out_features=16
    )
    copy = clone(net)
    assert copy.n_mc_samples == 7 and copy.random_state == 3


def test_enable_dropout_restores_modes():
    module = _module()
    module.train()
    with enable_dropout(module):
        assert module[3].training and not module[1].training
    assert all(m.training for m in module.modules())
