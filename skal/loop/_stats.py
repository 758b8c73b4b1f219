"""Statistics over repeats: t-intervals and paired tests against a baseline.

Pure functions on arrays of per-repeat values (one area under the learning
curve per repeat). Undefined quantities are None, never NaN, so that results
compare equal after a JSON round trip and print as "-".
"""

import math
import warnings

import numpy as np
from scipy import stats

#: differences smaller than this are ties (float noise of equal curves)
_TIE = 1e-12


def _check_level(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a float in (0, 1), got {value!r}.")
    if not 0 < value < 1:
        raise ValueError(f"{name} must be in (0, 1), got {value!r}.")
    return float(value)


def t_interval(values, confidence=0.95):
    """Return the mean of ``values`` and its Student t confidence interval.

    With :math:`n` values of mean :math:`\\bar x` and sample standard
    deviation :math:`s` (``ddof=1``), the interval is
    :math:`\\bar x \\pm t_{1-\\alpha/2,\\,n-1}\\, s / \\sqrt{n}` with
    :math:`\\alpha = 1 - \\text{confidence}`.

    Parameters
    ----------
    values : array-like of shape (n,)
        One value per repeat.
    confidence : float, default=0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    mean : float
        The mean of ``values``.
    low, high : float or None
        The interval; None when ``n < 2`` (no spread to estimate).

    Examples
    --------
    >>> from skal.loop._stats import t_interval
    >>> mean, low, high = t_interval([0.8, 0.82, 0.84])
    >>> round(mean, 3), round(low, 3), round(high, 3)
    (0.82, 0.77, 0.87)
    >>> t_interval([0.8])
    (0.8, None, None)
    """
    confidence = _check_level(confidence, "confidence")
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        raise ValueError("t_interval needs at least one value.")
    mean = float(values.mean())
    n = values.size
    if n < 2:
        return mean, None, None
    half = stats.t.ppf((1 + confidence) / 2, n - 1) * values.std(ddof=1) / math.sqrt(n)
    return mean, float(mean - half), float(mean + half)


def _p_ttest(diff):
    if np.all(diff == 0):
        return 1.0  # identical: nothing to reject (scipy returns NaN)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        p = stats.ttest_rel(diff, np.zeros_like(diff)).pvalue
    return float(p)


def _p_wilcoxon(diff):
    if np.all(diff == 0):
        return 1.0  # all ties: scipy raises or warns here, depending on version
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        p = stats.wilcoxon(diff).pvalue
    return float(p)


def paired_difference(values, baseline, confidence=0.95):
    """Compare paired per-repeat values against a baseline's.

    The differences :math:`d_i = x_i - b_i` of repeats run on the same seed
    are tested for a zero mean with the paired t-test
    (:func:`scipy.stats.ttest_rel`, :math:`t = \\bar d / (s_d / \\sqrt n)`
    on :math:`n - 1` degrees of freedom) and for a zero median with the
    Wilcoxon signed-rank test (:func:`scipy.stats.wilcoxon`, two-sided; zero
    differences are dropped, as scipy's default ``zero_method="wilcox"``).
    Differences within ``1e-12`` count as ties (0).

    Parameters
    ----------
    values, baseline : array-like of shape (n,)
        Paired per-repeat values of a learner and of the baseline.
    confidence : float, default=0.95
        Coverage of the interval on the mean difference.

    Returns
    -------
    result : dict
        ``n``; ``diff`` (mean difference), ``diff_low`` and ``diff_high``
        (its t-interval); ``p_ttest`` and ``p_wilcoxon`` (two-sided);
        ``below`` and ``ties``, the repeats where the learner is below the
        baseline or equal to it. A p-value is None when ``n < 2``; both are
        1.0 when every difference is 0.

    Examples
    --------
    >>> from skal.loop._stats import paired_difference
    >>> r = paired_difference([0.9, 0.8, 0.85], [0.85, 0.8, 0.8])
    >>> round(r["diff"], 4), r["below"], r["ties"], round(r["p_ttest"], 3)
    (0.0333, 0, 1, 0.184)
    """
    values = np.asarray(values, dtype=float)
    baseline = np.asarray(baseline, dtype=float)
    if values.shape != baseline.shape or values.ndim != 1 or values.size == 0:
        raise ValueError(
            "paired_difference needs two 1-d arrays of equal, non-zero length; "
            f"got shapes {values.shape} and {baseline.shape}."
        )
    diff = values - baseline
    diff[np.abs(diff) <= _TIE] = 0.0
    mean, low, high = t_interval(diff, confidence)
    enough = diff.size >= 2
    return {
        "n": int(diff.size),
        "diff": mean,
        "diff_low": low,
        "diff_high": high,
        "p_ttest": _p_ttest(diff) if enough else None,
        "p_wilcoxon": _p_wilcoxon(diff) if enough else None,
        "below": int(np.sum(diff < 0)),
        "ties": int(np.sum(diff == 0)),
    }


def min_wilcoxon_p(n):
    """Return the smallest two-sided p-value the exact Wilcoxon test can give.

    With ``n`` non-zero differences all of one sign, the exact p-value is
    :math:`2 / 2^n`: 0.25 for 3 repeats, 0.0625 for 5, 0.031 for 6, so the
    test cannot reach p < 0.05 with fewer than 6 repeats.

    Parameters
    ----------
    n : int
        Number of paired repeats.

    Returns
    -------
    p : float
        The smallest attainable p-value (1.0 for ``n < 1``).

    Examples
    --------
    >>> from skal.loop._stats import min_wilcoxon_p
    >>> min_wilcoxon_p(3), min_wilcoxon_p(6)
    (0.25, 0.03125)
    """
    return 1.0 if n < 1 else min(1.0, 2.0 / 2**n)
