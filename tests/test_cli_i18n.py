"""The CLI in 简体中文 (issue 9): `--lang zh-CN` prints Chinese on the real demo workspace
(xlsx-backed), `--help` has no argparse English left, JSON keys stay English, and reminders
and digests speak the [notify] language whatever the UI speaks."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest

from amtui.cli.main import main
from amtui.domain import i18n

# argparse's own English words: none may be left in a Chinese --help
ARGPARSE_ENGLISH = ("usage:", "options:", "positional arguments", "show this help",
                    "show program's version")


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def help_text(capsys, *args) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_sync_dry_run_prints_chinese_on_the_demo(demo_config, capsys):
    run(demo_config, capsys, "records", "set", "Projects", "P-0002", "Progress=60%")
    code, out, _ = run(demo_config, capsys, "sync", "--dry-run", "--lang", "zh-CN")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "试运行：没有做任何修改。同步将会："
    assert "  Projects: 写入 1 个单元格（Projects!L3）" in lines
    assert "  Managers: 无需操作" in lines
    assert not re.search(r"dry run|nothing to do|\bwrite\b|\bcells?\b", out)
    # the same plan in English, as before
    code, out, _ = run(demo_config, capsys, "sync", "--dry-run")
    assert out.startswith("dry run: nothing was changed. The sync would:\n")
    assert "  Projects: write 1 cell (Projects!L3)" in out


def test_sync_summary_is_chinese_and_its_json_keys_are_the_english_ones(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "sync", "--lang", "zh-CN")
    assert code == 0
    assert out.startswith("同步完成，用时 ")
    assert "推送 0 个单元格，新增 0 行，删除 0" in out and "API 调用：" in out
    _code, english, _ = run(demo_config, capsys, "sync", "--json")
    _code, chinese, _ = run(demo_config, capsys, "sync", "--json", "--lang", "zh-CN")
    english, chinese = json.loads(english), json.loads(chinese)
    assert list(chinese) == list(english)
    assert "pulled" in chinese and "open_conflicts" in chinese


def test_a_problem_and_a_conflict_in_chinese_tables_keep_english_json_keys(demo_config, capsys):
    from tests.test_cli import set_workbook_cell

    set_workbook_cell(demo_config, "Projects", "I2", "next Friday")
    code, out, _ = run(demo_config, capsys, "sync", "--lang", "zh-CN")
    assert code == 1 and "1 个问题：`amtui problems`" in out
    _code, out, _ = run(demo_config, capsys, "problems", "--lang", "zh-CN")
    header = out.splitlines()[0].split()
    assert header == ["单元格", "记录", "值", "原因"]
    _code, out, _ = run(demo_config, capsys, "problems", "--format", "json", "--lang", "zh-CN")
    assert list(json.loads(out)[0]) == ["Cell", "Record", "Value", "Reason"]
    _code, out, _ = run(demo_config, capsys, "problems", "--format", "csv", "--lang", "zh-CN")
    assert out.splitlines()[0] == "单元格,记录,值,原因"


def test_doctor_speaks_chinese(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "doctor", "--lang", "zh-CN")
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("[ok  ] 配置文件：")
    assert any(line.startswith("[ok  ] 本地数据库：") and "位客户经理" in line for line in lines)
    assert any(line.startswith("[ok  ] 本地数据库可写：") for line in lines)
    assert any(line.startswith("[ok  ] 表格：") and "个工作表，表头齐全" in line
               for line in lines)
    assert "[ok  ] 提醒：没有 [notify] targets（提醒只在应用中显示）" in lines
    for english in ("config:", "database", "sheet:", "reminders", "tabs with"):
        assert english not in out


def test_help_is_chinese_down_to_argparse_own_words(capsys):
    top = help_text(capsys, "--lang", "zh-CN")
    assert top.startswith("用法：amtui ")
    assert "\n位置参数:\n" in top and "\n选项:\n" in top
    assert "显示本帮助并退出" in top and "与表格同步一次" in top
    for english in ARGPARSE_ENGLISH:
        assert english not in top
    for command in (["sync"], ["records", "list"], ["digest"], ["doctor"]):
        text = help_text(capsys, *command, "--lang", "zh-CN")
        assert text.startswith("用法：amtui " + " ".join(command))
        assert not any(english in text for english in ARGPARSE_ENGLISH), text
    sync = help_text(capsys, "sync", "--lang", "zh-CN")
    assert "显示将会写入的内容，不做任何修改" in sync
    # English stays argparse's usual text
    english = help_text(capsys, "--lang", "en")
    assert english.startswith("usage: amtui ") and "\noptions:\n" in english
    assert "\npositional arguments:\n" in english
    assert "  -h, --help      show this help message and exit" in english


def test_a_usage_error_is_chinese(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", "zh-CN", "sync", "--no-such-option"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：amtui ") and "amtui：错误：" in err


def test_errors_of_our_own_are_chinese(demo_config, capsys):
    code, _out, err = run(demo_config, capsys, "records", "list", "Nope", "--lang", "zh-CN")
    assert code == 2 and err.startswith("amtui: 没有工作表 'Nope'；工作表有：")
    code, _out, err = run(demo_config, capsys, "kpi", "--period", "soon", "--lang", "zh-CN")
    assert code == 2 and "（请用 2026-11 或 2026-Q4）" in err
    code, out, _ = run(demo_config, capsys, "undo", "--lang", "zh-CN")
    assert out == "没有可撤销的修改（所有修改都已同步）\n"


def test_digest_in_chinese_with_chinese_dates(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "digest", "--period", "week", "--lang", "zh-CN")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "amtui 摘要 11月26日 周四（本周）"
    from rich.cells import cell_len

    assert lines[1] == "=" * cell_len(lines[0])  # the underline is as wide as the title
    for heading in ("团队", "  自上次摘要以来的绩效变化", "  逾期", "  受阻", "  等待答复"):
        assert heading in lines
    assert "Nova Telecom Loyalty Program (P-0030): 截止 11月21日，逾期 5 天" in out
    assert "首次摘要：没有之前的数值" in out
    # JSON stays the same shape: keys in English
    _code, english, _ = run(demo_config, capsys, "digest", "--format", "json")
    _code, chinese, _ = run(demo_config, capsys, "digest", "--format", "json", "--lang", "zh-CN")
    english, chinese = json.loads(english), json.loads(chinese)
    assert list(chinese) == list(english) and chinese["language"] == "zh-CN"
    assert list(chinese["managers"][0]) == list(english["managers"][0])


def test_the_notify_language_may_differ_from_the_ui(demo_config, capsys):
    """[notify] language = "zh-CN": the team's chat gets Chinese from an English terminal."""
    with open(demo_config, "a", encoding="utf-8") as f:
        f.write('\n[notify]\nlanguage = "zh-CN"\n')
    code, out, _ = run(demo_config, capsys, "digest", "--format", "markdown", "--lang", "en")
    assert code == 0 and out.startswith("# amtui 摘要 11月26日 周四（今天）")
    code, out, _ = run(demo_config, capsys, "doctor", "--lang", "en")
    assert "[ok  ] config: " in out  # the UI itself stays English


def test_reminder_texts_in_a_language_other_than_the_ui():
    from amtui.domain.reminders import Reminder
    from amtui.services import notify, notify_texts

    assert i18n.current() == "en"
    r = Reminder("project_overdue", "projects", "P-0030", "Nova", "M-01", "Li Wei", 120.0,
                 "due", ())
    assert notify.describe(r) == "Project overdue: Nova (P-0030) — Li Wei, 5 days late; " \
                                 "open projects P-0030 (Due)"
    assert notify.describe(r, "zh-CN") == \
        "项目逾期：Nova (P-0030) — Li Wei，逾期5天；打开 projects P-0030（Due）"
    title, _body = notify.render_reminders([r, r], "zh-CN")
    assert title == "amtui：2 条提醒"
    thursday = datetime(2026, 12, 3, 8, 0)
    assert notify_texts.moment_in("zh-CN", thursday) == "周四 08:00"
    assert notify_texts.moment_in("en", thursday) == "Thu 08:00"
    assert notify_texts.day_in("zh-CN", date(2026, 12, 3)) == "12月3日"
    i18n.use("zh-CN")  # the UI's own helpers give the same in Chinese
    assert notify_texts.day_in("zh-CN", date(2026, 12, 3)) == i18n.day_text(date(2026, 12, 3))
    assert notify_texts.text("late.none", "en") == "due soon"


def test_progress_words_are_translated_and_fit_by_cells():
    from rich.cells import cell_len

    from amtui.services.live import progress_line

    info = {"tab": "项目", "done": 2, "tabs": 7, "rows": 25000}
    assert progress_line("reconciling", info).endswith(
        "reconciling 项目 (3/7 tabs, 25,000 rows)")
    i18n.use("zh-CN")
    line = progress_line("reconciling", info)
    assert line.endswith("正在比对 项目（3/7 个工作表，25,000 行）")
    assert cell_len(line) > len(line)
