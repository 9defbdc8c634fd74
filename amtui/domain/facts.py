"""What a stored record says, decided once: is a project closed or overdue, is feedback
handled, how long did a response take. The board, the standup, the KPIs and the inbox all
ask here, so they cannot disagree.

    >>> from datetime import date
    >>> is_overdue({"due": "2026-11-20", "stage": "In Progress"}, date(2026, 11, 26))
    True
    >>> is_overdue({"due": "2026-11-20", "stage": "delivered"}, date(2026, 11, 26))
    False
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from amtui.domain import schema
from amtui.domain.parse import read_date
from amtui.domain.text import fold

# schema.CLOSED_STAGES / HANDLED_STATUS as comparison keys (stored choices are canonical,
# but a value typed in the sheet may differ in case).
_CLOSED = frozenset(fold(s) for s in schema.CLOSED_STAGES)
_HANDLED = frozenset(fold(s) for s in schema.HANDLED_STATUS)


def is_closed_stage(stage: Any) -> bool:
    """Delivered or Cancelled: the project's life on the board has ended."""
    return fold(stage) in _CLOSED


def is_handled(status: Any) -> bool:
    """Resolved or Closed: the feedback needs no answer any more."""
    return fold(status) in _HANDLED


def is_late(due: date | None, closed: bool, today: date) -> bool:
    """The overdue rule: due before ``today`` and not closed (no due date: never late).

    >>> is_late(date(2026, 11, 25), False, date(2026, 11, 26)), is_late(None, False, date.max)
    (True, False)
    """
    return due is not None and due < today and not closed


def is_overdue(project: Mapping[str, Any], today: date) -> bool:
    """:func:`is_late` for a stored project record."""
    return is_late(read_date(project.get("due")), is_closed_stage(project.get("stage")), today)


def response_hours(received: date | None, responded: date | None) -> float | None:
    """Hours from Received to Responded: exact when both have a time of day, otherwise
    whole days × 24 (a date alone says nothing of the hour). None when either is missing or
    the answer is dated before the question (a typo, not a fast answer).

    >>> response_hours(datetime(2026, 12, 3, 9, 0), datetime(2026, 12, 3, 14, 30))
    5.5
    >>> response_hours(date(2026, 12, 1), datetime(2026, 12, 3, 14, 30))
    48.0
    >>> response_hours(date(2026, 12, 3), date(2026, 12, 1)) is None
    True
    """
    if received is None or responded is None:
        return None
    if isinstance(received, datetime) and isinstance(responded, datetime):
        hours = (responded - received).total_seconds() / 3600
    else:
        hours = float(((responded.date() if isinstance(responded, datetime) else responded)
                       - (received.date() if isinstance(received, datetime) else received))
                      .days * 24)
    return hours if hours >= 0 else None
