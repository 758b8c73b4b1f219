"""
=======================================================
Regression strategies compared on the diabetes data set
=======================================================

scikit-learn's diabetes data (442 patients, 10 features, disease progression
after a year) with a Bayesian ridge regression, whose
``predict(X, return_std=True)`` gives the predictive law that the
look-ahead strategies need. Every strategy starts from the same 10 random
labels and queries 5 a round up to 50; the curves are the RMSE on a held-out
quarter, mean of 3 paired repeats:

- ``"random"``, ``"std"`` (the largest predictive std) and ``"gsx"`` (greedy
  sampling in input space) as references;
- ``"emcm"``: expected model change (Cai et al. 2013), bootstrap refits
  times the feature norm;
- ``"emvr"``: expected model variance reduction (Cohn 1996);
- ``"emoc"``: expected model output change (Käding et al. 2018);
- ``"kl_divergence"``: KL-divergence maximization (Elreedy et al. 2019);
- ``"regression_tree_diversity"``: the batch shared over a regression tree's
  leaves (Jose et al. 2023), farthest-first within each leaf.
"""

# %%
# The learners: one model, one strategy each. The look-ahead strategies
# refit once per candidate and target, so they score a random 30 of the
# candidates a round; two Gauss-Hermite nodes are exact for the squared
# change of a model whose mean is linear in the targets.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes
from sklearn.linear_model import BayesianRidge

from skal import ActiveLearner, compare
from skal.strategies import (
    ExpectedModelOutputChange,
    ExpectedModelVarianceReduction,
    KLDivergenceMaximization,
)

X, y = load_diabetes(return_X_y=True)
model = BayesianRidge()  # the features are already centred and scaled
strategies = {
    "random": "random",
    "std": "std",
    "gsx": "gsx",
    "emcm": "emcm",
    "emvr": ExpectedModelVarianceReduction(max_candidates=30),
    "emoc": ExpectedModelOutputChange(n_integration_points=2, max_candidates=30),
    "kl_divergence": KLDivergenceMaximization(max_candidates=30),
    "regression_tree_diversity": "regression_tree_diversity",
}
learners = {
    name: ActiveLearner(model, query_strategy=s, missing_label=np.nan)
    for name, s in strategies.items()
}

# %%
# Paired runs: the same split, initial labels and seed for every strategy.
result = compare(
    learners,
    X,
    y,
    budget=50,
    batch_size=5,
    n_initial=10,
    n_repeats=3,
    scoring="neg_root_mean_squared_error",
    random_state=0,
    progress=False,
)

# %%
# RMSE against the number of labels (lower is better).
fig, ax = plt.subplots(figsize=(7, 4.5))
for name, curve in result.items():
    n_labeled, score, _ = curve.mean_curve()
    ax.plot(n_labeled, -np.asarray(score), marker=".", label=name)
ax.set_xlabel("labels")
ax.set_ylabel("test RMSE")
ax.set_title("Bayesian ridge on diabetes, 3 paired repeats")
ax.legend(fontsize=8)
fig.tight_layout()

# %%
# The area under each curve (of the negated RMSE: higher is better), with
# the paired test against random sampling.
print(result.table())
