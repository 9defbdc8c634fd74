"""People: managers with their mentor, mentees, development log and reviews, and who needs
a lead's attention (no mentor, overdue planned trainings, no review for the last quarter).

Pure logic for the People screen, the review form and anything else that asks.

    >>> from datetime import date
    >>> tenure(date(2022, 10, 3), date(2026, 11, 26))
    '4 years 1 month'
    >>> str(last_review_period(date(2026, 11, 26)))
    '2026-Q3'
    >>> str(last_review_period(date(2026, 11, 26), start=date(2026, 10, 29)))  # new this quarter
    '2026-Q4'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from amtui.domain.i18n import _, is_chinese, ngettext
from amtui.domain.parse import read_date
from amtui.domain.period import Period
from amtui.domain.schema import shown
from amtui.domain.text import fold

LEFT = "left"
NEW_STATUS = "onboarding"


class RecordSource(Protocol):
    """What :func:`load_people` reads: the store, or anything with its two calls."""

    def records(self, tab: str) -> list[dict]: ...

    def refs(self) -> Any: ...


def tenure(start: date | None, today: date) -> str:
    """``4 years 1 month``, ``20 days``: how long someone has been with the team.

    >>> tenure(None, date(2026, 11, 26)), tenure(date(2026, 12, 1), date(2026, 11, 26))
    ('start date unknown', 'starts in 5 days')
    """
    if start is None:
        return _("start date unknown")
    days = (today - start).days
    if days < 0:
        return ngettext("starts in {n} day", "starts in {n} days", -days).format(n=-days)
    if days < 60:
        return ngettext("{n} day", "{n} days", days).format(n=days)
    months = (today.year - start.year) * 12 + today.month - start.month
    if today.day < start.day:
        months -= 1
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("{n} year", "{n} years", years).format(n=years))
    if months:
        parts.append(ngettext("{n} month", "{n} months", months).format(n=months))
    return ("" if is_chinese() else " ").join(parts) or _("under a month")


def last_review_period(today: date, start: date | None = None) -> Period:
    """The period a review is expected for: the quarter before today's; for someone who
    started after that quarter ended, the quarter they started in (never a period before
    they joined)."""
    expected = Period.quarter_of(today).prev()
    if start is not None and start > expected.end:
        return Period.quarter_of(start)
    return expected


def review_period_for(manager: dict, today: date) -> Period:
    """:func:`last_review_period` for a Managers record (its Start Date)."""
    return last_review_period(today, read_date(manager.get("start_date")))


def covers(review_period_text: str, period: Period) -> bool:
    """True when a review's Period is ``period`` or a month inside it.

    >>> covers("2026-08", Period.parse("2026-Q3")), covers("2026-Q2", Period.parse("2026-Q3"))
    (True, False)
    """
    found = Period.try_parse(review_period_text or "")
    if found is None:
        return False
    return found == period or (found.kind == "month" and found.quarter() == period)


@dataclass
class Person:
    """One manager with what the People screen shows about them."""

    record: dict
    mentor_id: str | None = None
    mentees: list[str] = field(default_factory=list)  # names
    development: list[dict] = field(default_factory=list)  # newest first
    reviews: list[dict] = field(default_factory=list)  # newest first

    @property
    def id(self) -> str:
        return self.record["id"]

    @property
    def name(self) -> str:
        return self.record.get("name") or self.record["id"]

    @property
    def active(self) -> bool:
        return fold(self.record.get("status")) != LEFT

    @property
    def is_new(self) -> bool:
        """Onboarding: shown in bold, first in the "no mentor" list."""
        return fold(self.record.get("status")) == NEW_STATUS


@dataclass
class Attention:
    """Who needs a lead's attention; each entry is (manager id, record id or "", text)."""

    no_mentor: list[tuple[str, str, str]] = field(default_factory=list)
    overdue_training: list[tuple[str, str, str]] = field(default_factory=list)
    no_review: list[tuple[str, str, str]] = field(default_factory=list)
    period: Period | None = None

    def sections(self) -> list[tuple[str, list[tuple[str, str, str]], str]]:
        """``(heading, entries, kind)`` per list, the heading worded for an empty list too
        ("No review for 2026-Q3 (0)" above "nobody" read as if a review were missing).

        >>> [title for title, _items, _kind in Attention(period=Period.parse("2026-Q3"))
        ...  .sections()]
        ['No mentor: everyone has one', 'Overdue planned trainings: none', \
'Reviews for 2026-Q3: all done']
        """
        period = self.period
        named = (period.label if is_chinese() else str(period)) if period else ""
        review = _("No review for {period}").format(period=named) if period else _("No review")
        done = (_("Reviews for {period}: all done").format(period=named) if period
                else _("Reviews: all done"))
        out = []
        for heading, items, kind, empty in (
                (_("No mentor"), self.no_mentor, "mentor", _("No mentor: everyone has one")),
                (_("Overdue planned trainings"), self.overdue_training, "dev",
                 _("Overdue planned trainings: none")),
                (review, self.no_review, "review", done)):
            out.append((f"{heading} ({len(items)})" if items else empty, items, kind))
        return out


def load_people(store: RecordSource, today: date) -> tuple[list[Person], Attention]:
    """Managers (by name) with mentees, development and reviews, and the attention lists."""
    refs = store.refs()
    people = [Person(r) for r in store.records("managers")]
    people.sort(key=lambda p: (fold(p.name), p.id))
    by_id = {p.id: p for p in people}

    def owner(text: str) -> Person | None:
        rid = refs.resolve("managers", text or "")
        return by_id.get(rid) if rid else None

    for person in people:
        mentor = owner(person.record.get("mentor", ""))
        if mentor is not None:
            person.mentor_id = mentor.id
            mentor.mentees.append(person.name)
    for row in store.records("development"):
        person = owner(row.get("manager", ""))
        if person is not None:
            person.development.append(row)
    for row in store.records("reviews"):
        person = owner(row.get("manager", ""))
        if person is not None:
            person.reviews.append(row)
    for person in people:
        person.development.sort(key=lambda r: (r.get("date") or "", r["id"]), reverse=True)
        person.reviews.sort(key=lambda r: (_period_sort(r.get("period")), r.get("date") or "",
                                           r["id"]), reverse=True)

    attention = Attention(period=last_review_period(today))
    # New people first (onboarding, then the most recent start): they need a mentor most.
    for person in sorted(people, key=lambda p: (not p.is_new,
                                                _neg_date(p.record.get("start_date")))):
        if person.active and not (person.record.get("mentor") or "").strip():
            start = read_date(person.record.get("start_date"))
            status = shown(person.record.get("status") or "") or _("no status")
            attention.no_mentor.append(
                (person.id, "", f"{person.name} · {status} · {tenure(start, today)}"))
    for person in people:
        if not person.active:
            continue
        for row in person.development:
            day = read_date(row.get("date"))
            if fold(row.get("status")) == "planned" and day is not None and day < today:
                attention.overdue_training.append((
                    person.id, row["id"],
                    f"{person.name} · {row.get('date')} · "
                    f"{row.get('title') or shown(row.get('type') or '') or _('(no title)')}"))
        start = read_date(person.record.get("start_date"))
        if start is not None and start > attention.period.end:
            continue  # joined after the quarter: nothing to review yet
        if not any(covers(r.get("period", ""), attention.period) for r in person.reviews):
            last = person.reviews[0].get("period") if person.reviews else None
            attention.no_review.append((
                person.id, "", _("{name} · last review {period}").format(
                    name=person.name, period=last) if last
                else _("{name} · never reviewed").format(name=person.name)))
    # the longest overdue first
    attention.overdue_training.sort(key=lambda item: item[2].split(" · ")[1])
    return people, attention


def _period_sort(text: str | None) -> tuple:
    found = Period.try_parse(text or "")
    # A quarter sorts after its months: it is reviewed once they are all over.
    return (found.end, found.kind == "quarter") if found else (date.min, False)


def _neg_date(text: str | None) -> int:
    day = read_date(text)
    return -day.toordinal() if day else 0
