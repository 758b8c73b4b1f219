import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_skal_stays_light():
    code = (
        "import sys, skal; skal.simulate, skal.LabelJournal, skal.loop; "
        "print([m for m in ('torch', 'matplotlib', 'tqdm') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert out.stdout.strip() == "[]"
