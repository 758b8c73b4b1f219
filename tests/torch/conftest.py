"""One torch thread: on small shared machines, intra-op threads oversubscribe the
cores and make the tiny nets of these tests 10-20x slower.

Also the fixtures of the masked autoencoder tests (``test_mae*.py``): the
digits images and a tiny autoencoder pretrained on them once a module.
"""

import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)


# ------------------------------------- the masked autoencoder (test_mae*.py)
@pytest.fixture(scope="module")
def one_thread():
    """One torch thread for a whole module, restored after it."""
    # tiny networks on shared cores: extra threads only spin
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny_mae():
    """Parameters of a masked autoencoder small enough for the tests."""
    return {
        "patch_size": 2,
        "embed_dim": 32,
        "depth": 1,
        "num_heads": 4,
        "decoder_embed_dim": 16,
        "decoder_depth": 1,
        "batch_size": 64,
        "lr": 3e-3,
    }


@pytest.fixture(scope="module")
def digits():
    """The first 600 images of scikit-learn's digits (8 x 8, float32), labels."""
    import numpy as np
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.images[:600].astype(np.float32), d.target[:600]


@pytest.fixture(scope="module")
def mae(digits, tiny_mae):
    """A tiny autoencoder pretrained on ``digits``, once a module.

    ``type(mae).n_fits`` counts the calls to ``fit`` of its class (clones
    included), to prove that pretraining happens once.
    """
    from skal.torch import MaskedAutoencoder

    class CountingMAE(MaskedAutoencoder):
        """Counts calls to ``fit`` to prove that pretraining happens once."""

        n_fits = 0

        def fit(self, X, y=None):
            type(self).n_fits += 1
            return super().fit(X, y)

    X, _ = digits
    return CountingMAE(max_epochs=6, pooling="tokens", random_state=0, **tiny_mae).fit(
        X
    )
