"""
modAL: learning the shape of an object
======================================

Ports modAL's *shape learning* example (``examples/shape_learning/shape_learning.py``
in https://github.com/modAL-python/modAL, the "Interactive labeling"/shape
example): the pixels of an image are the pool, a pixel's label is whether it
lies inside a square, and a random forest starting from 10 random pixels (of
both classes) asks 50 times for the pixel it is least sure about. The
original image is 200 x 200 with the square at 50-148; here 100 x 100 with
the square at 25-73, the same proportions, to keep the run in seconds.

What a migrating user changes:

- ``ActiveLearner(predictor=RF(), utility_function=classifier_uncertainty,
  training_data=..., training_labels=...)`` (the example predates modAL 0.3)
  becomes ``ActiveLearner(RF(), query_strategy="least_confidence").fit(X, y)``
  with ``y == -1`` off the 10 starting pixels.
- modAL queries over all of ``X``, labeled pixels included; ``query()``
  in skal proposes only pixels not labeled yet.

Result (accuracy of the predicted image, same start, ``RandomState(0)``):
skal 0.553 before and **1.000** after the 50 queries; modAL 0.4.2 (run
here, with scikit-learn 1.9's renamed ``ensure_all_finite`` patched in)
0.588 and 1.000. (The starting draw is with replacement, as in the original:
modAL trains on a repeated pixel twice, skal labels it once.)
"""

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from skal import ActiveLearner

n = 100
image = np.zeros((n, n))
image[25 : n - 1 - 25, 25 : n - 1 - 25] = 1
X = np.transpose([np.tile(np.arange(n), n), np.repeat(np.arange(n), n)])
y = image[X[:, 0], X[:, 1]].astype(int)

# 10 random pixels, redrawn until both classes are present (as the original).
rng = np.random.RandomState(0)
initial_idx = rng.choice(len(y), size=10)
while len(np.unique(y[initial_idx])) == 1:
    initial_idx = rng.choice(len(y), size=10)
y_partial = np.full(len(y), -1)
y_partial[initial_idx] = y[initial_idx]

learner = ActiveLearner(
    RandomForestClassifier(random_state=0),
    query_strategy="least_confidence",
    random_state=0,
).fit(X, y_partial)
before = learner.score(X, y)
for _ in range(50):
    idx = learner.query()
    learner.teach(X[idx], y[idx])
after = learner.score(X, y)
predicted_image = learner.predict(X).reshape(n, n)
print(f"accuracy of the predicted image: {before:.3f} before, {after:.3f} after")
assert predicted_image.shape == (n, n)
assert after > 0.97, after
