"""The KPI numbers on screen equal ``amtui kpi --format json`` for the same period."""

from __future__ import annotations

import json

from amtui.cli.main import main
from amtui.domain.kpi import KPI_COLUMNS
from amtui.ui.screens.kpis import TABLE_KPIS, KpisScreen


def cli_kpis(config_path, period: str, capsys) -> dict:
    capsys.readouterr()
    assert main(["--config", str(config_path), "kpi", "--period", period,
                 "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def shown(kpi: dict) -> str:
    # the screen writes "—" where the CLI says "no data"
    return "—" if kpi["value"] is None else kpi["display"]


async def test_screen_numbers_equal_amtui_kpi_json(app, demo_config, capsys):
    # the app captures stdout while it runs: ask the CLI first
    periods = ("2026-11", "2026-10", "2026-Q4")
    cli = {period: cli_kpis(demo_config, period, capsys) for period in periods}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KpisScreen)
        # this month, last month, and the quarter they are in
        for keys, period in (((), "2026-11"), (("left_square_bracket",), "2026-10"),
                             (("p",), "2026-Q4")):
            await pilot.press(*keys)
            assert str(screen.period) == period
            expected = cli[period]
            grid = screen.query_one("#kpi-table")
            rows = [[str(c) for c in grid.get_row_at(i)] for i in range(grid.row_count)]
            wanted = [*expected["managers"], expected["team"]]
            assert [r[0] for r in rows] == [m["manager_name"] for m in wanted]
            for row, manager in zip(rows, wanted, strict=True):
                assert row[1:] == [shown(manager["kpis"][k]) for k in TABLE_KPIS], period
            # statuses too: the colour of each cell is the CLI's status
            for screen_row, manager in zip(screen.table.rows, expected["managers"],
                                           strict=True):
                for key in TABLE_KPIS:
                    assert screen_row.kpis[key].status == manager["kpis"][key]["status"]

        # the scorecard of the first manager shows every KPI as the CLI does, with targets
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.showing_scorecard
        card = screen.scorecard
        manager = expected["managers"][0]
        assert card.manager_id == manager["manager_id"]
        table = card.query_one("#sc-kpis")
        for i, (key, label) in enumerate(KPI_COLUMNS):
            cells = [str(c) for c in table.get_row_at(i)]
            assert cells[0] == label
            assert cells[1] == shown(manager["kpis"][key])
            assert cells[3] == manager["kpis"][key]["status"]
