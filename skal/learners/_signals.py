"""The signals a learner offers its strategies, and the query context it builds.

A learner never hands itself to a strategy. For each query it builds one
:class:`~skal.strategies.QueryContext` holding the candidate rows, the
labeled set and the providers of the model's signals; the providers call
the fitted model directly, since the pool was validated once on entry.
"""

import inspect

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from ..strategies import QueryContext
from ..utils import take_rows
from ..utils._labels import model_labels
from ._multilabel import multilabel_signals

#: Signal name -> method of the fitted model that provides it.
_MODEL_METHODS = {
    "proba": "predict_proba",
    "decision": "decision_function",
    "predict": "predict",
    "proba_samples": "predict_proba_samples",
    "member_votes": "member_votes",
    "predict_std": "predict_std",
    "embed": "embed",
    "gradient_factors": "gradient_embedding_factors",
    "prediction_history": "prediction_history",
    "predicted_loss": "predict_loss",
    "freq": "predict_freq",
}


def _takes_return_std(model):
    # A Pipeline forwards predict's keywords to its last step.
    final = model[-1] if isinstance(model, Pipeline) else model
    try:
        return "return_std" in inspect.signature(final.predict).parameters
    except (AttributeError, TypeError, ValueError):
        return False


def _std_of(model):
    return lambda X: model.predict(X, return_std=True)[1]


def _mean_std_of(model):
    """Mean and std from one ``predict(X, return_std=True)`` pass, as (n, 2)."""

    def mean_std(X):
        mean, std = model.predict(X, return_std=True)
        return np.column_stack([np.ravel(mean), np.ravel(std)])

    return mean_std


def _final_step_of(pipeline, method):
    final = getattr(pipeline[-1], method)
    if len(pipeline) == 1:
        return final
    transform = pipeline[:-1].transform
    return lambda X: final(transform(X))


def _cold_embedding(template, pool):
    """Fit a pipeline's transform steps on the pool once; ``None`` if they need y."""
    try:
        transform = clone(template[:-1]).fit(pool)
    except (TypeError, ValueError):
        return None
    return transform.transform


def model_signals(model):
    """Return the providers of the signals a fitted ``model`` offers.

    Parameters
    ----------
    model : estimator object or None
        The fitted model; ``None`` (cold start) provides nothing.

    Returns
    -------
    signals : dict
        Signal name mapped to a function of rows.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skal.learners._signals import model_signals
    >>> sorted(model_signals(LogisticRegression().fit([[0], [1]], [0, 1])))
    ['decision', 'predict', 'proba']
    """
    if model is None:
        return {}
    signals = {
        name: getattr(model, method)
        for name, method in _MODEL_METHODS.items()
        if hasattr(model, method)
    }
    if _takes_return_std(model):
        signals["mean_std"] = _mean_std_of(model)
        if "predict_std" not in signals:
            signals["predict_std"] = _std_of(model)
    if "embed" not in signals and isinstance(model, Pipeline) and len(model) > 1:
        signals["embed"] = model[:-1].transform
    if isinstance(model, Pipeline) and hasattr(model[-1], "predict_freq"):
        # a Pipeline forwards predict_proba, not a final step's predict_freq
        signals["freq"] = _final_step_of(model, "predict_freq")
    return signals


class SignalsMixin:
    """Build the :class:`~skal.strategies.QueryContext` of each query."""

    def _signals(self, pool):
        """Signal providers for a query of ``pool`` (a hook for subclasses)."""
        model = getattr(self, "estimator_", None)
        signals = model_signals(model)
        template = getattr(self, "estimator", None)
        if model is None and isinstance(template, Pipeline) and len(template) > 1:
            embed = _cold_embedding(template, pool)
            if embed is not None:
                signals["embed"] = embed
        if getattr(self, "_n_labels", None) is not None and model is not None:
            signals = multilabel_signals(signals, model)
        return signals

    def _refit_for_strategy(self, X, y):
        return self._fit_estimator(X, model_labels(np.asarray(y)))

    def _context(self, pool, candidates=None, *, own_pool=False, verify_finite=False):
        """Return the context of one query of ``candidates`` rows of ``pool``."""
        labeled = getattr(self, "labeled_mask_", None)
        if labeled is None or not labeled.any():
            X_lab, y_lab, positions = None, None, None
        else:
            positions = np.flatnonzero(labeled)
            X_lab = take_rows(self.X_, positions)
            y_lab = model_labels(self.y_[positions])
        estimator = getattr(self, "estimator", None)
        return QueryContext(
            pool,
            candidates,
            signals=self._signals(pool),
            X_labeled=X_lab,
            y_labeled=y_lab,
            labeled_positions=positions,
            own_pool=own_pool,
            classes=getattr(self, "classes_", None),
            random_state=self._rng,
            n_jobs=getattr(self, "n_jobs", None),
            estimator=estimator,
            model=getattr(self, "estimator_", None),
            refit=self._refit_for_strategy,
            model_name=type(self if estimator is None else estimator).__name__,
            verify_finite=verify_finite,
        )
