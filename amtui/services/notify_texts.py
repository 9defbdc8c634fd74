"""Every text of reminders and digests, in one place, as gettext msgids.

A reminder or a digest may go out in another language than the UI's (``[notify] language``:
a team that reads its chat in Chinese while the lead's terminal speaks English), so these
texts are looked up in the catalog of the message's language with
:func:`amtui.domain.i18n.in_language`, not the UI's ``_()``.

    >>> text("late.days", "en", n=3)
    '3 days late'
    >>> text("late.days", "zh-CN", n=3)
    '逾期3天'
    >>> day_in("zh-CN", date(2026, 12, 3)), weekday_in("zh-CN", date(2026, 12, 3))
    ('12月3日', '周四')
    >>> day_in("en", date(2026, 12, 3))
    '2026-12-03'
"""

from __future__ import annotations

from datetime import date, datetime

from amtui.domain import i18n
from amtui.domain.i18n import N_

TEXTS: dict[str, str] = {
    "rule.project_overdue": N_("Project overdue"),
    "rule.project_due_soon": N_("Project due soon and not on track"),
    "rule.project_blocked": N_("Project blocked"),
    "rule.feedback_response": N_("Feedback waiting for a first response"),
    "rule.feedback_resolution": N_("Feedback not resolved"),
    "rule.complaint": N_("Low rating not acknowledged"),
    "rule.review_missing": N_("Review missing"),
    "rule.training_missed": N_("Planned training past its date"),
    "rule.sync_unresolved": N_("Sync conflict or problem unresolved"),
    "late.days": N_("{n} days late"),
    "late.hours": N_("{n} h late"),
    "late.none": N_("due soon"),
    "nobody": N_("no manager"),
    "open": N_("open {tab} {id}"),
    "open.field": N_("open {tab} {id} ({field})"),
    "line": N_("{rule}: {name} — {manager}, {late}; {open}"),
    "title.one": N_("amtui: {rule}"),
    "title.many": N_("amtui: {n} reminders"),
    "title.manager": N_("amtui: {n} reminders for {manager}"),
    "digest.title": N_("amtui digest {date} ({period})"),
    "digest.title.manager": N_("amtui digest {date} ({period}): {manager}"),
    "digest.period.day": N_("today"),
    "digest.period.week": N_("this week"),
    "digest.team": N_("Team"),
    "digest.due": N_("Due"),
    "digest.late": N_("Late"),
    "digest.blocked": N_("Blocked"),
    "digest.waiting": N_("Waiting for an answer"),
    "digest.kpis": N_("KPI movement since the last digest"),
    "digest.none": N_("nothing"),
    "digest.first": N_("first digest: no earlier values"),
    "digest.counts": N_("{due} due, {late} late, {blocked} blocked, {waiting} waiting"),
    "digest.change": N_("{change} (was {previous})"),
    "digest.kpi": N_("{label}: {display}, {change}"),
    "digest.due.detail": N_("due {due}"),
    "digest.late.detail": N_("due {due}, {days} days late"),
    "digest.blocked.detail": "{blocker}",  # nothing to translate
    "digest.waiting.detail": N_("received {received}, {days} days waiting"),
    "held.quiet": N_("quiet hours until {until}"),
    "held.weekday": N_("not a sending day ({day}); next at {until}"),
}


def text(key: str, language: str = "en", **values) -> str:
    """The text ``key`` in ``language`` (``"en"``, ``"zh-CN"``), ``values`` filled in."""
    template = i18n.in_language(language, TEXTS[key])
    return template.format(**values) if values else template


def pick_language(config) -> str:
    """``[notify] language``; ``auto`` is the UI's language (``--lang``, else ``[ui]
    language``, else the environment), as the process speaks it now."""
    wanted = config.notify.language
    if not wanted or wanted == "auto":
        return i18n.current()
    return i18n.resolve(wanted)


# -- dates in a message's language (not necessarily the UI's) -----------------------------
# English keeps the ISO dates reminders and digests always had; Chinese reads 12月3日, 周四.

def day_in(language: str, day: date) -> str:
    """``2026-12-03`` / ``12月3日``: a message's day in its own language (English keeps
    the ISO dates reminders and digests always had)."""
    language = i18n.resolve(language)
    return day.isoformat() if language == "en" else i18n.day_text(day, language=language)


def weekday_in(language: str, day: date) -> str:
    """``Thu`` / ``周四``."""
    return i18n.weekday_text(day, language=i18n.resolve(language))


def date_in(language: str, day: date) -> str:
    """A digest's date: ``2026-12-03`` / ``12月3日 周四``."""
    if i18n.resolve(language) == "en":
        return day.isoformat()
    return f"{day_in(language, day)} {weekday_in(language, day)}"


def moment_in(language: str, moment: datetime) -> str:
    """A weekday and a time: ``Thu 08:00`` / ``周四 08:00``."""
    return f"{weekday_in(language, moment.date())} {moment:%H:%M}"
