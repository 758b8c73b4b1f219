"""
modAL: Bayesian optimisation in two dimensions
==============================================

Ports modAL's *multidimensional Bayesian optimization* example
(https://github.com/modAL-python/modAL,
``examples/bayesian_optimization_multidim.py``): the function
``sin(|x|)/2 - (10 - |x|)**2/50 + 2`` of the distance to the origin on an
11 x 11 grid of [0, 10]^2, a Gaussian process with a Matern kernel fitted on
the first 10 grid points (the row ``x2 = 0``), and expected improvement
choosing where to evaluate next. The original evaluates one point; here
ten, to compare the whole sequence.

What a migrating user changes:

- ``BayesianOptimizer(estimator=..., X_training=X[:10], y_training=y[:10],
  query_strategy=max_EI)`` becomes ``BayesianOptimizer(estimator,
  query_strategy="ei").fit(X, y_start)`` with ``NaN`` for the 111 points not
  evaluated; several input dimensions need nothing else.
- ``query_idx, query_inst = optimizer.query(X)`` is ``query_idx =
  optimizer.query()``, which proposes only points not evaluated yet;
  ``optimizer.query(X)`` over the whole grid works too (and makes the same
  picks here). ``teach(X[query_idx].reshape(1, -1), y[query_idx])`` runs
  unchanged.

Result (grid positions evaluated, in order): skal 19, 42, 40, 29, 61, 62,
50, 83, 70, 71; modAL 0.4.2.1 (run here, with scikit-learn 1.9's renamed
``ensure_all_finite`` patched in) the same ten. The best value,
``get_max()``, is **2.4147** throughout, the grid's maximum at (8, 0) and
(0, 8): the first ten points already hold (8, 0).
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern

from skal import BayesianOptimizer

warnings.filterwarnings("ignore", category=ConvergenceWarning)

x1, x2 = np.meshgrid(np.linspace(0, 10, 11), np.linspace(0, 10, 11))
X = np.concatenate((x1.reshape(-1, 1), x2.reshape(-1, 1)), axis=1)
norm = np.linalg.norm(X, axis=1)
y = np.sin(norm) / 2 - ((10 - norm) ** 2) / 50 + 2

y_start = np.full(len(X), np.nan)  # the first 10 grid points are evaluated
y_start[:10] = y[:10]

optimizer = BayesianOptimizer(
    GaussianProcessRegressor(kernel=Matern(length_scale=1.0)),
    query_strategy="ei",
    random_state=0,
).fit(X, y_start)

picks = []
for _ in range(10):
    query_idx = optimizer.query()
    optimizer.teach(X[query_idx].reshape(1, -1), y[query_idx])
    picks.append(int(query_idx[0]))
X_max, y_max = optimizer.get_max()
print("evaluated:", picks)
print(f"best f = {np.ravel(y_max)[0]:.4f} at {np.ravel(X_max)}")

assert picks == [19, 42, 40, 29, 61, 62, 50, 83, 70, 71], picks
assert np.isclose(np.ravel(y_max)[0], y.max())
