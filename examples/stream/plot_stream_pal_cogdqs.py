"""
Stream PAL and the cognitive dual-query strategies against the budget
=====================================================================

A rotating hyperplane whose classes swap half-way (600 samples, as in
:ref:`the drift example <sphx_glr_auto_examples_stream_plot_stream_drift.py>`),
a logistic regression refit on the last 50 labels bought, and three
budgets. Probabilistic active learning
(:class:`~skal.stream.StreamProbabilisticAL`) scores each sample by McPAL's
expected gain from the Parzen counts of those labels and lets the balanced
quantile filter pick the top share; the cognitive dual-query strategies
(:class:`~skal.stream.CognitiveDualQuery`, randomized variable uncertainty,
and :class:`~skal.stream.CognitiveDualQueryVariable`) ask only in dense
regions of a ten-sample cognition window. Variable uncertainty is the
reference. Each point is the prequential (test-then-train) accuracy against
the share of the stream actually labeled: CogDQS spends its budget on the
dense samples only, so it labels less of the stream than it is allowed.
"""

import matplotlib.pyplot as plt
from sklearn.linear_model import LogisticRegression

from skal.stream import (
    CognitiveDualQuery,
    CognitiveDualQueryVariable,
    StreamActiveLearner,
    StreamProbabilisticAL,
    make_rotating_hyperplane,
    prequential_evaluation,
)

X, y = make_rotating_hyperplane(600, swap_at=[300], noise=0.05, random_state=0)
strategies = {
    "variable uncertainty": "variable_uncertainty",
    "stream PAL": StreamProbabilisticAL(metric_params={"gamma": 2.0}),
    "CogDQS (randomized)": CognitiveDualQuery(),
    "CogDQS (variable)": CognitiveDualQueryVariable(),
}
budgets = [0.05, 0.1, 0.2]

fig, ax = plt.subplots(figsize=(6, 4))
for label, strategy in strategies.items():
    used, accuracy = [], []
    for budget in budgets:
        learner = StreamActiveLearner(
            LogisticRegression(),
            strategy,
            budget=budget,
            classes=[0, 1],
            max_labeled=50,
            random_state=0,
        )
        result = prequential_evaluation(learner, X, y, n_initial=10)
        used.append(result.budget_used)
        accuracy.append(result.accuracy)
    print(label, [f"{u:.2f}: {a:.3f}" for u, a in zip(used, accuracy)])
    ax.plot(used, accuracy, marker="o", label=label)
ax.set_xlabel("share of the stream labeled")
ax.set_ylabel("prequential accuracy")
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()
