"""One torch thread: on small shared machines, intra-op threads oversubscribe the
cores and make the tiny nets of these tests 10-20x slower."""

import pytest

torch = pytest.importorskip("torch")
torch.set_num_threads(1)
