"""
==========================================
A pretrained MAE as a frozen pipeline step
==========================================

The masked autoencoder is pretrained once, on all images, without labels.
Wrapped in :class:`sklearn.frozen.FrozenEstimator`, it becomes a feature step
that :class:`~skal.ActiveLearner` never refits: ``fit`` and every ``teach``
train only the logistic regression on top. Query strategies then work in MAE
feature space:

- **uncertainty** (margin) on the pipeline's probabilities;
- a **cold start** on typical images of MAE space, given as the learner's
  ``initial_strategy`` (a k-means pick written here; ``TypiClust`` in
  ``skal.strategies`` does it with the density criterion).

With ``budget`` set, ``fit`` simulates the whole acquisition with the known
labels as the oracle, so strategies compare in one call each.
"""

# %%
# Pretrain once
# -------------
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from skal import ActiveLearner
from skal.strategies import FunctionStrategy
from skal.torch import MaskedAutoencoder

torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)  # flat rows of 64 pixels = 8x8 images
mae = MaskedAutoencoder(
    image_shape=(8, 8),
    patch_size=2,
    embed_dim=32,
    depth=2,
    decoder_embed_dim=16,
    pooling="tokens",
    max_epochs=8,
    batch_size=64,
    lr=3e-3,
    random_state=0,
).fit(X)
print(f"pretrained in {mae.fit_time_:.1f}s; loss {mae.loss_curve_[0]:.3f} -> "
      f"{mae.loss_curve_[-1]:.3f}")  # fmt: skip


# %%
# A cold start on typical images of MAE space
# -------------------------------------------
# ``initial_strategy`` receives the candidate rows before any model exists.
# One k-means cluster per label, and in each the image closest to the centre.
def typical_in_mae_space(learner, X_pool, n):
    features = mae.transform(X_pool)
    km = KMeans(n, n_init=5, random_state=0).fit(features)
    return np.unique(km.transform(features).argmin(axis=0))


typical = FunctionStrategy(typical_in_mae_space, returns="indices")


# %%
# Simulate three acquisition runs
# -------------------------------
def simulate(initial, query):
    pipe = make_pipeline(FrozenEstimator(mae), LogisticRegression(max_iter=1000))
    learner = ActiveLearner(
        pipe,
        query_strategy=query,
        initial_strategy=initial,
        budget=60,
        n_initial=10,
        batch_size=10,
        random_state=0,
    )
    learner.fit(X, y)  # y is the oracle; the MAE is not refit
    return [(h["n_labeled"], h["pool_score"]) for h in learner.history_]


runs = {
    "typical start + margin": simulate(typical, "margin"),
    "random start + margin": simulate("random", "margin"),
    "typical start + random": simulate(typical, "random"),
}

fig, ax = plt.subplots(figsize=(5.5, 3.8))
for name, curve in runs.items():
    ax.plot(*zip(*curve), "o-", ms=3, label=name)
    print(f"{name:24s} " + " ".join(f"{acc:.2f}" for _, acc in curve))
ax.set_xlabel("labels")
ax.set_ylabel("accuracy on the unqueried pool")
ax.set_title("Logistic regression on frozen MAE features")
ax.legend()
fig.tight_layout()
