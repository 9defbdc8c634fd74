"""Snapshots of the main screens on the small demo workspace (date pinned to 2026-11-26).

Regenerate after an intended change with ``pytest tests/ui/test_snapshots.py
--snapshot-update`` and look at the SVGs in ``__snapshots__``.
"""

from __future__ import annotations

from tests.ui.conftest import SIZE, make_app, make_conflict, make_problems


def test_board(snap_compare, demo_config):
    assert snap_compare(make_app(demo_config), terminal_size=SIZE)


def test_inbox(snap_compare, demo_config):
    assert snap_compare(make_app(demo_config), terminal_size=SIZE, press=["2", "j", "j"])


def test_project_form(snap_compare, demo_config):
    async def refused_date(pilot):
        await pilot.pause()
        await pilot.press("l", "enter")
        await pilot.pause()
        pilot.app.screen.query_one("#f-due").value = "next friday"
        pilot.app.screen.query_one("#f-progress").value = "0.75"
        # a steady cursor: a blinking one is caught on or off depending on the machine's load
        for field in pilot.app.screen.query("Input"):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(make_app(demo_config), terminal_size=SIZE, run_before=refused_date)


def test_conflicts(snap_compare, demo_config):
    make_conflict(demo_config)
    assert snap_compare(make_app(demo_config), terminal_size=SIZE, press=["C"])


def test_problems(snap_compare, demo_config):
    make_problems(demo_config)
    assert snap_compare(make_app(demo_config), terminal_size=SIZE, press=["P"])
