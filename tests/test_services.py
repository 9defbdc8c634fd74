"""The Textual-free service layer: what the CLI and the screens both call."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from amtui.cli.main import main
from amtui.services import texts
from amtui.services.records import DataVersions
from amtui.services.sync_retry import RETRY_MAX, RetryPolicy
from sync.runner import DELETE_MAX, DELETE_MIN, DELETE_SHARE


def test_services_do_not_import_textual():
    code = ("import sys, amtui.services.records, amtui.services.kpis, amtui.services.export, "
            "amtui.services.texts, amtui.services.sync_retry; "
            "sys.exit('textual' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_retry_waits_twice_as_long_each_time_up_to_the_most():
    retry = RetryPolicy(first=20)
    delays = [retry.next_delay() for _ in range(6)]
    assert delays == [20, 40, 80, 160, RETRY_MAX, RETRY_MAX]
    retry.reset()
    assert retry.next_delay() == 20
    retry.reset(0.5)  # tests shorten it
    assert [retry.next_delay() for _ in range(2)] == [0.5, 1.0]


def test_versions_change_only_for_their_tabs():
    versions = DataVersions()
    before = versions.key("projects")
    versions.bump("feedback")
    assert versions.key("projects") == before
    versions.bump("projects")
    assert versions.key("projects") != before
    after = versions.key("projects", "feedback")
    versions.bump()  # a sync: everything may have changed
    assert versions.key("projects", "feedback") != after


def test_delete_guard_texts_come_from_the_runners_thresholds():
    rule = texts.delete_guard_rule()
    assert f"{DELETE_SHARE:.0%}" in rule and str(DELETE_MAX) in rule and str(DELETE_MIN) in rule
    assert rule in texts.delete_question({"Feedback": 60})
    assert "Feedback: 60 rows" in texts.delete_question({"Feedback": 60})
    line = texts.deletes_held_line("Projects", 9)
    assert rule in line and "--allow-deletes" in line


def test_kpi_csv_from_the_cli_has_numbers_and_counts_in_their_own_column(demo_config,
                                                                        capsys):
    capsys.readouterr()
    assert main(["--config", str(demo_config), "kpi", "--period", "2026-11",
                 "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header = rows[0]
    assert header[:5] == ["Manager", "CSAT", "CSAT target", "CSAT status", "CSAT ratings"]
    assert "Ratings" not in header  # the count rides with CSAT, once
    assert rows[-1][0] == "Team"
    for row in rows[1:]:
        for column in ("CSAT", "CSAT ratings", "Revenue", "On-time", "Response h"):
            value = row[header.index(column)]
            if value:
                float(value)  # a plain number: no "¥", "%", " h" or "(12)"
        assert row[header.index("CSAT status")] in (
            "on track", "at risk", "off track", "no data", "no target")
    team = rows[-1]
    assert int(team[header.index("CSAT ratings")]) > 0
