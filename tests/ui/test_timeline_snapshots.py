"""Snapshots of the Timeline (week zoom with groups open, every group folded, month zoom)
and of a scorecard with its trend chart, on the small demo (date pinned to 2026-11-26).

Regenerate after an intended change with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from tests.ui.conftest import SIZE, make_app


def test_timeline_groups_open(snap_compare, demo_config):
    assert snap_compare(make_app(demo_config), terminal_size=SIZE, press=["6"])


def test_timeline_groups_folded(snap_compare, demo_config):
    assert snap_compare(make_app(demo_config), terminal_size=SIZE, press=["6", "F"])


def test_timeline_month_zoom(snap_compare, demo_config):
    assert snap_compare(make_app(demo_config), terminal_size=SIZE, press=["6", "z", "j", "j"])


def test_scorecard_with_trend_chart(snap_compare, demo_config):
    async def open_scorecard(pilot):
        await pilot.press("3")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")  # David Park's scorecard, CSAT highlighted
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(demo_config), terminal_size=SIZE, run_before=open_scorecard)
