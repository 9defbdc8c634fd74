"""``spreadsheets:batchUpdate`` requests (addSheet, insertDimension, sortRange ...).

    >>> book = Spreadsheet.new("1abc", "Demo", owner="me@example.com")
    >>> apply_batch(book, [{"addSheet": {"properties": {"title": "Projects"}}}], lambda: 7)
    [{'addSheet': {'properties': {'sheetId': 7, 'title': 'Projects', 'index': 1, ...}}}]

Google applies a batch atomically; the caller snapshots the spreadsheet and
restores it when :class:`ApiError` escapes.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .fieldmask import mask_paths, parse_mask
from .model import (
    ApiError,
    Sheet,
    Spreadsheet,
    exceeds_grid,
    iter_cells,
    sort_rows,
)
from .values import enter_raw_value

# Formatting-only requests we accept and ignore: they never change values.
IGNORED_REQUESTS = frozenset({
    "updateDimensionProperties", "updateBorders", "mergeCells", "unmergeCells",
    "autoResizeDimensions", "addConditionalFormatRule", "updateConditionalFormatRule",
    "deleteConditionalFormatRule", "setBasicFilter", "clearBasicFilter", "addBanding",
    "updateBanding", "deleteBanding", "addFilterView", "updateFilterView",
    "deleteFilterView", "updateProtectedRange", "addDimensionGroup",
    "deleteDimensionGroup", "updateDimensionGroup", "updateEmbeddedObjectPosition",
})  # fmt: skip


class _Invalid(Exception):
    """A request-level problem; becomes ``Invalid requests[i].kind: message``."""


def apply_batch(book: Spreadsheet, requests: list[dict], new_sheet_id: Callable[[], int],
                ) -> list[dict]:
    """Apply requests in order and return Google's ``replies`` list."""
    if not isinstance(requests, list):
        raise ApiError(400, "Invalid JSON payload received. 'requests' must be a list.")
    replies = []
    for i, request in enumerate(requests):
        if not isinstance(request, dict) or not request:
            raise ApiError(400, f"Invalid requests[{i}]: No request set.")
        if len(request) > 1:
            raise ApiError(400, f"Invalid requests[{i}]: oneof field 'kind' is already set.")
        kind, body = next(iter(request.items()))
        handler = HANDLERS.get(kind)
        if handler is None and kind not in IGNORED_REQUESTS:
            raise ApiError(400, f"Invalid JSON payload received. Unknown name \"{kind}\" at "
                           f"'requests[{i}]': Cannot find field.")
        try:
            reply = handler(book, body or {}, new_sheet_id) if handler else None
        except _Invalid as err:
            raise ApiError(400, f"Invalid requests[{i}].{kind}: {err}") from None
        replies.append(reply or {})
    book.reindex()
    book.touch()
    return replies


# ---------------------------------------------------------------- helpers


def _sheet(book: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = book.sheet_by_id(int(sheet_id or 0))
    if sheet is None:
        raise _Invalid(f"No grid with id: {sheet_id or 0}")
    return sheet


def grid_range(book: Spreadsheet, gr: dict | None) -> tuple[Sheet, int, int, int, int]:
    """Resolve a GridRange (missing indexes mean "from the start" / "to the end")."""
    gr = gr or {}
    sheet = _sheet(book, gr.get("sheetId", 0))
    r0 = int(gr.get("startRowIndex", 0))
    r1 = int(gr.get("endRowIndex", sheet.row_count))
    c0 = int(gr.get("startColumnIndex", 0))
    c1 = int(gr.get("endColumnIndex", sheet.col_count))
    if r1 > sheet.row_count or c1 > sheet.col_count or r0 < 0 or c0 < 0:
        raise _Invalid(exceeds_grid(sheet, r0, max(r1, r0 + 1), c0, max(c1, c0 + 1)).message)
    if r0 > r1 or c0 > c1:
        raise _Invalid("The start index of the range must be less than or equal to the end index")
    return sheet, r0, r1, c0, c1


def _check_title(book: Spreadsheet, title: str, keep: Sheet | None = None) -> None:
    if not title or not title.strip():
        raise _Invalid("Sheet names cannot be empty.")
    other = book.sheet_by_title(title)
    if other is not None and other is not keep and other.title.casefold() == title.casefold():
        raise _Invalid(f'A sheet with the name "{title}" already exists. '
                       "Please enter another name.")


def parse_fields(fields: str | None) -> list[list[str]]:
    """A FieldMask (``a.b,c/d``, ``a(b,c)``) as paths; ``*`` is ``[['*']]``."""
    if not fields or not fields.strip():
        return []
    try:
        return mask_paths(parse_mask(fields))
    except ApiError as err:
        raise _Invalid(err.message) from None


def _get_path(source: dict, path: list[str]) -> Any:
    node: Any = source
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _set_path(target: dict, path: list[str], value: Any) -> None:
    node = target
    for key in path[:-1]:
        node = node.setdefault(key, {})
    if value is None:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = copy.deepcopy(value)


# ---------------------------------------------------------------- sheets


def add_sheet(book: Spreadsheet, body: dict, new_sheet_id: Callable[[], int]) -> dict:
    props = body.get("properties") or {}
    title = props.get("title")
    if title is None:
        n = len(book.sheets) + 1
        while book.sheet_by_title(f"Sheet{n}") is not None:
            n += 1
        title = f"Sheet{n}"
    _check_title(book, title)
    sheet_id = props.get("sheetId")
    if sheet_id is not None and book.sheet_by_id(int(sheet_id)) is not None:
        raise _Invalid(f"Sheet with id {sheet_id} already exists.")
    grid = props.get("gridProperties") or {}
    sheet = Sheet(
        sheet_id=int(sheet_id) if sheet_id is not None else new_sheet_id(),
        title=title,
        row_count=int(grid.get("rowCount", 1000)),
        col_count=int(grid.get("columnCount", 26)),
        frozen_rows=int(grid.get("frozenRowCount", 0)),
        frozen_cols=int(grid.get("frozenColumnCount", 0)),
        hidden=bool(props.get("hidden", False)),
    )
    for key in ("tabColor", "tabColorStyle", "rightToLeft"):
        if key in props:
            sheet.extra_props[key] = copy.deepcopy(props[key])
    index = props.get("index")
    position = len(book.sheets) if index is None else max(0, min(int(index), len(book.sheets)))
    book.sheets.insert(position, sheet)
    book.reindex()
    return {"addSheet": {"properties": sheet.properties_json()}}


def delete_sheet(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    sheet = _sheet(book, body.get("sheetId"))
    if len(book.sheets) == 1:
        raise _Invalid("You can't remove all the sheets in a document.")
    book.sheets.remove(sheet)
    book.reindex()


def duplicate_sheet(book: Spreadsheet, body: dict, new_sheet_id: Callable[[], int]) -> dict:
    source = _sheet(book, body.get("sourceSheetId"))
    title = body.get("newSheetName") or f"Copy of {source.title}"
    _check_title(book, title)
    clone = copy.deepcopy(source)
    clone.sheet_id = int(body["newSheetId"]) if body.get("newSheetId") else new_sheet_id()
    clone.title = title
    clone.protected_ranges = []
    index = body.get("insertSheetIndex")
    position = len(book.sheets) if index is None else max(0, min(int(index), len(book.sheets)))
    book.sheets.insert(position, clone)
    book.reindex()
    return {"duplicateSheet": {"properties": clone.properties_json()}}


def update_sheet_properties(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    props = body.get("properties") or {}
    sheet = _sheet(book, props.get("sheetId"))
    paths = parse_fields(body.get("fields"))
    if not paths:
        raise _Invalid("At least one field must be updated, but 'fields' is empty.")
    if ["*"] in paths:
        paths = _all_paths(props)
    for path in paths:
        _update_sheet_field(book, sheet, path, props)


def _all_paths(props: dict, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    out = []
    for key, value in props.items():
        if key == "sheetId":
            continue
        if isinstance(value, dict) and key == "gridProperties":
            out.extend(_all_paths(value, (*prefix, key)))
        else:
            out.append([*prefix, key])
    return out


def _update_sheet_field(book: Spreadsheet, sheet: Sheet, path: list[str], props: dict) -> None:
    value = _get_path(props, path)
    head = path[0]
    if head == "title":
        _check_title(book, value or "", keep=sheet)
        sheet.title = value
    elif head == "index":
        book.sheets.remove(sheet)
        book.sheets.insert(max(0, min(int(value or 0), len(book.sheets))), sheet)
        book.reindex()
    elif head == "hidden":
        sheet.hidden = bool(value)
    elif head == "gridProperties":
        grid = props.get("gridProperties") or {}
        keys = path[1:] or list(grid) or ["rowCount", "columnCount"]
        for key in keys:
            _update_grid(sheet, key, grid.get(key))
    elif head in ("tabColor", "tabColorStyle", "rightToLeft"):
        _set_path(sheet.extra_props, path, value)
    elif head != "sheetId":
        raise _Invalid(f"Invalid field mask path: {'.'.join(path)}")


def _update_grid(sheet: Sheet, key: str, value: Any) -> None:
    number = int(value or 0)
    if key == "rowCount":
        if number < 1:
            raise _Invalid("Grid must have at least one row.")
        sheet.resize(rows=number)
    elif key == "columnCount":
        if number < 1:
            raise _Invalid("Grid must have at least one column.")
        sheet.resize(cols=number)
    elif key == "frozenRowCount":
        if number >= sheet.row_count:
            raise _Invalid("You can't freeze all visible rows on the sheet.")
        sheet.frozen_rows = number
    elif key == "frozenColumnCount":
        if number >= sheet.col_count:
            raise _Invalid("You can't freeze all visible columns on the sheet.")
        sheet.frozen_cols = number
    elif key not in ("hideGridlines", "rowGroupControlAfter", "columnGroupControlAfter"):
        raise _Invalid(f"Invalid field mask path: gridProperties.{key}")


def update_spreadsheet_properties(book: Spreadsheet, body: dict,
                                  _new_id: Callable[[], int]) -> None:
    props = body.get("properties") or {}
    for path in parse_fields(body.get("fields")) or [["title"]]:
        if path[0] in ("title", "*") and props.get("title"):
            book.title = props["title"]
        if path[0] in ("locale", "*") and props.get("locale"):
            book.locale = props["locale"]
        if path[0] in ("timeZone", "*") and props.get("timeZone"):
            book.time_zone = props["timeZone"]


# ---------------------------------------------------------------- dimensions


def _dimension(book: Spreadsheet, body: dict) -> tuple[Sheet, str, int, int]:
    rng = body.get("range") or {}
    sheet = _sheet(book, rng.get("sheetId"))
    dimension = rng.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise _Invalid("range.dimension must be ROWS or COLUMNS")
    size = sheet.row_count if dimension == "ROWS" else sheet.col_count
    start = int(rng.get("startIndex", 0))
    end = int(rng.get("endIndex", size))
    if start >= end:
        raise _Invalid(f"Invalid dimension range: startIndex ({start}) must be less than "
                       f"endIndex ({end}).")
    return sheet, dimension, start, end


def insert_dimension(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    sheet, dimension, start, end = _dimension(book, body)
    size = sheet.row_count if dimension == "ROWS" else sheet.col_count
    if start > size:
        raise _Invalid(f"range.startIndex ({start}) must be less than or equal to the "
                       f"number of {dimension.lower()} ({size}).")
    before = bool(body.get("inheritFromBefore", False))
    if before and start == 0:
        raise _Invalid("Cannot inherit from before when inserting at the start.")
    inherit = start - 1 if before else (start if start < size else None)
    if dimension == "ROWS":
        sheet.insert_rows(start, end - start, inherit_row=inherit)
    else:
        sheet.insert_cols(start, end - start, inherit_col=inherit)


def delete_dimension(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    sheet, dimension, start, end = _dimension(book, body)
    size = sheet.row_count if dimension == "ROWS" else sheet.col_count
    end = min(end, size)
    if start == 0 and end >= size:
        raise _Invalid(f"You can't delete all the {dimension.lower()} on the sheet.")
    if dimension == "ROWS":
        sheet.delete_rows(start, end)
    else:
        sheet.delete_cols(start, end)


def append_dimension(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    sheet = _sheet(book, body.get("sheetId"))
    length = int(body.get("length", 0))
    if length < 1:
        raise _Invalid("length must be greater than 0")
    if body.get("dimension") == "COLUMNS":
        sheet.col_count += length
    else:
        sheet.row_count += length


# ---------------------------------------------------------------- cells


def set_data_validation(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    sheet, r0, r1, c0, c1 = grid_range(book, body.get("range"))
    rule = body.get("rule")
    for cell in iter_cells(sheet, r0, r1, c0, c1, create=rule is not None):
        cell.validation = copy.deepcopy(rule) if rule else None


def repeat_cell(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    sheet, r0, r1, c0, c1 = grid_range(book, body.get("range"))
    paths = parse_fields(body.get("fields"))
    if not paths:
        raise _Invalid("At least one field must be updated, but 'fields' is empty.")
    data = body.get("cell") or {}
    for cell in iter_cells(sheet, r0, r1, c0, c1):
        apply_cell_data(cell, data, paths)


def update_cells(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    paths = parse_fields(body.get("fields"))
    if not paths:
        raise _Invalid("At least one field must be updated, but 'fields' is empty.")
    if "start" in body:
        start = body["start"] or {}
        sheet = _sheet(book, start.get("sheetId"))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    else:
        sheet, r0, _r1, c0, _c1 = grid_range(book, body.get("range"))
    rows = body.get("rows") or []
    height = r0 + len(rows)
    width = c0 + max((len(row.get("values") or []) for row in rows), default=0)
    if height > sheet.row_count or width > sheet.col_count:
        raise _Invalid(exceeds_grid(sheet, r0, height, c0, width).message)
    for dr, row in enumerate(rows):
        for dc, data in enumerate(row.get("values") or []):
            apply_cell_data(sheet.ensure_cell(r0 + dr, c0 + dc), data or {}, paths)


def apply_cell_data(cell: Any, data: dict, paths: list[list[str]]) -> None:
    """Copy the masked parts of a CellData into ``cell``."""
    if ["*"] in paths:
        paths = [["userEnteredValue"], ["userEnteredFormat"], ["dataValidation"], ["note"]]
    for path in paths:
        head = path[0]
        if head == "userEnteredValue":
            _set_entered_value(cell, data.get("userEnteredValue"))
        elif head == "userEnteredFormat":
            fmt = dict(cell.format or {})
            if len(path) == 1:
                fmt = copy.deepcopy(data.get("userEnteredFormat") or {})
            else:
                _set_path(fmt, path[1:], _get_path(data.get("userEnteredFormat") or {}, path[1:]))
            cell.format = fmt or None
        elif head == "dataValidation":
            cell.validation = copy.deepcopy(data.get("dataValidation"))
        elif head == "note":
            cell.note = data.get("note")
        elif head not in ("effectiveValue", "formattedValue", "effectiveFormat", "hyperlink"):
            raise _Invalid(f"Invalid field mask path: {'.'.join(path)}")


def _set_entered_value(cell: Any, value: dict | None) -> None:
    value = value or {}
    if "formulaValue" in value:
        cell.formula, cell.value = value["formulaValue"], None
    elif "numberValue" in value:
        enter_raw_value(cell, float(value["numberValue"]))
    elif "boolValue" in value:
        enter_raw_value(cell, bool(value["boolValue"]))
    elif "stringValue" in value:
        enter_raw_value(cell, str(value["stringValue"]))
    else:
        cell.clear_value()


def add_protected_range(book: Spreadsheet, body: dict, new_sheet_id: Callable[[], int]) -> dict:
    spec = copy.deepcopy(body.get("protectedRange") or {})
    rng = spec.get("range") or {}
    sheet, *_ = grid_range(book, rng)
    rng.setdefault("sheetId", sheet.sheet_id)
    spec["range"] = rng
    spec.setdefault("protectedRangeId", new_sheet_id())
    if not spec.get("warningOnly"):
        spec.setdefault("editors", {"users": [book.owner]})
    spec["requestingUserCanEdit"] = True
    sheet.protected_ranges.append(spec)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(spec)}}


def delete_protected_range(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    wanted = int(body.get("protectedRangeId", -1))
    for sheet in book.sheets:
        for spec in sheet.protected_ranges:
            if int(spec.get("protectedRangeId", -2)) == wanted:
                sheet.protected_ranges.remove(spec)
                return
    raise _Invalid(f"No protected range with id: {wanted}")


def sort_range(book: Spreadsheet, body: dict, _new_id: Callable[[], int]) -> None:
    sheet, r0, r1, c0, c1 = grid_range(book, body.get("range"))
    specs = []
    for spec in body.get("sortSpecs") or []:
        column = int(spec.get("dimensionIndex", 0))
        if not c0 <= column < c1:
            raise _Invalid(f"sortSpecs dimensionIndex {column} is outside the range.")
        specs.append((column, spec.get("sortOrder", "ASCENDING") == "DESCENDING"))
    sort_rows(sheet, r0, r1, c0, c1, specs)


HANDLERS: dict[str, Callable[[Spreadsheet, dict, Callable[[], int]], dict | None]] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "duplicateSheet": duplicate_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "appendDimension": append_dimension,
    "setDataValidation": set_data_validation,
    "repeatCell": repeat_cell,
    "updateCells": update_cells,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "sortRange": sort_range,
}
