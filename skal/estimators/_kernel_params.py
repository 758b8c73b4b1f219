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
    fitted = dict(metric_dict or {})
    allowed = KERNEL_PARAMS.get(metric) if isinstance(metric, str) else None
    if allowed is not None and not set(fitted) <= set(allowed):
        raise ValueError(
            f"metric_dict={metric_dict!r} does not fit the kernel "
            f"{metric!r}, whose parameters are {sorted(allowed)}."
        )
    if allowed is not None:
        _check_kernel_numbers(metric, fitted)
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


def _check_kernel_numbers(metric, params):
    """Refuse non-numeric, NaN or infinite kernel parameters, and ``gamma <= 0``
    where the kernel decays with ``gamma`` (a constant or growing kernel)."""
    for name, value in params.items():
        if value is None or (name == "gamma" and isinstance(value, str)):
            continue
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(
                f"metric_dict {name}={value!r} must be a number, got "
                f"{type(value).__name__}."
            )
        decaying = name == "gamma" and metric in ("rbf", "laplacian", "chi2")
        if not np.isfinite(value) or (decaying and value <= 0):
            need = "a finite number > 0" if decaying else "a finite number"
            raise ValueError(
                f"metric_dict {name}={value!r} with metric={metric!r} must be "
                f"{need}; a larger gamma gives a narrower kernel."
            )
