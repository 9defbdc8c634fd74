"""Reminders in the app, on the Sheets emulator: a low rating a person adds in the sheet
becomes a notification after the next sync and an entry in Alerts; enter opens it in the
Inbox; snooze and dismiss hide it."""

from __future__ import annotations

from amtui.services.notify import alerts
from amtui.ui.screens.alerts import AlertsScreen
from tests.ui.conftest import SIZE, make_app, notifications, screen_text, until
from tests.ui.test_background_sync import sheet, synced_runs  # noqa: F401 - fixture

TEXT = "Nobody answers our calls any more"


async def test_low_rating_from_the_sheet_alerts_and_opens_in_the_inbox(demo_config, sheet):  # noqa: F811
    app = make_app(demo_config, backend=sheet.backend())  # syncs on ctrl+r only
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await until(pilot, lambda: synced_runs(app) >= 1 and alerts(app.store),
                    what="the first sync and its reminders")
        assert not any(TEXT in n for n in notifications(app))

        # a person adds a feedback row in the sheet: rating 1, not yet acknowledged
        grid = sheet.emulator.get_values(sheet.id, "Feedback")
        typed = {"Received": "2026-11-26", "Source": "Client", "Manager": "Li Wei",
                 "Rating": 1, "Category": "Complaint", "Text": TEXT, "Status": "New"}
        sheet.emulator.set_values(sheet.id, "Feedback", f"A{len(grid) + 1}",
                                  [[typed.get(h) for h in grid[0]]])
        await pilot.press("ctrl+r")
        await until(pilot, lambda: any(TEXT in n for n in notifications(app)),
                    what="the reminder notification")
        note = next(n for n in notifications(app) if TEXT in n)
        assert note.startswith("Low rating not acknowledged: ")
        new_id = next(r["id"] for r in app.store.records("feedback") if r["text"] == TEXT)
        assert f"({new_id}) — Li Wei" in note and f"open Feedback {new_id}" in note

        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AlertsScreen), what="Alerts")
        screen = app.screen
        keys = list(screen.rows)
        mine = next(k for k in keys if f":feedback:{new_id}:" in k and k.startswith("complaint"))
        screen.table.move_cursor(row=keys.index(mine))
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: app.current_mode == "inbox"
                    and not isinstance(app.screen, AlertsScreen), what="the Inbox")
        await until(pilot, lambda: app.screen.listing.highlighted_id() == new_id,
                    what="the feedback highlighted in the Inbox")

        # snooze hides it for a day, dismiss for good (until its facts change)
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AlertsScreen), what="Alerts again")
        count = len(app.screen.rows)
        app.screen.table.move_cursor(row=list(app.screen.rows).index(mine))
        await pilot.press("s")
        assert mine not in app.screen.rows and len(app.screen.rows) == count - 1
        first = next(iter(app.screen.rows))
        app.screen.table.move_cursor(row=0)
        await pilot.press("d")
        assert first not in app.screen.rows
        hidden = {a.key: a for a in alerts(app.store, include_hidden=True)}
        assert hidden[mine].snooze_until and hidden[first].status == "dismissed"
        assert app.errors == []


async def test_alerts_is_in_the_palette_and_starts_empty(app):
    from amtui.ui.commands import screen_commands

    async with app.run_test(size=SIZE) as pilot:
        names = {name: action for name, _keys, _node, action in screen_commands(app.screen)}
        assert names["Alerts: reminders that need attention"] == "alerts"
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, AlertsScreen), what="Alerts")
        assert app.screen.rows == {}
        assert "nothing needs attention" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, AlertsScreen)
