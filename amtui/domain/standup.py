"""Standup review: per manager, what changed since the last working day and what needs talking.

Usage::

    from datetime import date
    from amtui.domain.standup import build_standup, previous_working_day, render_text

    today = date(2026, 11, 30)                      # a Monday
    since = previous_working_day(today)             # Friday 2026-11-27
    standups = build_standup(store.records_by_tab(), store.events(since.isoformat()),
                             today=today, since=since)
    print(render_text(standups, today=today, since=since))

Each :class:`ManagerStandup` (one per manager whose Status is not Left, ordered by name)
has these sections, each a list of :class:`StandupItem` (record id + one line of text):

* ``changes`` — on the manager's projects since ``since`` (events on or after that day):
  stage moves, due-date changes, health changes (newly blocked, unblocked, at risk),
  reassignments, new projects, and deliveries (from events or a Delivered date since
  ``since``). Several changes of one field collapse into first old → last new; a field
  that moved and came back is not reported. Events of deleted projects cannot be
  attributed to a manager and are left out.
* ``new_feedback`` / ``resolved_feedback`` — Received / Resolved date since ``since``
  (and up to today), or a created / status-to-Resolved-or-Closed event since then.
* ``due_soon`` — open projects (not Delivered/Cancelled) due today or in the next 7 days.
* ``overdue`` — open projects due before today.
* ``blocked`` — open projects with Health Blocked, with their Blocker text.
* ``complaints`` — feedback with Category Complaint whose Status is not Resolved/Closed.
* ``latest_note`` — the newest Updates row (by Date, not after today) of the manager.

Feedback and updates with a blank Manager belong to their Project's manager (as in KPIs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from rich.cells import cell_len

from amtui.domain.facts import is_closed_stage, is_handled, is_late
from amtui.domain.i18n import N_, _, date_text, ngettext, weekday_text
from amtui.domain.kpi import ManagerLookup
from amtui.domain.parse import read_date, read_moment
from amtui.domain.schema import shown
from amtui.domain.text import clip, fold

DUE_SOON_DAYS = 7
TEXT_WIDTH = 100

_DUE_SOON = N_("Due in the next {days} days")
# (key, title): titles in English, shown through section_title() in the UI language.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("changes", N_("Changes")),
    ("new_feedback", N_("New feedback")),
    ("resolved_feedback", N_("Resolved feedback")),
    ("due_soon", _DUE_SOON.format(days=DUE_SOON_DAYS)),
    ("overdue", N_("Overdue")),
    ("blocked", N_("Blocked")),
    ("complaints", N_("Open complaints")),
)
LATEST_NOTE = N_("Latest note")


def section_title(key: str) -> str:
    """A section's title in the UI language: ``Changes`` / ``变更``."""
    if key == "due_soon":
        return _(_DUE_SOON).format(days=DUE_SOON_DAYS)
    return _(dict(SECTIONS).get(key, LATEST_NOTE if key == "latest_note" else key))


def previous_working_day(today: date) -> date:
    """The working day before ``today``; Monday (and the weekend) look back to Friday.

        >>> previous_working_day(date(2026, 11, 30))   # Monday
        datetime.date(2026, 11, 27)
        >>> previous_working_day(date(2026, 11, 26))   # Thursday
        datetime.date(2026, 11, 25)
    """
    weekday = today.weekday()
    back = {0: 3, 6: 2}.get(weekday, 1)
    return today - timedelta(days=back)


def next_working_day(day: date) -> date:
    """The working day after ``day``; Friday (and the weekend) go on to Monday.

        >>> next_working_day(date(2026, 11, 27))   # Friday
        datetime.date(2026, 11, 30)
    """
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@dataclass
class StandupItem:
    """One bullet: the record it is about, its text, and what kind of entry it is."""

    record_id: str
    text: str
    kind: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"record_id": self.record_id, "kind": self.kind, "text": self.text}


@dataclass
class ManagerStandup:
    """One manager's standup; empty lists mean nothing to say in that section."""

    manager_id: str
    manager_name: str
    changes: list[StandupItem] = field(default_factory=list)
    new_feedback: list[StandupItem] = field(default_factory=list)
    resolved_feedback: list[StandupItem] = field(default_factory=list)
    due_soon: list[StandupItem] = field(default_factory=list)
    overdue: list[StandupItem] = field(default_factory=list)
    blocked: list[StandupItem] = field(default_factory=list)
    complaints: list[StandupItem] = field(default_factory=list)
    latest_note: StandupItem | None = None

    def sections(self) -> list[tuple[str, list[StandupItem]]]:
        """Non-empty sections in display order, as ``(title, items)``."""
        out = [(section_title(key), getattr(self, key)) for key, _title in SECTIONS
               if getattr(self, key)]
        if self.latest_note is not None:
            out.append((section_title("latest_note"), [self.latest_note]))
        return out

    @property
    def is_empty(self) -> bool:
        """True when there is nothing at all to bring up."""
        return not self.sections()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"manager_id", "manager_name", <section>: [items], "latest_note"}``."""
        data: dict[str, Any] = {"manager_id": self.manager_id,
                                "manager_name": self.manager_name}
        for key, _title in SECTIONS:
            data[key] = [item.to_dict() for item in getattr(self, key)]
        data["latest_note"] = self.latest_note.to_dict() if self.latest_note else None
        return data


def _line(text: Any, width: int = TEXT_WIDTH) -> str:
    """One chat line of at most ``width`` cells: bullets must not wrap into a mess."""
    return clip(text, width)


def _blank(value: Any) -> str:
    """A value as shown in a change line; ``blank`` when there is none."""
    text = str(value or "")
    return shown(text) if text else _("blank")


def _in_window(day: date | None, since: date, today: date) -> bool:
    return day is not None and since <= day <= today


def _is_blocked(value: Any) -> bool:
    return fold(value) == "blocked"


def _project_changes(pid: str, project: dict, events: list[dict]) -> list[StandupItem]:
    """Entries for one project from its events (oldest first)."""
    name = _line(project.get("project") or pid, 60)
    first_old: dict[str, str] = {}
    last_new: dict[str, str] = {}
    created = False
    for ev in events:
        fld = str(ev.get("field", ""))
        if fld == "*":
            created = created or fold(ev.get("new")) == "created"
            continue
        first_old.setdefault(fld, str(ev.get("old") or ""))
        last_new[fld] = str(ev.get("new") or "")

    items: list[StandupItem] = []
    if created:
        items.append(StandupItem(pid, _("{name}: new project").format(name=name), "created"))

    def moved(fld: str) -> tuple[str, str] | None:
        if fld not in last_new:
            return None
        old, new = first_old[fld], last_new[fld]
        return None if fold(old) == fold(new) else (old, new)

    delivered = False
    if stage := moved("stage"):
        old, new = stage
        if fold(new) == "delivered":
            delivered = True
            when = project.get("delivered") or ""
            text = (_("{name}: delivered {day} (was {old})") if when
                    else _("{name}: delivered (was {old})"))
            items.append(StandupItem(pid, _line(text.format(name=name, day=when,
                                                            old=_blank(old))), "delivered"))
        else:
            items.append(StandupItem(pid, _line(_("{name}: stage {old} → {new}").format(
                name=name, old=_blank(old), new=shown(new))), "stage"))
    if (moved_delivery := moved("delivered")) and not delivered and moved_delivery[1]:
        delivered = True
        items.append(StandupItem(pid, _line(_("{name}: delivered {day}").format(
            name=name, day=moved_delivery[1])), "delivered"))
    if due := moved("due"):
        items.append(StandupItem(pid, _line(_("{name}: due {old} → {new}").format(
            name=name, old=_blank(due[0]), new=_blank(due[1]))), "due"))
    if health := moved("health"):
        old, new = health
        if _is_blocked(new):
            blocker = project.get("blocker") or _("no blocker given")
            items.append(StandupItem(pid, _line(_("{name}: now blocked: {blocker}").format(
                name=name, blocker=blocker)), "blocked"))
        elif _is_blocked(old):
            items.append(StandupItem(pid, _line(_("{name}: unblocked (now {new})").format(
                name=name, new=_blank(new))), "unblocked"))
        else:
            items.append(StandupItem(pid, _line(_("{name}: health {old} → {new}").format(
                name=name, old=_blank(old), new=_blank(new))), "health"))
    if owner := moved("manager"):
        items.append(StandupItem(pid, _line(_("{name}: taken over from {owner}").format(
            name=name, owner=owner[0] or _("nobody"))), "manager"))
    return items


def _feedback_text(row: dict) -> str:
    who = row.get("from_") or row.get("client") or _("someone")
    bits = [shown(b) for b in (row.get("source"), row.get("category")) if b]
    if str(row.get("rating") or "").strip():
        bits.append(_("rating {rating}").format(rating=row["rating"]))
    extra = f" ({', '.join(bits)})" if bits else ""
    return f"{who}{extra}: {row.get('text') or _('(no text)')}"


def build_standup(records_by_tab: dict[str, list[dict]], events: list[dict], *, today: date,
                  since: date, manager: str | None = None) -> list[ManagerStandup]:
    """One :class:`ManagerStandup` per manager not Left, ordered by name.

    ``events`` are store events (``at``, ``tab``, ``record_id``, ``field``, ``old``,
    ``new``, ``source``); those before ``since`` are ignored. ``manager`` (name or ID)
    keeps only that manager (any status); an unknown name gives an empty list.

        >>> recs = {"managers": [{"id": "M-1", "name": "Li Wei", "status": "Active"}],
        ...         "projects": [{"id": "P-1", "project": "Site", "manager": "Li Wei",
        ...                       "stage": "In Progress", "due": "2026-11-27", "health": ""}]}
        >>> ev = [{"at": "2026-11-25T16:02:11", "tab": "projects", "record_id": "P-1",
        ...        "field": "stage", "old": "Planning", "new": "In Progress", "source": "sheet"}]
        >>> [s] = build_standup(recs, ev, today=date(2026, 11, 26), since=date(2026, 11, 25))
        >>> s.changes[0].text, s.due_soon[0].text
        ('Site: stage Planning → In Progress', 'Site: due 2026-11-27 (tomorrow)')
    """
    lookup = ManagerLookup(records_by_tab)
    if manager is not None:
        wanted = lookup.manager_id(manager)
        ids = [wanted] if wanted else []
    else:
        ids = [mid for mid in lookup.manager_by_id if not lookup.is_left(mid)]
    ids.sort(key=lambda mid: (fold(lookup.name_of(mid)), mid))
    out = {mid: ManagerStandup(mid, lookup.name_of(mid)) for mid in ids}
    if not out:
        return []

    # Events since the day, oldest first, grouped by (tab, record).
    recent: dict[tuple[str, str], list[dict]] = {}
    for ev in events:
        at = read_moment(ev.get("at"))
        if at is None or at.date() < since:
            continue
        recent.setdefault((str(ev.get("tab")), str(ev.get("record_id"))), []).append(ev)
    for evs in recent.values():
        evs.sort(key=lambda e: str(e.get("at")))

    _projects(records_by_tab.get("projects", []), lookup, out, recent, today, since)
    _feedback(records_by_tab.get("feedback", []), lookup, out, recent, today, since)
    _notes(records_by_tab.get("updates", []), lookup, out, today)
    return list(out.values())


def _projects(rows: list[dict], lookup: ManagerLookup, out: dict[str, ManagerStandup],
              recent: dict, today: date, since: date) -> None:
    soon_end = today + timedelta(days=DUE_SOON_DAYS)
    due_soon: dict[str, list[tuple[date, StandupItem]]] = {}
    overdue: dict[str, list[tuple[date, StandupItem]]] = {}
    for row in rows:
        standup = out.get(lookup.manager_id(row.get("manager")) or "")
        if standup is None:
            continue
        pid = str(row.get("id", ""))
        stage = fold(row.get("stage"))
        closed = is_closed_stage(stage)
        delivered_on = read_date(row.get("delivered"))
        due = read_date(row.get("due"))
        blocked = _is_blocked(row.get("health"))
        evs = recent.get(("projects", pid))
        fresh = _in_window(delivered_on, since, today) and stage != "cancelled"
        if not (evs or fresh or blocked) and (closed or due is None
                                              or due > soon_end):
            continue  # most projects of a large board: nothing to say today
        name = _line(row.get("project") or pid, 60)
        changes = _project_changes(pid, row, evs) if evs else []
        if fresh and not any(c.kind == "delivered" for c in changes):
            changes.append(StandupItem(pid, _("{name}: delivered {day}").format(
                name=name, day=date_text(delivered_on)), "delivered"))
        standup.changes.extend(changes)

        if closed:
            continue
        if due is not None and today <= due <= soon_end:
            days = (due - today).days
            when = {0: _("today"), 1: _("tomorrow")}.get(days) or ngettext(
                "in {n} day", "in {n} days", days).format(n=days)
            due_soon.setdefault(standup.manager_id, []).append(
                (due, StandupItem(pid, _("{name}: due {day} ({when})").format(
                    name=name, day=date_text(due), when=when), "due_soon")))
        elif is_late(due, closed, today):
            days = (today - due).days
            overdue.setdefault(standup.manager_id, []).append(
                (due, StandupItem(pid, ngettext("{name}: due {day}, {n} day overdue",
                                                "{name}: due {day}, {n} days overdue",
                                                days).format(name=name, day=date_text(due),
                                                             n=days), "overdue")))
        if blocked:
            blocker = row.get("blocker") or _("no blocker given")
            standup.blocked.append(StandupItem(pid, _line(f"{name}: {blocker}"), "blocked"))
    # Most urgent first: soonest due, longest overdue.
    for mid, items in due_soon.items():
        out[mid].due_soon = [item for _, item in sorted(items, key=lambda x: x[0])]
    for mid, items in overdue.items():
        out[mid].overdue = [item for _, item in sorted(items, key=lambda x: x[0])]


def _feedback(rows: list[dict], lookup: ManagerLookup, out: dict[str, ManagerStandup],
              recent: dict, today: date, since: date) -> None:
    for row in rows:
        fid = str(row.get("id", ""))
        evs = recent.get(("feedback", fid), [])
        status = fold(row.get("status"))
        is_complaint = fold(row.get("category")) == "complaint" and not is_handled(status)
        received_on = read_date(row.get("received"))
        resolved_on = read_date(row.get("resolved"))
        if not (evs or is_complaint or _in_window(received_on, since, today)
                or _in_window(resolved_on, since, today)):
            continue  # the bulk of a large inbox: nothing to say, skip the owner and text
        standup = out.get(lookup.owner_of(row) or "")
        if standup is None:
            continue
        text = _feedback_text(row)
        created = any(e.get("field") == "*" and fold(e.get("new")) == "created" for e in evs)
        if created or _in_window(received_on, since, today):
            standup.new_feedback.append(StandupItem(fid, _line(text), "new_feedback"))
        handled_event = any(e.get("field") == "status" and is_handled(e.get("new"))
                            for e in evs)
        if is_handled(status) and (handled_event or _in_window(resolved_on, since, today)):
            standup.resolved_feedback.append(
                StandupItem(fid, _line(_("{status}: {text}").format(
                    status=shown(str(row.get("status") or "")), text=text)),
                            "resolved_feedback"))
        if is_complaint:
            # The status and age go last but must survive truncation of a long text.
            suffix = " " + _("[{status}, since {day}]").format(
                status=shown(str(row.get("status") or "New")), day=row.get("received") or "?")
            body = _line(text, max(TEXT_WIDTH - cell_len(suffix), 20))
            standup.complaints.append(StandupItem(fid, body + suffix, "complaint"))


def _notes(rows: list[dict], lookup: ManagerLookup, out: dict[str, ManagerStandup],
           today: date) -> None:
    latest: dict[str, tuple[date, dict]] = {}
    for row in rows:
        mid = lookup.owner_of(row)
        day = read_date(row.get("date"))
        if mid not in out or day is None or day > today:
            continue
        if mid not in latest or day >= latest[mid][0]:  # same day: the later row wins
            latest[mid] = (day, row)
    for mid, (day, row) in latest.items():
        project = f" ({row['project']})" if row.get("project") else ""
        out[mid].latest_note = StandupItem(str(row.get("id", "")),
                                           _line(f"{date_text(day)}{project}: {row.get('note') or ''}"),
                                           "note")


def _day_label(day: date) -> str:
    """``Mon 2026-11-30`` / ``周一 2026年11月30日``."""
    return f"{weekday_text(day)} {date_text(day)}"


def render_text(standups: list[ManagerStandup], *, today: date, since: date) -> str:
    """Plain text for pasting into a chat: a heading per manager, bullet lines.

    A manager with no changes and no new or resolved feedback gets a "nothing new" line
    (then any due, overdue, blocked, complaints and note sections that still apply).

        >>> print(render_text([ManagerStandup("M-1", "Li Wei")], today=date(2026, 11, 30),
        ...                   since=date(2026, 11, 27)))
        Standup Mon 2026-11-30 (changes since Fri 2026-11-27)
        <BLANKLINE>
        Li Wei
          - nothing new since Fri 2026-11-27
        <BLANKLINE>
    """
    lines = [_("Standup {today} (changes since {since})").format(
        today=_day_label(today), since=_day_label(since)), ""]
    if not standups:
        lines += [_("nothing new"), ""]
    for standup in standups:
        lines.append(standup.manager_name)
        if not (standup.changes or standup.new_feedback or standup.resolved_feedback):
            lines.append("  - " + _("nothing new since {day}").format(day=_day_label(since)))
        for title, items in standup.sections():
            lines.append("  " + _("{title}:").format(title=title))
            lines += [f"  - [{item.record_id}] {item.text}" if item.record_id
                      else f"  - {item.text}" for item in items]
        lines.append("")
    return "\n".join(lines)


def to_dict(standups: list[ManagerStandup], *, today: date, since: date) -> dict[str, Any]:
    """JSON-ready: ``{"today": "2026-11-30", "since": "2026-11-27", "managers": [...]}``."""
    return {"today": today.isoformat(), "since": since.isoformat(),
            "managers": [s.to_dict() for s in standups]}
