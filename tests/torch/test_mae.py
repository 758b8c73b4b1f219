import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
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
from skal.torch._mae_patches import (  # noqa: E402
    patchify,
    random_masking,
    sincos_pos_embed,
    unpatchify,
)

TINY = {
    "patch_size": 2,
    "embed_dim": 32,
    "depth": 1,
    "num_heads": 4,
    "decoder_embed_dim": 16,
    "decoder_depth": 1,
    "batch_size": 64,
    "lr": 3e-3,
}


class CountingMAE(MaskedAutoencoder):
    """Counts calls to ``fit`` to prove that pretraining happens once."""

    n_fits = 0

    def fit(self, X, y=None):
        type(self).n_fits += 1
        return super().fit(X, y)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    # tiny networks on shared cores: extra threads only spin
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def digits():
    d = load_digits()
    return d.images[:600].astype(np.float32), d.target[:600]


@pytest.fixture(scope="module")
def mae(digits):
    X, _ = digits
    return CountingMAE(max_epochs=6, pooling="tokens", random_state=0, **TINY).fit(X)


def test_patchify_worked_example_and_round_trip():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    expected = [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]]
    assert patchify(x, 2)[0].tolist() == expected
    imgs = torch.randn(3, 2, 8, 12)
    for p in (1, 2, 4):
        assert patchify(imgs, p).shape == (3, (8 // p) * (12 // p), p * p * 2)
        assert torch.equal(unpatchify(patchify(imgs, p), p, (2, 8, 12)), imgs)


def test_sincos_positions_worked_example():
    pos = sincos_pos_embed(8, 2, 2)
    # patch (0, 0): sin(0) = 0 and cos(0) = 1 for rows and columns
    assert pos[0].tolist() == [0, 0, 1, 1, 0, 0, 1, 1]
    # patch (0, 1): row part unchanged, column part sin(1), sin(1e-2), cos...
    np.testing.assert_allclose(
        pos[1, 4:], [np.sin(1), np.sin(0.01), np.cos(1), np.cos(0.01)], rtol=1e-6
    )


def test_masking_keeps_exact_fraction_and_differs_per_sample():
    torch.manual_seed(0)
    ids_keep, mask, ids_restore = random_masking(50, 16, 0.75)
    assert ids_keep.shape == (50, 4)
    assert mask.sum(dim=1).tolist() == [12.0] * 50
    assert torch.all(torch.gather(mask, 1, ids_keep) == 0)
    assert len({tuple(m) for m in mask.int().tolist()}) > 40
    shuffled = torch.argsort(ids_restore, dim=1)
    assert torch.equal(
        torch.gather(shuffled, 1, ids_restore), torch.arange(16).expand(50, 16)
    )


def test_loss_decreases_and_reconstruction_beats_mean(mae, digits):
    X, _ = digits
    assert len(mae.loss_curve_) == mae.n_epochs_ == 6
    assert mae.loss_curve_[-1] < 0.8 * mae.loss_curve_[0]
    rec, hidden = mae.reconstruct(X[:100], random_state=0, return_mask=True)
    assert rec.shape == hidden.shape == (100, 8, 8)
    np.testing.assert_allclose(hidden.mean(axis=(1, 2)), 0.75)
    err = np.mean((rec - X[:100])[hidden] ** 2)
    baseline = np.mean((X[:100] - X.mean())[hidden] ** 2)
    assert err < 0.7 * baseline


def test_deterministic_under_random_state_and_global_rng_untouched(digits):
    X, _ = digits
    state = torch.random.get_rng_state()
    a = MaskedAutoencoder(max_epochs=1, random_state=3, **TINY).fit(X[:200])
    b = MaskedAutoencoder(max_epochs=1, random_state=3, **TINY).fit(X[:200])
    c = MaskedAutoencoder(max_epochs=1, random_state=4, **TINY).fit(X[:200])
    assert torch.equal(torch.random.get_rng_state(), state)
    assert a.loss_curve_ == b.loss_curve_
    np.testing.assert_array_equal(a.transform(X[:50]), b.transform(X[:50]))
    assert not np.allclose(a.transform(X[:50]), c.transform(X[:50]))


def test_partially_labeled_y_is_ignored(digits):
    X, y = digits
    y_pool = make_pool(y[:200], n_labeled=5, random_state=0)
    a = MaskedAutoencoder(max_epochs=1, random_state=0, **TINY).fit(X[:200], y_pool)
    b = MaskedAutoencoder(max_epochs=1, random_state=0, **TINY).fit(X[:200])
    np.testing.assert_array_equal(a.transform(X[:20]), b.transform(X[:20]))


def test_input_layouts_agree(mae, digits):
    X, _ = digits
    ref = mae.transform(X[:30])
    flat = X[:30].reshape(30, 64)
    np.testing.assert_array_equal(mae.transform(X[:30, None]), ref)
    np.testing.assert_array_equal(mae.transform(flat), ref)
    shaped = clone(mae).set_params(image_shape=(8, 8))
    shaped.__dict__.update({k: v for k, v in mae.__dict__.items() if k.endswith("_")})
    np.testing.assert_array_equal(shaped.transform(flat), ref)
    fit_flat = MaskedAutoencoder((1, 8, 8), max_epochs=1, random_state=0, **TINY)
    fit_img = MaskedAutoencoder(max_epochs=1, random_state=0, **TINY)
    np.testing.assert_array_equal(
        fit_flat.fit(X[:100].reshape(100, 64)).transform(flat),
        fit_img.fit(X[:100]).transform(X[:30]),
    )
    assert ref.shape == (30, 16 * 32)
    np.testing.assert_allclose(
        ref[:3].reshape(3, 16, 32).mean(1), mae.encode(X[:3], pooling="mean"), atol=1e-5
    )


def test_save_load_round_trip(mae, digits, tmp_path):
    X, _ = digits
    path = tmp_path / "mae.pt"
    mae.save(path)
    loaded = MaskedAutoencoder.load(path)
    assert loaded.get_params() == mae.get_params()
    assert loaded.loss_curve_ == mae.loss_curve_
    np.testing.assert_array_equal(loaded.transform(X[:40]), mae.transform(X[:40]))
    np.testing.assert_array_equal(
        loaded.reconstruct(X[:5], random_state=1),
        mae.reconstruct(X[:5], random_state=1),
    )
    torch.save({"something": 1}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not written by MaskedAutoencoder.save"):
        MaskedAutoencoder.load(tmp_path / "other.pt")


def test_clone_and_params():
    mae = MaskedAutoencoder(patch_size=2, mask_ratio=0.5, random_state=1)
    copy = clone(mae)
    assert copy.get_params() == mae.get_params() and copy is not mae
    assert copy.set_params(embed_dim=8).embed_dim == 8


def test_early_stopping_and_verbose(digits, capsys):
    X, _ = digits
    mae = MaskedAutoencoder(
        max_epochs=6,
        early_stopping=True,
        n_iter_no_change=1,
        tol=10.0,
        verbose=1,
        random_state=0,
        **TINY,
    )
    mae.fit(X[:120])
    # epoch 1 improves on +inf, epoch 2 cannot improve by tol=10: stop
    assert mae.n_epochs_ == 2 and len(mae.validation_loss_curve_) == 2
    out = capsys.readouterr().out
    assert "epoch   1/6" in out and "valid" in out and "early stopping" in out


@pytest.mark.parametrize(
    "params, X, match",
    [
        ({"patch_size": 3}, np.zeros((4, 8, 8)), "cannot be cut into patches of 3x3"),
        ({}, np.zeros(10), "Expected 2D array, got 1D array"),
        ({}, np.zeros((4, 63)), "not a square image"),
        ({"image_shape": (7, 9)}, np.zeros((4, 64)), "does not match flat rows"),
        ({"mask_ratio": 1.0}, np.zeros((4, 8, 8)), "mask_ratio"),
        ({"embed_dim": 30}, np.zeros((4, 8, 8)), "multiple of 4"),
        ({"pooling": "max"}, np.zeros((4, 8, 8)), "'pooling' parameter of Mask"),
        ({"lr": 0}, np.zeros((4, 8, 8)), "'lr' parameter of MaskedAutoencoder"),
    ],
)
def test_clear_errors(params, X, match):
    with pytest.raises(ValueError, match=match):
        MaskedAutoencoder(max_epochs=1, **params).fit(X)


def test_transform_checks_fitted_shape(mae):
    with pytest.raises(ValueError, match="fitted on"):
        mae.transform(np.zeros((2, 12, 12)))


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
    n_fits = CountingMAE.n_fits
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
    assert CountingMAE.n_fits == n_fits  # FrozenEstimator: never refit
    feats = learner.estimator_[0].transform(flat[:5])
    np.testing.assert_array_equal(feats, mae.transform(X[:5]))


def test_bald_on_mae_classifier_in_active_learner(mae, digits):
    X, y = digits
    n_fits = CountingMAE.n_fits
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
    assert CountingMAE.n_fits == n_fits


def test_coreset_in_frozen_mae_space_matches_brute_force(mae, digits):
    # (a) a diversity strategy over make_pipeline(FrozenEstimator(mae), ...)
    X, y = digits
    n_fits = CountingMAE.n_fits
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
    assert CountingMAE.n_fits == n_fits


def test_typiclust_cold_start_on_mae_features(mae, digits):
    # (c) initial_strategy=TypiClust() clusters the frozen MAE features
    X, y = digits
    n_fits = CountingMAE.n_fits
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
    assert CountingMAE.n_fits == n_fits


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
    n_fits = CountingMAE.n_fits
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
    assert CountingMAE.n_fits == n_fits


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


def test_mae_parameters_are_validated_by_sklearn():
    from sklearn.utils.estimator_checks import check_param_validation

    check_param_validation("MaskedAutoencoder", MaskedAutoencoder(max_epochs=1))
