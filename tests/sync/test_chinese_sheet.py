"""Issue 9, item 5: a Chinese sheet made by ``init-sheet --language zh-CN`` in the Sheets
emulator (real gspread, real google-auth credentials over HTTP), edited the way people do,
syncs without problems; a lead's edit in the Chinese UI lands in the right Chinese-headed
cell, in the sheet's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from amtui.cli.main import main
from amtui.core.workspace import Workspace
from amtui.domain import i18n
from sync.emulator import SheetsEmulator

STAGE_HEADERS = ["编号", "项目", "客户", "客户经理", "阶段", "优先级", "健康度", "开始日期", "截止日期",
                 "已交付", "金额", "进度", "阻碍", "下一步", "复盘"]


@pytest.fixture
def emulator():
    with SheetsEmulator(seed=9) as emu:
        yield emu


@pytest.fixture
def zh_sheet(tmp_path: Path, emulator: SheetsEmulator):
    """A new, empty Google Sheet and a workspace config pointing at it (English names)."""
    key = tmp_path / "service-account.json"
    email = emulator.create_service_account(key)
    sid = emulator.create_spreadsheet("团队表格", shared_with=[email])
    config = tmp_path / "config.toml"
    config.write_text(
        '[workspace]\ntoday = "2026-11-26"\n\n'
        f'[sheet]\nbackend = "google"\nspreadsheet = "{sid}"\n'
        f'credentials = "service-account.json"\nendpoint = "{emulator.base_url}"\n',
        encoding="utf-8")
    return config, sid


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def col(header: str) -> str:
    return "ABCDEFGHIJKLMNO"[STAGE_HEADERS.index(header)]


def test_init_sheet_zh_makes_chinese_tabs_headers_and_dropdowns(zh_sheet, emulator, capsys):
    config, sid = zh_sheet
    code, out, err = run(config, capsys, "init-sheet", "--language", "zh-CN")
    assert code == 0, err
    assert "added tab 项目" in out
    assert set(emulator.tab_titles(sid)) >= {"客户经理", "客户", "项目", "反馈", "目标", "考核",
                                             "培训发展", "进展记录"}
    assert emulator.get_values(sid, "项目")[0] == STAGE_HEADERS
    assert emulator.get_values(sid, "反馈")[0][:4] == ["编号", "收到时间", "反馈人", "来源"]
    rule = emulator.cell_info(sid, "项目", f"{col('阶段')}2")["validation"]
    words = [v["userEnteredValue"] for v in rule["condition"]["values"]]
    assert words == ["需求受理", "规划中", "进行中", "客户审核", "已交付", "暂停", "已取消"]
    text = config.read_text(encoding="utf-8")
    assert '[tabs]' in text and 'Projects = "项目"' in text and "[stages.names]" in text
    # again: the config already names the sheet, nothing is added twice
    code, out, _ = run(config, capsys, "init-sheet", "--language", "zh-CN")
    assert code == 0 and config.read_text(encoding="utf-8") == text


def test_a_chinese_sheet_edited_by_hand_syncs_and_an_edit_in_the_chinese_ui_lands_in_place(
        zh_sheet, emulator, capsys):
    config, sid = zh_sheet
    assert run(config, capsys, "init-sheet", "--language", "zh-CN")[0] == 0
    # people fill the sheet the way they do: Chinese words typed by hand, Chinese dates
    # and money, a stage with a stray space, full-width digits
    emulator.set_values(sid, "客户经理", "A2", [
        ["M-001", "王芳", "wang.fang@example.com", "高级客户经理", "科技", "", "2024-03-01",
         "在职", "科技客户"],
        ["M-002", "陈静", "", "初级客户经理", "科技", "王芳", "2026年10月8日", "入职中", ""],
    ])
    emulator.set_values(sid, "客户", "A2", [["C-0001", "华星科技", "科技", "A", "王芳",
                                            "2025/3/1"]])
    emulator.set_values(sid, "项目", "A2", [
        ["P-0001", "华星科技官网改版", "华星科技", "王芳", "进行中", "高", "正常", "2026/11/2",
         "2026年12月3日", "", "¥12万", "40%", "", "发送修订后的排期", ""],
        ["P-0002", "华星科技新品发布会", "华星科技", "陈静", " 已交付 ", "中", "正常",
         "2026年9月1日", "10月20日", "2026年10月18日", "１２万元", "100%", "", "", "按时交付"],
        ["P-0003", "华星科技双11 大促", "华星科技", "陈静", "客户审核", "中", "有风险",
         "2026-10-01", "2026年11月20日", "", "1.2亿", "80%", "", "", ""],
    ])
    emulator.set_values(sid, "反馈", "A2", [
        ["F-00001", "2026年11月20日 14:30", "王总", "客户", "华星科技", "华星科技官网改版",
         "王芳", "5", "表扬", "交付很及时，团队很专业。", "新建", "", "", ""],
    ])
    code, out, err = run(config, capsys, "sync")
    assert code == 0, out + err
    workspace = Workspace.open(config)
    store = workspace.store
    assert store.problems() == []
    p1, p2, p3 = (store.get("projects", f"P-000{n}") for n in (1, 2, 3))
    # stored canonical, so the board, KPIs and overdue rules read them as on any sheet
    assert (p1["stage"], p1["due"], p1["value"], p1["priority"]) == (
        "In Progress", "2026-12-03", "120000", "High")
    assert (p2["stage"], p2["due"], p2["delivered"], p2["value"]) == (
        "Delivered", "2026-10-20", "2026-10-18", "120000")
    assert (p3["stage"], p3["health"], p3["value"]) == ("Client Review", "At risk", "120000000")
    feedback = store.get("feedback", "F-00001")
    assert (feedback["received"], feedback["category"], feedback["status"]) == (
        "2026-11-20 14:30", "Praise", "New")
    from amtui.domain.facts import is_overdue

    today = workspace.today()
    assert is_overdue(p3, today) and not is_overdue(p2, today) and not is_overdue(p1, today)
    # nothing a person typed was rewritten
    row2 = emulator.get_values(sid, "项目")[1]
    assert row2[STAGE_HEADERS.index("阶段")] == "进行中"
    assert row2[STAGE_HEADERS.index("截止日期")] == "2026年12月3日"
    assert row2[STAGE_HEADERS.index("金额")] == "¥12万"
    store.close()

    # the lead, in the Chinese UI, moves P-0001 on and marks P-0003 blocked
    from amtui.ui.app import AmtuiApp

    async def edit_in_the_app():
        app = AmtuiApp(Workspace.open(config), language="zh-CN", autosync=False)
        app.warm_up = False
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert i18n.is_chinese()
            assert app.edit("projects", "P-0001", {"stage": "Client Review", "progress": "90"})
            assert app.edit("projects", "P-0003", {"health": "Blocked", "blocker": "客户预算冻结"})
        app.store.close()

    import asyncio

    asyncio.run(edit_in_the_app())
    code, out, err = run(config, capsys, "--lang", "zh-CN", "sync")
    assert code == 0, out + err
    rows = emulator.get_values(sid, "项目")
    assert rows[0] == STAGE_HEADERS
    p1_row, p3_row = rows[1], rows[3]
    assert p1_row[STAGE_HEADERS.index("阶段")] == "客户审核"  # the sheet's own word
    assert p1_row[STAGE_HEADERS.index("进度")] == 0.9
    assert p1_row[STAGE_HEADERS.index("截止日期")] == "2026年12月3日"  # untouched
    assert p3_row[STAGE_HEADERS.index("健康度")] == "受阻"
    assert p3_row[STAGE_HEADERS.index("阻碍")] == "客户预算冻结"
    # the next sync reads the words it wrote as the values it meant: nothing to do
    workspace = Workspace.open(config)
    assert workspace.store.get("projects", "P-0001")["stage"] == "Client Review"
    report = workspace.sync()
    assert all(not any(v for v in counts.values()) for counts in report.per_tab.values()), \
        report.per_tab
    assert workspace.store.problems() == []
    workspace.store.close()


def test_a_human_made_chinese_sheet_is_read_by_header_synonyms(tmp_path, emulator):
    """No [headers] in the config: 负责人, 截止, 状态 ... are found by the synonym table."""
    key = tmp_path / "service-account.json"
    email = emulator.create_service_account(key)
    sid = emulator.create_spreadsheet("我们的表", {
        "Projects": [["序号", "项目名称", "客户名称", "负责人", "状态", "截止", "合同金额"],
                     ["P-0001", "官网改版", "华星科技", "王芳", "In Progress", "2026年12月3日",
                      "¥12万"]],
    }, shared_with=[email])
    config = tmp_path / "config.toml"
    config.write_text(
        f'[sheet]\nbackend = "google"\nspreadsheet = "{sid}"\n'
        f'credentials = "service-account.json"\nendpoint = "{emulator.base_url}"\n',
        encoding="utf-8")
    workspace = Workspace.open(config)
    workspace.sync()
    record = workspace.store.get("projects", "P-0001")
    assert (record["manager"], record["stage"], record["due"], record["value"]) == (
        "王芳", "In Progress", "2026-12-03", "120000")
    workspace.store.close()
