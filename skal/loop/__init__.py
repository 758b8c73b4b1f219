"""Running active learning: simulation, learning curves, oracles, stopping, journal.

Plotting and tables need matplotlib and pandas, imported only when used.
"""

from ._answers import ClassChecker
from ._comparison import Comparison
from ._curve import LearningCurve
from ._export import export_labels
from ._images import render_image
from ._journal import JournalError, LabelJournal
from ._oracles import (
    SKIP,
    STOP,
    UNDO,
    CallbackOracle,
    NoisyOracle,
    Oracle,
    SimulatedOracle,
)
from ._resume import resume_labels
from ._session import label_loop
from ._simulate import compare, simulate
from ._stopping import (
    BudgetStopping,
    MaxUncertaintyStopping,
    PlateauStopping,
    StabilizingPredictions,
    StoppingCriterion,
    TargetScoreStopping,
    check_stopping,
    kappa,
)
from ._terminal import TerminalOracle

__all__ = [
    "SKIP",
    "STOP",
    "UNDO",
    "BudgetStopping",
    "CallbackOracle",
    "ClassChecker",
    "Comparison",
    "JournalError",
    "LabelJournal",
    "LearningCurve",
    "MaxUncertaintyStopping",
    "NoisyOracle",
    "Oracle",
    "PlateauStopping",
    "SimulatedOracle",
    "StabilizingPredictions",
    "StoppingCriterion",
    "TargetScoreStopping",
    "TerminalOracle",
    "check_stopping",
    "compare",
    "export_labels",
    "kappa",
    "label_loop",
    "render_image",
    "resume_labels",
    "simulate",
]
