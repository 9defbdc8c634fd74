"""The examples in docstrings are run: every module of amtui and sync, one test each.

Scripts (``__main__`` modules) are left out: ``python -m amtui`` runs the app when imported.
"""

from __future__ import annotations

import doctest
import importlib
import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = {"amtui.__main__", "sync.emulator.__main__", "amtui.locale.__main__"}
# modules whose examples the architecture issue named: they must keep some
MUST_HAVE_EXAMPLES = ("amtui.domain.parse", "amtui.domain.rules", "sync.spec",
                      "sync.emulator.a1", "sync.gclient", "amtui.core.config")


def project_modules() -> list[str]:
    names = []
    for package in ("amtui", "sync"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


MODULES = [m for m in project_modules() if m not in SCRIPTS]


def run_doctests(name: str) -> tuple[int, int, str]:
    """(failed, attempted, report) for the docstring examples of one module."""
    module = importlib.import_module(name)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
        runner.run(test, out=out.write)
    result = runner.summarize(verbose=False)
    return result.failed, result.attempted, out.getvalue()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    failed, _attempted, report = run_doctests(name)
    assert failed == 0, f"{name}: {failed} docstring example(s) failed\n{report}"


def test_scripts_left_out_are_the_main_modules():
    assert SCRIPTS <= set(project_modules())
    assert all(name.endswith("__main__") for name in SCRIPTS)
    assert [m for m in MODULES if m.endswith("__main__")] == []


@pytest.mark.parametrize("name", MUST_HAVE_EXAMPLES)
def test_named_modules_keep_their_examples(name):
    assert run_doctests(name)[1] > 0, f"{name} has no docstring examples any more"


def test_a_wrong_example_fails(tmp_path, monkeypatch):
    """The runner reports a failing example (a planted module)."""
    (tmp_path / "planted_doctest_module.py").write_text(
        'def double(x):\n    """\n    >>> double(2)\n    5\n    """\n    return 2 * x\n',
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    failed, attempted, report = run_doctests("planted_doctest_module")
    assert (failed, attempted) == (1, 1)
    assert "Expected:\n    5\nGot:\n    4" in report
