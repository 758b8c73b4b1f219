"""
=====================================================
Label dispersion and forgetting events on 8x8 digits
=====================================================

A small network records its weights after every training epoch
(:class:`skal.torch.PredictionHistory`); the ``"label_dispersion"`` strategy
replays those recordings on the pool and queries the digits whose predicted
class changed most while the net trained, ``1 - f_x / T`` (Bengar et al.
2021). Each query also counts the forgetting events of the labeled digits
(Toneva et al. 2019). We compare with random sampling over four rounds of
20 labels. About 10 s of one CPU core.
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
from skal.strategies import label_dispersion
from skal.torch import MLP, PredictionHistory

torch.set_num_threads(1)  # tiny nets: extra threads only add overhead
X, y = load_digits(return_X_y=True)
images = (X / 16.0).reshape(-1, 8, 8).astype(np.float32)
X_pool, X_test, y_pool_true, y_test = train_test_split(
    images, y, test_size=500, stratify=y, random_state=0
)
initial = initial_indices(y_pool_true, 20, random_state=0)  # every class

# %%
# The net records its weights after every epoch; the learner trains it for
# at least 150 gradient steps, so the history has 75 recordings with 20
# labels and fewer as the labeled set grows.
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
    callbacks=[PredictionHistory(every=1)],
)


curves = {}
for name in ("random", "label_dispersion"):
    learner = BayesianLearner(net, n_samples=5, query_strategy=name)
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
    print(f"{name:<17}", " ".join(f"{acc:.2f}" for acc in curves[name][1]))

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
# The most dispersed pool digits of a model trained on the 20 initial
# labels, with the classes its recordings predicted, and the forgetting
# events of those labeled digits (the diagnostic the strategy keeps from its
# last query).
y_start = np.full_like(y_pool_true, -1)
y_start[initial] = y_pool_true[initial]
learner = BayesianLearner(
    net, n_samples=5, query_strategy="label_dispersion", random_state=0
).fit(X_pool, y_start)
learner.query()
pool = np.flatnonzero(~learner.labeled_mask_)
history = learner.estimator_.prediction_history(X_pool[pool])
dispersion = label_dispersion(history)
top = np.argsort(-dispersion)[:6]
fig, axes = plt.subplots(1, 6, figsize=(9, 2))
for ax, i in zip(axes, top):
    votes = np.bincount(history[:, i], minlength=10)
    ax.imshow(X_pool[pool[i]], cmap="gray_r")
    ax.set_title(f"{dispersion[i]:.2f}\n{np.argsort(-votes)[:3].tolist()}", fontsize=8)
    ax.axis("off")
fig.suptitle("dispersion; its three most predicted classes", fontsize=9)
fig.tight_layout()
events = learner.query_strategy_.forgetting_events_
print("recordings:", history.shape[0])
print("forgetting events of the labeled digits:", np.bincount(events).tolist())
