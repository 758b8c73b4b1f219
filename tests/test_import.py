import subprocess
import sys


def test_import_skal_does_not_import_torch_dask_or_matplotlib():
    code = (
        "import sys, skal, skal.learners, skal.strategies\n"
        "from skal import BayesianLearner\n"
        "from skal.strategies import BatchBALD, StochasticBALD, BALD\n"
        "import skal.utils, skal.loop\n"
        "BayesianLearner(None).get_params()\n"
        "mods = ('torch', 'skorch', 'matplotlib', 'dask', 'distributed')\n"
        "print(*(m in sys.modules for m in mods))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False False False False False"
