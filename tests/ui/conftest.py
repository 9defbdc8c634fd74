"""Helpers for the app's tests: build the app on the demo workspace, edit its workbook behind
its back (as a person in the sheet would), and read what the screen shows.

Every app here runs with ``autosync=False`` (no timer, no startup sync) and a pinned clock,
so screens and snapshots do not depend on when the tests run.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from amtui.core.workspace import Workspace
from amtui.ui.app import AmtuiApp

SIZE = (120, 40)


def pinned_clock(workspace: Workspace):
    """"Now" = the last successful sync (so the status bar says "synced just now")."""

    def now() -> datetime:
        last = workspace.store.last_successful_sync()
        return datetime.fromisoformat(last) if last else datetime(2026, 11, 26, 9, 0)

    return now


def make_app(config: Path, **options) -> AmtuiApp:
    """The app on a workspace, as the tests use it (see the module docstring)."""
    workspace = Workspace.open(Path(config))
    options.setdefault("autosync", False)
    options.setdefault("clock", pinned_clock(workspace))
    app = AmtuiApp(workspace, **options)
    app.warm_up = False  # tests open the inbox themselves (and run faster without it)
    return app


@pytest.fixture
def app(demo_config) -> AmtuiApp:
    app = make_app(demo_config)
    yield app
    assert app.errors == [], f"errors reported to the person: {app.errors}"
    app.store.close()


# -- the workbook behind the app (what a person edits in LibreOffice/Excel) ---------------


def sheet_column(config: Path, title: str, header: str) -> int:
    from sync.xlsx_backend import XlsxBackend

    backend = XlsxBackend(Path(config).parent / "team.xlsx")
    return backend.read([title])[title][0].index(header)


def sheet_row_of(config: Path, title: str, record_id: str) -> int:
    from sync.xlsx_backend import XlsxBackend

    grid = XlsxBackend(Path(config).parent / "team.xlsx").read([title])[title]
    id_col = grid[0].index("ID")
    for n, row in enumerate(grid, start=1):
        if len(row) > id_col and row[id_col] == record_id:
            return n
    raise KeyError(record_id)


def set_sheet_cell(config: Path, title: str, record_id: str, header: str, value) -> None:
    """Type ``value`` into the workbook cell of a record (by ID and header)."""
    from sync.xlsx_backend import XlsxBackend

    row = sheet_row_of(config, title, record_id)
    col = sheet_column(config, title, header)
    XlsxBackend(Path(config).parent / "team.xlsx").write_cells([(title, row, col, value)])


def sheet_cell(config: Path, title: str, record_id: str, header: str):
    from sync.xlsx_backend import XlsxBackend

    grid = XlsxBackend(Path(config).parent / "team.xlsx").read([title])[title]
    row = grid[sheet_row_of(config, title, record_id) - 1]
    col = grid[0].index(header)
    return row[col] if col < len(row) else ""


def make_conflict(config: Path) -> str:
    """P-0001's Priority changed here and (differently) in the workbook; synced. Returns the
    record ID."""
    workspace = Workspace.open(Path(config))
    record = workspace.store.records("projects")[0]
    record_id = record["id"]
    mine, theirs = [p for p in ("High", "Medium", "Low") if p != record["priority"]][:2]
    workspace.store.update("projects", record_id, {"priority": mine})
    set_sheet_cell(config, "Projects", record_id, "Priority", theirs)
    workspace.sync()
    assert workspace.store.conflict_count() == 1
    workspace.store.close()
    return record_id


def make_problems(config: Path) -> list[str]:
    """Two unreadable values typed in the workbook (a due date and a rating); synced."""
    workspace = Workspace.open(Path(config))
    project = workspace.store.records("projects")[1]["id"]
    feedback = workspace.store.records("feedback")[2]["id"]
    workspace.store.close()
    set_sheet_cell(config, "Projects", project, "Due", "next Friday")
    set_sheet_cell(config, "Feedback", feedback, "Rating", 7)
    workspace = Workspace.open(Path(config))
    workspace.sync()
    assert workspace.store.problem_count() >= 2
    workspace.store.close()
    return [project, feedback]


# -- reading the screen --------------------------------------------------------------------


def screen_text(app: AmtuiApp) -> str:
    """The visible screen as plain text (what ``tmux capture-pane`` would show)."""
    lines = ["".join(segment.text for segment in strip)
             for strip in app.screen._compositor.render_strips()]
    return "\n".join(lines)


async def until(pilot, condition, timeout: float = 15.0, what: str = "") -> None:
    """Let the app run until ``condition()`` holds (syncs run in their own thread)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.05)


def notifications(app: AmtuiApp) -> list[str]:
    return [n.message for n in app._notifications]
