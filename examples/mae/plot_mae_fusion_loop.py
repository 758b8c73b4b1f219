"""
===================================================
The MAE + active-learning fusion loop, step by step
===================================================

Labels are expensive, images are not. The fusion loop uses every image twice:

1. **pretrain** a masked autoencoder (He et al. 2022) on *all* images, with no
   labels, once;
2. **cold start**: pick a few *typical* images in the autoencoder's feature
   space and label them;
3. **fine-tune** the pretrained encoder with a dropout head on those labels;
4. **estimate uncertainty** with Monte-Carlo dropout (BALD);
5. **select** the images the model is most uncertain about, **label** them,
   **update** the model, and repeat until the budget is spent or the model
   stops being uncertain.

Everything runs on scikit-learn's 8x8 digits with a tiny network, in seconds.
"""

# %%
# The pool and a held-out test set
# --------------------------------
# The digits are 8x8 images; the pool is what we may ask labels for.
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.cluster import KMeans
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skal.strategies import bald
from skal.torch import MAEClassifier, MaskedAutoencoder

torch.set_num_threads(1)  # tiny networks: extra threads only wait
digits = load_digits()
X_pool, X_test, y_pool, y_test = train_test_split(
    digits.images.astype(np.float32), digits.target, test_size=0.3, random_state=0
)

# %%
# Step 1: pretrain once, on every image, without labels
# -----------------------------------------------------
# 2x2 patches give a 4x4 grid; 75% of the patches are hidden and the network
# learns to fill them in. ``pooling="tokens"`` keeps one feature vector per
# patch, which suits images this small.
mae = MaskedAutoencoder(
    patch_size=2,
    embed_dim=32,
    depth=2,
    decoder_embed_dim=16,
    pooling="tokens",
    max_epochs=8,
    batch_size=64,
    lr=3e-3,
    random_state=0,
).fit(np.concatenate([X_pool, X_test]))  # all images; labels are never used

rec, hidden = mae.reconstruct(X_test[:6], random_state=0, return_mask=True)
fig, axes = plt.subplots(3, 6, figsize=(7, 3.6))
cmap = plt.get_cmap("gray_r").copy()
cmap.set_bad("#9ecae1")  # hidden patches in blue
for c in range(6):
    rows = (X_test[c], np.ma.masked_where(hidden[c], X_test[c]), rec[c])
    for r, img in enumerate(rows):
        axes[r, c].imshow(img, cmap=cmap, vmin=0, vmax=16)
        axes[r, c].axis("off")
axes[0, 0].set_title("original", loc="left", fontsize=9)
axes[1, 0].set_title("what the encoder sees", loc="left", fontsize=9)
axes[2, 0].set_title("reconstruction", loc="left", fontsize=9)
fig.tight_layout()

# %%
# Step 2: a cold start on typical images
# --------------------------------------
# Before any label there is no model to be uncertain, so the first labels go
# to the most *typical* image of each of 10 k-means clusters in MAE space (the
# idea of TypiClust, Hacohen et al. 2022; ``skal.strategies.TypiClust`` does
# this with the density criterion).
features = mae.transform(X_pool)
km = KMeans(10, n_init=5, random_state=0).fit(features)
labeled = np.unique(km.transform(features).argmin(axis=0))
print("cold-start labels:", sorted(y_pool[labeled].tolist()))

# %%
# Steps 3-5: fine-tune, estimate uncertainty, select, label, update
# -----------------------------------------------------------------
# :class:`~skal.torch.MAEClassifier` copies the pretrained encoder (the
# autoencoder itself is never refit) and adds dropout and a linear layer.
# ``predict_proba_samples`` returns ``n_mc_samples`` dropout passes, shape
# ``(passes, images, classes)``; :func:`~skal.strategies.bald` turns them into
# the mutual information between the label and the weights.
budget, batch = 60, 10


def fine_tune(idx):
    clf = MAEClassifier(mae, max_epochs=20, lr=3e-3, n_mc_samples=10, random_state=0)
    return clf.fit(X_pool[idx], y_pool[idx])


def run(select):
    idx = labeled.copy()
    curve = []
    while True:
        clf = fine_tune(idx)  # step 3 (and update)
        curve.append((len(idx), clf.score(X_test, y_test)))
        rest = np.setdiff1d(np.arange(len(X_pool)), idx)
        if len(idx) >= budget:
            return curve
        scores = select(clf, rest)  # step 4: uncertainty
        if scores.max() < 1e-3:  # stopping rule: nothing left to learn
            return curve
        new = rest[np.argsort(-scores)[:batch]]  # step 5: select
        idx = np.concatenate([idx, new])  # ... the oracle labels them


rng = np.random.RandomState(0)
curve_bald = run(lambda clf, rest: bald(clf.predict_proba_samples(X_pool[rest])))
curve_random = run(lambda clf, rest: rng.rand(len(rest)))
for (n, a), (_, b) in zip(curve_bald, curve_random):
    print(f"{n:3d} labels   BALD {a:.3f}   random {b:.3f}")

# %%
# The learning curves
# -------------------
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(*zip(*curve_bald), "o-", label="MAE + typical start + BALD")
ax.plot(*zip(*curve_random), "s--", label="MAE + typical start + random")
ax.set_xlabel("labels")
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()

# %%
# With a few dozen labels, fine-tuning even this tiny transformer overfits:
# a linear model on the *frozen* features
# (:ref:`sphx_glr_auto_examples_mae_plot_mae_pipeline.py`) does better at these
# budgets, and BALD only starts to separate from random after ~50 labels. The
# MNIST benchmark in the user guide (:ref:`mae`) measures the same effect.

# %%
# The same loop with :class:`~skal.ActiveLearner`
# -----------------------------------------------
# The learner clones its estimator at every ``teach``; the clone keeps the
# fitted autoencoder, so the pretraining is reused, never redone. (Once
# ``skal.BayesianLearner`` is available, ``BayesianLearner(MAEClassifier(mae,
# classes=range(10)), query_strategy="bald")`` replaces the scoring function.)
from skal import ActiveLearner
from skal.strategies import FunctionStrategy


def bald_scores(learner, X):
    return bald(learner.estimator_.predict_proba_samples(X))


y_known = np.full(len(y_pool), -1)
y_known[labeled] = y_pool[labeled]
learner = ActiveLearner(
    MAEClassifier(mae, max_epochs=20, lr=3e-3, n_mc_samples=10, random_state=0),
    query_strategy=FunctionStrategy(bald_scores),
    batch_size=batch,
    random_state=0,
).fit(X_pool.reshape(len(X_pool), -1), y_known)
idx = learner.query()
learner.teach(X_pool[idx].reshape(len(idx), -1), y_pool[idx])
accuracy = learner.score(X_test.reshape(len(X_test), -1), y_test)
print(f"{learner.labeled_mask_.sum()} labels: accuracy {accuracy:.3f}")
