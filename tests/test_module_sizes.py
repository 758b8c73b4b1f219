"""The project's rule: every Python module holds at most 400 lines (one family each)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIMIT = 400


def test_no_module_is_longer_than_400_lines():
    folders = ("skal", "tests", "examples", "docs")
    too_long = {
        str(path.relative_to(REPO)): n
        for folder in folders
        for path in (REPO / folder).rglob("*.py")
        if "_build" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert not too_long, f"split these modules (at most {LIMIT} lines): {too_long}"
