"""The Timeline's layout math and the board's flow over time, without Textual.

The Timeline draws one row per project on a grid of *cells*; a cell covers ``days`` days
(1 at week zoom, 3 at month zoom, 7 at quarter zoom) counted from an origin day::

    >>> from datetime import date
    >>> scale = Scale("week", origin=date(2026, 11, 23))
    >>> scale.cell_of(date(2026, 11, 26)), scale.day_of(3)
    (3, datetime.date(2026, 11, 26))
    >>> span = project_span({"id": "P-1", "start": "2026-11-23", "due": "2026-11-25",
    ...                      "stage": "In Progress"}, today=date(2026, 11, 26))
    >>> row_cells(span, scale, 0, 6, today=date(2026, 11, 26))
    ['bar', 'bar', 'due', 'late', '', '']

``weekly_load`` counts the projects running each week (the manager's load row);
``cumulative_flow`` and ``throughput`` give the board's flow charts and the report the same
numbers. ``fit`` pads or cuts a label to a number of terminal cells without splitting a
double-width (CJK) character.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size

from amtui.domain import i18n
from amtui.domain.parse import read_date
from amtui.domain.schema import CLOSED_STAGES, DELIVERED

ZOOMS = ("week", "month", "quarter")
DAYS_PER_CELL = {"week": 1, "month": 3, "quarter": 7}
# A manager running more projects than this in a week is over-allocated (the load row).
OVERLOAD = 6

# cell kinds, in the order a later kind wins over an earlier one in the same cell
EMPTY, BAR, LATE, DUE, DONE, MILESTONE = "", "bar", "late", "due", "done", "milestone"


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` terminal cells: padded, or cut with "…" (a CJK
    character that would be cut in half is replaced by a space, never split)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    return set_cell_size(text, width - 1) + "…"


def day_of(text) -> date | None:
    """A date cell: ISO dates (what the store holds) at once, anything else the way the
    KPIs read it (5,000 projects are read on every Timeline rebuild)."""
    if not text:
        return None
    if isinstance(text, str) and len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    return read_date(text)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Scale:
    """Cells of ``DAYS_PER_CELL[zoom]`` days from ``origin`` (cell 0 starts there)."""

    zoom: str
    origin: date

    @property
    def days(self) -> int:
        return DAYS_PER_CELL[self.zoom]

    def cell_of(self, day: date) -> int:
        return (day - self.origin).days // self.days

    def day_of(self, cell: int) -> date:
        """The first day of a cell."""
        return self.origin + timedelta(days=cell * self.days)

    def labels(self, first: int, width: int) -> list[tuple[int, str]]:
        """(cell offset from ``first``, label) for the scale line: Mondays at week zoom
        (``23 Nov``), month starts at month zoom (``Nov 26``), quarter starts at quarter
        zoom (``Q4 26``), each where its first day falls."""
        out = []
        last = self.day_of(first + width)
        day = self.day_of(first)
        if self.zoom == "week":
            day = monday(day)
            if day < self.day_of(first):
                day += timedelta(days=7)
            step = lambda d: d + timedelta(days=7)  # noqa: E731
            text = _week_label
        else:
            months = 1 if self.zoom == "month" else 3
            start_month = ((day.month - 1) // months) * months + 1
            day = date(day.year, start_month, 1)
            if day < self.day_of(first):
                day = _add_months(day, months)

            def step(d: date, months: int = months) -> date:
                return _add_months(d, months)

            text = _month_label if self.zoom == "month" else _quarter_label
        while day < last:
            out.append((self.cell_of(day) - first, text(day)))
            day = step(day)
        return out


# Scale labels, each narrower than the gap to the next (a week is 7 cells at week zoom):
# 23 Nov / 11/23, Nov 26 / 26年11月, Q4 26 / 26年Q4 (the year in two digits, as in English).
def _week_label(day: date) -> str:
    return f"{day.month}/{day.day}" if i18n.is_chinese() else f"{day.day} {day:%b}"


def _month_label(day: date) -> str:
    yy = f"{day.year % 100:02d}"
    return f"{yy}年{day.month}月" if i18n.is_chinese() else f"{day:%b} {yy}"


def _quarter_label(day: date) -> str:
    return i18n._("Q{quarter} {yy}").format(quarter=(day.month - 1) // 3 + 1,
                                           yy=f"{day.year % 100:02d}")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


@dataclass(slots=True)
class Span:
    """What the Timeline draws for one project."""

    record_id: str
    start: date | None
    due: date | None
    delivered: date | None
    closed: bool  # Delivered or Cancelled
    overdue: bool  # past due and not closed
    health: str  # "", "at risk", "blocked"
    milestones: tuple[date, ...] = ()

    @property
    def first(self) -> date | None:
        return self.start or self.due or self.delivered

    def last(self, today: date) -> date | None:
        """The last day the bar covers: delivered, or today when overdue, else due."""
        ends = [d for d in (self.due, self.delivered) if d is not None]
        if self.overdue:
            ends.append(today)
        return max(ends) if ends else self.start

    def running(self, week_start: date, week_end: date, today: date) -> bool:
        first, last = self.first, self.last(today)
        return first is not None and last is not None and first <= week_end and \
            last >= week_start


def project_span(record: dict, today: date, milestones: Iterable[date] = ()) -> Span:
    stage = record.get("stage", "")
    due = day_of(record.get("due"))
    closed = stage in CLOSED_STAGES
    health = (record.get("health") or "").strip().casefold()
    return Span(
        record_id=record["id"], start=day_of(record.get("start")), due=due,
        delivered=day_of(record.get("delivered")), closed=closed,
        overdue=bool(due and due < today and not closed),
        health=health if health in ("at risk", "blocked") and not closed else "",
        milestones=tuple(sorted(set(milestones))) if milestones else (),
    )


def row_cells(span: Span, scale: Scale, first: int, width: int, *, today: date) -> list[str]:
    """The kind of each of ``width`` cells from cell ``first``: the bar from start to due,
    the late tail (due to delivered, or due to today when overdue), the due cell, the
    delivered mark and milestones."""
    cells = [EMPTY] * width

    def paint(a: date | None, b: date | None, kind: str) -> None:
        if a is None or b is None or b < a:
            return
        lo = max(scale.cell_of(a) - first, 0)
        hi = min(scale.cell_of(b) - first, width - 1)
        for i in range(lo, hi + 1):
            cells[i] = kind

    start = span.first
    paint(start, span.due or span.delivered, BAR)
    if span.due is not None:
        if span.delivered and span.delivered > span.due:
            paint(span.due + timedelta(days=1), span.delivered, LATE)
        elif span.overdue:
            paint(span.due + timedelta(days=1), today, LATE)
        paint(span.due, span.due, DUE)
    if span.delivered is not None:
        paint(span.delivered, span.delivered, DONE)
    for day in span.milestones:
        if start is None or start <= day:
            paint(day, day, MILESTONE)
    return cells


# -- rows: projects grouped by manager ----------------------------------------------------


@dataclass
class Group:
    """One manager's projects (in start order) and their spans."""

    manager: str
    spans: list[Span] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)


class Row(NamedTuple):
    """A line of the Timeline (a tuple: 5,000 of them are made on every rebuild)."""

    kind: str  # "group", "load", "project"
    group: int  # index into the groups
    index: int = -1  # project index within the group


NO_MANAGER = "(no manager)"


def manager_of(record: dict) -> str:
    return (record.get("manager") or "").strip() or NO_MANAGER


def group_projects(records: Iterable[dict], today: date,
                   milestones: dict[str, list[date]] | None = None) -> list[Group]:
    """Projects by manager (blank manager last as "(no manager)"), by start then due."""
    milestones = milestones or {}
    return group_spans((project_span(r, today, milestones.get(r["id"], ())), r)
                       for r in records)


def order_key(pair: tuple[Span, dict]) -> tuple:
    span, record = pair
    return (span.first or date.max, span.due or date.max,
            record.get("project", "").casefold(), record["id"])


def group_spans(pairs: Iterable[tuple[Span, dict]]) -> list[Group]:
    """``group_projects`` for spans already made (the screen keeps them per record)."""
    by_name: dict[str, list[tuple[Span, dict]]] = {}
    names: dict[str, str] = {}
    for pair in pairs:
        name = manager_of(pair[1])
        key = name.casefold()
        names.setdefault(key, name)
        by_name.setdefault(key, []).append(pair)
    out = []
    for key in sorted(by_name, key=lambda k: (names[k] == NO_MANAGER, k)):
        chosen = sorted(by_name[key], key=order_key)
        out.append(Group(names[key], [s for s, _ in chosen], [r for _, r in chosen]))
    return out


def layout_rows(groups: list[Group], collapsed: set[str]) -> list[Row]:
    """Rows to draw: per group its header, its load row, then (unless collapsed) one row
    per project."""
    rows: list[Row] = []
    for n, group in enumerate(groups):
        rows.append(Row("group", n))
        rows.append(Row("load", n))
        if group.manager not in collapsed:
            rows.extend(Row("project", n, i) for i in range(len(group.spans)))
    return rows


def load_per_cell(spans: Iterable[Span], scale: Scale, first: int, width: int,
                  today: date) -> list[int]:
    """Projects running in each cell's week (the week holding the cell's first day): the
    manager's load row. Closed projects count for the weeks they ran."""
    weeks: dict[date, int] = {}
    starts = [monday(scale.day_of(first + i)) for i in range(width)]
    if not starts:
        return []
    lo, hi = starts[0], starts[-1]
    ordinal = lo.toordinal()
    count = (hi - lo).days // 7 + 1
    delta = [0] * (count + 1)
    for span in spans:
        a, b = span.first, span.last(today)
        if a is None or b is None:
            continue
        a, b = monday(a), monday(b)
        if b < lo or a > hi:
            continue
        i = max((a.toordinal() - ordinal) // 7, 0)
        j = min((b.toordinal() - ordinal) // 7, count - 1)
        delta[i] += 1
        delta[j + 1] -= 1
    running = 0
    for k in range(count):
        running += delta[k]
        weeks[lo + timedelta(days=7 * k)] = running
    return [weeks[s] for s in starts]


def weekly_load(spans: Iterable[Span], weeks: list[date], today: date) -> list[int]:
    """Projects running in each week (weeks given by their Monday)."""
    spans = list(spans)
    return [sum(1 for s in spans if s.running(w, w + timedelta(days=6), today)) for w in weeks]


def milestones_from_updates(updates: Iterable[dict], projects: Iterable[dict]) -> \
        dict[str, list[date]]:
    """Dated Updates notes per project ID (the Project cell names a project or its ID)."""
    by_name: dict[str, str] = {}
    for record in projects:
        by_name[record["id"].casefold()] = record["id"]
        name = (record.get("project") or "").strip().casefold()
        if name:
            by_name.setdefault(name, record["id"])
    out: dict[str, list[date]] = {}
    for note in updates:
        day = day_of(note.get("date"))
        project = by_name.get((note.get("project") or "").strip().casefold())
        if day is not None and project is not None:
            out.setdefault(project, []).append(day)
    return out


# -- the board's flow over time --------------------------------------------------------------


def last_weeks(today: date, count: int) -> list[date]:
    """The Mondays of the last ``count`` weeks, this week last."""
    this = monday(today)
    return [this - timedelta(days=7 * (count - 1 - n)) for n in range(count)]


def stage_on(record: dict, day: date, changes: list[tuple[str, str, str]]) -> str | None:
    """The project's stage at the end of ``day``: from its recorded stage changes
    (``(iso time, old, new)``, oldest first) where there are any, else from its dates
    (before Start: not there yet; Delivered date passed: Delivered; else today's stage,
    or In Progress for a project delivered later). None: not started yet."""
    end = day.isoformat() + "T99"  # after every time of that day
    if changes:
        before = [new for at, _old, new in changes if at <= end]
        if before:
            return before[-1] or None
        first_at, old, _new = changes[0]
        start = read_date(record.get("start"))
        if start is not None and start > day:
            return None
        return old or None
    start = read_date(record.get("start"))
    delivered = read_date(record.get("delivered"))
    if start is None or start > day:
        return None
    if delivered is not None and delivered <= day:
        return DELIVERED
    stage = record.get("stage") or None
    if stage == DELIVERED:
        return "In Progress"
    return stage


def cumulative_flow(records: Iterable[dict], events: Iterable[dict], weeks: list[date],
                    stages: Iterable[str]) -> dict[str, list[int]]:
    """Projects per stage at the end of each week (``weeks`` by their Monday): the
    cumulative flow diagram. ``events`` are the store's events (stage changes count)."""
    stages = list(stages)
    changes: dict[str, list[tuple[str, str, str]]] = {}
    for event in events:
        if event.get("tab") == "projects" and event.get("field") == "stage":
            changes.setdefault(event["record_id"], []).append(
                (event["at"], event.get("old") or "", event.get("new") or ""))
    out = {stage: [0] * len(weeks) for stage in stages}
    ends = [w + timedelta(days=6) for w in weeks]
    for record in records:
        history = changes.get(record["id"], [])
        for n, end in enumerate(ends):
            stage = stage_on(record, end, history)
            if stage in out:
                out[stage][n] += 1
    return out


def throughput(records: Iterable[dict], weeks: list[date]) -> list[int]:
    """Projects delivered in each week (by their Delivered date)."""
    index = {w: n for n, w in enumerate(weeks)}
    out = [0] * len(weeks)
    for record in records:
        if record.get("stage") == "Cancelled":
            continue
        day = read_date(record.get("delivered"))
        if day is not None:
            n = index.get(monday(day))
            if n is not None:
                out[n] += 1
    return out
