"""Multi-label strategies: loop-by-loop references, hand-computed picks, modAL."""

import os
import sys

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier
from sklearn.svm import LinearSVC

from skal import ActiveLearner
from skal.strategies import (
    LABEL_MEASURES,
    MMC,
    BinaryMinimum,
    LabelCardinalityInconsistency,
    LabelUncertainty,
    MaxLoss,
    MeanMaxLoss,
    QueryContext,
    binary_minimum,
    cardinality_inconsistency,
    label_uncertainty,
    max_loss,
    mean_max_loss,
    mmc_loss,
    resolve_strategy,
    separation_margin,
)

RNG = np.random.RandomState(0)
F = RNG.uniform(-2, 2, size=(30, 5))
P = RNG.uniform(0.01, 0.99, size=(30, 5))


def _context(decision=None, proba=None, predict=None, y_labeled=None, **kw):
    n = (decision if decision is not None else proba).shape[0]
    signals = {}
    for name, value in (("decision", decision), ("proba", proba), ("predict", predict)):
        if value is not None:
            signals[name] = lambda X, v=value: v[np.asarray(X)[:, 0].astype(int)]
    X_lab = None if y_labeled is None else np.zeros((len(y_labeled), 1))
    return QueryContext(
        np.arange(n).reshape(-1, 1),
        signals=signals,
        X_labeled=X_lab,
        y_labeled=y_labeled,
        random_state=0,
        **kw,
    )


# ---------------------------------------------------------------- references
def _ref_rows(f, func):
    return np.array([func(list(row)) for row in f])


def test_binary_minimum_reference():
    ref = _ref_rows(F, lambda r: -min(abs(v) for v in r))
    np.testing.assert_allclose(binary_minimum(F), ref)


def test_max_and_mean_max_loss_reference():
    def hinge(v):
        sign = 1.0 if v >= 0 else -1.0
        return max(0.0, 1.0 - sign * v)

    ref_max = _ref_rows(F, lambda r: max(hinge(v) for v in r))
    ref_mean = _ref_rows(F, lambda r: sum(hinge(v) for v in r) / len(r))
    np.testing.assert_allclose(max_loss(F), ref_max)
    np.testing.assert_allclose(mean_max_loss(F), ref_mean)


def test_mmc_loss_reference():
    m = RNG.randint(0, 6, size=F.shape[0])

    def ref(row, k):
        top = sorted(range(len(row)), key=lambda j: -row[j])[:k]
        return sum((1 - (1 if j in top else -1) * v) / 2 for j, v in enumerate(row))

    expected = np.array([ref(list(r), k) for r, k in zip(F, m)])
    np.testing.assert_allclose(mmc_loss(F, m), expected)


def test_separation_margin_and_lci_reference():
    def sep(row):
        pos = [v for v in row if v > 0]
        neg = [v for v in row if v <= 0]
        return (min(pos) if pos else 0.0) - (max(neg) if neg else 0.0)

    np.testing.assert_allclose(separation_margin(F), _ref_rows(F, sep))
    ref = _ref_rows(F, lambda r: abs(sum(v > 0 for v in r) - 2.2))
    np.testing.assert_allclose(cardinality_inconsistency(F, 2.2), ref)


def test_label_measures_reference():
    y = (P > 0.4).astype(float)  # predictions need not be p > 0.5
    h = -(P * np.log(P) + (1 - P) * np.log(1 - P))
    expected = {
        "mean_entropy": h.mean(axis=1),
        "mean_margin": 1 - np.abs(2 * P - 1).mean(axis=1),
        "min_confidence": -P.min(axis=1),
        "avg_confidence": P.mean(axis=1),
        "max_score": _ref_rows(P * (y - 0.5), max),
        "avg_score": _ref_rows(P * (y - 0.5), lambda r: sum(r) / len(r)),
    }
    assert set(expected) == set(LABEL_MEASURES)
    for name, ref in expected.items():
        np.testing.assert_allclose(label_uncertainty(P, name, y), ref, err_msg=name)


def test_unknown_measure():
    with pytest.raises(ValueError, match="Unknown measure 'nope'"):
        label_uncertainty(P, "nope")


# --------------------------------------------------------- hand-computed picks
def test_hand_computed_picks():
    f = np.array([[2.0, -0.5], [1.0, 3.0], [0.1, -2.0], [-1.5, -1.2]])
    ctx = _context(decision=f)
    assert BinaryMinimum().select(ctx, 2)[0].tolist() == [2, 0]
    np.testing.assert_allclose(BinaryMinimum().score(ctx), [-0.5, -1.0, -0.1, -1.2])
    np.testing.assert_allclose(MaxLoss().score(ctx), [0.5, 0.0, 0.9, 0.0])
    np.testing.assert_allclose(MeanMaxLoss().score(ctx), [0.25, 0.0, 0.45, 0.0])
    assert MeanMaxLoss().select(ctx, 1)[0].tolist() == [2]


def test_proba_only_model_uses_two_p_minus_one():
    p = np.array([[0.9, 0.45], [0.2, 0.7]])
    ctx = _context(proba=p)
    np.testing.assert_allclose(BinaryMinimum().score(ctx), [-0.1, -0.4])
    np.testing.assert_allclose(MeanMaxLoss().score(ctx), [0.55, 0.5])


def test_mmc_with_one_labeled_cardinality():
    f = np.array([[0.8, 0.2, -0.9], [0.9, -0.8, -0.9]])
    ctx = _context(decision=f, y_labeled=np.array([[1, 1, 0], [0, 1, 1]]))
    assert MMC().predict_cardinality(ctx).tolist() == [2, 2]
    np.testing.assert_allclose(MMC().score(ctx), [0.55, 1.0])


def test_mmc_predicts_cardinality_from_sorted_probabilities():
    X, Y = make_multilabel_classification(
        n_samples=120, n_features=6, n_classes=4, random_state=1
    )
    Y_pool = Y.copy()
    Y_pool[50:] = -1
    learner = ActiveLearner(
        OneVsRestClassifier(LogisticRegression()),
        query_strategy="mmc",
        random_state=0,
    ).fit(X, Y_pool)
    ctx = learner.query_context()
    model = learner.estimator_
    features = -np.sort(-model.predict_proba(X[:50]), axis=1)
    counts = Y[:50].sum(axis=1)
    lr = LogisticRegression(max_iter=1000).fit(features, counts)
    m = lr.predict(-np.sort(-model.predict_proba(X[50:]), axis=1))
    assert len(set(m.tolist())) > 1  # the counts do vary
    np.testing.assert_array_equal(MMC().predict_cardinality(ctx), m)
    scores = MMC().score(ctx)
    np.testing.assert_allclose(scores, mmc_loss(model.decision_function(X[50:]), m))
    top = 50 + np.argsort(-scores)[:3]
    assert learner.query(batch_size=3).tolist() == top.tolist()


def test_lci_and_its_beta_combination():
    f = np.array([[1.0, 1.0, -1.0], [-1.0, -1.0, -1.0], [0.5, -0.25, 2.0]])
    y_lab = np.array([[1, 0, 0], [1, 1, 0]])  # mean cardinality 1.5
    ctx = _context(decision=f, y_labeled=y_lab)
    c = np.array([0.5, 1.5, 0.5])
    np.testing.assert_allclose(LabelCardinalityInconsistency().score(ctx), c)
    u = 1 / np.array([2.0, 1.0, 0.75])
    np.testing.assert_allclose(
        LabelCardinalityInconsistency(beta=0.5).score(ctx), np.sqrt(u * c)
    )
    np.testing.assert_allclose(LabelCardinalityInconsistency(beta=1).score(ctx), u)
    assert LabelCardinalityInconsistency(beta=1).select(ctx, 1)[0].tolist() == [2]


def test_beta_is_validated():
    ctx = _context(decision=F, y_labeled=np.array([[1, 0, 0, 0, 0]]))
    with pytest.raises(ValueError, match="'beta' parameter of Label"):
        LabelCardinalityInconsistency(beta=2.0).select(ctx, 1)


def test_score_measures_use_the_model_predictions():
    p = np.array([[0.6, 0.3], [0.45, 0.2]])
    y = np.array([[0, 0], [1, 0]])  # not p > 0.5: the model's own predict
    ctx = _context(proba=p, predict=y)
    np.testing.assert_allclose(LabelUncertainty("max_score").score(ctx), [-0.15, 0.225])
    assert LabelUncertainty("max_score").select(ctx, 1)[0].tolist() == [1]


def test_registry_names():
    assert resolve_strategy("max_score").get_params() == {"measure": "max_score"}
    assert isinstance(resolve_strategy("lci"), LabelCardinalityInconsistency)
    assert resolve_strategy("binary_minimum").label_types == ("multilabel",)


def test_multioutput_without_proba_or_decision_names_the_signal():
    X, Y = make_multilabel_classification(n_samples=60, n_classes=3, random_state=0)
    Y_pool = Y.copy()
    Y_pool[20:] = -1
    learner = ActiveLearner(
        MultiOutputClassifier(LinearSVC()), query_strategy="binary_minimum"
    ).fit(X, Y_pool)
    with pytest.raises(TypeError, match="BinaryMinimum.*needs predict_proba"):
        learner.query()


# -------------------------------------------------------------------- modAL
MODAL_DIR = "/work/notes/modal_pkg"


@pytest.fixture(scope="module")
def modal_multilabel():
    if os.path.isdir(MODAL_DIR) and MODAL_DIR not in sys.path:
        sys.path.append(MODAL_DIR)
    return pytest.importorskip("modAL.multilabel")


@pytest.mark.parametrize(
    "name", ["min_confidence", "avg_confidence", "max_score", "avg_score"]
)
def test_agrees_with_modal(modal_multilabel, name):
    X, Y = make_multilabel_classification(
        n_samples=120, n_features=6, n_classes=4, random_state=2
    )
    Y_pool = Y.copy()
    Y_pool[30:] = -1
    learner = ActiveLearner(
        OneVsRestClassifier(LogisticRegression()), query_strategy=name
    ).fit(X, Y_pool)
    idx, scores = learner.query(batch_size=5, return_scores=True)
    theirs, values = getattr(modal_multilabel, name)(learner.estimator_, X[30:], 5)
    assert sorted(idx.tolist()) == sorted((30 + theirs).tolist())
    sign = -1 if name == "min_confidence" else 1  # modAL returns min_l p_l
    np.testing.assert_allclose(np.sort(scores), np.sort(sign * values))


def test_binary_minimum_agrees_with_modal(modal_multilabel):
    X, Y = make_multilabel_classification(
        n_samples=120, n_features=6, n_classes=4, random_state=3
    )
    Y_pool = Y.copy()
    Y_pool[30:] = -1
    learner = ActiveLearner(
        OneVsRestClassifier(LinearSVC()), query_strategy="binary_minimum"
    ).fit(X, Y_pool)

    class Wrapped:  # modAL reads classifier.estimator.estimators_
        estimator = learner.estimator_

    theirs = modal_multilabel.SVM_binary_minimum(Wrapped(), X[30:])
    assert learner.query().tolist() == [30 + int(theirs)]
