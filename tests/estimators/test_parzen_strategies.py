"""skal's Parzen window classifier drives McPAL and epistemic sampling as
scikit-activeml's does: the same picks, round after round."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skal import ActiveLearner
from skal.estimators import ParzenWindowClassifier
from skal.strategies import EpistemicUncertaintySampling, ProbabilisticAL


def _picks_side_by_side(X, y, labeled, ours, theirs, theirs_clf, n_rounds):
    """Query one label a round in both libraries, teaching both the same label."""
    y_nan = np.full(len(y), np.nan)
    y_nan[labeled] = y[labeled]
    learner = ours.fit(X, np.where(np.isnan(y_nan), -1, y_nan).astype(int))
    picks = []
    for _ in range(n_rounds):
        q = theirs.query(X, y_nan, theirs_clf, batch_size=1)
        idx = learner.query()
        picks.append((int(idx[0]), int(q[0])))
        learner.teach(X[idx], y[idx])
        y_nan[q] = y[q]
    return picks


@pytest.mark.parametrize("gamma, prior", [(0.3, 1.0), (1.0, 0.1)])
def test_mcpal_on_its_predict_freq_picks_as_skactiveml(gamma, prior):
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y = make_blobs(150, centers=3, cluster_std=1.5, random_state=0)
    pwc = {"classes": [0, 1, 2], "metric_dict": {"gamma": gamma}}
    ours = ActiveLearner(
        ParzenWindowClassifier(**pwc),
        query_strategy=ProbabilisticAL(prior, frequencies="predict_freq"),
        random_state=0,
    )
    # scikit-activeml's default metric=None reads its classifier's predict_freq
    theirs = pool.ProbabilisticAL(prior=prior, random_state=0)
    picks = _picks_side_by_side(
        X, y, np.arange(0, 150, 25), ours, theirs,
        classifier.ParzenWindowClassifier(**pwc), n_rounds=10,
    )  # fmt: skip
    assert [a for a, _ in picks] == [b for _, b in picks], picks
    assert len({a for a, _ in picks}) == 10


def test_epistemic_on_its_predict_freq_picks_as_skactiveml():
    pool = pytest.importorskip("skactiveml.pool")
    classifier = pytest.importorskip("skactiveml.classifier")
    X, y = make_blobs(200, centers=2, cluster_std=2.0, random_state=0)
    pwc = {"classes": [0, 1], "metric_dict": {"gamma": 0.2}}
    ours = ActiveLearner(
        ParzenWindowClassifier(**pwc),
        query_strategy=EpistemicUncertaintySampling(frequencies="predict_freq"),
        random_state=0,
    )
    theirs = pool.EpistemicUncertaintySampling(random_state=0)
    picks = _picks_side_by_side(
        X, y, np.arange(0, 200, 20), ours, theirs,
        classifier.ParzenWindowClassifier(**pwc), n_rounds=8,
    )  # fmt: skip
    assert [a for a, _ in picks] == [b for _, b in picks], picks


def test_the_strategies_kernel_gives_the_models_frequencies():
    X, y = make_blobs(120, centers=3, random_state=2)
    learner = ActiveLearner(
        ParzenWindowClassifier(metric_dict={"gamma": 0.4}), query_strategy="mcpal"
    )
    learner.fit(X, np.where(np.arange(120) % 9 == 0, y, -1))
    ctx = learner.query_context()
    own = ProbabilisticAL(metric_params={"gamma": 0.4}).label_frequencies(ctx)
    model = ProbabilisticAL(frequencies="predict_freq").label_frequencies(ctx)
    np.testing.assert_allclose(model, own, rtol=1e-12)
    by_hand = learner.estimator_.predict_freq(X[~learner.labeled_mask_])
    np.testing.assert_allclose(model, by_hand, rtol=1e-12)


def test_a_pipelines_parzen_window_gives_its_frequencies():
    X, y = make_blobs(100, centers=2, random_state=3)
    learner = ActiveLearner(
        make_pipeline(StandardScaler(), ParzenWindowClassifier(class_prior=1.0)),
        query_strategy=EpistemicUncertaintySampling(frequencies="predict_freq"),
    )
    learner.fit(X, np.where(np.arange(100) % 10 == 0, y, -1))
    scaler, pwc = learner.estimator_[0], learner.estimator_[-1]
    strategy = learner.query_strategy
    F = strategy.label_frequencies(learner.query_context())
    rows = X[~learner.labeled_mask_]
    np.testing.assert_allclose(F, pwc.predict_freq(scaler.transform(rows)))
    assert (
        learner.query()[0]
        == np.flatnonzero(~learner.labeled_mask_)[
            np.argmax(strategy.score(learner.query_context()))
        ]
    )


def test_a_model_without_predict_freq_is_named():
    X, y = make_blobs(60, centers=2, random_state=0)
    learner = ActiveLearner(
        LogisticRegression(),
        query_strategy=ProbabilisticAL(frequencies="predict_freq"),
    )
    learner.fit(X, np.where(np.arange(60) % 6 == 0, y, -1))
    with pytest.raises(TypeError, match=r"predict_freq.*ParzenWindowClassifier"):
        learner.query()


def test_one_labeled_class_queries_at_random_until_a_second():
    assert ProbabilisticAL(frequencies="predict_freq").requires_model is True
    assert ProbabilisticAL().requires_model is False  # its own Parzen window
    X, y = make_blobs(40, centers=2, random_state=0)
    learner = ActiveLearner(
        ParzenWindowClassifier(classes=[0, 1]),
        query_strategy=ProbabilisticAL(frequencies="predict_freq"),
        random_state=0,
    )
    first = np.flatnonzero(y == y[0])[:2]
    with pytest.warns(UserWarning, match="Only one class"):
        learner.fit(X, np.where(np.isin(np.arange(40), first), y, -1))
    with pytest.warns(UserWarning, match="querying at random"):
        idx = learner.query()
    assert not learner.labeled_mask_[idx].any()
