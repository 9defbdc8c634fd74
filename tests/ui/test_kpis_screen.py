"""The KPI table and the scorecard, driven by keyboard (and a click) on the small demo."""

from __future__ import annotations

import csv

from amtui.domain.kpi import KpiEngine, most_off_target
from amtui.domain.period import Period
from amtui.ui.screens.kpis import TABLE_KPIS, KpisScreen
from amtui.ui.screens.review_form import ReviewForm

SIZE = (120, 40)



async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_kpis(pilot) -> KpisScreen:
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, KpisScreen)
    return screen


def expected_table(app, period: str):
    engine = KpiEngine(app.store.records_by_tab(), app.rules.default_targets)
    return engine.table(Period.parse(period), today=app.today)


def row_texts(screen: KpisScreen) -> list[list[str]]:
    grid = screen.query_one("#kpi-table")
    return [[str(cell) for cell in grid.get_row_at(i)] for i in range(grid.row_count)]


def cell_text(kpi) -> str:
    return "—" if kpi.value is None else kpi.display


async def test_table_shows_every_manager_and_the_team_for_this_month(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_kpis(pilot)
        assert str(screen.period) == "2026-11"
        expected = expected_table(app, "2026-11")
        rows = row_texts(screen)
        assert [r[0] for r in rows] == [r.manager_name for r in expected.rows] + ["Team"]
        for shown, row in zip(rows, [*expected.rows, expected.team], strict=True):
            assert shown[1:] == [cell_text(row.kpis[k]) for k in TABLE_KPIS]
        title = str(screen.query_one("#kpis-title").render())
        assert "Nov 2026" in title
        # the sparkline follows the highlighted KPI
        await pilot.press("right", "right")  # On-time of the first manager
        row, key = screen.highlighted()
        assert key == "on_time"
        values = [v or 0.0 for v in row.kpis["on_time"].trend]
        assert screen.query_one("#kpi-trend").data[::8] == values
        assert "On-time, last 6 months" in str(screen.query_one("#kpi-trend-title").render())


async def test_period_keys_and_live_updates_keeping_the_cursor(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_kpis(pilot)
        await pilot.press("left_square_bracket")
        assert str(screen.period) == "2026-10"
        assert screen.table is not None and str(screen.table.period) == "2026-10"
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert str(screen.period) == "2026-12"
        await pilot.press("p")
        assert str(screen.period) == "2026-Q4"
        expected = expected_table(app, "2026-Q4")
        assert row_texts(screen)[-1][1:] == [cell_text(expected.team.kpis[k])
                                             for k in TABLE_KPIS]
        await pilot.press("p")
        assert str(screen.period) == "2026-11"  # back to the month of today
        await pilot.press("left_square_bracket", "t")
        assert str(screen.period) == "2026-11"
        # an edit elsewhere (here: straight through the app) updates the table in place
        await pilot.press("down", "down", "right")
        row, _ = screen.highlighted()
        before = row.kpis["csat"].value
        rated = next(f for f in app.store.records("feedback")
                     if f["manager"] == row.manager_name and f["source"] == "Client"
                     and f["received"].startswith("2026-11") and f["rating"] not in ("", "5"))
        assert app.edit("feedback", rated["id"], {"rating": "5"})
        await settle(pilot)
        row_now, key = screen.highlighted()
        assert row_now.manager_id == row.manager_id and key == "csat"
        assert row_now.kpis["csat"].value > before


async def test_sorting_by_key_and_by_clicking_a_header(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_kpis(pilot)
        names = [r.manager_name for r in screen.table.rows]
        # s on the Manager column: the manager most off target comes first
        await pilot.press("s")
        assert screen.shown_rows[0].manager_id == most_off_target(screen.table).manager_id
        assert "most off target" in str(screen.query_one("#kpi-table").columns["name"].label)
        await pilot.press("s")
        assert [r.manager_name for r in screen.shown_rows] == names
        # on a KPI: worst first, best first, back to names; the team row stays last
        await pilot.press("right", "s")
        csat = [r.kpis["csat"].value for r in screen.shown_rows]
        rated = [v for v in csat if v is not None]
        assert rated == sorted(rated) and csat[-1] is None  # no ratings stay last
        assert row_texts(screen)[-1][0] == "Team"
        await pilot.press("s")
        rated = [r.kpis["csat"].value for r in screen.shown_rows if r.kpis["csat"].value]
        assert rated == sorted(rated, reverse=True)
        await pilot.press("s")
        assert [r.manager_name for r in screen.shown_rows] == names
        # a click on a header sorts by that column
        grid = screen.query_one("#kpi-table")
        columns = list(grid.columns.values())
        x = sum(c.get_render_width(grid) for c in columns[:4]) + 2  # inside "Revenue"
        await pilot.click("#kpi-table", offset=(x, 0))
        await pilot.pause()
        assert screen.sort_key == "revenue"
        revenue = [r.kpis["revenue"].value for r in screen.shown_rows]
        assert revenue == sorted(revenue)


async def test_enter_opens_the_scorecard_and_evidence_opens_in_the_inbox(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_kpis(pilot)
        worst_csat = min((r for r in screen.table.rows if r.kpis["csat"].value is not None),
                         key=lambda r: r.kpis["csat"].value)
        index = [r.manager_id for r in screen.shown_rows].index(worst_csat.manager_id)
        await pilot.press(*["down"] * index, "right", "enter")
        await settle(pilot)
        assert screen.showing_scorecard
        card = screen.scorecard
        assert card.manager_id == worst_csat.manager_id and card.kpi == "csat"
        assert app.focused is card.query_one("#sc-kpis")
        low = worst_csat.kpis["csat"].evidence
        assert low, "the worst CSAT has low ratings behind it"
        assert [e.record_id for e in card.evidence if e.kpi == "csat"] == low
        why = str(card.query_one("#sc-evidence").get_row_at(0)[2])
        text = app.store.get("feedback", low[0])["text"]
        assert text[:20] in why  # the low rating with its text
        # periods step on the scorecard too; the table's own keys rest meanwhile
        await pilot.press("left_square_bracket")
        assert str(card.period) == "2026-10" and str(screen.period) == "2026-11"
        assert "Oct 2026" in str(card.query_one("#sc-title").render())
        await pilot.press("p")
        assert str(card.period) == "2026-Q4"
        assert card.query_one("#sc-kpis").row_count == 13  # every KPI, Ratings included
        await pilot.press("s", "e")
        assert screen.sort_key == "name"
        assert not (app.workspace.config.folder / "reports").exists()
        # r writes a review for this manager and period
        await pilot.press("r")
        form = app.screen
        assert isinstance(form, ReviewForm) and form.manager_id == worst_csat.manager_id
        assert form.query_one("#period").value == "2026-Q4"
        await pilot.press("escape")
        assert app.screen is screen
        # escape: back to the table, which follows the scorecard's period
        await pilot.press("escape")
        assert not screen.showing_scorecard and str(screen.period) == "2026-Q4"
        assert app.focused is screen.query_one("#kpi-table")
        await pilot.press("left_square_bracket", "right_square_bracket", "p", "enter")
        await settle(pilot)
        assert screen.showing_scorecard and str(card.period) == "2026-11"
        await pilot.press("enter")  # on the CSAT row: to its evidence
        assert app.focused is card.query_one("#sc-evidence")
        await pilot.press("enter")  # opens the feedback in the Inbox
        await settle(pilot)
        assert app.current_mode == "inbox"
        assert app.screen.listing.highlighted == app.screen.listing.index_of(low[0])


async def test_export_writes_csv_and_markdown_to_reports(app, demo_config):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_kpis(pilot)
        await pilot.press("e")
        await pilot.pause()
        folder = demo_config.parent / "reports"
        csv_path, md_path = folder / "kpis-2026-11.csv", folder / "kpis-2026-11.md"
        assert csv_path.exists() and md_path.exists()
        with csv_path.open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][:5] == ["Manager", "CSAT", "CSAT target", "CSAT status", "CSAT ratings"]
        table = screen.table
        assert [r[0] for r in rows[1:]] == [r.manager_name for r in screen.shown_rows] + ["Team"]
        # numbers for spreadsheets, the count in its own column (issue 13: KPI CSV export)
        header = rows[0]
        for row, shown in zip(rows[1:], [*screen.shown_rows, table.team], strict=True):
            csat, ratings = shown.kpis["csat"], shown.kpis["csat_count"]
            got = row[header.index("CSAT")]
            assert (got == "") if csat.value is None else (
                abs(float(got) - csat.value) < 0.01)
            assert row[header.index("CSAT ratings")] == (
                "" if ratings.value is None else str(int(ratings.value)))
            assert row[header.index("CSAT status")] == csat.status
            revenue = row[header.index("Revenue")]
            assert "¥" not in revenue and "," not in revenue
            if shown.kpis["revenue"].value is not None:
                assert float(revenue) == shown.kpis["revenue"].value
            if csat.target is not None:
                assert abs(float(row[header.index("CSAT target")]) - csat.target) < 0.01
        markdown = md_path.read_text(encoding="utf-8")
        assert markdown.startswith("# KPIs Nov 2026")
        assert f"**Team** | {table.team.kpis['csat'].display}" in markdown
        notes = [n.message for n in app._notifications]
        assert any(str(csv_path) in m for m in notes)
