"""Every ported peer tutorial (examples/tutorials/*.py) runs and passes its own asserts.

Each script runs in a fresh interpreter with ``OMP_NUM_THREADS=1`` (the format
is described in docs/tutorials.rst). The scripts that need more than about
10 s of one core are marked ``slow`` and run with ``-m slow``.
"""

import ast
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TUTORIALS = sorted((REPO / "examples" / "tutorials").glob("*.py"))
PEERS = ("modal", "skactiveml", "libact", "alipy")
# Scripts may read the project's data files (e.g. "mnist.npz" or
# "zhan2021/diabetes.npz"), skipped without them.
DATA = Path(os.environ.get("SKAL_DATA", REPO.parent / "shared" / "data"))
NO_TORCH = any(importlib.util.find_spec(m) is None for m in ("torch", "skorch"))
NO_SKACTIVEML = importlib.util.find_spec("skactiveml") is None

# Measured on one idle core: these take 10-35 s each, the others 2-6 s.
SLOW = {
    "modal_query_by_committee.py",
    "modal_shape_learning.py",
    "modal_mc_dropout.py",
    "skactiveml_deep_skorch.py",
    "skactiveml_stream_getting_started.py",
    "skactiveml_semi_supervised.py",
    "libact_plot_quickstart.py",
    "libact_alce_plot.py",
    "libact_albl_plot.py",
    "alipy_query_instance.py",
    "modal_pytorch_integration.py",
    "skactiveml_multiple_annotators_advanced.py",
}


def _params():
    for path in TUTORIALS:
        marks = [pytest.mark.slow] if path.name in SLOW else []
        yield pytest.param(path, marks=marks, id=path.stem)


def test_the_tutorials_are_there():
    names = {p.name for p in TUTORIALS}
    assert {"modal_pool_based.py", "skactiveml_pool_getting_started.py"} <= names
    assert len(names) >= 17
    assert SLOW <= names, SLOW - names


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_follows_the_format(path):
    peer = path.stem.split("_", 1)[0]
    assert peer in PEERS, f"{path.name}: name it <peer>_<name>.py, peer in {PEERS}"
    tree = ast.parse(path.read_text())
    doc = ast.get_docstring(tree)
    assert doc, f"{path.name} has no module docstring"
    title, underline = doc.splitlines()[:2]
    assert title and set(underline) == {"="}, f"{path.name}: start with a title"
    assert "http" in doc, f"{path.name}: the docstring names the original's URL"
    lower = doc.lower()
    assert "change" in lower, f"{path.name}: say what a migrating user changes"
    assert "result" in lower, f"{path.name}: report the measured result"
    assert isinstance(tree.body[-1], ast.Assert), (
        f"{path.name} must end with an assert on its own result"
    )


@pytest.mark.parametrize("path", list(_params()))
def test_tutorial_runs(path, tmp_path):
    source = path.read_text()
    if NO_TORCH and ("import torch" in source or "skorch" in source):
        pytest.skip("this tutorial needs the torch extra")
    if NO_SKACTIVEML and "from skactiveml" in source:
        pytest.skip("this tutorial keeps a scikit-activeml classifier")
    needed = re.findall(r'"([\w/]+\.npz)"', source)
    missing = [name for name in needed if not (DATA / name).exists()]
    if missing:
        pytest.skip(f"this tutorial reads {missing} from {DATA}")
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "PYTHONPATH": str(REPO),
        "MPLBACKEND": "Agg",
    }
    proc = subprocess.run(
        [sys.executable, str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    assert proc.stdout.strip(), f"{path.name} prints nothing"
