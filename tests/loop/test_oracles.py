import io

import numpy as np
import pytest
from sklearn.datasets import load_digits, load_iris

from skal.loop import (
    SKIP,
    STOP,
    UNDO,
    CallbackOracle,
    NoisyOracle,
    SimulatedOracle,
    TerminalOracle,
    render_image,
)


def _scripted(*answers):
    it = iter(answers)

    def read(prompt):
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    return read


def test_simulated_and_callback_oracles():
    y = np.array(["a", "b", "c"])
    assert SimulatedOracle(y).label([2, 2, 0]).tolist() == ["c", "c", "a"]
    assert SimulatedOracle(y).ask(1) == "b"
    X = np.array([[1.0], [-2.0], [3.0]])
    calls = []
    oracle = CallbackOracle(
        lambda rows, idx: calls.append(idx.tolist()) or rows[:, 0] > 0
    )
    assert oracle.label([1, 2], X).tolist() == [False, True]
    assert calls == [[1, 2]]
    with pytest.raises(ValueError, match="returned 1 labels for 2 samples"):
        CallbackOracle(lambda rows, idx: [0]).label([0, 1], X)


def test_noisy_oracle_flips_to_other_classes_at_the_rate():
    y = np.repeat([0, 1, 2], 1000)
    oracle = NoisyOracle(y, 0.3, random_state=0)
    answers = oracle.label(np.arange(3000))
    wrong = answers != y
    assert 0.27 < wrong.mean() < 0.33 and oracle.n_flipped_ == wrong.sum()
    assert set(np.unique(answers)) == {0, 1, 2}
    again = NoisyOracle(y, 0.3, random_state=0).label(np.arange(3000))
    np.testing.assert_array_equal(answers, again)
    np.testing.assert_array_equal(NoisyOracle(y, 0.0).label([5, 2500]), [0, 2])
    assert (NoisyOracle(y, 1.0, random_state=1).label(np.arange(3000)) != y).all()
    with pytest.raises(ValueError, match=r"flip_rate must be in \[0, 1\]"):
        NoisyOracle(y, 1.5).label([0])


def test_terminal_oracle_commands_and_retries():
    out = io.StringIO()
    oracle = TerminalOracle(
        classes=["cat", "dog"],
        feature_names=["w", "h"],
        input=_scripted("", "cow", "dog", "s", "u", "q"),
        output=out,
    )
    assert oracle.ask(3, np.array([1.5, 2.0])) == "dog"
    text = out.getvalue()
    assert "sample 3" in text and "w = 1.5" in text and "h = 2.0" in text
    assert "'cow' is not one of the classes cat/dog; try again." in text
    assert oracle.ask(4) is SKIP
    assert oracle.ask(4) is UNDO
    assert oracle.ask(4) is STOP
    assert oracle.ask(4) is STOP  # end of input also stops


def test_terminal_oracle_parses_numbers_and_batches():
    out = io.StringIO()
    oracle = TerminalOracle(input=_scripted("3", "2.5", "x", "+4", "s"), output=out)
    answers = oracle.label([0, 1, 2], np.zeros((3, 2)))
    assert answers.tolist() == [3, 4, None]  # the first answer made them integers
    assert "'2.5' is not a class: the labels here are integers (3)" in out.getvalue()
    assert "'x' is not a class" in out.getvalue()


def test_terminal_oracle_truncates_wide_rows():
    out = io.StringIO()
    oracle = TerminalOracle(max_features=3, input=_scripted("1"), output=out)
    oracle.ask(0, np.arange(10))
    assert "x2 = 2" in out.getvalue() and "x3" not in out.getvalue()
    assert "7 more features" in out.getvalue()


def test_render_image_draws_a_digit():
    X, y = load_digits(return_X_y=True)
    text = render_image(X[0], (8, 8))
    lines = text.split("\n")  # enlarged twice: 16 rows of 32 characters at most
    assert len(lines) == 16 and max(map(len, lines)) <= 32
    shades = " ░▒▓█"  # pixel v in 0..15 (its max) -> shades[min(int(v / 15 * 5), 4)]
    img = X[0].reshape(8, 8)
    assert img.min() == 0 and img.max() == 15
    expected = [
        "".join(shades[min(int(v / 15 * 5), 4)] * 4 for v in row).rstrip()
        for row in img
        for _ in range(2)
    ]
    assert lines == expected
    # 0 0 13 15 10 15 5 0: the top of a zero
    assert lines[2] == lines[3] == "        ████████▓▓▓▓████░░░░"
    big = render_image(
        np.random.default_rng(0).random((56, 56)), (56, 56), max_width=28
    )
    assert len(big.split("\n")) == 28 and max(map(len, big.split("\n"))) <= 56
    assert render_image(np.ones(4), (2, 2), min_width=2) == "\n"  # flat: blank


def test_terminal_oracle_shows_images_in_terminal_and_files(tmp_path):
    X, _ = load_digits(return_X_y=True)
    out = io.StringIO()
    TerminalOracle(image_shape=(8, 8), input=_scripted("0"), output=out).ask(0, X[0])
    assert render_image(X[0], (8, 8)) in out.getvalue()
    out = io.StringIO()
    oracle = TerminalOracle(
        image_shape=(8, 8),
        image_mode="file",
        image_dir=str(tmp_path / "img"),
        input=_scripted("0"),
        output=out,
    )
    assert oracle.ask(5, X[5]) == 0
    png = tmp_path / "img" / "sample_5.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(png) in out.getvalue()
    with pytest.raises(ValueError, match="image_mode must be"):
        TerminalOracle(
            image_shape=(8, 8), image_mode="sixel", output=io.StringIO()
        ).show(0, X[0])


def test_an_oracle_fills_the_holes_of_a_partly_labeled_text_y():
    # y with None holes and an oracle that knows them: no stratified split or
    # draw (nothing to stratify on), and the oracle's text labels match y's kind
    from sklearn.linear_model import LogisticRegression

    from skal import ActiveLearner, simulate
    from skal.loop import CallbackOracle

    X, y = load_iris(return_X_y=True)
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    holes = names.copy()
    holes[::2] = None
    oracle = CallbackOracle(lambda rows, idx: names[idx])
    learner = ActiveLearner(LogisticRegression(max_iter=300), missing_label=None)
    curve = simulate(
        learner, X, holes, oracle=oracle, budget=20, batch_size=5, n_initial=5,
        random_state=0, progress=False,
    )  # fmt: skip
    assert curve.repeats[0]["n_labeled"] == [5, 10, 15, 20]
    assert curve.final_score() > 0.5


def test_noisy_oracle_refuses_bad_rates_and_costs_and_keeps_holes_and_classes():
    with pytest.raises(ValueError, match="flip_rate must be a float"):
        NoisyOracle([0, 1], True).label([0])  # was a rate of 1.0
    with pytest.raises(ValueError, match="flip_rate must be a float"):
        NoisyOracle([0, 1], "a").label([0])  # was NumPy's "could not convert"
    with pytest.raises(ValueError, match=r"one per annotator \(2 flip rates\)"):
        NoisyOracle([0, 1], [0.1, 0.2], costs=[1, 1, 1]).label([0])  # broadcast
    # a hole in y is no class: it was a wrong answer (0 -> nan) and, with
    # None among text labels, a TypeError in np.unique
    oracle = NoisyOracle(np.array([0.0, np.nan, 1.0]), 1.0, random_state=0)
    assert oracle.label([0, 2, 1]).tolist()[:2] == [1.0, 0.0]
    assert np.isnan(oracle.label([1])[0])  # a hole is answered as a hole
    text = np.array(["a", None, "b"], dtype=object)
    assert NoisyOracle(text, 1.0).label([0, 2]).tolist() == ["b", "a"]
    # a longer class was cut to the width of y's strings ('bbbb' -> 'b')
    long = NoisyOracle(np.array(["a", "b"]), 1.0, classes=["a", "bbbb"])
    assert long.label([0]).tolist() == ["bbbb"]  # 'a' flips to the other class
