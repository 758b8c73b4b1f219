"""
Active learning on a drifting stream
====================================

A rotating hyperplane whose two classes swap half-way (800 samples): a
:class:`~skal.stream.StreamActiveLearner` buys 10 % of the labels and refits a
logistic regression on the last 50 it bought. Variable uncertainty spends the
budget near the boundary; Split keeps a random share of the stream and
randomized variable uncertainty a random threshold, which notice a change
far from the boundary; random sampling is the baseline. The curves are the
prequential (test-then-train) accuracy over a sliding window of 100 samples.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression

from skal.stream import (
    StreamActiveLearner,
    make_rotating_hyperplane,
    prequential_evaluation,
)

X, y = make_rotating_hyperplane(800, swap_at=[400], noise=0.05, random_state=0)

fig, ax = plt.subplots(figsize=(7, 4))
for name in [
    "variable_uncertainty",
    "split",
    "randomized_variable_uncertainty",
    "random",
]:
    learner = StreamActiveLearner(
        LogisticRegression(),
        name,
        budget=0.1,
        classes=[0, 1],
        max_labeled=50,
        random_state=0,
    )
    result = prequential_evaluation(learner, X, y, n_initial=10)
    print(f"{name:32s} accuracy {result.accuracy:.3f}, {result.n_queried} labels")
    window = np.convolve(result.correct, np.ones(100) / 100, mode="valid")
    ax.plot(
        np.arange(window.size) + 110,
        window,
        label=f"{name} ({result.accuracy:.3f}, {result.budget_used:.2f} used)",
    )
ax.axvline(400, color="k", ls=":", label="classes swap")
ax.set_xlabel("sample")
ax.set_ylabel("prequential accuracy (window of 100)")
ax.set_ylim(0, 1)
ax.legend(fontsize=8, loc="lower left")
fig.tight_layout()
plt.show()
