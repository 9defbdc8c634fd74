"""The architecture's walls, checked on the source (an AST scan of every module) and, for
Textual, in a fresh process:

- no import cycles among the project's modules (imports inside functions count too);
- ``sync`` never imports ``amtui``;
- the domain, core and services layers never import ``textual``;
- screens and widgets never import ``sqlite3``, ``sqlite_utils`` or ``gspread``;
- UI code uses no ``x._private`` attribute and defines none in its classes (dunders are fine),
  and no UI class skips its base class's ``__init__``.

Each detector is proved on a small package planted in ``tmp_path`` (the tests at the end).
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("amtui", "sync")
NO_TEXTUAL = ("amtui.domain", "amtui.core", "amtui.services")
NO_STORAGE_IN = ("amtui.ui.screens", "amtui.ui.widgets")
STORAGE = ("sqlite3", "sqlite_utils", "gspread")
UI = "amtui.ui"


# -- the scan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "amtui.ui.app"
    file: str  # its path relative to the root, for messages
    line: int
    name: str  # the absolute name imported, e.g. "amtui.ui.screens.common.RecordCache"

    def where(self) -> str:
        return f"{self.file}:{self.line}"


def modules_of(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` under the packages."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(root: Path, module: str, path: Path) -> list[Import]:
    stat = path.stat()
    return list(_imports_of(root, module, path, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=4096)
def _imports_of(root: Path, module: str, path: Path, _mtime: int, _size: int
                ) -> tuple[Import, ...]:
    """Every import statement of a module (at any depth: functions, ``if TYPE_CHECKING``...),
    with relative imports made absolute. ``from a import b`` yields both ``a`` and ``a.b``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    rel = str(path.relative_to(root))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [Import(module, rel, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            out.append(Import(module, rel, node.lineno, base))
            out += [Import(module, rel, node.lineno, f"{base}.{alias.name}")
                    for alias in node.names if alias.name != "*"]
    return tuple(out)


def scan(root: Path, packages=PACKAGES) -> tuple[dict[str, Path], list[Import]]:
    modules = modules_of(root, packages)
    found = [imp for name, path in modules.items() for imp in imports_of(root, name, path)]
    return modules, found


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def project_module(name: str, modules: dict[str, Path]) -> str | None:
    """The project module an imported name lives in (``a.b.func`` -> ``a.b``), if any."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


# -- the detectors (each returns readable findings; empty = fine) --------------------------


def import_cycles(root: Path, packages=PACKAGES) -> list[str]:
    """Groups of modules that import each other in a circle, each with the imports that close
    it. Importing one's own parent package is not an edge: Python runs it first anyway."""
    modules, found = scan(root, packages)
    edges: dict[str, dict[str, Import]] = {m: {} for m in modules}
    for imp in found:
        target = project_module(imp.name, modules)
        if target and target != imp.module and not within(imp.module, target):
            edges[imp.module].setdefault(target, imp)
    groups = strongly_connected(edges)
    findings = []
    for group in groups:
        closing = sorted((imp.file, imp.line, src, dst) for src in group
                         for dst, imp in edges[src].items() if dst in group)
        inside = [f"    {file}:{line} {src} -> {dst}" for file, line, src, dst in closing]
        findings.append(f"import cycle among {', '.join(sorted(group))}:\n" + "\n".join(inside))
    return findings


def strongly_connected(edges: dict[str, dict[str, Import]]) -> list[set[str]]:
    """Tarjan's strongly connected components with more than one module (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(edges[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)
    return groups


def forbidden_imports(root: Path, layers, forbidden, packages=PACKAGES) -> list[str]:
    """Imports of ``forbidden`` names (and their submodules) from modules in ``layers``."""
    _modules, found = scan(root, packages)
    seen = set()
    findings = []
    for imp in found:
        if not any(within(imp.module, layer) for layer in layers):
            continue
        bad = next((f for f in forbidden if within(imp.name, f)), None)
        if bad and (imp.where(), bad) not in seen:
            seen.add((imp.where(), bad))
            findings.append(f"{imp.where()} {imp.module} imports {bad} ({imp.name})")
    return findings


def private_attributes(root: Path, package: str = UI) -> list[str]:
    """``x._name`` anywhere in the package, and ``_name`` attributes or methods defined in its
    classes: they can clash with Textual's private names (dunders are fine)."""

    def private(name: str) -> bool:
        return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))

    findings: list[tuple[Path, int, str]] = []
    folder = root.joinpath(*package.split("."))
    for path in sorted(folder.rglob("*.py")):
        rel = path.relative_to(root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and private(node.attr):
                findings.append((rel, node.lineno, f"uses .{node.attr}"))
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    names = []
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        names = [item.name]
                    elif isinstance(item, ast.Assign):
                        names = [t.id for t in item.targets if isinstance(t, ast.Name)]
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        names = [item.target.id]
                    findings += [(rel, item.lineno, f"class {node.name} defines {name}")
                                 for name in names if private(name)]
    return [f"{rel}:{line} {what}" for rel, line, what in sorted(findings)]


def skipped_inits(root: Path, package: str = UI) -> list[str]:
    """Classes with a base class whose ``__init__`` never calls the base's ``__init__``
    (``super().__init__(...)`` or ``Base.__init__(self, ...)``): Textual's own state is then
    missing, and a Textual release can break them."""
    findings = []
    folder = root.joinpath(*package.split("."))
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef) or not node.bases:
                continue
            init = next((item for item in node.body if isinstance(item, ast.FunctionDef)
                         and item.name == "__init__"), None)
            calls_base = init is not None and any(
                isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr == "__init__" for call in ast.walk(init))
            if init is not None and not calls_base:
                findings.append(f"{path.relative_to(root)}:{init.lineno} class {node.name} "
                                "does not call its base class's __init__")
    return findings


def report(findings: list[str], what: str) -> str:
    return f"{len(findings)} {what}:\n" + "\n".join(findings)


# -- the project ---------------------------------------------------------------------------


def test_no_import_cycles():
    found = import_cycles(ROOT)
    assert not found, report(found, "import cycles (move the shared part into a lower layer)")


def test_sync_never_imports_amtui():
    found = forbidden_imports(ROOT, ["sync"], ["amtui"])
    assert not found, report(found, "imports of amtui from sync (sync knows no app)")


def test_domain_core_and_services_never_import_textual():
    found = forbidden_imports(ROOT, NO_TEXTUAL, ["textual"])
    assert not found, report(found, "imports of textual below the UI")


def test_screens_and_widgets_never_import_storage():
    found = forbidden_imports(ROOT, NO_STORAGE_IN, STORAGE)
    assert not found, report(found, "storage imports in screens/widgets (go through services)")


def test_ui_uses_no_private_attributes():
    found = private_attributes(ROOT)
    assert not found, report(found, "private attributes in amtui/ui (give them plain names)")


def test_ui_classes_call_their_base_init():
    found = skipped_inits(ROOT)
    assert not found, report(found, "classes skipping a base __init__ (call super().__init__)")


def test_the_scan_sees_every_layer():
    """The walls check real files: every layer is found, with imports in them."""
    modules, found = scan(ROOT)
    for layer in ("sync", "amtui.domain", "amtui.core", "amtui.services", "amtui.cli", UI,
                  *NO_STORAGE_IN):
        assert any(within(m, layer) for m in modules), f"no module under {layer}"
    assert any(imp.module == "amtui.core.workspace" and imp.name.startswith("sync.")
               for imp in found)


# -- fresh processes: what importing really pulls in ----------------------------------------

MODULES = [
    "sync", "sync.runner", "sync.reconcile", "sync.xlsx_backend", "sync.google_backend",
    "sync.gclient", "sync.emulator", "amtui.core.store", "amtui.core.workspace", "amtui.cli.main",
    "amtui.domain.schema", "amtui.domain.parse", "amtui.domain.kpi", "amtui.domain.standup",
    "amtui.domain.validate", "amtui.domain.demo", "amtui.core.config",
]


@pytest.mark.parametrize("module", MODULES)
def test_module_does_not_import_textual(module):
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, f"{module} imports {result.stdout}{result.stderr}"


@pytest.mark.parametrize("layer", ["sync", *NO_TEXTUAL])
def test_every_module_of_the_layer_imports_without_textual(layer):
    """Every module of the layer (found on disk, ``__main__`` scripts left out), imported one by
    one in a fresh process; the first that brings Textual in is named."""
    names = [m for m in modules_of(ROOT) if within(m, layer) and not m.endswith("__main__")]
    assert names
    code = ("import sys, importlib\n"
            f"for name in {names!r}:\n"
            "    importlib.import_module(name)\n"
            "    if 'textual' in sys.modules:\n"
            "        print(name); sys.exit(1)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, (f"importing {result.stdout.strip()} loads textual"
                                    f"{result.stderr}")


# -- the detectors catch what they are meant to catch ---------------------------------------


def plant(root: Path, files: dict[str, str]) -> Path:
    """A synthetic ``amtui``/``sync`` tree: ``{"amtui/core/a.py": "source"}``."""
    for name in ("amtui", "amtui/core", "amtui/domain", "amtui/services", "amtui/ui",
                 "amtui/ui/screens", "amtui/ui/widgets", "sync"):
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / "__init__.py").touch()
    for name, source in files.items():
        (root / name).write_text(source, encoding="utf-8")
    return root


CLEAN = {
    "amtui/core/store.py": "import sqlite3\nfrom amtui.domain import rules\n",
    "amtui/domain/rules.py": "from . import schema\n",
    "amtui/domain/schema.py": "import re\n",
    "amtui/services/records.py": "from ..core.store import Store\n",
    "amtui/ui/screens/board.py": (
        "from textual.screen import Screen\nfrom amtui.services import records\n"
        "class Board(Screen):\n    def __init__(self):\n        super().__init__()\n"
        "        self.cards = []\n    def __repr__(self):\n        return self.__class__.__name__\n"
        "def _fmt(x):\n    return x\n"),
    "sync/runner.py": "from sync import reconcile\n",
    "sync/reconcile.py": "import json\n",
}

PLANTED = {
    # violation: (files added to CLEAN, detector, text the finding must contain)
    "cycle in functions": (
        {"amtui/domain/parse.py": "def f():\n    from amtui.domain.rules import x\n",
         "amtui/domain/rules.py": "from . import schema\nfrom .parse import f\n"},
        lambda root: import_cycles(root),
        "amtui/domain/parse.py:2 amtui.domain.parse -> amtui.domain.rules"),
    "cycle of three, relative": (
        {"amtui/core/a.py": "from .b import x\n", "amtui/core/b.py": "from ..core import c\n",
         "amtui/core/c.py": "import amtui.core.a\n"},
        lambda root: import_cycles(root),
        "import cycle among amtui.core.a, amtui.core.b, amtui.core.c"),
    "cycle under TYPE_CHECKING": (
        {"amtui/ui/app.py": "from amtui.ui.screens.board import Board\n",
         "amtui/ui/screens/base.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                      "    from amtui.ui.app import App\n"),
         "amtui/ui/screens/board.py": "from .base import *\n"},
        lambda root: import_cycles(root), "amtui/ui/screens/base.py:3"),
    "sync imports amtui": (
        {"sync/emulator.py": "def demo():\n    from amtui.core import store\n"},
        lambda root: forbidden_imports(root, ["sync"], ["amtui"]),
        "sync/emulator.py:2 sync.emulator imports amtui"),
    "domain imports textual": (
        {"amtui/domain/kpi.py": "from textual.widgets import DataTable\n"},
        lambda root: forbidden_imports(root, NO_TEXTUAL, ["textual"]),
        "amtui/domain/kpi.py:1 amtui.domain.kpi imports textual"),
    "services import textual lazily": (
        {"amtui/services/export.py": "def f():\n    import textual.app\n"},
        lambda root: forbidden_imports(root, NO_TEXTUAL, ["textual"]),
        "amtui/services/export.py:2"),
    "widget imports sqlite_utils": (
        {"amtui/ui/widgets/status.py": "import sqlite_utils.db\n"},
        lambda root: forbidden_imports(root, NO_STORAGE_IN, STORAGE),
        "amtui/ui/widgets/status.py:1 amtui.ui.widgets.status imports sqlite_utils"),
    "screen imports gspread": (
        {"amtui/ui/screens/sheet.py": "from gspread import utils\n"},
        lambda root: forbidden_imports(root, NO_STORAGE_IN, STORAGE),
        "amtui/ui/screens/sheet.py:1 amtui.ui.screens.sheet imports gspread"),
    "private attribute used": (
        {"amtui/ui/widgets/lists.py": "def f(option_list):\n    return option_list._lines\n"},
        lambda root: private_attributes(root), "amtui/ui/widgets/lists.py:2 uses ._lines"),
    "private attribute set": (
        {"amtui/ui/app.py": "class App:\n    def go(self):\n        self._modes = {}\n"},
        lambda root: private_attributes(root), "amtui/ui/app.py:3 uses ._modes"),
    "base __init__ skipped": (
        {"amtui/ui/widgets/lists.py": ("from textual.widgets.option_list import Option\n"
                                       "class LazyOption(Option):\n"
                                       "    def __init__(self, record):\n"
                                       "        self.record = record\n")},
        lambda root: skipped_inits(root), "amtui/ui/widgets/lists.py:3 class LazyOption does "
                                          "not call its base class's __init__"),
    "private method defined": (
        {"amtui/ui/screens/kpis.py": "class Kpis:\n    def _refresh(self):\n        pass\n"},
        lambda root: private_attributes(root), "amtui/ui/screens/kpis.py:2 class Kpis defines "
                                               "_refresh"),
}


def every_finding(root: Path) -> list[str]:
    return (import_cycles(root) + forbidden_imports(root, ["sync"], ["amtui"])
            + forbidden_imports(root, NO_TEXTUAL, ["textual"])
            + forbidden_imports(root, NO_STORAGE_IN, STORAGE) + private_attributes(root)
            + skipped_inits(root))


def test_a_clean_tree_has_no_findings(tmp_path):
    assert every_finding(plant(tmp_path, CLEAN)) == []


@pytest.mark.parametrize("case", list(PLANTED))
def test_the_detector_finds_a_planted_violation(tmp_path, case):
    files, detect, expected = PLANTED[case]
    root = plant(tmp_path, {**CLEAN, **files})
    found = detect(root)
    assert any(expected in f for f in found), f"{case}: expected {expected!r} in {found}"
    # and nothing else is reported against the clean part of the tree
    assert len(every_finding(root)) == len(found), every_finding(root)


def test_a_copy_of_the_real_tree_with_one_planted_cycle_is_caught(tmp_path):
    """The detector on the real sources: planting one back-import adds exactly that cycle."""
    import shutil

    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    before = import_cycles(tmp_path)
    store = tmp_path / "amtui" / "core" / "store.py"
    store.write_text(store.read_text(encoding="utf-8")
                     + "\n\ndef planted():\n    from amtui.cli import main  # noqa\n",
                     encoding="utf-8")
    after = import_cycles(tmp_path)
    assert len(after) >= 1 and after != before
    assert any("amtui.core.store -> amtui.cli.main" in f for f in after), after
