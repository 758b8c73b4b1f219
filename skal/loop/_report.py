"""Text reports of a comparison: the aligned table and its conclusion in words."""

import math

from ._stats import min_wilcoxon_p

#: test name -> (summary key of its p-value, name in the report)
TESTS = {"ttest": ("p_ttest", "paired t-test"), "wilcoxon": ("p_wilcoxon", "Wilcoxon")}


def _fmt(value, digits=3):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _fmt_p(p, alpha=0.05, prefix=""):
    """Three decimals, more where rounding would cross ``alpha`` (0.04996)."""
    if p is None:
        return "-"
    if p < 0.001:
        return "<0.001"
    for digits in range(3, 8):
        text = f"{p:.{digits}f}"
        if (float(text) < alpha) == (p < alpha):
            break
    return prefix + text


def _fmt_saved(row, base_last):
    if row["labels_saved"] is None and row["labels_to_target"] is not None:
        return f">{base_last - row['labels_to_target']}"  # the baseline never got there
    return _fmt(row["labels_saved"])


def conclusion_text(rows, *, alpha, test, fallback):
    """Say in words what the summary rows can and cannot tell.

    Parameters
    ----------
    rows : list of dict
        :meth:`Comparison.summary` rows.
    alpha : float
        Significance level.
    test : {"ttest", "wilcoxon"}
        The test behind the verdicts.
    fallback : bool
        Whether the baseline is the first learner for want of a random one.

    Returns
    -------
    text : str
        One finding per line.
    """
    base = rows[0]["baseline"]
    others = [r for r in rows if r["learner"] != base]
    if not others:
        return f"Only one learner ({base!r}): nothing to compare."
    counts = sorted({r["n_paired"] for r in others})
    n = str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
    repeats = f"{n} repeat{'s' if n != '1' else ''}"
    lines = [
        f"Paired over {repeats} vs {base!r} (AULC difference, "
        f"{TESTS[test][1]}, p<{alpha:g})."
    ]
    if fallback:
        lines.append(f"No random-sampling curve: {base!r}, the first, is the base.")
    if counts[-1] < 2:
        return "\n".join(
            [
                *lines,
                f"With {repeats} no confidence interval or test is possible; "
                "use at least 3 repeats (10 or more to detect small differences).",
            ]
        )
    key = TESTS[test][0]
    for r in others:
        if r["verdict"] in ("better", "worse"):
            side = "above" if r["verdict"] == "better" else "below"
            lines.append(
                f"{r['learner']} is {side} {base}: {r['diff']:+.3f} AULC, "
                f"p{_fmt_p(r[key], alpha, '=')}."
            )
    if all(r["verdict"] in ("not significant", "untested") for r in others):
        lines.append(
            f"No learner differs from {base} at p<{alpha:g} with n={n} "
            "repeats; use more repeats."
        )
    else:
        quiet = [r["learner"] for r in others if r["verdict"] == "not significant"]
        if quiet:
            lines.append(
                f"Not different from {base} at p<{alpha:g}: {', '.join(quiet)}."
            )
    untested = [r["learner"] for r in others if r["verdict"] == "untested"]
    if untested:
        lines.append(f"Untested (under 2 paired repeats): {', '.join(untested)}.")
    if min_wilcoxon_p(counts[0]) >= alpha:
        need = next(k for k in range(1, 64) if min_wilcoxon_p(k) < alpha)
        lines.append(
            f"With fewer than {need} repeats the Wilcoxon test cannot reach "
            f"p<{alpha:g}."
        )
    return "\n".join(lines)


def table_text(rows, confidence, alpha, base_last):
    """Return the summary rows as an aligned text table.

    Parameters
    ----------
    rows : list of dict
        :meth:`Comparison.summary` rows.
    confidence, alpha : float
        The interval's coverage (for the header) and the significance level
        (p-values print with the digits that keep them on their side of it).
    base_last : int
        The baseline's largest label count, the bound of ``>k`` in "saved".

    Returns
    -------
    text : str
        Header, rule and one line per learner.
    """
    base = rows[0]["baseline"]
    head = [
        "learner",
        "AULC",
        f"{confidence:.0%} CI",
        f"vs {base}",
        "p (t)",
        "p (W)",
        "below",
        "final",
        f"labels to {rows[0]['target']:.3f}",
        "saved",
        "query s",
        "fit s",
    ]
    body = []
    for r in rows:
        ci = "-"
        if r["aulc_low"] is not None:
            ci = f"[{r['aulc_low']:.3f}, {r['aulc_high']:.3f}]"
        own = r["learner"] == base
        body.append(
            [
                r["learner"],
                _fmt(r["aulc"]),
                ci,
                "base" if own else f"{r['diff']:+.3f}",
                _fmt_p(r["p_ttest"], alpha),
                _fmt_p(r["p_wilcoxon"], alpha),
                "-" if own else f"{r['below_baseline']}/{r['n_paired']}",
                _fmt(r["final_score"]),
                _fmt(r["labels_to_target"]),
                "-" if own else _fmt_saved(r, base_last),
                _fmt(r["query_seconds"], 2),
                _fmt(r["fit_seconds"], 2),
            ]
        )
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths))
        )
        for line in [head, *body]
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)
