"""The kernel parameters of the Parzen and kernel-regression estimators, checked."""

from numbers import Real

import numpy as np
from sklearn.metrics.pairwise import KERNEL_PARAMS


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
        from ._parzen import mean_gamma

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
