"""The Timeline's layout math (amtui.domain.timeline): cells, bars, load, flow, CJK labels."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len

from amtui.domain import timeline as tl

TODAY = date(2026, 11, 26)  # a Thursday
MONDAY = date(2026, 11, 23)


def project(pid="P-1", start="", due="", delivered="", stage="In Progress", health="On track",
            manager="Li Wei", name="Launch"):
    return {"id": pid, "project": name, "manager": manager, "start": start, "due": due,
            "delivered": delivered, "stage": stage, "health": health}


def test_cells_cover_days_by_zoom():
    week = tl.Scale("week", MONDAY)
    assert (week.cell_of(MONDAY), week.cell_of(TODAY), week.cell_of(date(2026, 11, 22))) == \
        (0, 3, -1)
    month = tl.Scale("month", MONDAY)
    assert [month.cell_of(date(2026, 11, d)) for d in (23, 25, 26, 28)] == [0, 0, 1, 1]
    quarter = tl.Scale("quarter", MONDAY)
    assert quarter.cell_of(date(2026, 12, 6)) == 1 and quarter.day_of(-1) == date(2026, 11, 16)


def test_scale_labels_fall_on_mondays_months_and_quarters():
    week = tl.Scale("week", MONDAY)
    assert week.labels(-3, 14) == [(3, "23 Nov"), (10, "30 Nov")]
    month = tl.Scale("month", MONDAY)
    assert month.labels(0, 30)[:2] == [(2, "Dec 26"), (13, "Jan 27")]  # 1 Dec: day 8
    quarter = tl.Scale("quarter", MONDAY)
    assert quarter.labels(-10, 30)[:2] == [(2, "Q4 26"), (15, "Q1 27")]


def test_bar_runs_from_start_to_due_with_the_late_tail_to_today():
    span = tl.project_span(project(start="2026-11-23", due="2026-11-24"), TODAY)
    assert span.overdue
    cells = tl.row_cells(span, tl.Scale("week", MONDAY), -1, 6, today=TODAY)
    assert cells == ["", "bar", "due", "late", "late", ""]


def test_delivered_late_and_milestones_are_marked():
    span = tl.project_span(project(start="2026-11-23", due="2026-11-24", delivered="2026-11-26",
                                   stage="Delivered"), TODAY, [date(2026, 11, 23)])
    assert not span.overdue and span.closed
    cells = tl.row_cells(span, tl.Scale("week", MONDAY), 0, 5, today=TODAY)
    assert cells == ["milestone", "due", "late", "done", ""]


def test_bar_outside_the_window_draws_nothing():
    span = tl.project_span(project(start="2026-01-01", due="2026-02-01", delivered="2026-01-30",
                                   stage="Delivered"), TODAY)
    assert set(tl.row_cells(span, tl.Scale("week", MONDAY), 0, 30, today=TODAY)) == {""}


def test_health_marks_only_open_projects():
    assert tl.project_span(project(health="Blocked"), TODAY).health == "blocked"
    assert tl.project_span(project(health="At risk"), TODAY).health == "at risk"
    assert tl.project_span(project(health="Blocked", stage="Delivered"), TODAY).health == ""


def test_groups_sort_by_manager_then_start_and_fold():
    records = [project("P-1", "2026-11-10", "2026-12-01", manager="张伟"),
               project("P-2", "2026-10-01", "2026-11-01", manager="Li Wei"),
               project("P-3", "2026-09-01", "2026-12-01", manager="张伟"),
               project("P-4", "2026-09-01", "2026-12-01", manager="")]
    groups = tl.group_projects(records, TODAY)
    assert [g.manager for g in groups] == ["Li Wei", "张伟", "(no manager)"]
    assert [r["id"] for r in groups[1].records] == ["P-3", "P-1"]
    rows = tl.layout_rows(groups, collapsed={"张伟"})
    assert [(r.kind, r.group) for r in rows] == [
        ("group", 0), ("load", 0), ("project", 0), ("group", 1), ("load", 1),
        ("group", 2), ("load", 2), ("project", 2)]


def test_load_counts_projects_running_each_week():
    spans = [tl.project_span(p, TODAY) for p in (
        project("P-1", "2026-11-02", "2026-11-20", delivered="2026-11-20",
                stage="Delivered"),  # weeks of 2, 9, 16 Nov
        project("P-2", "2026-11-16", "2026-12-08"),  # 16 Nov .. 7 Dec
        project("P-3", "2026-11-09", "2026-11-11", delivered="2026-11-30",
                stage="Delivered"),  # delivered late: runs to 30 Nov
        project("P-4", "2026-10-01", "2026-11-03"),  # overdue: runs to today
    )]
    weeks = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23),
             date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)]
    assert tl.weekly_load(spans, weeks, TODAY) == [2, 3, 4, 3, 2, 1, 0]
    # per cell at quarter zoom (a week a cell) it is the same count
    scale = tl.Scale("quarter", MONDAY)
    assert tl.load_per_cell(spans, scale, -3, 7, TODAY) == [2, 3, 4, 3, 2, 1, 0]
    # at week zoom every day of a week shows that week's load
    day_cells = tl.load_per_cell(spans, tl.Scale("week", MONDAY), -7, 14, TODAY)
    assert day_cells == [4] * 7 + [3] * 7


def test_milestones_come_from_dated_updates_naming_a_project():
    projects = [project("P-1", name="青禾餐饮 Video Series"), project("P-2", name="Other")]
    updates = [{"date": "2026-11-20", "project": "青禾餐饮 video series"},
               {"date": "", "project": "Other"}, {"date": "2026-11-21", "project": "P-2"},
               {"date": "2026-11-22", "project": "unknown"}]
    assert tl.milestones_from_updates(updates, projects) == {
        "P-1": [date(2026, 11, 20)], "P-2": [date(2026, 11, 21)]}


def test_fit_keeps_cjk_whole_and_aligned():
    for text in ("青禾餐饮 Video Series", "Sunrise Travel 双11 大促", "云图教育品牌焕新全案"):
        for width in (5, 8, 9, 26):
            out = tl.fit(text, width)
            assert cell_len(out) == width
            assert all(ch in text + "… " for ch in out)
    assert tl.fit("云图教育", 5) == "云图…" or cell_len(tl.fit("云图教育", 5)) == 5
    assert tl.fit("ab", 4) == "ab  "


def test_cumulative_flow_uses_stage_changes_then_dates():
    weeks = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    records = [
        project("P-1", "2026-10-01", stage="Client Review"),
        project("P-2", "2026-11-10", delivered="2026-11-18", stage="Delivered"),
        project("P-3", "2026-12-01", stage="Intake"),  # not started in these weeks
    ]
    events = [{"tab": "projects", "record_id": "P-1", "field": "stage",
               "at": "2026-11-12T10:00:00", "old": "In Progress", "new": "Client Review"}]
    flow = tl.cumulative_flow(records, events, weeks, ("In Progress", "Client Review",
                                                      "Delivered", "Intake"))
    assert flow == {"In Progress": [1, 1, 0], "Client Review": [0, 1, 1],
                    "Delivered": [0, 0, 1], "Intake": [0, 0, 0]}
    assert tl.throughput(records, weeks) == [0, 0, 1]
    assert tl.last_weeks(TODAY, 3) == [date(2026, 11, 9), date(2026, 11, 16), MONDAY]
