"""The real background sync against the local Google Sheets emulator: edits flow both ways
while the app stays usable; 429s and a stopped server show in the status bar; conflicts and
problems made in the sheet appear in their screens and are resolved there."""

from __future__ import annotations

from pathlib import Path

import pytest

from amtui.domain import schema
from amtui.ui.screens.conflicts import ConflictsScreen
from amtui.ui.screens.problems import ProblemsScreen
from sync.emulator import SheetsEmulator
from sync.gclient import RetryPolicy, make_client
from sync.google_backend import GoogleSheetBackend, to_json_cell
from sync.spec import column_letter
from sync.xlsx_backend import XlsxBackend
from tests.ui.conftest import SIZE, make_app, screen_text, until

FAST = RetryPolicy(max_attempts=2, max_total_wait=1, base_delay=0.01, timeout=3)


class Sheet:
    """The emulator spreadsheet holding the demo's data, and ways to edit it as a person."""

    def __init__(self, emulator: SheetsEmulator, spreadsheet_id: str, key_file: Path):
        self.emulator, self.id, self.key_file = emulator, spreadsheet_id, key_file

    def backend(self) -> GoogleSheetBackend:
        client = make_client(self.key_file, endpoint=self.emulator.base_url, retry=FAST,
                             sleep=lambda _seconds: None)
        return GoogleSheetBackend(client, self.id)

    def where(self, title: str, record_id: str, header: str) -> str:
        grid = self.emulator.get_values(self.id, title)
        row = next(n for n, r in enumerate(grid, start=1) if r and r[0] == record_id)
        return f"{column_letter(grid[0].index(header))}{row}"

    def type(self, title: str, record_id: str, header: str, value) -> None:
        self.emulator.set_cell(self.id, title, self.where(title, record_id, header), value)

    def value(self, title: str, record_id: str, header: str):
        return self.emulator.get_cell(self.id, title, self.where(title, record_id, header),
                                      render_option="UNFORMATTED_VALUE")


@pytest.fixture
def sheet(demo_config, tmp_path):
    """The demo workspace's workbook loaded into an emulated Google Sheet."""
    titles = [t.title for t in schema.TABS.values()]
    grids = XlsxBackend(Path(demo_config).parent / "team.xlsx").read(titles)
    tabs = {title: [[to_json_cell(v) for v in row] for row in grids[title]] for title in titles}
    with SheetsEmulator(seed=7) as emulator:
        key_file = tmp_path / "service-account.json"
        email = emulator.create_service_account(key_file)
        spreadsheet_id = emulator.create_spreadsheet("Team sheet", shared_with=[email])
        emulator.load_workbook_tabs(spreadsheet_id, tabs, value_input="RAW")
        yield Sheet(emulator, spreadsheet_id, key_file)


def synced_runs(app) -> int:
    return sum(1 for run in app.store.sync_runs(limit=100) if run["ok"])


async def test_edits_flow_both_ways_in_the_background(demo_config, sheet):
    app = make_app(demo_config, backend=sheet.backend(), autosync=True)
    app.workspace.config.interval = 1  # a timer sync every second
    app.workspace.config.poll_interval = 0.5  # live: a version check twice a second
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: synced_runs(app) >= 1, what="the first sync")
        await until(pilot, lambda: "Team sheet" in screen_text(app), what="the sheet's name")

        # a person renames a project in the sheet: it shows on the board
        record = app.store.records("projects")[0]
        app.screen.show_record(record["id"])
        sheet.type("Projects", record["id"], "Project", "Edited in the sheet")
        await until(pilot, lambda: "Edited in" in screen_text(app),
                    what="the sheet edit to show on the board")
        assert app.store.get("projects", record["id"])["project"] == "Edited in the sheet"
        assert app.screen.current()[1] == record["id"]  # the cursor stayed on the card

        # a card moved on the board lands in the sheet (keys keep working during syncs)
        moved = next(r for r in app.store.records("projects") if r["stage"] == "Planning")
        app.screen.show_record(moved["id"])
        await pilot.pause()
        await pilot.press("greater_than_sign")
        await until(pilot, lambda: sheet.value("Projects", moved["id"], "Stage")
                    == "In Progress", what="the move to reach the sheet")
        await until(pilot, lambda: app.store.pending_count() == 0, what="pending edits")
        assert app.errors == []


async def test_rate_limits_and_a_stopped_server_show_and_heal(demo_config, sheet):
    app = make_app(demo_config, backend=sheet.backend(), autosync=True)
    app.workspace.config.interval = 1
    app.workspace.config.poll_interval = 0.5
    app.retry_first = 0.5  # and the next delay
    emulator = sheet.emulator
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: synced_runs(app) >= 1, what="the first sync")

        emulator.fail_next(50, status=429)
        await until(pilot, lambda: app.sync_state.trouble == "rate-limited",
                    what="the rate limit to show")
        # the tabs fold to their keys to make room, then the status line is laid out again
        await until(pilot, lambda: "⚠ rate-limited — retrying in" in screen_text(app),
                    what="the status line to say so")
        record = next(r for r in app.store.records("projects") if r["stage"] == "Planning")
        app.screen.show_record(record["id"])
        await pilot.pause()
        await pilot.press("greater_than_sign")  # the app keeps working on its cache
        assert app.store.get("projects", record["id"])["stage"] == "In Progress"
        emulator.clear_faults()
        await until(pilot, lambda: app.sync_state.trouble == "" and
                    app.store.pending_count() == 0, what="catching up after the limit")
        assert sheet.value("Projects", record["id"], "Stage") == "In Progress"

        emulator.stop()
        await until(pilot, lambda: app.sync_state.trouble == "offline", what="offline")
        assert "⚠ offline — retrying in" in screen_text(app)
        await pilot.press("less_than_sign")
        assert app.store.get("projects", record["id"])["stage"] == "Planning"
        emulator.start()
        await until(pilot, lambda: app.sync_state.trouble == "" and
                    app.store.pending_count() == 0, what="catching up after the outage")
        assert sheet.value("Projects", record["id"], "Stage") == "Planning"
        failed = [run for run in app.store.sync_runs(limit=100) if not run["ok"]]
        assert failed and all(run["error"] for run in failed)
        assert app.errors == []


async def test_conflicts_and_problems_from_the_sheet_are_resolved_in_the_app(demo_config,
                                                                             sheet):
    app = make_app(demo_config, backend=sheet.backend())  # syncs on ctrl+r only

    async def sync_now(pilot):
        runs = synced_runs(app)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: synced_runs(app) > runs and not app.sync_state.running,
                    what="the sync")
        await pilot.pause()

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first, second = app.store.records("projects")[:2]
        mine, theirs = [p for p in ("High", "Medium", "Low") if p != first["priority"]][:2]
        assert app.edit("projects", first["id"], {"priority": mine})
        sheet.type("Projects", first["id"], "Priority", theirs)
        sheet.type("Projects", second["id"], "Due", "next Friday")
        await sync_now(pilot)
        assert "1 conflict" in screen_text(app) and "1 problem" in screen_text(app)

        await pilot.press("C")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen) and app.screen.table.row_count == 1
        await pilot.press("m")  # keep mine
        await pilot.pause()
        assert app.store.conflict_count() == 0

        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        address = sheet.where("Projects", second["id"], "Due")
        assert f"Projects!{address}" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("Input").value = "2026-12-11"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await sync_now(pilot)
        assert sheet.value("Projects", first["id"], "Priority") == mine
        assert sheet.value("Projects", second["id"], "Due") == 46367  # 2026-12-11 as a date
        # the sync that wrote the fix had read the old cell: the next one sees it fixed
        await sync_now(pilot)
        assert app.store.conflict_count() == 0 and app.store.problems() == []
        assert "none: every value" in screen_text(app)
    assert app.errors == []
