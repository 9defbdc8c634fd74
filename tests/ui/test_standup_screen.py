"""Standup: one manager at a time, the same content as ``amtui standup``, notes saved as
Updates rows, changes made in the sheet counted, and a timer that never needs real waiting."""

from __future__ import annotations

from datetime import date

import openpyxl

from amtui.domain.standup import SECTIONS, build_standup
from amtui.ui.screens.standup import StandupScreen

SIZE = (120, 40)
TODAY = date(2026, 11, 26)
SINCE = date(2026, 11, 25)  # the working day before Thursday 26 Nov



async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_standup(pilot) -> StandupScreen:
    await settle(pilot)
    await pilot.press("5")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, StandupScreen)
    return screen


def item_lines(screen: StandupScreen) -> list[str]:
    items = screen.query_one("#standup-items")
    return [str(items.get_option_at_index(i).prompt) for i in range(items.option_count)]


def expected_lines(standup) -> list[str]:
    """What the screen should list for one manager: the CLI's sections and items."""
    lines = []
    if not (standup.changes or standup.new_feedback or standup.resolved_feedback):
        lines.append(f"Nothing new since {SINCE:%a} {SINCE}")
    titles = dict(SECTIONS)
    for key, _ in SECTIONS:
        items = getattr(standup, key)
        if items:
            lines.append(f"{titles[key]} ({len(items)})")
            lines += [f"  {item.record_id} {item.text}" for item in items]
    if standup.latest_note:
        note = standup.latest_note
        lines += ["Latest note", f"  {note.record_id} {note.text}"]
    return lines


async def test_walks_every_manager_with_the_same_content_as_the_cli(app):
    store = app.store
    expected = build_standup(store.records_by_tab(), store.events(SINCE.isoformat()),
                             today=TODAY, since=SINCE)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_standup(pilot)
        assert screen.since == SINCE
        title = str(screen.query_one("#standup-title").render())
        assert "Thu 2026-11-26" in title and "since Wed 2026-11-25" in title
        seen = []
        for n, standup in enumerate(expected):
            assert screen.current.manager_name == standup.manager_name
            assert item_lines(screen) == expected_lines(standup)
            assert f"{n + 1} of {len(expected)}" in str(
                screen.query_one("#standup-title").render())
            seen.append(screen.current.manager_name)
            await pilot.press("n")
        assert seen == [s.manager_name for s in expected]
        assert any("That was everyone" in n.message for n in app._notifications)
        await pilot.press("p")
        assert screen.current.manager_name == expected[-2].manager_name
        # pick a manager from the list
        await pilot.press("m")
        picker = screen.query_one("#standup-managers")
        assert app.focused is picker
        picker.highlighted = 0
        await pilot.press("enter")
        assert screen.current.manager_name == expected[0].manager_name
        # since one more working day back: the title says so
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.since == date(2026, 11, 24)
        assert "since Tue 2026-11-24" in str(screen.query_one("#standup-title").render())


async def test_note_is_saved_as_an_updates_row_and_the_timer_warns(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_standup(pilot)
        await pilot.press("n")
        name = screen.current.manager_name
        before = len(app.store.records("updates"))
        await pilot.press("i")
        assert app.focused is screen.query_one("#standup-note")
        await pilot.press(*"Chasing the PO", "enter")
        await settle(pilot)
        updates = app.store.records("updates")
        assert len(updates) == before + 1
        new = updates[-1]
        assert (new["date"], new["manager"], new["note"]) == ("2026-11-26", name,
                                                               "Chasing the PO")
        assert any(e.tab == "updates" and e.op == "add" for e in app.store.pending_edits())
        # it shows as the latest note, the field is empty and the person is ticked off
        assert screen.current.manager_name == name
        assert item_lines(screen)[-1] == f"  {new['id']} 2026-11-26: Chasing the PO"
        assert screen.query_one("#standup-note").value == ""
        assert str(screen.query_one("#standup-managers").get_option_at_index(1).prompt
                   ).startswith("✓")
        # the timer counts from an injected clock from here on: a real tick between the
        # key and the check would spend a real second (seen on a loaded machine)
        now = [1000.0]
        screen.clock = lambda: now[0]
        screen.resume_timer()  # counting from the injected clock
        # escape leaves the field so n moves on again
        await pilot.press("escape", "n")
        assert screen.current.manager_name != name

        # the timer: a fresh two minutes for this person, warning colour when time is up
        timer = screen.query_one("#standup-timer")
        assert "2:00 left" in str(timer.render())
        now[0] += 45
        screen.tick()
        assert "1:15 left" in str(timer.render()) and not timer.has_class("-over")
        screen.advance(80)
        assert "time's up +0:05" in str(timer.render()) and timer.has_class("-over")
        warning = app.theme_variables["warning"].lower()
        assert timer.styles.background.hex.lower() == warning
        # the next person starts with their own two minutes; coming back keeps the time
        await pilot.press("n")
        assert "2:00 left" in str(timer.render()) and not timer.has_class("-over")
        await pilot.press("p")
        assert timer.has_class("-over")
        # paused, the clock does not count
        await pilot.press("t")
        now[0] += 30
        screen.tick()
        assert "time's up +0:05 (paused)" in str(timer.render())
        # the minutes come from the config
        app.workspace.config.standup_minutes = 5
        await pilot.press("n")
        assert "5:00 left" in str(timer.render())




async def test_changes_made_in_the_sheet_show_up(app):
    """A person moves a project's stage and marks another blocked in the workbook; after a
    sync the standup lists both under the owning manager."""
    store = app.store
    projects = [p for p in store.records("projects") if p["stage"] in ("Planning", "Intake")
                and p["health"] != "Blocked"]
    moved, blocked = projects[0], projects[1]
    book = openpyxl.load_workbook(app.workspace.config.spreadsheet)
    sheet = book["Projects"]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        record_id = row[0].value
        if record_id == moved["id"]:
            row[headers.index("Stage")].value = "In Progress"
        if record_id == blocked["id"]:
            row[headers.index("Health")].value = "Blocked"
            row[headers.index("Blocker")].value = "Waiting for the client's legal team"
    book.save(app.workspace.config.spreadsheet)
    app.workspace.sync()
    assert any(e["source"] == "sheet" for e in store.events(SINCE.isoformat()))

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_standup(pilot)
        by_name = {s.manager_name: n for n, s in enumerate(screen.standups)}

        async def lines_of(manager: str) -> list[str]:
            screen.go_to(by_name[manager])
            await pilot.pause()
            return item_lines(screen)

        lines = await lines_of(moved["manager"])
        assert f"  {moved['id']} {moved['project']}: stage {moved['stage']} → In Progress" \
            in lines
        lines = await lines_of(blocked["manager"])
        assert (f"  {blocked['id']} {blocked['project']}: now blocked: Waiting for the "
                "client's legal team") in lines
        assert any(line.startswith("Blocked (") for line in lines)
        # enter on an item opens it on the Board
        items = screen.query_one("#standup-items")
        items.focus()
        items.highlighted = next(i for i, line in enumerate(lines)
                                 if line.startswith(f"  {blocked['id']}"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.current_mode == "board"


async def test_an_ansi_theme_colours_the_kpi_statuses(app):
    # ANSI themes name colours "ansi_red", which Rich cannot parse (the standup crashed)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "ansi-dark"
        screen = await open_standup(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert app.errors == [] and app.screen is screen
        assert screen.current is not None
