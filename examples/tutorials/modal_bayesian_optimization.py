"""
modAL: Bayesian optimisation with PI, EI and UCB
================================================

Ports modAL's *Bayesian optimization* example
(https://modal-python.readthedocs.io/en/latest/content/examples/bayesian_optimization.html,
``examples/bayesian_optimization.py``): maximise
``f(x) = sin(x)/2 - (10 - x)**2/50 + 2`` on 1,000 points of [0, 20] with a
Gaussian process (Matern kernel), starting from the single evaluation at
``X[150]`` and evaluating 5 more points with each acquisition: probability of
improvement (tradeoff 0.1), expected improvement and the upper confidence
bound. The gallery example
:ref:`sphx_glr_auto_examples_basics_plot_bayesian_optimization.py` draws
the same runs.

What a migrating user changes:

- ``BayesianOptimizer(estimator, X_training=..., y_training=...,
  query_strategy=max_EI)`` becomes ``BayesianOptimizer(estimator,
  query_strategy="ei").fit(X, y)`` with ``NaN`` on the points not evaluated.
- ``partial(max_PI, tradeoff=0.1)`` is ``ProbabilityOfImprovement(xi=0.1)``;
  ``max_EI`` / ``max_UCB`` are ``"ei"`` / ``"ucb"``. ``get_max()`` returns
  ``(X_max, y_max)`` as in modAL.

Result (best value found after 5 queries; the true maximum is
f(8.008) = 2.4147): skal PI 2.3862 at x = 7.688, EI 2.3613 at 7.568,
**UCB 2.4067** at 8.188; modAL 0.4.2 (run here, with scikit-learn
1.9's renamed ``ensure_all_finite`` patched in) PI 2.4090 at x = 7.868,
EI 2.3613 at 7.568, UCB 2.4067 at 8.188.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern

from skal import BayesianOptimizer
from skal.strategies import ProbabilityOfImprovement

warnings.filterwarnings("ignore", category=ConvergenceWarning)


def f(x):
    return np.sin(x) / 2 - (10 - x) ** 2 / 50 + 2


X = np.linspace(0, 20, 1000).reshape(-1, 1)
y_start = np.full(len(X), np.nan)
y_start[150] = f(X[150, 0])

best = {}
for name, acquisition in [
    ("PI", ProbabilityOfImprovement(xi=0.1)),
    ("EI", "ei"),
    ("UCB", "ucb"),
]:
    optimizer = BayesianOptimizer(
        GaussianProcessRegressor(kernel=Matern(length_scale=1.0)),
        query_strategy=acquisition,
        random_state=0,
    ).fit(X, y_start)
    for _ in range(5):
        idx = optimizer.query()
        optimizer.teach(X[idx], f(X[idx, 0]))
    X_max, y_max = optimizer.get_max()
    best[name] = float(np.ravel(y_max)[0])
    print(f"{name}: best f = {best[name]:.4f} at x = {np.ravel(X_max)[0]:.3f}")

assert max(best.values()) > 2.40, best
