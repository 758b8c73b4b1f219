"""Test-session setup shared by the whole suite."""

import importlib.util

import numpy  # noqa: F401  (load BLAS before limiting its threads)
import pytest
import scipy.linalg  # noqa: F401
from threadpoolctl import threadpool_limits

# Skip doctests of the torch subpackage when torch or skorch is missing.
collect_ignore_glob = []
HAS_TORCH = all(importlib.util.find_spec(m) is not None for m in ("torch", "skorch"))
if not HAS_TORCH:
    collect_ignore_glob.append("skal/torch/*")
# The same for the doctests that build dask arrays, when dask is missing.
HAS_DASK = importlib.util.find_spec("dask") is not None
if not HAS_DASK:
    collect_ignore_glob += ["skal/utils/_dask.py", "skal/strategies/_seeding_blocks.py"]

# The tests fit small models: BLAS threads only add overhead there, and on a busy
# machine oversubscribed threads make them tens of times slower.
threadpool_limits(limits=1)
if HAS_TORCH:
    import torch

    torch.set_num_threads(1)


def pytest_collection_modifyitems(config, items):
    """Without dask, skip the doctests of the dask helpers in shared modules."""
    if HAS_DASK:
        return
    skip = pytest.mark.skip(reason="needs dask: pip install 'skal[dask]'")
    for item in items:
        if item.name.endswith("select_top_k_blocks"):
            item.add_marker(skip)
