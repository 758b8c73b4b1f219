"""Helpers to build active-learning pools from labeled data."""

from ._pool import initial_indices, make_pool

__all__ = ["initial_indices", "make_pool"]
