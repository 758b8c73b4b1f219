"""SkorchAdapter and how BayesianLearner uses it: input, labels, columns, masks."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pd = pytest.importorskip("pandas")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from skorch import NeuralNetClassifier  # noqa: E402

from skal import BayesianLearner  # noqa: E402
from skal.learners._adapters import ADAPTERS, find_adapter  # noqa: E402
from skal.torch import MLP, SkorchAdapter  # noqa: E402
from skal.torch._consistent import consistent_dropout  # noqa: E402


def _net(n_classes=3, epochs=5, **kwargs):
    return NeuralNetClassifier(
        MLP,
        module__n_features=4,
        module__n_classes=n_classes,
        module__hidden_units=16,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=0.05,
        max_epochs=epochs,
        train_split=None,
        verbose=0,
        **kwargs,
    )


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    order = np.random.RandomState(0).permutation(len(y))
    return X[order], y[order]


def _pool(y, n_labeled=30):
    y_pool = np.full(len(y), -1)
    y_pool[:n_labeled] = y[:n_labeled]
    return y_pool


def test_the_learner_wraps_a_skorch_net_in_the_registered_adapter(iris):
    X, y = iris
    assert ADAPTERS == {"skorch": "skal.torch:SkorchAdapter"}
    assert find_adapter(_net()) is SkorchAdapter
    assert find_adapter(SkorchAdapter(_net())) is None  # already adapted
    learner = BayesianLearner(_net(), n_samples=4, random_state=0)
    assert clone(learner).get_params()["estimator__module__hidden_units"] == 16
    learner.fit(X, _pool(y))
    assert isinstance(learner.estimator_, SkorchAdapter)
    # the default protocol: at least 200 gradient steps (30 labels: 1 step an epoch)
    assert learner.estimator_.n_train_epochs_ == 200
    assert len(learner.estimator_.net_.history) == 200


def test_dataframe_fit_gives_the_same_model_as_the_array(iris):
    X, y = iris
    df = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    y_pool = _pool(y)
    a = BayesianLearner(_net(), n_samples=4, query_strategy="entropy", random_state=0)
    a.fit(df, y_pool)
    b = BayesianLearner(_net(), n_samples=4, random_state=0).fit(X, y_pool)
    np.testing.assert_allclose(a.predict_proba(df), b.predict_proba(X), atol=1e-6)
    assert a.feature_names_in_.tolist() == ["sl", "sw", "pl", "pw"]
    assert a.score(df, y) > 0.8
    idx = a.query(batch_size=3)
    a.teach(df.iloc[idx], y[idx])
    assert a.labeled_mask_.sum() == 33 and len(a.X_) == 150


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_are_rejected_at_every_entry_point(iris, bad):
    X, y = iris
    X_bad = X.copy()
    X_bad[3, 1] = bad
    learner = BayesianLearner(_net(), n_samples=2, random_state=0)
    with pytest.raises(ValueError, match="NaN|infinity"):
        learner.fit(X_bad, _pool(y))
    learner.fit(X, _pool(y))
    for call in (
        lambda: learner.predict(X_bad),
        lambda: learner.predict_proba_samples(X_bad),
        lambda: learner.query(X_bad, batch_size=2),
        lambda: learner.teach(X_bad[:5], y[:5]),
    ):
        with pytest.raises(ValueError, match="NaN|infinity"):
            call()
    adapter = SkorchAdapter(_net(), min_steps=0).fit(X, y)
    with pytest.raises(ValueError, match="NaN|infinity"):
        adapter.predict(pd.DataFrame(X_bad))
    assert learner.labeled_mask_.sum() == 30  # the failed teach changed nothing


def test_passes_do_not_depend_on_row_order_or_batch_size(iris):
    X, y = iris
    learner = BayesianLearner(_net(batch_size=16), n_samples=6, random_state=0)
    learner.fit(X, _pool(y))
    stack = learner.predict_proba_samples(X)
    assert stack.std(axis=0).mean() > 1e-3  # the passes differ
    perm = np.random.RandomState(1).permutation(len(y))
    # float32 passes: another batch composition may round the last bit
    # differently (seen on a CPU with other BLAS kernels), so equal to 1e-6
    np.testing.assert_allclose(
        learner.predict_proba_samples(X[perm]), stack[:, perm], atol=1e-6
    )
    one_by_one = np.concatenate(
        [learner.predict_proba_samples(X[i : i + 1]) for i in range(10)], axis=1
    )
    np.testing.assert_allclose(one_by_one, stack[:, :10], atol=1e-6)


def test_predict_proba_has_one_column_per_class_for_any_labels(iris):
    X, y = iris
    two = y < 2
    labels = np.where(y[two] == 0, "setosa", "versicolor")
    adapter = SkorchAdapter(
        _net(n_classes=3), n_samples=3, min_steps=60, random_state=0
    )
    adapter.fit(X[two], labels)
    assert adapter.classes_.tolist() == ["setosa", "versicolor"]
    proba = adapter.predict_proba(X[two])
    assert proba.shape == (100, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert (adapter.predict(X[two]) == labels).mean() > 0.9
    g, h = adapter.gradient_embedding_factors(X[:4])
    assert g.shape == (4, 2) and h.shape == (4, 16)
    # non-contiguous integer labels through the learner
    y_odd = np.array([3, 7, 9])[y]
    learner = BayesianLearner(_net(), n_samples=3, random_state=0)
    learner.fit(X, np.where(_pool(y) >= 0, y_odd, -1))
    assert learner.classes_.tolist() == [3, 7, 9]
    assert learner.predict_proba(X[:5]).shape == (5, 3)
    assert set(learner.predict(X).tolist()) <= {3, 7, 9}


def test_partial_fit_gives_new_classes_free_outputs(iris):
    X, y = iris
    adapter = SkorchAdapter(_net(n_classes=3), n_samples=2, min_steps=0)
    adapter.fit(X[y != 1], y[y != 1])
    assert adapter.classes_.tolist() == [0, 2] and adapter.columns_.tolist() == [0, 1]
    adapter.partial_fit(X, y)
    # class 1 takes the free third output; classes_ stay sorted
    assert adapter.classes_.tolist() == [0, 1, 2]
    assert adapter.columns_.tolist() == [0, 2, 1]
    assert adapter.predict_proba(X).shape == (150, 3)
    with pytest.raises(ValueError, match="outputs"):
        SkorchAdapter(_net(n_classes=2), min_steps=0).fit(X, y)


def test_clear_errors(iris):
    X, y = iris
    with pytest.raises(TypeError, match="implementing 'fit'"):
        SkorchAdapter(MLP()).fit(X, y)
    with pytest.raises(ValueError, match="min_steps"):
        SkorchAdapter(_net(), min_steps=-1).fit(X, y)
    with pytest.raises(TypeError, match="[Ss]parse"):
        import scipy.sparse as sp

        SkorchAdapter(_net()).fit(sp.csr_matrix(X), y)


def test_consistent_dropout_shares_one_mask_per_pass():
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(3, 64), torch.nn.AlphaDropout(0.3), torch.nn.Dropout(0.5)
    )
    x = torch.randn(6, 3)
    with consistent_dropout(net, seed=4) as masks:
        first = net(x)
        torch.testing.assert_close(net(x[3:]), first[3:])
        torch.testing.assert_close(net(x.flip(0)), first.flip(0))
        masks.n_pass = 1
        assert (net(x) - first).abs().max() > 0.1
        masks.n_pass = 0
        torch.testing.assert_close(net(x), first)
    assert net.training  # modes restored
    with pytest.raises(ValueError, match="no dropout layer"):
        with consistent_dropout(torch.nn.Linear(2, 2), seed=0):
            pass
