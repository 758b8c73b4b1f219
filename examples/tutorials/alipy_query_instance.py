"""
ALiPy: comparing instance-query strategies with the ToolBox
===========================================================

Ports ALiPy's example of querying instances with its ``ToolBox``
(``examples/AL_settings/query_instance.py`` in
https://github.com/NUAA-AL/ALiPy, the "Query strategies" example of
http://parnec.nuaa.edu.cn/huangsj/alipy): 500 points of
``make_classification(n_features=20, n_informative=2, n_redundant=2,
flip_y=0.01)``, ``split_AL(test_ratio=0.3, initial_label_rate=0.1)`` (350
training rows of which 35 are labeled, 150 test rows), the default model (a
``LogisticRegression(solver="liblinear")``), 50 queries of one sample, on 5
splits; the strategies are uncertainty (entropy), query by committee, expected
error reduction, QUIRE, graph density, LAL and random, and the analyser
reports the mean accuracy curve.

What a migrating user changes:

- ``alibox.split_AL(...)`` / ``get_split(round)`` is a ``train_test_split``
  and ``y`` with ``-1`` for the rows outside ``label_ind``; ``label_ind`` /
  ``unlab_ind`` bookkeeping (``update`` / ``difference_update``) is the
  learner's ``labeled_mask_``.
- ``strategy.select(label_ind, unlab_ind, batch_size=1)`` is
  ``learner.query()``; ``QueryInstanceUncertainty`` is ``"entropy"``,
  ``QueryInstanceQUIRE`` is ``"quire"``, ``QueryInstanceRandom`` is
  ``"random"``, ``QueryExpectedErrorReduction`` is ``"eer"`` (here with
  ``max_candidates=20``: it refits the model for every candidate and class,
  as ALiPy's does), and ``QueryInstanceQBC`` (a committee bagged from the
  model) is ``Committee(estimator=model, n_members=10, bootstrap=True,
  query_strategy="vote_entropy")``.
- As in ALiPy, the accuracy is that of the default model fitted on the
  labeled rows (for QBC too, not the committee's vote); the ``StateIO`` saver
  and the ``ExperimentAnalyser`` are a list of accuracies per round.
- Not in skal: ``QueryInstanceGraphDensity`` (Ebert et al.'s graph density;
  skal's ``"density"`` is information density, a different score),
  ``QueryInstanceLAL`` (it downloads a pretrained regressor), and BMDR / SPAL
  (ALiPy needs cvxpy for them, off by default in the example).

Result (test accuracy after each of the 50 queries, mean over the queries
and the 5 splits; after the first and the last query): skal entropy
**0.767** (0.713 → 0.788), QBC 0.779 (0.737 → 0.788), EER on 20 candidates
0.777 (0.739 → 0.807), QUIRE 0.768 (0.733 → 0.791), random 0.757 (0.717 →
0.781). scikit-activeml 1.0.1, run here on the same splits:
``UncertaintySampling(method="entropy")`` with the same logistic regression
makes **the same 250 picks** as skal's entropy, and ``Quire(classes=[0, 1])``
the same picks as skal's QUIRE (its first 10 queries on 2 splits; it takes
0.4 s a query). ALiPy is not installed here; its example publishes no
numbers (it prints the analyser's table and plots the curves of its own,
unseeded, run).
"""

import numpy as np
from skactiveml.classifier import SklearnClassifier
from skactiveml.pool import Quire, UncertaintySampling
from skactiveml.utils import MISSING_LABEL
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skal import ActiveLearner, Committee
from skal.strategies import ExpectedErrorReduction

X, y = make_classification(
    n_samples=500,
    n_features=20,
    n_informative=2,
    n_redundant=2,
    n_repeated=0,
    n_classes=2,
    n_clusters_per_class=2,
    flip_y=0.01,
    class_sep=1.0,
    random_state=0,
)
model = LogisticRegression(solver="liblinear")  # ALiPy's get_default_model()
n_rounds, n_queries = 5, 50


def splits():
    for round_ in range(n_rounds):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.3, random_state=round_, stratify=y
        )
        rng = np.random.RandomState(round_)
        initial = rng.choice(len(y_train), size=35, replace=False)  # 10 %
        yield round_, X_train, X_test, y_train, y_test, initial


def learners(seed):
    return {
        "entropy": ActiveLearner(model, query_strategy="entropy"),
        "QBC": Committee(
            estimator=model,
            n_members=10,
            bootstrap=True,
            query_strategy="vote_entropy",
            random_state=seed,
        ),
        "EER": ActiveLearner(
            model,
            query_strategy=ExpectedErrorReduction(max_candidates=20),
            random_state=seed,
        ),
        "QUIRE": ActiveLearner(model, query_strategy="quire"),
        "random": ActiveLearner(model, query_strategy="random", random_state=seed),
    }


def accuracy(X_train, y_labeled, labeled, X_test, y_test):
    fitted = clone(model).fit(X_train[labeled], y_labeled[labeled])
    return fitted.score(X_test, y_test)


curves = {name: [] for name in learners(0)}
picks = {name: [] for name in ("entropy", "QUIRE")}
for round_, X_train, X_test, y_train, y_test, initial in splits():
    y_pool = np.full_like(y_train, -1)
    y_pool[initial] = y_train[initial]
    for name, learner in learners(round_).items():
        learner.fit(X_train, y_pool)
        curve, chosen = [], []
        for _ in range(n_queries):
            idx = learner.query()
            learner.teach(X_train[idx], y_train[idx])
            chosen.append(int(idx[0]))
            curve.append(
                accuracy(X_train, learner.y_, learner.labeled_mask_, X_test, y_test)
            )
        curves[name].append(curve)
        if name in picks:
            picks[name].append(chosen)

# scikit-activeml on the same splits: entropy (all 50 queries) and QUIRE (the
# first 10 queries of 2 splits: its QUIRE takes 0.4 s a query here)
peer_queries = {"entropy": (n_rounds, n_queries), "QUIRE": (2, 10)}
peer = {"entropy": [], "QUIRE": []}
for round_, X_train, X_test, y_train, y_test, initial in splits():
    for name, (rounds, queries) in peer_queries.items():
        if round_ >= rounds:
            continue
        y_known = np.full(y_train.shape, MISSING_LABEL)
        y_known[initial] = y_train[initial]
        clf = SklearnClassifier(clone(model), classes=[0, 1])
        chosen = []
        for _ in range(queries):
            if name == "entropy":
                qs = UncertaintySampling(method="entropy", random_state=round_)
                idx = qs.query(X=X_train, y=y_known, clf=clf)
            else:
                qs = Quire(classes=[0, 1], random_state=round_)
                idx = qs.query(X=X_train, y=y_known)
            y_known[idx] = y_train[idx]
            chosen.append(int(idx[0]))
        peer[name].append(chosen)

print(f"{'strategy':10s} {'mean acc':>8s} {'first':>6s} {'last':>6s}")
summary = {}
for name, runs in curves.items():
    runs = np.array(runs)
    summary[name] = runs.mean()
    first, last = runs[:, 0].mean(), runs[:, -1].mean()
    print(f"{name:10s} {runs.mean():8.3f} {first:6.3f} {last:6.3f}")
same = {}
for name, (rounds, queries) in peer_queries.items():
    ours = np.array(picks[name])[:rounds, :queries]
    same[name] = float(np.mean(ours == np.array(peer[name])))
print("share of picks equal to scikit-activeml's:", same)

assert np.array(curves["entropy"]).shape == (n_rounds, n_queries)
assert same["entropy"] == 1.0 and same["QUIRE"] == 1.0, same
assert summary["entropy"] > summary["random"], summary
