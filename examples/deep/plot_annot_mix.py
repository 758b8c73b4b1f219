"""
=======================================================================
Annot-Mix: per-sample annotator performance from a crowd (5 annotators)
=======================================================================

Five simulated annotators label a 3-class problem: two good ones, one who
swaps classes 0 and 1, and two experts, each good on one half of the plane
and random on the other. :class:`skal.torch.AnnotMixClassifier` (Herde et
al. 2024) trains a small network and an annotator-performance network on
every label with mixup over (sample, annotator, label) triples; with a
sample embedding (``sample_embed_dim > 0``) the estimated performance of an
annotator depends on the sample. We compare it with the same network on the
majority vote, and map each annotator's estimated probability of a correct
label. A few seconds of one CPU core.
"""

# %%
# A crowd: each annotator labels 70 % of the samples.
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import make_blobs
from skorch import NeuralNetClassifier

from skal.torch import MLP, AnnotMixClassifier

torch.set_num_threads(1)  # tiny nets: extra threads only add overhead
rng = np.random.RandomState(0)
X, y = make_blobs(1200, centers=3, cluster_std=1.5, random_state=0)
X = ((X - X.mean(axis=0)) / X.std(axis=0)).astype(np.float32)
X_train, y_train, X_test, y_test = X[:600], y[:600], X[600:], y[600:]
guess = rng.randint(0, 3, 600)
left = X_train[:, 0] < 0
columns = [
    np.where(rng.rand(600) > 0.9, guess, y_train),  # good
    np.where(rng.rand(600) > 0.85, rng.randint(0, 3, 600), y_train),  # good
    np.array([1, 0, 2])[y_train],  # swaps 0 and 1
    np.where(left, y_train, rng.randint(0, 3, 600)),  # expert on the left
    np.where(left, rng.randint(0, 3, 600), y_train),  # expert on the right
]
Y = np.stack(columns, axis=1).astype(float)
Y[rng.rand(*Y.shape) > 0.7] = np.nan
names = ["good", "good", "swapper", "left expert", "right expert"]

# %%
# Annot-Mix, and the same network on the majority vote.
params = {
    "module__n_features": 2,
    "module__n_classes": 3,
    "module__hidden_units": 32,
    "module__dropout": 0.0,
    "optimizer": torch.optim.Adam,
    "lr": 0.01,
    "max_epochs": 40,
    "batch_size": 64,
}
mix = AnnotMixClassifier(
    MLP,
    alpha=0.5,
    sample_embed_dim=8,
    neural_net_param_dict=params,
    random_state=0,
).fit(X_train, Y)

codes = np.where(np.isnan(Y), -1, Y).astype(int)
votes = np.stack([(codes == c).sum(axis=1) for c in range(3)], axis=1)
has_label = votes.sum(axis=1) > 0
torch.manual_seed(0)
bare = NeuralNetClassifier(
    MLP,
    criterion=torch.nn.CrossEntropyLoss,
    train_split=None,
    verbose=0,
    iterator_train__shuffle=True,
    **params,
)
bare.fit(X_train[has_label], votes.argmax(axis=1)[has_label])
print(f"Annot-Mix:     test accuracy {(mix.predict(X_test) == y_test).mean():.3f}")
print(f"majority vote: test accuracy {(bare.predict(X_test) == y_test).mean():.3f}")

# %%
# The blobs overlap, so both stay near 0.78 here; what Annot-Mix adds is the
# annotator model. Each annotator's estimated probability of a correct
# label over the plane: the swapper is right on class 2 only (lower left),
# each expert on its own half. Without a sample embedding the performance
# could only depend on the class. (A larger performance network,
# ``n_hidden_layers=1``, can explain the labels by the annotators alone on
# so small a crowd and lose the classes: keep it small when the crowd is.)
grid = np.stack(
    np.meshgrid(np.linspace(-2.5, 2.5, 80), np.linspace(-2.5, 2.5, 80)), axis=-1
).reshape(-1, 2)
perf = mix.predict_annotator_perf(grid.astype(np.float32))
fig, axes = plt.subplots(1, 5, figsize=(15, 3.2), constrained_layout=True)
for a, (ax, name) in enumerate(zip(axes, names)):
    im = ax.contourf(
        grid[:, 0].reshape(80, 80),
        grid[:, 1].reshape(80, 80),
        perf[:, a].reshape(80, 80),
        levels=np.linspace(0, 1, 11),
        cmap="RdYlGn",
    )
    ax.scatter(*X_test[:150].T, c=y_test[:150], s=6, cmap="viridis")
    ax.set_title(name)
fig.colorbar(im, ax=axes, label="estimated P(correct label)")
plt.show()
