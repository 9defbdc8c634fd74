"""Every text of reminders and digests, in one place, per language.

English only for now; a ``"zh-CN"`` table with the same keys is all a translation needs
(issue 9). A key missing in a language falls back to English.

    >>> text("late.days", "en", n=3)
    '3 days late'
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "rule.project_overdue": "Project overdue",
        "rule.project_due_soon": "Project due soon and not on track",
        "rule.project_blocked": "Project blocked",
        "rule.feedback_response": "Feedback waiting for a first response",
        "rule.feedback_resolution": "Feedback not resolved",
        "rule.complaint": "Low rating not acknowledged",
        "rule.review_missing": "Review missing",
        "rule.training_missed": "Planned training past its date",
        "rule.sync_unresolved": "Sync conflict or problem unresolved",
        "late.days": "{n} days late",
        "late.hours": "{n} h late",
        "late.none": "due soon",
        "nobody": "no manager",
        "open": "open {tab} {id}",
        "open.field": "open {tab} {id} ({field})",
        "line": "{rule}: {name} — {manager}, {late}; {open}",
        "title.one": "amtui: {rule}",
        "title.many": "amtui: {n} reminders",
        "title.manager": "amtui: {n} reminders for {manager}",
        "digest.title": "amtui digest {date} ({period})",
        "digest.title.manager": "amtui digest {date} ({period}): {manager}",
        "digest.period.day": "today",
        "digest.period.week": "this week",
        "digest.team": "Team",
        "digest.due": "Due",
        "digest.late": "Late",
        "digest.blocked": "Blocked",
        "digest.waiting": "Waiting for an answer",
        "digest.kpis": "KPI movement since the last digest",
        "digest.none": "nothing",
        "digest.first": "first digest: no earlier values",
        "digest.counts": "{due} due, {late} late, {blocked} blocked, {waiting} waiting",
        "digest.due.detail": "due {due}",
        "digest.late.detail": "due {due}, {days} days late",
        "digest.blocked.detail": "{blocker}",
        "digest.waiting.detail": "received {received}, {days} days waiting",
        "held.quiet": "quiet hours until {until}",
        "held.weekday": "not a sending day ({day}); next at {until}",
    },
}


def text(key: str, language: str = "en", **values) -> str:
    table = TEXTS.get(language) or TEXTS["en"]
    template = table.get(key) or TEXTS["en"][key]
    return template.format(**values) if values else template


def pick_language(config) -> str:
    """``[notify] language``, else the UI language (``config.language``), else English."""
    wanted = config.notify.language
    if wanted == "auto":
        wanted = config.language
    return wanted if wanted in TEXTS else "en"
