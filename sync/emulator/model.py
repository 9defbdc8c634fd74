"""In-memory spreadsheets: sheets as grids of cells, plus the values-API operations.

    >>> book = Spreadsheet.new("1abc", "Demo", owner="me@example.com")
    >>> sheet = book.sheets[0]
    >>> write_values(sheet, 0, 0, [["ID", "Name"], ["1", "Ada"]], user_entered=False)
    4
    >>> read_values(sheet, 0, sheet.row_count, 0, sheet.col_count)
    [['ID', 'Name'], ['1', 'Ada']]

All row/column numbers here are 0-based and end-exclusive. Callers hold the
emulator lock; nothing in this module is thread-safe on its own.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .a1 import A1Ref, RangeParseError, format_range, parse_a1
from .values import (
    Cell,
    enter_raw_value,
    enter_user_value,
    evaluate_formula,
    json_number,
    render,
)

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
ANY_PRINCIPAL = "*"  # the caller when the emulator runs with require_auth=False


class ApiError(Exception):
    """An error answered to the client as Google's JSON error body.

    >>> ApiError(400, "Unable to parse range: Nope!A1").body()["error"]["status"]
    'INVALID_ARGUMENT'
    """

    STATUS_NAMES = {
        400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
        404: "NOT_FOUND", 409: "ALREADY_EXISTS", 429: "RESOURCE_EXHAUSTED",
        500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
    }  # fmt: skip

    def __init__(self, code: int, message: str, status: str | None = None,
                 details: list | None = None, errors: list | None = None,
                 headers: dict | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status if status is not None else self.STATUS_NAMES.get(code, "UNKNOWN")
        self.details = details
        self.errors = errors  # Drive v3 style "errors" list
        self.headers = headers or {}

    def body(self) -> dict:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.errors is not None:
            error["errors"] = self.errors
        if self.status:
            error["status"] = self.status
        if self.details:
            error["details"] = self.details
        return {"error": error}


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def rfc3339(moment: dt.datetime) -> str:
    """Drive's timestamp format: ``2023-08-17T10:52:55.207Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# ---------------------------------------------------------------- sheets


@dataclass
class Sheet:
    """One tab: grid properties plus a ragged list of rows of cells."""

    sheet_id: int
    title: str
    index: int = 0
    row_count: int = 1000
    col_count: int = 26
    frozen_rows: int = 0
    frozen_cols: int = 0
    hidden: bool = False
    extra_props: dict = field(default_factory=dict)
    protected_ranges: list[dict] = field(default_factory=list)
    rows: list[list[Cell | None]] = field(default_factory=list)

    def cell(self, row: int, col: int) -> Cell | None:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def ensure_cell(self, row: int, col: int) -> Cell:
        while len(self.rows) <= row:
            self.rows.append([])
        cells = self.rows[row]
        while len(cells) <= col:
            cells.append(None)
        if cells[col] is None:
            cells[col] = Cell()
        return cells[col]

    def has_value(self, row: int, col: int) -> bool:
        cell = self.cell(row, col)
        return cell is not None and cell.has_value

    def evaluate(self, cell: Cell, _depth: int = 0) -> Any:
        """Effective value of a formula cell (arithmetic and same-sheet refs only)."""
        if _depth > 64:
            return "#REF!"

        def lookup(row: int, col: int) -> Any:
            other = self.cell(row, col)
            if other is None:
                return None
            if other.formula is not None:
                return self.evaluate(other, _depth + 1)
            return other.value

        return evaluate_formula(cell.formula or "=", lookup)

    def effective_value(self, cell: Cell | None) -> Any:
        if cell is None:
            return None
        return self.evaluate(cell) if cell.formula is not None else cell.value

    def properties_json(self) -> dict:
        grid: dict[str, int] = {"rowCount": self.row_count, "columnCount": self.col_count}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        props: dict[str, Any] = {
            "sheetId": self.sheet_id,
            "title": self.title,
            "index": self.index,
            "sheetType": "GRID",
            "gridProperties": grid,
        }
        if self.hidden:
            props["hidden"] = True
        props.update(self.extra_props)
        return props

    # -- structural edits -------------------------------------------------

    def insert_rows(self, at: int, count: int, inherit_row: int | None = None) -> None:
        """Insert blank rows at ``at``; formats/validation copied from ``inherit_row``."""
        template = self.rows[inherit_row] if inherit_row is not None and inherit_row < len(
            self.rows) else []
        if at < len(self.rows):
            self.rows[at:at] = [_format_copy(template) for _ in range(count)]
        self.row_count += count

    def delete_rows(self, start: int, end: int) -> None:
        del self.rows[start:end]
        self.row_count -= end - start
        self.frozen_rows = min(self.frozen_rows, self.row_count - 1 if self.row_count > 1 else 0)

    def insert_cols(self, at: int, count: int, inherit_col: int | None = None) -> None:
        for cells in self.rows:
            if at < len(cells):
                template = cells[inherit_col] if inherit_col is not None and inherit_col < len(
                    cells) else None
                cells[at:at] = [_format_cell(template) for _ in range(count)]
        self.col_count += count

    def delete_cols(self, start: int, end: int) -> None:
        for cells in self.rows:
            del cells[start:end]
        self.col_count -= end - start

    def resize(self, rows: int | None = None, cols: int | None = None) -> None:
        """Set the grid size, dropping data that falls outside it (as Google does)."""
        if rows is not None:
            del self.rows[rows:]
            self.row_count = rows
        if cols is not None:
            for cells in self.rows:
                del cells[cols:]
            self.col_count = cols

    def grow_to(self, rows: int, cols: int) -> None:
        self.row_count = max(self.row_count, rows)
        self.col_count = max(self.col_count, cols)

    def data_extent(self) -> tuple[int, int]:
        """(rows, cols) up to the last cell holding a value."""
        last_row, last_col = 0, 0
        for r, cells in enumerate(self.rows):
            for c, cell in enumerate(cells):
                if cell is not None and cell.has_value:
                    last_row = max(last_row, r + 1)
                    last_col = max(last_col, c + 1)
        return last_row, last_col


def _format_cell(cell: Cell | None) -> Cell | None:
    """A blank cell carrying only the format/validation of ``cell`` (or None)."""
    if cell is None or (not cell.format and not cell.validation):
        return None
    return Cell(format=_clone(cell.format), validation=_clone(cell.validation))


def _format_copy(template: list[Cell | None]) -> list[Cell | None]:
    """A row of blank cells carrying only the formats/validation of ``template``."""
    out = [_format_cell(cell) for cell in template]
    while out and out[-1] is None:
        out.pop()
    return out


def _clone(obj: Any) -> Any:
    return copy.deepcopy(obj)


# ---------------------------------------------------------------- spreadsheets


@dataclass
class Spreadsheet:
    """A spreadsheet file: metadata, sheets and who may use it."""

    id: str
    title: str
    owner: str
    sheets: list[Sheet] = field(default_factory=list)
    permissions: dict[str, str] = field(default_factory=dict)  # email -> role
    created: dt.datetime = field(default_factory=now_utc)
    modified: dt.datetime = field(default_factory=now_utc)
    version: int = 1  # Drive's file version: moves on every content change
    locale: str = "en_US"
    time_zone: str = "Etc/GMT"

    @classmethod
    def new(cls, sid: str, title: str, owner: str, first_sheet_id: int = 0) -> Spreadsheet:
        book = cls(id=sid, title=title, owner=owner)
        book.permissions[owner] = "owner"
        book.sheets.append(Sheet(sheet_id=first_sheet_id, title="Sheet1"))
        return book

    def touch(self) -> None:
        """A content change: like Google's, ``version`` grows and ``modifiedTime`` moves
        (strictly: two changes in one millisecond still get two timestamps)."""
        self.version += 1
        self.modified = max(now_utc(), self.modified + dt.timedelta(milliseconds=1))

    def role_of(self, email: str | None) -> str | None:
        if email is None:
            return None
        if email == ANY_PRINCIPAL:
            return "owner"
        if "anyone" in self.permissions:
            return self.permissions.get(email, self.permissions["anyone"])
        return self.permissions.get(email)

    def reindex(self) -> None:
        for i, sheet in enumerate(self.sheets):
            sheet.index = i

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        exact = next((s for s in self.sheets if s.title == title), None)
        if exact:
            return exact
        folded = title.casefold()
        return next((s for s in self.sheets if s.title.casefold() == folded), None)

    def resolve(self, text: str) -> tuple[Sheet, A1Ref]:
        """Find the sheet an A1 text refers to; 400 ``Unable to parse range`` otherwise."""
        try:
            ref = parse_a1(text)
        except RangeParseError:
            raise ApiError(400, f"Unable to parse range: {text}") from None
        if ref.title is None:
            return self.sheets[0], ref
        sheet = self.sheet_by_title(ref.title)
        if sheet is None:
            raise ApiError(400, f"Unable to parse range: {text}")
        return sheet, ref

    def url(self) -> str:
        return f"https://docs.google.com/spreadsheets/d/{self.id}/edit"

    def metadata_json(self, grid_data: dict[int, list[tuple[int, int, int, int]]] | None = None,
                      ) -> dict:
        """The ``spreadsheets.get`` body; ``grid_data`` maps sheetId -> ranges to include."""
        sheets = []
        for sheet in self.sheets:
            entry: dict[str, Any] = {"properties": sheet.properties_json()}
            if grid_data is not None and sheet.sheet_id in grid_data:
                entry["data"] = [grid_data_json(sheet, *b) for b in grid_data[sheet.sheet_id]]
            if sheet.protected_ranges:
                entry["protectedRanges"] = _clone(sheet.protected_ranges)
            sheets.append(entry)
        return {
            "spreadsheetId": self.id,
            "properties": self.properties_json(),
            "sheets": sheets,
            "spreadsheetUrl": self.url(),
        }

    def properties_json(self) -> dict:
        return {
            "title": self.title,
            "locale": self.locale,
            "autoRecalc": "ON_CHANGE",
            "timeZone": self.time_zone,
            "defaultFormat": _clone(DEFAULT_FORMAT),
            "spreadsheetTheme": _clone(SPREADSHEET_THEME),
        }

    def drive_json(self) -> dict:
        return {
            "kind": "drive#file",
            "id": self.id,
            "name": self.title,
            "mimeType": SPREADSHEET_MIME,
            "createdTime": rfc3339(self.created),
            "modifiedTime": rfc3339(self.modified),
            "version": str(self.version),  # int64 as a JSON string, as Drive sends it
        }


def grid_bounds(sheet: Sheet, ref: A1Ref) -> tuple[int, int, int, int]:
    """Bound a reference to the grid: (r0, r1, c0, c1); 400 when it exceeds the grid."""
    r0, r1 = ref.rows
    c0, c1 = ref.cols
    r1 = sheet.row_count if r1 is None else r1
    c1 = sheet.col_count if c1 is None else c1
    if r1 > sheet.row_count or c1 > sheet.col_count or r0 >= r1 or c0 >= c1:
        raise exceeds_grid(sheet, r0, max(r1, r0 + 1), c0, max(c1, c0 + 1))
    return r0, r1, c0, c1


def exceeds_grid(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> ApiError:
    cells = format_range("x", r0, c0, r1, c1).split("!", 1)[1]
    title = "'" + sheet.title.replace("'", "''") + "'"
    return ApiError(
        400,
        f"Range ({title}!{cells}) exceeds grid limits. "
        f"Max rows: {sheet.row_count}, max columns: {sheet.col_count}",
    )


# ---------------------------------------------------------------- values


def read_values(sheet: Sheet, r0: int, r1: int, c0: int, c1: int, *,
                major: str = "ROWS", value_render: str = "FORMATTED_VALUE",
                datetime_render: str = "SERIAL_NUMBER") -> list[list[Any]]:
    """Ragged values like Google: trailing empty cells and rows dropped, ``[]`` inside."""
    def show(r: int, c: int) -> Any:
        cell = sheet.cell(r, c)
        if cell is None or not cell.has_value:
            return ""
        return render(cell, value_render, datetime_render, sheet.evaluate)

    out: list[list[Any]] = []
    if major == "COLUMNS":
        for c in range(c0, c1):
            out.append([show(r, c) for r in range(r0, min(r1, len(sheet.rows)))])
    else:
        for r in range(r0, min(r1, len(sheet.rows))):
            width = min(c1, len(sheet.rows[r]))
            out.append([show(r, c) for c in range(c0, width)])
    for line in out:
        while line and line[-1] == "":
            line.pop()
    while out and not out[-1]:
        out.pop()
    return out


def write_values(sheet: Sheet, r0: int, c0: int, rows: list[list[Any]], *,
                 user_entered: bool) -> int:
    """Write a 2-D block at (r0, c0); ``None`` leaves a cell alone. Returns cells written."""
    written = 0
    for dr, line in enumerate(rows):
        for dc, value in enumerate(line):
            if value is None:
                continue
            cell = sheet.ensure_cell(r0 + dr, c0 + dc)
            if user_entered:
                enter_user_value(cell, value)
            else:
                enter_raw_value(cell, value)
            written += 1
    return written


def clear_values(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> None:
    """Clear values and formulas (formats and validation stay, as with ``values:clear``)."""
    for r in range(r0, min(r1, len(sheet.rows))):
        cells = sheet.rows[r]
        for c in range(c0, min(c1, len(cells))):
            if cells[c] is not None:
                cells[c].clear_value()


def check_values(rows: Any, where: str = "values") -> list[list[Any]]:
    """Validate an input ``values`` array (lists of str/number/bool/None)."""
    if rows is None:
        return []
    if not isinstance(rows, list) or not all(isinstance(line, list) for line in rows):
        raise ApiError(400, f"Invalid value at '{where}' (type.googleapis.com/google.protobuf."
                       "ListValue), expected a list of lists")
    for i, line in enumerate(rows):
        for j, value in enumerate(line):
            if value is not None and not isinstance(value, str | int | float | bool):
                raise ApiError(400, f"Invalid {where}[{i}][{j}]: {type(value).__name__}_value")
    return rows


def to_row_major(values: list[list[Any]], major: str) -> list[list[Any]]:
    """Turn ``majorDimension=COLUMNS`` input into rows."""
    if major != "COLUMNS":
        return values
    height = max((len(col) for col in values), default=0)
    return [[col[r] if r < len(col) else None for col in values] for r in range(height)]


def block_size(rows: list[list[Any]]) -> tuple[int, int]:
    return len(rows), max((len(line) for line in rows), default=0)


# ---------------------------------------------------------------- append


def find_table(sheet: Sheet, r0: int, r1: int, c0: int, c1: int,
               ) -> tuple[int, int, int, int] | None:
    """Google's append "table" detection.

    The last cell holding a value inside the input range (row-major) seeds the
    table, which then grows to the surrounding block of touching cells
    (diagonals count), even beyond the input range. Returns (r0, r1, c0, c1).
    """
    seed = None
    for r in range(min(r1, len(sheet.rows)) - 1, r0 - 1, -1):
        cells = sheet.rows[r]
        for c in range(min(c1, len(cells)) - 1, c0 - 1, -1):
            if cells[c] is not None and cells[c].has_value:
                seed = (r, c)
                break
        if seed:
            break
    if seed is None:
        return None
    top, left = seed
    bottom, right = top + 1, left + 1
    grew = True
    while grew:
        grew = False
        if top > 0 and _any_value(sheet, top - 1, top, max(left - 1, 0), right + 1):
            top, grew = top - 1, True
        if _any_value(sheet, bottom, bottom + 1, max(left - 1, 0), right + 1):
            bottom, grew = bottom + 1, True
        if left > 0 and _any_value(sheet, max(top - 1, 0), bottom + 1, left - 1, left):
            left, grew = left - 1, True
        if _any_value(sheet, max(top - 1, 0), bottom + 1, right, right + 1):
            right, grew = right + 1, True
    return top, bottom, left, right


def _any_value(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> bool:
    return any(sheet.has_value(r, c) for r in range(r0, r1) for c in range(c0, c1))


# ---------------------------------------------------------------- sort


def sort_rows(sheet: Sheet, r0: int, r1: int, c0: int, c1: int,
              specs: list[tuple[int, bool]]) -> None:
    """Sort rows r0..r1 within columns c0..c1 by ``specs`` [(column, descending)].

    Blank cells go last in both directions; numbers sort before text before
    booleans; text compares case-insensitively; ties keep their order.
    """
    r1 = min(r1, len(sheet.rows))
    if r1 - r0 < 2:
        return
    block = [sheet.rows[r][c0:c1] if r < len(sheet.rows) else [] for r in range(r0, r1)]
    width = c1 - c0
    block = [line + [None] * (width - len(line)) for line in block]

    def compare(a: list[Cell | None], b: list[Cell | None]) -> int:
        for column, descending in specs:
            ka = _sort_key(sheet, a[column - c0]) if c0 <= column < c1 else None
            kb = _sort_key(sheet, b[column - c0]) if c0 <= column < c1 else None
            if ka is None and kb is None:
                continue
            if ka is None or kb is None:
                return 1 if ka is None else -1
            if ka != kb:
                result = -1 if ka < kb else 1
                return -result if descending else result
        return 0

    block.sort(key=functools.cmp_to_key(compare))
    for i, line in enumerate(block):
        r = r0 + i
        while len(sheet.rows) <= r:
            sheet.rows.append([])
        cells = sheet.rows[r]
        if len(cells) < c1:
            cells.extend([None] * (c1 - len(cells)))
        cells[c0:c1] = line


def _sort_key(sheet: Sheet, cell: Cell | None) -> tuple | None:
    value = sheet.effective_value(cell) if cell is not None and cell.has_value else None
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return (2, int(value))
    if isinstance(value, int | float):
        return (0, value)
    return (1, str(value).casefold())


# ---------------------------------------------------------------- grid data


def grid_data_json(sheet: Sheet, r0: int, r1: int, c0: int, c1: int) -> dict:
    """A rough ``GridData`` (``includeGridData=true``): values, formats, validation."""
    row_data = []
    for r in range(r0, min(r1, len(sheet.rows))):
        values = []
        for c in range(c0, min(c1, len(sheet.rows[r]))):
            values.append(cell_data_json(sheet, sheet.rows[r][c]))
        while values and not values[-1]:
            values.pop()
        row_data.append({"values": values} if values else {})
    while row_data and not row_data[-1]:
        row_data.pop()
    data: dict[str, Any] = {}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    if row_data:
        data["rowData"] = row_data
    return data


def cell_data_json(sheet: Sheet, cell: Cell | None) -> dict:
    if cell is None:
        return {}
    out: dict[str, Any] = {}
    if cell.has_value:
        out["userEnteredValue"] = _extended_value(cell.formula, cell.value)
        effective = sheet.effective_value(cell)
        out["effectiveValue"] = _extended_value(None, effective)
        out["formattedValue"] = render(cell, "FORMATTED_VALUE", "SERIAL_NUMBER", sheet.evaluate)
    if cell.format:
        out["userEnteredFormat"] = _clone(cell.format)
    if cell.validation:
        out["dataValidation"] = _clone(cell.validation)
    if cell.note:
        out["note"] = cell.note
    return out


def _extended_value(formula: str | None, value: Any) -> dict:
    if formula is not None:
        return {"formulaValue": formula}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": json_number(value)}
    if isinstance(value, str) and value.startswith("#"):
        return {"errorValue": {"type": "ERROR", "message": value}}
    return {"stringValue": "" if value is None else str(value)}


def iter_cells(sheet: Sheet, r0: int, r1: int, c0: int, c1: int,
               create: bool = True) -> Iterable[Cell]:
    """Cells in a block, created on demand (for format/validation requests)."""
    for r in range(r0, r1):
        for c in range(c0, c1):
            if create:
                yield sheet.ensure_cell(r, c)
            else:
                cell = sheet.cell(r, c)
                if cell is not None:
                    yield cell


def header_column(sheet: Sheet, header: str | int) -> int:
    """Column index of a header text in row 1 (or pass an int through)."""
    if isinstance(header, int):
        return header
    for c, cell in enumerate(sheet.rows[0] if sheet.rows else []):
        if cell is not None and cell.has_value and str(cell.value) == header:
            return c
    raise KeyError(f"no header {header!r} in {sheet.title!r}")


DEFAULT_FORMAT: dict = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}

SPREADSHEET_THEME: dict = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": "TEXT", "color": {"rgbColor": {}}},
        {"colorType": "BACKGROUND", "color": {"rgbColor": {"red": 1, "green": 1, "blue": 1}}},
        {"colorType": "ACCENT1", "color": {"rgbColor": {
            "red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}}},
        {"colorType": "ACCENT2", "color": {"rgbColor": {
            "red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}}},
        {"colorType": "ACCENT3", "color": {"rgbColor": {
            "red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}}},
        {"colorType": "ACCENT4", "color": {"rgbColor": {
            "red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}}},
        {"colorType": "ACCENT5", "color": {"rgbColor": {
            "red": 1, "green": 0.42745098, "blue": 0.003921569}}},
        {"colorType": "ACCENT6", "color": {"rgbColor": {
            "red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}}},
        {"colorType": "LINK", "color": {"rgbColor": {
            "red": 0.06666667, "green": 0.33333334, "blue": 0.8}}},
    ],
}
