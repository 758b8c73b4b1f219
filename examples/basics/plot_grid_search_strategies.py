"""
=========================================
Tune the query strategy with GridSearchCV
=========================================

With ``budget=B``, :meth:`skal.ActiveLearner.fit` simulates a whole labeling
run on the training fold: it treats ``y`` as a hidden oracle, starts from
``n_initial`` random labels and queries ``batch_size`` samples a round until
``B`` labels are spent. The held-out fold then scores the model trained on
what was acquired, so ``GridSearchCV`` ranks strategies, their parameters and
batch sizes at that budget, with no new concepts.
"""

# %%
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner
from skal.strategies import RandomSampling, UncertaintySampling

X, y = load_breast_cancer(return_X_y=True)
learner = ActiveLearner(
    make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
    budget=30,
    n_initial=6,
    random_state=0,
)
grid = GridSearchCV(
    learner,
    [
        {"query_strategy": [RandomSampling()], "batch_size": [4, 12]},
        {
            "query_strategy": [UncertaintySampling()],
            "query_strategy__measure": ["entropy", "margin", "least_confidence"],
            "batch_size": [4, 12],
        },
    ],
    cv=5,
).fit(X, y)

results = pd.DataFrame(grid.cv_results_)[
    [
        "param_query_strategy",
        "param_query_strategy__measure",
        "param_batch_size",
        "mean_test_score",
        "rank_test_score",
    ]
].sort_values("rank_test_score")
print(results.to_string(index=False))
print("best:", grid.best_params_)
