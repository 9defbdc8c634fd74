"""The reminder rules as pure functions: which records they name, how late, and when a
reminder's key changes (re-arms) or stays (sent once)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from amtui.core.config import load_config
from amtui.domain.reminders import RuleSettings, evaluate

NOW = datetime(2026, 11, 26, 10, 0)
MANAGERS = [{"id": "M-001", "name": "Li Wei", "status": "Active", "start_date": "2025-01-01"},
            {"id": "M-002", "name": "王芳", "status": "Active", "start_date": "2025-01-01"},
            {"id": "M-003", "name": "Gone", "status": "Left"}]


def run(records, **options):
    return evaluate({"managers": MANAGERS, **records}, now=options.pop("now", NOW), **options)


def by_rule(found, rule):
    return [r for r in found if r.rule == rule]


def test_project_rules_overdue_due_soon_and_blocked_since_the_event():
    projects = [
        {"id": "P-1", "project": "Late", "manager": "Li Wei", "stage": "Planning",
         "due": "2026-11-16", "health": "On track"},
        {"id": "P-2", "project": "Soon", "manager": "王芳", "stage": "In Progress",
         "due": "2026-11-28", "health": "At risk"},
        {"id": "P-3", "project": "Soon but fine", "manager": "王芳", "stage": "Planning",
         "due": "2026-11-28", "health": "On track"},
        {"id": "P-4", "project": "Done late", "manager": "Li Wei", "stage": "Delivered",
         "due": "2026-10-01", "health": "On track"},
        {"id": "P-5", "project": "Stuck", "manager": "Li Wei", "stage": "Planning",
         "start": "2026-01-01", "health": "Blocked", "blocker": "legal"},
    ]
    events = [{"at": "2026-11-24T09:00:00", "tab": "projects", "record_id": "P-5",
               "field": "health", "old": "On track", "new": "Blocked"}]
    found = run({"projects": projects}, events=events)
    overdue = by_rule(found, "project_overdue")
    assert [(r.record_id, r.manager, r.late_days, r.field) for r in overdue] == [
        ("P-1", "Li Wei", 10, "due")]
    assert [r.record_id for r in by_rule(found, "project_due_soon")] == ["P-2"]
    assert by_rule(found, "project_blocked") == []  # blocked 2 days, limit 3
    later = run({"projects": projects}, events=events, now=datetime(2026, 11, 27, 12, 0))
    assert [(r.record_id, round(r.late_hours)) for r in by_rule(later, "project_blocked")] \
        == [("P-5", 3)]
    # same facts the next day: same key (not sent again); a week later: a new key
    assert by_rule(later, "project_overdue")[0].key == overdue[0].key
    week = run({"projects": projects}, now=datetime(2026, 11, 30, 10, 0))
    assert by_rule(week, "project_overdue")[0].key != overdue[0].key
    projects[0]["due"] = "2026-11-20"
    assert by_rule(run({"projects": projects}), "project_overdue")[0].key != overdue[0].key


def test_feedback_rules_use_the_managers_response_target_and_complaint_threshold():
    feedback = [
        {"id": "F-1", "received": "2026-11-25", "manager": "Li Wei", "rating": "4",
         "status": "New", "text": "slow"},
        {"id": "F-2", "received": "2026-11-25", "manager": "王芳", "rating": "2",
         "status": "New", "text": "angry"},
        {"id": "F-3", "received": "2026-11-10", "manager": "王芳", "rating": "1",
         "status": "Acknowledged", "responded": "2026-11-10", "text": "old"},
        {"id": "F-4", "received": "2026-11-01", "manager": "Li Wei", "rating": "1",
         "status": "Resolved", "text": "done"},
    ]
    found = run({"feedback": feedback}, response_targets={"M-001": 48.0, "M-002": 8.0})
    assert [r.record_id for r in by_rule(found, "feedback_response")] == ["F-2"]
    assert round(by_rule(found, "feedback_response")[0].late_hours) == 26
    assert [r.record_id for r in by_rule(found, "complaint")] == ["F-2"]
    assert [r.record_id for r in by_rule(found, "feedback_resolution")] == ["F-3"]
    settings = RuleSettings.default()
    settings.values["complaint"]["max_rating"] = 1
    settings.enabled["feedback_resolution"] = False
    found = run({"feedback": feedback}, settings=settings)
    assert by_rule(found, "complaint") == [] and by_rule(found, "feedback_resolution") == []


def test_review_missing_training_missed_and_unresolved_sync_items():
    reviews = [{"id": "R-1", "manager": "Li Wei", "period": "2026-Q3", "score": "4"}]
    development = [
        {"id": "D-1", "manager": "王芳", "type": "Training", "title": "Excel", "status": "Planned",
         "date": "2026-11-20"},
        {"id": "D-2", "manager": "王芳", "type": "Training", "title": "Today", "status": "Planned",
         "date": "2026-11-26"},
    ]
    conflicts = [{"id": 7, "tab": "projects", "record_id": "P-1", "field": "due",
                  "found_at": "2026-11-24T10:00:00"},
                 {"id": 8, "tab": "projects", "record_id": "P-1", "field": "stage",
                  "found_at": "2026-11-26T09:00:00"}]
    problems = [{"tab": "feedback", "record_id": "F-9", "address": "Feedback!H12",
                 "value": "7", "first_seen": "2026-11-20T00:00:00"}]
    found = run({"reviews": reviews, "development": development,
                 "projects": [{"id": "P-1", "manager": "Li Wei", "stage": "Delivered"}]},
                conflicts=conflicts, problems=problems)
    missing = by_rule(found, "review_missing")
    assert [(r.record_id, r.fact("period")) for r in missing] == [("M-002", "2026-Q3")]
    assert [r.record_id for r in by_rule(found, "training_missed")] == ["D-1"]
    unresolved = by_rule(found, "sync_unresolved")
    assert [(r.record_id, r.name, r.manager) for r in unresolved] == [
        ("F-9", "Feedback!H12", ""), ("P-1", "conflict #7", "Li Wei")]


def test_readme_reminders_config_loads(tmp_path, monkeypatch):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Reminders", 1)[1]
    block = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    config = tmp_path / "config.toml"
    config.write_text('[sheet]\nbackend = "xlsx"\nspreadsheet = "team.xlsx"\n\n' + block,
                      encoding="utf-8")
    notify = load_config(config).notify
    assert notify.quiet_hours == ("21:00", "08:00") and notify.timezone == "Asia/Shanghai"
    assert notify.managers == {"Li Wei": ("feishu://${LI_WEI_FEISHU_TOKEN}",)}
    assert notify.rules["review_missing"] == {"period": "quarter", "grace_days": 14}
