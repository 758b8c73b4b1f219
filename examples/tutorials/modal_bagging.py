"""
modAL: bagging with a committee
===============================

Ports modAL's *bagging* and *ensemble* examples
(https://github.com/modAL-python/modAL, ``examples/bagging.py`` and
``examples/ensemble.py``; the *Bootstrapping and bagging* section of
https://modal-python.readthedocs.io/en/latest/content/models/Committee.html):
three 10-nearest-neighbour learners learn three disks in a 500x500 image
(250,000 pixels), each from its own bootstrap sample of 1,000 random
pixels. The committee's consensus is compared with its members, the members
are re-bagged on the same labels, refitted with bagging on 100 other pixels,
and the ensemble then queries a pixel by disagreement and learns it.

What a migrating user changes:

- Three ``ActiveLearner(..., bootstrap_init=True)`` put in a
  ``Committee(learner_list)`` become one
  ``Committee(estimator=KNeighborsClassifier(10), n_members=3,
  bootstrap=True)``; the labels are the ``y != -1`` rows of ``fit``.
- ``for learner in committee`` is ``for member in committee.estimators_``;
  ``committee.rebag()`` is the same call.
- ``committee.fit(X_new, y_new, bootstrap=True)`` is ``fit(X_pool, y)``
  with only the new rows labeled: a bagged committee always bootstraps.
- ``query(X_pool)`` then ``teach(X, y, bagging=True)`` is ``query()`` then
  ``teach``, which refits every member on fresh bootstrap draws.
- The original draws its pixels with ``np.random.choice`` (with
  replacement): modAL trains on the 1,000 draws, duplicates included, skal
  on the 996 distinct pixels they hold.

Result (accuracy on the 250,000 pixels, ``np.random.seed(0)``): skal
members 0.953, 0.950, 0.947 and the committee **0.957**; after rebagging
0.953, 0.961, 0.952 and 0.962; refitted on 100 pixels 0.816, 0.876, 0.862
and 0.863. modAL 0.4.2.1 (run here, with scikit-learn 1.9's renamed
``ensure_all_finite`` patched in) on the same pixels: 0.953, 0.947, 0.960
and 0.963; 0.952, 0.956, 0.958 and 0.964; 0.884, 0.866, 0.891 and 0.900
(the bootstrap draws differ, not the method).
"""

import numpy as np
from sklearn.neighbors import KNeighborsClassifier

from skal import Committee

# the image: three disks (x, y, r) on a 500 x 500 grid
im_width = im_height = 500
rows, cols = np.meshgrid(np.arange(im_width), np.arange(im_height), indexing="ij")
data = np.zeros((im_height, im_width))
for x, y, r in [(150, 150, 80), (200, 380, 50), (360, 200, 100)]:
    data[(x - rows) ** 2 + (y - cols) ** 2 < r**2] = 1

X_pool = np.transpose(
    [np.tile(np.arange(im_width), im_height), np.repeat(np.arange(im_height), im_width)]
)
y_pool = data[X_pool[:, 0], X_pool[:, 1]].astype(int)

np.random.seed(0)
initial_idx = np.random.choice(range(len(X_pool)), size=1000)
y = np.full(len(y_pool), -1)
y[initial_idx] = y_pool[initial_idx]

committee = Committee(
    estimator=KNeighborsClassifier(n_neighbors=10),
    n_members=3,
    bootstrap=True,
    random_state=0,
).fit(X_pool, y)


def accuracies(stage):
    members = [np.mean(m.predict(X_pool) == y_pool) for m in committee.estimators_]
    consensus = committee.score(X_pool, y_pool)
    print(f"{stage:18} members {np.round(members, 3)}  committee {consensus:.3f}")
    return members, consensus


initial = accuracies("bagged")
committee.rebag()  # new bootstrap samples of the same labels
rebagged = accuracies("rebagged")

# refit with bagging on 100 other pixels
new_idx = np.random.choice(range(len(X_pool)), size=100)
y_new = np.full(len(y_pool), -1)
y_new[new_idx] = y_pool[new_idx]
committee.fit(X_pool, y_new)
refitted = accuracies("refit on 100")

# the ensemble as an active learner: ask where the members disagree, learn it
idx = committee.query()
committee.teach(X_pool[idx], y_pool[idx])
print("queried pixel", X_pool[idx[0]], "label", y_pool[idx[0]])

assert committee.labeled_mask_.sum() == 101
assert initial[1] > 0.95 and rebagged[1] > 0.95, (initial, rebagged)
assert 0.8 < refitted[1] < initial[1], refitted
