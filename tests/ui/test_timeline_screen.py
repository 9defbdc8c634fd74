"""The Timeline mode with Pilot: zoom, scrolling in time, today, filters, folding, the form,
and due-date moves that go through the one edit path (recorded, undoable, synced to the
sheet through the emulator)."""

from __future__ import annotations

from datetime import date, timedelta

from amtui.domain.parse import read_date
from amtui.ui.screens.timeline import TimelineScreen, TimelineView
from tests.ui.conftest import SIZE, make_app, screen_text, until
from tests.ui.test_background_sync import sheet, synced_runs  # noqa: F401 - the fixture

TODAY = date(2026, 11, 26)


async def open_timeline(pilot) -> TimelineView:
    await pilot.press("6")
    await pilot.pause()
    assert isinstance(pilot.app.screen, TimelineScreen)
    return pilot.app.screen.view


def project_rows(view: TimelineView) -> list[dict]:
    return [view.groups[r.group].records[r.index] for r in view.rows if r.kind == "project"]


def first_open_project(view: TimelineView) -> int:
    """Row index of the first project with a due date that is not closed."""
    for n, row in enumerate(view.rows):
        if row.kind == "project":
            record = view.groups[row.group].records[row.index]
            if record.get("due") and record.get("stage") not in ("Delivered", "Cancelled"):
                return n
    raise AssertionError("no open project")


async def test_zoom_scroll_and_today(demo_config):
    app = make_app(demo_config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_timeline(pilot)
        assert view.scale.zoom == "week" and view.scale.days == 1
        home = view.first
        assert view.scale.cell_of(TODAY) - home == view.cells // 4  # today a quarter in
        text = screen_text(app)
        assert "▼" in text.splitlines()[4]  # the tick line marks today
        assert "23 Nov" in text and "30 Nov" in text

        await pilot.press("z")
        assert view.scale.zoom == "month"
        assert "Dec 26" in screen_text(app) and "Jan 27" in screen_text(app)
        await pilot.press("z")
        assert view.scale.zoom == "quarter" and "Q1 27" in screen_text(app)
        await pilot.press("z")  # quarter is the widest: stays
        assert view.scale.zoom == "quarter"
        await pilot.press("Z", "Z")
        assert view.scale.zoom == "week"

        before = view.first
        await pilot.press("right")
        assert view.first == before + view.cells // 4
        await pilot.press("left", "left", "left")
        assert view.first == before - 2 * (view.cells // 4)
        assert view.scale.day_of(view.first) < TODAY - timedelta(days=14)
        await pilot.press("t")
        assert view.first == home

        # rows scroll under the fixed header; the cursor follows
        await pilot.press("end")
        assert view.cursor == len(view.rows) - 1 and view.scroll_offset.y > 0
        await pilot.press("home")
        assert view.cursor == 0 and view.scroll_offset.y == 0
    assert app.errors == []


async def test_filters_and_folding(demo_config):
    app = make_app(demo_config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_timeline(pilot)
        every = len(project_rows(view))
        assert every == len(app.store.records("projects"))
        assert {g.manager for g in view.groups} >= {"张伟", "王芳", "Li Wei"}

        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*"张伟", "enter")
        await pilot.pause()
        shown = project_rows(view)
        assert shown and {r["manager"] for r in shown} == {"张伟"}
        assert "Filters: manager 张伟" in screen_text(app)

        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"Blocked", "enter")
        await pilot.pause()
        assert {r["health"] for r in project_rows(view)} <= {"Blocked"}

        await pilot.press("escape")
        assert len(project_rows(view)) == every

        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"Client Review", "enter")
        await pilot.pause()
        assert project_rows(view) and {r["stage"] for r in project_rows(view)} == \
            {"Client Review"}
        await pilot.press("escape")

        # fold the first group (enter on its header), then every group
        await pilot.press("home", "enter")
        first = view.groups[0]
        assert first.manager in app.screen.collapsed
        assert len(project_rows(view)) == every - len(first.spans)
        assert f"▸ {first.manager}" in screen_text(app)
        await pilot.press("F")
        assert project_rows(view) == []
        await pilot.press("F")
        assert len(project_rows(view)) == every
    assert app.errors == []


async def test_enter_opens_the_project_form(demo_config):
    from amtui.ui.screens.project_form import ProjectForm

    app = make_app(demo_config)
    async with app.run_test(size=SIZE) as pilot:
        view = await open_timeline(pilot)
        view.move_to(first_open_project(view))
        record = view.current_record()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProjectForm)
        assert app.screen.query_one("#f-project").value == record["project"]
    assert app.errors == []


async def test_due_date_moves_are_recorded_undone_and_synced(demo_config, sheet):  # noqa: F811
    app = make_app(demo_config, backend=sheet.backend())  # syncs on ctrl+r only
    async with app.run_test(size=SIZE) as pilot:
        view = await open_timeline(pilot)
        view.move_to(first_open_project(view))
        record = view.current_record()
        due = read_date(record["due"])

        await pilot.press("shift+right")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["due"] == \
            (due + timedelta(days=1)).isoformat()
        edit = app.store.pending_edits()[-1]
        assert (edit.record_id, edit.changes["due"]) == \
            (record["id"], [due.isoformat(), (due + timedelta(days=1)).isoformat()])
        assert view.current_record()["id"] == record["id"]  # the cursor stays on it
        said = f"due {due + timedelta(days=1):%a %d %b %Y} (was {due:%d %b})"
        assert said in screen_text(app)

        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["due"] == due.isoformat()
        assert app.store.pending_count() == 0
        assert said not in screen_text(app)  # the top line no longer claims the move

        await pilot.press("ctrl+right", "shift+left")
        await pilot.pause()
        moved = due + timedelta(days=6)
        assert app.store.get("projects", record["id"])["due"] == moved.isoformat()
        assert view.current_record()["due"] == moved.isoformat()  # the bar was redrawn

        runs = synced_runs(app)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: synced_runs(app) > runs and not app.sync_state.running,
                    what="the sync")
        serial = (moved - date(1899, 12, 30)).days  # the sheet stores dates as serials
        assert sheet.value("Projects", record["id"], "Due") == serial
        assert app.store.pending_count() == 0
    assert app.errors == []


async def test_e_writes_the_html_report_and_says_where(demo_config):
    from tests.ui.conftest import notifications

    app = make_app(demo_config)
    folder = demo_config.parent / "reports"
    async with app.run_test(size=SIZE) as pilot:
        await open_timeline(pilot)
        await pilot.press("e")
        path = folder / "report-2026-Q4.html"
        await until(pilot, lambda: any(str(path) in m for m in notifications(app)),
                    what="the report's notification")
        assert "<svg" in path.read_text(encoding="utf-8")

        await pilot.press("3")  # the KPI screen's e: CSV, Markdown, and now the HTML too
        await until(pilot, lambda: app.screen.table is not None, what="the KPI table")
        await pilot.press("e")
        month = folder / "report-2026-11.html"
        await until(pilot, lambda: any(str(month) in m for m in notifications(app)),
                    what="the KPI screen's report")
        assert (folder / "kpis-2026-11.csv").exists() and month.exists()
    assert app.errors == []
