"""
===============================================
Cost-effective active learning (CEAL) on digits
===============================================

:class:`skal.ActiveSelfTrainingClassifier` asks the oracle for the most
uncertain digits, as :class:`skal.ActiveLearner` does, and in every round also
labels the digits it is already sure about (predictive entropy below a
threshold that shrinks each round) with its own prediction. Here ``y`` is the
hidden oracle (``budget`` simulates the acquisition), so ``history_`` can tell
how many of those pseudo-labels were right.
"""

# %%
# Simulate 7 rounds on the digits: 30 random labels, then 20 queried a round.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skal import ActiveLearner, ActiveSelfTrainingClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0  # pixels in [0, 1]; a scaler fit on 30 labels would be unstable
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
model = LogisticRegression(C=10.0, max_iter=500)
settings = {"budget": 150, "n_initial": 30, "batch_size": 20, "random_state": 0}

ceal = ActiveSelfTrainingClassifier(model, delta=0.3, threshold_decay=0.03, **settings)
ceal.fit(X_train, y_train)
plain = ActiveLearner(model, **settings).fit(X_train, y_train)

# %%
# Per round: the threshold, how many pool digits were pseudo-labeled, and how
# many of those were right. The oracle labels are never mixed with them:
# ``labeled_mask_`` counts only the 150 digits the oracle labeled.
print("round  labels  threshold  pseudo  correct")
for h in ceal.history_:
    print(
        f"{h['round']:>5} {h['n_labeled']:>7} {h['threshold']:>10.2f} "
        f"{h['n_pseudo']:>7} {h['n_pseudo_correct']:>8}"
    )
print("oracle labels:", int(ceal.labeled_mask_.sum()))
print(
    f"test accuracy  CEAL {ceal.score(X_test, y_test):.3f}  "
    f"active learning alone {plain.score(X_test, y_test):.3f}"
)

# %%
# Plot the pseudo-labels of each round, split into right and wrong ones, and
# the accuracies round by round: of the pseudo-labels, and of CEAL and of
# plain active learning on the not-yet-queried digits.
n_labeled = np.array([h["n_labeled"] for h in ceal.history_])
n_pseudo = np.array([h["n_pseudo"] for h in ceal.history_])
n_right = np.array([h["n_pseudo_correct"] for h in ceal.history_])
pseudo_acc = n_right / np.maximum(n_pseudo, 1)
ceal_pool = [h["pool_score"] for h in ceal.history_]
plain_pool = [h["pool_score"] for h in plain.history_]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
ax1.bar(n_labeled, n_right, width=14, color="C2", label="right")
ax1.bar(
    n_labeled, n_pseudo - n_right, width=14, bottom=n_right, color="C3", label="wrong"
)
for x, total, wrong in zip(n_labeled, n_pseudo, n_pseudo - n_right):
    ax1.annotate(
        f"{wrong} wrong",
        (x, total),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        fontsize=8,
    )
ax1.set(xlabel="oracle labels", ylabel="pseudo-labels", title="Pseudo-labels per round")
ax1.set_ylim(0, 1.15 * n_pseudo.max())
ax1.legend(loc="upper left")
ax2.plot(n_labeled, pseudo_acc, "o-", label="pseudo-label accuracy")
ax2.plot(n_labeled, ceal_pool, "s-", label="CEAL, pool")
ax2.plot(n_labeled, plain_pool, "^--", label="active learning, pool")
lowest = min(np.min(pseudo_acc), np.min(ceal_pool), np.min(plain_pool))
ax2.set(xlabel="oracle labels", ylabel="accuracy", ylim=(lowest - 0.02, 1.01))
ax2.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %%
# Pseudo-labels are decided again every round by a model trained on the
# oracle labels alone, so a wrong one does not reinforce itself; the final
# model is trained on both.
print(
    "pseudo-labeled now:",
    int(ceal.pseudo_mask_.sum()),
    "accuracy:",
    float(np.mean(ceal.pseudo_labels_ == y_train[ceal.pseudo_mask_])),
)
