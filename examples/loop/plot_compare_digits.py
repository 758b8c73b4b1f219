"""
===================================================
Compare five query strategies on handwritten digits
===================================================

Before paying for labels, simulate: hide the labels of a data set you already
have, let each strategy ask for them, and watch the test accuracy grow with
the number of labels. :func:`skal.compare` gives every strategy the same
initial labels, the same seeds and the same test set, so the curves differ
only by how the strategies choose.
"""

# %%
# Five learners that differ only by their query strategy.
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner, compare

X, y = load_digits(return_X_y=True)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
strategies = ["random", "entropy", "margin", "least_confidence", "ratio"]
learners = {s: ActiveLearner(model, query_strategy=s) for s in strategies}

# %%
# Simulate: 10 random labels, then 10 queried labels a round up to 120.
# A stratified quarter of the digits is held out as the test set.
result = compare(
    learners,
    X,
    y,
    budget=120,
    batch_size=10,
    n_initial=10,
    n_repeats=2,
    random_state=0,
    progress=False,
)

# %%
# The table ranks the strategies by the area under the learning curve (the
# mean test accuracy over the budget) with its 95 % confidence interval,
# tests each against random sampling repeat by repeat (paired t-test and
# Wilcoxon), and says how many labels each needs to reach 95 % of the best
# final accuracy. Two repeats are too few for a verdict, and it says so.
print(result.table())

# %%
# The curves: the mean over repeats, with its 95 % confidence band.
ax = result.plot(title="digits, logistic regression: 2 repeats")
plt.show()

# %%
# The curves are plain data: save them as JSON, reload them, or turn them
# into a pandas DataFrame.
frame = result.to_frame()
print(frame.groupby("learner")["score"].max().round(3))
