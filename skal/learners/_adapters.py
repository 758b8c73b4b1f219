"""Adapters: how a learner uses a model from another package, without importing it.

``ADAPTERS`` maps a package to the callable that wraps its estimators in a
scikit-learn classifier with ``predict_proba_samples``; the package is
imported only when one of its estimators is used, so ``import skal`` never
imports torch.
"""

import importlib
import inspect

#: Top-level package of an estimator's class (or of one of its bases) ->
#: ``"module:callable"`` wrapping such an estimator in a scikit-learn
#: classifier with ``predict_proba_samples(X, n_samples)`` (and optionally
#: ``embed`` and ``gradient_embedding_factors``). Imported lazily.
ADAPTERS = {"skorch": "skal.torch:SkorchAdapter"}


def find_adapter(estimator):
    """Return the adapter registered for ``estimator``'s package, or None.

    Parameters
    ----------
    estimator : object
        Any estimator.

    Returns
    -------
    adapter : callable or None
        ``adapter(estimator)`` returns the wrapped estimator.

    Examples
    --------
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.learners._adapters import find_adapter
    >>> find_adapter(GaussianNB()) is None
    True
    """
    for klass in type(estimator).__mro__:
        target = ADAPTERS.get(klass.__module__.partition(".")[0])
        if target is not None:
            module, _, name = target.partition(":")
            return getattr(importlib.import_module(module), name)
    return None


def _samples_takes_n(method):
    try:
        return "n_samples" in inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False


def _has_signal(attr):
    """Available when the (adapted) estimator has ``attr``."""

    def check(self):
        est = getattr(self, "estimator_", None)
        if est is None:
            est = find_adapter(self.estimator) or self.estimator
        return hasattr(est, attr)

    return check
