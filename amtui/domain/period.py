"""Reporting periods: a calendar month (``2026-11``) or quarter (``2026-Q4``).

    >>> from datetime import date
    >>> p = Period.parse("2026-Q4")
    >>> p.start, p.end
    (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    >>> str(p.prev()), p.label
    ('2026-Q3', 'Q4 2026')
    >>> str(Period.parse("2026-01").prev())
    '2025-12'
    >>> [str(x) for x in Period.parse("2026-Q1").last(3)]
    ['2025-Q3', '2025-Q4', '2026-Q1']
    >>> str(Period.month_of(date(2026, 11, 26)).toggled(date(2026, 11, 26)))
    '2026-Q4'

Periods are ordered by kind first (all months before all quarters), then in time, so a
sorted list of one kind is chronological.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from amtui.domain import i18n

MONTH = "month"
QUARTER = "quarter"

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-?[Qq]([1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    """A month (``number`` 1..12) or a quarter (``number`` 1..4) of a year.

        >>> Period(MONTH, 2026, 11) == Period.parse("2026-11")
        True
    """

    kind: str
    year: int
    number: int

    def __post_init__(self) -> None:
        top = {MONTH: 12, QUARTER: 4}.get(self.kind)
        if top is None:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if not 1 <= self.number <= top or not 1 <= self.year <= 9999:
            raise ValueError(f"bad {self.kind} {self.year}/{self.number}")

    # -- construction -------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``2026-11`` or ``2026-Q4`` (also ``2026-q4``, ``2026Q4``); ValueError if not.

            >>> Period.parse(" 2026-q4 ").label
            'Q4 2026'
        """
        s = str(text).strip()
        if m := _MONTH_RE.match(s):
            return cls(MONTH, int(m[1]), int(m[2]))
        if m := _QUARTER_RE.match(s):
            return cls(QUARTER, int(m[1]), int(m[2]))
        raise ValueError(i18n._("not a period: {text} (expected 2026-11 or 2026-Q4)")
                         .format(text=repr(text)))

    @classmethod
    def try_parse(cls, text: str) -> Period | None:
        """Like :meth:`parse` but ``None`` for text that is not a period."""
        try:
            return cls.parse(text)
        except (ValueError, TypeError):
            return None

    @classmethod
    def month_of(cls, day: date) -> Period:
        """The month containing ``day``: ``Period.month_of(date(2026, 11, 26))`` → 2026-11."""
        return cls(MONTH, day.year, day.month)

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        """The quarter containing ``day``: ``Period.quarter_of(date(2026, 11, 26))`` → 2026-Q4."""
        return cls(QUARTER, day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        """The period of ``kind`` (``"month"``/``"quarter"``) containing ``day``."""
        return cls.month_of(day) if kind == MONTH else cls.quarter_of(day)

    # -- properties ---------------------------------------------------------------------

    @property
    def start(self) -> date:
        """First day (inclusive)."""
        month = self.number if self.kind == MONTH else 3 * self.number - 2
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        """Last day (inclusive)."""
        month = self.number if self.kind == MONTH else 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        """Human label: ``Nov 2026`` or ``Q4 2026`` (in Chinese ``2026年11月`` or
        ``2026年第4季度``)."""
        if i18n.is_chinese():
            if self.kind == MONTH:
                return f"{self.year}年{self.number}月"
            return f"{self.year}年第{self.number}季度"
        if self.kind == MONTH:
            return f"{i18n.MONTH_ABBR[self.number - 1]} {self.year}"
        return f"Q{self.number} {self.year}"

    @property
    def short_label(self) -> str:
        """A chart label: ``Nov`` / ``Q4 26`` (in Chinese ``11月`` / ``26年Q4``)."""
        if self.kind == MONTH:
            return f"{self.number}月" if i18n.is_chinese() else i18n.MONTH_ABBR[self.number - 1]
        if i18n.is_chinese():
            return f"{self.year % 100:02d}年Q{self.number}"
        return f"Q{self.number} {self.year % 100:02d}"

    def __str__(self) -> str:
        if self.kind == MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        return f"{self.year:04d}-Q{self.number}"

    # -- arithmetic ---------------------------------------------------------------------

    def contains(self, day: date | None) -> bool:
        """True if ``day`` (a date or datetime) falls in the period; ``None`` → False."""
        if day is None:
            return False
        if isinstance(day, datetime):
            day = day.date()
        return self.start <= day <= self.end

    def shift(self, n: int) -> Period:
        """The period ``n`` steps later (negative: earlier), same kind."""
        per_year = 12 if self.kind == MONTH else 4
        index = self.year * per_year + (self.number - 1) + n
        return Period(self.kind, index // per_year, index % per_year + 1)

    def prev(self) -> Period:
        """The period before: ``2026-Q1`` → ``2025-Q4``."""
        return self.shift(-1)

    def next(self) -> Period:
        """The period after: ``2026-12`` → ``2027-01``."""
        return self.shift(1)

    def last(self, n: int) -> list[Period]:
        """The ``n`` periods ending with this one, oldest first (empty for ``n <= 0``)."""
        return [self.shift(i) for i in range(1 - n, 1)] if n > 0 else []

    def months(self) -> list[Period]:
        """The months of this period (itself for a month)."""
        if self.kind == MONTH:
            return [self]
        first = Period(MONTH, self.year, 3 * self.number - 2)
        return [first, first.shift(1), first.shift(2)]

    def quarter(self) -> Period:
        """The quarter containing this period (itself for a quarter)."""
        return self if self.kind == QUARTER else Period.quarter_of(self.start)

    def toggled(self, today: date) -> Period:
        """Switch month ↔ quarter.

        A month becomes the quarter containing it. A quarter becomes the month of ``today``
        when ``today`` is inside it, otherwise its last month (a closed quarter is usually
        looked at from its end).

            >>> str(Period.parse("2026-Q4").toggled(date(2026, 11, 26)))
            '2026-11'
            >>> str(Period.parse("2026-Q3").toggled(date(2026, 11, 26)))
            '2026-09'
        """
        if self.kind == MONTH:
            return self.quarter()
        if self.contains(today):
            return Period.month_of(today)
        return self.months()[-1]

    def is_current(self, today: date) -> bool:
        """True if ``today`` falls in the period."""
        return self.contains(today)

