"""
modAL: a custom query strategy
==============================

Ports modAL's *Custom query strategies* example
(https://modal-python.readthedocs.io/en/latest/content/examples/custom_query_strategies.html,
``examples/custom_query_strategies.py``): on 1,000 points in three blobs, a
Gaussian-process classifier starting from 20 random labels queries 20 rounds
of 2 by a user-built utility, ``1.0 * uncertainty + 1.0 * margin``
(modAL's ``make_linear_combination(classifier_uncertainty,
classifier_margin)``) and ``multi_argmax``.

What a migrating user changes:

- Nothing in the function: a modAL-style ``f(classifier, X, n_instances)``
  is passed as ``query_strategy`` as it is (skal wraps it in
  :class:`~skal.strategies.FunctionStrategy`); ``classifier`` is then the
  query context, whose ``predict_proba(X)`` is the model's. Returning
  ``(idx, X[idx])`` or ``idx`` both work. A two-argument ``f(classifier, X)``
  returning one utility per row is read as a scorer, and skal takes the
  top ``batch_size``.
- The helpers come from elsewhere: modAL's ``make_linear_combination`` and
  ``multi_argmax`` are two lines of NumPy below (skal's
  :class:`~skal.strategies.Hybrid` combines *min-max normalised* scores, a
  different utility).
- ``learner.query(X, n_instances=2)`` is ``learner.query(batch_size=2)``
  and returns positions only. modAL's example queries over all of ``X``, so
  it asks again and again for rows it already has (its 40 picks are only 3
  distinct points: 521, 136 and 523); skal's ``query()`` proposes only
  unlabeled rows.

Result (accuracy on the 1,000 points, same data and start,
``RandomState(0)``): skal 0.981 before and **0.976** after, with 40
distinct rows labeled; modAL 0.4.2 (run here, with scikit-learn
1.9's renamed ``ensure_all_finite`` patched in) 0.981 before and 0.976 after.
"""

import numpy as np
from sklearn.datasets import make_blobs
from sklearn.gaussian_process import GaussianProcessClassifier
from sklearn.gaussian_process.kernels import RBF

from skal import ActiveLearner

centers = np.asarray([[-2, 3], [0.5, 5], [1, 1.5]])
X, y = make_blobs(
    n_features=2, n_samples=1000, random_state=0, cluster_std=0.7, centers=centers
)
initial_idx = np.random.RandomState(0).choice(range(len(X)), size=20)
y_partial = np.full(len(y), -1)
y_partial[initial_idx] = y[initial_idx]


# The user's utilities, written against ``classifier.predict_proba`` only.
def classifier_uncertainty(classifier, X):
    return 1 - classifier.predict_proba(X).max(axis=1)


def classifier_margin(classifier, X):
    part = np.sort(classifier.predict_proba(X), axis=1)
    return part[:, -1] - part[:, -2]


def linear_combination(classifier, X):
    return 1.0 * classifier_uncertainty(classifier, X) + 1.0 * classifier_margin(
        classifier, X
    )


def custom_query_strategy(classifier, X, n_instances=1):
    utility = linear_combination(classifier, X)
    idx = np.argsort(-utility, kind="stable")[:n_instances]
    return idx, X[idx]


learner = ActiveLearner(
    GaussianProcessClassifier(1.0 * RBF(1.0)),
    query_strategy=custom_query_strategy,
    random_state=0,
).fit(X, y_partial)
before = learner.score(X, y)
picks = []
for _ in range(20):
    idx = learner.query(batch_size=2)
    picks.extend(idx.tolist())
    learner.teach(X[idx], y[idx])
after = learner.score(X, y)
print(f"accuracy {before:.3f} with 20 labels, {after:.3f} after 20 queries of 2")
print(f"{len(set(picks))} distinct rows among the {len(picks)} picks")

# The same utility as a two-argument scorer: skal takes the top batch_size.
scorer_learner = ActiveLearner(
    GaussianProcessClassifier(1.0 * RBF(1.0)),
    query_strategy=linear_combination,
    batch_size=2,
    random_state=0,
).fit(X, y_partial)
assert sorted(scorer_learner.query().tolist()) == sorted(picks[:2])

assert len(set(picks)) == 40
assert after > 0.95, after
