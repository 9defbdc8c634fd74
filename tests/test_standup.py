"""Standup review on a hand-built workspace. Today is Monday 2026-11-30, since Friday 11-27."""

import doctest
import json
from datetime import date

import pytest

from amtui.domain.schema import TABS
from amtui.domain.standup import (
    ManagerStandup,
    build_standup,
    previous_working_day,
    render_text,
    to_dict,
)

TODAY = date(2026, 11, 30)
SINCE = date(2026, 11, 27)


def rec(tab, **values):
    row = dict.fromkeys(TABS[tab].keys, "")
    row.update(values)
    return row


def ev(at, record_id, fld, old, new, tab="projects", source="sheet"):
    return {"at": at, "tab": tab, "record_id": record_id, "field": fld, "old": old,
            "new": new, "source": source}


RECORDS = {
    "managers": [
        rec("managers", id="M-1", name="Li Wei", status="Active"),
        rec("managers", id="M-2", name="Ana Ruiz", status="Onboarding"),
        rec("managers", id="M-3", name="Old Timer", status="Left"),
        rec("managers", id="M-4", name="Zed Quiet", status="Active"),
    ],
    "projects": [
        rec("projects", id="P-1", project="Alpha", manager="Li Wei", stage="In Progress",
            due="2026-12-03", health="Blocked", blocker="waiting for logo"),
        rec("projects", id="P-2", project="Beta", manager="Li Wei", stage="Delivered",
            due="2026-11-30", delivered="2026-11-28"),
        rec("projects", id="P-3", project="Gamma", manager="li wei", stage="Planning",
            due="2026-11-20"),
        rec("projects", id="P-4", project="Delta", manager="Ana Ruiz", stage="Client Review",
            due="2026-11-30", health="At risk"),
        rec("projects", id="P-5", project="Eps", manager="Ana Ruiz", stage="Cancelled",
            due="2026-11-01"),
        rec("projects", id="P-6", project="Zeta", manager="Old Timer", stage="In Progress",
            due="2026-11-01"),
        rec("projects", id="P-7", project="Eta", manager="Li Wei", stage="Delivered",
            due="2026-11-19", delivered="2026-11-20"),
        rec("projects", id="P-8", project="Theta", manager="M-1", stage="In Progress",
            due="2026-12-07"),
        rec("projects", id="P-9", project="Iota", manager="Li Wei", stage="In Progress",
            due="next Friday"),
        rec("projects", id="P-10", project="Kappa", manager="Li Wei", stage="In Progress",
            due="2026-12-08"),  # 8 days: not "due soon"
        rec("projects", id="P-11", project="Lam", manager="Ana Ruiz", stage="Delivered",
            due="2026-11-25", delivered="2026-11-28"),  # delivered, no event: from date
    ],
    "feedback": [
        rec("feedback", id="F-1", manager="Li Wei", source="Client", from_="Acme CEO",
            received="2026-11-28", category="Complaint", status="New", rating="2",
            text="Late again"),
        rec("feedback", id="F-2", manager="Li Wei", source="Client", received="2026-11-10",
            category="Request", status="Resolved", resolved="2026-11-27", text="Need a deck"),
        rec("feedback", id="F-3", manager="", project="Delta", source="Internal",
            received="2026-11-29", category="Issue", status="New", text="Brief unclear"),
        rec("feedback", id="F-4", manager="Li Wei", source="Client", received="2026-10-01",
            category="Complaint", status="Acknowledged", text="Invoice wrong"),
        rec("feedback", id="F-5", manager="Li Wei", source="Client", received="2026-11-01",
            category="Complaint", status="Closed", text="Old issue"),
        rec("feedback", id="F-6", manager="Ana Ruiz", source="Client", received="2026-11-02",
            category="Praise", status="Closed", text="Great work"),
        rec("feedback", id="F-7", manager="Li Wei", source="Client", received="someday",
            category="Complaint", status="", text="Typed badly"),
    ],
    "updates": [
        rec("updates", id="U-1", manager="Li Wei", date="2026-11-25", note="Kickoff done"),
        rec("updates", id="U-2", manager="Li Wei", date="2026-11-28", project="Alpha",
            note="Logo still missing"),
        rec("updates", id="U-3", manager="Li Wei", date="2026-12-05", note="from the future"),
        rec("updates", id="U-4", manager="", project="P-4", date="2026-11-27",
            note="Client reviewing"),
        rec("updates", id="U-5", manager="Li Wei", date="soon", note="undated"),
    ],
    "targets": [], "development": [], "reviews": [], "clients": [],
}

EVENTS = [
    ev("2026-11-26T10:00:00", "P-1", "stage", "Intake", "Planning"),  # before since
    ev("2026-11-27T09:00:00", "P-1", "stage", "Planning", "Client Review"),
    ev("2026-11-28T10:00:00", "P-1", "stage", "Client Review", "In Progress"),
    ev("2026-11-29T12:00:00", "P-1", "health", "On track", "Blocked"),
    ev("2026-11-27T15:00:00", "P-2", "stage", "Client Review", "Delivered"),
    ev("2026-11-27T15:00:00", "P-2", "delivered", "", "2026-11-28"),
    ev("2026-11-28T08:00:00", "P-8", "due", "2026-12-01", "2026-12-07", source="local"),
    ev("2026-11-27T08:00:00", "P-4", "health", "Blocked", "At risk"),
    ev("2026-11-27T08:00:00", "P-3", "stage", "Planning", "In Progress"),
    ev("2026-11-27T09:00:00", "P-3", "stage", "In Progress", "Planning"),  # and back
    ev("2026-11-28T08:00:00", "P-9", "*", "", "created"),
    ev("2026-11-28T08:00:00", "P-99", "*", "", "deleted"),  # gone: no manager
    ev("yesterday", "P-1", "due", "2026-12-01", "2026-12-02"),  # unreadable time
    ev("2026-11-28T11:00:00", "F-6", "status", "Acknowledged", "Closed", tab="feedback"),
]


@pytest.fixture(scope="module")
def standups():
    return {s.manager_name: s for s in build_standup(RECORDS, EVENTS, today=TODAY,
                                                       since=SINCE)}


def ids(items):
    return [i.record_id for i in items]


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 11, 30), date(2026, 11, 27)),  # Monday → Friday
    (date(2026, 12, 1), date(2026, 11, 30)),  # Tuesday → Monday
    (date(2026, 11, 28), date(2026, 11, 27)),  # Saturday → Friday
    (date(2026, 11, 29), date(2026, 11, 27)),  # Sunday → Friday
    (date(2027, 1, 4), date(2027, 1, 1)),  # Monday over the year end
])
def test_previous_working_day(today, expected):
    assert previous_working_day(today) == expected


def test_one_per_active_manager_by_name(standups):
    assert list(standups) == ["Ana Ruiz", "Li Wei", "Zed Quiet"]
    assert standups["Li Wei"].manager_id == "M-1"


def test_project_changes_since(standups):
    changes = {i.record_id: i for i in standups["Li Wei"].changes}
    p1 = [i for i in standups["Li Wei"].changes if i.record_id == "P-1"]
    assert [i.text for i in p1] == ["Alpha: stage Planning → In Progress",
                                    "Alpha: now blocked: waiting for logo"]
    assert changes["P-2"].kind == "delivered"
    assert changes["P-2"].text == "Beta: delivered 2026-11-28 (was Client Review)"
    assert [i.record_id for i in standups["Li Wei"].changes].count("P-2") == 1
    assert changes["P-8"].text == "Theta: due 2026-12-01 → 2026-12-07"
    assert changes["P-9"].text == "Iota: new project"
    assert "P-3" not in changes  # moved and came back
    assert "P-7" not in changes  # delivered before since
    ana = standups["Ana Ruiz"].changes
    assert [(i.record_id, i.kind) for i in ana] == [("P-4", "unblocked"),
                                                    ("P-11", "delivered")]
    assert ana[0].text == "Delta: unblocked (now At risk)"
    assert ana[1].text == "Lam: delivered 2026-11-28"


def test_due_soon_and_overdue(standups):
    li = standups["Li Wei"]
    assert ids(li.due_soon) == ["P-1", "P-8"]
    assert li.due_soon[0].text == "Alpha: due 2026-12-03 (in 3 days)"
    assert li.due_soon[1].text == "Theta: due 2026-12-07 (in 7 days)"
    assert ids(li.overdue) == ["P-3"]
    assert li.overdue[0].text == "Gamma: due 2026-11-20, 10 days overdue"
    ana = standups["Ana Ruiz"]
    assert ana.due_soon[0].text == "Delta: due 2026-11-30 (today)"
    assert ana.overdue == []  # P-5 is cancelled


def test_blocked_with_blocker(standups):
    assert [i.text for i in standups["Li Wei"].blocked] == ["Alpha: waiting for logo"]


def test_feedback_new_resolved_and_complaints(standups):
    li, ana = standups["Li Wei"], standups["Ana Ruiz"]
    assert ids(li.new_feedback) == ["F-1"]
    assert li.new_feedback[0].text == "Acme CEO (Client, Complaint, rating 2): Late again"
    assert ids(li.resolved_feedback) == ["F-2"]
    assert ids(li.complaints) == ["F-1", "F-4", "F-7"]
    assert li.complaints[1].text.endswith("[Acknowledged, since 2026-10-01]")
    assert ids(ana.new_feedback) == ["F-3"]  # through the project's manager
    assert ids(ana.resolved_feedback) == ["F-6"]  # from the status event


def test_latest_note(standups):
    assert standups["Li Wei"].latest_note.record_id == "U-2"
    assert standups["Li Wei"].latest_note.text == "2026-11-28 (Alpha): Logo still missing"
    assert standups["Ana Ruiz"].latest_note.record_id == "U-4"
    assert standups["Zed Quiet"].latest_note is None


def test_quiet_manager_is_empty(standups):
    assert standups["Zed Quiet"].is_empty
    assert not standups["Li Wei"].is_empty


def test_manager_filter():
    [one] = build_standup(RECORDS, EVENTS, today=TODAY, since=SINCE, manager="ana ruiz")
    assert one.manager_id == "M-2"
    [left] = build_standup(RECORDS, [], today=TODAY, since=SINCE, manager="Old Timer")
    assert ids(left.overdue) == ["P-6"]
    assert build_standup(RECORDS, EVENTS, today=TODAY, since=SINCE, manager="nobody") == []


def test_empty_workspace():
    assert build_standup({}, [], today=TODAY, since=SINCE) == []
    text = render_text([], today=TODAY, since=SINCE)
    assert "nothing new" in text


def test_render_text(standups):
    text = render_text(list(standups.values()), today=TODAY, since=SINCE)
    lines = text.splitlines()
    assert lines[0] == "Standup Mon 2026-11-30 (changes since Fri 2026-11-27)"
    assert "Li Wei" in lines and "Zed Quiet" in lines
    assert "  - [P-1] Alpha: stage Planning → In Progress" in lines
    assert "  Open complaints:" in lines
    zed = lines.index("Zed Quiet")
    assert lines[zed + 1] == "  - nothing new since Fri 2026-11-27"
    assert all(len(line) < 130 for line in lines)


def test_long_text_is_one_line():
    s = ManagerStandup("M-1", "Li Wei")
    recs = {**RECORDS, "feedback": [rec("feedback", id="F-9", manager="Li Wei",
                                        received="2026-11-29", category="Complaint",
                                        text="word\n" * 100)]}
    [li] = build_standup(recs, [], today=TODAY, since=SINCE, manager="Li Wei")
    assert "\n" not in li.new_feedback[0].text and len(li.new_feedback[0].text) <= 100
    assert li.complaints[0].text.endswith("… [New, since 2026-11-29]")  # survives the cut
    assert len(li.complaints[0].text) <= 100
    assert s.is_empty


def test_to_dict(standups):
    data = json.loads(json.dumps(to_dict(list(standups.values()), today=TODAY, since=SINCE)))
    assert data["today"] == "2026-11-30" and data["since"] == "2026-11-27"
    li = data["managers"][1]
    assert li["manager_id"] == "M-1"
    assert li["overdue"] == [{"record_id": "P-3", "kind": "overdue",
                              "text": "Gamma: due 2026-11-20, 10 days overdue"}]
    assert li["latest_note"]["record_id"] == "U-2"
    assert data["managers"][2]["latest_note"] is None


def test_docstring_examples():
    import amtui.domain.standup as module

    assert doctest.testmod(module).failed == 0
