"""
modAL: ranked batch-mode sampling on iris
=========================================

Ports modAL's *Ranked batch-mode sampling* example
(https://modal-python.readthedocs.io/en/latest/content/examples/ranked_batch_mode.html,
``examples/ranked_batch_mode.py``): a 3-nearest-neighbours classifier starts
from 3 labeled flowers (``np.random.seed(123)``, as in the original) and asks
for batches of 3 with Cardoso et al.'s (2017) ranked batch-mode sampling,
6 rounds.

What a migrating user changes:

- ``partial(uncertainty_batch_sampling, n_instances=3)`` becomes
  ``query_strategy=RankedBatch("least_confidence"), batch_size=3`` (or the
  registry name ``"ranked_batch"``).
- The initial rows are the ``y != -1`` rows of ``fit``; ``query()`` returns
  the 3 positions, ``teach(X[idx], y[idx])`` adds them, no ``np.delete``.

Result (accuracy on all 150 flowers after each round, 3 to 21 labels):
skal 0.333, 0.893, 0.840, 0.927, 0.933, 0.947, **0.953**; modAL 0.4.2 on
the same start (run here, with scikit-learn 1.9's renamed
``ensure_all_finite`` patched in) gives the same seven values. skal warns
once when a batch brings a class the model had not seen (setosa, here).
"""

import numpy as np
from sklearn.datasets import load_iris
from sklearn.neighbors import KNeighborsClassifier

from skal import ActiveLearner
from skal.strategies import RankedBatch

np.random.seed(123)
X, y = load_iris(return_X_y=True)
# modAL's example draws with high=n+1; the draw for seed 123 stays in range.
training_indices = np.random.randint(low=0, high=len(X) + 1, size=3)
y_partial = np.full(len(y), -1)
y_partial[training_indices] = y[training_indices]

learner = ActiveLearner(
    KNeighborsClassifier(n_neighbors=3),
    query_strategy=RankedBatch("least_confidence"),
    batch_size=3,
    random_state=0,
).fit(X, y_partial)

history = [learner.score(X, y)]
for i in range(20 // 3):
    idx = learner.query()
    learner.teach(X[idx], y[idx])
    history.append(learner.score(X, y))
    print(f"Accuracy after query {i + 1}: {history[-1]:.4f}")

print("history:", np.round(history, 3))
assert learner.labeled_mask_.sum() == 3 + 6 * 3
assert history[-1] > 0.9, history
