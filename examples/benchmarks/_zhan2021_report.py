"""Statistics and report of the Zhan et al. (2021) benchmark.

Helper of ``bench_zhan2021.py`` (not a benchmark itself): the paired
statistics (:func:`paired_stats`), the per-set summary of the repeats
(:func:`summarise`), the goals of the ``auto`` row (:func:`goal_check`) and
the printed and reStructuredText tables.
"""

import numpy as np
from _zhan2021_data import PUBLISHED
from scipy import stats

from skal.loop._stats import non_inferiority_p

#: Order of the strategy rows and columns in the tables.
ROW_ORDER = ["random", "uniform", "margin", "auto", "albl", "coreset", "qbc", "density"]
#: the loss to margin that still "matches" it: the issue's 0.005 AUBC
MATCH_MARGIN = 0.005


def paired_stats(values, baseline, margin=None):
    """Mean difference, paired t and Wilcoxon p, and "below in k of n".

    With ``margin``, also ``non_inferiority_p``: the one-sided test that
    ``values`` are at most ``margin`` below ``baseline``
    (:func:`skal.loop._stats.non_inferiority_p`).
    """
    diff = np.asarray(values) - np.asarray(baseline)
    out = {
        "delta": float(diff.mean()),
        "below": int((diff < 0).sum()),
        "n": int(diff.size),
        "t_p": None,
        "wilcoxon_p": None,
    }
    if margin is not None:
        out["non_inferiority_p"] = non_inferiority_p(values, baseline, margin)
    if diff.size >= 2 and np.any(diff != 0):
        out["t_p"] = float(stats.ttest_rel(values, baseline).pvalue)
        out["wilcoxon_p"] = float(stats.wilcoxon(values, baseline).pvalue)
    return out


def summarise(records):
    """Group repeats by (part, set, split) into per-strategy summaries."""
    groups, dropped = {}, {}
    for rec in records:
        key = (rec["part"], rec["set"], rec.get("split", "stratified"))
        if rec.get("dropped"):
            dropped[key] = dropped.get(key, 0) + 1
        else:
            groups.setdefault(key, []).append(rec)
    summary = []
    for (part, name, split_name), recs in groups.items():
        # paired: only the strategies every repeat of the set has run
        names = sorted(
            (s for s in recs[0]["results"] if all(s in r["results"] for r in recs)),
            key=lambda s: ROW_ORDER.index(s) if s in ROW_ORDER else 99,
        )
        aubc = {s: [r["results"][s]["aubc"] for r in recs] for s in names}
        row = {
            "part": part,
            "set": name,
            "n_pool": recs[0]["n_pool"],
            "capped": recs[0]["capped"],
            "strategies": {},
        }
        if split_name != "stratified":
            row["split"] = split_name
            row["dropped"] = dropped.get((part, name, split_name), 0)
        if part == "svc" and name in PUBLISHED:
            row["published_uniform"], row["published_us_c"] = PUBLISHED[name]
        for s in names:
            entry = {
                "mean": float(np.mean(aubc[s])),
                "sd": float(np.std(aubc[s], ddof=1)) if len(aubc[s]) > 1 else 0.0,
                "query_seconds_per_round": float(
                    np.mean([r["results"][s]["query_seconds_per_round"] for r in recs])
                ),
                "seconds": float(np.mean([r["results"][s]["seconds"] for r in recs])),
            }
            lu = [r["results"][s].get("aubc_lu") for r in recs]
            if None not in lu and part == "svc":  # their formula is for batch 1
                entry["mean_lu"] = float(np.mean(lu))
            if s != "random" and "random" in aubc:
                entry["vs_random"] = paired_stats(aubc[s], aubc["random"])
            if s != "margin" and "margin" in aubc:
                entry["vs_margin"] = paired_stats(
                    aubc[s], aubc["margin"], margin=MATCH_MARGIN
                )
            agree = [r["results"][s].get("all_agree_share") for r in recs]
            if None not in agree:
                entry["all_agree_share"] = float(np.mean(agree))
            shares = [r["results"][s].get("arm_share") for r in recs]
            if all(shares):
                arms = sorted({a for sh in shares for a in sh})
                entry["arm_share"] = {
                    a: float(np.mean([sh.get(a, 0.0) for sh in shares])) for a in arms
                }
            row["strategies"][s] = entry
        summary.append(row)
    return summary


def goal_check(summary, name="auto", alpha=0.05, tol=MATCH_MARGIN):
    """Per set: ``name`` against random and margin, and the issue's goals.

    ``below_random``: significantly below random (mean below it and the
    paired t-test or the Wilcoxon test at p < ``alpha``); ``at_least_margin``:
    mean at or above margin's; ``within_margin``: mean at most ``tol`` below
    margin's (the issue's tolerance for reproducing a published mean);
    ``not_below_margin``: not significantly below margin (the same two
    tests); ``non_inferior``: shown to be at most ``tol`` below margin (the
    one-sided non-inferiority t-test at p < ``alpha``); ``matches_or_beats``:
    ``at_least_margin`` or ``non_inferior``, the reading of "matches or beats
    margin's mean" used on the page;
    ``cost_ratio``: its mean seconds per query over margin's (only
    meaningful when both ran in the same process, on the same load).
    """

    def below(delta, test):
        p = min(test["t_p"] or 1.0, test.get("wilcoxon_p") or 1.0)
        return delta < 0 and p < alpha

    rows = []
    for row in summary:
        ent = row["strategies"]
        if name not in ent or "margin" not in ent or "random" not in ent:
            continue
        vr, vm = ent[name]["vs_random"], ent[name]["vs_margin"]
        ni = vm.get("non_inferiority_p")  # 0.0 for a constant gap within tol
        rows.append(
            {
                "part": row["part"],
                "set": row["set"],
                "capped": row["capped"],
                "n": vr["n"],
                "random": ent["random"]["mean"],
                "margin": ent["margin"]["mean"],
                name: ent[name]["mean"],
                "margin_vs_random": ent["margin"]["vs_random"]["delta"],
                "vs_random": vr["delta"],
                "vs_random_p": vr["t_p"],
                "vs_margin": vm["delta"],
                "vs_margin_p": vm["t_p"],
                "vs_margin_wilcoxon_p": vm.get("wilcoxon_p"),
                "below_random": below(vr["delta"], vr),
                "at_least_margin": vm["delta"] >= 0,
                "within_margin": vm["delta"] >= -tol,
                "not_below_margin": not below(vm["delta"], vm),
                "vs_margin_non_inferiority_p": ni,
                "non_inferior": ni is not None and ni < alpha,
                "matches_or_beats": vm["delta"] >= 0 or (ni is not None and ni < alpha),
                "cost_ratio": ent[name]["query_seconds_per_round"]
                / max(ent["margin"]["query_seconds_per_round"], 1e-12),
            }
        )
    return rows


def format_goals(rows, name="auto"):
    lines = [
        f"{'set':14} {'n':>3} {'margin-rand':>11} {name + '-rand':>10} {'p':>6} "
        f"{name + '-margin':>11} {'p':>6} {'cost x':>6}"
    ]
    for r in rows:
        lines.append(
            f"{r['set'] + ('*' if r['capped'] else ''):14} {r['n']:3d} "
            f"{r['margin_vs_random']:+11.4f} {r['vs_random']:+10.4f} "
            f"{_p(r['vs_random_p']):>6} {r['vs_margin']:+11.4f} "
            f"{_p(r['vs_margin_p']):>6} {r['cost_ratio']:6.2f}"
        )
    n = len(rows)
    lines.append(
        f"{name} significantly below random on {sum(r['below_random'] for r in rows)}"
        f" of {n}; mean >= margin's on {sum(r['at_least_margin'] for r in rows)} of "
        f"{n}; within 0.005 of it on {sum(r['within_margin'] for r in rows)} of "
        f"{n}; not significantly below margin on "
        f"{sum(r['not_below_margin'] for r in rows)} of {n} (significant: paired t "
        "or Wilcoxon, p < 0.05); shown at most 0.005 below it (non-inferiority "
        f"t-test, p < 0.05) on {sum(r['non_inferior'] for r in rows)} of {n}; "
        f"matches or beats it (mean at or above, or shown at most 0.005 below) on "
        f"{sum(r['matches_or_beats'] for r in rows)} of {n}"
    )
    return "\n".join(lines)


def _p(value):
    if value is None:
        return "  -  "
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def format_table(summary):
    lines = [
        f"{'part':4} {'set':13} {'strategy':8} {'AUBC':>15} {'d vs rand':>9} "
        f"{'t p':>6} {'W p':>6} {'below':>6} {'Lu AUBC':>7} {'pub':>7} "
        f"{'s/round':>8}"
    ]
    for row in summary:
        pub = {
            "random": row.get("published_uniform"),
            "margin": row.get("published_us_c"),
        }
        for s, e in row["strategies"].items():
            vs = e.get("vs_random", {})
            below = f"{vs['below']}/{vs['n']}" if vs else ""
            delta = f"{vs['delta']:+.4f}" if vs else ""
            published = f"{pub[s]:.4f}" if pub.get(s) else ""
            set_name = (
                row["set"]
                + ("*" if row["capped"] else "")
                + (f"/{row['split']}" if "split" in row else "")
            )
            lines.append(
                f"{row['part']:4} {set_name:13} {s:8} "
                f"{e['mean']:.4f} ± {e['sd']:.4f} {delta:>9} "
                f"{_p(vs.get('t_p')):>6} {_p(vs.get('wilcoxon_p')):>6} {below:>6} "
                f"{format(e['mean_lu'], '.4f') if 'mean_lu' in e else '':>7} "
                f"{published:>7} "
                f"{e['query_seconds_per_round']:8.4f}"
            )
    lines.append("* pool capped (not the published protocol)")
    for row in summary:
        if row.get("dropped"):
            lines.append(
                f"{row['set']}/{row['split']}: {row['dropped']} repeats "
                "dropped (their initial labels miss a class)"
            )
    return "\n".join(lines)


def _rst_table(header, rows):
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {cell}" for cell in row[1:])
    return "\n".join(lines)


def _rst_part(rows, published):
    names = list(dict.fromkeys(s for row in rows for s in row["strategies"]))
    means, deltas = [], []
    for row in rows:
        label = f"{row['set']} ({row['n_pool']}{', capped' if row['capped'] else ''}"
        label += f", {row['split']} split)" if "split" in row else ")"
        ent = row["strategies"]
        cells = [label]
        if published:  # not beside capped pools: another protocol
            for key, s in (
                ("published_uniform", "random"),
                ("published_us_c", "margin"),
            ):
                shown = key in row and not row["capped"]
                cells.append(f"{row[key]:.4f}" if shown else "")
                lu = ent.get(s, {}).get("mean_lu")
                cells.append("" if lu is None or not shown else f"{lu:.4f}")
        cells += [
            f"{ent[s]['mean']:.4f} ± {ent[s]['sd']:.4f}" if s in ent else ""
            for s in names
        ]
        means.append(cells)
        cells = [label]
        for s in names[1:]:
            vs = ent.get(s, {}).get("vs_random")
            cells.append(
                ""
                if not vs
                else f"{vs['delta']:+.4f} (t {_p(vs['t_p'])}, W "
                f"{_p(vs['wilcoxon_p'])}; below {vs['below']}/{vs['n']})"
            )
        vm = ent.get("auto", {}).get("vs_margin")
        cells.append(
            ""
            if not vm
            else f"{vm['delta']:+.4f} (t {_p(vm['t_p'])}, "
            f"W {_p(vm['wilcoxon_p'])}; below {vm['below']}/{vm['n']})"
        )
        deltas.append(cells)
    head = ["set (pool)"]
    if published:
        head += [
            "published Uniform",
            "random, Lu's AUBC",
            "published US-C",
            "margin, Lu's AUBC",
        ]
    head += names
    return (
        _rst_table(head, means)
        + "\n\n"
        + _rst_table(
            ["set (pool)", *[f"{n} - random" for n in names[1:]], "auto - margin"],
            deltas,
        )
    )


def _rst_goals(goals):
    rows = []
    for r in goals:
        label = f"{r['set']} ({r['part']}{', capped' if r['capped'] else ''})"
        rows.append(
            [
                label,
                f"{r['margin_vs_random']:+.4f}",
                f"{r['vs_random']:+.4f} (t {_p(r['vs_random_p'])})",
                f"{r['vs_margin']:+.4f} (t {_p(r['vs_margin_p'])})",
                "no" if r["below_random"] else "yes",
                "yes (mean at or above)"
                if r["at_least_margin"]
                else (
                    f"yes (non-inferior, p {_p(r['vs_margin_non_inferiority_p'])})"
                    if r["non_inferior"]
                    else "no"
                ),
            ]
        )
    return _rst_table(
        [
            "set",
            "margin - random",
            "auto - random",
            "auto - margin",
            "not below random",
            "matches or beats margin",
        ],
        rows,
    )


def format_rst(summary):
    """reStructuredText tables per part (AUBC, paired differences) and the goals."""
    out = []
    for part in ("svc", "lr"):
        rows = [row for row in summary if row["part"] == part]
        if rows:
            out.append(_rst_part(rows, published=part == "svc"))
    goals = goal_check(summary)
    if goals:
        out.append(_rst_goals(goals))
    return "\n\n".join(out)
