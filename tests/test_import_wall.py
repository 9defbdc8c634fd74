"""The sync engine, the domain and the store never import Textual (checked in a fresh process)."""

import subprocess
import sys

import pytest

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
