"""What a query context tells about its signals, and the model on other rows.

:class:`ModelView` is the part of :class:`~skal.strategies.QueryContext`
that applies the model to rows other than the candidates: modAL-style user
functions call ``context.predict_proba(X)``, and strategies that refit
(expected error reduction) call ``context.refit(X, y)``.
"""

import numpy as np
from sklearn import config_context

from ..utils._validation import dense_array

SIGNAL_PROVIDERS = {
    "proba": (
        "any classifier with predict_proba (LogisticRegression, "
        "RandomForestClassifier, CalibratedClassifierCV(LinearSVC()), ...)"
    ),
    "decision": "classifiers with decision_function (LinearSVC, SVC, ...)",
    "predict": "every fitted estimator",
    "proba_samples": (
        "skal.Committee (its members) and skal.BayesianLearner (MC-dropout passes)"
    ),
    "member_votes": "skal.Committee",
    "predict_std": (
        "regressors whose predict takes return_std (GaussianProcessRegressor, "
        "BayesianRidge) and skal.CommitteeRegressor"
    ),
    "embed": "learners wrapping a Pipeline with transform steps, or a skal.torch net",
    "gradient_factors": "classifiers with predict_proba, and skal.torch nets",
    "mean_std": (
        "regressors whose predict takes return_std (GaussianProcessRegressor, "
        "BayesianRidge) and skal.CommitteeRegressor"
    ),
    "prediction_history": (
        "skal.torch nets with a skal.torch.PredictionHistory callback"
    ),
    "predicted_loss": "skal.torch.LossPredictionNet",
    "freq": (
        "class frequency estimators such as skal.estimators."
        "ParzenWindowClassifier (alone or as a Pipeline's last step)"
    ),
}

#: How each signal is named in errors: the model method users know.
SIGNAL_NAMES = {
    "proba": "predict_proba",
    "decision": "decision_function",
    "predict": "predict",
    "proba_samples": "predict_proba_samples",
    "member_votes": "member_votes",
    "predict_std": "predict_std (predict(X, return_std=True))",
    "embed": "embed",
    "gradient_factors": "gradient_embedding_factors",
    "mean_std": "predict(X, return_std=True)",
    "prediction_history": "prediction_history",
    "predicted_loss": "predict_loss",
    "freq": "predict_freq",
}

#: The rows of these signals are on axis 1 (axis 0 is the member / pass).
_ROWS_ON_AXIS_1 = frozenset({"proba_samples", "member_votes", "prediction_history"})


def _finite_features(Z):
    """Raw features for distances: refuse NaN/inf a model that takes them let in."""
    Z = _dense(Z)
    bad = ~np.isfinite(Z).all(axis=1)
    if bad.any():
        raise ValueError(
            f"This strategy measures distances between samples, and {int(bad.sum())} "
            "of the rows hold NaN or infinity (the model accepts them, distances "
            "cannot): impute them in a Pipeline step before the model (e.g. "
            "SimpleImputer), whose output the strategy then uses, or pick a "
            "strategy that reads only the model (margin, entropy, ...)."
        )
    return Z


def _dense(Z):
    Z = dense_array(Z)
    if Z.dtype.kind == "f":
        return Z
    try:
        return Z.astype(float)
    except (TypeError, ValueError):
        raise TypeError(
            "This strategy measures distances between samples, which needs "
            f"numeric features; got an array of dtype {Z.dtype}. Wrap the "
            "estimator in a Pipeline whose transform steps encode the features "
            "(e.g. OneHotEncoder), and the strategy uses their output."
        ) from None


class ModelView:
    """The model applied to arbitrary rows, through the context's providers."""

    def _apply(self, name, X, fix=None):
        with config_context(assume_finite=True):
            return np.asarray(self.require(name, fix=fix)(X))

    def predict_proba(self, X):
        """Class probabilities of arbitrary rows ``X`` (for user functions).

        Parameters
        ----------
        X : array-like
            Rows in the pool's feature space.

        Returns
        -------
        proba : ndarray of shape (n_rows, n_classes)
            The model's probabilities.
        """
        return self._apply("proba", X)

    def predict_proba_samples(self, X):
        """Member / MC-pass probabilities of arbitrary rows ``X``.

        Parameters
        ----------
        X : array-like
            Rows in the pool's feature space.

        Returns
        -------
        samples : ndarray of shape (n_members, n_rows, n_classes)
            One probability matrix per member or pass.
        """
        return self._apply("proba_samples", X)

    def decision_function(self, X):
        """Decision values of arbitrary rows ``X``.

        Parameters
        ----------
        X : array-like
            Rows in the pool's feature space.

        Returns
        -------
        decision : ndarray
            The model's decision values.
        """
        return self._apply("decision", X)

    def predict_rows(self, X):
        """Predictions of arbitrary rows ``X``.

        Parameters
        ----------
        X : array-like
            Rows in the pool's feature space.

        Returns
        -------
        y_pred : ndarray of shape (n_rows,)
            The model's predictions.
        """
        return self._apply("predict", X)

    def embed(self, X):
        """Dense embedding of arbitrary rows ``X`` (the features if none).

        Parameters
        ----------
        X : array-like
            Rows in the pool's feature space.

        Returns
        -------
        Z : ndarray of shape (n_rows, n_dims)
            Dense float embedding.
        """
        if "embed" in self._signals:  # not _apply: the output may be sparse
            with config_context(assume_finite=True):
                X = self.require("embed")(X)
        return _finite_features(X) if self._raw_nan else _dense(X)

    def refit(self, X, y):
        """Return a model fitted on ``(X, y)`` as the learner would fit it.

        Parameters
        ----------
        X : array-like
            Training rows.
        y : array-like
            Their labels.

        Returns
        -------
        model : estimator object
            A new fitted model; the learner's own model is untouched.
        """
        if self._refit is None:
            raise TypeError(f"{self._asker!r} refits the model, which needs a learner.")
        return self._refit(X, y)
