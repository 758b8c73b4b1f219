"""Checks of what a learner is given: parameters, pools, targets, taught labels."""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import is_classifier, is_regressor
from sklearn.utils import get_tags
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d, validate_data

from ..utils import check_finite, missing_mask
from ..utils._labels import (
    _is_nan,
    as_integer_labels,
    as_label_array,
    check_label_types,
    label_kinds,
    model_labels,
    warn_marker_as_text,
)
from ..utils._validation import (
    MISSING_LABEL_CONSTRAINT,
    N_JOBS_CONSTRAINT,
    POSITIVE_INT,
)
from . import _multilabel

_STRATEGY = [str, callable, HasMethods(["select"])]

#: The constraints of the parameters learners share; each learner class keeps
#: those its ``__init__`` takes (see ``BaseLearner.__init_subclass__``).
LEARNER_CONSTRAINTS = {
    "estimator": [HasMethods(["fit"])],
    "query_strategy": _STRATEGY,
    "batch_size": [POSITIVE_INT],
    "budget": [POSITIVE_INT, None],
    "n_initial": [POSITIVE_INT],
    "initial_strategy": [*_STRATEGY, None],
    "missing_label": MISSING_LABEL_CONSTRAINT,
    "warm_start": ["boolean"],
    "semi_supervised": ["boolean"],
    "stopping": [list, HasMethods(["update"]), None],
    "n_jobs": N_JOBS_CONSTRAINT,
    "random_state": ["random_state"],
}

_REGRESSION_HINT = (
    "For regression use 'std' (predictive std: GaussianProcessRegressor, "
    "BayesianRidge or skal.CommitteeRegressor), 'gsx', 'gsy' or 'igs' (greedy "
    "sampling) or 'random'."
)


def check_pool(learner, X, *, reset, finite=True):
    """Check feature count/names (and, if ``finite``, NaN/inf) of rows given."""
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) >= 2 and shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={tuple(shape)}) while a minimum "
            "of 1 is required."
        )
    fitted = getattr(learner, "X_", None) if not reset else None
    if (
        isinstance(X, np.ndarray)
        and isinstance(fitted, np.ndarray)
        and X.ndim != fitted.ndim
    ):
        raise ValueError(
            f"X has {X.ndim} dimensions (shape {X.shape}), but "
            f"{type(learner).__name__} was fitted on {fitted.ndim}-d X of rows "
            f"shaped {fitted.shape[1:]}."
        )
    validate_data(learner, X, reset=reset, skip_check_array=True)
    if finite:
        check_finite(X, allow_nan=get_tags(learner).input_tags.allow_nan)
    return X


def check_stopping_items(stopping):
    """Reject a ``stopping`` list holding something that is not a criterion."""
    for item in stopping if isinstance(stopping, list) else []:
        if not hasattr(item, "update"):
            raise TypeError(
                "stopping must be a stopping criterion of skal.loop (e.g. "
                "StabilizingPredictions()) or a list of them; the list holds "
                f"{item!r}."
            )


def check_strategy_fits(learner):
    """Reject a strategy the learner cannot serve, before any model is fitted."""
    initial = learner.initial_strategy_
    if initial.requires_model or getattr(initial, "requires_labels", False):
        needs = "a fitted model" if initial.requires_model else "labeled rows"
        raise ValueError(
            f"initial_strategy={learner.initial_strategy!r} needs {needs}, "
            "but it chooses the first labels, before any is given. Use a "
            "strategy that needs neither: 'random', 'typiclust', 'kmeans' or "
            "'coreset'."
        )
    for param, strategy in (
        ("query_strategy", learner.query_strategy_),
        ("initial_strategy", initial),
    ):
        task = getattr(strategy, "task", "any")
        if task == "classification" and is_regressor(learner):
            inner = getattr(learner, "estimator", None)
            raise ValueError(
                f"{param}={getattr(learner, param)!r} needs class probabilities, "
                f"but {type(learner if inner is None else inner).__name__} is a "
                f"regressor. {_REGRESSION_HINT}"
            )
        if task == "regression" and is_classifier(learner):
            raise ValueError(
                f"{param}={getattr(learner, param)!r} is a regression strategy, but "
                "the learner is a classifier."
            )
        check_label_type(learner, param, strategy)
        strategy._validate_params()


class TwoClassStrategyError(ValueError):
    """A strategy declared ``binary_only`` met labels of more than two classes."""


def check_strategy_classes(learner):
    """Refuse a ``binary_only`` query strategy once the labels hold more classes."""
    strategy = getattr(learner, "query_strategy_", None)
    classes = getattr(learner, "classes_", None)
    if (
        not getattr(strategy, "binary_only", False)
        or classes is None
        or getattr(learner, "_n_labels", None) is not None
        or len(classes) <= 2
    ):
        return
    name = learner.query_strategy
    what = f"{name!r} ({type(strategy).__name__})" if isinstance(name, str) else name
    shown = np.asarray(classes).tolist()
    shown = shown if len(shown) <= 10 else [*shown[:10], "..."]
    error = TwoClassStrategyError(
        f"query_strategy={what} is defined for two classes only, but the labels "
        f"hold {len(classes)} classes: {shown}. Use a strategy for any number of "
        "classes, e.g. query_strategy='entropy', 'margin' or 'random', or merge "
        "the classes into two."
    )
    error.n_classes = len(classes)
    raise error


def check_label_type(learner, param, strategy):
    """Reject a single-label strategy on multi-label ``y``, and the reverse."""
    from ..strategies import MULTILABEL_STRATEGIES

    kinds = getattr(strategy, "label_types", ("single", "multilabel"))
    n_labels = getattr(learner, "_n_labels", None)
    names = ", ".join(repr(name) for name in MULTILABEL_STRATEGIES)
    if n_labels is not None and "multilabel" not in kinds:
        raise ValueError(
            f"{param}={getattr(learner, param)!r} handles single-label y only, but "
            f"y is multi-label ({n_labels} labels). Use a multi-label strategy: "
            f"{names} (skal.strategies.MULTILABEL_STRATEGIES), or 'random'."
        )
    if n_labels is None and "single" not in kinds:
        raise ValueError(
            f"{param}={getattr(learner, param)!r} is a multi-label strategy, but y "
            "is 1-d. Pass y as a 2-d 0/1 indicator of shape (n_samples, "
            "n_labels), or use a single-label strategy."
        )


def check_target(learner, y, n_rows):
    """Return ``y`` as a 1-d array of ``n_rows`` labels, or raise a clear error."""
    if y is None:
        raise ValueError(
            f"{type(learner).__name__} requires y to be passed, but the target y "
            "is None."
        )
    if sp.issparse(y):
        raise ValueError(
            "y is a sparse matrix; pass a dense array (y.toarray()). A multi-label "
            "y marks unlabeled rows with missing_label in every column, which a "
            "sparse indicator cannot hold."
        )
    y = as_label_array(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    fitted = hasattr(learner, "labeled_mask_")
    n_labels = getattr(learner, "_n_labels", None) if fitted else None
    if n_labels is not None and y.ndim != 2:
        raise ValueError(
            f"The learner was fitted on a multi-label y with {n_labels} labels; "
            f"pass y of shape (n_samples, {n_labels}), got shape {y.shape}."
        )
    multilabel = _multilabel.is_multilabel_target(learner, y)
    if multilabel and fitted and n_labels is None:
        raise ValueError(
            "The learner was fitted on 1-d labels; a 2-d (multi-label) y needs a "
            f"learner fitted on a multi-label y. Got shape {y.shape}."
        )
    if y.ndim != 1 and not multilabel:
        hint = (
            " A 2-d 0/1 indicator y (multi-label) needs a classifier."
            if y.ndim == 2
            else ""
        )
        raise ValueError(
            f"y should be a 1d array, got an array of shape {y.shape}.{hint}"
        )
    if n_rows == 0:
        raise ValueError(
            "Found array with 0 sample(s) (shape=(0, ...)) while a minimum of 1 is "
            "required."
        )
    if y.shape[0] != n_rows:
        raise ValueError(
            f"X has {n_rows} rows but y has {y.shape[0]} labels; they must match."
        )
    if y.dtype.kind == "f" and np.isinf(y).any():
        raise ValueError("y contains infinity; mark unlabeled rows with NaN.")
    return y


def _is_marker(value):
    return value is None or (isinstance(value, float) and np.isnan(value))


def labeled_rows(learner, y):
    """Return the mask of labeled rows of ``y``; reject targets skal would misread.

    The rules look at the values of ``y`` only, never at which rows happen to
    be labeled, so the same ``y`` always gets the same answer.
    """
    marker = learner.missing_label
    if y.ndim == 2:
        return _multilabel.labeled_rows(y, marker)
    missing = missing_mask(y, marker)
    if not _is_marker(marker) and _is_nan(y).any() and np.any(missing & ~_is_nan(y)):
        raise ValueError(
            f"y marks unlabeled rows both with NaN/None and with "
            f"missing_label={marker!r}. If {marker!r} is a real label, set "
            "missing_label=np.nan (or None for object labels); otherwise use one "
            "marker."
        )
    labeled = ~missing
    check_label_types(y[labeled])
    warn_marker_as_text(marker, y, stacklevel=5)
    if is_classifier(learner):
        if labeled.any():
            check_classification_targets(model_labels(y[labeled]))
        if marker == -1 and y.dtype.kind in "iuf":
            values = set(np.unique(y[~_is_nan(y)]).tolist())
            if values == {-1, 1}:
                raise ValueError(
                    "y holds only the values -1 and 1, and skal reads -1 as "
                    "'unlabeled' (missing_label=-1). If -1 is a class, encode the "
                    "labels as {0, 1} or mark unlabeled rows with NaN and set "
                    "missing_label=np.nan. If -1 marks unlabeled rows and 1 is the "
                    "only class labeled so far, mark them with NaN instead "
                    "(missing_label=np.nan)."
                )
    else:
        check_numeric_targets(learner, y[labeled])
        n_minus = int(np.sum(y == -1)) if marker == -1 and y.dtype.kind in "iuf" else 0
        if n_minus and missing.any():
            warnings.warn(
                f"{n_minus} targets equal -1 and are read as unlabeled "
                "(missing_label=-1). For regression, mark unlabeled rows with "
                "NaN and set missing_label=np.nan.",
                UserWarning,
                stacklevel=4,
            )
    return labeled


def check_numeric_targets(learner, y):
    """Refuse targets a regressor cannot learn: text, or other non-numbers."""
    kinds = label_kinds(y) - {"numeric", "boolean"}
    if kinds:
        raise ValueError(
            f"{type(learner).__name__} is a regressor, so its targets must be "
            f"numbers, but they hold {' and '.join(sorted(kinds))} values (e.g. "
            f"{y.ravel()[:1].tolist()[0]!r}). Convert them first, e.g. "
            "y.astype(float), which reads 'nan' as NaN (an unlabeled row)."
        )


def check_taught_labels(learner, y):
    """Return the labels ``teach`` takes; reject the others, warn of new classes."""
    if getattr(learner, "_n_labels", None) is not None:
        _multilabel.check_taught(learner, y)
        return y
    if missing_mask(y, learner.missing_label).any():
        raise ValueError(
            f"teach got missing labels (missing_label={learner.missing_label!r}, "
            "NaN or None); every taught sample needs a label."
        )
    if learner.y_.dtype.kind in "iufb" and y.dtype.kind in "USO":
        if learner.labeled_mask_.any():
            raise ValueError(
                f"teach got labels of type {y.dtype} but the learner was fitted on "
                f"{learner.y_.dtype} labels."
            )
    check_label_types(y, name="teach's y", known=learner.y_[learner.labeled_mask_])
    y = as_integer_labels(y, learner.y_.dtype, classify=is_classifier(learner))
    if not is_classifier(learner):
        check_numeric_targets(learner, y)
        return y
    check_classification_targets(model_labels(y))
    classes = getattr(learner, "classes_", None)
    if classes is None:
        return y
    new_classes = np.setdiff1d(np.unique(y), classes)
    if new_classes.size and learner.warm_start:
        raise ValueError(
            f"teach got classes {new_classes.tolist()} that the model has not "
            f"seen (classes_={classes.tolist()}); a warm-started model cannot add "
            "classes. Use warm_start=False."
        )
    if new_classes.size:
        warnings.warn(
            f"teach added new classes {new_classes.tolist()}; the model is refit "
            "on all classes.",
            UserWarning,
            stacklevel=3,
        )
    return y


def warn_if_semi_supervised_off(learner):
    """Warn when a semi-supervised estimator would see the labeled rows only.

    With ``semi_supervised=False`` the estimator is fitted on the labeled rows,
    so ``SelfTrainingClassifier``, ``LabelSpreading``, ``LabelPropagation``
    or a ``MixtureModelClassifier`` with ``missing_label`` set (alone or
    ending a ``Pipeline``) would silently act as a plain classifier.
    """
    final = learner.estimator
    while hasattr(final, "steps"):
        final = final.steps[-1][1]
    module = type(final).__module__
    # skal's MixtureModelClassifier fits its mixture on the rows marked missing
    marks_unlabeled = module.startswith("skal.estimators") and (
        getattr(final, "missing_label", None) is not None
    )
    if module.startswith("sklearn.semi_supervised") or marks_unlabeled:
        warnings.warn(
            f"{type(final).__name__} learns from unlabeled rows, but with "
            "semi_supervised=False it is fitted on the labeled rows only. Pass "
            "semi_supervised=True to give it the pool (unlabeled rows marked -1).",
            UserWarning,
            stacklevel=3,
        )


def check_semi_supervised(learner, y_labeled):
    """Reject what ``semi_supervised=True`` cannot honour, before any fit."""
    if not is_classifier(learner):
        raise ValueError(
            "semi_supervised=True needs a classifier: scikit-learn's "
            "semi-supervised estimators (LabelSpreading, LabelPropagation, "
            "SelfTrainingClassifier) are classifiers."
        )
    if learner.warm_start:
        raise ValueError(
            "semi_supervised=True refits on every row each round; it cannot be "
            "combined with warm_start=True."
        )
    y_labeled = model_labels(y_labeled)
    if y_labeled.dtype.kind not in "iu" and not (
        y_labeled.dtype.kind == "f" and np.all(np.mod(y_labeled, 1) == 0)
    ):
        raise ValueError(
            "semi_supervised=True needs integer class labels: the estimator sees "
            "unlabeled rows marked -1, scikit-learn's convention. Encode the "
            f"labels first (e.g. with LabelEncoder); got dtype {y_labeled.dtype}."
        )
    if np.any(y_labeled == -1):
        raise ValueError(
            "semi_supervised=True marks unlabeled rows -1 for the estimator, so "
            "-1 cannot also be a class label. Encode the labels first (e.g. with "
            "LabelEncoder)."
        )
