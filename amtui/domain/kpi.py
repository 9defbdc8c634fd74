"""KPI scorecard: per manager and for the team, one period, against targets, with trends.

Usage::

    from datetime import date
    from amtui.domain.kpi import KpiEngine, compute_kpis, most_off_target
    from amtui.domain.period import Period

    table = compute_kpis(records_by_tab, Period.parse("2026-Q4"), today=date(2026, 11, 26),
                         default_targets={"csat": 4.2, "on_time": 90, "revenue": 0,
                                          "response_hours": 24})
    table.rows[0].kpis["csat"].display      # '4.3 (12)'
    table.team.kpis["on_time"].status       # 'at risk'
    worst = most_off_target(table)

    # The UI steps through periods: keep one engine, it caches parsed records and stats.
    engine = KpiEngine(records_by_tab, default_targets)
    q4 = engine.table(Period.parse("2026-Q4"), today=date(2026, 11, 26))
    q3 = engine.table(Period.parse("2026-Q3"), today=date(2026, 11, 26))   # mostly cached

Definitions (PRODUCT.md, made exact):

* **csat** — mean Rating (1..5) of feedback with Source = Client and Received in the
  period; **csat_count** — how many such ratings. Evidence: ratings <= 3.
* **on_time** — of projects with Delivered in the period (not Cancelled, readable Due),
  the percent with Delivered <= Due. A delivered project with an unreadable Due cannot be
  judged and is left out. Evidence: the late projects.
* **completion** — denominator: projects with Due in the period, not Cancelled;
  numerator: those of them with a Delivered date on or before the period's end (delivered
  early, in an earlier period, counts). Stage Delivered without a Delivered date does not
  count (the date is the evidence). Nothing due → no data. Evidence: the due projects not
  delivered. Target only if ``default_targets["completion"]`` is given.
* **revenue** — sum of readable Value of projects delivered in the period (not
  Cancelled); a sum, so 0 when nothing was delivered.
* **response_hours** — median hours from Received to Responded over feedback (any source)
  received in the period and responded (``facts.response_hours``): exact hours when both
  have a time (``2026-11-26 14:30``), otherwise whole days × 24. A Responded
  before Received is unreadable and skipped. **response_within** — percent of those
  responses within the manager's ``response_hours`` target. Evidence: the slow responses.
* **open_feedback, overdue, blocked, at_risk** — state at the reference date: the
  period's end, or today when the period is current (or in the future).
  For the current state: open = Status not Resolved/Closed; overdue = Due < today and
  Stage not Delivered/Cancelled; blocked / at risk = open projects with that Health.
  For a past period's end the sheet keeps no history, so it is rebuilt from dates:
  feedback received by then and not resolved by then (Resolved date <= then, or a handled
  Status with no Resolved date, counts as resolved); projects due before then and not
  delivered by then (Cancelled never counts). Health has no history, so blocked/at_risk
  are *no data* for past periods.
* **training_hours** — sum of Hours of Development rows with Status Done, Date in the
  period and Type Training, Certification or Coaching; **mentoring_sessions** — count of
  Done Mentoring rows in the period (the row's Manager is the one being developed).

Attribution: a record belongs to the manager its Manager cell resolves to (through
``RefIndex``: name, case-insensitive, or ID). Feedback with a blank Manager falls back to
its Project's manager. Records whose manager cannot be resolved are left out of every row
and of the team, and counted in ``KpiTable.unassigned``.

Rows: one per manager whose Status is not Left, plus Left managers that have data in the
period. The team row is computed from the pooled raw data of all managers (sum of
ratings / count of ratings, median of all response hours, ...), never an average of the
managers' values.

Targets (Targets tab: Manager + Period): the row for exactly that manager and period wins
(several rows: the first readable cell, in sheet order, per target). Otherwise, for a
quarter, the monthly rows of its three months are aggregated (csat, on_time,
response_hours: mean of the months that have one; revenue: sum of the months that have
one); for a month, the quarter row containing it (rates as is, revenue / 3). Otherwise the
default targets. A target that is blank everywhere, or 0 or below, means *no target*
(an explicit 0 stops the fallback). The team's target is the sum of the rows' targets
for amounts (revenue, training_hours, mentoring_sessions) and the mean of the rows'
targets for rates and hours. Extra keys in ``default_targets``
(``completion``, ``response_within``, ``training_hours``, ``mentoring_sessions``) give
those KPIs a target too.

Status (``STATUS_*``):

* value missing → ``no data``; otherwise target missing → ``no target``;
* higher is better: value >= target → on track; >= 90% of target → at risk; else off
  track;
* lower is better (response_hours): value <= target → on track; <= 125% of target → at
  risk; else off track;
* backlog counts have no target; their status uses ``BACKLOG_LIMITS`` — ``(a, b)``
  means count <= a on track, <= b at risk, else off track. The team compares the count
  per manager (count / number of rows) with the same limits.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from typing import Any

from amtui.domain.facts import is_closed_stage, is_handled, is_late, response_hours
from amtui.domain.i18n import N_, _, money_text
from amtui.domain.parse import read_date, read_number, read_rating, read_when
from amtui.domain.period import Period
from amtui.domain.text import fold
from amtui.domain.validate import RefIndex

# Status values are keys (JSON, CSV, styles): show them with status_text().
STATUS_ON = N_("on track")
STATUS_RISK = N_("at risk")
STATUS_OFF = N_("off track")
STATUS_NO_DATA = N_("no data")
STATUS_NO_TARGET = N_("no target")

TREND_LENGTH = 6
# Fraction of the target that still counts as "at risk" rather than "off track".
AT_RISK_HIGHER = 0.9
AT_RISK_LOWER = 1.25
_EPS = 1e-9

# (on-track max, at-risk max) per manager for the backlog counts, which have no target.
BACKLOG_LIMITS: dict[str, tuple[int, int]] = {
    "open_feedback": (5, 10),
    "overdue": (0, 2),
    "blocked": (0, 1),
    "at_risk": (1, 3),
}

# Ordered (key, label) pairs: the stable KPI keys and their column headings (English;
# shown through kpi_label(), which translates them).
KPI_COLUMNS: tuple[tuple[str, str], ...] = (
    ("csat", N_("CSAT")),
    ("csat_count", N_("Ratings")),
    ("on_time", N_("On-time")),
    ("completion", N_("Completion")),
    ("revenue", N_("Revenue")),
    ("response_hours", N_("Response h")),
    ("response_within", N_("In time")),
    ("open_feedback", N_("Open fb")),
    ("overdue", N_("Overdue")),
    ("blocked", N_("Blocked")),
    ("at_risk", N_("At risk")),
    ("training_hours", N_("Training h")),
    ("mentoring_sessions", N_("Mentoring")),
)
KPI_LABELS = dict(KPI_COLUMNS)
KPI_KEYS = tuple(k for k, _ in KPI_COLUMNS)
# Targets read from the Targets tab; the others only ever come from default_targets.
TARGET_KEYS = ("csat", "on_time", "revenue", "response_hours")
LOWER_IS_BETTER = frozenset({"response_hours"})
_NEVER_TARGETED = frozenset({"csat_count"})

TEAM = N_("Team")


def kpi_label(key: str) -> str:
    """A KPI's column heading in the UI language: ``CSAT`` / ``客户满意度``."""
    label = KPI_LABELS.get(key)
    return _(label) if label else key


def kpi_columns() -> list[tuple[str, str]]:
    """Ordered ``(key, label)`` pairs with the labels in the UI language."""
    return [(key, _(label)) for key, label in KPI_COLUMNS]


def status_text(status: str) -> str:
    """A status as people read it: ``on track`` / ``正常`` (the value itself stays a key)."""
    return _(status) if status else status


_TRAINING_TYPES = frozenset({"training", "certification", "coaching"})


@contextmanager
def _gc_paused():
    """Pause the cyclic GC while building many small objects.

    Parsing a large sheet allocates tens of thousands of objects next to tens of thousands
    of live record dicts; each automatic full collection walks all of them and doubled the
    run time in measurements. Nothing built here forms reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- reading canonical cell text ---------------------------------------------------------
# Valid cells hold canonical text; anything else is a value a person typed that did not
# parse, which every KPI treats as missing.



# -- manager attribution -----------------------------------------------------------------

class ManagerLookup:
    """Resolves the manager a record belongs to, with caching (shared by KPIs and standup).

        >>> recs = {"managers": [{"id": "M-1", "name": "Li Wei", "status": "Active"}],
        ...         "projects": [{"id": "P-1", "project": "Site", "manager": "li wei"}]}
        >>> look = ManagerLookup(recs)
        >>> look.manager_id("LI WEI"), look.owner_of({"manager": "", "project": "P-1"})
        ('M-1', 'M-1')
    """

    def __init__(self, records_by_tab: dict[str, list[dict]], *,
                 refs: RefIndex | None = None) -> None:
        self.records_by_tab = records_by_tab
        # Only managers and projects are looked up here; clients would be wasted work.
        self.index = refs if refs is not None else RefIndex(
            {tab: records_by_tab.get(tab, []) for tab in ("managers", "projects")})
        self.managers: list[dict] = list(records_by_tab.get("managers", []))
        self.manager_by_id: dict[str, dict] = {}
        for row in self.managers:
            rid = str(row.get("id", "")).strip()
            if rid:
                self.manager_by_id.setdefault(rid, row)
        self._mgr_cache: dict[str, str | None] = {}
        self._proj_cache: dict[str, str | None] = {}
        self._project_manager: dict[str, str | None] = {}
        for row in records_by_tab.get("projects", []):
            pid = str(row.get("id", "")).strip()
            if pid and pid not in self._project_manager:  # duplicate IDs: first row wins
                self._project_manager[pid] = self.manager_id(row.get("manager", ""))

    def manager_id(self, text: Any) -> str | None:
        """Manager ID for a name or ID as typed; None when blank or unknown."""
        key = str(text or "").strip()
        if not key:
            return None
        if key not in self._mgr_cache:
            rid = self.index.resolve("managers", key)
            self._mgr_cache[key] = rid if rid in self.manager_by_id else None
        return self._mgr_cache[key]

    def project_id(self, text: Any) -> str | None:
        """Project ID for a project name or ID as typed; None when blank or unknown."""
        key = str(text or "").strip()
        if not key:
            return None
        if key not in self._proj_cache:
            self._proj_cache[key] = self.index.resolve("projects", key)
        return self._proj_cache[key]

    def owner_of(self, row: dict) -> str | None:
        """The row's Manager; if that cell is blank, the manager of the row's Project."""
        if str(row.get("manager", "") or "").strip():
            return self.manager_id(row.get("manager"))
        pid = self.project_id(row.get("project", ""))
        return self._project_manager.get(pid) if pid else None

    def name_of(self, manager_id: str) -> str:
        """Display name of a manager ID (the ID itself if the row has no name)."""
        row = self.manager_by_id.get(manager_id, {})
        return str(row.get("name", "") or "").strip() or manager_id

    def is_left(self, manager_id: str) -> bool:
        """True when the manager's Status is Left."""
        return fold(self.manager_by_id.get(manager_id, {}).get("status")) == "left"


_BLANK = object()  # a blank cell, as opposed to a cell that names nobody known


class _Memo(dict):
    """A cache of ``parse(text)`` keyed by the text; a hit is a plain dict lookup."""

    def __init__(self, parse) -> None:
        super().__init__()
        self.parse = parse

    def __missing__(self, text: Any) -> Any:
        if not isinstance(text, str):  # cells are text; anything else is parsed uncached
            return self.parse(text)
        result = self[text] = self.parse(text)
        return result


# -- pre-parsed records ------------------------------------------------------------------

@dataclass(slots=True)
class _Proj:
    id: str
    due: date | None
    delivered: date | None
    value: float | None
    cancelled: bool
    stage_delivered: bool
    closed: bool  # facts.is_closed_stage: off the board, never overdue
    health: str


@dataclass(slots=True)
class _Fb:
    id: str
    received_day: date | None
    hours: float | None  # Received → Responded; None if either is missing or out of order
    rating: int | None
    is_client: bool
    handled_now: bool
    resolved: date | None


@dataclass(slots=True)
class _Dev:
    id: str
    day: date
    hours: float | None
    training: bool
    mentoring: bool


Month = tuple[int, int]


def _month_key(day: date) -> Month:
    return (day.year, day.month)


@dataclass(slots=True)
class _ManagerData:
    projects: list[_Proj] = field(default_factory=list)
    feedback: list[_Fb] = field(default_factory=list)
    fb_by_month: dict[Month, list[_Fb]] = field(default_factory=dict)
    delivered_by_month: dict[Month, list[_Proj]] = field(default_factory=dict)
    due_by_month: dict[Month, list[_Proj]] = field(default_factory=dict)
    dev_by_month: dict[Month, list[_Dev]] = field(default_factory=dict)
    # (from, until, id) spans for past backlog states, built on first use.
    history: tuple[list, list] | None = None


def _history(data: _ManagerData) -> tuple[list, list]:
    """Spans in which a feedback row was open / a project was open, as plain tuples.

    Open feedback at ``ref``: ``received <= ref < resolved``; a handled Status without a
    Resolved date counts as resolved since forever (its date is unknown). Overdue project
    at ``ref``: ``due < ref < delivered``; stage Delivered without a date likewise.
    """
    # Day ordinals (ints) compare several times faster than dates in these hot loops.
    never, always = date.max.toordinal(), 0
    fb_spans = []
    for f in data.feedback:
        if f.received_day is None:
            continue
        closed = f.resolved.toordinal() if f.resolved is not None else \
            always if f.handled_now else never
        fb_spans.append((f.received_day.toordinal(), closed, f.id))
    project_spans = []
    for p in data.projects:
        if p.cancelled or p.due is None:
            continue
        closed = p.delivered.toordinal() if p.delivered is not None else \
            always if p.stage_delivered else never
        project_spans.append((p.due.toordinal(), closed, p.id))
    return fb_spans, project_spans


@dataclass(slots=True)
class _Stats:
    """Raw, mergeable counts for one manager (or the team) and one period."""

    rating_sum: int = 0
    rating_n: int = 0
    low_ratings: list[str] = field(default_factory=list)
    judged: int = 0
    on_time: int = 0
    late: list[str] = field(default_factory=list)
    due_n: int = 0
    done_n: int = 0
    not_done: list[str] = field(default_factory=list)
    delivered_n: int = 0
    revenue: float = 0.0
    hours: list[float] = field(default_factory=list)
    within_n: int = 0
    within_judged: int = 0
    slow: list[str] = field(default_factory=list)
    open_fb: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    blocked: list[str] | None = None
    at_risk: list[str] | None = None
    dev_n: int = 0
    training_hours: float = 0.0
    mentoring: int = 0
    mentoring_ids: list[str] = field(default_factory=list)

    def has_data(self) -> bool:
        return bool(self.rating_n or self.delivered_n or self.due_n or self.hours
                    or self.open_fb or self.overdue or self.blocked or self.at_risk
                    or self.dev_n)

    def merge(self, other: _Stats) -> None:
        for name in ("rating_sum", "rating_n", "judged", "on_time", "due_n", "done_n",
                     "delivered_n", "revenue", "within_n", "within_judged", "dev_n",
                     "training_hours", "mentoring"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("low_ratings", "late", "not_done", "hours", "slow", "open_fb",
                     "overdue", "mentoring_ids"):
            getattr(self, name).extend(getattr(other, name))
        for name in ("blocked", "at_risk"):
            theirs = getattr(other, name)
            if theirs is not None:
                mine = getattr(self, name)
                setattr(self, name, (mine or []) + theirs)

    def values(self) -> dict[str, float | None]:
        return {
            "csat": self.rating_sum / self.rating_n if self.rating_n else None,
            "csat_count": float(self.rating_n),
            "on_time": 100.0 * self.on_time / self.judged if self.judged else None,
            "completion": 100.0 * self.done_n / self.due_n if self.due_n else None,
            "revenue": self.revenue,
            "response_hours": float(median(self.hours)) if self.hours else None,
            "response_within": (100.0 * self.within_n / self.within_judged
                                if self.within_judged else None),
            "open_feedback": float(len(self.open_fb)),
            "overdue": float(len(self.overdue)),
            "blocked": float(len(self.blocked)) if self.blocked is not None else None,
            "at_risk": float(len(self.at_risk)) if self.at_risk is not None else None,
            "training_hours": self.training_hours,
            "mentoring_sessions": float(self.mentoring),
        }

    def evidence(self) -> dict[str, list[str]]:
        return {
            "csat": self.low_ratings,
            "on_time": self.late,
            "completion": self.not_done,
            "response_hours": self.slow,
            "response_within": self.slow,
            "open_feedback": self.open_fb,
            "overdue": self.overdue,
            "blocked": self.blocked or [],
            "at_risk": self.at_risk or [],
        }


# -- result types ------------------------------------------------------------------------

@dataclass
class KpiValue:
    """One KPI for one manager (or the team) and one period.

    ``value`` is the number (percentages on a 0..100 scale, hours, money, counts) or None
    when there is no data; ``display`` is its text (``"4.3 (12)"``, ``"85%"``,
    ``"¥1,234,000"``, ``"no data"``); ``trend`` holds the values of the last
    ``TREND_LENGTH`` periods of the same kind, oldest first, ending with this one;
    ``evidence`` lists the record IDs behind a bad number.
    """

    key: str
    label: str
    value: float | None
    display: str
    target: float | None
    status: str
    trend: list[float | None] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (all fields but ``key``, which is the dict key outside)."""
        return {"label": self.label, "value": _json_number(self.value),
                "display": self.display, "target": _json_number(self.target),
                "status": self.status, "trend": [_json_number(v) for v in self.trend],
                "evidence": list(self.evidence)}


@dataclass
class ManagerKpis:
    """All KPIs of one manager (``manager_id`` None and name ``"Team"`` for the team)."""

    manager_id: str | None
    manager_name: str
    kpis: dict[str, KpiValue]

    def count(self, status: str) -> int:
        """How many KPIs have ``status``: ``row.count("off track")``."""
        return sum(1 for k in self.kpis.values() if k.status == status)

    def to_dict(self) -> dict[str, Any]:
        return {"manager_id": self.manager_id, "manager_name": self.manager_name,
                "kpis": {key: kv.to_dict() for key, kv in self.kpis.items()}}


@dataclass
class KpiTable:
    """The scorecard for one period: ``rows`` (managers by name) and the ``team`` row."""

    period: Period
    today: date
    reference_date: date
    rows: list[ManagerKpis]
    team: ManagerKpis
    trend_periods: list[Period]
    unassigned: dict[str, int] = field(default_factory=dict)

    @property
    def columns(self) -> list[tuple[str, str]]:
        """Ordered ``(key, label)`` pairs for a table UI (labels in the UI language)."""
        return kpi_columns()

    def row(self, manager_id: str) -> ManagerKpis | None:
        """The row of a manager ID, or None."""
        return next((r for r in self.rows if r.manager_id == manager_id), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict::

            {"period": "2026-Q4", "label": "Q4 2026", "kind": "quarter",
             "start": "2026-10-01", "end": "2026-12-31", "today": "2026-11-26",
             "reference_date": "2026-11-26",
             "trend_periods": ["2026-Q3" ... "2026-Q4"],          # 6, oldest first
             "columns": [{"key": "csat", "label": "CSAT"}, ...],
             "managers": [{"manager_id": "M-001", "manager_name": "Li Wei",
                           "kpis": {"csat": {"label": "CSAT", "value": 4.3,
                                             "display": "4.3 (12)", "target": 4.2,
                                             "status": "on track",
                                             "trend": [4.1, null, ...],
                                             "evidence": ["F-0012"]}, ...}}, ...],
             "team": {"manager_id": null, "manager_name": "Team", "kpis": {...}},
             "unassigned": {"projects": 2, "feedback": 0, "development": 0}}
        """
        p = self.period
        return {
            "period": str(p), "label": p.label, "kind": p.kind,
            "start": p.start.isoformat(), "end": p.end.isoformat(),
            "today": self.today.isoformat(), "reference_date": self.reference_date.isoformat(),
            "trend_periods": [str(t) for t in self.trend_periods],
            "columns": [{"key": k, "label": label} for k, label in kpi_columns()],
            "managers": [r.to_dict() for r in self.rows],
            "team": self.team.to_dict(),
            "unassigned": dict(self.unassigned),
        }


def _json_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    rounded = round(value, 4)
    return int(rounded) if rounded == int(rounded) else rounded


# -- formatting and status ---------------------------------------------------------------

def _trim(number: float, places: int = 1) -> str:
    text = f"{number:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(key: str, value: float | None, *, count: int | None = None,
                 currency: str = "¥", money: str = "full") -> str:
    """Display text of a KPI value, in the UI language (``money``: the config's money
    style, ``full`` or ``wan``).

        >>> format_value("csat", 4.25, count=12), format_value("on_time", 85.4)
        ('4.2 (12)', '85%')
        >>> format_value("revenue", 1234000), format_value("response_hours", 18.5)
        ('¥1,234,000', '18.5 h')
        >>> format_value("completion", None)
        'no data'
    """
    if value is None:
        return _(STATUS_NO_DATA)
    if key == "csat":
        return f"{value:.1f} ({count})" if count is not None else f"{value:.1f}"
    if key in ("on_time", "completion", "response_within"):
        return f"{value:.0f}%"
    if key == "revenue":
        return money_text(value, money, currency)
    if key in ("response_hours", "training_hours"):
        return _("{hours} h").format(hours=_trim(value))
    return f"{value:.0f}"


def kpi_status(key: str, value: float | None, target: float | None, *,
               managers: int = 1) -> str:
    """Status of a value against its target (rules in the module docstring).

        >>> kpi_status("csat", 4.0, 4.2), kpi_status("csat", 3.7, 4.2)
        ('at risk', 'off track')
        >>> kpi_status("response_hours", 30, 24), kpi_status("overdue", 0, None)
        ('at risk', 'on track')
    """
    if value is None:
        return STATUS_NO_DATA
    if key in BACKLOG_LIMITS:
        ok, risky = BACKLOG_LIMITS[key]
        per_manager = value / max(managers, 1)
        return STATUS_ON if per_manager <= ok else STATUS_RISK if per_manager <= risky \
            else STATUS_OFF
    if target is None or target <= 0:
        return STATUS_NO_TARGET
    # A hair of tolerance so 81 vs 90% of 90 (= 81.00000000000001) is "at risk".
    if key in LOWER_IS_BETTER:
        return STATUS_ON if value <= target + _EPS else STATUS_RISK \
            if value <= target * AT_RISK_LOWER + _EPS else STATUS_OFF
    return STATUS_ON if value >= target - _EPS else STATUS_RISK \
        if value >= target * AT_RISK_HIGHER - _EPS else STATUS_OFF


# -- the engine --------------------------------------------------------------------------

class KpiEngine:
    """Parses the records once and computes KPI tables for any period cheaply.

    Stats per (period, today) are cached, so stepping back one period recomputes one
    period, not six. The engine does not watch the records: build a new one after a sync
    or an edit (about 100 ms for 50 managers, 5,000 projects, 20,000 feedback rows).
    ``refs`` reuses a ``RefIndex`` already built from the same records (the store's).

        >>> from datetime import date
        >>> recs = {"managers": [{"id": "M-1", "name": "Li Wei", "status": "Active"}],
        ...         "feedback": [{"id": "F-1", "received": "2026-11-02", "source": "Client",
        ...                       "manager": "Li Wei", "rating": "5", "status": "Resolved",
        ...                       "responded": "2026-11-03", "resolved": "2026-11-03"}]}
        >>> engine = KpiEngine(recs, {"csat": 4.2, "response_hours": 24})
        >>> t = engine.table(Period.parse("2026-11"), today=date(2026, 11, 26))
        >>> t.rows[0].kpis["csat"].display, t.rows[0].kpis["response_hours"].status
        ('5.0 (1)', 'on track')
    """

    def __init__(self, records_by_tab: dict[str, list[dict]],
                 default_targets: dict | None = None, *, currency: str = "¥",
                 money: str = "full", refs: RefIndex | None = None) -> None:
        self.currency = currency
        self.money = money
        self.defaults: dict[str, float | None] = {}
        for key, raw in (default_targets or {}).items():
            number = read_number(raw)
            self.defaults[key] = number if number is not None and number > 0 else None
        # Sheets repeat the same few hundred dates and choices: parse each text once.
        self._date, self._moment, self._choice = (_Memo(read_date), _Memo(read_when),
                                                  _Memo(fold))
        self.unassigned = {"projects": 0, "feedback": 0, "development": 0}
        with _gc_paused():
            self.lookup = ManagerLookup(records_by_tab, refs=refs)
            self._data: dict[str, _ManagerData] = {mid: _ManagerData()
                                                   for mid in self.lookup.manager_by_id}
            self._index_projects(records_by_tab.get("projects", []))
            self._index_feedback(records_by_tab.get("feedback", []))
            self._index_development(records_by_tab.get("development", []))
            self._targets = self._index_targets(records_by_tab.get("targets", []))
        self._cache: dict[tuple[Period, date], tuple[dict[str, _Stats], _Stats,
                                                     dict[str, dict]]] = {}

    # -- indexing ----------------------------------------------------------------------

    def _bucket(self, row: dict, tab: str, owner: str | None) -> _ManagerData | None:
        data = self._data.get(owner) if owner else None
        if data is None:
            self.unassigned[tab] += 1
        return data

    def _index_projects(self, rows: list[dict]) -> None:
        dates, choices, closed = self._date, self._choice, _Memo(is_closed_stage)
        for row in rows:
            data = self._bucket(row, "projects", self.lookup.manager_id(row.get("manager")))
            if data is None:
                continue
            stage = choices[row.get("stage", "")]
            p = _Proj(str(row.get("id", "")), dates[row.get("due", "")],
                      dates[row.get("delivered", "")], read_number(row.get("value")),
                      stage == "cancelled", stage == "delivered", closed[row.get("stage", "")],
                      choices[row.get("health", "")])
            data.projects.append(p)
            if p.cancelled:
                continue
            if p.delivered:
                data.delivered_by_month.setdefault(_month_key(p.delivered), []).append(p)
            if p.due:
                data.due_by_month.setdefault(_month_key(p.due), []).append(p)

    def _index_feedback(self, rows: list[dict]) -> None:
        # The hottest loop (20,000 rows in the large demo): cached lookups, few calls.
        dates, moments, choices = self._date, self._moment, self._choice
        ratings, handled = _Memo(read_rating), _Memo(is_handled)
        lookup, data_of = self.lookup, self._data.get
        owners = _Memo(lambda text: lookup.manager_id(text) if str(text or "").strip()
                       else _BLANK)
        for row in rows:
            owner = owners[row.get("manager", "")]
            if owner is _BLANK:
                owner = lookup.owner_of(row)  # blank Manager: the project's manager
            data = data_of(owner) if owner else None
            if data is None:
                self.unassigned["feedback"] += 1
                continue
            received = moments[row.get("received", "")]
            responded = moments[row.get("responded", "")]
            hours = (response_hours(received, responded)
                     if received is not None and responded is not None else None)
            f = _Fb(str(row.get("id", "")),
                    received.date() if isinstance(received, datetime) else received, hours,
                    ratings[row.get("rating", "")], choices[row.get("source", "")] == "client",
                    handled[row.get("status", "")], dates[row.get("resolved", "")])
            data.feedback.append(f)
            if received is not None:
                data.fb_by_month.setdefault((received.year, received.month), []).append(f)

    def _index_development(self, rows: list[dict]) -> None:
        for row in rows:
            data = self._bucket(row, "development", self.lookup.manager_id(row.get("manager")))
            if data is None:
                continue
            day = read_date(row.get("date"))
            kind = fold(row.get("type"))
            if day is None or fold(row.get("status")) != "done":
                continue  # only completed, dated activities count
            hours = read_number(row.get("hours"))
            d = _Dev(id=str(row.get("id", "")), day=day,
                     hours=hours if hours is not None and hours >= 0 else None,
                     training=kind in _TRAINING_TYPES, mentoring=kind == "mentoring")
            if d.training or d.mentoring:
                data.dev_by_month.setdefault(_month_key(day), []).append(d)

    def _index_targets(self, rows: list[dict]) -> dict[tuple[str, Period], dict[str, float]]:
        found: dict[tuple[str, Period], dict[str, float]] = {}
        for row in rows:
            mid = self.lookup.manager_id(row.get("manager"))
            period = Period.try_parse(row.get("period", ""))
            if mid is None or period is None:
                continue
            slot = found.setdefault((mid, period), {})
            for key in TARGET_KEYS:
                number = read_number(row.get(key))
                if number is not None and key not in slot:  # first readable cell wins
                    slot[key] = number
        return found

    # -- targets -----------------------------------------------------------------------

    def targets_for(self, manager_id: str, period: Period) -> dict[str, float | None]:
        """The manager's target per KPI key for the period (None: no target).

        Order: the exact Targets row; monthly rows aggregated into a quarter, or the
        quarter row for a month; the default targets. A value <= 0 means no target.
        """
        exact = self._targets.get((manager_id, period), {})
        if period.kind == "quarter":
            parts = [self._targets.get((manager_id, m), {}) for m in period.months()]
        else:
            parts = [self._targets.get((manager_id, period.quarter()), {})]
        result: dict[str, float | None] = {}
        for key in TARGET_KEYS:
            if key in exact:
                value: float | None = exact[key]
            else:
                found = [p[key] for p in parts if key in p]
                if not found:
                    value = self.defaults.get(key)
                elif key == "revenue":
                    value = sum(found) if period.kind == "quarter" else found[0] / 3
                else:
                    value = sum(found) / len(found)
            result[key] = value if value is not None and value > 0 else None
        for key in KPI_KEYS:
            if key not in result:
                result[key] = None if key in _NEVER_TARGETED else self.defaults.get(key)
        return result

    @staticmethod
    def _team_targets(targets: list[dict[str, float | None]]) -> dict[str, float | None]:
        team: dict[str, float | None] = {}
        for key in KPI_KEYS:
            found = [t[key] for t in targets if t.get(key) is not None]
            if not found:
                team[key] = None
            elif key in ("revenue", "training_hours", "mentoring_sessions"):
                team[key] = float(sum(found))  # amounts add up across managers
            else:
                team[key] = sum(found) / len(found)
        return team

    # -- stats -------------------------------------------------------------------------

    def _stats(self, data: _ManagerData, period: Period, today: date,
               target_hours: float | None) -> _Stats:
        st = _Stats()
        months = [(m.year, m.number) for m in period.months()]
        end = period.end
        for month in months:
            for f in data.fb_by_month.get(month, ()):
                if f.is_client and f.rating is not None:
                    st.rating_sum += f.rating
                    st.rating_n += 1
                    if f.rating <= 3:
                        st.low_ratings.append(f.id)
                hours = f.hours
                if hours is not None:
                    st.hours.append(hours)
                    if target_hours is not None:
                        st.within_judged += 1
                        if hours <= target_hours:
                            st.within_n += 1
                        else:
                            st.slow.append(f.id)
            for p in data.delivered_by_month.get(month, ()):
                st.delivered_n += 1
                if p.value is not None:
                    st.revenue += p.value
                if p.due is not None:
                    st.judged += 1
                    if p.delivered <= p.due:  # type: ignore[operator]
                        st.on_time += 1
                    else:
                        st.late.append(p.id)
            for p in data.due_by_month.get(month, ()):
                st.due_n += 1
                if p.delivered is not None and p.delivered <= end:
                    st.done_n += 1
                else:
                    st.not_done.append(p.id)
            for d in data.dev_by_month.get(month, ()):
                st.dev_n += 1
                if d.training and d.hours is not None:
                    st.training_hours += d.hours
                elif d.mentoring:
                    st.mentoring += 1
                    st.mentoring_ids.append(d.id)
        self._backlog(st, data, min(end, today), current=end >= today)
        return st

    @staticmethod
    def _backlog(st: _Stats, data: _ManagerData, ref: date, *, current: bool) -> None:
        if current:
            st.open_fb = [f.id for f in data.feedback if not f.handled_now]
            st.blocked, st.at_risk = [], []
            for p in data.projects:
                if p.closed:
                    continue
                if is_late(p.due, p.closed, ref):
                    st.overdue.append(p.id)
                if p.health == "blocked":
                    st.blocked.append(p.id)
                elif p.health == "at risk":
                    st.at_risk.append(p.id)
            return
        # A past period's end: rebuild the state from dates (see module docstring).
        if data.history is None:
            data.history = _history(data)
        fb_spans, project_spans = data.history
        ref = ref.toordinal()  # type: ignore[assignment]
        st.open_fb = [fid for opened, closed, fid in fb_spans if opened <= ref < closed]
        st.overdue = [pid for due, closed, pid in project_spans if due < ref < closed]

    def _period(self, period: Period, today: date):
        key = (period, today)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if len(self._cache) > 256:  # a long session stepping periods: stay bounded
            self._cache.clear()
        per_manager: dict[str, _Stats] = {}
        targets: dict[str, dict] = {}
        team = _Stats()
        for mid, data in self._data.items():
            targets[mid] = self.targets_for(mid, period)
            st = self._stats(data, period, today, targets[mid]["response_hours"])
            per_manager[mid] = st
            team.merge(st)
        self._cache[key] = (per_manager, team, targets)
        return self._cache[key]

    # -- public ------------------------------------------------------------------------

    def table(self, period: Period, *, today: date, manager: str | None = None,
              trends: bool = True) -> KpiTable:
        """The KPI table for ``period``; ``manager`` (name or ID) keeps only that row.

        The team row always covers the whole team. An unknown ``manager`` gives no rows.
        ``trends=False`` leaves out the earlier periods (each KPI's trend is its own value
        only): a sixth of the work, for a view that shows no trend.
        """
        with _gc_paused():
            return self._table(period, today, manager, trends)

    def _table(self, period: Period, today: date, manager: str | None,
               trends: bool = True) -> KpiTable:
        trend_periods = period.last(TREND_LENGTH) if trends else [period]
        history = [self._period(p, today) for p in trend_periods]
        per_manager, team_stats, targets = history[-1]

        included = [mid for mid in self._data
                    if not self.lookup.is_left(mid) or per_manager[mid].has_data()]
        included.sort(key=lambda mid: (fold(self.lookup.name_of(mid)), mid))
        n_rows = len(included)

        rows = []
        wanted = self.lookup.manager_id(manager) if manager is not None else None
        for mid in included:
            if manager is not None and mid != wanted:
                continue
            trends = [h[0][mid].values() for h in history]
            rows.append(ManagerKpis(mid, self.lookup.name_of(mid),
                                    self._kpis(per_manager[mid], targets[mid], trends)))

        team_targets = self._team_targets([targets[mid] for mid in included])
        team_trends = [h[1].values() for h in history]
        team = ManagerKpis(None, _(TEAM), self._kpis(team_stats, team_targets, team_trends,
                                                    managers=n_rows))
        return KpiTable(period=period, today=today, reference_date=min(period.end, today),
                        rows=rows, team=team, trend_periods=trend_periods,
                        unassigned=dict(self.unassigned))

    def _kpis(self, st: _Stats, targets: dict, trends: list[dict], *,
              managers: int = 1) -> dict[str, KpiValue]:
        values = st.values()
        evidence = st.evidence()
        out = {}
        for key, label in kpi_columns():
            value = values[key]
            target = targets.get(key)
            out[key] = KpiValue(
                key=key, label=label, value=value,
                display=format_value(key, value, count=st.rating_n, currency=self.currency,
                                     money=self.money),
                target=target,
                status=kpi_status(key, value, target, managers=managers),
                trend=[t[key] for t in trends],
                evidence=list(evidence.get(key, ())),
            )
        return out


def compute_kpis(records_by_tab: dict[str, list[dict]], period: Period, *, today: date,
                 default_targets: dict, manager: str | None = None) -> KpiTable:
    """One-shot KPI table; prefer a :class:`KpiEngine` when computing several periods.

        >>> from datetime import date
        >>> t = compute_kpis({}, Period.parse("2026-11"), today=date(2026, 11, 26),
        ...                  default_targets={"csat": 4.2})
        >>> t.rows, t.team.kpis["csat"].display
        ([], 'no data')
    """
    engine = KpiEngine(records_by_tab, default_targets)
    return engine.table(period, today=today, manager=manager)


def most_off_target(table: KpiTable) -> ManagerKpis | None:
    """The row with the most KPIs off track (then most at risk, then by name); None if no
    rows.

        >>> most_off_target(compute_kpis({}, Period.parse("2026-11"),
        ...                 today=date(2026, 11, 26), default_targets={})) is None
        True
    """
    if not table.rows:
        return None
    return min(table.rows, key=lambda r: (-r.count(STATUS_OFF), -r.count(STATUS_RISK),
                                          fold(r.manager_name)))
