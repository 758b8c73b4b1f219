"""
===============================================================
Tune a heterogeneous committee and its disagreement with a grid
===============================================================

A :class:`skal.Committee` of three different classifiers queries the wine
samples its members disagree on. Because the committee is a scikit-learn
estimator, one ``GridSearchCV`` tunes a member's hyper-parameter
(``lr__logisticregression__C``) and the disagreement measure
(``query_strategy__measure``) together: with ``budget`` set, each candidate
simulates a whole acquisition run on the training folds and is scored on the
held-out fold.
"""

# %%
# The committee: a logistic regression, a shallow tree and naive Bayes.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skal import Committee
from skal.strategies import QueryByCommittee

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

committee = Committee(
    [
        ("lr", make_pipeline(StandardScaler(), LogisticRegression())),
        ("tree", DecisionTreeClassifier(max_depth=3)),
        ("nb", GaussianNB()),
    ],
    query_strategy=QueryByCommittee(),
    budget=24,
    n_initial=6,
    batch_size=6,
    random_state=0,
)

# %%
# Grid search over a member's parameter and the disagreement measure.
grid = GridSearchCV(
    committee,
    {
        "lr__logisticregression__C": [0.01, 10.0],
        "query_strategy__measure": ["vote_entropy", "max_disagreement"],
    },
    cv=3,
).fit(X_train, y_train)

results = pd.DataFrame(grid.cv_results_)[
    [
        "param_lr__logisticregression__C",
        "param_query_strategy__measure",
        "mean_test_score",
    ]
].sort_values("mean_test_score", ascending=False)
print(results.to_string(index=False))
print("best:", grid.best_params_)
print(f"held-out accuracy with 24 labels: {grid.score(X_test, y_test):.3f}")

# %%
# The best committee's acquisition run: accuracy on the samples it has not
# asked for yet, after every round, against random sampling at the same
# budget.
best = grid.best_estimator_
random = Committee(
    best.estimators,
    query_strategy="random",
    budget=24,
    n_initial=6,
    batch_size=6,
    random_state=0,
).fit(X_train, y_train)

fig, ax = plt.subplots(figsize=(5, 3.5))
for learner, label in [(best, "query by committee"), (random, "random")]:
    n = [h["n_labeled"] for h in learner.history_]
    acc = [h.get("pool_score", np.nan) for h in learner.history_]
    ax.plot(n, acc, marker="o", label=label)
ax.set_xlabel("labeled samples")
ax.set_ylabel("accuracy on the rest of the pool")
ax.legend()
fig.tight_layout()
plt.show()
