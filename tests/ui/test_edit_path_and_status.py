"""The app side of issue 8 and 13: edits that fail keep what was typed and say why, the
status bar keeps its counts and its clock, navigation back to where a view was opened."""

from __future__ import annotations

from datetime import datetime, timedelta

from amtui.core.workspace import Workspace
from amtui.ui.app import SyncState
from amtui.ui.screens.confirm import TextPrompt
from amtui.ui.screens.kpis import KpisScreen
from amtui.ui.screens.people import PeopleScreen
from amtui.ui.screens.problems import ProblemsScreen
from amtui.ui.screens.project_form import ProjectForm
from amtui.ui.widgets.status import SyncStatus
from tests.ui.conftest import SIZE, make_app, make_problems, notifications, screen_text


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_problem_fix(pilot, record_id: str) -> dict:
    """Problems screen, cursor on the problem of ``record_id``, fix dialog open."""
    app = pilot.app
    await pilot.press("P")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ProblemsScreen)
    problem = next(p for p in screen.rows.values() if p["record_id"] == record_id)
    screen.table.move_cursor(row=list(screen.rows).index(str(problem["id"])))
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, TextPrompt)
    return problem


async def test_problem_fix_dialog_stays_open_and_says_why(demo_config):
    # issue 13 #14: an invalid value keeps the dialog open with the reason and the text
    project, _feedback = make_problems(demo_config)
    app = make_app(demo_config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_problem_fix(pilot, project)
        prompt = app.screen
        prompt.query_one("Input").value = "some day soon"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is prompt  # still open
        assert prompt.query_one("Input").value == "some day soon"  # nothing thrown away
        assert "not a date" in prompt.refused
        assert "not a date" in screen_text(app)
        assert app.store.get("projects", project)["due"] == "next Friday"
        assert not any(e.record_id == project for e in app.store.pending_edits())
        # a good value is saved through the app's edit path and closes the dialog
        prompt.query_one("Input").value = "2026-12-04"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProblemsScreen)
        assert app.store.get("projects", project)["due"] == "2026-12-04"
        assert any(e.record_id == project for e in app.store.pending_edits())
    assert app.errors == []
    app.store.close()


async def test_problems_key_bar_shows_go_to_record(demo_config):
    # issue 13 #18: g works and is in the key bar
    project, _feedback = make_problems(demo_config)
    app = make_app(demo_config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("P")
        await pilot.pause()
        screen = app.screen
        assert "g Go to record" in screen_text(app).splitlines()[-1]
        problem = next(p for p in screen.rows.values() if p["record_id"] == project)
        screen.table.move_cursor(row=list(screen.rows).index(str(problem["id"])))
        await pilot.press("g")
        await pilot.pause()
        assert app.current_mode == "board" and app.screen.current()[1] == project
    app.store.close()


async def test_a_long_status_message_never_hides_the_counts(demo_config):
    # issue 13 #9: the sentence is cut, the counts stay (at any width)
    for width in (120, 100, 160):
        app = make_app(demo_config)
        async with app.run_test(size=(width, 40)) as pilot:
            await pilot.pause()
            app.sync_state = SyncState(
                trouble="error", message="the workbook /home/lead/a/long/path/team.xlsx is "
                "not a zip file; it may be damaged: restore it from the sheet's history",
                last_ok=app.sync_state.last_ok)
            await pilot.pause()
            pending, conflicts, problems = app.sync_counts()
            line = screen_text(app).splitlines()[1]
            assert "✗ sync fail" in line and "…" in line, width
            assert f"{conflicts} conflicts  {problems} problems  {pending} pending" in line
        app.store.close()


async def test_synced_age_keeps_counting_while_syncs_fail(demo_config):
    # issue 13: "synced just now" must not stay up while rate-limited
    now = [datetime(2026, 11, 26, 9, 0, 0)]
    app = make_app(demo_config, clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        last_ok = (now[0] - timedelta(seconds=5)).isoformat(timespec="seconds")
        app.sync_state = SyncState(last_ok=last_ok)
        await pilot.pause()
        assert "synced just now" in screen_text(app)
        app.sync_state = SyncState(trouble="rate-limited", message="429", last_ok=last_ok)
        now[0] += timedelta(seconds=40)
        app.screen.query_one(SyncStatus).show()  # what the status bar's 1 s tick does
        await pilot.pause()
        assert "synced 45 s ago" in screen_text(app)
        now[0] += timedelta(seconds=60)
        app.screen.query_one(SyncStatus).show()
        await pilot.pause()
        assert "synced 1 min ago" in screen_text(app)
    app.store.close()


async def test_escape_from_a_scorecard_opened_on_people_returns_to_people(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        await pilot.press("k")
        await settle(pilot)
        kpis = app.screen
        assert isinstance(kpis, KpisScreen) and kpis.showing_scorecard
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, PeopleScreen)
        # the KPI screen itself shows its table next time, and escape there stays there
        await pilot.press("3")
        await settle(pilot)
        assert app.screen is kpis and not kpis.showing_scorecard
        await pilot.press("enter")
        await settle(pilot)
        assert kpis.showing_scorecard
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is kpis and not kpis.showing_scorecard


async def test_a_read_only_database_names_the_file_and_keeps_the_edit(demo_config):
    # issue 13 #2, the app's side: the form stays open with what was typed
    app = make_app(demo_config)
    record = Workspace.open(demo_config).store.records("projects")[0]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.show_record(record["id"])
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        form.query_one("#f-next_step").value = "call the client back"
        app.store.db.conn.execute("PRAGMA query_only = ON")  # writes now fail: read-only
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#f-next_step").value == "call the client back"
        said = "\n".join(notifications(app))
        assert str(app.store.path) in said and "read-only" in said and "chmod" in said
        assert app.store.get("projects", record["id"])["next_step"] == record["next_step"]
        # once the file is writable again, the same form saves
        app.store.db.conn.execute("PRAGMA query_only = OFF")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not form
        assert app.store.get("projects", record["id"])["next_step"] == "call the client back"
    assert len(app.errors) == 1 and "read-only" in app.errors[0]
    app.store.close()


async def test_the_inbox_and_people_are_built_in_the_background_without_showing_them(
        demo_config):
    # the warm-up (public switch_mode, no private Textual state) leaves the board in front
    from amtui.ui.screens.board import BoardScreen
    from amtui.ui.screens.inbox import InboxScreen
    from amtui.ui.screens.people import PeopleScreen
    from tests.ui.conftest import until

    app = make_app(demo_config)
    app.warm_up = True
    shown = []
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: {"inbox", "people"} <= app.modes_opened, what="the warm-up")
        # then the forms (pushed and popped off screen, see test_kept_forms)
        await until(pilot, lambda: len(app.kept_forms) == 4, what="the forms built ahead")
        await pilot.pause()
        assert app.current_mode == "board" and isinstance(app.screen, BoardScreen)
        app.screen_change_signal.subscribe(app, shown.append)
        for key, screen in (("2", InboxScreen), ("4", PeopleScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen) and app.screen.is_mounted
        # built before: the same screens, switched to (none built now)
        assert [type(screen) for screen in shown] == [InboxScreen, PeopleScreen]
    assert app.errors == []
    app.store.close()
