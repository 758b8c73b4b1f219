"""
scikit-activeml: pool-based active learning, getting started
============================================================

Ports scikit-activeml's *Pool-based Active Learning - Getting Started*
tutorial
(https://scikit-activeml.github.io/latest/generated/tutorials/00_pool_getting_started.html,
``tutorials/00_pool_getting_started.ipynb``): 100 points of
``make_classification(n_features=2, n_redundant=0, random_state=0)``, no
label at the start, a logistic regression and entropy-based uncertainty
sampling, 20 cycles of one label.

What a migrating user changes:

- ``SklearnClassifier(LogisticRegression(), classes=...)`` plus
  ``UncertaintySampling(method="entropy")`` become one
  ``ActiveLearner(LogisticRegression(), query_strategy="entropy")``; the
  missing label is ``-1`` (scikit-activeml's ``MISSING_LABEL`` is ``NaN``).
- ``qs.query(X=X, y=y, clf=clf, batch_size=1)`` then ``y[idx] = y_true[idx]``
  and ``clf.fit(X, y)`` become ``idx = learner.query()`` and
  ``learner.teach(X[idx], y_true[idx])`` (the refit is part of ``teach``).
- The start with no label is a cold start: ``fit(X, all -1)`` gives a ready
  learner whose first query uses ``initial_strategy`` (random, as entropy
  needs a model), where
  scikit-activeml's unfitted classifier predicts uniform probabilities and
  the first entropy query is a random tie-break; the query after the first
  label (one class only) is also random in skal, as a model cannot be fitted
  on one class.

Result (accuracy on the 100 points after 20 labels): skal **0.940**;
scikit-activeml 1.0.1 (run here, ``UncertaintySampling(method="entropy",
random_state=42)``) 0.950.
"""

import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from skal import ActiveLearner

X, y_true = make_classification(n_features=2, n_redundant=0, random_state=0)
y = np.full(y_true.shape, -1)

learner = ActiveLearner(
    LogisticRegression(), query_strategy="entropy", random_state=42
).fit(X, y)
for cycle in range(20):
    idx = learner.query()
    learner.teach(X[idx], y_true[idx])

accuracy = learner.score(X, y_true)
print(f"accuracy after {learner.labeled_mask_.sum()} labels: {accuracy:.3f}")
assert learner.labeled_mask_.sum() == 20
assert accuracy > 0.9, accuracy
