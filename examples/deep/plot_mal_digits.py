"""
===================================================
MAL: minimax entropy active learning on 8x8 digits
===================================================

Minimax active learning (Ebrahimi et al. 2021) trains an encoder and a
cosine classifier on the labeled digits while the two play a minimax game on
the entropy of the unlabeled digits' predictions (the classifier maximises
it, the encoder minimises it), and a discriminator learns to tell labeled
from unlabeled features. It shortlists the digits the discriminator calls
unlabeled and queries the most uncertain of them. The strategy trains its
own networks, so it works with any learner. We compare with random sampling
over four rounds of 20 labels, then look at one query. About 25 s of one
CPU core.
"""

# %%
# Data: the 8x8 digits as (n, 8, 8) images, a pool and a test set.
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from skorch import NeuralNetClassifier

from skal import BayesianLearner, simulate
from skal.datasets import initial_indices
from skal.torch import MAL, MLP

torch.set_num_threads(1)  # tiny nets: extra threads only add overhead
X, y = load_digits(return_X_y=True)
images = (X / 16.0).reshape(-1, 8, 8).astype(np.float32)
X_pool, X_test, y_pool_true, y_test = train_test_split(
    images, y, test_size=500, stratify=y, random_state=0
)
initial = initial_indices(y_pool_true, 20, random_state=0)  # every class

# %%
# The task net, and MAL with networks sized for 64 pixels.
net = NeuralNetClassifier(
    MLP,
    module__n_features=64,
    module__hidden_units=64,
    criterion=torch.nn.CrossEntropyLoss,
    optimizer=torch.optim.Adam,
    lr=0.005,
    batch_size=16,
    train_split=None,
    verbose=0,
)
mal = MAL(latent_dim=16, hidden_units=64, n_steps=300, lr=1e-3, random_state=0)

curves = {}
for name, strategy in (("random", "random"), ("MAL", mal)):
    learner = BayesianLearner(net, n_samples=5, query_strategy=strategy)
    curve = simulate(
        learner,
        X_pool,
        y_pool_true,
        X_test=X_test,
        y_test=y_test,
        budget=100,
        batch_size=20,
        initial_indices=initial,
        progress=False,
        random_state=0,
    )
    curves[name] = curve.mean_curve()[:2]
    print(f"{name:<7}", " ".join(f"{acc:.2f}" for acc in curves[name][1]))

# %%
# Test accuracy against the number of labels.
fig, ax = plt.subplots(figsize=(5, 3.5))
for name, (n_labels, accuracy) in curves.items():
    ax.plot(n_labels, accuracy, marker="o", label=name)
ax.set_xlabel("labeled digits")
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()

# %%
# One query from the 20 initial labels: each pool digit by the
# discriminator's probability that it is labeled and the classifier's
# entropy. The 40 lowest-D digits form the shortlist; the 20 most uncertain
# of them are queried.
y_start = np.full_like(y_pool_true, -1)
y_start[initial] = y_pool_true[initial]
learner = BayesianLearner(
    net, n_samples=5, query_strategy=mal, batch_size=20, random_state=0
)
learner.fit(X_pool, y_start)
picked = learner.query()
strategy = learner.query_strategy_
pool = np.flatnonzero(~learner.labeled_mask_)
chosen = np.isin(pool, picked)
fig, ax = plt.subplots(figsize=(5, 3.5))
ax.scatter(strategy.labeled_proba_, strategy.entropy_, s=4, c="0.7", label="pool")
ax.scatter(
    strategy.labeled_proba_[chosen],
    strategy.entropy_[chosen],
    s=12,
    c="C3",
    label="queried",
)
ax.set_xlabel("D(E(x)): probability of labeled")
ax.set_ylabel("entropy of C(E(x))")
ax.legend()
fig.tight_layout()
print("classes queried:", np.bincount(y_pool_true[picked], minlength=10).tolist())
