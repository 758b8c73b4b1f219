"""Every registered strategy name keeps the labeled-set invariants on every container.

Each name runs on the learner the command line builds for it (``skal
compare``), on small real data, for two rounds of ``query`` and ``teach``:

- a batch has ``min(batch_size, pool size)`` distinct pool positions and
  never a labeled row; after ``teach`` of the picks (in any order) exactly
  those rows are labeled;
- the container does not change the answer: a DataFrame of the same
  values, or the labels as strings with ``None`` for the missing ones,
  give the same picks as the NumPy array with ``-1``;
- a sparse pool works (or, for a network, is refused with scikit-learn's
  "dense data is required"), duplicate rows and classes nobody labeled
  yet are handled, and a batch larger than the pool takes the whole pool;
- a cold start (nothing labeled) picks a first batch, with the strategy
  itself when it needs neither a model nor labels, and a second one after
  ``teach``.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris
from sklearn.preprocessing import StandardScaler

from skal._cli_learners import NET_STRATEGIES, build_learners, strategies_for
from skal.strategies import resolve_strategy

CLASSIFICATION = strategies_for("classification")
REGRESSION = strategies_for("regression")
FAST_FIT = {"eer", "voi"}  # refit per candidate and class: naive Bayes
TWO_CLASS = {"epistemic"}  # defined for binary problems only
NAMES = [("classification", s) for s in CLASSIFICATION] + [
    ("regression", s) for s in REGRESSION
]


def _learner(task, name, *, batch_size, n_features, n_classes, sparse=False):
    estimator = "auto"
    if task == "regression":
        estimator = "bayes-ridge"  # a predictive std, and fast refits
    elif name in FAST_FIT:
        model = "MultinomialNB" if sparse else "GaussianNB"  # sparse: counts
        estimator = f"sklearn.naive_bayes:{model}"
    elif sparse and name not in NET_STRATEGIES:
        estimator = "sklearn.linear_model:LogisticRegression"  # no centring
    learners, _, _ = build_learners(
        [name],
        task=task,
        estimator=estimator,
        batch_size=batch_size,
        n_features=n_features,
        n_classes=n_classes,
    )
    learner = learners[name]
    strategy = resolve_strategy(name)
    if "n_steps" in strategy.get_params():  # VAAL, MAL: a shorter training
        learner.set_params(query_strategy=strategy.set_params(n_steps=40))
    return learner.set_params(random_state=0)


def _two_rounds(learner, X, y, labeled, y_pool, batch_size):
    """Query, teach the picks in reverse order, query again; check each batch."""
    picks, labeled = [], labeled.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if y_pool is not None:  # None: fitted already
            learner.fit(X, y_pool)
        for _ in range(2):
            n_pool = int((~labeled).sum())
            if n_pool == 0:
                break
            idx = np.asarray(learner.query())
            assert idx.shape == (min(batch_size, n_pool),)
            assert np.unique(idx).shape == idx.shape, idx
            assert not labeled[idx].any(), idx[labeled[idx]]
            picks.append(idx.tolist())
            back = idx[::-1]
            learner.teach(X.iloc[back] if hasattr(X, "iloc") else X[back], y[back])
            labeled[idx] = True
            np.testing.assert_array_equal(learner.labeled_mask_, labeled)
    return picks


def _iris(n=60):
    X, y = load_iris(return_X_y=True)
    keep = np.random.RandomState(0).permutation(y.shape[0])[:n]
    X, y = StandardScaler().fit_transform(X[keep]), y[keep]
    labeled = np.zeros(n, dtype=bool)
    for c in np.unique(y):
        labeled[np.flatnonzero(y == c)[:2]] = True
    return X, y, labeled


def _binary(n=80):
    X, y = load_breast_cancer(return_X_y=True)
    X, y = StandardScaler().fit_transform(X[:n]), y[:n]
    labeled = np.zeros(n, dtype=bool)
    for c in (0, 1):
        labeled[np.flatnonzero(y == c)[:3]] = True
    return X, y, labeled


def _classification_base(name):
    return _binary() if name in TWO_CLASS else _iris()


@pytest.mark.parametrize("task, name", NAMES, ids=[f"{t}-{s}" for t, s in NAMES])
def test_the_containers_give_the_same_picks(task, name):
    if task == "regression":
        X, y = load_diabetes(return_X_y=True)
        X, y = X[:60], y[:60]
        labeled = np.arange(60) < 6
        y_pool, missing = np.where(labeled, y, np.nan), np.nan
        n_classes = None
    else:
        X, y, labeled = _classification_base(name)
        y_pool, missing = np.where(labeled, y, -1), -1
        n_classes = np.unique(y).shape[0]

    def run(X, y, y_pool, missing_label):
        learner = _learner(
            task, name, batch_size=5, n_features=X.shape[1], n_classes=n_classes
        )
        learner.set_params(missing_label=missing_label)
        return _two_rounds(learner, X, y, labeled, y_pool, 5)

    base = run(X, y, y_pool, missing)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    assert run(frame, y, y_pool, missing) == base
    if task == "classification":
        names = np.array([f"class {c}" for c in np.unique(y)], dtype=object)
        y_str = names[y]
        y_str_pool = np.where(labeled, y_str, None).astype(object)
        assert run(X, y_str, y_str_pool, None) == base


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_sparse_duplicates_unseen_classes_and_a_batch_past_the_pool(name):
    X, y, labeled = _classification_base(name)

    def run(X, y, labeled, batch_size, **kwargs):
        learner = _learner(
            "classification",
            name,
            batch_size=batch_size,
            n_features=X.shape[1],
            n_classes=np.unique(y).shape[0],
            **kwargs,
        ).set_params(missing_label=-1)
        return _two_rounds(learner, X, y, labeled, np.where(labeled, y, -1), batch_size)

    X_sparse = sp.csr_matrix(np.abs(X))
    if name in NET_STRATEGIES:
        with pytest.raises(TypeError, match="dense data is required"):
            run(X_sparse, y, labeled, 5, sparse=True)
    else:
        run(X_sparse, y, labeled, 5, sparse=True)
    # 20 unlabeled copies of rows already in the pool
    X_dup, y_dup = np.vstack([X, X[:20]]), np.r_[y, y[:20]]
    run(X_dup, y_dup, np.r_[labeled, np.zeros(20, dtype=bool)], 5)
    # one round takes every pool row
    (whole,) = run(X, y, labeled, 100)
    assert sorted(whole) == np.flatnonzero(~labeled).tolist()
    if name not in TWO_CLASS:  # 10 digits, only three of them labeled
        X, y = load_digits(return_X_y=True)
        X, y = X[:100] / 16, y[:100]
        seen = np.zeros(100, dtype=bool)
        for c in (0, 1, 2):
            seen[np.flatnonzero(y == c)[:2]] = True
        run(X, y, seen, 5)


@pytest.mark.parametrize("task, name", NAMES, ids=[f"{t}-{s}" for t, s in NAMES])
def test_a_cold_start_then_a_second_batch(task, name):
    if task == "regression":
        X, y = load_diabetes(return_X_y=True)
        X, y, missing, n_classes = X[:60], y[:60], np.nan, None
    else:
        X, y, _ = _classification_base(name)
        missing, n_classes = -1, np.unique(y).shape[0]
    learner = _learner(
        task, name, batch_size=5, n_features=X.shape[1], n_classes=n_classes
    )
    learner.set_params(missing_label=missing)
    strategy = resolve_strategy(name)
    own = not (strategy.requires_model or strategy.requires_labels)
    assert (
        learner.fit(X, np.full(y.shape[0], missing)).initial_strategy_
        is (learner.query_strategy_)
    ) == own
    _two_rounds(learner, X, y, np.zeros(y.shape[0], dtype=bool), None, 5)


def test_a_two_class_strategy_names_its_limit_on_three_classes():
    X, y, labeled = _iris()
    learner = _learner(
        "classification", "epistemic", batch_size=5, n_features=4, n_classes=3
    )
    with pytest.raises(ValueError, match="defined for two classes only"):
        learner.fit(X, np.where(labeled, y, -1))  # at fit, not at the query
