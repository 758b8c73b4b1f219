"""
modAL: cost-effective active learning (uncertain plus confident rows)
=====================================================================

Ports modAL's *Cost-effective active learning* example
(https://github.com/modAL-python/modAL,
``examples/cost_effective_active_learning.py``), a modified CEAL (Wang et
al., 2017): each query takes the ``K`` rows of highest entropy *and* the
``N`` rows of lowest entropy, so the batch holds hard rows and confident,
representative ones without a confidence threshold to tune. A 100-tree random
forest on MNIST starts from 32 random labels and asks 20 batches of
``K = N = 16``. The original loads all 60,000 Keras digits; here the first
5,000 training and 1,000 test digits of the project's ``mnist.npz`` (a
fixed split of the same 70,000 digits, read from ``$SKAL_DATA``, else
``../shared/data`` beside the repository), so it runs in seconds.

What a migrating user changes:

- The strategy function is the same, but its extra arguments move:
  modAL's ``learner.query(U_x, K, N)`` handed ``K`` and ``N`` on to the
  function; skal's ``query(X_pool, batch_size, return_scores)`` passes none
  (``query(None, 16, 16)`` is a ``TypeError`` naming the fix). Bind them:
  ``query_strategy=functools.partial(max_entropy, K=16, N=16)``.
- The function picks its own batch size (``K + N``); skal checks the
  count against ``batch_size``, so set ``batch_size=32`` (otherwise the error
  says "ask for that many: batch_size=32").
- No ``np.delete`` of the pool: ``fit`` takes all 5,000 rows with ``-1``
  for the unlabeled ones, ``query()`` returns positions among them and
  ``teach`` labels those rows.

Result (test accuracy on 1,000 digits, ``np.random.seed(0)`` for the 32
first labels, ``RandomForestClassifier(random_state=0)``): skal 0.415 with
32 labels and **0.821** with 672; modAL 0.4.2.1 (run here, with scikit-learn
1.9's renamed ``ensure_all_finite`` patched in) 0.446 and 0.787 on the same
rows. The forests differ because modAL fits the labeled rows in the order
they were drawn and skal in pool order.
"""

import os
from functools import partial
from pathlib import Path

import numpy as np
from scipy.special import entr
from sklearn.ensemble import RandomForestClassifier

from skal import ActiveLearner

DATA = os.environ.get("SKAL_DATA", Path(__file__).resolve().parents[3] / "shared/data")
digits = np.load(Path(DATA) / "mnist.npz")
X_train = digits["X_train"][:5000].reshape(-1, 784) / 255
y_train = digits["y_train"][:5000]
X_test = digits["X_test"][:1000].reshape(-1, 784) / 255
y_test = digits["y_test"][:1000]

np.random.seed(0)
initial = np.random.choice(range(len(X_train)), size=32)
y = np.full(len(y_train), -1)
y[initial] = y_train[initial]


def max_entropy(active_learner, X, K=16, N=16):
    """Return the K most uncertain and the N most confident positions in X."""
    entropy = entr(active_learner.predict_proba(X)).sum(axis=1)
    uncertain_idx = np.argpartition(entropy, -K)[-K:]
    confident_idx = np.argpartition(entropy, N)[:N]
    return np.concatenate((uncertain_idx, confident_idx))


learner = ActiveLearner(
    RandomForestClassifier(n_estimators=100, random_state=0),
    query_strategy=partial(max_entropy, K=16, N=16),
    batch_size=32,
).fit(X_train, y)

scores = [learner.score(X_test, y_test)]
for index in range(20):
    idx = learner.query()
    learner.teach(X_train[idx], y_train[idx])
    scores.append(learner.score(X_test, y_test))
    print(f"Query {index + 1}: test accuracy {scores[-1]:.3f}")

print("accuracy:", np.round(scores, 3))
assert learner.labeled_mask_.sum() == 32 + 20 * 32
assert scores[0] < 0.5 and scores[-1] > 0.78, scores
