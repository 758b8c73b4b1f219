"""
=================================================================
A classifier on a Gaussian mixture that learns from the unlabeled
=================================================================

:class:`~skal.estimators.MixtureModelClassifier` (scikit-activeml's
classifier of 4DS, Reitmaier & Sick 2013) fits a Gaussian mixture and lets
each component vote with the labels of the rows it is responsible for. The
mixture needs no labels, so it can be fitted on the whole pool: with
``missing_label=-1`` and ``semi_supervised=True`` the learner passes every
row, the unlabeled ones marked -1, and only the labeled ones vote.

Three learners on the standardised wine data (178 wines, 13 features, 3
cultivars), each from 6 random labels to 30, 2 labels a round:

- the mixture fitted on the pool, 4DS queries (:class:`~skal.strategies.FourDs`);
- the mixture fitted on the labeled rows only, 4DS queries;
- the mixture fitted on the pool, random queries.

The score is the accuracy on the wines not labeled yet, averaged over five
seeds. See :ref:`estimators` for the formula. The 15 simulated runs take a
few seconds of one CPU core.
"""

# %%
# The learners
# ------------
# A diagonal-covariance mixture of three components: 13 features are too
# many for full covariances from a handful of labeled rows.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_wine
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skal import ActiveLearner
from skal.estimators import MixtureModelClassifier

threadpool_limits(1)  # small problems: extra BLAS threads only wait
X, y = load_wine(return_X_y=True)
X = StandardScaler().fit_transform(X)

gmm = GaussianMixture(3, covariance_type="diag", random_state=0)
on_pool = MixtureModelClassifier(gmm, classes=[0, 1, 2], missing_label=-1)
on_labels = MixtureModelClassifier(gmm, classes=[0, 1, 2])
learners = {
    "mixture on the pool, 4DS": ActiveLearner(
        on_pool, query_strategy="4ds", semi_supervised=True
    ),
    "mixture on the labels, 4DS": ActiveLearner(on_labels, query_strategy="4ds"),
    "mixture on the pool, random": ActiveLearner(
        on_pool, query_strategy="random", semi_supervised=True
    ),
}


# %%
# Simulate
# --------
# With ``budget`` set, ``fit`` runs the whole acquisition with ``y`` as the
# oracle; ``history_`` records ``pool_score``, the accuracy on the rows not
# labeled yet, after every round.
def curve(learner, seed):
    learner = learner.set_params(
        budget=30, n_initial=6, batch_size=2, random_state=seed
    ).fit(X, y)
    return [(h["n_labeled"], h["pool_score"]) for h in learner.history_]


curves = {
    name: np.mean([curve(learner, seed) for seed in range(5)], axis=0)
    for name, learner in learners.items()
}
for name, c in curves.items():
    print(f"{name:28s} accuracy at {int(c[0, 0])} labels {c[0, 1]:.3f}, "
          f"at {int(c[-1, 0])} labels {c[-1, 1]:.3f}")  # fmt: skip

# %%
# Plot
# ----
# The mixture fitted on the pool finds the three cultivars before any label:
# a few labels name its components. Fitted on the labeled rows only, the
# mixture has a handful of points for 3 x 13 means and variances.
fig, ax = plt.subplots(figsize=(6, 4))
for name, c in curves.items():
    ax.plot(c[:, 0], c[:, 1], marker="o", label=name)
ax.set_xlabel("labeled wines")
ax.set_ylabel("accuracy on the unlabeled wines")
ax.legend()
fig.tight_layout()
plt.show()
