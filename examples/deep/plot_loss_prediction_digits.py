"""
=================================================
Learning loss for active learning on 8x8 digits
=================================================

:class:`skal.torch.LossPredictionNet` attaches the loss-prediction head of
Yoo & Kweon (2019) to a small network on the digit images: the outputs of
its two hidden layers are average-pooled (a no-op on flat features; a
convolutional tap is pooled over its map), mapped by a fully connected
layer each, concatenated and reduced to one number, the predicted loss.
The head trains with the classifier on the pairwise margin ranking loss,
and the ``"predicted_loss"`` strategy queries the digits with the highest
predicted loss. We compare with random sampling over four
rounds of 20 labels, then check how well the head ranks the true losses of
the test digits. About 15 s of one CPU core.
"""

# %%
# Data: the 8x8 digits as (n, 8, 8) images, a pool and a test set.
import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.stats import spearmanr
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skal import ActiveLearner, simulate
from skal.datasets import initial_indices
from skal.torch import MLP, LossPredictionNet

torch.set_num_threads(1)  # tiny nets: extra threads only add overhead
X, y = load_digits(return_X_y=True)
images = (X / 16.0).reshape(-1, 8, 8).astype(np.float32)
X_pool, X_test, y_pool_true, y_test = train_test_split(
    images, y, test_size=500, stratify=y, random_state=0
)
initial = initial_indices(y_pool_true, 20, random_state=0)  # every class

# %%
# The task net is an MLP with two hidden layers on the flattened images (on
# the 8x8 digits it learns faster than a CNN from few labels); the head taps
# the ReLU of each hidden layer. As in the paper, the head's gradient stops
# reaching the backbone after 60% of the epochs.
net = LossPredictionNet(
    MLP,
    module__n_features=64,
    module__hidden_units=64,
    module__n_hidden=2,
    taps=["features.2", "features.5"],
    head_units=32,
    detach_after=36,
    optimizer=torch.optim.Adam,
    lr=0.005,
    max_epochs=60,
    batch_size=16,
    verbose=0,
    random_state=0,
)


curves = {}
for name in ("random", "predicted_loss"):
    curve = simulate(
        ActiveLearner(net, query_strategy=name),
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
    print(f"{name:<15}", " ".join(f"{acc:.2f}" for acc in curves[name][1]))

# %%
# Test accuracy against the number of labels. Yoo & Kweon start from 1,000
# labels of CIFAR-10; with 20 to 100 labels the head has few losses to learn
# the ranking from, and here it does not beat random sampling.
fig, ax = plt.subplots(figsize=(5, 3.5))
for name, (n_labels, accuracy) in curves.items():
    ax.plot(n_labels, accuracy, marker="o", label=name)
ax.set_xlabel("labeled digits")
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()

# %%
# Predicted against true loss on the test digits, for a net trained on 100
# random labels: the head learns the *ranking* of the losses (only their
# order is trained).
some = np.random.RandomState(0).choice(len(y_pool_true), 100, replace=False)
model = clone(net).fit(X_pool[some], y_pool_true[some])
proba = model.predict_proba(X_test)
true_loss = -np.log(proba[np.arange(len(y_test)), y_test] + 1e-12)
predicted = model.predict_loss(X_test)
rho = spearmanr(predicted, true_loss).statistic
print(f"Spearman correlation of predicted and true test loss: {rho:.2f}")
fig, ax = plt.subplots(figsize=(4.5, 3.5))
ax.scatter(predicted, true_loss, s=6)
ax.set_yscale("log")
ax.set_xlabel("predicted loss")
ax.set_ylabel("true cross-entropy")
ax.set_title(f"Spearman {rho:.2f}")
fig.tight_layout()
