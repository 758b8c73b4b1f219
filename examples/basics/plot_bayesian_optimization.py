"""
=======================================================
Bayesian optimisation: PI, EI and UCB on a 1-D function
=======================================================

Bayesian optimisation looks for the maximum of a function that is expensive
to evaluate. A Gaussian process is fitted on the points evaluated so far and
the next point is the one of highest *acquisition*: probability of
improvement (``"pi"``), expected improvement (``"ei"``) or the upper
confidence bound (``"ucb"``). :class:`skal.BayesianOptimizer` is that loop;
``get_max()`` returns the best point evaluated. This is modAL's Bayesian
optimisation tutorial written in skal: the same function, kernel and start.
"""

# %%
# The function of modAL's tutorial on a grid of 1000 points, one of them
# evaluated. NaN marks the points not evaluated yet.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern

from skal import BayesianOptimizer
from skal.strategies import ProbabilityOfImprovement

# The kernel's length scale sits on a bound with a handful of points.
warnings.filterwarnings("ignore", category=ConvergenceWarning)


def f(x):
    return np.sin(x) / 2 - (10 - x) ** 2 / 50 + 2


X = np.linspace(0, 20, 1000).reshape(-1, 1)
y_start = np.full(1000, np.nan)
y_start[150] = f(X[150, 0])
print(f"true maximum: f({X[np.argmax(f(X[:, 0])), 0]:.3f}) = {f(X[:, 0]).max():.4f}")

# %%
# Five evaluations with each acquisition. modAL's tutorial raises PI's
# margin to 0.1 (its ``tradeoff``, skal's ``xi``): with no margin PI keeps
# asking next to the best point so far.
acquisitions = {
    "PI, xi=0.1": ProbabilityOfImprovement(xi=0.1),
    "EI": "ei",
    "UCB": "ucb",
}
fig, axes = plt.subplots(1, 3, figsize=(13, 3.5), sharey=True)
for ax, (name, acquisition) in zip(axes, acquisitions.items()):
    optimizer = BayesianOptimizer(
        GaussianProcessRegressor(kernel=Matern(length_scale=1.0)),
        query_strategy=acquisition,
        random_state=0,
    ).fit(X, y_start)
    for _ in range(5):
        idx = optimizer.query()
        optimizer.teach(X[idx], f(X[idx, 0]))
    X_max, y_max = optimizer.get_max()
    print(f"{name:11s} best after 5 queries: f({X_max[0]:.3f}) = {y_max:.4f}")
    mean, std = optimizer.predict(X, return_std=True)
    ax.plot(X[:, 0], f(X[:, 0]), "k--", lw=1, label="function")
    ax.plot(X[:, 0], mean, label="GP mean")
    ax.fill_between(X[:, 0], mean - std, mean + std, alpha=0.2)
    evaluated = optimizer.labeled_mask_
    ax.scatter(
        X[evaluated, 0], optimizer.y_[evaluated], c="C3", zorder=3, label="evaluated"
    )
    ax.scatter(
        [X_max[0]],
        [y_max],
        marker="*",
        s=200,
        c="gold",
        zorder=4,
        edgecolors="k",
        label="get_max()",
    )
    ax.set_title(name)
    ax.set_xlabel("x")
axes[0].legend(loc="lower center", fontsize=8)
fig.tight_layout()
plt.show()
