"""
==========================================
A pretrained MAE as a frozen pipeline step
==========================================

The masked autoencoder is pretrained once, on all images, without labels.
Wrapped in :class:`sklearn.frozen.FrozenEstimator`, it becomes a feature step
that :class:`~skal.ActiveLearner` never refits: ``fit`` and every ``teach``
train only the logistic regression on top. Query strategies then work in MAE
feature space:

- a **cold start** on typical images of MAE space:
  :class:`~skal.strategies.TypiClust` as the learner's ``initial_strategy``
  (Hacohen et al. 2022);
- **uncertainty** (margin) on the pipeline's probabilities, or a **diversity**
  strategy such as :class:`~skal.strategies.CoreSet`, also in MAE space.

Diversity strategies measure distances in the pipeline's transform steps, so
with ``FrozenEstimator(mae)`` as the first step they see MAE features, even
before the first fit (the frozen step is never fitted again).

With ``budget`` set, ``fit`` simulates the whole acquisition with the known
labels as the oracle, so strategies compare in one call each. Running the
script takes about 25 s of one CPU core, most of it pretraining the
autoencoder.
"""

# %%
# Pretrain once
# -------------
import matplotlib.pyplot as plt
import torch
from sklearn.datasets import load_digits
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from skal import ActiveLearner
from skal.strategies import CoreSet, TypiClust
from skal.torch import MaskedAutoencoder

torch.set_num_threads(1)  # tiny problems: extra threads only wait
threadpool_limits(1)  # the same for NumPy's BLAS (the logistic regression)
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
# Simulate four acquisition runs
# ------------------------------
# ``initial_strategy`` chooses the first ``n_initial`` labels before any model
# exists. ``TypiClust`` clusters the pool in MAE space into as many k-means
# clusters as labels and takes from each the most *typical* image (densest
# neighbourhood); ``query_strategy`` chooses every later batch.
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
    "TypiClust start + margin": simulate(TypiClust(), "margin"),
    "TypiClust start + CoreSet": simulate(TypiClust(), CoreSet()),
    "random start + margin": simulate("random", "margin"),
    "TypiClust start + random": simulate(TypiClust(), "random"),
}

fig, ax = plt.subplots(figsize=(5.5, 3.8))
for name, curve in runs.items():
    ax.plot(*zip(*curve), "o-", ms=3, label=name)
    print(f"{name:26s} " + " ".join(f"{acc:.2f}" for _, acc in curve))
ax.set_xlabel("labels")
ax.set_ylabel("accuracy on the unqueried pool")
ax.set_title("Logistic regression on frozen MAE features")
ax.legend()
fig.tight_layout()

# %%
# The typical start pays at the smallest budgets: ten images that each stand
# for a dense region of MAE space train a much better first model than ten
# random ones. After that, margin sampling spends the labels best; CoreSet,
# which only covers the space, and random acquisition fall behind.
