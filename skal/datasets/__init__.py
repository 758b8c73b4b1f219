"""Helpers to build active-learning pools from labeled data."""

from ._pool import make_pool

__all__ = ["make_pool"]
