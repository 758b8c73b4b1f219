"""The kernel parameters of the Parzen and kernel-regression estimators: checked,
and the RBF ``gamma`` of the mean criterion."""

from numbers import Real

import numpy as np
from sklearn.metrics.pairwise import KERNEL_PARAMS
from sklearn.utils.validation import _check_sample_weight, check_array


def kernel_input(metric):
    """``validate_data`` arguments for rows a kernel of ``metric`` takes."""
    # scikit-learn's sparse manhattan distances take 32-bit indices only
    return {
        "accept_sparse": "csr",
        "accept_large_sparse": metric != "laplacian",
        "dtype": "float64",
    }


def fit_metric_dict(metric, metric_dict, X, weight):
    """The kernel's parameters, checked, with ``gamma="mean"`` computed on ``X``."""
    fitted = check_kernel_params(metric, metric_dict)
    if isinstance(fitted.get("gamma"), str):
        if fitted["gamma"] != "mean" or metric != "rbf":
            raise ValueError(
                f"metric_dict gamma={fitted['gamma']!r} with "
                f"metric={metric!r}: the only named gamma is 'mean', the "
                "RBF kernel's mean criterion; pass metric='rbf' or a number."
            )
        fitted["gamma"] = mean_gamma(X, weight)
    return fitted


def check_kernel_params(metric, params, name="metric_dict", named_gamma=True):
    """A copy of a kernel's parameters, their names and values checked.

    The names must be among the kernel's (a callable takes any), the
    values finite numbers (or ``None``), ``gamma > 0`` where the kernel
    decays with it; a string ``gamma`` passes only with ``named_gamma``.
    """
    params = dict(params or {})
    allowed = KERNEL_PARAMS.get(metric) if isinstance(metric, str) else None
    if allowed is None:
        return params
    if not set(params) <= set(allowed):
        raise ValueError(
            f"{name}={params!r} does not fit the kernel {metric!r}, whose "
            f"parameters are {sorted(allowed)}."
        )
    if not named_gamma and isinstance(params.get("gamma"), str):
        raise TypeError(f"{name} gamma={params['gamma']!r} must be a number.")
    _check_kernel_numbers(metric, params, name)
    return params


def _check_kernel_numbers(metric, params, label):
    """Refuse non-numeric, NaN or infinite kernel parameters, and ``gamma <= 0``
    where the kernel decays with ``gamma`` (a constant or growing kernel)."""
    for name, value in params.items():
        if value is None or (name == "gamma" and isinstance(value, str)):
            continue
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()  # np.array(0.5): a number, as sklearn takes it
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(
                f"{label} {name}={value!r} must be a number, got "
                f"{type(value).__name__}."
            )
        decaying = name == "gamma" and metric in ("rbf", "laplacian", "chi2")
        if not np.isfinite(value) or (decaying and value <= 0):
            need = "a finite number > 0" if decaying else "a finite number"
            raise ValueError(
                f"{label} {name}={value!r} with metric={metric!r} must be "
                f"{need}; a larger gamma gives a narrower kernel."
            )


def check_kernel_values(K, metric):
    """Return ``K``, refusing NaN or infinite kernel values (an overflow)."""
    if not np.isfinite(K).all():
        raise ValueError(
            f"The kernel {metric!r} gave NaN or infinite values (an overflow, "
            "e.g. a high 'poly' degree on large features, or a callable "
            "returning NaN): scale the features or choose a bounded kernel "
            "('rbf', 'laplacian')."
        )
    return K


def mean_gamma(X, sample_weight=None):
    """Return the mean criterion's RBF ``gamma`` (Chaudhuri et al. 2017).

    ``gamma = (N - 1) log((N - 1) / delta^2) / (4 N sum_j var(X_j))`` with
    ``N = max(2, n_samples)`` and ``delta = sqrt(2) 1e-6``, as
    scikit-activeml's ``metric_dict={"gamma": "mean"}``; ``1 / n_features``
    when every feature is constant. With weights, ``N`` is their sum and the
    variances are weighted (a weight of 2 counts a row twice).

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        The training rows.
    sample_weight : array-like of shape (n_samples,), default=None
        Weight of each row (``None``: 1).

    Returns
    -------
    gamma : float
        The RBF bandwidth ``gamma``.

    References
    ----------
    A. Chaudhuri, D. Kakde, C. Sadek, L. Gonzalez and S. Kong, "The Mean and
    Median Criteria for Kernel Bandwidth Selection for Support Vector Data
    Description", ICDM Workshops 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from skal.estimators import mean_gamma
    >>> round(float(mean_gamma(np.array([[0.0], [1.0], [2.0]]))), 4)
    6.9078
    """
    X = check_array(X, accept_sparse=["csr", "csc"], dtype="float64",
                    input_name="X")  # fmt: skip
    w = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
    total = w.sum()
    if total > 0:
        mean = np.asarray(w @ X).ravel() / total
        if hasattr(X, "multiply"):  # sparse: E[x^2] - E[x]^2, column by column
            square = np.asarray(w @ X.multiply(X)).ravel() / total
        else:
            square = w @ (X * X) / total
        variance = np.maximum(square - mean**2, 0.0)
    else:
        variance = np.zeros(X.shape[1])
    n = max(2.0, total)
    delta = np.sqrt(2) * 1e-6
    denominator = 2 * n * np.sum(variance)
    if denominator <= 0:
        return 1.0 / X.shape[1]
    return 0.5 * (n - 1) * np.log((n - 1) / delta**2) / denominator
