"""The representation diversity strategies measure distances in."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.pipeline import Pipeline

from ..utils import take_rows


def _dense(Z):
    if sp.issparse(Z):
        Z = Z.toarray()
    Z = np.asarray(Z)
    if Z.ndim == 1:
        Z = Z.reshape(-1, 1)
    if Z.ndim > 2:
        Z = Z.reshape(Z.shape[0], -1)
    if Z.dtype.kind not in "f":
        try:
            Z = Z.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                "Diversity strategies measure distances between samples and need "
                f"numeric features, got dtype {Z.dtype}. Wrap the estimator in a "
                "Pipeline whose transform steps make the features numeric (e.g. a "
                "OneHotEncoder or a TfidfVectorizer), or give the learner an "
                "``embed`` method."
            ) from exc
    return Z


def get_embedding(learner, X):
    """Return the representation of ``X`` that distances are measured in.

    In order of preference: the learner's own ``embed(X)`` once its model
    is fitted (a net's penultimate layer, an encoder), the transform steps
    of a fitted ``Pipeline`` (``estimator_[:-1].transform(X)``), before the
    first fit (cold start) the transform steps of the unfitted ``Pipeline``
    fitted on ``X`` itself, else ``X`` itself. The result is a dense
    floating-point array.

    Parameters
    ----------
    learner : object or None
        The learner; ``None`` gives ``X`` itself.
    X : array-like, sparse matrix or DataFrame
        The samples.

    Returns
    -------
    Z : ndarray of shape (n_samples, n_dims)
        Dense float embedding of ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skal import ActiveLearner
    >>> from skal.strategies import get_embedding
    >>> X = np.array([[0.0, 10.0], [2.0, 30.0], [4.0, 20.0]])
    >>> learner = ActiveLearner(make_pipeline(StandardScaler(), LogisticRegression()))
    >>> learner = learner.fit(X, [0, 1, -1])
    >>> get_embedding(learner, X).round(2).tolist()
    [[-1.0, -1.0], [1.0, 1.0], [3.0, 0.0]]
    """
    estimator = getattr(learner, "estimator_", None)
    # A learner's embed needs its fitted model: not in a cold start.
    unfitted = estimator is None and hasattr(learner, "estimator")
    if learner is not None and hasattr(learner, "embed") and not unfitted:
        return _dense(learner.embed(X))
    if isinstance(estimator, Pipeline) and len(estimator) > 1:
        return _dense(estimator[:-1].transform(X))
    unfitted = getattr(learner, "estimator", None)
    if estimator is None and isinstance(unfitted, Pipeline) and len(unfitted) > 1:
        # Cold start: fit the transform steps on the pool itself (they are
        # unsupervised, like a scaler or a PCA); raw X if they need labels.
        try:
            return _dense(clone(unfitted[:-1]).fit_transform(X))
        except (TypeError, ValueError):
            pass
    if hasattr(X, "iloc"):
        X = X.to_numpy()
    return _dense(X)


def labeled_embedding(learner):
    """Return the embedding of the learner's labeled rows, or ``None``.

    Parameters
    ----------
    learner : object or None
        A learner with ``X_`` and ``labeled_mask_`` after ``fit``.

    Returns
    -------
    Z : ndarray of shape (n_labeled, n_dims) or None
        ``None`` when the learner is not fitted or nothing is labeled (cold
        start).

    Examples
    --------
    >>> from skal.strategies import labeled_embedding
    >>> labeled_embedding(None) is None
    True
    """
    mask = getattr(learner, "labeled_mask_", None)
    if mask is None or not np.any(mask):
        return None
    return get_embedding(learner, take_rows(learner.X_, mask))
