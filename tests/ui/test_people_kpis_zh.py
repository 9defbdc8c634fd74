"""The KPI table, scorecard, People and Standup in Chinese: Chinese KPI names, statuses and
periods, and tables that stay aligned with all-Chinese labels."""

from __future__ import annotations

from rich.cells import cell_len

from amtui.ui.screens.kpis import KpisScreen
from amtui.ui.screens.people import PeopleScreen
from amtui.ui.screens.standup import StandupScreen
from tests.ui.conftest import make_app

SIZE = (120, 40)


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_mode(pilot, key: str, kind: type):
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, kind)
    return pilot.app.screen


def header_texts(grid) -> list[str]:
    return [str(column.label) for column in grid.ordered_columns]


async def test_kpis_and_scorecard_in_chinese(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_mode(pilot, "3", KpisScreen)
        grid = screen.query_one("#kpi-table")
        headers = header_texts(grid)
        assert headers[0].startswith("客户经理")
        assert headers[1:4] == ["客户满意度", "按时交付率", "完成率"]
        assert "营收" in headers and "响应时长" in headers
        # the team row and the statuses in Chinese; values as numbers
        team = [str(c) for c in grid.get_row_at(grid.row_count - 1)]
        assert team[0] == "团队"
        title = str(screen.query_one("#kpis-title").render())
        assert "2026年11月" in title and "绩效" in title
        legend = str(screen.query_one("#kpis-note").render())
        assert "正常" in legend and "有风险" in legend and "未达标" in legend
        # every column is wide enough for its Chinese header: nothing is cut
        for column, text in zip(grid.ordered_columns, headers, strict=True):
            assert column.get_render_width(grid) >= cell_len(text)
        await pilot.press("right", "right")
        assert "按时交付率，最近6个月" in str(screen.query_one("#kpi-trend-title").render())

        await pilot.press("enter")
        await settle(pilot)
        card = screen.scorecard
        title = str(card.query_one("#sc-title").render())
        assert "计分卡" in title and "2026年11月" in title
        kpis = card.query_one("#sc-kpis")
        assert header_texts(kpis)[:4] == ["绩效", "数值", "目标", "状态"]
        names = [str(kpis.get_row_at(i)[0]) for i in range(kpis.row_count)]
        assert "客户满意度" in names and "营收" in names
        statuses = {str(kpis.get_row_at(i)[3]) for i in range(kpis.row_count)}
        assert statuses <= {"正常", "有风险", "未达标", "无数据", "无目标"}


async def test_people_and_standup_in_chinese(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_mode(pilot, "4", PeopleScreen)
        assert header_texts(screen.query_one("#people-list")) == ["姓名", "状态", "导师"]
        assert header_texts(screen.query_one("#reviews"))[:2] == ["周期", "得分"]
        title = str(screen.query_one("#people-title").render())
        assert "人员" in title and "位客户经理" in title
        attention = str(screen.query_one("#attention-title").render())
        assert attention == "需要关注"
        profile = str(screen.query_one("#profile").render())
        assert "导师：" in profile and "入职于" in profile

        standup = await open_mode(pilot, "5", StandupScreen)
        title = str(standup.query_one("#standup-title").render())
        assert title.startswith("站会") and "周四 2026年11月26日" in title
        assert "剩余" in str(standup.query_one("#standup-timer").render())
