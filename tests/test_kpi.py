"""KPI scorecard on a small hand-built workspace; every expectation is computed by hand.

Today is Thu 2026-11-26, so November 2026 and Q4 2026 are current periods.
"""

import doctest
import json
import random
from datetime import date, timedelta

import pytest

from amtui.domain.kpi import (
    KPI_KEYS,
    KpiEngine,
    _Stats,
    compute_kpis,
    format_value,
    kpi_status,
    most_off_target,
)
from amtui.domain.parse import read_moment
from amtui.domain.period import Period
from amtui.domain.schema import TABS

TODAY = date(2026, 11, 26)
DEFAULTS = {"csat": 4.2, "on_time": 90, "revenue": 0, "response_hours": 24}
NOV = Period.parse("2026-11")
OCT = Period.parse("2026-10")
Q4 = Period.parse("2026-Q4")


def rec(tab, **values):
    """A record with every field of ``tab`` present, blank unless given."""
    row = dict.fromkeys(TABS[tab].keys, "")
    row.update(values)
    return row


def workspace():
    m = lambda **v: rec("managers", **v)  # noqa: E731
    p = lambda **v: rec("projects", **v)  # noqa: E731
    f = lambda **v: rec("feedback", **v)  # noqa: E731
    d = lambda **v: rec("development", **v)  # noqa: E731
    t = lambda **v: rec("targets", **v)  # noqa: E731
    return {
        "managers": [
            m(id="M-1", name="Li Wei", status="Active"),
            m(id="M-2", name="Ana Ruiz", status="Active"),
            m(id="M-3", name="Old Timer", status="Left"),  # no data: not a row
            m(id="M-4", name="Gone Guy", status="Left"),  # delivered in Nov: a row
        ],
        "projects": [
            p(id="P-1", project="Alpha", manager="Li Wei", stage="Delivered",
              due="2026-11-10", delivered="2026-11-08", value="100000"),
            p(id="P-2", project="Beta", manager="li wei", stage="Delivered",
              due="2026-11-05", delivered="2026-11-12", value="50000"),  # late
            p(id="P-3", project="Gamma", manager="Li Wei", stage="In Progress",
              due="2026-11-20", health="Blocked", blocker="waiting for assets"),  # overdue
            p(id="P-4", project="Delta", manager="Li Wei", stage="Cancelled",
              due="2026-11-15"),
            p(id="P-5", project="Eps", manager="Li Wei", stage="Delivered",
              due="next Friday", delivered="2026-11-03", value="lots"),  # unreadable
            p(id="P-6", project="Zeta", manager="Li Wei", stage="Client Review",
              due="2026-12-10", health="At risk"),
            p(id="P-7", project="Eta", manager="M-2", stage="Delivered",
              due="2026-11-30", delivered="2026-11-25", value="200000"),
            p(id="P-8", project="Theta", manager="Ana Ruiz", stage="Planning",
              due="2026-10-15"),  # overdue since October
            p(id="P-9", project="Iota", manager="Gone Guy", stage="Delivered",
              due="2026-11-01", delivered="2026-11-01", value="10000"),
            p(id="P-10", project="Kappa", manager="Nobody Known", stage="Delivered",
              due="2026-11-01", delivered="2026-11-02", value="999"),  # unassigned
            p(id="P-11", project="Lambda", manager="Li Wei", stage="Delivered",
              due="2026-11-28", delivered="2026-10-20", value="30000"),  # early, in Oct
        ],
        "feedback": [
            f(id="F-1", manager="Li Wei", source="Client", received="2026-11-02", rating="5",
              status="Resolved", responded="2026-11-03", resolved="2026-11-03"),
            f(id="F-2", manager="Li Wei", source="Client", received="2026-11-05", rating="3",
              status="New"),
            f(id="F-3", manager="Li Wei", source="Client", received="2026-11-10", rating="7",
              status="Acknowledged", responded="2026-11-13"),
            f(id="F-4", manager="Li Wei", source="Internal", received="2026-11-11 08:00",
              rating="1", status="Closed", responded="2026-11-11 14:30"),
            f(id="F-5", manager="", project="P-7", source="Client", received="2026-11-20",
              rating="4", status="Resolved", responded="2026-11-21", resolved="2026-11-21"),
            f(id="F-6", manager="Ana Ruiz", source="Client", received="2026-10-15",
              rating="2", status="Closed", responded="2026-10-16"),
            f(id="F-7", manager="Li Wei", source="Client", received="2026-11-12", rating="4",
              status="In Progress", responded="2026-11-10"),  # answered "before": skipped
        ],
        "development": [
            d(id="D-1", manager="Li Wei", type="Training", status="Done",
              date="2026-11-05", hours="4"),
            d(id="D-2", manager="Li Wei", type="Certification", status="Done",
              date="2026-11-20", hours="2.5"),
            d(id="D-3", manager="Li Wei", type="Coaching", status="Planned",
              date="2026-11-21", hours="3"),
            d(id="D-4", manager="Li Wei", type="Mentoring", status="Done",
              date="2026-11-06", hours="1"),
            d(id="D-5", manager="Li Wei", type="Mentoring", status="Done",
              date="2026-10-06"),
            d(id="D-6", manager="Li Wei", type="Training", status="Done",
              date="2026-11-07", hours="two"),
            d(id="D-7", manager="Li Wei", type="Training", status="Done",
              date="sometime", hours="8"),
        ],
        "targets": [
            t(manager="Li Wei", period="2026-11", csat="4.0", on_time="80",
              revenue="100000", response_hours="48"),
            t(manager="Li Wei", period="2026-12", csat="4.6", revenue="60000"),
            t(manager="Ana Ruiz", period="2026-Q4", csat="abc", revenue="300000"),
            t(manager="Nobody Known", period="2026-11", csat="5"),
            t(manager="Ana Ruiz", period="Q9", csat="5"),
        ],
        "reviews": [], "updates": [], "clients": [],
    }


@pytest.fixture(scope="module")
def engine():
    return KpiEngine(workspace(), DEFAULTS)


@pytest.fixture(scope="module")
def nov(engine):
    return engine.table(NOV, today=TODAY)


def kpis(table, name):
    return next(r for r in table.rows if r.manager_name == name).kpis


# -- rows ------------------------------------------------------------------------------

def test_rows_active_plus_left_with_data(nov):
    assert [r.manager_name for r in nov.rows] == ["Ana Ruiz", "Gone Guy", "Li Wei"]
    assert [r.manager_id for r in nov.rows] == ["M-2", "M-4", "M-1"]
    assert nov.unassigned == {"projects": 1, "feedback": 0, "development": 0}
    assert all(set(r.kpis) == set(KPI_KEYS) for r in nov.rows)


# -- each KPI for one manager -----------------------------------------------------------

def test_csat_client_only_bad_rating_skipped(nov):
    k = kpis(nov, "Li Wei")
    # F-1 5, F-2 3, F-7 4 (F-3 "7" unreadable, F-4 internal)
    assert k["csat"].value == pytest.approx(4.0)
    assert k["csat"].display == "4.0 (3)"
    assert k["csat_count"].value == 3
    assert k["csat"].target == 4.0 and k["csat"].status == "on track"
    assert k["csat"].evidence == ["F-2"]


def test_on_time_skips_unreadable_due(nov):
    k = kpis(nov, "Li Wei")["on_time"]
    # delivered in Nov: P-1 on time, P-2 late, P-5 due unreadable (not judged)
    assert k.value == pytest.approx(50.0) and k.display == "50%"
    assert k.target == 80 and k.status == "off track"
    assert k.evidence == ["P-2"]


def test_completion_definition(nov):
    k = kpis(nov, "Li Wei")["completion"]
    # due in Nov, not cancelled: P-1, P-2, P-3, P-11; delivered by Nov 30: P-1, P-2, P-11
    assert k.value == pytest.approx(75.0) and k.display == "75%"
    assert k.status == "no target" and k.target is None
    assert k.evidence == ["P-3"]


def test_revenue_skips_unreadable_value(nov):
    k = kpis(nov, "Li Wei")["revenue"]
    assert k.value == 150000 and k.display == "¥150,000"
    assert k.target == 100000 and k.status == "on track"


def test_response_time_median_and_share(nov):
    k = kpis(nov, "Li Wei")
    # F-1 24 h, F-3 72 h, F-4 6.5 h (times used); F-7 answered before received: skipped
    assert k["response_hours"].value == pytest.approx(24.0)
    assert k["response_hours"].display == "24 h"
    assert k["response_hours"].target == 48 and k["response_hours"].status == "on track"
    assert k["response_within"].value == pytest.approx(200 / 3)
    assert k["response_within"].display == "67%"
    assert k["response_hours"].evidence == ["F-3"]


def test_backlog_current(nov):
    li, ana = kpis(nov, "Li Wei"), kpis(nov, "Ana Ruiz")
    assert li["open_feedback"].value == 3 and li["open_feedback"].evidence == ["F-2", "F-3",
                                                                              "F-7"]
    assert li["overdue"].value == 1 and li["overdue"].evidence == ["P-3"]
    assert li["blocked"].evidence == ["P-3"] and li["blocked"].status == "at risk"
    assert li["at_risk"].evidence == ["P-6"] and li["at_risk"].status == "on track"
    assert li["overdue"].status == "at risk" and li["overdue"].target is None
    assert ana["overdue"].evidence == ["P-8"] and ana["open_feedback"].value == 0
    assert ana["open_feedback"].status == "on track"


def test_development(nov, engine):
    k = kpis(nov, "Li Wei")
    # D-1 4 h + D-2 2.5 h; D-3 planned, D-6 hours unreadable, D-7 date unreadable
    assert k["training_hours"].value == pytest.approx(6.5)
    assert k["training_hours"].display == "6.5 h"
    assert k["mentoring_sessions"].value == 1
    q4 = kpis(engine.table(Q4, today=TODAY), "Li Wei")
    assert q4["mentoring_sessions"].value == 2  # D-4 and D-5


def test_feedback_without_manager_uses_project_manager(nov):
    ana = kpis(nov, "Ana Ruiz")
    assert ana["csat"].display == "4.0 (1)"  # F-5 via P-7
    assert ana["response_hours"].value == 24 and ana["response_within"].value == 100


# -- targets ---------------------------------------------------------------------------

def test_targets_quarter_row_and_defaults(nov):
    ana = kpis(nov, "Ana Ruiz")
    assert ana["revenue"].target == pytest.approx(100000)  # Q4 row / 3
    assert ana["csat"].target == 4.2  # Q4 csat unreadable → default
    assert ana["csat"].status == "at risk"  # 4.0 >= 90% of 4.2
    assert ana["on_time"].target == 90 and ana["response_hours"].target == 24
    gone = kpis(nov, "Gone Guy")
    assert gone["revenue"].target is None and gone["revenue"].status == "no target"


def test_quarter_aggregates_monthly_targets(engine):
    q4 = engine.table(Q4, today=TODAY)
    li = kpis(q4, "Li Wei")
    assert li["csat"].target == pytest.approx(4.3)  # mean of 4.0 and 4.6
    assert li["on_time"].target == 80  # only November has one
    assert li["revenue"].target == 160000  # 100000 + 60000
    assert li["response_hours"].target == 48
    assert kpis(q4, "Ana Ruiz")["revenue"].target == 300000  # the exact Q4 row


def test_quarter_values(engine):
    li = kpis(engine.table(Q4, today=TODAY), "Li Wei")
    # delivered in Q4: P-1 ok, P-2 late, P-11 ok (Oct), P-5 not judged
    assert li["on_time"].value == pytest.approx(200 / 3)
    assert li["on_time"].status == "off track"  # 66.7 < 72
    # due in Q4: P-1, P-2, P-3, P-6, P-11 → delivered by Dec 31: 3
    assert li["completion"].value == pytest.approx(60.0)
    assert li["revenue"].value == 180000 and li["revenue"].status == "on track"
    assert li["csat"].status == "at risk"  # 4.0 vs 4.3


# -- team ------------------------------------------------------------------------------

def test_team_is_pooled_not_average(nov):
    team = nov.team.kpis
    assert nov.team.manager_id is None and nov.team.manager_name == "Team"
    assert team["csat"].value == pytest.approx(4.0) and team["csat"].display == "4.0 (4)"
    assert team["on_time"].value == pytest.approx(75.0)  # 3 of 4 judged
    assert team["completion"].value == pytest.approx(500 / 6)  # not mean(75, 100, 100)
    assert team["response_hours"].value == pytest.approx(24.0)  # median of 24,72,6.5,24
    assert team["revenue"].value == 360000
    for key in ("csat_count", "revenue", "open_feedback", "overdue", "blocked", "at_risk",
                "training_hours", "mentoring_sessions"):
        assert team[key].value == pytest.approx(sum(r.kpis[key].value for r in nov.rows)), key
    assert sorted(team["overdue"].evidence) == ["P-3", "P-8"]
    # team targets: revenue sums the rows' targets, rates are their mean
    assert team["revenue"].target == pytest.approx(200000)
    assert team["csat"].target == pytest.approx((4.0 + 4.2 + 4.2) / 3)


def test_shared_refindex_gives_same_table(nov):
    from amtui.domain.validate import RefIndex

    recs = workspace()
    again = KpiEngine(recs, DEFAULTS, refs=RefIndex(recs)).table(NOV, today=TODAY)
    assert again.to_dict() == nov.to_dict()


def test_manager_filter_keeps_whole_team(engine, nov):
    one = engine.table(NOV, today=TODAY, manager="LI WEI")
    assert [r.manager_id for r in one.rows] == ["M-1"]
    assert one.team.kpis["revenue"].value == nov.team.kpis["revenue"].value
    assert engine.table(NOV, today=TODAY, manager="Nobody").rows == []
    by_id = compute_kpis(workspace(), NOV, today=TODAY, default_targets=DEFAULTS,
                         manager="M-2")
    assert [r.manager_name for r in by_id.rows] == ["Ana Ruiz"]


# -- trends and history ----------------------------------------------------------------

def test_trend_length_and_values(nov):
    assert [str(p) for p in nov.trend_periods] == ["2026-06", "2026-07", "2026-08",
                                                   "2026-09", "2026-10", "2026-11"]
    li = kpis(nov, "Li Wei")
    assert all(len(k.trend) == 6 for k in li.values())
    assert li["csat"].trend == [None] * 5 + [pytest.approx(4.0)]
    assert li["on_time"].trend == [None] * 4 + [100.0, 50.0]  # P-11 in Oct
    assert li["blocked"].trend == [None] * 5 + [1.0]  # health has no history
    ana = kpis(nov, "Ana Ruiz")
    assert ana["overdue"].trend == [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]  # P-8 due Oct 15


def test_past_period_backlog_rebuilt_from_dates(engine):
    oct_ = engine.table(OCT, today=TODAY)
    assert oct_.reference_date == date(2026, 10, 31)
    ana = kpis(oct_, "Ana Ruiz")
    assert ana["overdue"].evidence == ["P-8"]
    assert ana["open_feedback"].value == 0  # F-6 Closed with no Resolved date
    assert ana["blocked"].value is None and ana["blocked"].status == "no data"
    li = kpis(oct_, "Li Wei")
    assert li["open_feedback"].value == 0  # nothing received by Oct 31
    # As of Nov 10: F-1 resolved Nov 3; F-2 and F-3 received and not resolved; F-4 later
    st = _Stats()
    engine._backlog(st, engine._data["M-1"], date(2026, 11, 10), current=False)
    assert st.open_fb == ["F-2", "F-3"]
    assert st.overdue == ["P-2"]  # due Nov 5, delivered Nov 12


def test_quarter_trend_is_quarters(engine):
    q4 = engine.table(Q4, today=TODAY)
    assert [str(p) for p in q4.trend_periods] == ["2025-Q3", "2025-Q4", "2026-Q1",
                                                  "2026-Q2", "2026-Q3", "2026-Q4"]


# -- empty data ------------------------------------------------------------------------

def test_empty_period_is_no_data(engine):
    t = engine.table(Period.parse("2025-03"), today=TODAY)
    li = kpis(t, "Li Wei")
    for key in ("csat", "on_time", "completion", "response_hours", "response_within"):
        assert li[key].value is None and li[key].display == "no data"
        assert li[key].status == "no data"
    assert li["revenue"].display == "¥0" and li["revenue"].status == "no target"
    ana = kpis(t, "Ana Ruiz")  # the Q4 revenue target does not reach March
    assert ana["revenue"].target is None
    assert li["csat_count"].value == 0 and li["training_hours"].display == "0 h"
    assert t.team.kpis["csat"].display == "no data"


def test_revenue_zero_against_target_is_off_track(engine):
    li = kpis(engine.table(Period.parse("2026-12"), today=TODAY), "Li Wei")
    assert li["revenue"].value == 0 and li["revenue"].target == 60000
    assert li["revenue"].status == "off track"
    assert li["csat"].target == 4.6 and li["on_time"].target == 90  # blank → default


def test_no_records_at_all():
    t = compute_kpis({}, NOV, today=TODAY, default_targets=DEFAULTS)
    assert t.rows == [] and most_off_target(t) is None
    assert t.team.kpis["on_time"].status == "no data"
    json.dumps(t.to_dict())


def test_garbage_everywhere_never_crashes():
    bad = {
        "managers": [rec("managers", id="M-1", name="Li Wei", status="")],
        "projects": [rec("projects", id="P-1", manager="Li Wei", stage="???", due="31/31",
                         delivered="2026-13-01", value="¥¥", health="very")],
        "feedback": [rec("feedback", id="F-1", manager="Li Wei", received="yesterday",
                         responded="2026-11-01", rating="4.5", source="client")],
        "development": [rec("development", manager="Li Wei", type="Mentoring", status="done",
                            date="2026-11-31", hours="-3")],
        "targets": [rec("targets", manager="Li Wei", period="2026-11", csat="0",
                        on_time="ninety", response_hours="-1")],
    }
    t = compute_kpis(bad, NOV, today=TODAY, default_targets=DEFAULTS)
    li = t.rows[0].kpis
    assert li["csat"].status == "no data" and li["csat"].target is None  # explicit 0
    assert li["on_time"].target == 90  # unreadable → default
    assert li["response_hours"].target is None  # -1 → no target
    assert li["open_feedback"].value == 1  # blank status = open now
    json.dumps(t.to_dict())


# -- status, formatting, JSON -----------------------------------------------------------

@pytest.mark.parametrize(("key", "value", "target", "status"), [
    ("on_time", 90, 90, "on track"),
    ("on_time", 81, 90, "at risk"),  # exactly 90% of target
    ("on_time", 80.9, 90, "off track"),
    ("csat", 3.78, 4.2, "at risk"),
    ("csat", 3.77, 4.2, "off track"),
    ("response_hours", 24, 24, "on track"),
    ("response_hours", 30, 24, "at risk"),  # exactly 125%
    ("response_hours", 30.1, 24, "off track"),
    ("revenue", 5, None, "no target"),
    ("revenue", 5, 0, "no target"),
    ("csat", None, 4.2, "no data"),
    ("overdue", 0, None, "on track"),
    ("overdue", 2, None, "at risk"),
    ("overdue", 3, None, "off track"),
])
def test_status_thresholds(key, value, target, status):
    assert kpi_status(key, value, target) == status


def test_team_backlog_status_per_manager():
    assert kpi_status("overdue", 4, None, managers=2) == "at risk"
    assert kpi_status("overdue", 6, None, managers=2) == "off track"


def test_format_value():
    assert format_value("revenue", 1234000) == "¥1,234,000"
    assert format_value("revenue", 1234000, currency="$") == "$1,234,000"
    assert format_value("csat", 4.25, count=12) == "4.2 (12)"
    assert format_value("on_time", 85.0) == "85%"
    assert format_value("overdue", 3.0) == "3"


def test_read_moment():
    assert read_moment("2026-11-26 14:30").hour == 14
    assert read_moment("2026-11-26").hour == 0
    assert read_moment("") is None and read_moment("soon") is None


def test_to_dict_shape(nov):
    data = json.loads(json.dumps(nov.to_dict()))
    assert data["period"] == "2026-11" and data["kind"] == "month"
    assert data["label"] == "Nov 2026" and data["reference_date"] == "2026-11-26"
    assert [c["key"] for c in data["columns"]] == list(KPI_KEYS)
    assert [m["manager_id"] for m in data["managers"]] == ["M-2", "M-4", "M-1"]
    li = data["managers"][2]["kpis"]
    assert set(li) == set(KPI_KEYS)
    assert li["on_time"] == {"label": "On-time", "value": 50, "display": "50%",
                             "target": 80, "status": "off track",
                             "trend": [None, None, None, None, 100, 50],
                             "evidence": ["P-2"]}
    assert data["team"]["manager_name"] == "Team"
    assert nov.columns[0] == ("csat", "CSAT")


def test_most_off_target(nov):
    assert most_off_target(nov).manager_name == "Li Wei"


# -- performance -----------------------------------------------------------------------

def big_workspace(seed=7):
    rnd = random.Random(seed)
    base = date(2025, 1, 1)

    def day():
        return base + timedelta(days=rnd.randrange(730))

    stages = ["Intake", "Planning", "In Progress", "Client Review", "Delivered", "On Hold",
              "Cancelled"]
    managers = [rec("managers", id=f"M-{i:03d}", name=f"Manager {i}",
                    status=rnd.choice(["Active", "Active", "On leave", "Left"]))
                for i in range(50)]
    projects = []
    for i in range(5000):
        due, stage = day(), rnd.choice(stages)
        delivered = due + timedelta(days=rnd.randrange(-10, 15))
        projects.append(rec("projects", id=f"P-{i:04d}", project=f"Project {i}",
                            manager=f"Manager {rnd.randrange(50)}", stage=stage,
                            health=rnd.choice(["On track", "At risk", "Blocked"]),
                            due=due.isoformat(), value=str(rnd.randrange(1000, 90000)),
                            delivered=delivered.isoformat() if stage == "Delivered" else ""))
    feedback = []
    for i in range(20000):
        received = day()
        responded = received + timedelta(days=rnd.randrange(4))
        feedback.append(rec("feedback", id=f"F-{i:05d}", received=received.isoformat(),
                            manager=f"Manager {rnd.randrange(50)}", project=f"P-{i % 5000:04d}",
                            source=rnd.choice(["Client", "Internal"]),
                            rating=rnd.choice(["1", "2", "3", "4", "5", ""]),
                            status=rnd.choice(["New", "Resolved", "Closed"]),
                            responded=responded.isoformat() if i % 5 else ""))
    development = [rec("development", id=f"D-{i:04d}", manager=f"Manager {rnd.randrange(50)}",
                       type=rnd.choice(["Training", "Mentoring", "Coaching"]),
                       status=rnd.choice(["Done", "Planned"]), date=day().isoformat(),
                       hours=str(rnd.randrange(1, 8))) for i in range(2000)]
    return {"managers": managers, "projects": projects, "feedback": feedback,
            "development": development, "targets": [], "reviews": [], "updates": [],
            "clients": []}


def test_large_workspace_computes_every_manager():
    # speed is measured in bench/bench_sync.py and bench/bench_kpis.py, not here
    recs = big_workspace()
    table = compute_kpis(recs, Q4, today=TODAY, default_targets=DEFAULTS)
    assert len(table.rows) >= 30 and len(table.team.kpis["csat"].trend) == 6


def test_docstring_examples():
    import amtui.domain.kpi as module

    assert doctest.testmod(module).failed == 0


def test_a_table_without_trends_has_the_same_values(engine):
    full = engine.table(NOV, today=TODAY)
    alone = engine.table(NOV, today=TODAY, trends=False)
    assert alone.trend_periods == [NOV] and len(full.trend_periods) == 6
    for with_trend, without in zip([*full.rows, full.team], [*alone.rows, alone.team],
                                   strict=True):
        assert with_trend.manager_id == without.manager_id
        for key, kpi in with_trend.kpis.items():
            assert (without.kpis[key].value, without.kpis[key].status) == (kpi.value, kpi.status)
            assert without.kpis[key].trend == [kpi.trend[-1]]
