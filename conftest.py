"""Test-session setup shared by the whole suite."""

import importlib.util

import numpy  # noqa: F401  (load BLAS before limiting its threads)
import scipy.linalg  # noqa: F401
from threadpoolctl import threadpool_limits

# Skip doctests of the torch subpackage when torch or skorch is missing.
collect_ignore_glob = []
if any(importlib.util.find_spec(m) is None for m in ("torch", "skorch")):
    collect_ignore_glob.append("skal/torch/*")

# The tests fit small models: BLAS threads only add overhead there, and on a busy
# machine oversubscribed threads make them tens of times slower.
threadpool_limits(limits=1)
if not collect_ignore_glob:
    import torch

    torch.set_num_threads(1)
