"""Shared fixtures: a small demo workspace with a pinned date, copied fresh for each test."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory) -> Path:
    from amtui.core.demo_workspace import create_demo

    folder = tmp_path_factory.mktemp("demo-template")
    create_demo(folder, size="small", today=TODAY)
    return folder


@pytest.fixture
def demo_config(_demo_template, tmp_path) -> Path:
    """Path of the config.toml of a fresh small demo workspace (date pinned to TODAY)."""
    folder = tmp_path / "ws"
    shutil.copytree(_demo_template, folder)
    return folder / "config.toml"


@pytest.fixture(scope="session")
def _zh_demo_template(tmp_path_factory) -> Path:
    from amtui.core.demo_workspace import create_demo

    folder = tmp_path_factory.mktemp("zh-demo-template")
    create_demo(folder, size="small", today=TODAY, language="zh-CN")
    return folder


@pytest.fixture
def zh_demo_config(_zh_demo_template, tmp_path) -> Path:
    """Path of the config.toml of a fresh small Chinese demo workspace (``amtui demo
    --language zh-CN``: Chinese names, texts, tabs, headers and dropdown words; its config
    says ``[ui] language = "zh-CN"``), date pinned to TODAY."""
    folder = tmp_path / "zh-ws"
    shutil.copytree(_zh_demo_template, folder)
    return folder / "config.toml"


@pytest.fixture
def workspace(demo_config):
    from amtui.core.workspace import Workspace

    ws = Workspace.open(demo_config)
    yield ws
    ws.store.close()


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """No test reads or writes the real user's config or data folders."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("AMTUI_CONFIG", raising=False)
    monkeypatch.delenv("AMTUI_SHEETS_ENDPOINT", raising=False)
    monkeypatch.delenv("AMTUI_TODAY", raising=False)
    # pytest-xdist's workers set COLUMNS=80 LINES=24, which Textual takes over the size of a
    # real terminal (tmux): every test sees what a plain `pytest` run sees
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch):
    """Tests run in English whatever the machine's locale ("auto" follows $LANG); a test
    that switches to Chinese does not leak it into the next."""
    from amtui.domain import i18n

    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.use("en")
    yield
    i18n.use("en")
