"""Reading what people type into the sheet: dates, money, percents, ratings, choices, periods.

Every stored value in amtui is text (``""`` = blank). Each field's kind says how a person's
typing is read. A value that parses is stored in a canonical form; one that does not is kept
exactly as typed, with a reason, and never replaced.

    >>> parse_date("26 Nov 2026")
    datetime.date(2026, 11, 26)
    >>> parse_money("¥12,000"), parse_percent("0.8"), parse_period("Q4 2026")
    (12000.0, 80.0, '2026-Q4')
    >>> from amtui.domain import schema
    >>> normalize(schema.TABS["projects"].field("due"), 46352)
    Parsed(value='2026-11-26', ok=True, reason='')
    >>> to_cell(schema.TABS["projects"].field("progress"), "80")
    0.8

Decisions for ambiguous input (kept deliberately simple: never guess when two readings are
equally likely, reject with a reason instead):

* Dates: ``11/26/2026`` vs ``26/11/2026`` follow ``dayfirst`` unless one reading is
  impossible. Two-digit years are rejected. Dates outside 1950..2199 are rejected: they are
  almost always a day number typed into a date cell (``15`` → 1900-01-14).
* Money: the last of ``.``/``,`` is the decimal mark when both appear (``€1.200,50`` =
  1200.5); a lone ``,`` is a thousands separator only in groups of three (``1,200``), so
  ``12,5`` is rejected rather than guessed; a lone ``.`` is a decimal mark (``1.200`` = 1.2).
  ``12k``, ``1.5m`` and ``3万`` are read (the stored number shows what was understood).
* Percent: a bare number between 0 and 1 inclusive is a fraction (``0.8`` → 80, ``1`` → 100),
  because a percent-formatted sheet cell holds 0.8; with a ``%`` sign it is taken literally.
* Period: a full date on the 1st of a month is that month (Sheets turns a typed ``Nov 2026``
  into 2026-11-01); any other date is rejected.
* Date-times (Received, Responded): a date with a time of day is kept to the minute
  (``2026-12-03 14:30``); midnight is the date alone, because spreadsheets hand every date
  cell over as a date-time at 00:00.
* Range: a field's ``low``/``high`` (Progress 0..100 %, Value not negative) refuse a readable
  number outside them, with the range in the reason.

Two kinds of reader live here, so each idea exists once: ``parse_*`` read what a *person*
typed (lenient, raise ``ValueError`` with a reason); ``read_*`` read *stored canonical* text
(strict and cheap, None for anything else) for the KPIs, the standup and the screens.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from amtui.domain import schema
from amtui.domain.i18n import N_, _, date_text, is_chinese
from amtui.domain.rules import Rules
from amtui.domain.text import fold

# Google Sheets / Excel serial day 0 (Excel's 1900 leap-year bug is why it is not 12-31).
EPOCH = date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1950, 2199
PERCENT_MAX = 1000.0

_MONTHS = {
    name: i
    for i, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


@dataclass(frozen=True)
class Parsed:
    """The result of reading one cell: canonical ``value`` if ``ok``, else the raw text."""

    value: str
    ok: bool
    reason: str = ""


# -- helpers ---------------------------------------------------------------------------
# Reasons are worded for the person who fixes the cell, in the UI's language; the value is
# quoted as typed and never translated.


def _NOT_A_DATE() -> str:
    return _("not a date: {value} (use YYYY-MM-DD)")


def _NOT_A_TIME() -> str:
    return _("not a time: {value} (use 2026-12-03 14:30)")


def _NOT_A_PERIOD() -> str:
    return _("not a period: {value} (use 2026-11 or 2026-Q4)")


def _clean(value: Any) -> str:
    """Text to parse: NFKC folds full-width digits, ``／`` and ``￥`` to their ASCII forms."""
    text = unicodedata.normalize("NFKC", str(value)).replace("\u2212", "-")
    return " ".join(text.split())


def _is_number(value: Any) -> bool:
    # bool is an int subclass; a checkbox is not a number.
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_text(value: Any) -> str:
    """A raw cell value as the text a person saw (numbers without a trailing ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if _is_number(value):
        return fmt_number(value) if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _quote(value: Any) -> str:
    return '"' + _as_text(value) + '"'


def fmt_number(x: float) -> str:
    """Canonical numeric text: no trailing ``.0``, no exponent, no float noise.

    >>> fmt_number(120000.0), fmt_number(1200.5), fmt_number(0.1 + 0.2), fmt_number(-0.0)
    ('120000', '1200.5', '0.3', '0')
    """
    if not math.isfinite(x):
        raise ValueError(_("not a finite number: {value}").format(value=x))
    text = format(Decimal(repr(round(float(x), 10))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _whole(x: float) -> int | float:
    """An int when ``x`` is whole, so the sheet shows ``5`` and not ``5.0``."""
    return int(x) if float(x).is_integer() else x


# -- dates -----------------------------------------------------------------------------


def serial_to_date(n: float) -> date:
    """Google/Excel serial day number to a date (a fraction of a day is a time; dropped).

    >>> serial_to_date(46352)
    datetime.date(2026, 11, 26)
    """
    if not _is_number(n) or not math.isfinite(n):
        raise ValueError(_("not a serial day number: {value}").format(value=repr(n)))
    try:
        return EPOCH + timedelta(days=math.floor(n))
    except OverflowError:
        raise ValueError(
            _("serial day number out of range: {value}").format(value=repr(n))) from None


def date_to_serial(d: date) -> int:
    """A date (or datetime, date part) to its serial day number: ``2026-11-26`` → 46352."""
    if isinstance(d, datetime):
        d = d.date()
    return (d - EPOCH).days


_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?\s*(?:z|[+-]\d{2}:?\d{2})?)?"
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME, re.I)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})" + _TIME, re.I)
_CJK = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_CJK_MD = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")  # 12月3日: no year
_D_MON_Y = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([a-z]+)\.?,?[\s\-/.]*(\d{4})" + _TIME, re.I)
_MON_D_Y = re.compile(
    r"([a-z]+)\.?[\s\-/.]*(\d{1,2})(?:st|nd|rd|th)?,?[\s\-/.]*(\d{4})" + _TIME, re.I)
_Y_MON_D = re.compile(r"(\d{4})[\s\-/.]*([a-z]+)\.?[\s\-/.]*(\d{1,2})", re.I)
_COMPACT = re.compile(r"(19|20|21)(\d{2})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d+(?:\.\d+)?")
_WEEKDAY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)


def _make_date(y: int, m: int, d: int, typed: Any) -> date:
    try:
        day = date(y, m, d)
    except ValueError:
        raise ValueError(_("not a real date: {value}").format(value=_quote(typed))) from None
    return _in_range(day, typed)


def _in_range(day: date, typed: Any) -> date:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(
            _("date out of range: {value} reads as {date} (years {low} to {high}; "
              "use YYYY-MM-DD)").format(value=_quote(typed), date=day.isoformat(),
                                        low=MIN_YEAR, high=MAX_YEAR)
        )
    return day


def _from_serial(n: float, typed: Any) -> date:
    try:
        return _in_range(serial_to_date(n), typed)
    except ValueError:
        raise ValueError(_NOT_A_DATE().format(value=_quote(typed))) from None


def _month_of(name: str) -> int | None:
    return _MONTHS.get(name.lower())


def _nearest_year(month: int, day: int, today: date | None, typed: Any) -> date:
    """``12月3日`` with no year: the date of that day nearest to ``today`` (within half a
    year), so a due date typed in late December for early January lands next year."""
    today = today or date.today()
    found = None
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            day_ = date(year, month, day)
        except ValueError:
            continue
        if found is None or abs((day_ - today).days) < abs((found - today).days):
            found = day_
    if found is None:
        raise ValueError(_("not a real date: {value}").format(value=_quote(typed)))
    return found


def _date_from_text(text: str, dayfirst: bool, typed: Any, today: date | None = None
                    ) -> date | None:
    """Try each written date format; None when none matches."""
    if m := _YMD.fullmatch(text) or _CJK.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), typed)
    if m := _CJK_MD.fullmatch(text):
        return _nearest_year(int(m[1]), int(m[2]), today, typed)
    if m := _DMY.fullmatch(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        # The impossible reading loses; otherwise the configured order decides.
        day_first = a > 12 or (dayfirst and b <= 12)
        return _make_date(y, b, a, typed) if day_first else _make_date(y, a, b, typed)
    if m := _COMPACT.fullmatch(text):
        return _make_date(int(m[1] + m[2]), int(m[3]), int(m[4]), typed)
    text = _WEEKDAY.sub("", text, count=1)
    for pattern, order in ((_D_MON_Y, "dmy"), (_MON_D_Y, "mdy"), (_Y_MON_D, "ymd")):
        if (m := pattern.fullmatch(text)) is None:
            continue
        parts = dict(zip(order, m.groups(), strict=True))
        month = _month_of(parts["m"])
        if month is not None:
            return _make_date(int(parts["y"]), month, int(parts["d"]), typed)
    return None


def parse_date(value: Any, *, dayfirst: bool = False, today: date | None = None) -> date:
    """Read a date as people type it, or as the sheet stores it (a serial day number).

    >>> parse_date("2026年11月26日"), parse_date("11/26/2026"), parse_date(46352.75)
    (datetime.date(2026, 11, 26), datetime.date(2026, 11, 26), datetime.date(2026, 11, 26))
    >>> parse_date("03/04/2026", dayfirst=True)
    datetime.date(2026, 4, 3)

    Chinese typing: ``2026年12月3日``, ``2026/12/3``, full-width digits, and a day with no
    year (``12月3日``), the one nearest to ``today`` (the real date when not given):

    >>> parse_date("２０２６年１２月３日"), parse_date("1月5日", today=date(2026, 12, 20))
    (datetime.date(2026, 12, 3), datetime.date(2027, 1, 5))
    """
    if isinstance(value, datetime):
        return _in_range(value.date(), value)
    if isinstance(value, date):
        return _in_range(value, value)
    if _is_number(value):
        return _from_serial(value, value)
    if isinstance(value, str):
        text = _clean(value)
        if _SERIAL.fullmatch(text) and not _COMPACT.fullmatch(text):
            return _from_serial(float(text), value)
        found = _date_from_text(text, dayfirst, value, today)
        if found is not None:
            return found
    raise ValueError(_NOT_A_DATE().format(value=_quote(value)))


_TIME_TAIL = re.compile(
    r"(?:[ T]+|(?<=\d)T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:([ap])\.?m\.?)?"
    r"\s*(?:z|[+-]\d{2}:?\d{2})?$", re.I)


def _minute(day: date, minutes: int) -> date | datetime:
    """``day`` at ``minutes`` past midnight; midnight is the date alone (see parse_when)."""
    day += timedelta(days=minutes // 1440)
    minutes %= 1440
    if minutes == 0:
        return day
    return datetime.combine(day, time(minutes // 60, minutes % 60))


def parse_when(value: Any, *, dayfirst: bool = False, today: date | None = None
               ) -> date | datetime:
    """A date, or a date with a time of day (to the minute): what Received and Responded hold.

    Midnight is read as the date alone: a spreadsheet gives every date cell as a date-time
    at 00:00, and "no time" must not become "at midnight". Seconds are rounded to the
    minute and a time zone is dropped (the sheet has none).

    >>> parse_when("2026-12-03 14:30"), parse_when("3 Dec 2026 2:30 pm")
    (datetime.datetime(2026, 12, 3, 14, 30), datetime.datetime(2026, 12, 3, 14, 30))
    >>> parse_when(46359.604166666664), parse_when("2026-12-03")
    (datetime.datetime(2026, 12, 3, 14, 30), datetime.date(2026, 12, 3))
    >>> parse_when(datetime(2026, 12, 3, 0, 0))  # an xlsx date cell
    datetime.date(2026, 12, 3)
    """
    if isinstance(value, datetime):
        day = _in_range(value.date(), value)
        return _minute(day, value.hour * 60 + value.minute + round(value.second / 60))
    if _is_number(value) and math.isfinite(value):
        day = parse_date(value)
        return _minute(day, round((value - math.floor(value)) * 1440))
    if isinstance(value, str):
        text = _clean(value)
        if _SERIAL.fullmatch(text) and not _COMPACT.fullmatch(text):
            return parse_when(float(text))
        if m := _TIME_TAIL.search(text):
            hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
            if m[4]:  # 12-hour clock
                if not 1 <= hour <= 12:
                    raise ValueError(_NOT_A_TIME().format(value=_quote(value)))
                hour = hour % 12 + (12 if m[4].lower() == "p" else 0)
            if hour > 23 or minute > 59 or second > 59:
                raise ValueError(_NOT_A_TIME().format(value=_quote(value)))
            try:
                day = parse_date(text[: m.start()], dayfirst=dayfirst, today=today)
            except ValueError:
                raise ValueError(_("not a date and time: {value} (use 2026-12-03 14:30)").format(
                    value=_quote(value))) from None
            return _minute(day, hour * 60 + minute + round(second / 60))
    return parse_date(value, dayfirst=dayfirst, today=today)


def when_text(when: date) -> str:
    """Canonical text of a date (``2026-12-03``) or a date-time (``2026-12-03 14:30``)."""
    if isinstance(when, datetime):
        return f"{when:%Y-%m-%d %H:%M}"
    return when.isoformat()


# -- stored canonical text (the fast readers) ------------------------------------------
# Stored values are canonical text, or what a person typed that did not parse. These read
# only the canonical form (None for anything else) and are what the KPIs, the standup and
# the screens call on every record, so they must stay cheap.


def read_when(text: Any) -> date | datetime | None:
    """Stored date (``2026-11-26``) or date-time (``2026-11-26 14:30``); None otherwise.

        >>> read_when("2026-11-26"), read_when("2026-11-26 14:30")
        (datetime.date(2026, 11, 26), datetime.datetime(2026, 11, 26, 14, 30))
        >>> read_when("26/11/2026") is None
        True
    """
    if not text:
        return None
    s = text.strip() if isinstance(text, str) else str(text).strip()
    n = len(s)
    if n < 10:
        return None
    try:
        if n == 10:
            return date.fromisoformat(s)
        moment = datetime.fromisoformat(s)
    except ValueError:
        return None
    # Mixed aware/naive values cannot be subtracted; the sheet has no time zones anyway.
    moment = moment.replace(tzinfo=None)
    return moment if moment.time() != time() else moment.date()


def read_moment(text: Any) -> datetime | None:
    """Stored date or date-time as a datetime (a date alone is midnight); None if unreadable.

        >>> read_moment("2026-11-26 14:30"), read_moment("2026-11-26")
        (datetime.datetime(2026, 11, 26, 14, 30), datetime.datetime(2026, 11, 26, 0, 0))
        >>> read_moment("next Friday") is None
        True
    """
    when = read_when(text)
    if when is None or isinstance(when, datetime):
        return when
    return datetime(when.year, when.month, when.day)


def read_date(text: Any) -> date | None:
    """Stored date (the date part of a date-time) → date; None if unreadable.

        >>> read_date("2026-11-26"), read_date("2026-11-26 14:30"), read_date("26/11/2026")
        (datetime.date(2026, 11, 26), datetime.date(2026, 11, 26), None)
    """
    if text.__class__ is str and len(text) == 10:  # the hot case: a canonical date
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    when = read_when(text)
    return when.date() if isinstance(when, datetime) else when


def shown_date(text: Any) -> str:
    """A stored date as the UI shows it: ``2026年12月3日`` in Chinese; in English, and
    anything that is not a stored date, as it is.

        >>> shown_date("2026-12-03"), shown_date("next Friday"), shown_date(None)
        ('2026-12-03', 'next Friday', '')
    """
    day = read_date(text) if is_chinese() else None
    return date_text(day) if day is not None else str(text if text is not None else "")


def read_number(text: Any) -> float | None:
    """Stored number → float; None for blank or unreadable (``"1,200"``, ``"n/a"``).

        >>> read_number("1200.5"), read_number("1,200"), read_number(3)
        (1200.5, None, 3.0)
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        value = float(text)
    else:
        s = str(text or "").strip()
        if not s:
            return None
        try:
            value = float(s)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def read_rating(text: Any) -> int | None:
    """Stored rating, a whole number 1..5 → int; None otherwise (``"7"``, ``"4.5"``, blank).

        >>> read_rating("4"), read_rating("4.5")
        (4, None)
    """
    s = str(text or "").strip()
    if len(s) == 1 and "1" <= s <= "5":
        return int(s)
    return None


# -- numbers and money -----------------------------------------------------------------

_PLAIN = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_CURRENCY = (r"(?:us\$|hk\$|nt\$|s\$|a\$|c\$|rmb|cny|usd|eur|gbp|jpy|hkd|sgd|人民币|"
             r"[$¥€£元円])")
_CUR_PREFIX = re.compile(r"^" + _CURRENCY + r"\s*", re.I)
_CUR_SUFFIX = re.compile(r"\s*" + _CURRENCY + r"$", re.I)
_MULTIPLIER = re.compile(r"(?<=[\d.])\s*(k|mn|m|千|万|亿)$", re.I)
_MULTIPLIERS = {"k": 1000, "m": 1_000_000, "mn": 1_000_000, "千": 1000, "万": 10_000,
                "亿": 100_000_000}


def _grouped(int_part: str) -> bool:
    """True for plain digits or digits in thousands groups with one separator: ``1,200,000``."""
    if int_part.isdigit():
        return True
    seps = set(re.sub(r"\d", "", int_part))
    if len(seps) != 1:
        return False
    sep = re.escape(seps.pop())
    return re.fullmatch(rf"\d{{1,3}}(?:{sep}\d{{3}})+", int_part) is not None


def _decimal(text: str) -> Decimal | None:
    """Unsigned number text with optional thousands groups; None when unclear."""
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    if not re.fullmatch(r"\d[\d.,' ]*", text):
        return None
    dot, comma = text.rfind("."), text.rfind(",")
    if dot >= 0 and comma >= 0:
        mark = "." if dot > comma else ","
    else:
        mark = "." if text.count(".") == 1 else None
    int_part, frac = text.rsplit(mark, 1) if mark else (text, "")
    if (mark and not frac.isdigit()) or not _grouped(int_part):
        return None
    return Decimal(re.sub(r"\D", "", int_part) + ("." + frac if frac else ""))


def _signed(text: str, money: bool) -> Decimal | None:
    """Peel signs, accounting parentheses and (for money) currency marks, then read."""
    negative = False
    while True:
        before = text
        if len(text) > 2 and text[0] == "(" and text[-1] == ")":
            negative, text = not negative, text[1:-1].strip()
        elif text[:1] in "+-" and text:
            negative, text = negative ^ (text[0] == "-"), text[1:].strip()
        elif money:
            text = _CUR_SUFFIX.sub("", _CUR_PREFIX.sub("", text))
        if text == before:
            break
    factor = 1
    if money and (m := _MULTIPLIER.search(text)):
        factor, text = _MULTIPLIERS[m[1].lower()], text[: m.start()]
    number = _decimal(text)
    if number is None:
        return None
    number *= factor
    return -number if negative else number


# what a number of each sort is called when it cannot be read: (bare, with the example)
_NOT_NUMBER = {
    "amount": (N_("not an amount: {value}"),
               N_("not an amount: {value} (write it like 120000 or ¥120,000)")),
    "number": (N_("not a number: {value}"), N_("not a number: {value} (write it like 1200 or 4.5)")),
    "percentage": (N_("not a percentage: {value}"),
                   N_("not a percentage: {value} (write it like 80%)")),
}


def _number(value: Any, money: bool, what: str) -> float:
    if _is_number(value):
        if not math.isfinite(value):
            raise ValueError(_(_NOT_NUMBER[what][0]).format(value=_quote(value)))
        return float(value)
    number = _signed(_clean(value), money) if isinstance(value, str) else None
    if number is None:
        raise ValueError(_(_NOT_NUMBER[what][1]).format(value=_quote(value)))
    return float(number)


def parse_money(value: Any) -> float:
    """Read an amount: currency marks, thousands groups, ``(1,200)`` negatives, ``12k``.

    >>> parse_money("RMB 12,000"), parse_money("(1,200)"), parse_money("€1.200,50")
    (12000.0, -1200.0, 1200.5)
    >>> parse_money("1.5万"), parse_money("¥12万"), parse_money("12万元"), parse_money("1.2亿")
    (15000.0, 120000.0, 120000.0, 120000000.0)
    >>> parse_money("￥1,330,000"), parse_money("人民币 8,000")
    (1330000.0, 8000.0)
    """
    return _number(value, True, "amount")


def parse_number(value: Any) -> float:
    """Read a plain number (thousands groups and a leading sign allowed).

    >>> parse_number("1,234.5"), parse_number(" -3 ")
    (1234.5, -3.0)
    """
    return _number(value, False, "number")


def parse_percent(value: Any, *, fractions: bool = True) -> float:
    """Read a percentage on a 0..100 scale; bare numbers from 0 to 1 are fractions.

    ``fractions=False`` reads stored canonical text, already on the 0..100 scale, literally.

    >>> parse_percent("80%"), parse_percent(0.8), parse_percent("80"), parse_percent("0.5%")
    (80.0, 80.0, 80.0, 0.5)
    >>> parse_percent("0.5", fractions=False)
    0.5
    """
    text = _clean(value) if isinstance(value, str) else value
    has_sign = isinstance(text, str) and text.endswith("%")
    if has_sign:
        text = text[:-1].strip()
    try:
        number = Decimal(repr(float(_number(text, False, "percentage"))))
    except ValueError:
        raise ValueError(_("not a percentage: {value} (write it like 80%)").format(
            value=_quote(value))) from None
    if fractions and not has_sign and 0 <= number <= 1:
        number *= 100
    if not 0 <= number <= Decimal(PERCENT_MAX):
        raise ValueError(
            _("percentage must be between 0 and {high}% (got {value})").format(
                high=f"{PERCENT_MAX:g}", value=_quote(value))
        )
    return float(number)


_STARS_FULL = "★⭐✭✮✯"
_STARS = _STARS_FULL + "☆✩"
_RATING = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:/\s*5|stars?|星|分)?", re.I)


def parse_rating(value: Any) -> int:
    """Read a whole 1..5 rating: ``4``, ``4.0``, ``4/5``, ``★★★★☆``.

    >>> parse_rating("★★★★"), parse_rating(4.0), parse_rating("4/5")
    (4, 4, 4)
    """
    number: float | None = None
    if _is_number(value):
        number = float(value)
    elif isinstance(value, str):
        text = _clean(value).replace(" ", "")
        if text and all(c in _STARS for c in text):
            number = float(sum(c in _STARS_FULL for c in text))
        elif m := _RATING.fullmatch(text):
            number = float(m[1])
    if number is None or not math.isfinite(number):
        raise ValueError(_("not a rating: {value} (use a whole number 1 to 5)").format(
            value=_quote(value)))
    if not number.is_integer():
        raise ValueError(_("rating must be a whole number 1 to 5 (got {value})").format(
            value=_quote(value)))
    if not 1 <= number <= 5:
        raise ValueError(_("rating must be 1 to 5 (got {value})").format(value=_quote(value)))
    return int(number)


# -- choices, periods, email -----------------------------------------------------------


@lru_cache(maxsize=256)
def _choice_table(choices: tuple[str, ...], alias_items: tuple[tuple[str, str], ...]):
    table = {fold(c): c for c in choices}
    for alias, target in alias_items:
        # An alias points at a canonical spelling; an exact choice always wins.
        table.setdefault(fold(alias), table.get(fold(target), target))
    return table


def parse_choice(value: Any, choices, aliases: dict[str, str] | None = None,
                 words=None) -> str:
    """One of ``choices`` in its canonical spelling, matched loosely or through ``aliases``.

    >>> parse_choice(" in progress ", ["Intake", "In Progress"])
    'In Progress'
    >>> parse_choice("进行中", ["Intake", "In Progress"], {"进行中": "In Progress"})
    'In Progress'

    ``words`` are what the reason lists instead of ``choices`` (the sheet's own words).
    """
    table = _choice_table(tuple(choices), tuple((aliases or {}).items()))
    found = table.get(fold(_as_text(value)))
    if found is None:
        allowed = ", ".join(words or choices)
        raise ValueError(_("not one of {allowed} (got {value})").format(
            allowed=allowed, value=_quote(value)))
    return found


_P_YM = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_P_MY = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})")
_P_CN_YM = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?")
_P_YQ = re.compile(r"(\d{4})\s*(?:年)?\s*[-/., ]?\s*q\s*([1-4])", re.I)
_P_QY = re.compile(r"q\s*([1-4])\s*[-/., ]?\s*(\d{4})", re.I)
_P_CN_Q = re.compile(r"(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度?")
_P_MON_Y = re.compile(r"([a-z]+)\.?,?\s*(\d{4})", re.I)
_P_Y_MON = re.compile(r"(\d{4})\s*([a-z]+)\.?", re.I)


def _month_text(year: int, month: int, typed: Any) -> str:
    if not 1 <= month <= 12 or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_NOT_A_PERIOD().format(value=_quote(typed)))
    return f"{year:04d}-{month:02d}"


def _quarter_text(year: int, quarter: int, typed: Any) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(_NOT_A_PERIOD().format(value=_quote(typed)))
    return f"{year:04d}-Q{quarter}"


def _period_from_text(text: str, typed: Any) -> str | None:
    if m := _P_YQ.fullmatch(text) or _P_CN_Q.fullmatch(text):
        q = m[2]
        return _quarter_text(int(m[1]), _CN_DIGITS.get(q) or int(q), typed)
    if m := _P_QY.fullmatch(text):
        return _quarter_text(int(m[2]), int(m[1]), typed)
    if m := _P_YM.fullmatch(text) or _P_CN_YM.fullmatch(text):
        return _month_text(int(m[1]), int(m[2]), typed)
    if m := _P_MY.fullmatch(text):
        return _month_text(int(m[2]), int(m[1]), typed)
    if (m := _P_MON_Y.fullmatch(text)) and (month := _month_of(m[1])):
        return _month_text(int(m[2]), month, typed)
    if (m := _P_Y_MON.fullmatch(text)) and (month := _month_of(m[2])):
        return _month_text(int(m[1]), month, typed)
    return None


def parse_period(value: Any) -> str:
    """A month ``2026-11`` or a quarter ``2026-Q4`` from the ways people write them.

    >>> parse_period("2026/11"), parse_period("2026年11月"), parse_period("Nov 2026")
    ('2026-11', '2026-11', '2026-11')
    >>> parse_period("2026 Q4"), parse_period("q4 2026"), parse_period("2026年第四季度")
    ('2026-Q4', '2026-Q4', '2026-Q4')
    >>> parse_period("2026-11-01")  # Sheets stores a typed "Nov 2026" as this date
    '2026-11'
    """
    if isinstance(value, str):
        found = _period_from_text(_clean(value), value)
        if found is not None:
            return found
    try:
        day = parse_date(value)
    except ValueError:
        raise ValueError(_NOT_A_PERIOD().format(value=_quote(value))) from None
    if day.day != 1:
        raise ValueError(
            _("a period is a month (2026-11) or a quarter (2026-Q4), not a date: {value}")
            .format(value=_quote(value))
        )
    return f"{day.year:04d}-{day.month:02d}"


_EMAIL = re.compile(r"[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]+")


def parse_email(value: Any) -> str:
    """A plausible email address, surrounding spaces and a ``mailto:`` dropped.

    >>> parse_email(" li.wei@example.com ")
    'li.wei@example.com'
    """
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:].strip()
    if not _EMAIL.fullmatch(text):
        raise ValueError(_("not an email address: {value} (like name@example.com)").format(
            value=_quote(value)))
    return text


# -- whole cells -----------------------------------------------------------------------


def _default_rules() -> Rules:
    return Rules.default()


def _tab_of(field: schema.Field) -> str | None:
    """The tab a schema field belongs to, for fields passed without their tab."""
    return _FIELD_TABS.get(field) or _UNIQUE_KEY_TABS.get(field.key)


def _build_field_tabs() -> tuple[dict, dict]:
    by_field: dict[schema.Field, str] = {}
    by_key: dict[str, list[str]] = {}
    for tab in schema.TABS.values():
        for f in tab.fields:
            if f.kind == schema.CHOICE:
                by_field.setdefault(f, tab.key)
                by_key.setdefault(f.key, []).append(tab.key)
    return by_field, {k: tabs[0] for k, tabs in by_key.items() if len(tabs) == 1}


_FIELD_TABS, _UNIQUE_KEY_TABS = _build_field_tabs()


def _canonical(
    field: schema.Field, raw: Any, rules: Rules, tab: str | None, stored: bool = False
) -> str:
    """Canonical text of a non-blank value; ValueError with a reason when unreadable."""
    kind = field.kind
    if kind == schema.DATE:
        return parse_date(raw, dayfirst=rules.dayfirst, today=rules.today).isoformat()
    if kind == schema.DATETIME:
        return when_text(parse_when(raw, dayfirst=rules.dayfirst, today=rules.today))
    if kind == schema.MONEY:
        return fmt_number(parse_money(raw))
    if kind == schema.NUMBER:
        return fmt_number(parse_number(raw))
    if kind == schema.PERCENT:
        return fmt_number(parse_percent(raw, fractions=not stored))
    if kind == schema.RATING:
        return str(parse_rating(raw))
    if kind == schema.PERIOD:
        return parse_period(raw)
    if kind == schema.EMAIL:
        return parse_email(_as_text(raw))
    if kind == schema.CHOICE:
        tab = tab or _tab_of(field)
        if tab is None:
            return parse_choice(raw, field.choices)
        key = field.key
        choices = rules.choices_for(tab, key)
        words = [rules.sheet_word(tab, key, c) for c in choices] if rules.names else None
        return parse_choice(raw, choices, rules.aliases_for(tab, key), words)
    if kind in schema.REF_KINDS:
        return _as_text(raw).strip()
    return _as_text(raw)  # text: exactly as typed


def normalize(
    field: schema.Field, raw: Any, rules: Rules | None = None, *, tab: str | None = None
) -> Parsed:
    """Read one cell for ``field``: canonical text, or the raw text kept with a reason.

    ``raw`` is what the sheet gave (str, int, float, bool, None, date). ``tab`` (a tab key)
    picks the field's allowed values for choice fields; it is inferred when omitted.

    >>> from amtui.domain.schema import TABS
    >>> normalize(TABS["feedback"].field("rating"), "9")
    Parsed(value='9', ok=False, reason='rating must be 1 to 5 (got "9")')
    >>> normalize(TABS["projects"].field("value"), "¥120,000").value
    '120000'
    """
    return _read(field, raw, rules, tab, stored=False)


def normalize_stored(
    field: schema.Field, value: str, rules: Rules | None = None, *, tab: str | None = None
) -> Parsed:
    """Re-read a *stored* value: like :func:`normalize`, but percents are taken literally.

    Stored percents are canonical on the 0..100 scale, so a stored ``"0.5"`` is 0.5 %,
    while the same text typed by a person is the fraction 0.5 = 50 %. Validation and
    :func:`to_cell` read stored values this way; for other kinds it equals ``normalize``.

    >>> from amtui.domain.schema import TABS
    >>> progress = TABS["projects"].field("progress")
    >>> normalize(progress, "0.5").value, normalize_stored(progress, "0.5").value
    ('50', '0.5')
    """
    return _read(field, value, rules, tab, stored=True)


def _read(field, raw, rules, tab, stored: bool) -> Parsed:
    if raw is None or raw == "" or (
        isinstance(raw, str) and not raw.strip() and field.kind != schema.TEXT
    ):
        return Parsed("", True)  # blank; whitespace-only text is kept as typed
    rules = rules or _default_rules()
    try:
        value = _canonical(field, raw, rules, tab, stored)
        if field.low is not None or field.high is not None:
            _check_range(field, value, raw)
        return Parsed(value, True)
    except (ValueError, TypeError, InvalidOperation, OverflowError) as exc:
        return Parsed(_as_text(raw), False, str(exc))


def _check_range(field: schema.Field, value: str, raw: Any) -> None:
    """A readable number outside the field's range is refused, with the range.

    >>> from amtui.domain.schema import TABS
    >>> normalize(TABS["projects"].field("progress"), "150%").reason
    'percentage must be between 0 and 100% (got "150%")'
    >>> normalize(TABS["projects"].field("value"), "-5").reason
    'amount cannot be negative (got "-5")'
    """
    number = float(value)
    low, high = field.low, field.high
    if (low is None or number >= low) and (high is None or number <= high):
        return
    if high is None:
        limit = "negative" if low == 0 else "least"
    elif low is None:
        limit = "most"
    else:
        limit = "between"
    # the caller puts the header in front ("Progress: percentage must be ...")
    what = {schema.PERCENT: "percentage", schema.MONEY: "amount"}.get(field.kind, "number")
    raise ValueError(_(_OUT_OF_RANGE[what][limit]).format(
        low=f"{low:g}" if low is not None else "", high=f"{high:g}" if high is not None else "",
        value=_quote(raw)))


# whole sentences (Chinese word order differs), by the sort of number and the limit
_OUT_OF_RANGE = {
    "percentage": {
        "negative": N_("percentage cannot be negative (got {value})"),
        "least": N_("percentage must be at least {low}% (got {value})"),
        "most": N_("percentage must be at most {high}% (got {value})"),
        "between": N_("percentage must be between {low} and {high}% (got {value})"),
    },
    "amount": {
        "negative": N_("amount cannot be negative (got {value})"),
        "least": N_("amount must be at least {low} (got {value})"),
        "most": N_("amount must be at most {high} (got {value})"),
        "between": N_("amount must be between {low} and {high} (got {value})"),
    },
    "number": {
        "negative": N_("number cannot be negative (got {value})"),
        "least": N_("number must be at least {low} (got {value})"),
        "most": N_("number must be at most {high} (got {value})"),
        "between": N_("number must be between {low} and {high} (got {value})"),
    },
}


def to_cell(field: schema.Field, value: str, rules: Rules | None = None, *,
            tab: str | None = None) -> str | int | float:
    """What to write into the sheet (valueInputOption RAW) for a stored value.

    Dates become serial numbers (the column is date-formatted), amounts and ratings numbers,
    percents fractions (the column is percent-formatted). Text, choices, periods and
    anything unreadable go back as the string unchanged, so RAW keeps ``=IMPORTXML(...)``
    as text. A percent above 100 is written as text like ``150%``: as a number it would
    read back as 1.5%, since bare numbers 0..1 are fractions.

    >>> from amtui.domain.schema import TABS
    >>> projects = TABS["projects"]
    >>> to_cell(projects.field("due"), "2026-11-26"), to_cell(projects.field("value"), "1200.5")
    (46352, 1200.5)

    A choice goes in the sheet's own word when the rules name one (``[stages] names``):

    >>> to_cell(projects.field("stage"), "Delivered", Rules.build(stage_names={
    ...     "Delivered": "已交付"}), tab="projects")
    '已交付'
    """
    kind = field.kind
    if kind == schema.CHOICE and value and rules is not None and rules.names:
        tab = tab or _tab_of(field)
        return rules.sheet_word(tab, field.key, value) if tab else value
    if not value or kind not in (schema.DATE, schema.DATETIME, schema.MONEY, schema.NUMBER,
                                 schema.PERCENT, schema.RATING):
        return value
    rules = rules or _default_rules()
    try:
        if kind == schema.DATE:
            return date_to_serial(parse_date(value, dayfirst=rules.dayfirst))
        if kind == schema.DATETIME:
            when = parse_when(value, dayfirst=rules.dayfirst)
            # A time stays text, as typed: the column's date format would hide it.
            return value if isinstance(when, datetime) else date_to_serial(when)
        if kind == schema.MONEY:
            return _whole(parse_money(value))
        if kind == schema.NUMBER:
            return _whole(parse_number(value))
        if kind == schema.RATING:
            return parse_rating(value)
        percent = parse_percent(value, fractions=False)
    except (ValueError, InvalidOperation):
        return value
    if percent > 100:
        return fmt_number(percent) + "%"
    return _whole(float(Decimal(repr(percent)) / 100))
