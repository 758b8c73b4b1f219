"""
=========================================================
Expected average precision on digits
=========================================================

:class:`~skal.strategies.ExpectedAveragePrecision` (Wang et al. 2018,
scikit-activeml's ``UncertaintySampling(method="expected_average_precision")``)
scores each candidate by the expected average precision of the ranking of
the other candidates, class by class. Here it labels 10 digits a round from
10 random labels up to 80, on a random share of 500 candidates per query,
against entropy and random sampling, with :func:`skal.compare` (the same
initial labels and test split for all three, two paired repeats).
"""

# %%
# Digits and three learners that differ by their strategy only.
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner, compare
from skal.strategies import ExpectedAveragePrecision

X, y = load_digits(return_X_y=True)
strategies = {
    "random": "random",
    "entropy": "entropy",
    "expected average precision": ExpectedAveragePrecision(max_candidates=500),
}
learners = {
    name: ActiveLearner(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        query_strategy=strategy,
    )
    for name, strategy in strategies.items()
}

# %%
# 10 random labels, then 10 per round up to 80, on two paired repeats.
result = compare(
    learners,
    X,
    y,
    budget=80,
    batch_size=10,
    n_initial=10,
    n_repeats=2,
    random_state=0,
    progress=False,
)
print(result.table())

# %%
# Test accuracy against the number of labels. In this run neither strategy
# beats random sampling over two repeats (final accuracies 0.838 random, 0.831
# expected average precision, 0.819 entropy), and the expected average
# precision queries took 1.8 s in all against 0.01 s for entropy: 500
# candidates scored together, ten classes. Two repeats, not a benchmark.
result.plot()
plt.show()
