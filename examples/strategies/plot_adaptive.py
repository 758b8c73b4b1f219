"""
=====================================================
Adaptive: a bandit that picks the strategy each round
=====================================================

:class:`~skal.strategies.Adaptive` (Active Learning by Learning, Hsu & Lin
2015) draws one of its candidate strategies every round, random sampling
always among them, and rewards it with the importance-weighted accuracy of
the refitted model on the samples queried so far. Here it runs beside
random and margin sampling on the digits, 10 labels a round, and its
``history_`` shows which strategy chose each batch.
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
    "Adaptive(random, margin)": run(Adaptive(["random", "margin"])),
}
fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4))
for name, (_, labels, scores) in runs.items():
    label = f"{name}: AUBC {np.mean(scores):.3f}"
    ax.plot(labels, scores, marker="o", ms=3, label=label)
ax.set(xlabel="labels", ylabel="test accuracy", title="Digits, batch 10")
ax.legend()

adaptive = runs["Adaptive(random, margin)"][0].query_strategy_
rounds = adaptive.history_
p_margin = [h["probabilities"][adaptive.arm_names_.index("margin")] for h in rounds]
chosen = [h["strategy"] == "margin" for h in rounds]
n_labeled = [h["n_labeled"] for h in rounds]
bx.plot(n_labeled, p_margin, label="P(margin)")
bx.scatter(n_labeled, chosen, marker="|", s=200, c="k", label="margin chose (1) or not")
bx.set(xlabel="labels", ylim=(-0.1, 1.1), title="Adaptive's arm choice")
bx.legend(loc="center right")
fig.tight_layout()
plt.show()

# %%
# Each entry of ``history_`` is one round. The rewards are accuracies on
# samples the model was trained on: a logistic regression fits all of them
# here, so every reward is (about) 1, the arms' weights hardly move, and
# Adaptive stays an even mix of random and margin sampling. With a model
# that does not fit its training labels (an RBF SVM with ``C=1`` on noisy
# data), the rewards differ between rounds; see the user guide.
for entry in rounds[:3]:
    print(entry["n_labeled"], entry["strategy"], np.round(entry["probabilities"], 3),
          entry["reward"])
