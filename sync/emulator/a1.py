"""A1 notation: parsing ranges like Google Sheets does and echoing them back.

    >>> ref = parse_a1("'My tab'!A2:C")
    >>> ref.title, ref.rows, ref.cols
    ('My tab', (1, None), (0, 3))
    >>> format_range("Sheet1", 0, 0, 4, 4)
    'Sheet1!A1:D4'
    >>> format_range("My tab", 0, 2, 1, 3)
    "'My tab'!C1"

Row and column bounds are 0-based, end-exclusive; ``None`` as an end means
"open-ended" (``A:A`` has no row end, ``1:1`` has no column end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_COLUMNS = 18278  # ZZZ, the largest column Google Sheets accepts

_ENDPOINT = re.compile(r"^\$?([A-Za-z]{1,3})?\$?([0-9]+)?$")
_CELLISH = re.compile(r"^[A-Za-z]{1,3}[0-9]+$|^[Rr][0-9]*[Cc][0-9]*$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class RangeParseError(ValueError):
    """The text is not a range Google would accept (``Unable to parse range: X``)."""


@dataclass(frozen=True)
class A1Ref:
    """A parsed A1 reference.

    ``title`` is None when the text named no sheet (Google then uses the first
    sheet). ``whole_sheet`` is True for a bare sheet name. ``single_cell`` is
    True for a one-part reference like ``A1`` (Google treats it as an anchor
    when writing).
    """

    title: str | None
    rows: tuple[int, int | None]
    cols: tuple[int, int | None]
    whole_sheet: bool = False
    single_cell: bool = False


def col_to_letters(index: int) -> str:
    """0-based column index to letters: ``0 -> 'A'``, ``26 -> 'AA'``."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def letters_to_col(letters: str) -> int:
    """Column letters to a 0-based index: ``'A' -> 0``, ``'aa' -> 26``."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def cell_name(row: int, col: int) -> str:
    """0-based row/col to ``A1`` style: ``cell_name(0, 2) -> 'C1'``."""
    return f"{col_to_letters(col)}{row + 1}"


def quote_title(title: str) -> str:
    """Quote a sheet title the way Google echoes it in ranges.

    Plain ASCII identifiers stay bare (``Sheet1``); anything else, or a title
    that reads like a cell reference (``D3``), is quoted with ``'`` doubled.
    """
    if _PLAIN_TITLE.match(title) and not _CELLISH.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, r0: int, c0: int, r1: int, c1: int) -> str:
    """Echo a bounded range: ``Sheet1!A1:D4``, or ``Sheet1!C1`` for one cell."""
    start = cell_name(r0, c0)
    end = cell_name(r1 - 1, c1 - 1)
    cells = start if (r1 - r0 == 1 and c1 - c0 == 1) else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split ``'It''s'!A1`` into ``("It's", "A1")``; the range part may be None."""
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            ch = text[i]
            if ch == "'":
                if text[i + 1 : i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                rest = text[i + 1 :]
                if rest == "":
                    return "".join(title), None
                if rest.startswith("!"):
                    return "".join(title), rest[1:]
                raise RangeParseError(text)
            title.append(ch)
            i += 1
        raise RangeParseError(text)
    if "!" in text:
        title, rest = text.split("!", 1)
        return title, rest
    return None, text


def parse_cells(part: str) -> tuple[tuple[int, int | None], tuple[int, int | None], bool]:
    """Parse the cell part (``A1``, ``A1:B2``, ``A:A``, ``1:1``, ``A2:C``).

    Returns ``(rows, cols, single_cell)``; raises RangeParseError.
    """
    pieces = part.split(":")
    if len(pieces) == 1:
        col, row = _endpoint(pieces[0])
        if col is None or row is None:
            raise RangeParseError(part)
        return (row, row + 1), (col, col + 1), True
    if len(pieces) != 2:
        raise RangeParseError(part)
    (c0, r0), (c1, r1) = _endpoint(pieces[0]), _endpoint(pieces[1])
    # A row-only start ("1:") needs a row-only end; a column-only start ("A:")
    # needs a column in its end. "A:1" and "1:B2" are not ranges.
    if (c0 is None and c1 is not None) or (r0 is None and c1 is None):
        raise RangeParseError(part)
    rows = _span(r0, r1)
    cols = _span(c0, c1)
    return rows, cols, False


def _endpoint(text: str) -> tuple[int | None, int | None]:
    match = _ENDPOINT.match(text)
    if not text or not match or (match.group(1) is None and match.group(2) is None):
        raise RangeParseError(text)
    col = letters_to_col(match.group(1)) if match.group(1) else None
    row = int(match.group(2)) - 1 if match.group(2) else None
    if row is not None and row < 0:
        raise RangeParseError(text)
    if col is not None and col >= MAX_COLUMNS:
        raise RangeParseError(text)
    return col, row


def _span(start: int | None, end: int | None) -> tuple[int, int | None]:
    """Turn two endpoints into ``(start, end_exclusive_or_None)``, swapping if reversed."""
    lo = start if start is not None else 0
    if end is None:
        return lo, None
    lo, hi = min(lo, end), max(lo, end)
    return lo, hi + 1


def parse_a1(text: str) -> A1Ref:
    """Parse full A1 text (sheet part optional). Raises RangeParseError.

    A bare word that is not a cell reference is a sheet title
    (``Sheet1`` -> whole sheet); ``A1:B2`` without a sheet refers to the first
    sheet (``title=None``).
    """
    if not text or not text.strip():
        raise RangeParseError(text)
    title, cells = split_sheet(text)
    if title is not None and cells is None:
        return A1Ref(title, (0, None), (0, None), whole_sheet=True)
    if title is None:
        try:
            rows, cols, single = parse_cells(cells or "")
        except RangeParseError:
            return A1Ref(cells, (0, None), (0, None), whole_sheet=True)
        return A1Ref(None, rows, cols, single_cell=single)
    if title == "":
        raise RangeParseError(text)
    rows, cols, single = parse_cells(cells or "")
    return A1Ref(title, rows, cols, single_cell=single)
