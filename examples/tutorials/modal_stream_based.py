"""
modAL: stream-based sampling of a shape
=======================================

Ports modAL's *Stream-based sampling* example
(https://modal-python.readthedocs.io/en/latest/content/examples/stream-based_sampling.html,
``examples/stream-based_sampling.py``): the pixels of an image holding a
square arrive one at a time in random order; a random forest asks for a
pixel's label when its uncertainty ``1 - max p`` is at least 0.4, until its
accuracy on the whole image reaches 0.90. The original image is 500 x 500;
here it is 100 x 100 with the square in the same place relative to the
borders (rows and columns 20-78), so that the run fits in seconds.

What a migrating user changes:

- The hand-written test ``classifier_uncertainty(learner, x) >= 0.4`` becomes
  the stream learner's decision: :class:`~skal.stream.StreamActiveLearner`
  with :class:`~skal.stream.FixedUncertainty` asks when the confidence
  ``max p < theta``, ``theta = 1/K + B (1 - 1/K)``; with two classes and
  ``budget=0.2``, ``theta = 0.6``, i.e. modAL's rule. ``budget_manager="none"``
  removes the budget gate, as modAL has none.
- Each sample is ``ask = learner.query(x)``, ``learner.update(x, ask)``, and
  ``learner.teach(x, [label])`` when asked (the estimator has no
  ``partial_fit``, so skal refits on the labeled pixels, as modAL's ``teach``
  does).

Result (same image, start and stream order, ``RandomState(0)``): skal
reached **0.905** after 90 streamed pixels, 9 of them labeled; modAL 0.4.2
(run here, with scikit-learn 1.9's renamed ``ensure_all_finite`` patched in)
reached 0.936 after 70 streamed pixels, 9
of them labeled. The two rules differ only at the boundary: skal asks when
``max p < 0.6``, modAL when ``1 - max p >= 0.4``, i.e. also at exactly 0.6,
a value a forest's averaged votes can take; the same stream then reaches the
target at a different pixel.
"""

import numpy as np
from sklearn.ensemble import RandomForestClassifier

from skal.stream import FixedUncertainty, StreamActiveLearner

n = 100
image = np.zeros((n, n))
image[20 : n - 1 - 20, 20 : n - 1 - 20] = 1
X = np.transpose([np.tile(np.arange(n), n), np.repeat(np.arange(n), n)])
y = image[X[:, 0], X[:, 1]].astype(int)

rng = np.random.RandomState(0)
initial_idx = rng.choice(len(X), size=5, replace=False)
learner = StreamActiveLearner(
    RandomForestClassifier(random_state=0),
    FixedUncertainty(),
    budget=0.2,
    budget_manager="none",
    random_state=0,
).fit(X[initial_idx], y[initial_idx])
print(f"threshold on the confidence: {learner.strategy_state_['theta']:.2f}")
print(f"initial accuracy: {learner.score(X, y):.3f}")

accuracy, seen = learner.score(X, y), 0
while accuracy < 0.90 and seen < 2000:
    i = rng.choice(len(X))
    seen += 1
    x = X[i].reshape(1, -1)
    ask = learner.query(x)
    learner.update(x, ask)
    if ask[0]:
        learner.teach(x, [y[i]])
        accuracy = learner.score(X, y)
        print(f"pixel no. {i} queried, new accuracy: {accuracy:.3f}")

asked = learner.n_labeled_ - len(initial_idx)
print(f"accuracy {accuracy:.3f} after {seen} streamed pixels, {asked} labeled")
assert accuracy >= 0.90, accuracy
