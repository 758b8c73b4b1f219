"""
modAL: the scikit-learn workflow
================================

Ports modAL's *sklearn workflow* example (``examples/sklearn_workflow.py`` in
https://github.com/modAL-python/modAL): an ``ActiveLearner`` around a random
forest used as a scikit-learn estimator: ``get_params``, ``clone``, and, as
its documentation promises, inside ``Pipeline``, ``cross_val_score`` and
``GridSearchCV``.

The original does not run on modAL 0.4.2 (run here with scikit-learn 1.9,
its renamed ``ensure_all_finite`` patched in): its one call,
``ActiveLearner(estimator=RandomForestClassifier()).get_params()``, raises
``AttributeError: 'ActiveLearner' object has no attribute 'bootstrap_init'``,
and so do ``clone``, ``cross_val_score`` and ``GridSearchCV`` on it; in a
``Pipeline`` it raises ``NotFittedError``.

What a migrating user changes: nothing in the workflow; the learner is a
scikit-learn estimator (``__init__`` only stores its arguments, ``fit``
trains). With ``budget=B``, ``fit`` simulates a labeling run on the training
fold (``y`` as the hidden oracle), so ``cross_val_score`` scores "what the
strategy acquires with B labels" and ``GridSearchCV`` ranks strategies.

Result (iris): skal runs every step: ``cross_val_score`` of margin sampling
with 15 labels per fold **0.967**; ``GridSearchCV`` picks margin with batch
size 1 (0.967, against random and entropy); the pipeline ending in a learner
with 3 labels scores 0.800. modAL: not at all (the errors above).
"""

import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner

X, y = load_iris(return_X_y=True)

learner = ActiveLearner(estimator=RandomForestClassifier(n_estimators=20))
print(sorted(learner.get_params(deep=False)))
twin = clone(learner)
assert twin.get_params()["query_strategy"] == "entropy"

# An active learner whose estimator is a pipeline, in a cross-validation:
# each training fold is a simulated run of 15 labels (5 random + 10 queried).
cv = StratifiedKFold(5, shuffle=True, random_state=0)
pipe_learner = ActiveLearner(
    make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)),
    query_strategy="margin",
    budget=15,
    n_initial=5,
    random_state=0,
)
cv_scores = cross_val_score(pipe_learner, X, y, cv=cv)
print(f"cross_val_score, 15 labels per fold: {cv_scores.mean():.3f}")

# The strategy and the batch size tuned like any hyper-parameter.
grid = GridSearchCV(
    pipe_learner,
    {"query_strategy": ["random", "margin", "entropy"], "batch_size": [1, 5]},
    cv=cv,
).fit(X, y)
print("best:", grid.best_params_, f"{grid.best_score_:.3f}")

# ... and the learner as the last step of a Pipeline.
y_partial = np.full(len(y), -1)
y_partial[[0, 50, 100]] = y[[0, 50, 100]]
pipe = make_pipeline(
    StandardScaler(),
    ActiveLearner(LogisticRegression(), query_strategy="margin", random_state=0),
).fit(X, y_partial)
print(f"pipeline with 3 labels: {pipe.score(X, y):.3f}")

assert cv_scores.mean() > 0.85, cv_scores
assert grid.best_score_ >= cv_scores.mean()
