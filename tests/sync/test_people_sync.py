"""Reviews, development entries, a mentor and a standup note written in the app reach the
Google Sheet (the Sheets emulator, through gspread and the real sync) at the next sync."""

from __future__ import annotations

import json
from datetime import date

import openpyxl

from amtui.domain import schema
from amtui.ui.screens.development_form import DevelopmentForm
from amtui.ui.screens.people import PeopleScreen
from amtui.ui.screens.review_form import ReviewForm
from amtui.ui.screens.standup import StandupScreen
from sync.gclient import make_client
from sync.google_backend import EPOCH, GoogleSheetBackend
from tests.ui.conftest import make_app

SIZE = (120, 40)


def workbook_tabs(path) -> dict[str, list[list]]:
    """The demo workbook as a person would paste it into a new Google Sheet."""
    book = openpyxl.load_workbook(path)
    return {sheet.title: [["" if v is None else v for v in row]
                          for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def rows_by_id(emulator, sid: str, title: str) -> dict[str, dict]:
    grid = emulator.get_values(sid, title)
    headers = grid[0]
    return {row[0]: dict(zip(headers, row, strict=False)) for row in grid[1:] if row}


def as_date(serial) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(serial))


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_people_and_standup_edits_reach_the_google_sheet(
        emulator, service_account_file, demo_config):
    email = json.loads(service_account_file.read_text())["client_email"]
    app = make_app(demo_config)
    workspace = app.workspace
    sid = emulator.create_spreadsheet("Agency team", workbook_tabs(workspace.config.spreadsheet),
                                      shared_with=[email])
    backend = GoogleSheetBackend(make_client(service_account_file, endpoint=emulator.base_url),
                                 sid)
    first = workspace.sync(backend=backend)  # the copy in Google equals the cache
    assert first.counts.get("pulled", 0) == 0 and not workspace.store.conflicts()

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        people = app.screen
        assert isinstance(people, PeopleScreen)
        names = [p.name for p in people.people]

        # a review of Tom Becker's first month, a mentor for him, a mentoring session
        await pilot.press(*["down"] * names.index("Tom Becker"))
        await pilot.press("a")
        form = app.screen
        assert isinstance(form, ReviewForm)
        form.query_one("#period").value = "2026-11"
        form.query_one("#score").value = "4"
        form.query_one("#strengths").text = "Quick study"
        form.query_one("#improvements").text = "=IMPORTXML(\"x\") is not a formula here"
        form.query_one("#outcome").value = "Recognition"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("m")
        mentors = app.screen.query_one("#mentor-options")
        mentors.highlighted = next(
            i for i in range(mentors.option_count)
            if str(mentors.get_option_at_index(i).prompt).startswith("Li Wei"))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("s")
        session = app.screen
        assert isinstance(session, DevelopmentForm)
        assert session.query_one("#with_").value == "Li Wei"
        session.query_one("#hours").value = "1.5"
        await pilot.press("ctrl+s")
        await settle(pilot)

        # a standup note for the first manager
        await pilot.press("5")
        await settle(pilot)
        standup = app.screen
        assert isinstance(standup, StandupScreen)
        first_name = standup.current.manager_name
        await pilot.press("i", *"Renewal call went well", "enter")
        await settle(pilot)
        assert app.errors == []

    pending = {e.tab for e in workspace.store.pending_edits()}
    assert pending == {"reviews", "managers", "development", "updates"}
    report = workspace.sync(backend=backend)
    assert report.counts.get("conflicts", 0) == 0
    assert workspace.store.pending_count() == 0

    title = workspace.config.title_of
    review = next(r for r in rows_by_id(emulator, sid, title("reviews")).values()
                  if r["Manager"] == "Tom Becker")
    assert (review["Period"], review["Score"], review["Outcome"]) == ("2026-11", 4,
                                                                      "Recognition")
    assert review["Improvements"].startswith("=IMPORTXML")  # stored as text
    assert as_date(review["Date"]) == date(2026, 11, 26)  # a real date in the sheet

    managers = rows_by_id(emulator, sid, title("managers"))
    tom = next(m for m in managers.values() if m["Name"] == "Tom Becker")
    assert tom["Mentor"] == "Li Wei"

    dev = [d for d in rows_by_id(emulator, sid, title("development")).values()
           if d["Manager"] == "Tom Becker"]
    assert [(d["Type"], d["With"], d["Hours"], d["Status"]) for d in dev] == [
        ("Mentoring", "Li Wei", 1.5, "Done")]

    notes = [u for u in rows_by_id(emulator, sid, title("updates")).values()
             if u["Note"] == "Renewal call went well"]
    assert len(notes) == 1 and notes[0]["Manager"] == first_name
    assert as_date(notes[0]["Date"]) == date(2026, 11, 26)

    # the new rows got IDs in the sheet that match the cache, and every tab has its headers
    for tab in ("reviews", "development", "updates"):
        local = {r["id"] for r in workspace.store.records(tab)}
        assert set(rows_by_id(emulator, sid, title(tab))) == local
        assert emulator.get_values(sid, title(tab))[0][:len(schema.TABS[tab].fields)] == [
            f.header for f in schema.TABS[tab].fields]
