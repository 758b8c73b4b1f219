"""A progress bar: tqdm when it is installed, else a one-line text counter."""

import sys


class _TextProgress:
    def __init__(self, total, desc):
        self.total, self.desc, self.n = total, desc, 0
        self._show()

    def _show(self):
        sys.stderr.write(f"\r{self.desc}: {self.n}/{self.total}")
        sys.stderr.flush()

    def update(self, n=1):
        self.n += n
        self._show()

    def close(self):
        sys.stderr.write("\n")
        sys.stderr.flush()


class _NoProgress:
    def update(self, n=1):
        pass

    def close(self):
        pass


def progress_bar(total, desc, enabled=True):
    """Return an object with ``update(n)`` and ``close()`` showing progress.

    Parameters
    ----------
    total : int
        Number of steps.
    desc : str
        Label of the bar.
    enabled : bool, default=True
        False returns a bar that shows nothing.

    Returns
    -------
    bar : object
        A tqdm bar (on stderr) when tqdm is installed, else a text counter.

    Examples
    --------
    >>> from skal.loop._progress import progress_bar
    >>> bar = progress_bar(3, "work", enabled=False)
    >>> bar.update(); bar.close()
    """
    if not enabled:
        return _NoProgress()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _TextProgress(total, desc)
    return tqdm(total=total, desc=desc, leave=False, file=sys.stderr)
