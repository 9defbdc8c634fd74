"""A broken config stops with one clear message naming the file, line and fix; exit code 2."""

from __future__ import annotations

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
