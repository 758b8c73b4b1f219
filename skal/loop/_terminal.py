"""The oracle that asks a person at the terminal."""

import os
import sys

import numpy as np

from ._answers import ClassChecker
from ._images import image_pixels, render_image, save_png
from ._oracles import SKIP, STOP, UNDO, Oracle, _rows, _Signal


class TerminalOracle(Oracle):
    """Ask a person at the terminal: show the sample, read its label.

    Answers: a label; ``s`` to skip the sample, ``u`` to undo the previous
    label (the sample is asked again), ``q`` to end the session. The prompt
    lists the known classes. An answer that is not a known class is asked
    again: a near miss (``maligant``) with "did you mean 'malignant'?", a
    new class until it is confirmed with a leading ``+`` (``+unsure``), a
    text answer on integer classes always (see :class:`ClassChecker`). A
    session (:func:`label_loop`) tells the oracle the classes already
    labeled with :meth:`set_known_classes`.

    Parameters
    ----------
    classes : list, default=None
        The complete list of allowed labels; answers are matched to
        ``str(class)`` and no other class is accepted. When None, the
        classes are those labeled so far.
    feature_names : list of str, default=None
        Names shown beside the values of a tabular row.
    image_shape : tuple of int, default=None
        When set, rows are images of this shape (e.g. ``(8, 8)``).
    image_mode : {"terminal", "file"}, default="terminal"
        Draw images with block characters in the terminal (enlarged to at
        least 16 pixels wide), or save each, enlarged to at least 224
        pixels, to ``image_dir/sample_<index>.png`` and print its path
        (open it in any viewer).
    image_dir : str, default="skal-images"
        Folder of the PNG files.
    max_features : int, default=20
        Largest number of features shown for a tabular row.
    input : callable, default=None
        Function reading one answer given a prompt; the built-in ``input``
        when None (tests pass a scripted one).
    output : file-like, default=None
        Where the sample is shown; ``sys.stdout`` when None.

    Examples
    --------
    >>> import io
    >>> from skal.loop import TerminalOracle, UNDO
    >>> answers = iter(["7", "u"])
    >>> oracle = TerminalOracle(input=lambda p: next(answers), output=io.StringIO())
    >>> oracle.ask(0, [1.0, 2.0]), oracle.ask(1, [3.0, 4.0]) is UNDO
    (7, True)
    >>> answers = iter(["x", "8", "+8"])
    >>> oracle = TerminalOracle(input=lambda p: next(answers), output=io.StringIO())
    >>> oracle.set_known_classes([7])
    >>> oracle.ask(2)
    8
    >>> print(oracle.output.getvalue().strip())
    'x' is not a class: the labels here are integers (7); try again.
    '8' is a new class; type +8 to add it, or one of 7; try again.
    """

    interactive = True

    def __init__(
        self,
        *,
        classes=None,
        feature_names=None,
        image_shape=None,
        image_mode="terminal",
        image_dir="skal-images",
        max_features=20,
        input=None,
        output=None,
    ):
        self.classes = classes
        self.feature_names = feature_names
        self.image_shape = image_shape
        self.image_mode = image_mode
        self.image_dir = image_dir
        self.max_features = max_features
        self.input = input
        self.output = output

    def _print(self, text=""):
        print(text, file=self.output or sys.stdout, flush=True)

    def set_known_classes(self, classes, *, kind=None, confirm_new=True):
        """Set the classes labeled so far: answers are checked against them.

        Parameters
        ----------
        classes : iterable
            The classes (ignored when ``classes`` was given to the oracle).
        kind : {"int", "float", "str"} or None, default=None
            Label type of the task; inferred from ``classes`` when None.
        confirm_new : bool, default=True
            Whether a new class must be typed with a leading ``+``.
        """
        if self.classes is not None:
            self.checker_ = ClassChecker(self.classes, fixed=True)
        else:
            self.checker_ = ClassChecker(classes, kind=kind, confirm_new=confirm_new)

    def _checker(self):
        if getattr(self, "checker_", None) is None:
            self.set_known_classes(())
        return self.checker_

    def show(self, index, x):
        """Display one sample.

        Parameters
        ----------
        index : int
            Its position in the data set.
        x : array-like
            The sample.
        """
        self._print(f"\nsample {index}")
        values = np.asarray(x).ravel()
        if self.image_shape is not None:
            if self.image_mode == "file":
                pixels = image_pixels(values, self.image_shape)
                path = os.path.join(self.image_dir, f"sample_{index}.png")
                save_png(path, pixels)
                height, width = pixels.shape[:2]
                self._print(f"image of sample {index} ({width}x{height} px): {path}")
            elif self.image_mode == "terminal":
                self._print(render_image(values, self.image_shape))
            else:
                raise ValueError(
                    f"image_mode must be 'terminal' or 'file', got {self.image_mode!r}."
                )
            return
        names = self.feature_names
        if names is None:
            names = [f"x{j}" for j in range(values.shape[0])]
        shown = min(values.shape[0], self.max_features)
        for name, value in zip(names[:shown], values[:shown]):
            self._print(f"  {name} = {value}")
        if values.shape[0] > shown:
            self._print(f"  ... {values.shape[0] - shown} more features")

    def _prompt(self):
        checker = self._checker()
        known = checker.hint()
        if not checker.fixed and checker.confirm_new:
            known = f"{known}, +NEW" if known else ""
        hint = f" ({known})" if known else ""
        return f"label{hint} [s=skip, u=undo, q=quit]: "

    def ask(self, index, x=None):
        if x is not None:
            self.show(index, x)
        read = self.input or input
        checker = self._checker()
        while True:
            try:
                answer = read(self._prompt()).strip()
            except EOFError:
                return STOP
            command = answer.lower()
            if command in ("s", "skip"):
                return SKIP
            if command in ("u", "undo"):
                return UNDO
            if command in ("q", "quit", "exit"):
                return STOP
            if not answer:
                continue
            try:
                return checker.parse(answer)
            except ValueError as exc:
                self._print(f"{exc}; try again.")

    def label(self, indices, X=None):
        labels = []
        for i in np.asarray(indices, dtype=np.intp):
            answer = self.ask(int(i), None if X is None else _rows(X, [i])[0])
            labels.append(None if isinstance(answer, _Signal) else answer)
        return np.array(labels, dtype=object)
