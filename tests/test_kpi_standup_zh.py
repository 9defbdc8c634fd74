"""KPIs, periods, standup text and the KPI export in Chinese (English is covered by the
other tests, byte for byte)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from rich.cells import cell_len

from amtui.cli.main import main
from amtui.domain import i18n
from amtui.domain.kpi import STATUS_RISK, format_value, status_text
from amtui.domain.period import Period
from amtui.domain.standup import ManagerStandup, StandupItem, _line, render_text


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_period_labels_and_values_in_chinese():
    i18n.use("zh-CN")
    assert Period.parse("2026-11").label == "2026年11月"
    assert Period.parse("2026-Q4").label == "2026年第4季度"
    assert format_value("response_hours", 18.5) == "18.5 小时"
    assert format_value("revenue", 1330000, money="wan") == "¥133万"
    assert format_value("revenue", 1330000) == "¥1,330,000"
    assert format_value("csat", None) == "无数据"
    assert status_text(STATUS_RISK) == "有风险" and STATUS_RISK == "at risk"


def test_period_labels_and_values_stay_english():
    assert Period.parse("2026-11").label == "Nov 2026"
    assert format_value("response_hours", 18.5) == "18.5 h"
    assert format_value("csat", None) == "no data"


def test_standup_text_in_chinese_has_chinese_headings_and_dates():
    i18n.use("zh-CN")
    today, since = date(2026, 12, 3), date(2026, 12, 2)
    standup = ManagerStandup("M-1", "王芳", overdue=[StandupItem("P-1", "官网改版：逾期")])
    text = render_text([standup], today=today, since=since)
    first = text.splitlines()[0]
    assert first.startswith("站会 ") and "12月3日" in first and "周四" in first
    assert "12月2日" in first and "周三" in first
    assert "  逾期：" in text
    assert "自 周三 2026年12月2日 以来没有新情况" in text


def test_cli_standup_text_and_json_under_lang_zh(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "--lang", "zh-CN", "standup",
                       "--since", "2026-11-20")
    assert code == 0
    assert out.startswith("站会 ") and "（自 " in out.splitlines()[0]
    assert "2026年11月20日" in out.splitlines()[0]
    code, out, _ = run(demo_config, capsys, "--lang", "zh-CN", "standup",
                       "--since", "2026-11-20", "--format", "json")
    assert code == 0
    data = json.loads(out)  # keys stay English
    assert {"manager_id", "changes", "due_soon", "overdue", "latest_note"} <= set(data[0])


def test_cli_kpi_csv_under_lang_zh_has_chinese_headers_and_plain_numbers(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "--lang", "zh-CN", "kpi", "--period", "2026-11",
                       "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    header = rows[0]
    assert header[0] == "客户经理"
    assert "客户满意度" in header and "按时交付率" in header and "营收" in header
    assert "客户满意度目标" in header and "客户满意度状态" in header
    revenue = header.index("营收")
    statuses = {row[header.index("客户满意度状态")] for row in rows[1:]}
    assert statuses <= {"正常", "有风险", "未达标", "无数据", "无目标"}
    for row in rows[1:]:
        if row[revenue]:
            float(row[revenue])  # a plain number, no currency sign or 万
        if row[header.index("按时交付率")]:
            float(row[header.index("按时交付率")])


def test_kpi_markdown_in_chinese(workspace, tmp_path):
    from amtui.domain.kpi import KpiEngine
    from amtui.services.export import export_table

    i18n.use("zh-CN")
    table = KpiEngine(workspace.store.records_by_tab(),
                      workspace.config.rules.default_targets).table(
        Period.parse("2026-Q4"), today=date(2026, 11, 26))
    csv_path, md_path = export_table(table, table.rows, tmp_path / "reports",
                                     ["csat", "on_time", "revenue"])
    assert csv_path.name == "kpis-2026-Q4.csv"  # file names stay ASCII
    md = md_path.read_text(encoding="utf-8")
    assert md.startswith("# 绩效 2026年第4季度\n")
    assert "| 客户经理 | 客户满意度 | 按时交付率 | 营收 |" in md
    assert "**团队**" in md


def test_standup_lines_are_cut_by_cells_not_characters():
    line = _line("项" * 80, 100)
    assert cell_len(line) <= 100 and line.endswith("…")
