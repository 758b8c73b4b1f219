"""
====================================================
Active learning for regression: a GP and a committee
====================================================

Regression has no class probabilities; its uncertainty is the spread of the
prediction. A Gaussian process gives a posterior standard deviation, and
``ActiveLearner(GaussianProcessRegressor(), query_strategy="std")`` asks for
the target where it is largest: far from the labels. A
:class:`skal.CommitteeRegressor` gives a spread too, the standard deviation
of its members' predictions. Greedy sampling (``"gsx"``) needs no spread at
all: it asks for the sample farthest from the labeled ones.
"""

# %%
# A noisy 1-D function, with 3 labeled points; NaN marks the rest.
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF
from sklearn.tree import DecisionTreeRegressor

from skal import ActiveLearner, CommitteeRegressor

# With only 3 labels the length scale may sit on its bound; that is expected.
warnings.filterwarnings("ignore", category=ConvergenceWarning)
rng = np.random.RandomState(0)
X = np.sort(rng.uniform(0, 10, 300)).reshape(-1, 1)
y = np.sin(X[:, 0]) * X[:, 0] / 3 + rng.normal(scale=0.1, size=300)
y_pool = np.full(300, np.nan)
y_pool[[100, 140, 180]] = y[[100, 140, 180]]

# %%
# Six rounds of standard-deviation sampling with a Gaussian process.
# A fixed noise level (alpha) and a bounded length scale keep the GP sane
# on the first few labels.
gp = GaussianProcessRegressor(RBF(1.0, (0.3, 2.0)), alpha=0.01, normalize_y=True)
learner = ActiveLearner(
    gp, query_strategy="std", missing_label=np.nan, random_state=0
).fit(X, y_pool)
for _ in range(6):
    idx = learner.query()
    learner.teach(X[idx], y[idx])

mean, std = learner.estimator_.predict(X, return_std=True)
labeled = learner.labeled_mask_

# %%
# The same with a bagged committee of regression trees: its spread is the
# disagreement of the members, largest between labels where the bootstrap
# samples put their splits differently. Trees extrapolate with a constant,
# so beyond the last label all members agree and the committee never asks
# there (right of x = 8.5): a committee is only as good as its members'
# disagreement where data are missing. Mixing model families, or greedy
# sampling, covers such regions.
committee = CommitteeRegressor(
    estimator=DecisionTreeRegressor(max_depth=3), n_members=8, random_state=0
).fit(X, y_pool)
for _ in range(10):
    idx = committee.query()
    committee.teach(X[idx], y[idx])

# %%
# Both learners side by side: the GP's mean and two standard deviations
# (left), the committee's members and their mean (right).
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), sharey=True)
ax = axes[0]
ax.plot(X[:, 0], y, ".", color="0.8", label="pool")
ax.plot(X[:, 0], mean, label="GP mean")
ax.fill_between(X[:, 0], mean - 2 * std, mean + 2 * std, alpha=0.3)
ax.plot(X[labeled, 0], y[labeled], "ko", label="labeled")
ax.set_title("GP, std sampling: 3 + 6 labels")
ax.legend(loc="lower left")

ax = axes[1]
ax.plot(X[:, 0], y, ".", color="0.8")
for member in committee.predict_samples(X):
    ax.plot(X[:, 0], member, color="C1", alpha=0.3, lw=1)
ax.plot(X[:, 0], committee.predict(X), color="C1", label="committee mean")
ax.plot(X[committee.labeled_mask_, 0], y[committee.labeled_mask_], "ko")
ax.set_title("bagged trees, committee std: 3 + 10 labels")
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()

# %%
# Simulated acquisition (``budget``) ranks the strategies by R^2 on the
# samples not yet asked for, exactly as for classifiers. Note that a batch of
# the 3 largest standard deviations tends to be 3 neighbours, while greedy
# sampling spreads its batch out.
for strategy in ["std", "gsx", "random"]:
    run = ActiveLearner(
        gp,
        query_strategy=strategy,
        missing_label=np.nan,
        budget=12,
        n_initial=3,
        batch_size=3,
        random_state=0,
    ).fit(X, y)
    print(
        f"{strategy:>6}: R^2 on the rest of the pool after 12 labels = "
        f"{run.history_[-1]['pool_score']:.3f}"
    )
