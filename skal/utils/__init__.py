"""Helpers shared by the learners and the strategies."""

from ._chunks import accepts_nan, check_finite, chunk_slices, score_in_chunks
from ._dask import from_npy, is_dask_array, row_blocks, score_blocks
from ._labels import missing_mask
from ._validation import check_batch_size, concat_rows, num_rows, take_rows

__all__ = [
    "accepts_nan",
    "check_batch_size",
    "check_finite",
    "chunk_slices",
    "concat_rows",
    "from_npy",
    "is_dask_array",
    "missing_mask",
    "num_rows",
    "row_blocks",
    "score_blocks",
    "score_in_chunks",
    "take_rows",
]
