"""Skip doctests of the torch subpackage when torch or skorch is missing."""

import importlib.util

collect_ignore_glob = []
if (
    importlib.util.find_spec("torch") is None
    or importlib.util.find_spec("skorch") is None
):
    collect_ignore_glob.append("skal/torch/*")
