"""Learning curves: per-repeat records, area under the curve, plots, JSON."""

import json

import numpy as np

from ._stats import check_target, t_interval

_FIELDS = ("n_labeled", "score", "query_seconds", "fit_seconds")


def _by_count(repeats):
    """Align repeats on their label counts: {count: [score of each repeat]}."""
    by_count = {}
    for rep in repeats:
        for n, s in zip(rep["n_labeled"], rep["score"]):
            by_count.setdefault(int(n), []).append(float(s))
    return by_count, np.array(sorted(by_count), dtype=float)


def _mean_curve(repeats):
    """Align repeats on their label counts; return counts, means and stds."""
    by_count, counts = _by_count(repeats)
    means = np.array([np.mean(by_count[int(n)]) for n in counts])
    stds = np.array([np.std(by_count[int(n)]) for n in counts])
    return counts, means, stds


def _band(repeats, confidence):
    """Return counts, means and the t-interval of the mean at each count."""
    by_count, counts = _by_count(repeats)
    rows = [t_interval(by_count[int(n)], confidence) for n in counts]
    mean, low, high = (
        np.array([np.nan if v is None else v for v in col], dtype=float)
        for col in zip(*rows)
    )
    return counts, mean, low, high


def _area(counts, scores):
    """Return the trapezoid area under ``scores`` over ``counts``, per label."""
    counts = np.asarray(counts, dtype=float)
    scores = np.asarray(scores, dtype=float)
    if counts.shape[0] == 1:
        return float(scores[0])
    width = counts[-1] - counts[0]
    return float(np.sum((scores[1:] + scores[:-1]) / 2 * np.diff(counts)) / width)


def _int_list(values):
    return None if values is None else [int(v) for v in values]


def _check_repeats(repeats):
    """Refuse repeats that are not dicts of equal-length number lists."""
    if isinstance(repeats, (dict, str)) or not hasattr(repeats, "__iter__"):
        kind = type(repeats).__name__
        raise TypeError(f"repeats must be a list of dicts, got {kind}.")
    repeats = list(repeats)
    for k, rep in enumerate(repeats):
        missing = [f for f in _FIELDS if not isinstance(rep, dict) or f not in rep]
        if missing:
            raise ValueError(
                f"repeat {k} lacks {missing}: each repeat is a dict of the lists "
                f"{list(_FIELDS)} (one entry per round)."
            )
        if len({len(rep[f]) for f in _FIELDS}) != 1:
            raise ValueError(
                f"repeat {k}: the lists {list(_FIELDS)} must have one entry per "
                f"round each, got lengths {[len(rep[f]) for f in _FIELDS]}."
            )
    return repeats


def check_curves(curves):
    """The ``{name: LearningCurve}`` items of a comparison, checked."""
    items = dict(curves)
    for name, curve in items.items():
        if not isinstance(curve, LearningCurve):
            raise TypeError(
                f"Comparison maps names to LearningCurve objects (as compare "
                f"returns); {name!r} maps to {type(curve).__name__}."
            )
    return items


class _JSONMixin:
    """``save``/``load`` through ``to_dict``/``from_dict``."""

    def save(self, path):
        """Write the results to a JSON file.

        Parameters
        ----------
        path : str or path-like
            Destination file.
        """
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_dict(), f, indent=1)

    @classmethod
    def load(cls, path):
        """Read results written by :meth:`save`.

        Parameters
        ----------
        path : str or path-like
            A JSON file.

        Returns
        -------
        results : object
            The rebuilt results.
        """
        with open(path, encoding="utf-8") as f:
            try:
                data = json.load(f)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path} is not JSON ({exc}).") from None
        try:
            return cls.from_dict(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(
                f"{path} holds no {cls.__name__} written by save: {exc!r}."
            ) from None


class LearningCurve(_JSONMixin):
    """The learning curve of one learner, over one or more repeats.

    Each repeat records, per round, the number of labels used, the test
    score, and the seconds spent querying and fitting. Returned by
    :func:`skal.simulate`; :func:`skal.compare` returns one per learner.

    Parameters
    ----------
    repeats : list of dict
        One dict per repeat with equal-length lists ``n_labeled``,
        ``score``, ``query_seconds`` and ``fit_seconds``, an int ``seed``,
        ``stopped_by`` (the name of the stopping criterion that ended the
        repeat, or None) and ``initial_indices`` (the positions in ``X`` of
        the initial labeled rows, or None when not recorded).
    name : str, default="learner"
        Label of the curve in tables and plots.
    scoring : str, default="score"
        Name of the score, for axis labels.

    Examples
    --------
    >>> from skal.loop import LearningCurve
    >>> curve = LearningCurve([{"n_labeled": [10, 20, 40], "score": [0.5, 0.7, 0.8],
    ...                         "query_seconds": [0, 0, 0], "fit_seconds": [0, 0, 0]}])
    >>> round(curve.aulc(), 4)
    0.7
    >>> curve.labels_to(0.7)
    20
    """

    def __init__(self, repeats, *, name="learner", scoring="score"):
        self.repeats = [
            {
                **{k: [float(v) for v in rep[k]] for k in _FIELDS},
                "seed": rep.get("seed"),
                "stopped_by": rep.get("stopped_by"),
                "initial_indices": _int_list(rep.get("initial_indices")),
            }
            for rep in _check_repeats(repeats)
        ]
        for rep in self.repeats:
            rep["n_labeled"] = [int(n) for n in rep["n_labeled"]]
        self.name = name
        self.scoring = scoring

    def __repr__(self):
        return (
            f"LearningCurve(name={self.name!r}, n_repeats={len(self.repeats)}, "
            f"final={self.final_score():.4f})"
        )

    def mean_curve(self):
        """Return the curve averaged over repeats at each label count.

        Returns
        -------
        n_labeled : ndarray of shape (n_points,)
            Label counts reached by at least one repeat.
        mean : ndarray of shape (n_points,)
            Mean score over the repeats that reached that count.
        std : ndarray of shape (n_points,)
            Standard deviation of those scores.
        """
        return _mean_curve(self.repeats)

    def aulc(self, *, per_repeat=False):
        """Return the normalized area under the learning curve.

        The trapezoid area over the label axis divided by the width of that
        axis, so it is a mean score in the units of ``scoring`` (a curve at
        a constant 0.8 has an area of 0.8). This is the AUBC, the area under
        the budget curve, of Zhan et al. (IJCAI 2021): the mean score over
        the budget.

        Parameters
        ----------
        per_repeat : bool, default=False
            Return one area per repeat instead of their mean.

        Returns
        -------
        area : float or ndarray of shape (n_repeats,)
            The normalized area.
        """
        areas = np.array([_area(r["n_labeled"], r["score"]) for r in self.repeats])
        return areas if per_repeat else float(areas.mean())

    def aulc_interval(self, confidence=0.95):
        """Return the mean area under the curve and its t-interval over repeats.

        Parameters
        ----------
        confidence : float, default=0.95
            Coverage of the interval.

        Returns
        -------
        mean : float
            :meth:`aulc`.
        low, high : float or None
            Student t interval of the mean over repeats; None with one
            repeat.
        """
        return t_interval(self.aulc(per_repeat=True), confidence)

    def confidence_band(self, confidence=0.95):
        """Return the mean curve with a t-interval at each label count.

        Parameters
        ----------
        confidence : float, default=0.95
            Coverage of the interval.

        Returns
        -------
        n_labeled, mean, low, high : ndarray of shape (n_points,)
            As :meth:`mean_curve`; ``low`` and ``high`` are NaN where fewer
            than two repeats reached that count.
        """
        return _band(self.repeats, confidence)

    def final_score(self):
        """Return the mean over repeats of the score after the last round.

        Returns
        -------
        score : float
            Mean final score.
        """
        return float(np.mean([r["score"][-1] for r in self.repeats]))

    def labels_to(self, target):
        """Return the labels the mean curve needs to reach ``target``.

        Parameters
        ----------
        target : float
            Score to reach.

        Returns
        -------
        n_labels : int or None
            The smallest label count whose mean score is at least
            ``target``; None if the curve never gets there.
        """
        counts, means, _ = self.mean_curve()
        hit = np.flatnonzero(means >= check_target(target))
        return int(counts[hit[0]]) if hit.size else None

    def seconds(self):
        """Return the mean seconds per repeat spent querying and fitting.

        Returns
        -------
        query_seconds, fit_seconds : float
            Totals per repeat, averaged over repeats.
        """
        q = np.mean([np.sum(r["query_seconds"]) for r in self.repeats])
        f = np.mean([np.sum(r["fit_seconds"]) for r in self.repeats])
        return float(q), float(f)

    def to_frame(self):
        """Return the records as a long pandas DataFrame, one row per round.

        Returns
        -------
        frame : pandas.DataFrame
            Columns ``learner``, ``repeat``, ``round``, ``n_labeled``,
            ``score``, ``query_seconds`` and ``fit_seconds``.
        """
        import pandas as pd

        rows = [
            {
                "learner": self.name,
                "repeat": r,
                "round": i,
                **{k: rep[k][i] for k in _FIELDS},
            }
            for r, rep in enumerate(self.repeats)
            for i in range(len(rep["n_labeled"]))
        ]
        return pd.DataFrame(rows, columns=["learner", "repeat", "round", *_FIELDS])

    def plot(self, ax=None, *, label=None, band="ci", confidence=0.95, **kwargs):
        """Plot the mean curve with a shaded band.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        label : str, default=None
            Legend entry; the curve's name when None.
        band : {"ci", "std"} or None, default="ci"
            Shade the t-interval of the mean at each label count
            (:meth:`confidence_band`), one standard deviation, or nothing.
            A single repeat has no band.
        confidence : float, default=0.95
            Coverage of the ``"ci"`` band.
        **kwargs : dict
            Passed to ``ax.plot``.

        Returns
        -------
        ax : matplotlib Axes
            The axes drawn on.
        """
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(6, 4))
        if band not in ("ci", "std", None):
            raise ValueError(f"band must be 'ci', 'std' or None, got {band!r}.")
        counts, means, low, high = self.confidence_band(confidence)
        if band == "std":
            _, _, stds = self.mean_curve()
            low, high = means - stds, means + stds
        (line,) = ax.plot(counts, means, label=label or self.name, **kwargs)
        if band is not None and len(self.repeats) > 1:
            ax.fill_between(counts, low, high, color=line.get_color(), alpha=0.2)
        ax.set_xlabel("labels used")
        ax.set_ylabel(f"test {self.scoring}")
        return ax

    def to_dict(self):
        """Return a JSON-ready dict of the curve.

        Returns
        -------
        data : dict
            ``name``, ``scoring`` and ``repeats``.
        """
        return {"name": self.name, "scoring": self.scoring, "repeats": self.repeats}

    @classmethod
    def from_dict(cls, data):
        """Rebuild a curve from :meth:`to_dict` output.

        Parameters
        ----------
        data : dict
            As written by :meth:`to_dict`.

        Returns
        -------
        curve : LearningCurve
            The rebuilt curve.
        """
        return cls(data["repeats"], name=data["name"], scoring=data["scoring"])
