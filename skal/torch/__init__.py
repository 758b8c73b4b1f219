"""Deep active learning with PyTorch through skorch.

This subpackage needs ``torch`` and ``skorch``; ``import skal`` never
imports it.
"""

try:
    import skorch  # noqa: F401
    import torch  # noqa: F401
except ModuleNotFoundError as exc:  # pragma: no cover - exercised without torch
    raise ModuleNotFoundError(
        "skal.torch needs PyTorch and skorch. Install them with "
        '`pip install "torch==2.13.0" "skal[torch]"` (or any torch build for your '
        "platform, then `pip install skorch`)."
    ) from exc

from ..strategies import MAL, VAAL  # their training lives here
from ._adapter import SkorchAdapter, adapt
from ._annot_mix import AnnotMixClassifier
from ._crowd_layer import CrowdLayerClassifier
from ._embed import embed, gradient_embedding_factors
from ._history import PredictionHistory, replay_predictions
from ._loss_prediction import (
    LossPredictionModule,
    LossPredictionNet,
    loss_prediction_loss,
)
from ._mae import MaskedAutoencoder
from ._mae_classifier import MAEClassifier
from ._mc_dropout import MCDropoutClassifier, enable_dropout, mc_dropout_proba
from ._modules import MLP, GalCNN
from ._vaal import VAE

__all__ = [
    "AnnotMixClassifier",
    "CrowdLayerClassifier",
    "GalCNN",
    "LossPredictionModule",
    "LossPredictionNet",
    "MAEClassifier",
    "MAL",
    "MCDropoutClassifier",
    "MLP",
    "MaskedAutoencoder",
    "PredictionHistory",
    "SkorchAdapter",
    "VAAL",
    "VAE",
    "adapt",
    "embed",
    "enable_dropout",
    "gradient_embedding_factors",
    "loss_prediction_loss",
    "mc_dropout_proba",
    "replay_predictions",
]
