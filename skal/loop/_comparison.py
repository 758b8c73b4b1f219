"""Comparisons: the learning curves of several learners, tabled and plotted."""

import math

import numpy as np

from ._curve import LearningCurve, _JSONMixin


def _fmt(value, digits=3):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


class Comparison(_JSONMixin, dict):
    """Learning curves of several learners run on the same seeds.

    A dict from learner name to :class:`LearningCurve`, with a summary
    table, one plot and JSON save/load. Returned by :func:`skal.compare`.

    Parameters
    ----------
    curves : dict of str to LearningCurve
        The curves, in display order.

    Examples
    --------
    >>> from skal.loop import Comparison, LearningCurve
    >>> rec = {"query_seconds": [0, 0], "fit_seconds": [0, 0]}
    >>> result = Comparison({
    ...     "a": LearningCurve([{"n_labeled": [10, 20], "score": [0.5, 0.9], **rec}]),
    ...     "b": LearningCurve([{"n_labeled": [10, 20], "score": [0.5, 0.6], **rec}]),
    ... })
    >>> [row["learner"] for row in result.summary(target=0.8)]
    ['a', 'b']
    >>> result.summary(target=0.8)[0]["labels_to_target"]
    20
    """

    def __init__(self, curves=()):
        super().__init__(curves)

    def default_target(self):
        """Return 95 % of the best final mean score, the default target.

        Returns
        -------
        target : float
            The score that ``labels_to_target`` counts labels up to.
        """
        return 0.95 * max(curve.final_score() for curve in self.values())

    def summary(self, target=None):
        """Return one row per learner, best area under the curve first.

        Parameters
        ----------
        target : float, default=None
            Score for the ``labels_to_target`` column; None uses
            :meth:`default_target`.

        Returns
        -------
        rows : list of dict
            Keys ``learner``, ``aulc``, ``aulc_std``, ``final_score``,
            ``labels_to_target``, ``target``, ``query_seconds`` and
            ``fit_seconds`` (per repeat).
        """
        target = self.default_target() if target is None else float(target)
        rows = []
        for name, curve in self.items():
            q, f = curve.seconds()
            rows.append(
                {
                    "learner": name,
                    "aulc": curve.aulc(),
                    "aulc_std": float(np.std(curve.aulc(per_repeat=True))),
                    "final_score": curve.final_score(),
                    "labels_to_target": curve.labels_to(target),
                    "target": target,
                    "query_seconds": q,
                    "fit_seconds": f,
                }
            )
        return sorted(rows, key=lambda row: -row["aulc"])

    def table(self, target=None):
        """Return the summary as an aligned text table.

        Parameters
        ----------
        target : float, default=None
            As in :meth:`summary`.

        Returns
        -------
        text : str
            The table, one line per learner.
        """
        rows = self.summary(target)
        head = [
            "learner",
            "AULC",
            "+/-",
            "final",
            f"labels to {rows[0]['target']:.3f}",
            "query s",
            "fit s",
        ]
        body = [
            [
                r["learner"],
                _fmt(r["aulc"]),
                _fmt(r["aulc_std"]),
                _fmt(r["final_score"]),
                _fmt(r["labels_to_target"]),
                _fmt(r["query_seconds"], 2),
                _fmt(r["fit_seconds"], 2),
            ]
            for r in rows
        ]
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

    def to_frame(self):
        """Return every curve's records in one long pandas DataFrame.

        Returns
        -------
        frame : pandas.DataFrame
            As :meth:`LearningCurve.to_frame`, rows of all learners.
        """
        import pandas as pd

        return pd.concat([c.to_frame() for c in self.values()], ignore_index=True)

    def plot(self, ax=None, *, title=None):
        """Plot every learner's mean curve with its spread on one axes.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        title : str, default=None
            Axes title.

        Returns
        -------
        ax : matplotlib Axes
            The axes drawn on.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(7, 4.5))
        for name, curve in self.items():
            curve.plot(ax, label=f"{name} (AULC {curve.aulc():.3f})")
        ax.legend(loc="lower right")
        ax.grid(alpha=0.3)
        if title:
            ax.set_title(title)
        return ax

    def to_dict(self):
        """Return a JSON-ready dict of all curves.

        Returns
        -------
        data : dict
            ``{"curves": [curve.to_dict(), ...]}``.
        """
        return {"curves": [curve.to_dict() for curve in self.values()]}

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
