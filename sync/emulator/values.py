"""Cell values: what RAW and USER_ENTERED input store, and how reads render them.

    >>> cell = Cell()
    >>> enter_user_value(cell, "2026-11-26")
    >>> cell.value, cell.number_format
    (46352.0, {'type': 'DATE', 'pattern': 'yyyy-mm-dd'})
    >>> render(cell, "FORMATTED_VALUE", "SERIAL_NUMBER")
    '2026-11-26'
    >>> render(cell, "UNFORMATTED_VALUE", "SERIAL_NUMBER")
    46352

A cell holds an effective ``value`` (str, float, bool or None), an optional
``formula`` and its ``format`` (Google's ``userEnteredFormat``). Dates are
numbers (days since 1899-12-30) with a DATE / DATE_TIME / TIME number format.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .a1 import letters_to_col

EPOCH = dt.datetime(1899, 12, 30)
DATE_TYPES = ("DATE", "DATE_TIME", "TIME")
RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATETIME_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")


@dataclass
class Cell:
    """One grid cell. Formats and validation survive value writes and clears."""

    value: Any = None
    formula: str | None = None
    format: dict | None = None
    validation: dict | None = None
    note: str | None = None

    @property
    def has_value(self) -> bool:
        """True when the cell holds a value or formula (formats do not count)."""
        return self.formula is not None or (self.value is not None and self.value != "")

    @property
    def number_format(self) -> dict | None:
        return (self.format or {}).get("numberFormat")

    def clear_value(self) -> None:
        self.value = None
        self.formula = None

    def is_blank(self) -> bool:
        """True when nothing at all is stored (safe to drop from the grid)."""
        return not self.has_value and not self.format and not self.validation and not self.note


# ---------------------------------------------------------------- dates


def to_serial(moment: dt.datetime | dt.date) -> float:
    """Date or datetime to a Sheets serial number (1899-12-30 is day 0)."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    delta = moment - EPOCH
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000


def from_serial(serial: float) -> dt.datetime:
    """Serial number back to a datetime, rounded to the second."""
    return EPOCH + dt.timedelta(seconds=round(serial * 86400))


# ---------------------------------------------------------------- input parsing

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PERCENT = re.compile(r"^([+-]?(\d+\.?\d*|\.\d+))\s?%$")
_CURRENCY = re.compile(r"^([+-]?)([$¥€£])\s?(\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?)$")
_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december",
]  # fmt: skip
_MON = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {m: i + 1 for i, m in enumerate(_MONTHS)}
_TIME = r"(\d{1,2}):(\d{2})(?::(\d{2}))?"

# (regex, pattern-builder, field order) for dates a person may type (en_US locale).
_DATE_INPUTS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), "yyyy-mm-dd", "ymd"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "yyyy/mm/dd", "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), "M/d/yyyy", "mdy"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$"), "M/d/yy", "mdy"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "yyyy-mm", "ym"),
    (re.compile(r"^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$"), "mmm d, yyyy", "Mdy"),
    (re.compile(r"^(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})$"), "d mmm yyyy", "dMy"),
]
_DATETIME_INPUTS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})[ T]{_TIME}$"), "yyyy-mm-dd", "ymd"),
    (re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}) {_TIME}$"), "M/d/yyyy", "mdy"),
]
_TIME_INPUT = re.compile(rf"^{_TIME}$")


def parse_number(text: str) -> tuple[float, dict | None] | None:
    """Numbers as Google's en_US input parser reads them, with the format it sets.

    >>> parse_number("1,234.50")
    (1234.5, {'type': 'NUMBER', 'pattern': '#,##0.00'})
    >>> parse_number("50%")
    (0.5, {'type': 'PERCENT', 'pattern': '0%'})
    """
    text = text.strip()
    if _NUMBER.match(text):
        number = float(text)
        return (number, None) if math.isfinite(number) else None
    if _GROUPED.match(text):
        decimals = "0" * len(text.split(".")[1]) if "." in text else ""
        pattern = "#,##0" + ("." + decimals if decimals else "")
        return float(text.replace(",", "")), {"type": "NUMBER", "pattern": pattern}
    match = _PERCENT.match(text)
    if match:
        digits = match.group(1)
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        pattern = "0" + ("." + "0" * decimals if decimals else "") + "%"
        return float(digits) / 100, {"type": "PERCENT", "pattern": pattern}
    match = _CURRENCY.match(text)
    if match:
        sign, symbol, digits = match.group(1), match.group(2), match.group(3)
        decimals = len(digits.split(".")[1]) if "." in digits else (2 if symbol == "$" else 0)
        core = "#,##0" + ("." + "0" * decimals if decimals else "")
        prefix = '"$"' if symbol == "$" else f"[${symbol}]"
        number = float(digits.replace(",", "")) * (-1 if sign == "-" else 1)
        return number, {"type": "CURRENCY", "pattern": prefix + core}
    return None


def parse_date(text: str) -> tuple[float, dict] | None:
    """Dates, date-times and times a person may type, as (serial, numberFormat)."""
    text = text.strip()
    for regex, pattern, order in _DATE_INPUTS:
        match = regex.match(text)
        if match:
            day = _build_date(match.groups(), order)
            if day is None:
                return None
            return to_serial(day), {"type": "DATE", "pattern": pattern}
    for regex, pattern, order in _DATETIME_INPUTS:
        match = regex.match(text)
        if match:
            day = _build_date(match.groups()[:3], order)
            clock = _build_time(match.groups()[3:])
            if day is None or clock is None:
                return None
            moment = dt.datetime.combine(day, clock)
            time_pattern = "hh:mm:ss" if match.groups()[5] else "hh:mm"
            return to_serial(moment), {"type": "DATE_TIME", "pattern": f"{pattern} {time_pattern}"}
    match = _TIME_INPUT.match(text)
    if match:
        clock = _build_time(match.groups())
        if clock is None:
            return None
        serial = (clock.hour * 3600 + clock.minute * 60 + clock.second) / 86400
        return serial, {"type": "TIME", "pattern": "hh:mm:ss" if match.group(3) else "hh:mm"}
    return None


def _build_date(groups: tuple, order: str) -> dt.date | None:
    try:
        if order == "ymd":
            return dt.date(int(groups[0]), int(groups[1]), int(groups[2]))
        if order == "ym":
            return dt.date(int(groups[0]), int(groups[1]), 1)
        if order == "mdy":
            year = int(groups[2])
            if len(groups[2]) == 2:
                year += 2000 if year < 30 else 1900
            return dt.date(year, int(groups[0]), int(groups[1]))
        if order == "Mdy":
            month = _MON.get(groups[0].lower())
            return dt.date(int(groups[2]), month, int(groups[1])) if month else None
        if order == "dMy":
            month = _MON.get(groups[1].lower())
            return dt.date(int(groups[2]), month, int(groups[0])) if month else None
    except ValueError:
        return None
    return None


def _build_time(groups: tuple) -> dt.time | None:
    try:
        return dt.time(int(groups[0]), int(groups[1]), int(groups[2] or 0))
    except ValueError:
        return None


def enter_raw_value(cell: Cell, value: Any) -> None:
    """RAW input: strings stay strings (``=1+1`` is text), numbers and bools as-is."""
    cell.formula = None
    if value is None or value == "":
        cell.value = None
    elif isinstance(value, bool | str):
        cell.value = value
    elif isinstance(value, int | float):
        cell.value = float(value)
    else:
        raise TypeError(f"unsupported value {value!r}")


def enter_user_value(cell: Cell, value: Any) -> None:
    """USER_ENTERED input: parse like the Sheets UI when a person types ``value``.

    ``=...`` becomes a formula, ``'text`` stays text, numbers, percentages,
    money and dates are converted (dates get a DATE number format unless the
    cell already has a date format).
    """
    cell.formula = None
    if isinstance(value, dt.date):
        serial = to_serial(value)
        is_datetime = isinstance(value, dt.datetime)
        pattern = "yyyy-mm-dd hh:mm:ss" if is_datetime else "yyyy-mm-dd"
        kind = "DATE_TIME" if is_datetime else "DATE"
        _store_number(cell, serial, {"type": kind, "pattern": pattern})
        return
    if not isinstance(value, str):
        enter_raw_value(cell, value)
        return
    if value == "":
        cell.value = None
    elif value.startswith("'"):
        cell.value = value[1:] or None
    elif value.startswith("=") and len(value) > 1:
        cell.formula = value
        cell.value = None
    elif value.strip().upper() in ("TRUE", "FALSE"):
        cell.value = value.strip().upper() == "TRUE"
    elif (number := parse_number(value)) is not None:
        _store_number(cell, number[0], number[1])
    elif (date := parse_date(value)) is not None:
        _store_number(cell, date[0], date[1])
    else:
        cell.value = value


def _store_number(cell: Cell, number: float, detected: dict | None) -> None:
    cell.value = number
    current = cell.number_format
    # A cell already formatted as a date keeps its format whatever number is typed.
    if detected is None or (current and current.get("type") in DATE_TYPES):
        return
    cell.format = dict(cell.format or {})
    cell.format["numberFormat"] = detected


# ---------------------------------------------------------------- rendering


def json_number(number: float) -> int | float:
    """Google writes integral doubles without a fraction (``2`` not ``2.0``)."""
    if float(number).is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def render(cell: Cell | None, value_render: str, datetime_render: str,
           evaluate: Callable[[Cell], Any] | None = None) -> Any:
    """Render a cell for the values API; empty cells render as ``""``."""
    if cell is None:
        return ""
    if cell.formula is not None:
        if value_render == "FORMULA":
            return cell.formula
        value = evaluate(cell) if evaluate else "#N/A"
    else:
        value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        if value_render == "FORMATTED_VALUE":
            return "TRUE" if value else "FALSE"
        return value
    if isinstance(value, str):
        return value
    fmt = cell.number_format
    is_date = bool(fmt and fmt.get("type") in DATE_TYPES)
    if value_render == "FORMATTED_VALUE":
        return format_number(value, fmt)
    if is_date and datetime_render == "FORMATTED_STRING":
        return format_number(value, fmt)
    return json_number(value)


def format_general(number: float) -> str:
    """Google's "Automatic" rendering of a number: ``2``, ``0.12``, ``0.3333333333``."""
    if number == 0:
        return "0"
    if 1e-5 <= abs(number) < 1e15:
        text = f"{float(f'{number:.15g}'):.10f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"
    mantissa, exponent = f"{number:.2E}".split("E")
    return f"{mantissa}E{'+' if int(exponent) >= 0 else '-'}{abs(int(exponent)):02d}"


def format_number(number: float, fmt: dict | None) -> str:
    """Render a number with a Google numberFormat (dates, percent, money, grouping)."""
    if not fmt:
        return format_general(number)
    kind = fmt.get("type", "NUMBER")
    pattern = fmt.get("pattern") or _DEFAULT_PATTERNS.get(kind, "")
    if not pattern:
        return format_general(number)
    if kind in DATE_TYPES:
        return format_datetime(number, pattern)
    if kind == "TEXT":
        return format_general(number)
    return _format_with_pattern(number, pattern.split(";")[0])


_DEFAULT_PATTERNS = {
    "DATE": "M/d/yyyy",
    "DATE_TIME": "M/d/yyyy H:mm:ss",
    "TIME": "h:mm:ss am/pm",
    "PERCENT": "0.00%",
    "CURRENCY": '"$"#,##0.00',
    "NUMBER": "#,##0.00",
    "SCIENTIFIC": "0.00E+00",
}
_NUMERIC_CORE = re.compile(r"[#0,]*0(\.0+)?|#+")


def _format_with_pattern(number: float, pattern: str) -> str:
    prefix_match = re.match(r'^(?:"([^"]*)"|\[\$([^\]-]*)[^\]]*\])', pattern)
    prefix = ""
    if prefix_match:
        prefix = prefix_match.group(1) if prefix_match.group(1) is not None else prefix_match.group(2)
        pattern = pattern[prefix_match.end():]
    percent = pattern.endswith("%")
    core_match = _NUMERIC_CORE.search(pattern)
    if not core_match:
        return format_general(number)
    core = core_match.group(0)
    decimals = len(core_match.group(1) or "") - 1 if core_match.group(1) else 0
    value = number * 100 if percent else number
    grouped = "," in core
    text = f"{abs(value):,.{decimals}f}" if grouped else f"{abs(value):.{decimals}f}"
    sign = "-" if value < 0 and float(text.replace(",", "") or 0) != 0 else ""
    suffix = pattern[core_match.end():]
    return f"{sign}{prefix}{text}{suffix}"


_DT_TOKEN = re.compile(
    r'yyyy|yy|mmmm|mmm|mm|m|MMMM|MMM|MM|M|dddd|ddd|dd|d|HH|H|hh|h|ss|s|'
    r'AM/PM|am/pm|A/P|a/p|"[^"]*"|\\.|.',
)


def format_datetime(serial: float, pattern: str) -> str:
    """Render a serial number with a date pattern like ``yyyy-mm-dd hh:mm``."""
    moment = from_serial(serial)
    tokens = _DT_TOKEN.findall(pattern)
    twelve_hour = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    out = []
    for i, token in enumerate(tokens):
        out.append(_render_token(token, tokens, i, moment, twelve_hour))
    return "".join(out)


def _render_token(token: str, tokens: list[str], i: int, moment: dt.datetime,
                  twelve_hour: bool) -> str:
    hour = (moment.hour % 12 or 12) if twelve_hour else moment.hour
    if token == "yyyy":
        return f"{moment.year:04d}"
    if token == "yy":
        return f"{moment.year % 100:02d}"
    if token in ("mmmm", "MMMM"):
        return _MONTHS[moment.month - 1].capitalize()
    if token in ("mmm", "MMM"):
        return _MONTHS[moment.month - 1][:3].capitalize()
    if token in ("mm", "m"):
        if _is_minute(tokens, i):
            return f"{moment.minute:02d}" if token == "mm" else str(moment.minute)
        return f"{moment.month:02d}" if token == "mm" else str(moment.month)
    if token == "MM":
        return f"{moment.month:02d}"
    if token == "M":
        return str(moment.month)
    if token == "dddd":
        return moment.strftime("%A")
    if token == "ddd":
        return moment.strftime("%a")
    if token == "dd":
        return f"{moment.day:02d}"
    if token == "d":
        return str(moment.day)
    if token in ("HH", "hh"):
        return f"{hour:02d}"
    if token in ("H", "h"):
        return str(hour)
    if token == "ss":
        return f"{moment.second:02d}"
    if token == "s":
        return str(moment.second)
    if token.lower() == "am/pm":
        return "AM" if moment.hour < 12 else "PM"
    if token.lower() == "a/p":
        return "A" if moment.hour < 12 else "P"
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    return token


def _is_minute(tokens: list[str], i: int) -> bool:
    """``m``/``mm`` mean minutes right after hours or right before seconds."""
    for prev in reversed(tokens[:i]):
        if prev in ("h", "hh", "H", "HH"):
            return True
        if prev in ("yyyy", "yy", "d", "dd", "M", "MM", "ss", "s"):
            break
    for nxt in tokens[i + 1:]:
        if nxt in ("ss", "s"):
            return True
        if nxt in ("yyyy", "yy", "d", "dd", "h", "hh", "H", "HH"):
            break
    return False


# ---------------------------------------------------------------- formulas

_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")
_OPS: dict[type, Callable] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow,
    ast.USub: operator.neg, ast.UAdd: operator.pos,
}  # fmt: skip


class FormulaError(Exception):
    """A formula result that is a Sheets error value (``#DIV/0!`` ...)."""


def evaluate_formula(formula: str, lookup: Callable[[int, int], Any]) -> Any:
    """Evaluate arithmetic formulas (``=4/2``, ``=A1*2+1``); anything else is ``#N/A``.

    ``lookup(row, col)`` returns the effective value of a same-sheet cell.
    Functions (``=IMPORTXML(...)``, ``=SUM(...)``) are not evaluated.
    """
    expression = formula[1:].replace("^", "**")
    expression = _REF.sub(lambda m: f"__ref_{m.group(1).upper()}_{m.group(2)}", expression)
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return "#ERROR!"
    try:
        result = _eval_node(tree.body, lookup)
    except FormulaError as err:
        return str(err)
    except ZeroDivisionError:
        return "#DIV/0!"
    return float(result)


def _eval_node(node: ast.AST, lookup: Callable[[int, int], Any]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval_node(node.left, lookup), _eval_node(node.right, lookup))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_eval_node(node.operand, lookup))
    if isinstance(node, ast.Name) and node.id.startswith("__ref_"):
        letters, row = node.id[len("__ref_"):].split("_")
        value = lookup(int(row) - 1, letters_to_col(letters))
        if value is None or value == "":
            return 0.0
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, int | float):
            return float(value)
        raise FormulaError("#VALUE!")
    raise FormulaError("#N/A")
