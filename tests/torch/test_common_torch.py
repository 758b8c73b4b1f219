"""scikit-learn's estimator checks on the torch estimators (tiny configurations)."""

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("skorch")

from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402
from skorch import NeuralNetClassifier  # noqa: E402

from skal import BayesianLearner  # noqa: E402
from skal.torch import MLP, MaskedAutoencoder, SkorchAdapter  # noqa: E402


def _net():
    return NeuralNetClassifier(
        MLP,
        module__n_classes=4,
        module__hidden_units=8,
        module__dropout=0.1,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=0.05,
        max_epochs=15,
        batch_size=256,
        train_split=None,
        verbose=0,
    )


ESTIMATORS = [
    SkorchAdapter(_net(), n_samples=3, min_steps=0),
    BayesianLearner(
        SkorchAdapter(_net(), n_samples=3, min_steps=0),
        n_samples=3,
        query_strategy="entropy",
    ),
    MaskedAutoencoder(
        patch_size=1,
        embed_dim=8,
        depth=1,
        num_heads=1,
        decoder_embed_dim=8,
        decoder_depth=1,
        decoder_num_heads=1,
        max_epochs=1,
    ),
]


def _expected_failed_checks(estimator):
    if not isinstance(estimator, BayesianLearner):
        return {}
    # The same two as every learner of tests/test_common.py, for the same reason.
    return {
        "check_classifiers_classes": "-1 marks unlabeled samples in y",
        "check_supervised_y_no_nan": (
            "NaN in y marks unlabeled rows (scikit-learn's semi-supervised "
            "convention): a y of all NaN is a cold start with no labels, not an error"
        ),
    }


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)
