"""Comparisons: the learning curves of several learners, tested against random."""

import numpy as np

from ._curve import LearningCurve, _JSONMixin, check_curves
from ._report import TESTS, conclusion_text, table_text
from ._stats import _check_level, check_target, paired_difference


def _is_random(name):
    name = name.lower()
    return name == "random" or name.startswith("randomsampling")


def _paired_areas(curve, base):
    """Per-repeat areas of two curves, paired on their seeds when they have them.

    Curves with no seed in common (runs made apart) are paired by position:
    their differences are then independent, which keeps the tests valid,
    only less powerful than on truly paired repeats.
    """
    a, b = curve.aulc(per_repeat=True), base.aulc(per_repeat=True)
    seeds_a = [r["seed"] for r in curve.repeats]
    seeds_b = [r["seed"] for r in base.repeats]
    keyed = all(s is not None for s in seeds_a + seeds_b)
    if keyed and len(set(seeds_a)) == len(a) and len(set(seeds_b)) == len(b):
        where = {s: i for i, s in enumerate(seeds_a)}
        pairs = [(where[s], j) for j, s in enumerate(seeds_b) if s in where]
        if pairs:
            return a[[i for i, _ in pairs]], b[[j for _, j in pairs]]
    n = min(len(a), len(b))
    return a[:n], b[:n]


def _saved(labels, base_labels):
    if labels is None or base_labels is None:
        return None
    return base_labels - labels


class Comparison(_JSONMixin, dict):
    """Learning curves of several learners run on the same seeds, and their tests.

    A dict from learner name to :class:`LearningCurve`, with a summary
    table, a plain-language conclusion, one plot and JSON save/load.
    Returned by :func:`skal.compare`.

    Every learner is compared with a baseline, ``"random"`` when there is
    such a curve, else the first learner. Repeats are paired on their seeds
    (the same split, initial set and seed for every learner), and the
    difference of the areas under the curves (AULC, the AUBC of Zhan et al.
    2021) is tested with the paired t-test (the default verdict) and the
    Wilcoxon signed-rank test; intervals are Student t intervals over
    repeats at 95 %. The p-values are per pair, not corrected for the number
    of learners compared.

    Parameters
    ----------
    curves : dict of str to LearningCurve
        The curves, in display order.

    Examples
    --------
    >>> from skal.loop import Comparison, LearningCurve
    >>> rec = {"query_seconds": [0, 0], "fit_seconds": [0, 0]}
    >>> def reps(*finals):
    ...     return [{"n_labeled": [10, 20], "score": [0.5, s], "seed": i, **rec}
    ...             for i, s in enumerate(finals)]
    >>> result = Comparison({"random": LearningCurve(reps(0.6, 0.62, 0.64)),
    ...                      "margin": LearningCurve(reps(0.8, 0.9, 0.95))})
    >>> [row["learner"] for row in result.summary(target=0.8)]
    ['margin', 'random']
    >>> row = result.summary(target=0.8)[0]
    >>> row["labels_to_target"], round(row["diff"], 3), row["verdict"]
    (20, 0.132, 'better')
    >>> print(result.conclusion())
    Paired over 3 repeats vs 'random' (AULC difference, paired t-test, p<0.05).
    margin is above random: +0.132 AULC, p=0.015.
    With fewer than 6 repeats the Wilcoxon test cannot reach p<0.05.
    """

    def __init__(self, curves=()):
        super().__init__(check_curves(curves))

    def default_target(self):
        """Return 95 % of the best final mean score, the default target.

        Returns
        -------
        target : float
            The score that ``labels_to_target`` counts labels up to.
        """
        return 0.95 * max(curve.final_score() for curve in self.values())

    def baseline(self, baseline=None):
        """Return the name of the learner the others are compared with.

        Parameters
        ----------
        baseline : str, default=None
            A learner's name; None picks ``"random"`` (or a
            ``RandomSampling`` learner) when present, else the first learner.

        Returns
        -------
        name : str
            The baseline's name.
        """
        if not self:
            raise ValueError("The comparison has no curves.")
        if baseline is None:
            return next((n for n in self if _is_random(n)), next(iter(self)))
        if baseline not in self:
            raise ValueError(
                f"baseline={baseline!r} is not a learner of this comparison; "
                f"choose one of {sorted(self)}."
            )
        return baseline

    def summary(
        self, target=None, *, baseline=None, confidence=0.95, alpha=0.05, test="ttest"
    ):
        """Return one row per learner, best area under the curve first.

        Parameters
        ----------
        target : float, default=None
            Score for the ``labels_to_target`` column; None uses
            :meth:`default_target`.
        baseline : str, default=None
            As in :meth:`baseline`: random sampling, else the first learner.
        confidence : float, default=0.95
            Coverage of the t-intervals.
        alpha : float, default=0.05
            Significance level of the ``verdict``.
        test : {"ttest", "wilcoxon"}, default="ttest"
            The test behind the ``verdict``.

        Returns
        -------
        rows : list of dict
            Keys ``learner``, ``n_repeats``, ``aulc`` (mean over repeats),
            ``aulc_std`` (their standard deviation), ``aulc_low`` and
            ``aulc_high`` (t-interval), ``final_score``,
            ``labels_to_target``, ``target``, ``baseline``, ``n_paired``,
            ``diff``, ``diff_low`` and ``diff_high`` (mean paired AULC
            difference to the baseline and its t-interval), ``p_ttest``,
            ``p_wilcoxon``, ``below_baseline`` and ``ties_baseline``
            (repeats below or equal to the baseline), ``labels_saved``
            (the baseline's ``labels_to_target`` minus this learner's),
            ``verdict`` (``"better"``, ``"worse"``, ``"not significant"``,
            ``"untested"`` under 2 paired repeats, or ``"baseline"``),
            ``query_seconds`` and ``fit_seconds`` (per repeat). Undefined
            values are None.
        """
        target = self.default_target() if target is None else check_target(target)
        base = self.baseline(baseline)
        confidence = _check_level(confidence, "confidence")
        alpha = _check_level(alpha, "alpha")
        if test not in TESTS:
            raise ValueError(f"test must be 'ttest' or 'wilcoxon', got {test!r}.")
        base_labels = self[base].labels_to(target)
        rows = []
        for name, curve in self.items():
            mean, low, high = curve.aulc_interval(confidence)
            q, f = curve.seconds()
            labels = curve.labels_to(target)
            row = {
                "learner": name,
                "n_repeats": len(curve.repeats),
                "aulc": mean,
                "aulc_std": float(np.std(curve.aulc(per_repeat=True))),
                "aulc_low": low,
                "aulc_high": high,
                "final_score": curve.final_score(),
                "labels_to_target": labels,
                "target": target,
                "baseline": base,
                **self._versus(name, base, confidence, alpha, TESTS[test][0]),
                "labels_saved": None if name == base else _saved(labels, base_labels),
                "query_seconds": q,
                "fit_seconds": f,
            }
            rows.append(row)
        return sorted(rows, key=lambda row: -row["aulc"])

    def _versus(self, name, base, confidence, alpha, key):
        curve = self[name]
        if name == base:
            empty = ("diff", "diff_low", "diff_high", "p_ttest", "p_wilcoxon")
            return {
                "n_paired": len(curve.repeats),
                **dict.fromkeys(empty),
                "below_baseline": None,
                "ties_baseline": None,
                "verdict": "baseline",
            }
        r = paired_difference(*_paired_areas(curve, self[base]), confidence)
        if r[key] is None:
            verdict = "untested"
        elif r[key] < alpha and r["diff"] != 0:
            verdict = "better" if r["diff"] > 0 else "worse"
        else:
            verdict = "not significant"
        return {
            "n_paired": r["n"],
            **{k: r[k] for k in ("diff", "diff_low", "diff_high")},
            **{k: r[k] for k in ("p_ttest", "p_wilcoxon")},
            "below_baseline": r["below"],
            "ties_baseline": r["ties"],
            "verdict": verdict,
        }

    def conclusion(self, *, baseline=None, alpha=0.05, test="ttest"):
        """Say in words what the repeats can and cannot tell.

        Parameters
        ----------
        baseline, alpha, test
            As in :meth:`summary`.

        Returns
        -------
        text : str
            One line per finding: which learners are above or below the
            baseline at ``p < alpha``, or that the data cannot tell them
            apart and more repeats are needed.
        """
        rows = self.summary(baseline=baseline, alpha=alpha, test=test)
        fallback = baseline is None and not _is_random(rows[0]["baseline"])
        return conclusion_text(rows, alpha=alpha, test=test, fallback=fallback)

    def table(
        self, target=None, *, baseline=None, confidence=0.95, alpha=0.05, test="ttest"
    ):
        """Return the summary as an aligned text table and its conclusion.

        Parameters
        ----------
        target, baseline, confidence, alpha, test
            As in :meth:`summary`.

        Returns
        -------
        text : str
            The table, one line per learner, then a blank line and
            :meth:`conclusion`.
        """
        rows = self.summary(
            target, baseline=baseline, confidence=confidence, alpha=alpha, test=test
        )
        base = rows[0]["baseline"]
        base_last = int(self[base].mean_curve()[0][-1])
        text = self.conclusion(baseline=baseline, alpha=alpha, test=test)
        return "\n".join([table_text(rows, confidence, alpha, base_last), "", text])

    def to_frame(self, kind="rounds", **summary_params):
        """Return the curves or their statistics as a pandas DataFrame.

        Parameters
        ----------
        kind : {"rounds", "repeats", "summary"}, default="rounds"
            ``"rounds"``: every curve's records, one row per learner, repeat
            and round (as :meth:`LearningCurve.to_frame`). ``"repeats"``:
            one row per learner and repeat, with columns ``learner``,
            ``repeat``, ``seed``, ``aulc``, ``final_score``, ``n_labeled``
            and ``stopped_by``. ``"summary"``: one row per learner, the
            columns of :meth:`summary`, in its order.
        **summary_params : dict
            For ``kind="summary"``: ``target``, ``baseline``,
            ``confidence``, ``alpha`` and ``test`` of :meth:`summary`.

        Returns
        -------
        frame : pandas.DataFrame
            The table.
        """
        import pandas as pd

        if kind == "rounds":
            return pd.concat([c.to_frame() for c in self.values()], ignore_index=True)
        if kind == "summary":
            rows = self.summary(**summary_params)
            return pd.DataFrame(rows, columns=list(rows[0]))
        if kind != "repeats":
            raise ValueError(
                f"kind must be 'rounds', 'repeats' or 'summary', got {kind!r}."
            )
        rows = [
            {
                "learner": name,
                "repeat": i,
                "seed": rep["seed"],
                "aulc": float(area),
                "final_score": rep["score"][-1],
                "n_labeled": rep["n_labeled"][-1],
                "stopped_by": rep["stopped_by"],
            }
            for name, curve in self.items()
            for i, (rep, area) in enumerate(
                zip(curve.repeats, curve.aulc(per_repeat=True))
            )
        ]
        return pd.DataFrame(rows)

    def plot(self, ax=None, *, title=None, band="ci", confidence=0.95):
        """Plot every learner's mean curve with its confidence band.

        The legend follows the order of :meth:`table` (best area first) and
        gives each learner's AULC with the half-width of its t-interval.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        title : str, default=None
            Axes title.
        band : {"ci", "std"} or None, default="ci"
            As in :meth:`LearningCurve.plot`: the t-interval of the mean
            score at each label count, one standard deviation, or none.
        confidence : float, default=0.95
            Coverage of the intervals.

        Returns
        -------
        ax : matplotlib Axes
            The axes drawn on.
        """
        rows = self.summary(confidence=confidence)
        many = len(rows) > 10  # past the 10 default colours: 20, and dashes
        columns = -(-len(rows) // 25) if many else 0  # of the legend beside
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(7 + 3.2 * columns, 4.5))
        for i, row in enumerate(rows):
            name = row["learner"]
            label = f"{name} (AULC {row['aulc']:.3f}"
            if row["aulc_low"] is not None:
                label += f" ± {(row['aulc_high'] - row['aulc_low']) / 2:.3f}"
            style = {}
            if many:
                import matplotlib

                style = {
                    "color": matplotlib.colormaps["tab20"](i % 20),
                    "linestyle": ("-", "--", ":")[i // 20 % 3],
                }
            self[name].plot(
                ax, label=label + ")", band=band, confidence=confidence, **style
            )
        if many:  # beside the axes, in columns of 25
            ax.legend(
                loc="upper left",
                bbox_to_anchor=(1.01, 1),
                fontsize="small",
                ncol=columns,
            )
        else:
            ax.legend(loc="lower right")
        ax.grid(alpha=0.3)
        if title:
            ax.set_title(title)
        return ax

    def to_dict(self):
        """Return a JSON-ready dict of all curves and their summary.

        Returns
        -------
        data : dict
            ``{"curves": [curve.to_dict(), ...], "summary": [...]}``; the
            summary (of :meth:`summary` with its defaults) is for readers
            outside Python, :meth:`from_dict` recomputes it.
        """
        return {
            "curves": [{**c.to_dict(), "name": name} for name, c in self.items()],
            "summary": self.summary() if self else [],
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a comparison from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict
            As written by :meth:`to_dict`.

        Returns
        -------
        result : Comparison
            The rebuilt comparison.
        """
        curves = [LearningCurve.from_dict(d) for d in data["curves"]]
        return cls({curve.name: curve for curve in curves})
