"""
=====================================================
Multi-label active learning on digits
=====================================================

Each digit image gets four labels at once: *even*, *at least 5*, *prime* and
*drawn with a closed loop* (0, 4, 6, 8, 9). The target is a 0/1 indicator of
shape (n_samples, 4); rows whose every entry is -1 are unlabeled. A
one-vs-rest logistic regression starts from 10 random images and asks for 10
more a round, by each multi-label strategy of :mod:`skal.strategies`, and is
scored by micro-averaged F1 on held-out digits after each round.
"""

# %%
# The multi-label digits and a held-out test set.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner, compare

X, digit = load_digits(return_X_y=True)
Y = np.column_stack(
    [
        digit % 2 == 0,
        digit >= 5,
        np.isin(digit, [2, 3, 5, 7]),
        np.isin(digit, [0, 4, 6, 8, 9]),
    ]
).astype(int)
X_pool, X_test, Y_pool, Y_test = train_test_split(X, Y, test_size=0.5, random_state=0)

# %%
# One learner per strategy; ``compare`` runs them from the same 10 random
# labels per repeat. Single-label strategies such as ``"entropy"`` refuse a
# 2-d ``y`` with an error naming these.
strategies = [
    "random",
    "binary_minimum",
    "mean_max_loss",
    "mmc",
    "lci",
    "mean_entropy",
    "max_score",
]


def make_learner(strategy):
    model = OneVsRestClassifier(
        make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=300))
    )
    return ActiveLearner(model, query_strategy=strategy)


curves = compare(
    {name: make_learner(name) for name in strategies},
    X_pool,
    Y_pool,
    X_test=X_test,
    y_test=Y_test,
    budget=100,
    batch_size=10,
    n_initial=10,
    n_repeats=2,
    scoring="f1_micro",
    random_state=0,
    progress=False,
)

# %%
# Micro-F1 against the number of labels, and the area under each curve.
fig, ax = plt.subplots(figsize=(7, 4))
for name, curve in curves.items():
    n_labeled, scores, _ = curve.mean_curve()
    ax.plot(n_labeled, scores, marker="o", ms=3, label=f"{name} ({curve.aulc():.3f})")
ax.set_xlabel("labeled digits")
ax.set_ylabel("micro-F1 on held-out digits")
ax.legend(title="strategy (area under curve)", fontsize=8)
fig.tight_layout()
plt.show()
