"""The Chinese UI on the small Chinese demo (``amtui demo --language zh-CN``), 120x40:
snapshots of the board, the inbox, the KPIs, a scorecard, People, the standup, the help
screen and a project form, each also checked for columns that line up (every label is
double-width here, so a ``len()`` where a cell width belongs shows as a shifted column).

Update with ``pytest tests/ui/test_snapshots_zh.py --snapshot-update`` after a deliberate
change, and look at the SVGs before committing."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.ui.conftest import SIZE, make_app, screen_text
from tests.ui.test_snapshots_kpis import freeze_standup, settle, still_cursors

SEPARATORS = "▕│┃"


def edges(line: str, separators: str = SEPARATORS) -> list[int]:
    """Cell columns of the column separators in a line of the screen."""
    found, column = [], 0
    for char in line:
        if char in separators:
            found.append(column)
        column += cell_len(char)
    return found


def misaligned(text: str, separators: str = SEPARATORS) -> list[str]:
    """Lines whose column separators are not where the fullest line has them, and lines
    wider than the terminal."""
    lines = text.splitlines()
    wide = [f"{cell_len(line)} cells: {line}" for line in lines if cell_len(line) > SIZE[0]]
    positions = [edges(line, separators) for line in lines]
    fullest = max(positions, key=len, default=[])
    if len(fullest) < 2:
        return wide
    shifted = [line for line, at in zip(lines, positions, strict=True)
               if at and not set(at) <= set(fullest)]
    return wide + shifted


def test_misaligned_finds_a_shifted_separator():
    good = "项目  ▕ 客户  ▕\nab    ▕ cd    ▕"
    assert misaligned(good) == []
    assert misaligned(good + "\n项目    ▕ x ▕") != []  # len() padding: two cells too far


@pytest.fixture
def zh_app(zh_demo_config):
    app = make_app(zh_demo_config, language="zh-CN")
    yield app
    assert app.errors == [], f"errors reported to the person: {app.errors}"
    app.store.close()


def aligned_and_chinese(pilot, must_show: str) -> None:
    text = screen_text(pilot.app)
    assert must_show in text, text
    assert misaligned(text) == [], "\n".join(misaligned(text))


def snap(snap_compare, app, must_show: str, *keys: str, before=None) -> bool:
    async def run_before(pilot):
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
        if before is not None:
            await before(pilot)
        still_cursors(pilot.app)
        aligned_and_chinese(pilot, must_show)

    return snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_board_zh(snap_compare, zh_app):
    assert snap(snap_compare, zh_app, "看板")


def test_inbox_zh(snap_compare, zh_app):
    assert snap(snap_compare, zh_app, "收件箱", "2", "j", "j")


def test_kpis_zh(snap_compare, zh_app):
    assert snap(snap_compare, zh_app, "客户满意度", "3", "down", "down")


def test_scorecard_zh(snap_compare, zh_app):
    assert snap(snap_compare, zh_app, "绩效", "3", "down", "down", "right", "enter")


def test_people_zh(snap_compare, zh_app):
    assert snap(snap_compare, zh_app, "人员", "4", "down")


def test_standup_zh(snap_compare, zh_app):
    async def frozen(pilot):
        freeze_standup(pilot.app.screen)
        await pilot.pause()

    assert snap(snap_compare, zh_app, "站会", "5", before=frozen)


def test_help_zh(snap_compare, zh_app):
    assert snap(snap_compare, zh_app, "看板", "question_mark")


def test_project_form_zh(snap_compare, zh_app):
    async def typed(pilot):
        pilot.app.screen.query_one("#f-due").value = "下周五"
        await pilot.pause()

    assert snap(snap_compare, zh_app, "截止日期", "l", "enter", before=typed)
