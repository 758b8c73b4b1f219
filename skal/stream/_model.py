"""What a stream strategy may read of the learner's model: ``StreamModel``.

A strategy never sees the learner. Its ``utilities(X, model)`` gets a
:class:`StreamModel`: called, it returns the class probabilities of the
learner's model (uniform while the model is unfitted); it also offers the
model's kernel frequencies (``predict_freq``) and the labeled samples the
learner keeps, for strategies that count labels near a sample (stream PAL).
"""

import numpy as np

__all__ = ["StreamModel"]


class StreamModel:
    """Read-only view of a stream learner's model, passed to ``utilities``.

    Parameters
    ----------
    learner : StreamActiveLearner
        The fitted learner.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.naive_bayes import GaussianNB
    >>> from skal.stream import StreamActiveLearner
    >>> from skal.stream._model import StreamModel
    >>> learner = StreamActiveLearner(GaussianNB(), classes=[0, 1])
    >>> model = StreamModel(learner.fit(np.zeros((0, 1)), []))
    >>> model(np.zeros((1, 1))).tolist()  # unfitted: uniform
    [[0.5, 0.5]]
    """

    def __init__(self, learner):
        self._learner = learner

    @property
    def classes(self):
        """The learner's classes.

        Returns
        -------
        ndarray of shape (n_classes,)
            ``classes_`` of the learner.
        """
        return self._learner.classes_

    def _aligned(self, values, n_samples):
        """Put the model's columns under the learner's ``classes_``."""
        learner = self._learner
        known = getattr(learner.estimator_, "classes_", learner.classes_)
        if len(known) == learner.classes_.size:
            return values
        full = np.zeros((n_samples, learner.classes_.size))
        full[:, np.searchsorted(learner.classes_, known)] = values
        return full

    def __call__(self, X):
        """Class probabilities, one column per class (uniform when unfitted).

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            The probabilities.
        """
        learner = self._learner
        if not learner.model_fitted_:
            n_classes = learner.classes_.size
            return np.full((X.shape[0], n_classes), 1.0 / n_classes)
        proba = learner.estimator_.predict_proba(X)
        if not np.isfinite(proba).all():
            name = type(learner.estimator_).__name__
            raise ValueError(
                f"{name} returned NaN class probabilities after "
                f"{learner.n_labeled_} labels (GaussianNB does while a class "
                "has too few samples: a variance near zero), so no utility can be "
                "computed: start the stream with more labels (fit on a few "
                "per class, n_initial in prequential_evaluation) or use a "
                "model whose probabilities stay finite."
            )
        return self._aligned(proba, X.shape[0])

    def predict_freq(self, X):
        """The model's class frequencies ``predict_freq(X)`` (zeros unfitted).

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        frequencies : ndarray of shape (n_samples, n_classes)
            Kernel-weighted label counts near each sample.
        """
        learner = self._learner
        estimator = learner.estimator_
        if not hasattr(estimator, "predict_freq"):
            raise TypeError(
                f"{type(estimator).__name__} has no predict_freq: use a "
                "frequency estimator (a Parzen window classifier) or let the "
                "strategy count the labels itself (frequencies='parzen')."
            )
        if not learner.model_fitted_:
            return np.zeros((X.shape[0], learner.classes_.size))
        return self._aligned(estimator.predict_freq(X), X.shape[0])

    def labeled(self):
        """The labeled samples the learner keeps, labels as class indices.

        Returns
        -------
        X : ndarray of shape (n_labeled, n_features)
            The samples (the last ``max_labeled`` when set).
        y : ndarray of int of shape (n_labeled,)
            Their classes, as positions in ``classes_``.
        """
        learner = self._learner
        y = np.searchsorted(learner.classes_, learner._y_kept)
        return learner._X_kept, y.astype(int)
