"""
scikit-activeml: a simple evaluation study
==========================================

Ports scikit-activeml's *Pool-based Active Learning - Simple Evaluation
Study* tutorial
(https://scikit-activeml.github.io/latest/generated/tutorials/04_pool_simple_evaluation_study.html,
``tutorials/04_pool_simple_evaluation_study.ipynb``): query strategies
compared by cross-validation, each fold's training part the pool and its
test part held out, one seed per fold for every random component; here 100
points in two blobs (``make_blobs(n_samples=100, centers=2,
random_state=0)``), 5 stratified folds, 20 cycles of one label from no label,
a Gaussian-process classifier, random sampling against entropy-based
uncertainty sampling; the mean test accuracy per cycle is the learning
curve.

What a migrating user changes:

- ``SklearnClassifier(GaussianProcessClassifier())`` plus a query strategy
  become one ``ActiveLearner(GaussianProcessClassifier(),
  query_strategy="random" | "entropy")``, cloned per fold, started with
  ``fit(X_train, all -1)`` (a cold start: the first label is drawn at
  random in both libraries, as entropy is flat with no model).
- ``call_func(qs.query, X=..., y=..., clf=..., fit_clf=True, batch_size=1)``
  plus ``y[idx] = ...; clf.fit(X, y)`` become ``query()`` / ``teach``.
- The whole study is also one call, :func:`skal.compare` (paired repeats,
  confidence intervals and a test against random); the loop is kept here to
  mirror the tutorial.
- The tutorial's second pair, ``ParzenWindowClassifier`` with
  ``ProbabilisticAL``, becomes ``ActiveLearner(
  skal.estimators.ParzenWindowClassifier(classes=[0, 1]),
  query_strategy=ProbabilisticAL(frequencies="predict_freq"))``: the same
  classifier, and McPAL on its ``predict_freq`` (scikit-activeml's default,
  ``metric=None``). Until both classes are labeled skal queries at random
  (scikit-activeml scores McPAL on the one class it has).

Result (mean test accuracy over the 5 folds, after 1, 5 and 20 labels, and
the mean over the 20 cycles): skal random 0.50, 0.85, 0.90 (mean 0.859),
entropy 0.50, 0.92, 0.95 (mean **0.896**); scikit-activeml 1.0.1 on the same
folds (run here) random 0.50, 0.83, 0.94 (mean 0.856), entropy 0.50, 0.95,
0.96 (mean 0.904); with its Parzen window classifier, probabilistic AL
0.50, 0.79, 0.96 (0.879), skal's 0.50, 0.87, 0.94 (mean 0.889).
"""

import numpy as np
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.gaussian_process import GaussianProcessClassifier
from sklearn.model_selection import StratifiedKFold

from skal import ActiveLearner
from skal.estimators import ParzenWindowClassifier
from skal.strategies import ProbabilisticAL

X, y_true = make_blobs(n_samples=100, centers=2, random_state=0)
folds = StratifiedKFold(5, shuffle=True, random_state=0).split(X, y_true)
folds = list(folds)
n_cycles = 20

# The tutorial's second classifier, with probabilistic AL on its frequencies.
TEMPLATES = {
    name: ActiveLearner(GaussianProcessClassifier(), query_strategy=name)
    for name in ("random", "entropy")
}
TEMPLATES["pal (pwc)"] = ActiveLearner(
    ParzenWindowClassifier(classes=[0, 1]),
    query_strategy=ProbabilisticAL(frequencies="predict_freq"),
)

curves = {}
for strategy, template in TEMPLATES.items():
    fold_curves = []
    for k, (train, test) in enumerate(folds):
        learner = clone(template).set_params(random_state=k)
        if "estimator__random_state" in learner.get_params():
            learner.set_params(estimator__random_state=k)
        learner.fit(X[train], np.full(len(train), -1))
        accuracy = []
        for _ in range(n_cycles):
            idx = learner.query()
            learner.teach(X[train][idx], y_true[train][idx])
            accuracy.append(learner.score(X[test], y_true[test]))
        fold_curves.append(accuracy)
    curves[strategy] = np.mean(fold_curves, axis=0)

for name, curve in curves.items():
    print(
        f"{name:>9}: after 1, 5, 20 labels "
        + ", ".join(f"{curve[i]:.2f}" for i in (0, 4, 19))
        + f"; mean {curve.mean():.3f}"
    )
assert curves["entropy"].mean() > curves["random"].mean()
assert curves["entropy"][-1] > 0.9, curves
assert curves["pal (pwc)"].mean() > curves["random"].mean(), curves
