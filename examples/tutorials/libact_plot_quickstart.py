"""
libact: the quick-start experiment (uncertainty vs. random)
===========================================================

Ports libact's quick-start script ``examples/plot.py``
(https://github.com/ntucllab/libact/blob/master/examples/plot.py, shown in
its README, https://libact.readthedocs.io): LIBSVM's binary *diabetes* set
(768 samples, 8 features, labels -1 / +1), a 67 / 33 train / test split, the
first 10 training rows labeled, then one query at a time until the pool is
empty (504 queries), the error on the training and the test rows after each.
It compares ``UncertaintySampling(method="lc")`` with a logistic regression
against ``RandomSampling``; here 3 seeded splits (libact's split is not
seeded), on the ``[-1, 1]``-scaled copy of the set in the project's data.

What a migrating user changes:

- libact's ``Dataset(X, [y_0, ..., y_9, None, ...])`` is kept as it is,
  with ``missing_label=None``: the labels are -1 / +1, so skal's default
  ``missing_label=-1`` would be a class (skal refuses that ``y``, naming
  ``missing_label``, rather than reading the -1 labels as unlabeled);
  ``IdealLabeler`` is the array ``y_train`` itself.
- ``UncertaintySampling(trn_ds, method="lc", model=LogisticRegression())``
  plus a second ``LogisticRegression`` for scoring become one
  ``ActiveLearner(LogisticRegression(), query_strategy="least_confidence")``;
  ``qs.make_query()`` / ``trn_ds.update(ask_id, lb)`` / ``model.train`` are
  ``learner.query()`` / ``learner.teach(X[idx], y[idx])``.
- ``1 - model.score(trn_ds)`` (libact scores the *labeled* rows) is
  ``1 - learner.score(X_train[labeled], y_train[labeled])``.
- Not in skal: libact's ``HintSVM`` (the third curve), which needs libact's
  own C extension.

Result (test error, mean over the 504 queries -- the area under libact's
``E_out`` curve -- and after 20 queries; 3 splits): skal least confidence
**0.249** (0.262 after 20), random 0.262 (0.304); scikit-activeml 1.0.1 run
here on the same splits, ``UncertaintySampling(method="least_confident")``
with ``SklearnClassifier(LogisticRegression())``, makes **the same 504
picks** on every split, so the same curve (0.249, 0.262). libact publishes
the figure only (no numbers): its uncertainty curve lies below random's
early and both meet as the pool runs out, as here.
"""

import os
from pathlib import Path

import numpy as np
from skactiveml.classifier import SklearnClassifier
from skactiveml.pool import UncertaintySampling
from skactiveml.utils import MISSING_LABEL
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from skal import ActiveLearner

DATA = os.environ.get("SKAL_DATA", Path(__file__).resolve().parents[3] / "shared/data")
data = np.load(Path(DATA) / "zhan2021/diabetes.npz")
X, y = data["X"], data["y"].astype(int)
n_labeled = 10


def skal_run(X_train, X_test, y_train, y_test, strategy, seed):
    # libact's Dataset(X, [y_0, ..., y_9, None, ...]), as it is
    y_pool = np.concatenate([y_train[:n_labeled], [None] * (len(y_train) - n_labeled)])
    learner = ActiveLearner(
        LogisticRegression(),
        query_strategy=strategy,
        missing_label=None,
        random_state=seed,
    ).fit(X_train, y_pool)
    E_in, E_out, picks = [], [], []
    while (~learner.labeled_mask_).any():
        idx = learner.query()
        learner.teach(X_train[idx], y_train[idx])
        labeled = learner.labeled_mask_
        E_in.append(1 - learner.score(X_train[labeled], y_train[labeled]))
        E_out.append(1 - learner.score(X_test, y_test))
        picks.append(int(idx[0]))
    return np.array(E_in), np.array(E_out), picks


def skactiveml_run(X_train, X_test, y_train, y_test, seed):
    y_pool = np.full(y_train.shape, MISSING_LABEL)
    y_pool[:n_labeled] = y_train[:n_labeled]
    clf = SklearnClassifier(LogisticRegression(), classes=[-1, 1])
    qs = UncertaintySampling(method="least_confident", random_state=seed)
    E_out, picks = [], []
    for _ in range(len(y_train) - n_labeled):
        idx = qs.query(X=X_train, y=y_pool, clf=clf)
        y_pool[idx] = y_train[idx]
        clf.fit(X_train, y_pool)
        E_out.append(1 - clf.score(X_test, y_test))
        picks.append(int(idx[0]))
    return np.array(E_out), picks


curves = {"skal lc": [], "skal random": [], "skactiveml lc": []}
same_picks = []
for seed in range(3):
    split = train_test_split(X, y, test_size=0.33, random_state=seed, stratify=y)
    _, e_lc, picks_lc = skal_run(*split, "least_confidence", seed)
    _, e_rnd, _ = skal_run(*split, "random", seed)
    e_peer, peer_picks = skactiveml_run(*split, seed)
    curves["skal lc"].append(e_lc)
    curves["skal random"].append(e_rnd)
    curves["skactiveml lc"].append(e_peer)
    same_picks.append(float(np.mean(np.array(picks_lc) == np.array(peer_picks))))

print(f"{'test error':16s} {'mean':>7s} {'@20':>7s} {'@100':>7s} {'@300':>7s}")
curves = {name: np.array(runs) for name, runs in curves.items()}
for name, runs in curves.items():
    at = runs.mean(axis=0)
    print(f"{name:16s} {at.mean():7.3f} {at[19]:7.3f} {at[99]:7.3f} {at[299]:7.3f}")
print("share of least-confidence picks equal to scikit-activeml's:", same_picks)

assert curves["skal lc"].shape == (3, 504)  # every row of the pool queried
assert min(same_picks) == 1.0, same_picks  # the same picks as scikit-activeml
np.testing.assert_allclose(curves["skal lc"], curves["skactiveml lc"])
assert curves["skal lc"][:, 19].mean() < curves["skal random"][:, 19].mean()
