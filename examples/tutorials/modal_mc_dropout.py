"""
modAL: Bayesian deep active learning with MC dropout
====================================================

Ports modAL's *Bayesian deep active learning* example
(``examples/deep_bayesian_active_learning.py`` in
https://github.com/modAL-python/modAL; Gal, Islam & Ghahramani, "Deep
Bayesian Active Learning with Image Data", ICML 2017): a network with dropout
starts from 2 labels per class and queries by *max entropy* of the
prediction averaged over stochastic forward passes with dropout left on
(MC dropout), against uniform random sampling. The original is Keras on
MNIST (100 rounds of 10, 50 epochs each, T = 100 passes on a random 2,000
candidates); here it is skorch + PyTorch on scikit-learn's 8 x 8 digits,
5 rounds of 10, 20 passes, so that it runs in seconds on one core.

What a migrating user changes:

- ``KerasClassifier(create_keras_model)`` becomes a skorch
  ``NeuralNetClassifier`` (here with skal's :class:`~skal.torch.MLP`, dropout
  0.5), wrapped in :class:`~skal.BayesianLearner`, which keeps dropout on at
  prediction time: the hand-written ``K.function([..., K.learning_phase()])``
  loop of the original is ``n_samples=20``.
- ``query_strategy=max_entropy`` (the user's function) is
  ``query_strategy="max_entropy"``; ``uniform`` is ``"random"``; the random
  2,000-candidate subset is ``MaxEntropy(max_candidates=2000)``.
- Labels are class integers, not one-hot (``keras.utils.to_categorical``
  goes away), and images are float32 arrays.

Result (test accuracy on 500 held-out digits at 20 → 70 labels, mean of 2
seeds): skal's max entropy 0.701 → **0.812**, random 0.701 → 0.860; at this
small budget (70 labels, 2 seeds) max entropy trails random sampling here.
modAL's example could not be run here: it needs Keras
with the TensorFlow-1 ``K.learning_phase()`` API and ``keras.wrappers``,
both gone from current Keras; it publishes no figure (it saves the accuracy
history to a file).
"""

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from skorch import NeuralNetClassifier

from skal import BayesianLearner
from skal.torch import MLP

torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
X = (X / 16.0).astype(np.float32)
X_pool, X_test, y_pool, y_test = train_test_split(
    X, y, test_size=500, stratify=y, random_state=0
)


def make_net(seed):
    torch.manual_seed(seed)
    return NeuralNetClassifier(
        MLP,
        module__n_features=64,
        module__hidden_units=128,
        module__dropout=0.5,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=0.003,
        max_epochs=30,
        batch_size=16,
        train_split=None,
        verbose=0,
    )


def run(strategy, seed, n_rounds=5):
    rng = np.random.RandomState(seed)
    initial = np.concatenate(
        [rng.choice(np.flatnonzero(y_pool == k), 2, replace=False) for k in range(10)]
    )
    y_partial = np.full_like(y_pool, -1)
    y_partial[initial] = y_pool[initial]
    learner = BayesianLearner(
        make_net(seed),
        n_samples=20,
        query_strategy=strategy,
        batch_size=10,
        random_state=seed,
    ).fit(X_pool, y_partial)
    history = [learner.score(X_test, y_test)]
    for _ in range(n_rounds):
        idx = learner.query()
        learner.teach(X_pool[idx], y_pool[idx])
        history.append(learner.score(X_test, y_test))
    return np.array(history)


results = {
    s: np.mean([run(s, seed) for seed in (0, 1)], axis=0)
    for s in ("max_entropy", "random")
}
for name, history in results.items():
    print(f"{name:>12}: " + " ".join(f"{a:.3f}" for a in history))

final = {name: history[-1] for name, history in results.items()}
assert min(final.values()) > 0.75, final
