"""
=====================================================
Which points do diversity and hybrid strategies pick?
=====================================================

Ten labeled points, a pool of 600 unlabeled points in four blobs, and a
batch of 12: uncertainty sampling piles its batch on the decision
boundary, the diversity strategies spread it over the pool, and the hybrids
do both.
"""

# %%
# A two-dimensional pool with a few labels, and a logistic regression.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner
from skal.strategies import (
    BADGE,
    CoreSet,
    DensityWeighted,
    DiverseMiniBatch,
    KMeansSampling,
    RandomSampling,
    RankedBatch,
    SuggestiveAnnotation,
    TypiClust,
    UncertaintySampling,
)

X, y = make_blobs(
    n_samples=[250, 150, 120, 80],
    centers=[[0, 0], [4, 4], [5, -1], [-3, 4]],
    cluster_std=[1.2, 0.8, 0.6, 0.5],
    random_state=0,
)
y = y % 2  # two classes, each made of two blobs
rng = np.random.RandomState(0)
y_partial = np.full_like(y, -1)
labeled = rng.choice(len(y), 10, replace=False)
y_partial[labeled] = y[labeled]

learner = ActiveLearner(LogisticRegression(), random_state=0).fit(X, y_partial)
pool = np.flatnonzero(y_partial == -1)

# %%
# Query a batch of 12 with each strategy. The indices are positions in the
# pool.
strategies = {
    "Random": RandomSampling(),
    "Entropy": UncertaintySampling(),
    "CoreSet": CoreSet(),
    "KMeansSampling": KMeansSampling(),
    "TypiClust": TypiClust(),
    "DensityWeighted (rbf)": DensityWeighted(similarity="rbf"),
    "DiverseMiniBatch": DiverseMiniBatch(beta=5),
    "RankedBatch": RankedBatch(),
    "SuggestiveAnnotation": SuggestiveAnnotation(beta=3),
    "BADGE": BADGE(),
}
picks = {
    name: pool[s.select(learner.query_context(), 12)[0]]
    for name, s in strategies.items()
}

# %%
# Plot the pool (grey), the labeled points (black) and each batch (red),
# with the model's decision boundary.
xx, yy = np.meshgrid(np.linspace(-6, 8, 200), np.linspace(-4, 7, 200))
proba = learner.predict_proba(np.c_[xx.ravel(), yy.ravel()])[:, 1]
fig, axes = plt.subplots(2, 5, figsize=(17, 7), sharex=True, sharey=True)
for ax, (name, idx) in zip(axes.ravel(), picks.items()):
    ax.contour(xx, yy, proba.reshape(xx.shape), levels=[0.5], colors="C0")
    ax.scatter(*X[pool].T, s=4, c="0.8")
    ax.scatter(*X[labeled].T, s=40, c="k", marker="s", label="labeled")
    ax.scatter(*X[idx].T, s=60, c="C3", edgecolor="k", label="queried")
    ax.set_title(name)
axes[0, 0].legend(loc="lower left")
fig.tight_layout()
plt.show()

# %%
# Uncertainty sampling spends the whole batch on the boundary (blue line).
# CoreSet covers the space, including its outskirts; KMeansSampling and
# TypiClust take the centres of the mass, TypiClust preferring the blobs no
# label covers yet. DensityWeighted keeps to the boundary but where the pool
# is dense; DiverseMiniBatch, RankedBatch, SuggestiveAnnotation and BADGE
# spread uncertain picks apart.
