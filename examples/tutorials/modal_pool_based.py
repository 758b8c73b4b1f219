"""
modAL: pool-based sampling on iris
==================================

Ports modAL's *Pool-based sampling* example
(https://modal-python.readthedocs.io/en/latest/content/examples/pool-based_sampling.html,
``examples/pool-based_sampling.py``): a 3-nearest-neighbours classifier starts
from one labeled flower per class (rows 0, 50 and 100) and asks for 20 more
labels by uncertainty sampling.

What a migrating user changes:

- ``ActiveLearner(estimator=..., X_training=..., y_training=...)`` becomes
  ``ActiveLearner(estimator, query_strategy="least_confidence").fit(X, y)``
  with ``y == -1`` on the rows not labeled yet (modAL's default strategy is
  least confidence; skal's default is entropy, so name it).
- ``query_idx, query_instance = learner.query(X_pool)`` becomes
  ``idx = learner.query()``: skal returns positions only and keeps its own
  pool, so the ``np.delete`` bookkeeping goes away.

Result (accuracy on all 150 flowers): skal 0.333 with the 3 labels and
**0.953** after 20 queries; modAL 0.4.2 run on the same start (with
scikit-learn 1.9's renamed ``ensure_all_finite`` patched in) gives 0.333 and
0.953.
"""

import numpy as np
from sklearn.datasets import load_iris
from sklearn.neighbors import KNeighborsClassifier

from skal import ActiveLearner

X, y = load_iris(return_X_y=True)
train_idx = [0, 50, 100]
y_partial = np.full(len(y), -1)
y_partial[train_idx] = y[train_idx]

learner = ActiveLearner(
    KNeighborsClassifier(n_neighbors=3),
    query_strategy="least_confidence",
    random_state=0,
).fit(X, y_partial)
initial = learner.score(X, y)
print(f"Accuracy before active learning: {initial:.3f}")

n_queries = 20
for i in range(n_queries):
    idx = learner.query()
    learner.teach(X[idx], y[idx])
    print(f"Accuracy after query no. {i + 1}: {learner.score(X, y):.3f}")

accuracy = learner.score(X, y)
assert learner.labeled_mask_.sum() == 23
assert accuracy > 0.9, accuracy
