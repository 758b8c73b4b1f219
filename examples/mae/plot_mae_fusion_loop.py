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

Everything runs on scikit-learn's 8x8 digits with a tiny network. Running
the script takes about 25 s of one CPU core, most of it training the
autoencoder and fine-tuning it each round.
"""

# %%
# The pool and a held-out test set
# --------------------------------
# The digits are 8x8 images; the pool is what we may ask labels for.
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skal import BayesianLearner
from skal.strategies import QueryContext, TypiClust
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
# to *typical* images of MAE space: :class:`~skal.strategies.TypiClust`
# (Hacohen et al. 2022) cuts the pool into 10 k-means clusters of the MAE
# features and takes from each its densest image. It needs no model, so it runs
# on the features directly.
features = mae.transform(X_pool)
labeled, _ = TypiClust().select(QueryContext(features, random_state=0), 10)
print("cold-start labels:", sorted(y_pool[labeled].tolist()))

# %%
# Steps 3-5: fine-tune, estimate uncertainty, select, label, update
# -----------------------------------------------------------------
# :class:`~skal.torch.MAEClassifier` fine-tunes a copy of the pretrained
# encoder (the autoencoder itself is never refit) with dropout and a linear
# layer; ``classes=range(10)`` fixes one output per digit even before every
# digit has a label. :class:`~skal.BayesianLearner` keeps dropout on at
# prediction time: ``n_samples`` passes give BALD, the mutual information
# between the label and the weights (Houlsby et al. 2011).
#
# ``fit`` fine-tunes on the labeled rows (the rows of ``y`` other than -1),
# ``query`` scores the rest and returns the best batch with its scores, and
# ``teach`` adds the oracle's labels and fine-tunes again from the pretrained
# encoder.
budget, batch = 60, 10


def run(query_strategy):
    y_known = np.full(len(y_pool), -1)  # -1: not labeled yet
    y_known[labeled] = y_pool[labeled]
    clf = MAEClassifier(mae, classes=range(10), max_epochs=20, lr=3e-3, random_state=0)
    learner = BayesianLearner(
        clf,
        n_samples=10,
        query_strategy=query_strategy,
        batch_size=batch,
        random_state=0,
    )
    learner.fit(X_pool, y_known)  # step 3: fine-tune on the cold-start labels
    curve = [(len(labeled), learner.score(X_test, y_test))]
    while learner.labeled_mask_.sum() < budget:
        idx, scores = learner.query(return_scores=True)  # steps 4-5
        if query_strategy == "bald" and scores.max() < 1e-3:
            break  # stopping rule: the model is no longer uncertain anywhere
        learner.teach(X_pool[idx], y_pool[idx])  # the oracle labels; update
        curve.append((int(learner.labeled_mask_.sum()), learner.score(X_test, y_test)))
    return curve


curve_bald = run("bald")
curve_random = run("random")
for (n, a), (_, b) in zip(curve_bald, curve_random):
    print(f"{n:3d} labels   BALD {a:.3f}   random {b:.3f}")

# %%
# The learning curves
# -------------------
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.plot(*zip(*curve_bald), "o-", label="MAE + TypiClust start + BALD")
ax.plot(*zip(*curve_random), "s--", label="MAE + TypiClust start + random")
ax.set_xlabel("labels")
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()

# %%
# BALD pulls ahead of random acquisition once the model has seen a few labels
# of most digits. Still, with a few dozen labels, fine-tuning even this tiny
# transformer overfits: a linear model on the *frozen* features
# (:ref:`sphx_glr_auto_examples_mae_plot_mae_pipeline.py`) does better at these
# budgets. The MNIST benchmark in the user guide (:ref:`mae`) measures the same
# effect.
#
# The learner clones its estimator at every ``teach``; the clone keeps the
# *same fitted* autoencoder, so the pretraining is reused, never redone. Other
# Bayesian strategies plug in by name: ``query_strategy="batchbald"`` chooses
# the batch jointly, ``"max_entropy"`` or ``"variation_ratios"`` score single
# images.
