"""
===================================================================
Adaptive: follow margin sampling, explore at random, learn how much
===================================================================

:class:`~skal.strategies.Adaptive` (``"auto"``) follows margin sampling and
lets random sampling choose a share of the rounds; the share doubles or
halves when a one-sided test says that random labels change the model's
predictions more, or less, than margin's. Its ``policy="albl"`` is Active
Learning by Learning (Hsu & Lin 2015), a bandit over the strategies. Here
both run beside random and margin sampling on the digits, 10 labels a
round, and ``history_`` shows which strategy chose each batch.
"""

# %%
# Digits, a held-out test set, 20 random initial labels shared by all three.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner
from skal.datasets import make_pool
from skal.strategies import Adaptive

X, y = load_digits(return_X_y=True)
X_pool, X_test, y_pool, y_test = train_test_split(
    X, y, test_size=0.4, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_pool)
X_pool, X_test = scaler.transform(X_pool), scaler.transform(X_test)
y_initial = make_pool(y_pool, 20, random_state=0)


def run(strategy, budget=150):
    learner = ActiveLearner(
        LogisticRegression(max_iter=300),
        query_strategy=strategy,
        batch_size=10,
        random_state=0,
    ).fit(X_pool, y_initial)
    labels, scores = [20], [learner.score(X_test, y_test)]
    while labels[-1] < budget:
        idx = learner.query()
        learner.teach(X_pool[idx], y_pool[idx], pool_indices=idx)
        labels.append(labels[-1] + len(idx))
        scores.append(learner.score(X_test, y_test))
    return learner, labels, scores


# %%
# Learning curves, and the strategy Adaptive followed in each round.
runs = {
    "random": run("random"),
    "margin": run("margin"),
    "auto (explore)": run(Adaptive()),
    "auto (albl)": run(Adaptive(policy="albl")),
}
fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4))
for name, (_, labels, scores) in runs.items():
    label = f"{name}: AUBC {np.mean(scores):.3f}"
    ax.plot(labels, scores, marker="o", ms=3, label=label)
ax.set(xlabel="labels", ylabel="test accuracy", title="Digits, batch 10")
ax.legend()

adaptive = runs["auto (explore)"][0].query_strategy_
rounds = adaptive.history_
n_labeled = [h["n_labeled"] for h in rounds]
bx.step(
    n_labeled, [h["explore"] for h in rounds], where="post", label="P(random round)"
)
bx.scatter(
    n_labeled,
    [h["strategy"] == "random" for h in rounds],
    marker="|",
    s=200,
    c="k",
    label="random chose (1) or margin (0)",
)
bx.set(xlabel="labels", ylim=(-0.1, 1.1), title="Adaptive's rounds")
bx.legend(loc="center right")
fig.tight_layout()
plt.show()

# %%
# Each entry of ``history_`` is one round: the labels so far, the strategy
# that chose, the probability of a random round, and the share of a fixed
# probe of pool rows whose prediction the round's labels changed (filled in
# at the next round; this is what the test compares).
for entry in rounds[:4]:
    print(entry["n_labeled"], entry["strategy"], entry["explore"], entry["change"])
