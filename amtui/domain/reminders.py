"""Reminder rules: pure functions over the records (and today/now) that say who must be told
what, about which record, and how late it is.

Usage::

    from datetime import datetime
    from amtui.domain.reminders import RuleSettings, evaluate

    found = evaluate(store.records_by_tab(), now=datetime(2026, 11, 26, 9, 0),
                     settings=RuleSettings.default(), conflicts=store.conflicts(),
                     response_targets={"M-001": 24.0})
    for r in found:
        r.rule, r.record_id, r.manager, r.late_hours, r.key

Each :class:`Reminder` has a stable ``key``: the rule, the record and a hash of its *facts*
(the due date, the weeks late, the rating ...). The notifier sends a key once; when the facts
change (a project's due date moves, it is another week late), the key changes and the
reminder is sent again.

Rules (``RULES``; each on by default, thresholds in ``[notify.rules]``):

* ``project_overdue`` — open project (Stage not Delivered/Cancelled) with Due before today;
  re-arms every further week late (``repeat_days``).
* ``project_due_soon`` — open project due within ``days`` and Health not On track.
* ``project_blocked`` — open project with Health Blocked for more than ``days`` (since the
  event that set Blocked; without one, since its Start).
* ``feedback_response`` — open feedback with no Responded date past the manager's
  response target (hours; ``hours`` > 0 overrides the Targets tab).
* ``feedback_resolution`` — open feedback (not Resolved/Closed) received more than ``days``
  ago.
* ``complaint`` — feedback rated ``max_rating`` or less whose Status is New (not yet
  acknowledged).
* ``review_missing`` — an active manager without a Reviews row for the last ``period``
  (``quarter`` or ``month``), ``grace_days`` into the new one.
* ``training_missed`` — a Development row still Planned ``grace_days`` after its Date.
* ``sync_unresolved`` — a conflict or a problem left open more than ``hours``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from amtui.domain import schema
from amtui.domain.i18n import _
from amtui.domain.kpi import ManagerLookup
from amtui.domain.parse import read_date, read_moment, read_rating
from amtui.domain.period import Period
from amtui.domain.text import fold

# rule id -> default settings; "enabled" is implied True.
RULES: dict[str, dict[str, Any]] = {
    "project_overdue": {"repeat_days": 7},
    "project_due_soon": {"days": 3},
    "project_blocked": {"days": 3},
    "feedback_response": {"hours": 0.0},  # 0 = the manager's response target
    "feedback_resolution": {"days": 7},
    "complaint": {"max_rating": 2},
    "review_missing": {"period": "quarter", "grace_days": 14},
    "training_missed": {"grace_days": 1},
    "sync_unresolved": {"hours": 24.0},
}
# the allowed text values of a setting (the others are numbers >= 0)
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("review_missing", "period"): ("quarter", "month"),
}
DEFAULT_RESPONSE_HOURS = 24.0
_CLOSED = frozenset(fold(s) for s in schema.CLOSED_STAGES)
_HANDLED = frozenset(fold(s) for s in schema.HANDLED_STATUS)


@dataclass
class RuleSettings:
    """Which rules are on and their thresholds: ``settings.get("project_blocked", "days")``."""

    enabled: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(RULES, True))
    values: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {k: dict(v) for k, v in RULES.items()})

    @classmethod
    def default(cls) -> RuleSettings:
        return cls()

    def on(self, rule: str) -> bool:
        return self.enabled.get(rule, True)

    def get(self, rule: str, key: str) -> Any:
        return self.values.get(rule, {}).get(key, RULES[rule][key])


@dataclass(frozen=True)
class Reminder:
    """One thing to tell someone. ``late_hours`` is how far past the limit it is (0 for a
    warning ahead of time); ``tab``/``record_id``/``field`` is what to open."""

    rule: str
    tab: str
    record_id: str
    name: str  # the record as a person reads it (project name, feedback text, manager)
    manager_id: str | None
    manager: str  # responsible manager's name ("" when nobody)
    late_hours: float
    field: str = ""  # the cell that matters (``due``, ``responded``)
    facts: tuple[tuple[str, str], ...] = ()

    @cached_property
    def key(self) -> str:
        """Stable identity: the same rule, record and facts give the same key."""
        digest = hashlib.sha1(json.dumps(list(self.facts), ensure_ascii=False)
                              .encode("utf-8")).hexdigest()[:12]
        return f"{self.rule}:{self.tab}:{self.record_id}:{digest}"

    @property
    def late_days(self) -> int:
        return int(self.late_hours // 24)

    def fact(self, name: str) -> str:
        return dict(self.facts).get(name, "")

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "tab": self.tab, "record_id": self.record_id,
                "name": self.name, "manager_id": self.manager_id, "manager": self.manager,
                "late_hours": round(self.late_hours, 1), "field": self.field,
                "facts": dict(self.facts), "key": self.key}


def _facts(**values: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v)) for k, v in values.items()))


def _text(value: Any, width: int = 60) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _hours(delta: timedelta) -> float:
    return max(delta.total_seconds() / 3600.0, 0.0)


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def blocked_since(events: list[dict]) -> dict[str, datetime]:
    """Project ID -> when its Health last became Blocked, from the store's events."""
    out: dict[str, datetime] = {}
    for ev in events:
        if ev.get("tab") != "projects" or ev.get("field") != "health":
            continue
        moment = read_moment(str(ev.get("at", ""))[:19])
        if moment is None:
            continue
        if fold(ev.get("new")) == "blocked":
            out[str(ev.get("record_id"))] = moment
        else:
            out.pop(str(ev.get("record_id")), None)
    return out


def evaluate(records_by_tab: Mapping[str, list[dict]], *, now: datetime,
             settings: RuleSettings | None = None, events: list[dict] | None = None,
             conflicts: list[dict] | None = None, problems: list[dict] | None = None,
             response_targets: Mapping[str, float] | None = None,
             lookup: ManagerLookup | None = None) -> list[Reminder]:
    """Every reminder that holds at ``now``, in rule order then record ID.

    ``problems`` rows carry a ``first_seen`` ISO time (the notifier tracks it; the store's
    problems have none); ``response_targets`` maps manager ID -> response hours target.
    """
    settings = settings or RuleSettings.default()
    records = dict(records_by_tab)
    lookup = lookup or ManagerLookup(records)
    now = now.replace(tzinfo=None)
    today = now.date()
    out: list[Reminder] = []

    def who(row: dict) -> tuple[str | None, str]:
        mid = lookup.owner_of(row)
        return mid, (lookup.name_of(mid) if mid else str(row.get("manager", "") or "").strip())

    projects = [p for p in records.get("projects", []) if fold(p.get("stage")) not in _CLOSED]
    since = blocked_since(events or [])
    for p in projects:
        pid, due = str(p.get("id", "")), read_date(p.get("due"))
        mid, mname = who(p)
        name = _text(p.get("project")) or pid
        health = fold(p.get("health"))
        if due is not None and due < today and settings.on("project_overdue"):
            late = (today - due).days
            step = max(int(settings.get("project_overdue", "repeat_days")), 0)
            bucket = late // step if step else 0
            out.append(Reminder("project_overdue", "projects", pid, name, mid, mname,
                                late * 24.0, "due", _facts(due=due, bucket=bucket)))
        elif (due is not None and settings.on("project_due_soon") and health != "on track"
              and today <= due <= today + timedelta(
                  days=int(settings.get("project_due_soon", "days")))):
            out.append(Reminder("project_due_soon", "projects", pid, name, mid, mname, 0.0,
                                "due", _facts(due=due, health=p.get("health", ""))))
        if health == "blocked" and settings.on("project_blocked"):
            start = since.get(pid)
            if start is None:
                start_day = read_date(p.get("start"))
                start = _midnight(start_day) if start_day else None
            limit = timedelta(days=float(settings.get("project_blocked", "days")))
            if start is not None and now - start > limit:
                out.append(Reminder("project_blocked", "projects", pid, name, mid, mname,
                                    _hours(now - start - limit), "health",
                                    _facts(since=start.date(), blocker=_text(p.get("blocker")))))

    targets = response_targets or {}
    override = float(settings.get("feedback_response", "hours") or 0)
    resolve_days = float(settings.get("feedback_resolution", "days"))
    max_rating = int(settings.get("complaint", "max_rating"))
    for f in records.get("feedback", []):
        status = fold(f.get("status"))
        if status in _HANDLED:
            continue
        fid = str(f.get("id", ""))
        received = read_moment(f.get("received"))
        mid, mname = who(f)
        name = _text(f.get("text")) or fid
        rating = read_rating(f.get("rating"))
        responded = str(f.get("responded", "") or "").strip()
        if (settings.on("complaint") and rating is not None and rating <= max_rating
                and status in ("", "new") and not responded):
            waited = _hours(now - received) if received else 0.0
            out.append(Reminder("complaint", "feedback", fid, name, mid, mname, waited,
                                "status", _facts(rating=rating, received=f.get("received", ""))))
        if received is None:
            continue
        if settings.on("feedback_response") and not responded:
            hours = override or targets.get(mid or "", DEFAULT_RESPONSE_HOURS)
            if hours > 0 and now - received > timedelta(hours=hours):
                out.append(Reminder("feedback_response", "feedback", fid, name, mid, mname,
                                    _hours(now - received - timedelta(hours=hours)),
                                    "responded", _facts(received=f.get("received"),
                                                        target=hours)))
        if settings.on("feedback_resolution") and now - received > timedelta(days=resolve_days):
            out.append(Reminder("feedback_resolution", "feedback", fid, name, mid, mname,
                                _hours(now - received - timedelta(days=resolve_days)),
                                "resolved", _facts(received=f.get("received"),
                                                   days=resolve_days)))

    if settings.on("review_missing"):
        out += _reviews_missing(records, lookup, today, settings)
    if settings.on("training_missed"):
        grace = timedelta(days=float(settings.get("training_missed", "grace_days")))
        for d in records.get("development", []):
            day = read_date(d.get("date"))
            if fold(d.get("status")) != "planned" or day is None:
                continue
            if now - _midnight(day) > grace + timedelta(days=1):  # the day itself counts
                mid, mname = who(d)
                out.append(Reminder("training_missed", "development", str(d.get("id", "")),
                                    _text(d.get("title")) or str(d.get("type", "")), mid, mname,
                                    _hours(now - _midnight(day) - timedelta(days=1)), "status",
                                    _facts(date=day)))
    if settings.on("sync_unresolved"):
        out += _sync_unresolved(records, lookup, now, conflicts or [], problems or [], settings)
    order = {rule: i for i, rule in enumerate(RULES)}
    return sorted(out, key=lambda r: (order[r.rule], r.tab, r.record_id))


def _reviews_missing(records, lookup: ManagerLookup, today: date,
                     settings: RuleSettings) -> list[Reminder]:
    kind = str(settings.get("review_missing", "period"))
    current = Period.of(kind, today)
    last = current.prev()
    if (today - current.start).days < int(settings.get("review_missing", "grace_days")):
        return []
    done: set[str] = set()
    for r in records.get("reviews", []):
        mid = lookup.manager_id(r.get("manager"))
        period = Period.try_parse(str(r.get("period", "") or ""))
        day = read_date(r.get("date"))
        if mid and ((period is not None and (period == last or last.contains(period.start)
                                             and last.contains(period.end)))
                    or (period is None and last.contains(day))):
            done.add(mid)
    out = []
    for m in lookup.managers:
        mid = str(m.get("id", "")).strip()
        if not mid or mid in done or fold(m.get("status")) not in ("active", ""):
            continue
        start = read_date(m.get("start_date"))
        if start is not None and start > last.start:  # joined during the period
            continue
        late = (today - last.end).days - 1
        out.append(Reminder("review_missing", "managers", mid, lookup.name_of(mid), mid,
                            lookup.name_of(mid), late * 24.0, "", _facts(period=str(last))))
    return out


def _sync_unresolved(records, lookup: ManagerLookup, now: datetime, conflicts: list[dict],
                     problems: list[dict], settings: RuleSettings) -> list[Reminder]:
    limit = timedelta(hours=float(settings.get("sync_unresolved", "hours")))
    out = []
    by_id = {tab: {str(r.get("id")): r for r in records.get(tab, [])}
             for tab in ("projects", "feedback")}

    def owner(tab: str, rid: str) -> tuple[str | None, str]:
        row = by_id.get(tab, {}).get(rid)
        mid = lookup.owner_of(row) if row else None
        return mid, lookup.name_of(mid) if mid else ""

    for c in conflicts:
        found = read_moment(str(c.get("found_at", ""))[:19])
        if found is None or now - found <= limit:
            continue
        tab, rid = str(c.get("tab")), str(c.get("record_id"))
        mid, mname = owner(tab, rid)
        out.append(Reminder("sync_unresolved", tab, rid,
                            _("conflict #{id}").format(id=c.get("id")), mid, mname,
                            _hours(now - found - limit), str(c.get("field", "")),
                            _facts(conflict=c.get("id"), field=c.get("field", ""))))
    for p in problems:
        seen = read_moment(str(p.get("first_seen", ""))[:19])
        if seen is None or now - seen <= limit:
            continue
        tab, rid = str(p.get("tab")), str(p.get("record_id") or "")
        mid, mname = owner(tab, rid)
        out.append(Reminder("sync_unresolved", tab, rid or str(p.get("address", "")),
                            str(p.get("address", "")), mid, mname, _hours(now - seen - limit),
                            str(p.get("field", "") or ""),
                            _facts(address=p.get("address", ""), value=p.get("value", ""))))
    return out


def problem_ref(problem: Mapping[str, Any]) -> str:
    """What identifies a problem across syncs (its cell and the value in it)."""
    return f"{problem.get('address', '')}|{problem.get('value', '')}"
