"""Command-line option types the benchmark scripts share.

Helper of the ``bench_*.py`` scripts (not a benchmark itself): argparse
``type=`` functions that read an option as the strategies read the same
parameter, so ``--max-candidates 0.1`` means what ``max_candidates=0.1``
means.
"""

import argparse


def count_or_share(text):
    """``--max-candidates``: a count (an int >= 1) or a share in (0, 1).

    As a strategy's ``max_candidates``: ``"2000"`` scores 2,000 candidates,
    ``"0.1"`` a tenth of them (rounded up). ``"1"`` is one candidate, and
    ``"1.0"`` is refused, as the strategies refuse ``max_candidates=1.0``.

    Parameters
    ----------
    text : str
        The option's value.

    Returns
    -------
    value : int or float
        The count or the share.
    """
    what = "a count (an integer >= 1) or a share in (0, 1)"
    try:
        value = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text!r}") from None
        if not 0 < value < 1:
            raise argparse.ArgumentTypeError(f"must be {what}, got {text}")
        return value
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be {what}, got {text}")
    return value
