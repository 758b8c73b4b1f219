import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from skorch import NeuralNetClassifier  # noqa: E402

from skal import BayesianLearner  # noqa: E402
from skal.strategies import (  # noqa: E402
    BALD,
    BatchBALD,
    MaxEntropy,
    MeanSTD,
    StochasticBALD,
    VariationRatios,
    bald,
    consensus_entropy,
    mean_std,
    variation_ratio,
)
from skal.torch import MLP, GalCNN  # noqa: E402


def _net(module=MLP, epochs=4, **kwargs):
    params = {"module__n_features": 64, "module__hidden_units": 32}
    if module is not MLP:
        params = {"module__image_shape": (1, 8, 8), "module__kernel_size": 3}
    params.update(kwargs)
    return NeuralNetClassifier(
        module,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=0.01,
        max_epochs=epochs,
        batch_size=64,
        train_split=None,
        verbose=0,
        **params,
    )


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X = X[:400] / 16.0
    y = y[:400]
    y_pool = np.full_like(y, -1)
    labeled = np.random.RandomState(0).choice(400, 60, replace=False)
    y_pool[labeled] = y[labeled]
    return X, y, y_pool


@pytest.fixture(scope="module")
def learner(digits):
    X, _, y_pool = digits
    learner = BayesianLearner(_net(epochs=25), n_samples=8, batch_size=5)
    return learner.set_params(random_state=0).fit(X, y_pool)


def test_predict_proba_averages_passes_that_vary(learner, digits):
    X = digits[0][:50]
    stack = learner.predict_proba_samples(X)
    assert stack.shape == (8, 50, 10) and stack.dtype == np.float32
    np.testing.assert_allclose(stack.sum(axis=2), 1.0, rtol=1e-5)
    assert stack.std(axis=0).mean() > 1e-3
    np.testing.assert_allclose(learner.predict_proba(X), stack.mean(axis=0))
    np.testing.assert_array_equal(learner.predict(X), stack.mean(0).argmax(1))
    np.testing.assert_array_equal(learner.classes_, np.arange(10))
    assert learner.score(digits[0], digits[1]) > 0.5


def test_seeded_learner_is_reproducible_and_leaves_global_rng(digits):
    X, _, y_pool = digits
    state = torch.random.get_rng_state()
    a = BayesianLearner(_net(epochs=2), n_samples=4, random_state=1).fit(X, y_pool)
    b = BayesianLearner(_net(epochs=2), n_samples=4, random_state=1).fit(X, y_pool)
    np.testing.assert_array_equal(a.predict_proba(X[:20]), b.predict_proba(X[:20]))
    assert a.query(batch_size=3).tolist() == b.query(batch_size=3).tolist()
    assert torch.equal(torch.random.get_rng_state(), state)


@pytest.mark.parametrize(
    "strategy,measure",
    [
        (BALD(), bald),
        (MaxEntropy(), consensus_entropy),
        (VariationRatios(), variation_ratio),
        (MeanSTD(), mean_std),
    ],
)
def test_every_mc_measure_queries_its_top_scores(learner, digits, strategy, measure):
    X_pool = digits[0][200:300]
    idx, scores = strategy.select(learner.query_context(X_pool), 5)
    expected = measure(learner.predict_proba_samples(X_pool))
    np.testing.assert_allclose(scores, np.sort(expected)[::-1][:5], rtol=1e-5)
    np.testing.assert_allclose(expected[idx], scores, rtol=1e-5)


def test_named_strategy_on_the_learner(learner):
    learner = clone(learner).set_params(query_strategy="variation_ratios")
    learner.set_params(estimator__max_epochs=1).fit(*_fixture_data())
    assert isinstance(learner.query_strategy_, VariationRatios)
    pool = np.flatnonzero(~learner.labeled_mask_)
    idx, scores = learner.query(return_scores=True)
    assert set(idx.tolist()) <= set(pool.tolist())
    expected = variation_ratio(learner.predict_proba_samples(learner.X_[pool]))
    np.testing.assert_allclose(scores, expected[np.searchsorted(pool, idx)])


def _fixture_data():
    X, y = load_digits(return_X_y=True)
    y_pool = np.full(400, -1)
    labeled = np.random.RandomState(0).choice(400, 60, replace=False)
    y_pool[labeled] = y[labeled]
    return X[:400] / 16.0, y_pool


def test_batchbald_through_simulation(digits):
    X, y, _ = digits
    learner = BayesianLearner(
        _net(epochs=2),
        n_samples=6,
        query_strategy="batchbald",
        batch_size=5,
        budget=30,
        n_initial=20,
        random_state=0,
    ).fit(X[:150], y[:150])
    assert [h["n_labeled"] for h in learner.history_] == [20, 25, 30]
    assert len(set(np.flatnonzero(learner.labeled_mask_))) == 30


def test_batchbald_batch_one_equals_bald_and_stochastic_top_k(learner, digits):
    X = digits[0][:120]
    idx, score = BatchBALD().select(learner.query_context(X), 1)
    scores = bald(learner.predict_proba_samples(X))
    assert idx[0] == np.argmax(scores)
    np.testing.assert_allclose(score[0], scores.max(), rtol=1e-4)
    idx5, _ = BatchBALD().select(learner.query_context(X), 5)
    assert len(set(idx5.tolist())) == 5 and idx5[0] == idx[0]
    for name in ("stochastic_bald", "power_bald"):
        top = StochasticBALD(beta=1e4).select(learner.query_context(X), 5)[0]
        assert top.tolist() == np.argsort(-scores)[:5].tolist(), name


def test_images_cnn_accepts_3d_and_4d_input(digits):
    X, _, y_pool = digits
    images = X.reshape(-1, 8, 8)
    for data in (images, images[:, None]):
        learner = BayesianLearner(_net(GalCNN, epochs=2), n_samples=4, random_state=0)
        learner.fit(data, y_pool)
        assert learner.n_features_in_ == data.shape[1]
        idx = learner.query(batch_size=3)
        learner.teach(data[idx], np.array([0, 1, 2]))
        assert learner.labeled_mask_.sum() == 63
        assert learner.predict_proba_samples(data[:7]).shape == (4, 7, 10)
        assert learner.embed(data[:7]).shape == (7, 128)
    with pytest.raises(ValueError):
        learner.teach(images[:2, :4], np.array([0, 1]))


def test_dropout_varies_but_batchnorm_statistics_do_not_move(digits):
    X, _, y_pool = digits

    class BNNet(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Sequential(
                torch.nn.Linear(64, 32),
                torch.nn.BatchNorm1d(32),
                torch.nn.ReLU(),
                torch.nn.Dropout(0.5),
            )
            self.head = torch.nn.Linear(32, 10)

        def forward(self, x):
            return self.head(self.body(x))

    learner = BayesianLearner(_plain_net(BNNet), n_samples=5).fit(X, y_pool)
    bn = learner.estimator_.net_.module_.body[1]
    mean, var = bn.running_mean.clone(), bn.running_var.clone()
    learner.estimator_.net_.module_.train()
    stack = learner.predict_proba_samples(X[:40])
    assert stack.std(axis=0).mean() > 1e-3
    assert torch.equal(bn.running_mean, mean) and torch.equal(bn.running_var, var)
    assert learner.estimator_.net_.module_.training and bn.training  # restored


def _plain_net(module, **kwargs):
    return NeuralNetClassifier(
        module,
        criterion=torch.nn.CrossEntropyLoss,
        max_epochs=2,
        train_split=None,
        verbose=0,
        **kwargs,
    )


def test_embed_and_gradient_factors_match_autograd(learner, digits):
    X = digits[0][:6].astype(np.float32)
    h = learner.embed(X)
    module = learner.estimator_.net_.module_.eval()
    with torch.no_grad():
        ref = module.embed(torch.as_tensor(X)).numpy()
    np.testing.assert_allclose(h, ref, rtol=1e-5, atol=1e-6)
    g, h2 = learner.gradient_embedding_factors(X)
    np.testing.assert_allclose(h2, h)
    # Gradient of the cross-entropy at the predicted label w.r.t. the last
    # layer's weights equals the outer product g h^T.
    x = torch.as_tensor(X[:1])
    logits = module(x)
    loss = torch.nn.functional.cross_entropy(logits, logits.argmax(1))
    (grad,) = torch.autograd.grad(loss, module.head.weight)
    np.testing.assert_allclose(grad.numpy(), np.outer(g[0], h[0]), atol=1e-5)


def test_warm_start_continues_training(digits):
    X, y, y_pool = digits
    learner = BayesianLearner(
        _net(epochs=2), n_samples=4, warm_start=True, random_state=0
    ).fit(X, y_pool)
    idx = learner.query(batch_size=4)
    learner.teach(X[idx], y[idx])
    # a fresh net trains >= 200 steps (here 1 step an epoch), partial_fit 2 more
    assert len(learner.estimator_.net_.history) == 202
    cold = BayesianLearner(_net(epochs=2), n_samples=4, random_state=0).fit(X, y_pool)
    cold.teach(X[idx], y[idx])
    assert len(cold.estimator_.net_.history) == 200


def test_clone_and_grid_search_over_module_and_n_samples(digits):
    X, y, _ = digits
    learner = BayesianLearner(_net(epochs=10), n_samples=3, random_state=0)
    copy = clone(learner)
    assert copy.get_params()["estimator__module__hidden_units"] == 32
    grid = GridSearchCV(
        learner,
        {"estimator__module__hidden_units": [8, 32], "n_samples": [2, 4]},
        cv=2,
    ).fit(X[:120], y[:120])
    assert grid.best_params_["estimator__module__hidden_units"] in (8, 32)
    assert grid.best_estimator_.estimator_.net_.module_.head.in_features in (8, 32)
    assert grid.best_score_ > 0.3


def test_clear_errors(digits):
    X, y, y_pool = digits
    letters = BayesianLearner(_net(epochs=1), n_samples=2, random_state=0)
    letters.fit(X[:30], np.array(["a", "b", "c"] * 10))  # encoded by the adapter
    assert letters.classes_.tolist() == ["a", "b", "c"]
    assert letters.predict_proba(X[:4]).shape == (4, 3)  # not the net's 10 outputs
    plain = torch.nn.Sequential(torch.nn.Linear(64, 10))
    learner = BayesianLearner(_plain_net(plain), n_samples=2)
    with pytest.raises(ValueError, match="no dropout layer"):
        learner.fit(X, y_pool)
    with pytest.raises(ValueError, match="outputs"):
        BayesianLearner(_net(epochs=1, module__n_classes=5)).fit(X[:60], y[:60] % 7)
