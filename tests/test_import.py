import subprocess
import sys


def test_import_skal_does_not_pull_torch_or_matplotlib():
    code = (
        "import sys, skal, skal.strategies, skal.learners, skal.datasets; "
        "print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]
