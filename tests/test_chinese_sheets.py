"""Issue 9, Chinese sheet templates: Chinese typing read by parse, the template's names and
header synonyms (schema), the sheet's own words for choices (rules, config), init-sheet and
demo with --language zh-CN."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from amtui.cli.main import main
from amtui.core.config import ConfigError, load_config
from amtui.core.workspace import Workspace
from amtui.domain import i18n, schema
from amtui.domain.parse import normalize, parse_date, parse_money, parse_when, to_cell
from amtui.domain.rules import Rules, RulesError
from tests.conftest import TODAY

PROJECTS = schema.TABS["projects"]


# -- parse: Chinese typing -----------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("2026年12月3日", date(2026, 12, 3)), ("2026年12月3号", date(2026, 12, 3)),
    ("2026 年 12 月 3 日", date(2026, 12, 3)), ("2026/12/3", date(2026, 12, 3)),
    ("２０２６／１２／３", date(2026, 12, 3)), ("２０２６年１２月３日", date(2026, 12, 3)),
    ("12月3日", date(2026, 12, 3)), ("1月5日", date(2027, 1, 5)), ("6月1日", date(2026, 6, 1)),
])
def test_chinese_dates(typed, expected):
    assert parse_date(typed, today=date(2026, 11, 26)) == expected


def test_a_date_without_a_year_uses_the_workspace_date_through_the_rules():
    rules = Rules.build()
    rules.today = date(2026, 12, 28)
    assert normalize(PROJECTS.field("due"), "1月3日", rules).value == "2027-01-03"
    assert parse_when("12月3日 14:30", today=TODAY) == parse_when("2026-12-03 14:30")


@pytest.mark.parametrize("typed, expected", [
    ("¥12万", 120000), ("12万", 120000), ("12万元", 120000), ("1.2亿", 120_000_000),
    ("￥1,330,000", 1_330_000), ("１２万", 120000), ("人民币12万", 120000), ("3千", 3000),
    ("¥ 12.5 万", 125000), ("1，330，000元", 1_330_000),
])
def test_chinese_money(typed, expected):
    assert parse_money(typed) == expected
    assert normalize(PROJECTS.field("value"), typed).value == str(expected)


def test_reasons_follow_the_ui_language_and_english_is_unchanged():
    due, value = PROJECTS.field("due"), PROJECTS.field("value")
    assert normalize(due, "next Friday").reason == 'not a date: "next Friday" (use YYYY-MM-DD)'
    assert normalize(value, "-5").reason == 'amount cannot be negative (got "-5")'
    assert normalize(PROJECTS.field("progress"), "150%").reason == \
        'percentage must be between 0 and 100% (got "150%")'
    i18n.use("zh-CN")
    assert normalize(due, "next Friday").reason.startswith('无法识别的日期："next Friday"')
    assert normalize(value, "-5").reason == '金额不能为负（填的是 "-5"）'
    assert "1 到 5" in normalize(schema.TABS["feedback"].field("rating"), "9").reason


# -- schema: the template's names and the synonyms ------------------------------------------

def test_the_chinese_template_names_every_tab_and_header_once():
    names = schema.sheet_names("zh-CN")
    assert list(names["tabs"].values()) == ["客户经理", "客户", "项目", "反馈", "目标", "考核",
                                            "培训发展", "进展记录"]
    for tab, headers in names["headers"].items():
        words = list(headers.values())
        assert len(set(words)) == len(words), tab
        assert all(w for w in words), tab
    assert names["headers"]["projects"]["id"] == "编号"
    assert names["headers"]["projects"]["stage"] == "阶段"
    assert names["headers"]["projects"]["due"] == "截止日期"
    # the same words as the UI's labels
    i18n.use("zh-CN")
    assert schema.label("projects", "due") == names["headers"]["projects"]["due"]
    assert schema.shown("Delivered") == names["values"][("projects", "stage")]["Delivered"]


def test_synonyms_never_point_at_another_columns_own_header():
    for key, tab in schema.TABS.items():
        own = {w.casefold(): f.key for f in tab.fields
               for w in (f.header, schema.sheet_names("zh-CN")["headers"][key][f.key])}
        for f in tab.fields:
            for word in schema.header_synonyms(key, f.key):
                assert own.get(word.casefold(), f.key) == f.key, (key, f.key, word)
    assert {"负责人", "客户经理"} <= set(schema.header_synonyms("projects", "manager"))
    assert {"截止", "截止日期"} <= set(schema.header_synonyms("projects", "due"))
    assert {"阶段", "状态"} <= set(schema.header_synonyms("projects", "stage"))
    assert "项目名称" in schema.header_synonyms("projects", "project")


def test_synonyms_are_column_aliases_only_where_the_config_names_no_header(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[sheet]\nspreadsheet = "t.xlsx"\n\n[headers.Projects]\nDue = "Deadline"\n',
                      encoding="utf-8")
    specs = {s.key: s for s in Workspace.open(config).specs()}
    projects = specs["projects"]
    assert projects.column("manager").matches("负责人")
    assert projects.column("stage").matches("状态") and projects.column("stage").matches("Stage")
    assert projects.column("due").matches("Deadline") and projects.column("due").matches("Due")
    assert not projects.column("due").matches("截止")  # the config names this one


# -- rules and config: the sheet's own words -----------------------------------------------

def test_names_are_read_as_their_value_and_written_instead_of_it():
    rules = Rules.build(stage_names={"Delivered": "已交付"},
                        names={"Projects.Priority": {"high": "高"}})
    stage = PROJECTS.field("stage")
    assert normalize(stage, " 已交付 ", rules, tab="projects").value == "Delivered"
    assert normalize(stage, "Delivered", rules, tab="projects").value == "Delivered"
    assert to_cell(stage, "Delivered", rules, tab="projects") == "已交付"
    assert to_cell(stage, "Planning", rules, tab="projects") == "Planning"
    assert to_cell(PROJECTS.field("priority"), "High", rules) == "高"
    reason = normalize(stage, "done", rules, tab="projects").reason
    assert "已交付" in reason and "Delivered" not in reason  # the words people type
    # English rules write as before
    assert to_cell(stage, "Delivered", Rules.default(), tab="projects") == "Delivered"
    with pytest.raises(RulesError) as err:
        Rules.build(stage_names={"Shipped": "已交付"})
    assert err.value.key == 'stages.names."Shipped"'


def test_config_names_load_and_a_wrong_one_is_a_config_error(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[sheet]\nspreadsheet = "t.xlsx"\n\n[stages.names]\nDelivered = "已交付"\n\n'
                      '[choices.Feedback.Status]\nnames = { New = "新建" }\n', encoding="utf-8")
    rules = load_config(config).rules
    assert rules.sheet_word("projects", "stage", "Delivered") == "已交付"
    assert rules.sheet_word("feedback", "status", "New") == "新建"
    config.write_text('[sheet]\nspreadsheet = "t.xlsx"\n\n[choices.Feedback.Status]\n'
                      'names = { Fresh = "新建" }\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="Fresh"):
        load_config(config)


# -- init-sheet and demo --------------------------------------------------------------------

def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_sheet_zh_on_a_local_workbook(tmp_path, capsys):
    import openpyxl

    config = tmp_path / "config.toml"
    config.write_text('[sheet]\nbackend = "xlsx"\nspreadsheet = "new.xlsx"\n', encoding="utf-8")
    code, out, err = run(config, capsys, "init-sheet", "--language", "zh-CN")
    assert code == 0, err
    assert "config.toml" in out and "created new.xlsx" in out
    book = openpyxl.load_workbook(tmp_path / "new.xlsx")
    assert book.sheetnames == ["客户经理", "客户", "项目", "反馈", "目标", "考核", "培训发展",
                               "进展记录"]
    assert [c.value for c in book["项目"][1]][:5] == ["编号", "项目", "客户", "客户经理", "阶段"]
    formulas = [dv.formula1 for dv in book["项目"].data_validations.dataValidation]
    assert '"需求受理,规划中,进行中,客户审核,已交付,暂停,已取消"' in formulas
    loaded = load_config(config)
    assert loaded.title_of("projects") == "项目" and loaded.header_of("projects", "due") == "截止日期"


def test_init_sheet_zh_never_rewrites_a_config_that_names_the_sheet_otherwise(tmp_path, capsys):
    config = tmp_path / "config.toml"
    text = '[sheet]\nbackend = "xlsx"\nspreadsheet = "new.xlsx"\n\n[tabs]\nProjects = "Jobs"\n'
    config.write_text(text, encoding="utf-8")
    code, _out, err = run(config, capsys, "init-sheet", "--language", "zh-CN")
    assert code == 2 and "[tabs]" in err
    assert config.read_text(encoding="utf-8") == text
    assert not (tmp_path / "new.xlsx").exists()


def test_the_chinese_demo_is_chinese_and_in_sync(zh_demo_config, capsys):
    workspace = Workspace.open(zh_demo_config)
    config = workspace.config
    assert config.language == "zh-CN" and config.title_of("projects") == "项目"
    store = workspace.store
    managers = store.records("managers")
    assert managers[0]["name"] == "林晓雯"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m["name"]) for m in managers)
    projects = store.records("projects")
    assert {p["stage"] for p in projects} <= set(schema.STAGES)  # canonical values
    assert store.problems() == []
    report = workspace.sync(dry_run=True)
    assert all(not any(c.values()) for c in report.per_tab.values()), report.per_tab
    from amtui.core.demo_workspace import workbook_tabs

    grid = workbook_tabs(workspace)["项目"]
    stage = grid[0].index("阶段")
    assert {row[stage] for row in grid[1:]} <= set(
        schema.sheet_names("zh-CN")["values"][("projects", "stage")].values())
    workspace.store.close()


def test_the_english_demo_is_unchanged_by_the_chinese_one():
    from amtui.domain.demo import generate

    english = generate("small", today=TODAY)
    assert english["managers"][0]["name"] == "Sarah Chen"
    assert english["projects"][0]["project"].count(" ") >= 1
    assert generate("small", today=TODAY) == english


def test_the_large_chinese_demo_has_distinct_chinese_names():
    from amtui.domain.demo import generate

    data = generate("large", today=TODAY, language="zh-CN")
    assert len(data["projects"]) == 5000
    names = [c["name"] for c in data["clients"]]
    assert len(set(names)) == 500
    assert len({m["name"] for m in data["managers"]}) == 50
    assert len({p["project"] for p in data["projects"]}) == 5000


def test_demo_command_language(tmp_path, capsys):
    code = main(["demo", "--language", "zh-CN", "--path", str(tmp_path / "d"),
                 "--today", "2026-11-26"])
    assert code == 0
    text = Path(tmp_path / "d" / "config.toml").read_text(encoding="utf-8")
    assert 'language = "zh-CN"' in text and "[stages.names]" in text


def test_an_english_sheet_with_a_chinese_column_of_its_own_keeps_working():
    """A synonym never makes a column ambiguous: the header itself wins (no read-only tab)."""
    from sync.reconcile import map_headers

    spec = next(s for s in Workspace(load_config_for_test()).specs() if s.key == "projects")
    header = ["ID", "Project", "Stage", "状态", "Due", "截止", "Manager"]
    columns, problems = map_headers(spec, header)
    assert columns["stage"] == 2 and columns["due"] == 4 and columns["manager"] == 6
    assert not [p for p in problems if "appears" in p]


def load_config_for_test():
    from amtui.core.config import Config

    return Config(path=Path("config.toml").resolve())
