import subprocess
import sys


def test_import_skal_does_not_import_torch():
    code = (
        "import sys, skal, skal.learners, skal.strategies\n"
        "from skal import BayesianLearner\n"
        "from skal.strategies import BatchBALD, StochasticBALD, BALD\n"
        "BayesianLearner(None).get_params()\n"
        "print('torch' in sys.modules, 'skorch' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False False"
