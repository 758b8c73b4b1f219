"""
Several noisy annotators: who should label what?
================================================

Four simulated annotators label the same two-moons pool: one careful but
expensive (5 % errors, cost 3), and three cheap ones (20 %, 35 % and 50 %
errors, cost 1; the last one guesses). Each query, margin sampling picks a
sample and the annotator selection decides who labels it:

- ``RandomAnnotators(1)``: one annotator drawn at random;
- ``"ie_thresh"``: IEThresh (Donmez et al., 2009), everyone whose upper
  confidence bound of agreement with the others reaches 0.9 times the best;
- ``"ie_thresh"`` with ``max_cost=3``: the same, but only the pairs of
  highest estimated accuracy per cost that fit a budget of 3 per query.

Labels are aggregated by majority vote; the plot shows the held-out accuracy
against the cost spent, and how many labels each annotator gave. See
:ref:`annotators` for the formulas.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.gaussian_process import GaussianProcessClassifier

from skal.annotators import MultiAnnotatorLearner, RandomAnnotators
from skal.loop import NoisyOracle

warnings.filterwarnings("ignore", "Only one class")

X, y = make_moons(400, noise=0.2, random_state=0)
X_pool, y_pool, X_test, y_test = X[:300], y[:300], X[300:], y[300:]
flip_rates, costs = [0.05, 0.2, 0.35, 0.5], [3.0, 1.0, 1.0, 1.0]

settings = {
    "one random annotator": {"annotator_selection": RandomAnnotators(1)},
    "IEThresh": {"annotator_selection": "ie_thresh"},
    "IEThresh, budget 3 per query": {"annotator_selection": "ie_thresh", "max_cost": 3},
}
fig, (ax_curve, ax_bars) = plt.subplots(1, 2, figsize=(11, 4))
for k, (name, params) in enumerate(settings.items()):
    oracle = NoisyOracle(y_pool, flip_rates, costs=costs, random_state=0)
    learner = MultiAnnotatorLearner(
        GaussianProcessClassifier(random_state=0),
        query_strategy="margin",
        annotator_costs=costs,
        random_state=0,
        **params,
    ).fit(X_pool, np.full((300, 4), -1))
    spent, accuracy = [], []
    while learner.cost_spent_ < 90:
        pairs = learner.query()
        labels = oracle.label(pairs[:, 0], annotators=pairs[:, 1])
        learner.teach(pairs[:, 0], pairs[:, 1], labels)
        if learner.estimator_ is not None and len(learner.classes_) == 2:
            spent.append(learner.cost_spent_)
            accuracy.append(learner.score(X_test, y_test))
    ax_curve.plot(spent, accuracy, label=name)
    asked = (learner.Y_ != -1).sum(axis=0)
    ax_bars.bar(np.arange(4) + 0.27 * (k - 1), asked, width=0.27, label=name)
    print(
        f"{name}: accuracy {accuracy[-1]:.3f} at cost {spent[-1]:.0f}, "
        f"labels per annotator {asked.tolist()}"
    )

ax_curve.set(xlabel="cost spent", ylabel="held-out accuracy")
ax_curve.legend()
ax_bars.set_xticks(
    range(4), [f"{r:.0%} errors\ncost {c:.0f}" for r, c in zip(flip_rates, costs)]
)
ax_bars.set(ylabel="labels given")
fig.tight_layout()
plt.show()
