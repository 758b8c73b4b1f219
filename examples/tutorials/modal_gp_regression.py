"""
modAL: active regression with a Gaussian process
================================================

Ports modAL's *Active regression* example
(https://modal-python.readthedocs.io/en/latest/content/examples/active_regression.html,
``examples/active_regression.py``): 200 noisy samples of ``sin(x)`` on
[0, 20], a Gaussian process (RBF + white noise) starts from 3 of them and
asks 10 times for the sample where its predictive standard deviation is
largest.

What a migrating user changes:

- modAL's hand-written ``GP_regression_std(regressor, X)`` runs unchanged
  as ``query_strategy``: skal hands it the query context, whose
  ``predict(X, return_std=True)`` is the GP's, and reads the one index it
  returns. skal's built-in ``query_strategy="std"``
  (:class:`~skal.strategies.StdSampling`) picks the same points; the script
  checks both.
- Unlabeled targets are ``NaN``: ``ActiveLearner(..., missing_label=np.nan)``.
- ``predict(X, return_std=True)`` passes through to the GP, as in modAL.

Result (RMSE of the mean against ``sin`` on a 1,000-point grid, same data and
start, ``RandomState(0)``): skal 0.672 with 3 points, **0.344** after 10
queries; modAL 0.4.2 (run here, with
scikit-learn 1.9's renamed ``ensure_all_finite`` patched in) 0.672 with 3
points, 0.344 after 10 queries.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, WhiteKernel

from skal import ActiveLearner

warnings.filterwarnings("ignore", category=ConvergenceWarning)

rng = np.random.RandomState(0)
X = rng.choice(np.linspace(0, 20, 10000), size=200, replace=False).reshape(-1, 1)
y = (np.sin(X) + rng.normal(scale=0.3, size=X.shape)).ravel()
initial_idx = rng.choice(len(X), size=3, replace=False)
y_partial = np.full(len(y), np.nan)
y_partial[initial_idx] = y[initial_idx]

kernel = RBF(length_scale=1.0, length_scale_bounds=(1e-2, 1e3)) + WhiteKernel(
    noise_level=1, noise_level_bounds=(1e-10, 1e1)
)


def GP_regression_std(regressor, X):
    """modAL's function, as its tutorial writes it."""
    _, std = regressor.predict(X, return_std=True)
    return np.argmax(std)


regressor = ActiveLearner(
    GaussianProcessRegressor(kernel=kernel),
    query_strategy=GP_regression_std,
    missing_label=np.nan,
    random_state=0,
).fit(X, y_partial)
built_in = ActiveLearner(
    GaussianProcessRegressor(kernel=kernel),
    query_strategy="std",
    missing_label=np.nan,
    random_state=0,
).fit(X, y_partial)

grid = np.linspace(0, 20, 1000).reshape(-1, 1)


def rmse(model):
    return float(np.sqrt(np.mean((model.predict(grid) - np.sin(grid).ravel()) ** 2)))


before = rmse(regressor)
same_picks = True
for _ in range(10):
    idx = regressor.query()
    same_picks &= idx.tolist() == built_in.query().tolist()
    regressor.teach(X[idx], y[idx])
    built_in.teach(X[idx], y[idx])
after = rmse(regressor)
pred, std = regressor.predict(grid, return_std=True)
print(f"RMSE against sin(x): {before:.3f} with 3 points, {after:.3f} after 10 queries")
print(f"largest predictive std on the grid: {std.max():.3f}")
print(f"modAL's function and query_strategy='std' pick the same points: {same_picks}")
assert std.shape == (1000,) and same_picks
assert after < 0.4 < before, (before, after)
