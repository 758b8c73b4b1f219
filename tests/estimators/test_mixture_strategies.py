"""skal's mixture classifier drives 4DS as scikit-activeml's does: the same
picks, round after round, with the mixture fitted on the whole pool."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_blobs
from sklearn.frozen import FrozenEstimator
from sklearn.mixture import GaussianMixture

from skal import ActiveLearner
from skal.estimators import MixtureModelClassifier
from skal.strategies import FourDs


def _pool():
    X, y = make_blobs(240, centers=3, cluster_std=2.5, random_state=4)
    return X, y, np.arange(0, 240, 40)


@pytest.mark.parametrize("proba", ["model", "mixture"])
def test_four_ds_picks_as_skactiveml_round_after_round(proba):
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y, labeled = _pool()
    gmm = GaussianMixture(3, random_state=0)
    # the learner's classifier fits its mixture on every row (-1: unlabeled),
    # as scikit-activeml's does on its NaN-marked y; 4DS reads the same mixture
    ours = ActiveLearner(
        MixtureModelClassifier(gmm, classes=[0, 1, 2], missing_label=-1),
        query_strategy=FourDs(mixture=FrozenEstimator(clone_fit(gmm, X)), proba=proba),
        semi_supervised=True,
        random_state=0,
    )
    theirs_clf = classifier.MixtureModelClassifier(gmm, classes=[0, 1, 2])
    theirs = pool.FourDs(random_state=0)
    y_nan = np.full(len(y), np.nan)
    y_nan[labeled] = y[labeled]
    learner = ours.fit(X, np.where(np.isnan(y_nan), -1, y_nan).astype(int))
    picks = []
    for _ in range(10):
        q = theirs.query(X, y_nan, theirs_clf, batch_size=1)
        idx = learner.query()
        picks.append((int(idx[0]), int(q[0])))
        learner.teach(X[idx], y[idx])
        y_nan[q] = y[q]
    assert [a for a, _ in picks] == [b for _, b in picks], picks
    assert len({a for a, _ in picks}) == 10
    np.testing.assert_allclose(
        learner.estimator_.mixture_model_.means_, clone_fit(gmm, X).means_
    )


def clone_fit(mixture, X):
    return clone(mixture).fit(X)


def test_the_models_frequencies_are_four_ds_mixture_probabilities():
    X, y, labeled = _pool()
    gmm = GaussianMixture(3, random_state=0).fit(X)
    cmm = MixtureModelClassifier(gmm).fit(X[labeled], y[labeled])
    R, R_l = gmm.predict_proba(X), gmm.predict_proba(X[labeled])
    F = R @ (R_l.T @ (y[labeled, None] == np.arange(3)))  # FourDs(proba="mixture")
    np.testing.assert_allclose(cmm.predict_proba(X), F / F.sum(1, keepdims=True))


def test_a_frozen_pool_mixture_survives_the_learners_clone():
    X, y, labeled = _pool()
    gmm = GaussianMixture(3, random_state=0).fit(X)
    learner = ActiveLearner(MixtureModelClassifier(FrozenEstimator(gmm)))
    learner.fit(X, np.where(np.isin(np.arange(240), labeled), y, -1))
    np.testing.assert_array_equal(learner.estimator_.mixture_model_.means_, gmm.means_)
    # a plain fitted mixture is cloned unfitted and refitted on the 6 labels
    plain = ActiveLearner(MixtureModelClassifier(gmm))
    plain.fit(X, np.where(np.isin(np.arange(240), labeled), y, -1))
    assert np.abs(plain.estimator_.mixture_model_.means_ - gmm.means_).max() > 0.1


def test_a_missing_label_without_semi_supervised_is_warned():
    X, y, labeled = _pool()
    y_pool = np.where(np.isin(np.arange(240), labeled), y, -1)
    cmm = MixtureModelClassifier(GaussianMixture(3, random_state=0), missing_label=-1)
    with pytest.warns(UserWarning, match="MixtureModelClassifier learns from unlab"):
        ActiveLearner(cmm).fit(X, y_pool)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ActiveLearner(cmm, semi_supervised=True).fit(X, y_pool)
        ActiveLearner(MixtureModelClassifier()).fit(X, y_pool)
