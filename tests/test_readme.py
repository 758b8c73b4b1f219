"""Every ```python block of README.md runs on its own, in a fresh interpreter."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BLOCKS = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), re.S)
NO_TORCH = any(importlib.util.find_spec(m) is None for m in ("torch", "skorch"))


def test_readme_has_its_three_snippets():
    assert len(BLOCKS) == 3
    assert all("print(" in block for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.split("\n")[-2][:40])
def test_readme_snippet_runs_alone(block, tmp_path):
    if "skal.torch" in block and NO_TORCH:
        pytest.skip("this snippet needs the torch extra")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", block],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    printed = proc.stdout.strip()
    assert printed, "the snippet prints nothing"
    if "test accuracy" in printed:  # a held-out score, not training accuracy
        assert 0.5 < float(printed.rsplit(" ", 1)[1]) < 1.0
