"""
=======================================================
Learning from a crowd with a crowd layer (5 annotators)
=======================================================

Five simulated annotators label a 3-class problem: two good ones, a noisy
one, one who answers at random and one who swaps classes 0 and 1. A
:class:`skal.torch.CrowdLayerClassifier` (Rodrigues & Pereira 2018) trains
a small network on every label through one crowd matrix per annotator; we
compare it with the same network trained on the majority vote and on the
true labels (the limit), and show the learned matrices. A few seconds of one CPU core.
"""

# %%
# A crowd: each annotator labels 60 % of the samples.
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.base import clone
from sklearn.datasets import make_blobs
from skorch import NeuralNetClassifier

from skal.torch import MLP, CrowdLayerClassifier

torch.set_num_threads(1)  # tiny nets: extra threads only add overhead
rng = np.random.RandomState(0)
X, y = make_blobs(1200, centers=3, cluster_std=1.5, random_state=0)
X = ((X - X.mean(axis=0)) / X.std(axis=0)).astype(np.float32)
X_train, y_train, X_test, y_test = X[:600], y[:600], X[600:], y[600:]
columns = []
for accuracy in (0.9, 0.85, 0.6, 1 / 3):
    wrong = rng.rand(600) > accuracy
    columns.append(np.where(wrong, rng.randint(0, 3, 600), y_train))
columns.append(np.array([1, 0, 2])[y_train])  # swaps 0 and 1
Y = np.stack(columns, axis=1).astype(float)
Y[rng.rand(*Y.shape) > 0.6] = np.nan
names = ["good", "good", "noisy", "random", "swapper"]

# %%
# The crowd layer, and the same network on the majority vote.
params = {
    "module__n_features": 2,
    "module__n_classes": 3,
    "module__hidden_units": 32,
    "module__dropout": 0.0,
    "optimizer": torch.optim.Adam,
    "lr": 0.01,
    "max_epochs": 40,
    "batch_size": 64,
    "iterator_train__shuffle": True,
}
crowd = CrowdLayerClassifier(MLP, neural_net_param_dict=params, random_state=0)
crowd.fit(X_train, Y)

codes = np.where(np.isnan(Y), -1, Y).astype(int)
votes = np.stack([(codes == c).sum(axis=1) for c in range(3)], axis=1)
vote = votes.argmax(axis=1)  # ties: the first class
has_label = votes.sum(axis=1) > 0
torch.manual_seed(0)
bare = NeuralNetClassifier(
    MLP,
    criterion=torch.nn.CrossEntropyLoss,
    train_split=None,
    verbose=0,
    **params,
)
bare.fit(X_train[has_label], vote[has_label])
print(f"crowd layer:   test accuracy {(crowd.predict(X_test) == y_test).mean():.3f}")
print(f"majority vote: test accuracy {(bare.predict(X_test) == y_test).mean():.3f}")
torch.manual_seed(0)
truth = clone(bare).fit(X_train, y_train)  # the limit: every true label
print(f"true labels:   test accuracy {(truth.predict(X_test) == y_test).mean():.3f}")

# %%
# Each annotator's learned matrix, rows softmaxed: row ``c`` is the label
# distribution the layer gives that annotator when the network is sure of
# class ``c``. The swapper's rows 0 and 1 are swapped; the noisy and the
# random annotators' rows are flatter than the good ones'.
confusion = np.exp(crowd.annotator_matrices_)
confusion /= confusion.sum(axis=2, keepdims=True)
fig, axes = plt.subplots(1, 5, figsize=(12, 2.8), constrained_layout=True)
for ax, matrix, name in zip(axes, confusion, names):
    ax.imshow(matrix, vmin=0, vmax=1, cmap="Blues")
    for (i, j), v in np.ndenumerate(matrix):
        ax.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=8)
    ax.set_title(name)
    ax.set_xlabel("label given")
    ax.set_xticks(range(3))
    ax.set_yticks(range(3))
axes[0].set_ylabel("true class")
plt.show()
