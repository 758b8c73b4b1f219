"""What the frequency classifiers share: prior, costs, and the two predictions.

:class:`ParzenWindowClassifier` and :class:`MixtureModelClassifier` estimate
per-class frequencies ``F(x)`` (``predict_freq``); both turn them into
probabilities ``(F(x) + prior) / sum`` and predict the class of least
expected cost under ``cost_matrix``.
"""

import numpy as np


class LeastCostPredictMixin:
    """``predict``: the class of least expected cost under ``cost_matrix_``,
    from ``predict_proba`` and ``classes_``."""

    def predict(self, X):
        """Return the class of least expected cost (the most probable one).

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted classes; ties go to the first class of ``classes_``.
        """
        costs = self.predict_proba(X) @ self.cost_matrix_
        return self.classes_[np.argmin(costs, axis=1)]


class FrequencyClassifierMixin(LeastCostPredictMixin):
    """``predict_proba`` and ``predict`` from ``predict_freq``, ``class_prior_``
    and ``cost_matrix_``."""

    def predict_proba(self, X):
        """Return the class probabilities: frequencies plus prior, normalised.

        Parameters
        ----------
        X : array-like or sparse matrix of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        P : ndarray of shape (n_samples, n_classes)
            Rows summing to 1, uniform where frequencies and prior are all 0.

        Raises
        ------
        ValueError
            If a frequency is negative (a kernel such as ``"linear"`` or
            ``"cosine"`` on features of both signs): scikit-activeml
            returns rows that do not sum to 1 there.
        """
        F = self.predict_freq(X)
        if (F < 0).any():
            raise ValueError(
                f"The kernel {getattr(self, 'metric', None)!r} gave negative "
                "class frequencies, which are no probabilities: use a "
                "non-negative kernel ('rbf', 'laplacian', or 'chi2' on "
                "non-negative features)."
            )
        return proba_from_frequencies(F, self.class_prior_)


def proba_from_frequencies(F, prior):
    """``(F + prior) / row sums``, in place; uniform rows where the sum is 0."""
    F += prior
    total = F.sum(axis=1)
    empty = total == 0
    F[~empty] /= total[~empty, None]
    F[empty] = 1.0 / F.shape[1]
    return F


def encode_classes(y, classes):
    """The sorted classes and each label's position among them."""
    if classes is None:
        return np.unique(y, return_inverse=True)
    given = np.asarray(classes)
    try:
        classes = np.unique(given)
    except TypeError:
        raise TypeError(
            f"classes={given.tolist()!r} mixes values that cannot be sorted "
            "together (e.g. None and numbers): give labels of one type."
        ) from None
    if given.ndim != 1 or classes.size != given.size:
        raise ValueError(
            f"classes={given.tolist()!r} must list each class once, in one "
            "dimension: drop the repeated classes (cost_matrix and class_prior "
            "then have one row per distinct class)."
        )
    unknown = np.setdiff1d(y, classes)
    if unknown.size:
        raise ValueError(
            f"y holds labels {unknown.tolist()} that are not in classes="
            f"{classes.tolist()}: add them to classes, or leave classes=None."
        )
    return classes, np.searchsorted(classes, y)


def check_prior(class_prior, n_classes):
    prior = np.asarray(class_prior, dtype=float)
    if prior.ndim == 0:
        prior = np.full(n_classes, float(prior))
    if prior.shape != (n_classes,) or not np.isfinite(prior).all() or (prior < 0).any():
        raise ValueError(
            "class_prior must be a non-negative float or an array of "
            f"{n_classes} non-negative numbers (one per class), got {class_prior!r}."
        )
    return prior


def check_costs(cost_matrix, classes, n_classes):
    if cost_matrix is None:
        return 1.0 - np.eye(n_classes)
    C = np.asarray(cost_matrix, dtype=float)
    if C.shape != (n_classes, n_classes) or not np.isfinite(C).all() or (C < 0).any():
        raise ValueError(
            f"cost_matrix must be a ({n_classes}, {n_classes}) array of "
            f"non-negative costs, one row and column per class; got shape {C.shape}."
        )
    if not C.any():
        raise ValueError(
            "cost_matrix is all zero, so every prediction costs nothing and "
            "predict would return the first class everywhere: give the costs "
            "of the errors (None: 1 - I)."
        )
    if classes is not None:  # given in the order of classes: sort as classes_
        order = np.argsort(np.asarray(classes), kind="stable")
        C = C[order][:, order]
    return C
