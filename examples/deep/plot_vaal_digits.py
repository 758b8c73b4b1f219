"""
=============================================
VAAL: adversarial active learning on digits
=============================================

Variational adversarial active learning (Sinha et al. 2019) trains a β-VAE
on the labeled and the unlabeled digit images and a discriminator that
tells their latent codes apart, while the VAE tries to fool it; the digits
the discriminator is surest are unlabeled are queried. The strategy never
looks at the task model, so it works with any learner: here a small network
under :class:`skal.BayesianLearner`. We compare with random sampling over
four rounds of 20 labels, then show that VAAL goes for the digits of
classes the labeled set lacks. About 30 s of one CPU core.
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
from skal.strategies import QueryContext
from skal.torch import MLP, VAAL

torch.set_num_threads(1)  # tiny nets: extra threads only add overhead
X, y = load_digits(return_X_y=True)
images = (X / 16.0).reshape(-1, 8, 8).astype(np.float32)
X_pool, X_test, y_pool_true, y_test = train_test_split(
    images, y, test_size=500, stratify=y, random_state=0
)
initial = initial_indices(y_pool_true, 20, random_state=0)  # every class

# %%
# The task net, and VAAL with networks sized for 64 pixels.
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
vaal = VAAL(latent_dim=16, hidden_units=64, n_steps=300, lr=1e-3, random_state=0)

curves = {}
for name, strategy in (("random", "random"), ("VAAL", vaal)):
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
# Test accuracy against the number of labels. VAAL scores each digit alone
# and takes the top 20, so a batch can crowd into one region of the pool
# that the discriminator finds unfamiliar (below, mostly 5s and 7s); with
# so few labels that costs accuracy here, where random sampling spreads
# over all classes.
fig, ax = plt.subplots(figsize=(5, 3.5))
for name, (n_labels, accuracy) in curves.items():
    ax.plot(n_labels, accuracy, marker="o", label=name)
ax.set_xlabel("labeled digits")
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()

# %%
# What the discriminator sees: with 50 labeled digits of classes 0-4 and a
# pool of every class, the 20 rows VAAL queries are digits 5-9.
seen = np.flatnonzero(y_pool_true < 5)[:50]
rest = np.setdiff1d(np.arange(len(y_pool_true)), seen)
context = QueryContext(
    X_pool[rest], X_labeled=X_pool[seen], y_labeled=y_pool_true[seen]
)
idx, scores = vaal.select(context, 20)
print("classes of the 20 queried digits:", np.sort(y_pool_true[rest][idx]).tolist())
fig, axes = plt.subplots(2, 10, figsize=(9, 2.2))
for ax, i, s in zip(axes.ravel(), idx, scores):
    ax.imshow(X_pool[rest][i], cmap="gray_r")
    ax.set_title(f"{s:.2f}", fontsize=7)
    ax.axis("off")
fig.suptitle("queried digits and 1 - D(z)", fontsize=9)
fig.tight_layout()
