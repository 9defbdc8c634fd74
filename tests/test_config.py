"""A broken config stops with one clear message naming the file, line and fix; exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest

from amtui.cli.main import main
from amtui.core.config import ConfigError, load_config


def write(tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def run_cli(path, capsys, *args):
    code = main(["--config", str(path), *args] if args else ["--config", str(path), "kpi"])
    return code, capsys.readouterr()


def test_syntax_error_names_file_and_line(tmp_path, capsys):
    path = write(tmp_path, """
        [sheet]
        backend = "xlsx"
        spreadsheet = team.xlsx
    """)
    code, out = run_cli(path, capsys)
    assert code == 2
    assert f"{path}:3:" in out.err
    assert "TOML syntax error" in out.err
    assert "Traceback" not in out.err


def test_alias_to_unknown_stage_names_the_line(tmp_path, capsys):
    path = write(tmp_path, """
        [sheet]
        spreadsheet = "team.xlsx"

        [stages.aliases]
        "进行中" = "In Progress"
        "搁置" = "Parked"
    """)
    code, out = run_cli(path, capsys)
    assert code == 2
    assert f"{path}:6:" in out.err
    assert "Parked" in out.err
    assert "fix:" in out.err


def test_missing_credentials_file_names_the_key(tmp_path, capsys):
    path = write(tmp_path, """
        [sheet]
        backend = "google"
        spreadsheet = "1AbCdEf"
        credentials = "nowhere/service-account.json"
    """)
    code, out = run_cli(path, capsys)
    assert code == 2
    assert f"{path}:4:" in out.err
    assert "nowhere/service-account.json" in out.err
    assert "does not exist" in out.err


@pytest.mark.parametrize("text, line, words", [
    ('[sheet]\nbackend = "excel"\nspreadsheet = "x.xlsx"\n', 2, "backend"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[sync]\ninterval = "often"\n', 4, "interval"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[colours]\nx = 1\n', 3, "unknown section"),
    ('[sheet]\nspreadsheet = "x.xlsx"\nsheet_id = 4\n', 3, "unknown key"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[headers.Projects]\nColour = "x"\n', 4, "no column"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[tabs]\nInvoices = "x"\n', 4, "unknown tab"),
])
def test_invalid_values_point_at_their_line(tmp_path, text, line, words):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.line == line
    assert words in str(err.value)


def test_missing_config_file(tmp_path, capsys):
    code, out = run_cli(tmp_path / "nope.toml", capsys)
    assert code == 2
    assert "config file not found" in out.err


def test_relative_paths_are_relative_to_the_config(tmp_path):
    path = write(tmp_path, """
        [workspace]
        database = "data/amtui.db"
        [sheet]
        spreadsheet = "team.xlsx"
        [tabs]
        Projects = "项目"
        [headers.Projects]
        Stage = "阶段"
        [stages.aliases]
        "进行中" = "In Progress"
    """)
    config = load_config(path)
    assert config.database == tmp_path / "data" / "amtui.db"
    assert config.spreadsheet == str(tmp_path / "team.xlsx")
    assert config.title_of("projects") == "项目"
    assert config.header_of("projects", "stage") == "阶段"
    assert config.rules.aliases_for("projects", "stage") == {"进行中": "In Progress"}


def test_example_config_loads(tmp_path):
    from pathlib import Path

    example = Path(__file__).parents[1] / "config.example.toml"
    text = example.read_text(encoding="utf-8")
    (tmp_path / "service-account.json").write_text("{}", encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    assert config.backend == "google"
    assert config.title_of("projects") == "项目"


def test_no_traceback_from_the_real_process(tmp_path):
    path = write(tmp_path, "[sheet\n")
    result = subprocess.run([sys.executable, "-m", "amtui.cli.main", "--config", str(path), "kpi"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{path}:1" in result.stderr


# -- typed values (issue 8 item 5, issue 13 #11) ------------------------------------------

WRONG_TYPES = [
    # (section, written line, what the message says, what the fix says)
    ("sync", 'allow_deletes = "false"', 'allow_deletes = "false" must be true or false',
     "write allow_deletes = false"),
    ("sync", 'interval = "5"', 'interval = "5" must be whole seconds', "write interval = 5"),
    ("ui", 'standup_minutes = "two"', 'standup_minutes = "two" must be minutes',
     "e.g. standup_minutes = 2"),
    ("workspace", 'dayfirst = "yes"', 'dayfirst = "yes" must be true or false',
     "write dayfirst = true"),
    ("workspace", 'demo = "yes"', 'demo = "yes" must be true or false', "write demo = true"),
    ("sync", "intervall = 5", "unknown key 'intervall' in [sync]", "did you mean `interval`?"),
]


def wrong_config(tmp_path, section: str, line: str):
    """A config whose 5th line is ``line`` inside ``[section]``."""
    path = tmp_path / "config.toml"
    path.write_text(f'[sheet]\nspreadsheet = "team.xlsx"\n[{section}]\n# line 4\n{line}\n',
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("section, line, message, fix", WRONG_TYPES,
                         ids=[w[1].split(" ")[0] for w in WRONG_TYPES])
def test_wrong_type_is_refused_with_file_line_and_fix(tmp_path, capsys, section, line, message,
                                                      fix):
    path = wrong_config(tmp_path, section, line)
    assert path.read_text(encoding="utf-8").splitlines()[4] == line
    code, out = run_cli(path, capsys)
    assert code == 2
    assert f"{path}:5: {message}" in out.err
    assert f"fix: {fix}" in out.err
    assert "Traceback" not in out.err
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert (err.value.line, err.value.fix.startswith(fix)) == (5, True)


def test_quoted_false_never_turns_the_delete_guard_off_in_the_real_process(tmp_path):
    path = wrong_config(tmp_path, "sync", 'allow_deletes = "false"')
    result = subprocess.run([sys.executable, "-m", "amtui.cli.main", "--config", str(path), "sync"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"{path}:5: allow_deletes" in result.stderr
    assert "fix: write allow_deletes = false" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text, line, words", [
    ('[sheet]\nspreadsheet = "x.xlsx"\n[sheets]\nx = 1\n', 3, "did you mean [sheet]?"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[workspace]\nnmae = "x"\n', 4, "did you mean `name`?"),
    ('[sheet]\nspreadsheet = "x.xlsx"\nbackend = "gogle"\n', 3, 'did you mean "google"?'),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[ui]\nlanguage = "zh-cn"\n', 4, 'did you mean "zh-CN"?'),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[ui]\nmony = "wan"\n', 4, "did you mean `money`?"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[targets]\ncsatt = 4\n', 4, "did you mean `csat`?"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[stages]\norders = []\n', 4, "did you mean `order`?"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[tabs]\nProjetcs = "x"\n', 4, "did you mean `Projects`?"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[headers.Projects]\nStgae = "x"\n', 4,
     "did you mean `Stage`?"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[choices.Feedback.Category]\nvalue = ["a"]\n', 4,
     "did you mean `values`?"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[workspace]\ninterval = 5\n', 4,
     "interval belongs in [sync]"),
])
def test_near_misses_get_a_hint_in_every_section(tmp_path, text, line, words):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.line == line
    assert words in err.value.fix


@pytest.mark.parametrize("text, line, words", [
    ('[sheet]\nspreadsheet = "x.xlsx"\n[sync]\npoll_interval = -1\n', 4, "0 or more"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[sync]\npush_delay = true\n', 4, "number of seconds"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[ui]\nstandup_minutes = 0\n', 4, "more than 0"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[ui]\nmoney = 5\n', 4, 'must be "full" or "wan"'),
    ('[sheet]\nspreadsheet = 5\n', 2, "must be text"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[stages]\norder = "Intake"\n', 4, "list of text"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[stages.aliases]\nWIP = 5\n', 4, "must be text"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[targets]\ncsat = "4.2"\n', 4, "without quotes"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[keys]\n"board.move_next" = 5\n', 4, "must be text"),
    ('[sheet]\nspreadsheet = "x.xlsx"\n[tabs]\nProjects = 5\n', 4, "must be text"),
    ('sheet = 5\n', 1, "must be a [sheet] section"),
])
def test_other_wrong_types_point_at_their_line(tmp_path, text, line, words):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.line == line
    assert words in err.value.message
    assert err.value.fix


def test_typed_values_and_shared_keys_are_read(tmp_path):
    path = write(tmp_path, """
        [workspace]
        dayfirst = true
        demo = true
        today = 2026-11-26
        [sheet]
        spreadsheet = "team.xlsx"
        [sync]
        allow_deletes = true
        interval = 0
        poll_interval = 2.5
        full_interval = 120
        push_delay = 0
        [targets]
        csat = 4
        [ui]
        standup_minutes = 1.5
        language = "zh-CN"
        money = "wan"
    """)
    config = load_config(path)
    assert (config.dayfirst, config.demo, config.allow_deletes) == (True, True, True)
    assert config.rules.dayfirst is True
    assert str(config.today) == "2026-11-26"
    assert (config.interval, config.poll_interval, config.full_interval, config.push_delay) == (
        0, 2.5, 120.0, 0.0)
    assert config.rules.default_targets["csat"] == 4.0
    assert (config.standup_minutes, config.language, config.money) == (1.5, "zh-CN", "wan")


def test_defaults_of_the_shared_keys(tmp_path):
    config = load_config(write(tmp_path, '[sheet]\nspreadsheet = "team.xlsx"\n'))
    assert (config.poll_interval, config.full_interval, config.push_delay) == (5.0, 600.0, 2.0)
    assert (config.language, config.money, config.allow_deletes) == ("auto", "full", False)


def test_example_config_documents_every_key():
    from pathlib import Path

    from amtui.core.config import SETTINGS

    example = (Path(__file__).parents[1] / "config.example.toml").read_text(encoding="utf-8")
    missing = [f"[{s.section}] {s.key}" for s in SETTINGS.values()
               if s.key and not re.search(rf"^#? ?{re.escape(s.key)} =", example, re.M)]
    missing += [f"[{s.section}]" for s in SETTINGS.values() if f"[{s.section}]" not in example]
    assert not missing, f"config.example.toml does not document {missing}"


def test_the_default_database_sits_beside_the_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "ws"
    folder.mkdir()
    config = load_config(write(folder, '[sheet]\nspreadsheet = "team.xlsx"\n'))
    assert config.database == folder / "amtui.db"
    assert config.credentials is None
