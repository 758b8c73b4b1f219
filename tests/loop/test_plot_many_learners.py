"""Comparison.plot with more learners than matplotlib's ten default colours."""

import numpy as np
import pytest

from skal.loop import Comparison, LearningCurve

plt = pytest.importorskip("matplotlib.pyplot")
from matplotlib.colors import to_hex  # noqa: E402


def _comparison(n_learners):
    rec = {"query_seconds": [0, 0], "fit_seconds": [0, 0]}
    return Comparison(
        {
            f"s{i:02d}": LearningCurve(
                [{"n_labeled": [10, 20], "score": [0.5, 0.5 + i / 100], **rec}]
            )
            for i in range(n_learners)
        }
    )


def test_many_learners_get_distinct_lines_and_a_legend_beside():
    # 45 strategies drew 10 repeated colours under a legend that hid the axes
    ax = _comparison(45).plot()
    styles = {(line.get_color(), line.get_linestyle()) for line in ax.get_lines()}
    assert len(ax.get_lines()) == 45 and len(styles) == 45
    legend = ax.get_legend()
    assert legend._ncols == 2 and len(legend.get_texts()) == 45
    assert legend.get_texts()[0].get_text() == "s44 (AULC 0.720)"  # best first
    np.testing.assert_allclose(ax.figure.get_size_inches(), [7 + 6.4, 4.5])
    plt.close(ax.figure)


def test_few_learners_keep_the_default_colours_and_legend():
    ax = _comparison(3).plot()
    colors = [to_hex(line.get_color()) for line in ax.get_lines()]
    assert colors == [to_hex(f"C{i}") for i in range(3)]
    assert ax.get_legend()._loc == 4  # lower right
    np.testing.assert_allclose(ax.figure.get_size_inches(), [7, 4.5])
    plt.close(ax.figure)
