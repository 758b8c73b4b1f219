"""
=======================================================
Coverage strategies for the first labels on digits
=======================================================

With a few dozen labels, choosing *representative* samples beats choosing
uncertain ones. :class:`~skal.strategies.ProbCover` covers the pool with
balls, :class:`~skal.strategies.MaxHerding` with a kernel; both need no
model, so they choose from the first label on. :class:`~skal.strategies.Falcun`
and :class:`~skal.strategies.CLUE` mix uncertainty with diversity and need a
model, so they start from 10 random labels, like margin sampling. Each
strategy labels 10 digits at a time up to 60, and a logistic regression on
unit-norm features is scored on held-out digits after each round.
"""

# %%
# Digits, a held-out test set, and unit-norm features (the embedding the
# coverage strategies measure distances in: the pipeline's transform steps).
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import Normalizer

from skal import ActiveLearner
from skal.strategies import (
    CLUE,
    Falcun,
    MaxHerding,
    ProbCover,
    RandomSampling,
    UncertaintySampling,
)

X, y = load_digits(return_X_y=True)
X_pool, X_test, y_pool, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

strategies = {
    "random": RandomSampling(),
    "margin (after 10 random)": UncertaintySampling("margin"),
    "ProbCover": ProbCover(deltas=np.linspace(0.1, 1.0, 10)),
    "MaxHerding": MaxHerding(metric_params={"gamma": 2.0}),
    "Falcun (after 10 random)": Falcun(),
    "CLUE (after 10 random)": CLUE(),
}

# %%
# One run per strategy: no labels at first, then 10 per round.
budgets = np.arange(10, 70, 10)
curves = {}
for name, strategy in strategies.items():
    learner = ActiveLearner(
        make_pipeline(Normalizer(), LogisticRegression(C=1e3, max_iter=2000)),
        query_strategy=strategy,
        initial_strategy="random" if "after" in name else strategy,
        batch_size=10,
        random_state=0,
    ).fit(X_pool, np.full(len(y_pool), -1))
    scores = []
    for _ in budgets:
        idx = learner.query()
        learner.teach(X_pool[idx], y_pool[idx])
        scores.append(learner.score(X_test, y_test))
    curves[name] = scores
    print(f"{name:26s}", " ".join(f"{s:.3f}" for s in scores))

# %%
# Coverage strategies lead while labels are few; uncertainty catches up later.
fig, ax = plt.subplots(figsize=(6, 4))
for name, scores in curves.items():
    ax.plot(budgets, scores, marker="o", label=name)
ax.set_xlabel("labels")
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()
plt.show()
