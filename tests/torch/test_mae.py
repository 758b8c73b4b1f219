"""MaskedAutoencoder: its patches, masking, training, layouts, saving and errors.

The shared tiny autoencoder and digits are fixtures of conftest.py.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.base import clone  # noqa: E402

from skal.datasets import make_pool  # noqa: E402
from skal.torch import MaskedAutoencoder  # noqa: E402
from skal.torch._mae_patches import (  # noqa: E402
    patchify,
    random_masking,
    sincos_pos_embed,
    unpatchify,
)

pytestmark = pytest.mark.usefixtures("one_thread")  # conftest.py


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


def test_deterministic_under_random_state_and_global_rng_untouched(digits, tiny_mae):
    X, _ = digits
    state = torch.random.get_rng_state()
    a = MaskedAutoencoder(max_epochs=1, random_state=3, **tiny_mae).fit(X[:200])
    b = MaskedAutoencoder(max_epochs=1, random_state=3, **tiny_mae).fit(X[:200])
    c = MaskedAutoencoder(max_epochs=1, random_state=4, **tiny_mae).fit(X[:200])
    assert torch.equal(torch.random.get_rng_state(), state)
    assert a.loss_curve_ == b.loss_curve_
    np.testing.assert_array_equal(a.transform(X[:50]), b.transform(X[:50]))
    assert not np.allclose(a.transform(X[:50]), c.transform(X[:50]))


def test_partially_labeled_y_is_ignored(digits, tiny_mae):
    X, y = digits
    y_pool = make_pool(y[:200], n_labeled=5, random_state=0)
    a = MaskedAutoencoder(max_epochs=1, random_state=0, **tiny_mae).fit(X[:200], y_pool)
    b = MaskedAutoencoder(max_epochs=1, random_state=0, **tiny_mae).fit(X[:200])
    np.testing.assert_array_equal(a.transform(X[:20]), b.transform(X[:20]))


def test_input_layouts_agree(mae, digits, tiny_mae):
    X, _ = digits
    ref = mae.transform(X[:30])
    flat = X[:30].reshape(30, 64)
    np.testing.assert_array_equal(mae.transform(X[:30, None]), ref)
    np.testing.assert_array_equal(mae.transform(flat), ref)
    shaped = clone(mae).set_params(image_shape=(8, 8))
    shaped.__dict__.update({k: v for k, v in mae.__dict__.items() if k.endswith("_")})
    np.testing.assert_array_equal(shaped.transform(flat), ref)
    fit_flat = MaskedAutoencoder((1, 8, 8), max_epochs=1, random_state=0, **tiny_mae)
    fit_img = MaskedAutoencoder(max_epochs=1, random_state=0, **tiny_mae)
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


def test_early_stopping_and_verbose(digits, capsys, tiny_mae):
    X, _ = digits
    mae = MaskedAutoencoder(
        max_epochs=6,
        early_stopping=True,
        n_iter_no_change=1,
        tol=10.0,
        verbose=1,
        random_state=0,
        **tiny_mae,
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


def test_mae_parameters_are_validated_by_sklearn():
    from sklearn.utils.estimator_checks import check_param_validation

    check_param_validation("MaskedAutoencoder", MaskedAutoencoder(max_epochs=1))
