"""
==========================================
Uncertainty sampling on handwritten digits
==========================================

Start from 20 labeled digits, ask for the 10 most uncertain ones, let an
oracle (here the true labels) answer, refit, and repeat. Random sampling with
the same budget is the baseline.
"""

# %%
# Build a pool where -1 marks the samples we have not labeled yet, and keep a
# held-out test set.
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner
from skal.datasets import make_pool

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
y_start = make_pool(y_train, n_labeled=20, random_state=0)


# %%
# The loop: query, reveal the labels, teach. ``query()`` without a pool
# returns positions in the ``X`` given to ``fit``; ``teach`` recognises them.
def run(strategy, rounds=12, batch_size=10):
    learner = ActiveLearner(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
        query_strategy=strategy,
        batch_size=batch_size,
        random_state=0,
    ).fit(X_train, y_start)
    curve = [(20, learner.score(X_test, y_test))]
    for _ in range(rounds):
        idx = learner.query()
        learner.teach(X_train[idx], y_train[idx])
        curve.append((int(learner.labeled_mask_.sum()), learner.score(X_test, y_test)))
    return np.array(curve)


curves = {name: run(name) for name in ["random", "entropy", "margin"]}
print(f"{'labels':>6} " + " ".join(f"{name:>8}" for name in curves))
for row in range(len(curves["random"])):
    n = int(curves["random"][row, 0])
    print(f"{n:>6} " + " ".join(f"{c[row, 1]:>8.3f}" for c in curves.values()))

# %%
# Plot the learning curves: uncertainty sampling reaches a given accuracy
# with fewer labels than random sampling.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 4))
for name, curve in curves.items():
    ax.plot(curve[:, 0], curve[:, 1], marker="o", label=name)
ax.set_xlabel("labeled samples")
ax.set_ylabel("test accuracy")
ax.set_title("Active learning on digits (LogisticRegression)")
ax.legend()
plt.show()
