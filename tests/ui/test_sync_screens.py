"""Syncing from the app (with the demo's workbook as the sheet) and the sync screens:
conflicts, problems, the sync log, the delete guard, a locked workbook, offline and
rate-limited sheets."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from amtui.core.workspace import Workspace
from amtui.ui.screens.confirm import ConfirmScreen, TextPrompt
from amtui.ui.screens.conflicts import ConflictsScreen
from amtui.ui.screens.problems import (
    ProblemsScreen,
    RowScreen,
    distinct_problems,
    split_address,
)
from amtui.ui.screens.synclog import SyncLogScreen
from sync.xlsx_backend import XlsxBackend
from tests.ui.conftest import (
    SIZE,
    make_app,
    notifications,
    screen_text,
    set_sheet_cell,
    sheet_cell,
    until,
)


async def sync_now(pilot) -> None:
    await pilot.press("ctrl+r")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def make_conflicts(config: Path, count: int) -> list[dict]:
    """``count`` projects whose Priority changed here and differently in the workbook."""
    workspace = Workspace.open(config)
    records = workspace.store.records("projects")[:count]
    for record in records:
        mine, theirs = [p for p in ("High", "Medium", "Low") if p != record["priority"]][:2]
        workspace.store.update("projects", record["id"], {"priority": mine})
        set_sheet_cell(config, "Projects", record["id"], "Priority", theirs)
        record["mine"], record["theirs"] = mine, theirs
    workspace.sync()
    assert workspace.store.conflict_count() == count
    workspace.store.close()
    return records


async def test_conflicts_keep_sheet_keep_mine_or_a_new_value(demo_config):
    records = make_conflicts(demo_config, 3)
    app = make_app(demo_config)
    store = app.store
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "3 conflicts" in screen_text(app)
        await pilot.press("C")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConflictsScreen) and screen.table.row_count == 3
        text = screen_text(app)
        assert records[0]["id"] in text and "Priority" in text
        assert records[0]["mine"] in text and records[0]["theirs"] in text

        await pilot.press("s")  # first: keep the sheet's value
        await pilot.pause()
        assert store.get("projects", records[0]["id"])["priority"] == records[0]["theirs"]
        assert screen.table.row_count == 2

        await pilot.press("m")  # second: keep mine
        await pilot.pause()
        assert store.get("projects", records[1]["id"])["priority"] == records[1]["mine"]

        await pilot.press("e")  # third: a new value
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one("Input").value = "high"
        await pilot.press("enter")
        await pilot.pause()
        assert store.get("projects", records[2]["id"])["priority"] == "High"
        assert store.conflict_count() == 0 and screen.table.row_count == 0
        assert "none open" in screen_text(app)

        # the choices go to the workbook at the next sync
        await sync_now(pilot)
        for record, expected in zip(records, (records[0]["theirs"], records[1]["mine"],
                                              "High"), strict=True):
            assert sheet_cell(demo_config, "Projects", record["id"], "Priority") == expected
        assert store.conflict_count() == 0
    assert app.errors == []


async def test_problems_show_the_cell_the_row_and_a_fix(demo_config):
    workspace = Workspace.open(demo_config)
    project = workspace.store.records("projects")[1]["id"]
    feedback = workspace.store.records("feedback")[2]["id"]
    workspace.store.close()
    set_sheet_cell(demo_config, "Projects", project, "Due", "next Friday")
    set_sheet_cell(demo_config, "Feedback", feedback, "Rating", 7)
    app = make_app(demo_config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await sync_now(pilot)
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        text = screen_text(app)
        assert "next Friday" in text and "not a date" in text
        problems = distinct_problems(app.store.problems())
        assert len(problems) == 2 and "2 problems" in text
        due_problem = next(p for p in problems if p["record_id"] == project)
        assert due_problem["address"].startswith("Projects!") and due_problem["address"] in text
        assert any(p["record_id"] == feedback and p["value"] == "7" for p in problems)

        # enter shows the whole row with the unreadable value marked
        keys = [str(p["id"]) for p in problems]
        screen.table.move_cursor(row=keys.index(str(due_problem["id"])))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RowScreen)
        assert "as typed in the sheet" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()

        # o: for a workbook, where the file and cell are
        await pilot.press("o")
        await pilot.pause()
        assert any("team.xlsx" in n and "cell" in n for n in notifications(app))

        # e: fix the value; the problem leaves the list
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("Input").value = "2026-12-04"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store.get("projects", project)["due"] == "2026-12-04"
        await sync_now(pilot)
        assert sheet_cell(demo_config, "Projects", project, "Due").isoformat() == "2026-12-04"
        await sync_now(pilot)  # the sync that wrote the fix had read the old cell
        assert all(p["record_id"] != project for p in app.store.problems())
        assert "next Friday" not in screen_text(app)
    assert app.errors == []


class LinkBackend:
    """Just enough of a Google backend for links to cells."""

    name = "Team sheet"

    def url(self, title, cell=None):
        return ("https://docs.google.com/spreadsheets/d/abc/edit#gid=7"
                + (f"&range={cell}" if cell else ""))


async def test_problems_link_to_the_google_sheet_cell(demo_config, monkeypatch):
    opened = []
    monkeypatch.setattr("amtui.ui.screens.problems.open_url",
                        lambda url: opened.append(url) or False)
    workspace = Workspace.open(demo_config)
    project = workspace.store.records("projects")[0]["id"]
    workspace.store.close()
    set_sheet_cell(demo_config, "Projects", project, "Progress", "lots")
    Workspace.open(demo_config).sync()
    app = make_app(demo_config, backend=LinkBackend())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Team sheet" in screen_text(app)
        await pilot.press("P")
        await pilot.pause()
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert opened and "gid=7&range=" in opened[0]
        assert any(opened[0] in n and "no browser" in n for n in notifications(app))


def test_split_address():
    assert split_address("Projects!F14") == ("Projects", "F14")
    assert split_address("'My tab'!B2") == ("My tab", "B2")
    assert split_address("'It''s'!C3") == ("It's", "C3")
    assert split_address("Projects P-0001") == ("Projects", None)


async def test_sync_brings_sheet_edits_and_logs_the_run(demo_config):
    workspace = Workspace.open(demo_config)
    record = workspace.store.records("projects")[0]
    workspace.store.close()
    set_sheet_cell(demo_config, "Projects", record["id"], "Project", "Renamed in the sheet")
    app = make_app(demo_config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen
        board.show_record(record["id"])
        await pilot.pause()
        await sync_now(pilot)
        assert app.store.get("projects", record["id"])["project"] == "Renamed in the sheet"
        assert "Renamed in" in screen_text(app)
        column, highlighted = board.current()
        assert highlighted == record["id"]  # the cursor stayed on the card
        option = column.cards.highlighted_option
        assert option.record["project"] == "Renamed in the sheet"
        assert "synced just now" in screen_text(app)
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, SyncLogScreen)
        assert app.screen.table.row_count == 1
        text = screen_text(app)
        assert "ok" in text and "API calls" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is board


async def test_delete_guard_asks_before_deleting_many_rows(demo_config):
    backend = XlsxBackend(Path(demo_config).parent / "team.xlsx")
    grid = backend.read(["Feedback"])["Feedback"]
    doomed = [row[0] for row in grid[2:82]]
    backend.delete_rows({"Feedback": list(range(3, 83))})
    app = make_app(demo_config)
    before = app.store.count("feedback")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await sync_now(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "Feedback: 80 rows" in screen_text(app)
        assert app.store.count("feedback") == before  # held back until confirmed
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.store.count("feedback") == before - 80
        assert all(app.store.get("feedback", i) is None for i in doomed)


async def test_delete_guard_can_say_no(demo_config):
    backend = XlsxBackend(Path(demo_config).parent / "team.xlsx")
    backend.delete_rows({"Feedback": list(range(3, 83))})
    app = make_app(demo_config)
    before = app.store.count("feedback")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await sync_now(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.store.count("feedback") == before
        assert any("held back" in n for n in notifications(app))


async def test_a_workbook_open_elsewhere_is_not_written(demo_config):
    folder = Path(demo_config).parent
    lock = folder / ".~lock.team.xlsx#"
    lock.write_text("someone,host,2026-11-26")
    app = make_app(demo_config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("greater_than_sign")
        record_id = app.screen.current()[1]
        stage = app.store.get("projects", record_id)["stage"]
        await sync_now(pilot)
        assert "not written" in screen_text(app)
        assert any("open in an office program" in n for n in notifications(app))
        assert app.store.pending_count() == 1  # kept for the next sync
        lock.unlink()
        await sync_now(pilot)
        assert app.store.pending_count() == 0
        assert sheet_cell(demo_config, "Projects", record_id, "Stage") == stage
        assert "not written" not in screen_text(app)
    assert app.errors == []


class BrokenBackend:
    """A sheet that cannot be reached (or answers 429)."""

    name = "Team sheet"

    def __init__(self, error: Exception):
        self.error = error

    def counts(self):
        return {}

    def read(self, titles):
        raise self.error

    def writable(self):
        return None

    def url(self, title, cell=None):
        return "https://docs.google.com/spreadsheets/d/x/edit"


class RateLimited(Exception):
    status = 429


@pytest.mark.parametrize("error, said", [
    (requests.exceptions.ConnectionError("network is unreachable"), "offline"),
    (RateLimited("quota exceeded"), "rate-limited"),
])
async def test_offline_or_rate_limited_sheet_is_shown_and_retried(demo_config, error, said):
    app = make_app(demo_config, backend=BrokenBackend(error), autosync=True)
    app.workspace.config.interval = 3600
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.sync_state.trouble == said, what=said)
        await pilot.pause()
        text = screen_text(app)
        assert f"⚠ {said} — retrying in" in text
        assert app.sync_state.retry_at is not None
        # the app keeps working on its cache
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.store.pending_count() == 1
        run = app.store.sync_runs()[0]
        assert run["ok"] == 0 and run["error"]
    assert app.errors == []


async def test_an_unexpected_sync_error_is_reported_not_raised(demo_config):
    app = make_app(demo_config, backend=BrokenBackend(ValueError("bad cell type")))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+r")
        await until(pilot, lambda: app.sync_state.trouble == "error", what="the error")
        await pilot.pause()
        text = screen_text(app)
        # the sentence yields to the counts (issue 13 #9); the notification has it whole
        assert "✗ sync failed: ValueError" in text and "0 problems  0 pending" in text
        assert any("bad cell type" in n for n in notifications(app))
        assert app.sync_state.retry_at is None  # no fast retry: the next timer sync tries
        await pilot.press("greater_than_sign")  # still working
        assert app.store.pending_count() == 1
