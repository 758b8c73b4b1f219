"""skal: scikit-learn-compatible active learning.

``import skal`` never imports PyTorch; ``skal.torch`` is loaded on first use.
"""

import importlib as _importlib

from .learners import (
    ActiveLearner,
    ActiveSelfTrainingClassifier,
    BayesianLearner,
    BayesianOptimizer,
    Committee,
    CommitteeRegressor,
)
from .loop import (
    BudgetStopping,
    CallbackOracle,
    LabelJournal,
    MaxUncertaintyStopping,
    NoisyOracle,
    PlateauStopping,
    SimulatedOracle,
    StabilizingPredictions,
    TargetScoreStopping,
    TerminalOracle,
    compare,
    label_loop,
    simulate,
)

__version__ = "0.1.0"

_submodules = [
    "annotators",
    "datasets",
    "estimators",
    "learners",
    "loop",
    "serve",
    "strategies",
    "stream",
    "torch",
    "utils",
]
# Public names of lazily loaded submodules: ``skal.StreamActiveLearner``.
_lazy = {
    "MultiAnnotatorLearner": "annotators",
    "StreamActiveLearner": "stream",
}

__all__ = [
    "ActiveLearner",
    "ActiveSelfTrainingClassifier",
    "BayesianLearner",
    "BayesianOptimizer",
    "BudgetStopping",
    "CallbackOracle",
    "Committee",
    "CommitteeRegressor",
    "LabelJournal",
    "MaxUncertaintyStopping",
    "MultiAnnotatorLearner",
    "NoisyOracle",
    "PlateauStopping",
    "SimulatedOracle",
    "StabilizingPredictions",
    "StreamActiveLearner",
    "TargetScoreStopping",
    "TerminalOracle",
    "compare",
    "label_loop",
    "simulate",
    "__version__",
    *_submodules,
]


def __getattr__(name):
    if name in _submodules:
        return _importlib.import_module(f"skal.{name}")
    if name in _lazy:
        return getattr(_importlib.import_module(f"skal.{_lazy[name]}"), name)
    raise AttributeError(f"module 'skal' has no attribute {name!r}")


def __dir__():
    return __all__
