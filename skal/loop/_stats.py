"""Statistics over repeats: t-intervals and paired tests against a baseline.

Pure functions on arrays of per-repeat values (one area under the learning
curve per repeat). Undefined quantities are None, never NaN, so that results
compare equal after a JSON round trip and print as "-".
"""

import math
import warnings
from numbers import Real

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


def check_target(value):
    """Return a score target as a float: a number, not a bool (NaN is never hit)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(f"target must be a score (a float), got {value!r}.")
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


def _paired_diff(values, baseline, caller):
    """Paired differences ``values - baseline``, float noise set to 0."""
    values = np.asarray(values, dtype=float)
    baseline = np.asarray(baseline, dtype=float)
    if values.shape != baseline.shape or values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"{caller} needs two 1-d arrays of equal, non-zero length; "
            f"got shapes {values.shape} and {baseline.shape}."
        )
    diff = values - baseline
    diff[np.abs(diff) <= _TIE] = 0.0
    return diff


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
    diff = _paired_diff(values, baseline, "paired_difference")
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


def non_inferiority_p(values, baseline, margin):
    """Return the p-value that ``values`` are no worse than ``baseline`` by ``margin``.

    A non-inferiority test (the one-sided half of an equivalence test,
    TOST): with paired differences :math:`d_i = x_i - b_i`, the null
    hypothesis is that the learner is worse than the baseline by at least
    ``margin``, :math:`\\mu_d \\le -\\delta`, against
    :math:`\\mu_d > -\\delta`; the one-sided paired t statistic is
    :math:`t = (\\bar d + \\delta) / (s_d / \\sqrt n)` on :math:`n - 1`
    degrees of freedom (:func:`scipy.stats.ttest_1samp` with
    ``alternative="greater"``). A small p-value says the learner *matches or
    beats* the baseline to within ``margin``; a large one says the repeats
    cannot show it, which a two-sided test that finds no difference does not
    say.

    Parameters
    ----------
    values, baseline : array-like of shape (n,)
        Paired per-repeat values of a learner and of the baseline.
    margin : float
        The loss :math:`\\delta \\ge 0` that still counts as a match.

    Returns
    -------
    p : float or None
        The one-sided p-value; None when ``n < 2``. With every difference
        equal (no spread), 0.0 when it is above ``-margin`` and 1.0 when not.

    Examples
    --------
    >>> from skal.loop._stats import non_inferiority_p
    >>> a = [0.851, 0.849, 0.8505, 0.8495, 0.850]
    >>> b = [0.850, 0.850, 0.8500, 0.8500, 0.850]
    >>> non_inferiority_p(a, b, margin=0.005) < 0.001  # within 0.005: shown
    True
    >>> round(non_inferiority_p(a, b, margin=0.0), 2)  # at or above: cannot tell
    0.5
    """
    diff = _paired_diff(values, baseline, "non_inferiority_p")
    if (
        isinstance(margin, bool)
        or not isinstance(margin, (int, float))
        or not (0 <= margin < math.inf)
    ):
        raise ValueError(f"margin must be a finite float >= 0, got {margin!r}.")
    if diff.size < 2:
        return None
    if np.ptp(diff) <= _TIE:
        return 0.0 if diff[0] > -margin else 1.0
    return float(stats.ttest_1samp(diff, -margin, alternative="greater").pvalue)


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
