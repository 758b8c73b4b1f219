"""docs/conf.py: the API page comes from __all__, the commands from the README."""

import importlib.util
import inspect
from pathlib import Path

import pytest

import skal

CONF = Path(__file__).resolve().parents[1] / "docs" / "conf.py"


@pytest.fixture(scope="module")
def conf():
    spec = importlib.util.spec_from_file_location("skal_docs_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # also writes the gitignored generated files
    return module


def test_api_page_lists_every_public_class_and_function_once(conf, tmp_path):
    page = tmp_path / "api.rst"
    conf.write_api_page(page)
    text = page.read_text()
    entries, module = {}, None  # autosummary entries under each currentmodule
    for line in text.splitlines():
        if line.startswith(".. currentmodule:: "):
            module = line.split()[-1]
        elif line.startswith("   ") and not line.strip().startswith(":"):
            entries.setdefault(module, []).append(line.strip())
    documented = {}
    for name in ("strategies", "learners", "datasets", "utils"):
        module = getattr(skal, name)
        for public in module.__all__:
            obj = getattr(module, public)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            here = public in entries.get(module.__name__, [])
            alias = f"- ``{module.__name__}.{public}`` is :obj:" in text
            assert here != alias, f"{module.__name__}.{public}"  # one or the other
            documented[id(obj)] = documented.get(id(obj), 0) + here
    # every object has exactly one page, wherever it is exported from
    assert set(documented.values()) == {1}
    assert "- ``skal.ActiveLearner`` is :obj:`skal.learners.ActiveLearner`" in text
    assert text.index(":mod:`skal`\n") < text.index(":mod:`skal.learners`")


def test_readme_commands_are_copied_with_their_lead_sentence(
    conf, tmp_path, monkeypatch
):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# x\n\n## Two commands\n\nRun the `main` job:\n\n```bash\nskal compare\n```\n"
        "\nRun the [tests](t.md):\n\n```bash\npython -m pytest -q\n```\n\n"
        "```bash\nnot this one\n```\n\n## Next\n\n```bash\nnor this\n```\n"
    )
    out = tmp_path / "cmds.inc"
    monkeypatch.setattr(conf, "HERE", tmp_path / "docs")  # README is in HERE.parent
    conf.write_readme_commands(out)
    assert out.read_text() == (
        "Run the ``main`` job:\n\n.. code-block:: bash\n\n   skal compare\n\n"
        "Run the `tests <t.md>`_:\n\n.. code-block:: bash\n\n"
        "   python -m pytest -q\n"
    )
