"""MAEClassifier, and skal's learners and strategies on a pretrained MaskedAutoencoder.

The shared tiny autoencoder and digits are fixtures of conftest.py.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402
from sklearn.frozen import FrozenEstimator  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402

from skal import ActiveLearner, BayesianLearner  # noqa: E402
from skal.datasets import make_pool  # noqa: E402
from skal.strategies import (  # noqa: E402
    CoreSet,
    FunctionStrategy,
    QueryContext,
    TypiClust,
    bald,
)
from skal.torch import MAEClassifier, MaskedAutoencoder, mc_dropout_proba  # noqa: E402

pytestmark = pytest.mark.usefixtures("one_thread")  # conftest.py


def test_mae_classifier_fine_tunes_without_touching_mae(mae, digits):
    X, y = digits
    before = {k: v.clone() for k, v in mae.module_.state_dict().items()}
    clf = MAEClassifier(mae, max_epochs=15, n_mc_samples=6, random_state=0, lr=3e-3)
    clf.fit(X[:150], y[:150] + 10)  # labels need not be 0..K-1
    assert clf.predict(X[150:160]).min() >= 10
    assert clf.score(X[300:], y[300:] + 10) > 0.5
    stack = clf.predict_proba_samples(X[300:340])
    assert stack.shape == (6, 40, 10) and stack.std(axis=0).mean() > 1e-3
    scores = bald(stack)
    assert scores.shape == (40,) and scores.min() >= -1e-6
    after = mae.module_.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert not np.allclose(clf.embed(X[:5]), mae.transform(X[:5]), atol=1e-4)


def test_mc_passes_share_one_encoding(mae, digits):
    X, y = digits
    clf = MAEClassifier(mae, dropout=0.0, max_epochs=2, n_mc_samples=3)
    clf.fit(X[:60], y[:60])
    # without dropout every pass is the plain forward pass, as in the generic
    # skal.torch.mc_dropout_proba that re-runs the whole network per pass
    stack = clf.predict_proba_samples(X[:20])
    reference = mc_dropout_proba(clf, X[:20], 3)
    np.testing.assert_allclose(stack, reference, atol=1e-6)
    np.testing.assert_allclose(stack[0], stack[2])
    np.testing.assert_allclose(stack.sum(axis=2), 1.0, rtol=1e-5)
    dropped = clf.set_params(dropout=0.5).fit(X[:60], y[:60])
    a = dropped.predict_proba_samples(X[:20], n_samples=4)
    np.testing.assert_array_equal(a, dropped.predict_proba_samples(X[:20], 4))
    np.testing.assert_allclose(
        dropped.predict_proba(X[:20]),
        dropped.predict_proba_samples(X[:20]).mean(0),
        rtol=1e-5,
    )
    with pytest.raises(ValueError, match="n_samples"):
        dropped.predict_proba_samples(X[:2], 0)


def test_mae_classifier_linear_probe_freezes_encoder(mae, digits):
    X, y = digits
    clf = MAEClassifier(
        FrozenEstimator(mae), freeze_encoder=True, max_epochs=3, random_state=0
    ).fit(X[:100], y[:100])
    np.testing.assert_allclose(clf.embed(X[:20]), mae.transform(X[:20]), atol=1e-5)
    twin = clone(clf)
    assert twin.mae is clf.mae and not hasattr(twin, "module_")
    with pytest.raises(TypeError, match="fitted skal.torch.MaskedAutoencoder"):
        MAEClassifier(LogisticRegression()).fit(X[:10], y[:10])
    with pytest.raises(Exception, match="pretrain it once"):
        MAEClassifier(MaskedAutoencoder()).fit(X[:10], y[:10])


def test_active_learner_on_frozen_mae_pretrains_once(mae, digits):
    X, y = digits
    n_fits = type(mae).n_fits
    flat = X.reshape(len(X), -1)
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    pipe = make_pipeline(FrozenEstimator(mae), LogisticRegression(max_iter=500))
    learner = ActiveLearner(
        pipe, query_strategy="margin", batch_size=10, random_state=0
    )
    learner.fit(flat, y_pool)
    for _ in range(3):
        idx = learner.query()
        learner.teach(flat[idx], y[idx])
    assert int(learner.labeled_mask_.sum()) == 50
    assert type(mae).n_fits == n_fits  # FrozenEstimator: never refit
    feats = learner.estimator_[0].transform(flat[:5])
    np.testing.assert_array_equal(feats, mae.transform(X[:5]))


def test_bald_on_mae_classifier_in_active_learner(mae, digits):
    X, y = digits
    n_fits = type(mae).n_fits
    flat = X.reshape(len(X), -1)

    def bald_scores(context, X_pool):  # a user's function gets the query context
        return bald(context.predict_proba_samples(X_pool))

    clf = MAEClassifier(mae, max_epochs=5, n_mc_samples=5, random_state=0)
    learner = ActiveLearner(
        clf, query_strategy=FunctionStrategy(bald_scores), batch_size=5, random_state=0
    )
    learner.fit(flat, make_pool(y, n_labeled=20, random_state=0))
    idx, scores = learner.query(return_scores=True)
    pool = np.flatnonzero(~learner.labeled_mask_)
    all_scores = bald_scores(learner.query_context(), flat[pool])
    np.testing.assert_allclose(np.sort(scores), np.sort(all_scores)[-5:], rtol=1e-5)
    learner.teach(flat[idx], y[idx])
    assert type(mae).n_fits == n_fits


def test_coreset_in_frozen_mae_space_matches_brute_force(mae, digits):
    # (a) a diversity strategy over make_pipeline(FrozenEstimator(mae), ...)
    X, y = digits
    n_fits = type(mae).n_fits
    flat = X.reshape(len(X), -1)
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    pipe = make_pipeline(FrozenEstimator(mae), LogisticRegression(max_iter=500))
    learner = ActiveLearner(
        pipe, query_strategy=CoreSet(), batch_size=5, random_state=0
    ).fit(flat, y_pool)
    idx, scores = learner.query(return_scores=True)
    # greedy k-center in MAE space, by brute force
    Z = mae.transform(X).astype(np.float64)
    chosen = list(np.flatnonzero(y_pool != -1))
    pool = np.flatnonzero(y_pool == -1)
    picks, dists = [], []
    for _ in range(5):
        d = np.sqrt(((Z[pool, None] - Z[None, chosen]) ** 2).sum(-1)).min(axis=1)
        j = int(np.argmax(d))
        picks.append(pool[j])
        dists.append(d[j])
        chosen.append(pool[j])
    assert idx.tolist() == picks
    np.testing.assert_allclose(scores, dists, rtol=1e-3)
    learner.teach(flat[idx], y[idx])
    assert type(mae).n_fits == n_fits


def test_typiclust_cold_start_on_mae_features(mae, digits):
    # (c) initial_strategy=TypiClust() clusters the frozen MAE features
    X, y = digits
    n_fits = type(mae).n_fits
    flat = X.reshape(len(X), -1)
    pipe = make_pipeline(FrozenEstimator(mae), LogisticRegression(max_iter=500))
    learner = ActiveLearner(
        pipe,
        budget=30,
        n_initial=10,
        batch_size=10,
        initial_strategy=TypiClust(),
        query_strategy="margin",
        random_state=0,
    ).fit(flat, y)
    first = learner.history_[0]["indices"]
    expected, _ = TypiClust().select(QueryContext(mae.transform(X), random_state=0), 10)
    assert first == expected.tolist()
    on_pixels, _ = TypiClust().select(QueryContext(flat, random_state=0), 10)
    assert set(first) != set(on_pixels.tolist())  # the MAE space, not the pixels
    assert len(set(y[first].tolist())) >= 7
    assert int(learner.labeled_mask_.sum()) == 30
    assert learner.history_[-1]["pool_score"] > 0.6
    assert type(mae).n_fits == n_fits


def test_fixed_classes_keep_output_width(mae, digits):
    X, y = digits
    seen = np.isin(y, [0, 3, 7])
    clf = MAEClassifier(
        mae, classes=list(range(10)), max_epochs=10, lr=3e-3, n_mc_samples=2
    )
    clf.fit(X[seen][:40], y[seen][:40])
    proba = clf.predict_proba(X[:10])
    assert proba.shape == (10, 10) and clf.classes_.tolist() == list(range(10))
    # trained rows: the seen classes carry the probability
    assert np.isin(clf.predict(X[seen][:40]), [0, 3, 7]).mean() > 0.9
    with pytest.raises(ValueError, match="not in classes"):
        MAEClassifier(mae, classes=[0, 1], max_epochs=1).fit(X[:10], y[:10])


def _entropy(p):
    return -(p * np.log(np.clip(p, 1e-12, None))).sum(axis=-1)


def test_bayesian_learner_bald_on_mae_classifier(mae, digits):
    # (b) BayesianLearner(MAEClassifier(...), query_strategy="bald")
    X, y = digits
    n_fits = type(mae).n_fits
    flat = X.reshape(len(X), -1)
    y_pool = make_pool(y, n_labeled=20, random_state=0)
    y_pool[y_pool == 9] = -1  # a class not labeled yet: the width stays 10
    clf = MAEClassifier(mae, classes=range(10), max_epochs=5, random_state=0)
    learner = BayesianLearner(
        clf, query_strategy="bald", n_samples=5, batch_size=5, random_state=0
    ).fit(flat, y_pool)
    assert learner.classes_.tolist() == list(range(10))
    idx, scores = learner.query(return_scores=True)
    pool = np.flatnonzero(~learner.labeled_mask_)
    P = learner.predict_proba_samples(flat[pool]).astype(np.float64)
    assert P.shape == (5, len(pool), 10)
    by_hand = _entropy(P.mean(axis=0)) - _entropy(P).mean(axis=0)
    top = np.argsort(-by_hand, kind="stable")[:5]
    assert idx.tolist() == pool[top].tolist()
    np.testing.assert_allclose(scores, by_hand[top], rtol=1e-4, atol=1e-6)
    learner.teach(flat[idx], y[idx])
    assert int(learner.labeled_mask_.sum()) == int((y_pool != -1).sum()) + 5
    assert learner.embed(flat[:3]).shape == (3, mae.n_patches_ * mae.embed_dim)
    assert type(mae).n_fits == n_fits


def test_bayesian_learner_typiclust_cold_start_before_any_model(mae, digits):
    # Before the first fit the net cannot embed: TypiClust clusters the input.
    X, y = digits
    flat = X.reshape(len(X), -1)
    clf = MAEClassifier(mae, classes=range(10), max_epochs=3, random_state=0)
    learner = BayesianLearner(
        clf,
        n_samples=3,
        budget=15,
        n_initial=10,
        batch_size=5,
        initial_strategy=TypiClust(),
        random_state=0,
    ).fit(flat, y)
    expected, _ = TypiClust().select(QueryContext(flat, random_state=0), 10)
    assert learner.history_[0]["indices"] == expected.tolist()
    assert int(learner.labeled_mask_.sum()) == 15
