"""
============================================
BALD and BatchBALD on 8x8 handwritten digits
============================================

A small convolutional network with dropout (the architecture of Gal, Islam &
Ghahramani 2017, scaled to 8x8 images) is wrapped in a skorch
``NeuralNetClassifier`` and in :class:`skal.BayesianLearner`, which keeps
dropout on at prediction time and averages 10 stochastic passes. Starting
from 20 labels, we acquire 10 digits a round with random sampling, top-k
BALD and BatchBALD, retraining from scratch each round, and compare test
accuracy. Training the 19 networks takes about 45 s of one CPU core.
"""

# %%
# Data: the 8x8 digits as (n, 8, 8) images, a pool and a test set.
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from skorch import NeuralNetClassifier

from skal import BayesianLearner
from skal.strategies import BALD, BatchBALD, RandomSampling
from skal.torch import GalCNN

torch.set_num_threads(1)  # tiny nets: extra threads only add overhead
X, y = load_digits(return_X_y=True)
images = (X / 16.0).reshape(-1, 8, 8).astype(np.float32)
X_pool, X_test, y_pool_true, y_test = train_test_split(
    images, y, test_size=500, stratify=y, random_state=0
)
rng = np.random.RandomState(0)
initial = np.concatenate(
    [rng.choice(np.flatnonzero(y_pool_true == k), 2, replace=False) for k in range(10)]
)

# %%
# The network and the learner. ``GalCNN`` returns logits, so the criterion
# is the cross-entropy; ``train_split=None`` because a validation split of
# 20 labels is meaningless.
net = NeuralNetClassifier(
    GalCNN,
    module__image_shape=(1, 8, 8),
    module__kernel_size=3,
    module__n_filters=16,
    module__dense_units=64,
    criterion=torch.nn.CrossEntropyLoss,
    optimizer=torch.optim.Adam,
    lr=0.003,
    max_epochs=30,
    batch_size=8,
    train_split=None,
    verbose=0,
)


def run(strategy, n_rounds=5):
    y_pool = np.full_like(y_pool_true, -1)
    y_pool[initial] = y_pool_true[initial]
    learner = BayesianLearner(
        net, n_samples=10, query_strategy=strategy, batch_size=10, random_state=0
    ).fit(X_pool, y_pool)
    curve = [(20, learner.score(X_test, y_test))]
    for _ in range(n_rounds):
        idx = learner.query()
        learner.teach(X_pool[idx], y_pool_true[idx])
        curve.append((int(learner.labeled_mask_.sum()), learner.score(X_test, y_test)))
    return np.array(curve)


curves = {
    "random": run(RandomSampling()),
    "BALD (top-k)": run(BALD(max_candidates=500)),
    "BatchBALD": run(BatchBALD(max_candidates=500)),
}

for name, curve in curves.items():
    print(f"{name:<13}", " ".join(f"{acc:.2f}" for acc in curve[:, 1]))

# %%
# Test accuracy against the number of labels.
fig, ax = plt.subplots(figsize=(5, 3.5))
for name, curve in curves.items():
    ax.plot(curve[:, 0], curve[:, 1], marker="o", label=name)
ax.set_xlabel("labeled digits")
ax.set_ylabel("test accuracy (MC-dropout mean)")
ax.legend()
fig.tight_layout()

# %%
# The uncertainty behind a query: the 20 dropout passes on the digit BALD
# likes most disagree, while each pass is fairly confident.
learner = BayesianLearner(net, n_samples=20, random_state=0).fit(
    X_pool, np.where(np.isin(np.arange(len(y_pool_true)), initial), y_pool_true, -1)
)
best = learner.query()[0]
passes = learner.predict_proba_samples(X_pool[best : best + 1])[:, 0]
print("votes of the 20 passes:", np.bincount(passes.argmax(1), minlength=10))
