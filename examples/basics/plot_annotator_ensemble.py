"""
One classifier per annotator: an ensemble that votes
====================================================

Four simulated annotators label the two-moons pool with 5 %, 20 %, 35 % and
45 % errors, each one a different random half of the samples (as when the
work is split among people). Instead of aggregating the labels first,
:class:`skal.annotators.AnnotatorEnsembleClassifier` fits one classifier per
annotator on the samples it labeled and lets them vote: hard voting counts
their predicted classes, soft voting averages their probabilities.

The first panels show each annotator's own model, the last one the soft
ensemble; the printout compares held-out accuracies with one model fitted
on the majority vote of the labels. See :ref:`annotator_ensemble` for the
formulas.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.neighbors import KNeighborsClassifier

from skal.annotators import AnnotatorEnsembleClassifier, majority_vote
from skal.loop import NoisyOracle

X, y = make_moons(600, noise=0.25, random_state=0)
X_pool, y_pool, X_test, y_test = X[:400], y[:400], X[400:], y[400:]
flip_rates = [0.05, 0.2, 0.35, 0.45]

# every annotator's answer on every sample, then each keeps a random half
Y = NoisyOracle(y_pool, flip_rates, random_state=0).label(np.arange(400))
Y = Y.astype(float)
Y[np.random.default_rng(0).random(Y.shape) < 0.5] = np.nan

model = KNeighborsClassifier(n_neighbors=15)
members = [(f"annotator_{j}", model) for j in range(4)]
hard = AnnotatorEnsembleClassifier(members, voting="hard").fit(X_pool, Y)
soft = AnnotatorEnsembleClassifier(members, voting="soft").fit(X_pool, Y)

y_vote = majority_vote(Y, missing_label=np.nan, random_state=0)
voted = ~np.isnan(y_vote)
single = KNeighborsClassifier(n_neighbors=15).fit(X_pool[voted], y_vote[voted])

for j, member in enumerate(soft.estimators_):
    print(
        f"annotator {j} ({flip_rates[j]:.0%} errors, {soft.n_labels_[j]} labels): "
        f"{member.score(X_test, y_test):.3f}"
    )
print(f"one model on the majority vote: {single.score(X_test, y_test):.3f}")
print(f"ensemble, hard voting:          {hard.score(X_test, y_test):.3f}")
print(f"ensemble, soft voting:          {soft.score(X_test, y_test):.3f}")

grid = np.stack(
    np.meshgrid(np.linspace(-1.6, 2.6, 120), np.linspace(-1.2, 1.7, 90)), axis=-1
).reshape(-1, 2)
panels = [(f"annotator {j}, {r:.0%} errors", m) for j, (r, m) in
          enumerate(zip(flip_rates, soft.estimators_))]  # fmt: skip
panels.append(("soft ensemble", soft))
fig, axes = plt.subplots(1, len(panels), figsize=(15, 3.2), sharey=True)
for ax, (title, est) in zip(axes, panels):
    p = est.predict_proba(grid)[:, 1].reshape(90, 120)
    ax.contourf(grid[:, 0].reshape(90, 120), grid[:, 1].reshape(90, 120), p,
                levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)  # fmt: skip
    ax.scatter(*X_test.T, c=y_test, cmap="RdBu_r", s=6, edgecolors="k", lw=0.2)
    ax.set(title=f"{title}\naccuracy {est.score(X_test, y_test):.2f}")
fig.tight_layout()
plt.show()
