"""The domain's and the store's texts in Chinese: config errors still name the file, the line
and the fix; problems are kept in English and shown in the UI's language, switchable."""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from amtui.core.config import ConfigError, load_config
from amtui.core.store import Store, StoreReadOnly
from amtui.domain import i18n
from amtui.domain.timeline import Scale
from amtui.domain.validate import english_reason, problem_text, reason_in
from sync.reconcile import reconcile_tab
from sync.spec import ColumnSpec, TabSpec


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "amtui.db")
    yield s
    s.close()


def _write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_a_config_error_in_chinese_names_the_file_the_line_and_the_fix(tmp_path):
    path = _write(tmp_path, """
        [sheet]
        backend = "xlsx"
        spreadsheet = "team.xlsx"

        [sync]
        allow_deletes = "false"
    """)
    i18n.use("zh-CN")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    text = str(err.value)
    assert text.startswith(f"{path}:6: ")
    assert 'allow_deletes = "false" 必须是 true 或 false，不加引号' in text
    assert "\n  修复方法：写成 allow_deletes = false" in text
    i18n.use("en")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (f'{path}:6: allow_deletes = "false" must be true or false, '
                              "written without quotes\n  fix: write allow_deletes = false")


def test_an_unknown_key_in_chinese_keeps_the_key_names_and_the_hint(tmp_path):
    path = _write(tmp_path, """
        [sheet]
        backend = "xlsx"
        spreadsheet = "team.xlsx"

        [sync]
        intervall = 5
    """)
    i18n.use("zh-CN")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    text = str(err.value)
    assert text.startswith(f"{path}:6: [sync] 中有未知的键 'intervall'")
    assert "你是不是想写 `interval`？" in text and "已知的键：" in text


def test_a_validation_problem_reads_in_chinese_with_its_cell_address(store):
    store.bulk_load({"projects": [{"id": "P-0001", "project": "官网改版", "client": "无名客户",
                                   "due": "next Friday", "stage": "Intake"}]},
                    synced_titles={"projects": "项目"})
    store.set_meta("columns:projects", '{"title": "项目", "columns": {"client": 2, "due": 8}}')
    assert store.revalidate() == 2
    i18n.use("zh-CN")
    shown = {p["field"]: problem_text(p) for p in store.problems()}
    # (A1 notation quotes a tab title that is not plain ASCII)
    assert shown["client"] == "'项目'!C2：未知的客户 \"无名客户\"（客户工作表中没有）"
    # the parser's reason comes in the catalog's words for it (English until translated)
    not_a_date = i18n.in_language("zh-CN", "not a date: {value} (use YYYY-MM-DD)")
    assert shown["due"] == "'项目'!I2：" + not_a_date.format(value='"next Friday"')


def test_switching_the_language_changes_how_a_stored_problem_is_shown(store):
    store.bulk_load({"feedback": [{"id": "F-00001", "source": "Client", "status": "New"}],
                     "reviews": [{"id": "R-0001", "manager": ""}]})
    store.revalidate()
    english = {p["record_id"]: p["reason"] for p in store.problems()}
    assert english == {"F-00001": "Text or Rating is required (feedback needs at least one)",
                       "R-0001": "required"}
    i18n.use("zh-CN")
    chinese = {p["record_id"]: p["reason"] for p in store.problems()}
    assert chinese == {"F-00001": "内容和评分至少填一项（反馈至少需要一项）",
                       "R-0001": "必填"}
    i18n.use("en")
    assert {p["record_id"]: p["reason"] for p in store.problems()} == english


def test_a_problem_found_in_a_chinese_session_is_kept_in_english(store):
    i18n.use("zh-CN")
    store.bulk_load({"projects": [{"id": "P-0001", "project": "X", "manager": "Nobody"}]})
    store.revalidate()
    kept = [row["reason"] for row in store.db["problems"].rows]
    assert kept == ['unknown manager "Nobody" (not in Managers)']
    assert store.problems()[0]["reason"] == '未知的客户经理 "Nobody"（客户经理工作表中没有）'


def test_an_old_databases_english_reason_is_shown_translated_or_as_it_is(store):
    store.replace_problems([
        {"tab": "projects", "record_id": "P-0001", "field": "id", "address": "Projects!A2",
         "value": "P-0001", "reason": 'duplicate ID "P-0001"', "kind": "validation", "row": 2},
        {"tab": "projects", "record_id": "P-0002", "field": "due", "address": "Projects!I3",
         "value": "?", "reason": "some reason an older amtui wrote", "kind": "sync", "row": 3},
    ])
    i18n.use("zh-CN")
    assert [p["reason"] for p in store.problems()] == [
        '编号重复："P-0001"', "some reason an older amtui wrote"]


def test_the_syncs_own_problems_are_shown_in_chinese():
    """sync/ knows no catalog: its English problem texts are read back on amtui's side (this
    fails when reconcile's wording drifts from validate.SYNC_REASONS)."""
    spec = TabSpec("projects", "Projects", (ColumnSpec("id", "ID"), ColumnSpec("stage", "Stage"),
                                            ColumnSpec("due", "Due")),
                   id_prefix="P", id_width=4)
    grid = [["ID", "Stage", "Stage"], ["P-0001", "Intake", "Intake"],
            ["P-0001", "Planning", "Planning"]]
    plan = reconcile_tab(spec, grid, {}, {}, new_id=lambda: "P-0002")
    missing = reconcile_tab(spec, None, {}, {}, new_id=lambda: "P-0003")
    reasons = [p["reason"] for p in plan.problems + missing.problems]
    assert len(reasons) == 4
    shown = [reason_in("zh-CN", r) for r in reasons]
    assert "表头 'Stage' 在 Projects 中出现了 2 次；请给多余的列改名" in shown
    assert any(s.startswith("Projects 中缺少列 'Due'") for s in shown)
    assert "编号 P-0001 重复（复制的行？）；这一行现在是 P-0002" in shown
    assert "表格中缺少工作表 'Projects'（运行 `amtui init-sheet` 添加）" in shown
    assert [english_reason(s) for s in shown] == reasons


def test_the_read_only_error_in_chinese_names_the_file_and_the_fix(tmp_path):
    i18n.use("zh-CN")
    text = str(StoreReadOnly(tmp_path / "amtui.db"))
    assert f"本地数据库 {tmp_path / 'amtui.db'} 是只读的" in text
    assert f"修复方法：chmod u+w {tmp_path / 'amtui.db'}" in text


def test_timeline_scale_labels_in_chinese():
    scale = Scale("week", date(2026, 11, 2))
    i18n.use("zh-CN")
    assert [t for _c, t in scale.labels(0, 15)] == ["11/2", "11/9", "11/16"]
    quarter = Scale("quarter", date(2026, 10, 1))
    assert [t for _c, t in quarter.labels(0, 20)] == ["26年Q4", "27年Q1"]
    month = Scale("month", date(2026, 11, 1))
    assert [t for _c, t in month.labels(0, 25)] == ["26年11月", "26年12月", "27年1月"]
    i18n.use("en")
    assert [t for _c, t in scale.labels(0, 15)] == ["2 Nov", "9 Nov", "16 Nov"]


def test_a_sync_in_chinese_stores_problems_in_english_and_shows_them_in_either(workspace):
    from tests.test_cli import set_workbook_cell

    set_workbook_cell(workspace.config.path, "Projects", "I2", "next Friday")
    set_workbook_cell(workspace.config.path, "Projects", "C3", "无名客户")
    i18n.use("zh-CN")  # the parser's reasons come in Chinese now (once translated)
    workspace.sync()
    kept = sorted(row["reason"] for row in workspace.store.db["problems"].rows)
    assert kept == ['not a date: "next Friday" (use YYYY-MM-DD)',
                    'unknown client "无名客户" (not in Clients)']
    shown = sorted(problem_text(p) for p in workspace.store.problems())
    assert shown == sorted(["Projects!I2：" + i18n.in_language(
        "zh-CN", "not a date: {value} (use YYYY-MM-DD)").format(value='"next Friday"'),
                            'Projects!C3：未知的客户 "无名客户"（客户工作表中没有）'])
    i18n.use("en")
    assert sorted(problem_text(p) for p in workspace.store.problems()) == [
        'Projects!C3: unknown client "无名客户" (not in Clients)',
        'Projects!I2: not a date: "next Friday" (use YYYY-MM-DD)']
