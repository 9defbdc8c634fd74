"""The board, the inbox and the project form in Chinese: Chinese texts on screen, columns
aligned in cells, and what a form saves is the canonical (English) value."""

from __future__ import annotations

from rich.cells import cell_len

from amtui.domain import schema
from amtui.domain.i18n import _
from amtui.ui.screens.board import BoardScreen, Column
from amtui.ui.screens.inbox import COLUMNS, InboxScreen, column_titles
from amtui.ui.screens.project_form import ProjectForm
from tests.ui.conftest import SIZE, make_app, screen_text


def projects_in(app, stage: str) -> list[dict]:
    return [r for r in app.store.records("projects") if r["stage"] == stage]


async def test_board_in_chinese(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        text = screen_text(app)
        assert "进行中" in text and "规划中" in text  # built-in stages, shown in Chinese
        assert "In Progress" not in text
        assert "个项目" in text and "逾期" in text
        # the columns keep their stage values (filters, moves and the store use them)
        assert [c.stage for c in app.screen.query(Column) if c.display] == list(
            app.rules.stages)
        # the header of a stage fits its column: no line wider than the screen
        assert all(cell_len(line) <= SIZE[0] for line in text.splitlines())
        # a move says the stage in Chinese, and stores the canonical stage
        record = projects_in(app, "Planning")[0]
        app.screen.show_record(record["id"])
        await pilot.pause()
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["stage"] == "In Progress"
    app.store.close()


def cells(line: str) -> list[str]:
    """A screen line cell by cell: a wide character, then "" for its second cell."""
    out: list[str] = []
    for char in line:
        out += [char] if cell_len(char) == 1 else [char, ""]
    return out


async def test_inbox_in_chinese_stays_aligned(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        text = screen_text(app)
        assert "收到时间" in text and "客户经理" in text and "反馈" in text
        assert "筛选：t 状态" in text
        lines = text.splitlines()
        at = next(n for n, line in enumerate(lines) if "收到时间" in line)
        header = cells(lines[at])
        left = header.index("收")
        rows = [cells(line) for line in lines[at + 1:at + 15]]
        position = left
        for title, width in COLUMNS:
            # the title starts its column, in cells; no row has a wide character across
            # the column's edge, and every row has the separating space before it
            assert "".join(header[position:position + width]).startswith(
                _(title)[:2]), title
            for row in rows:
                assert row[position] != "", (title, "".join(row))
                if position > left:
                    assert row[position - 1] == " ", (title, "".join(row))
            position += width + 1
        assert "".join(header[position:]).startswith("反馈")
        assert column_titles().startswith("收到时间")
    app.store.close()


async def test_project_form_in_chinese_saves_canonical_values(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record = projects_in(app, "Planning")[0]
        app.push_screen(ProjectForm(record["id"]))
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        text = screen_text(app)
        assert "截止日期" in text and "阶段" in text and "保存" in text
        stage = form.query_one("#f-stage")
        assert stage.value == "规划中"  # shown in Chinese
        stage.value = "进行中"
        form.query_one("#f-health").value = "有风险"
        form.query_one("#f-due").value = "2026-12-24"
        await pilot.pause()
        assert not form.errors
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ProjectForm)
        saved = app.store.get("projects", record["id"])
        assert saved["stage"] == "In Progress"
        assert saved["health"] == "At risk"
        assert saved["due"] == "2026-12-24"
        # nothing translated reached the store
        assert all(value not in (schema.shown(v) for v in schema.BUILTIN_VALUES
                                 if schema.shown(v) != v)
                   for value in saved.values())
    app.store.close()


async def test_new_project_in_chinese_starts_with_canonical_defaults(demo_config):
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ProjectForm(None, stage="Planning"))
        await pilot.pause()
        form = app.screen
        assert "新建项目" in screen_text(app)
        assert form.query_one("#f-priority").value == "中"
        assert not form.dirty  # the defaults shown in Chinese are not a change
        form.query_one("#f-project").value = "上海明达汽车官网改版"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        new = [r for r in app.store.records("projects") if r["project"] == "上海明达汽车官网改版"]
        assert len(new) == 1
        assert (new[0]["stage"], new[0]["priority"], new[0]["health"]) == (
            "Planning", "Medium", "On track")
    app.store.close()


async def test_timeline_in_chinese_keeps_the_axis_aligned(demo_config, monkeypatch):
    from amtui.domain import timeline as tl
    from amtui.ui.screens.timeline import LABEL, TimelineScreen, TimelineView

    english_labels = tl.Scale.labels

    def chinese_labels(self, first, width):  # scale labels as CLDR writes them: 11月23日
        return [(at, f"{self.day_of(first + at).month}月{self.day_of(first + at).day}日")
                for at, _label in english_labels(self, first, width)]

    monkeypatch.setattr(tl.Scale, "labels", chinese_labels)
    app = make_app(demo_config, language="zh-CN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        view = app.screen.query_one(TimelineView)
        text = screen_text(app)
        assert "按周" in text and "负荷 · 峰值" in text and "个项目" in text
        lines = text.splitlines()
        at = next(n for n, line in enumerate(lines) if "按周" in line and "月" in line)
        scale, ticks = cells(lines[at]), cells(lines[at + 1])
        assert len(scale) == len(ticks) == SIZE[0]
        labels = chinese_labels(view.scale, view.first, view.cells)
        drawn = 0
        for offset, label in labels:
            cell = LABEL + 1 + offset
            # (the last cell may be under the scrollbar)
            if offset + cell_len(label) < view.cells - 1 and scale[cell] == label[0]:
                # a label starts over its tick, whole (no half of a wide character);
                # one that would run into the label before it is left out
                assert "".join(scale[cell:cell + cell_len(label)]) == label
                assert ticks[cell] in "┬▼", (label, "".join(ticks))
                drawn += 1
        assert drawn >= len(labels) // 2 > 0
        # every row is exactly as wide as the screen, Chinese names and all
        for line in lines[at:at + 20]:
            assert cell_len(line) == SIZE[0]
    app.store.close()
