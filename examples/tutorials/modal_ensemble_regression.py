"""
modAL: ensemble regression
==========================

Ports modAL's *Ensemble regression* example
(https://modal-python.readthedocs.io/en/latest/content/examples/ensemble_regression.html,
``examples/ensemble_regression.py``): ``y = |x|`` on 200 points of [-1, 1];
two Gaussian processes, one trained on 5 points of the left half, one on 5 of
the right, form a committee that asks for the point where the members'
predictions spread most, 10 times.

What a migrating user changes:

- ``CommitteeRegressor(learner_list=[ActiveLearner(GP, X_training=Xa, ...),
  ...], query_strategy=ensemble_regression_std)`` becomes
  ``CommitteeRegressor([("left", GP), ("right", GP)], member_data=[rows_a,
  rows_b], query_strategy="std")``: the members are estimators and
  ``member_data`` gives each its own rows; later labels go to both.
- ``committee.predict(X, return_std=True)`` returns the members' mean and
  spread, as in modAL. Unlabeled targets are ``NaN`` (the default
  ``missing_label`` of ``CommitteeRegressor``).

Result (largest absolute error of the committee's mean against ``|x|`` on
201 grid points, same data, ``RandomState(0)``): skal 0.920 before,
**0.106** after 10 queries; modAL 0.4.2
(run here, with scikit-learn 1.9's renamed ``ensure_all_finite`` patched in)
0.920 before, 0.106 after 10 queries.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, WhiteKernel

from skal import CommitteeRegressor

warnings.filterwarnings("ignore", category=ConvergenceWarning)

rng = np.random.RandomState(0)
x = np.concatenate((rng.rand(100) - 1, rng.rand(100)))
X, y = x.reshape(-1, 1), np.abs(x)
rows = [
    rng.choice(range(100), size=5, replace=False),
    rng.choice(range(100, 200), size=5, replace=False),
]
y_partial = np.full(len(y), np.nan)
for r in rows:
    y_partial[r] = y[r]

kernel = RBF(length_scale=1.0, length_scale_bounds=(1e-2, 1e3)) + WhiteKernel(
    noise_level=1, noise_level_bounds=(1e-10, 1e1)
)
committee = CommitteeRegressor(
    [
        ("left", GaussianProcessRegressor(kernel)),
        ("right", GaussianProcessRegressor(kernel)),
    ],
    member_data=rows,
    query_strategy="std",
    random_state=0,
).fit(X, y_partial)

grid = np.linspace(-1, 1, 201).reshape(-1, 1)


def max_error():
    return float(np.max(np.abs(committee.predict(grid) - np.abs(grid).ravel())))


before = max_error()
for _ in range(10):
    idx = committee.query()
    committee.teach(X[idx], y[idx])
after = max_error()
mean, std = committee.predict(grid, return_std=True)
print(f"largest error against |x|: {before:.3f} before, {after:.3f} after 10 queries")
assert std.shape == (201,)
assert after < 0.25, (before, after)
