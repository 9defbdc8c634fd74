"""Headless commands: records, kpi, standup, undo, exit codes."""

from __future__ import annotations

import json

from amtui.cli.main import main


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_feedback_then_list_shows_it_with_new_id(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "records", "add", "Feedback", "Rating=5",
                       "Text=great work", "Manager=Li Wei")
    assert code == 0
    new_id = out.strip()
    assert new_id.startswith("F-")
    code, out, _ = run(demo_config, capsys, "records", "list", "Feedback", "--format", "json")
    rows = {r["ID"]: r for r in json.loads(out)}
    assert rows[new_id]["Text"] == "great work"
    assert rows[new_id]["Rating"] == "5"
    assert rows[new_id]["Status"] == "New"  # a new feedback item starts unhandled
    assert rows[new_id]["Received"] == "2026-11-26"


def test_set_invalid_rating_is_refused_and_value_unchanged(demo_config, capsys):
    _code, out, _ = run(demo_config, capsys, "records", "show", "Feedback", "F-00001",
                        "--format", "json")
    before = json.loads(out)[0]["Rating"]
    code, _out, err = run(demo_config, capsys, "records", "set", "Feedback", "F-00001",
                          "Rating=9")
    assert code == 1
    assert "rating must be 1 to 5" in err
    _code, out, _ = run(demo_config, capsys, "records", "show", "Feedback", "F-00001",
                        "--format", "json")
    assert json.loads(out)[0]["Rating"] == before


def test_list_where_and_formats(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "records", "list", "Projects", "--where",
                       "Stage=Delivered", "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("ID,Project,Client")
    assert all(",Delivered," in line for line in lines[1:])
    code, out, _ = run(demo_config, capsys, "records", "list", "Managers")
    assert code == 0 and "Name" in out.splitlines()[0]


def test_unknown_tab_and_field_are_usage_errors(demo_config, capsys):
    code, _out, err = run(demo_config, capsys, "records", "list", "Invoices")
    assert code == 2 and "tabs are" in err
    code, _out, err = run(demo_config, capsys, "records", "set", "Projects", "P-0001",
                          "Colour=red")
    assert code == 2 and "fields are" in err


def test_delete_then_undo(demo_config, capsys):
    code, _out, _ = run(demo_config, capsys, "records", "delete", "Updates", "U-00001")
    assert code == 0
    code, out, _ = run(demo_config, capsys, "records", "show", "Updates", "U-00001")
    assert code == 1
    code, out, _ = run(demo_config, capsys, "undo")
    assert "undone" in out
    code, out, _ = run(demo_config, capsys, "records", "show", "Updates", "U-00001")
    assert code == 0


def test_kpi_json_has_every_manager(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "kpi", "--period", "2026-11", "--format", "json")
    assert code == 0
    table = json.loads(out)
    _c, managers, _ = run(demo_config, capsys, "records", "list", "Managers", "--format", "json")
    active = [m for m in json.loads(managers) if m["Status"] != "Left"]
    assert len(table["managers"]) >= len(active)


def test_kpi_bad_period_is_usage_error(demo_config, capsys):
    code, _out, err = run(demo_config, capsys, "kpi", "--period", "sometime")
    assert code == 2 and "2026-Q4" in err


def test_standup_prints_sections(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "standup", "--since", "2026-11-20")
    assert code == 0
    assert out.strip()


def test_doctor_on_demo_is_ok(demo_config, capsys):
    code, out, _ = run(demo_config, capsys, "doctor")
    assert code == 0, out
    assert "[ok  ] sheet" in out


def test_no_config_opens_the_default_demo_headlessly(capsys, tmp_path):
    code = main(["records", "list", "Managers", "--format", "json"])
    assert code == 0
    assert len(json.loads(capsys.readouterr().out)) >= 6


# -- issue 13: read-only database, CLI output ---------------------------------------------


def set_workbook_cell(config, tab: str, cell: str, value) -> None:
    """A person edits the demo workbook (in LibreOffice, say) and saves it."""
    import openpyxl

    path = config.parent / "team.xlsx"
    book = openpyxl.load_workbook(path)
    book[tab][cell] = value
    book.save(path)


def test_records_set_on_a_read_only_database_names_the_file_and_the_fix(demo_config, capsys):
    from tests.readonly import read_only

    database = demo_config.parent / "amtui.db"
    with read_only(database):
        code, _out, err = run(demo_config, capsys, "records", "set", "Projects", "P-0001",
                              "Stage=Planning")
        assert code == 2
        assert "Traceback" not in err and "OperationalError" not in err
        assert str(database) in err and f"chmod u+w {database}" in err
        code, out, _ = run(demo_config, capsys, "doctor")
        assert code == 1
        assert "[FAIL] database writable" in out and f"chmod u+w {database}" in out
        code, _out, err = run(demo_config, capsys, "sync")
        assert code == 2 and f"chmod u+w {database}" in err and "OperationalError" not in err
    code, out, _ = run(demo_config, capsys, "records", "show", "Projects", "P-0001",
                       "--format", "json")
    assert json.loads(out)[0]["Stage"] != "Planning"
    code, out, _ = run(demo_config, capsys, "doctor")
    assert code == 0 and "[ok  ] database writable" in out


def test_problems_show_the_whole_reason_and_sync_says_1_problem(demo_config, capsys,
                                                                monkeypatch):
    set_workbook_cell(demo_config, "Projects", "I2", "next Friday")
    code, out, _ = run(demo_config, capsys, "sync")
    assert code == 1
    assert "1 problem: `amtui problems`" in out
    _code, out, _ = run(demo_config, capsys, "problems", "--format", "json")
    reason = json.loads(out)[0]["Reason"]
    assert len(reason) > 40
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(demo_config, capsys, "problems")
    assert code == 1 and reason in out
    monkeypatch.setenv("COLUMNS", "60")  # narrow: the reason wraps, every word is there
    _code, out, _ = run(demo_config, capsys, "problems")
    assert all(len(line) <= 60 for line in out.splitlines())
    assert " ".join(out.split()).count(" ".join(reason.split()[-3:])) == 1


def test_conflicts_show_the_sheet_header_and_1_open_conflict(demo_config, capsys):
    set_workbook_cell(demo_config, "Projects", "L3", 0.55)
    run(demo_config, capsys, "records", "set", "Projects", "P-0002", "Progress=60%")
    code, out, _ = run(demo_config, capsys, "sync")
    assert code == 1 and "1 open conflict: `amtui conflicts`" in out
    _code, out, _ = run(demo_config, capsys, "conflicts", "--format", "json")
    assert json.loads(out)[0]["Field"] == "Progress"
    _code, out, _ = run(demo_config, capsys, "conflicts")
    assert "Progress" in out and "progress" not in out


def test_where_matches_values_like_every_other_comparison(demo_config, capsys):
    _code, exact, _ = run(demo_config, capsys, "records", "list", "Projects", "--where",
                          "Stage=Planning", "--format", "json")
    _code, lower, _ = run(demo_config, capsys, "records", "list", "Projects", "--where",
                          "Stage=  planning ", "--format", "json")
    assert json.loads(exact) and json.loads(lower) == json.loads(exact)


def test_resolving_an_unknown_conflict_has_no_stray_quotes(demo_config, capsys):
    code, _out, err = run(demo_config, capsys, "conflicts", "--resolve", "999", "--keep",
                          "sheet")
    assert code == 1
    assert err == "amtui: no open conflict 999\n"


def test_plural_counts():
    from amtui.cli.main import plural

    assert (plural(0, "problem"), plural(1, "problem"), plural(2, "problem")) == (
        "0 problems", "1 problem", "2 problems")


def test_table_keeps_cjk_text_in_line_and_shows_brackets_as_typed():
    from wcwidth import wcswidth

    from amtui.cli.main import text_table

    notes = ["a", "[b]x[/b] :smile:", "c"]
    out = text_table(["Name", "Note"], [["李伟", notes[0]], ["Li Wei", notes[1]],
                                        ["王芳芳芳", notes[2]]], width=80)
    lines = out.splitlines()
    starts = {wcswidth(line[:line.index(note)]) for line, note in zip(lines[2:], notes,
                                                                       strict=True)}
    assert len(starts) == 1 and notes[1] in out


def test_a_reader_that_stops_early_gets_no_traceback(demo_config):
    """``amtui records list Feedback | head -1``: the pipe closes before amtui writes."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "amtui", "--config", str(demo_config), "records", "list",
         "Feedback", "--format", "csv"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait() == 1
    assert "Traceback" not in err and "BrokenPipe" not in err, err
