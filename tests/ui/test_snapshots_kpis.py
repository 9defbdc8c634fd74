"""Snapshots of the KPI table, a scorecard, a manager profile with reviews, the review form
and the standup view, on the small demo with its pinned date (2026-11-26).

Update them with ``pytest tests/ui/test_snapshots_kpis.py --snapshot-update`` after a
deliberate change, and look at the SVGs before committing."""

from __future__ import annotations

from textual.widgets import Input, TextArea

SIZE = (120, 40)



async def settle(pilot) -> None:
    """Until no worker runs and what they handed to the UI thread has been drawn: a worker's
    ``call_from_thread`` can land after ``wait_for_complete`` returns on a busy machine."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()


def still_cursors(app) -> None:
    """No blinking text cursor: the screenshot must not depend on when it is taken."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


def freeze_standup(screen) -> None:
    """Stop the standup's timer and forget the time it counted while the test got here (a
    busy machine takes over a second: "1:58 left" instead of "1:59"), then draw the timer
    and the list of managers again, with nobody's time spent."""
    assert screen.current is not None, "the standup is not built yet"
    screen.pause_timer()
    screen.elapsed.clear()
    screen.show_manager(keep_cursor=True)


def test_kpi_table(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("down", "down", "right")  # Li Wei's CSAT, with its trend

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_scorecard(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        # Li Wei's Overdue: the overdue projects are the evidence
        await pilot.press("down", "down", *["right"] * 7, "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_manager_profile_with_reviews(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("down", "down")  # Li Wei: mentor of Emily Zhao, four reviews

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_review_form(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        await pilot.press("a")  # David Park, Q3 2026, KPIs beside the form
        await settle(pilot)
        still_cursors(pilot.app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_standup_view(snap_compare, app):
    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        screen = pilot.app.screen
        freeze_standup(screen)
        await pilot.press("n", "n")  # Li Wei: overdue, blocked, complaints
        screen.advance(130)  # over time: the timer in the warning colour
        still_cursors(pilot.app)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
