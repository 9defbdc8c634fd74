"""Sheets v4 and Drive v3 endpoints, as plain functions of a parsed request.

    >>> api = Api(Authority(token_uri="http://x/token"))
    >>> route = api.route("GET", "/v4/spreadsheets/1abc/values/Sheet1!A1:B2")
    >>> route.endpoint, route.params["range"]
    ('values.get', 'Sheet1!A1:B2')

:meth:`Api.route` maps method + raw path to an endpoint name and its path
parameters; :meth:`Api.call` runs it and returns ``(status, body)`` where the
body is a dict (JSON), a str (HTML) or None (empty). Errors are raised as
:class:`ApiError`. The caller holds the emulator lock.
"""

from __future__ import annotations

import copy
import random
import re
import string
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .a1 import A1Ref, col_to_letters, format_range
from .auth import Authority
from .batch import apply_batch
from .faults import RequestInfo
from .fieldmask import mask_selects, parse_mask
from .model import (
    SPREADSHEET_MIME,
    ApiError,
    Sheet,
    Spreadsheet,
    block_size,
    check_values,
    clear_values,
    find_table,
    grid_bounds,
    read_values,
    to_row_major,
    write_values,
)
from .values import DATETIME_OPTIONS, RENDER_OPTIONS

ID_ALPHABET = string.ascii_letters + string.digits + "-_"
NOT_FOUND = "Requested entity was not found."
NO_PERMISSION = "The caller does not have permission"


@dataclass
class Route:
    endpoint: str
    handler: Callable[[RequestInfo], tuple[int, Any]] | None
    params: dict[str, str] = field(default_factory=dict)
    needs_auth: bool = True


@dataclass
class Api:
    """The emulator's data (spreadsheets) and its HTTP-independent endpoints."""

    authority: Authority
    books: dict[str, Spreadsheet] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)

    # -- ids -------------------------------------------------------------------

    def new_spreadsheet_id(self) -> str:
        return "1" + "".join(self.rng.choice(ID_ALPHABET) for _ in range(43))

    def new_sheet_id(self) -> int:
        return self.rng.randint(1, 2**31 - 1)

    def create_book(self, title: str, owner: str) -> Spreadsheet:
        book = Spreadsheet.new(self.new_spreadsheet_id(), title, owner)
        self.books[book.id] = book
        return book

    # -- routing ---------------------------------------------------------------

    def route(self, method: str, raw_path: str) -> Route:
        """Map a request to an endpoint; unknown paths get ``endpoint="unknown"``."""
        parts = [urllib.parse.unquote(p) for p in raw_path.split("/")[1:]]
        method = method.upper()
        if parts[:2] == ["v4", "spreadsheets"]:
            return self._route_sheets(method, parts[2:])
        if parts[:3] == ["drive", "v3", "files"]:
            return self._route_drive(method, parts[3:])
        if parts == ["token"] and method == "POST":
            return Route("token", None, needs_auth=False)
        if parts[:3] == ["o", "oauth2", "auth"] and method == "GET":
            return Route("oauth.authorize", None, needs_auth=False)
        return Route("unknown", None, needs_auth=False)

    def _route_sheets(self, method: str, rest: list[str]) -> Route:
        if not rest and method == "POST":
            return Route("spreadsheets.create", self.spreadsheets_create)
        if not rest:
            return Route("unknown", None, needs_auth=False)
        head = rest[0]
        if len(rest) == 1:
            if head.endswith(":batchUpdate") and method == "POST":
                return Route("spreadsheets.batchUpdate", self.batch_update,
                             {"sid": head[: -len(":batchUpdate")]})
            if method == "GET":
                return Route("spreadsheets.get", self.spreadsheets_get, {"sid": head})
        sid = head
        if len(rest) == 2:
            table = {
                ("GET", "values:batchGet"): ("values.batchGet", self.values_batch_get),
                ("POST", "values:batchUpdate"): ("values.batchUpdate", self.values_batch_update),
                ("POST", "values:batchClear"): ("values.batchClear", self.values_batch_clear),
            }
            if (method, rest[1]) in table:
                name, handler = table[(method, rest[1])]
                return Route(name, handler, {"sid": sid})
        if len(rest) >= 3 and rest[1] == "values":
            text = "/".join(rest[2:])  # a "/" in a sheet title arrives as %2F
            if method == "GET":
                return Route("values.get", self.values_get, {"sid": sid, "range": text})
            if method == "PUT":
                return Route("values.update", self.values_update, {"sid": sid, "range": text})
            if method == "POST" and text.endswith(":append"):
                return Route("values.append", self.values_append,
                             {"sid": sid, "range": text[: -len(":append")]})
            if method == "POST" and text.endswith(":clear"):
                return Route("values.clear", self.values_clear,
                             {"sid": sid, "range": text[: -len(":clear")]})
        return Route("unknown", None, needs_auth=False)

    def _route_drive(self, method: str, rest: list[str]) -> Route:
        if not rest:
            if method == "POST":
                return Route("drive.files.create", self.drive_create)
            if method == "GET":
                return Route("drive.files.list", self.drive_list)
        elif len(rest) == 1:
            handlers = {"GET": ("drive.files.get", self.drive_get),
                        "DELETE": ("drive.files.delete", self.drive_delete),
                        "PATCH": ("drive.files.update", self.drive_update)}
            if method in handlers:
                name, handler = handlers[method]
                return Route(name, handler, {"fid": rest[0]})
        elif rest[1:] == ["copy"] and method == "POST":
            return Route("drive.files.copy", self.drive_copy, {"fid": rest[0]})
        elif rest[1:2] == ["permissions"]:
            if len(rest) == 2 and method == "GET":
                return Route("drive.permissions.list", self.permissions_list, {"fid": rest[0]})
            if len(rest) == 2 and method == "POST":
                return Route("drive.permissions.create", self.permissions_create,
                             {"fid": rest[0]})
            if len(rest) == 3 and method == "DELETE":
                return Route("drive.permissions.delete", self.permissions_delete,
                             {"fid": rest[0], "pid": rest[2]})
        return Route("unknown", None, needs_auth=False)

    # -- access ----------------------------------------------------------------

    def book_for(self, info: RequestInfo, sid: str, write: bool = False) -> Spreadsheet:
        """The spreadsheet if the caller may use it: 404 unknown, 403 not shared."""
        book = self.books.get(sid)
        if book is None:
            raise ApiError(404, NOT_FOUND)
        role = book.role_of(info.principal)
        if role is None or (write and role in ("reader", "commenter")):
            raise ApiError(403, NO_PERMISSION)
        return book

    # -- spreadsheets ------------------------------------------------------------

    def spreadsheets_get(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.book_for(info, info.spreadsheet_id or "")
        ranges = info.query.get("ranges", [])
        with_data = _bool(info.query, "includeGridData")
        if "fields" in info.query:  # Google ignores includeGridData when a mask is set
            with_data = mask_selects(parse_mask(info.query["fields"][0]), ["sheets", "data"])
        grid: dict[int, list[tuple[int, int, int, int]]] | None = None
        if ranges or with_data:
            grid = {}
            for text in ranges:
                sheet, ref = book.resolve(text)
                grid.setdefault(sheet.sheet_id, []).append(grid_bounds(sheet, ref))
            if not ranges:
                for sheet in book.sheets:
                    grid[sheet.sheet_id] = [(0, sheet.row_count, 0, sheet.col_count)]
        body = book.metadata_json(grid if with_data else None)
        if ranges:
            wanted = set(grid or {})
            body["sheets"] = [s for s in body["sheets"]
                              if s["properties"]["sheetId"] in wanted]
        return 200, body

    def spreadsheets_create(self, info: RequestInfo) -> tuple[int, Any]:
        body = _json_body(info)
        props = body.get("properties") or {}
        book = self.create_book(props.get("title") or "Untitled spreadsheet",
                                info.principal or "")
        sheets = body.get("sheets") or []
        if sheets:
            book.sheets = []
            requests = [{"addSheet": {"properties": s.get("properties") or {}}} for s in sheets]
            apply_batch(book, requests, self.new_sheet_id)
        return 200, book.metadata_json()

    def batch_update(self, info: RequestInfo) -> tuple[int, Any]:
        sid = info.spreadsheet_id or ""
        book = self.book_for(info, sid, write=True)
        body = _json_body(info)
        snapshot = copy.deepcopy(book)
        try:
            replies = apply_batch(book, body.get("requests") or [], self.new_sheet_id)
        except ApiError:
            self.books[sid] = snapshot  # Google applies all requests or none
            raise
        out: dict[str, Any] = {"spreadsheetId": sid, "replies": replies}
        if body.get("includeSpreadsheetInResponse"):
            out["updatedSpreadsheet"] = book.metadata_json()
        return 200, out

    # -- values ------------------------------------------------------------------

    def values_get(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.book_for(info, info.spreadsheet_id or "")
        return 200, self._value_range(book, info.range or "", info.query)

    def values_batch_get(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.book_for(info, info.spreadsheet_id or "")
        out: dict[str, Any] = {"spreadsheetId": book.id}
        ranges = info.query.get("ranges", [])
        if ranges:
            out["valueRanges"] = [self._value_range(book, text, info.query) for text in ranges]
        return 200, out

    def _value_range(self, book: Spreadsheet, text: str, query: dict) -> dict:
        major = _enum(query, "majorDimension", ("ROWS", "COLUMNS"), "ROWS", "major_dimension")
        render = _enum(query, "valueRenderOption", RENDER_OPTIONS, "FORMATTED_VALUE",
                       "value_render_option")
        when = _enum(query, "dateTimeRenderOption", DATETIME_OPTIONS, "SERIAL_NUMBER",
                     "date_time_render_option")
        sheet, ref = book.resolve(text)
        r0, r1, c0, c1 = grid_bounds(sheet, ref)
        values = read_values(sheet, r0, r1, c0, c1, major=major, value_render=render,
                             datetime_render=when)
        out: dict[str, Any] = {"range": format_range(sheet.title, r0, c0, r1, c1),
                               "majorDimension": major}
        if values:
            out["values"] = values
        return out

    def values_update(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.book_for(info, info.spreadsheet_id or "", write=True)
        user_entered = _input_option(info.query)
        body = _json_body(info)
        rows = _rows(body)
        sheet, ref = book.resolve(info.range or "")
        r0, c0 = _place(sheet, ref, info.range or "", rows)
        written = write_values(sheet, r0, c0, rows, user_entered=user_entered)
        book.touch()
        return 200, _update_response(book, sheet, r0, c0, rows, written, info.query)

    def values_batch_update(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.book_for(info, info.spreadsheet_id or "", write=True)
        body = _json_body(info)
        user_entered = _input_option({"valueInputOption": [body.get("valueInputOption", "")]})
        plans = []
        for i, entry in enumerate(body.get("data") or []):
            text = (entry or {}).get("range")
            if not text:
                raise ApiError(400, f"Invalid data[{i}]: range is required")
            rows = _rows(entry, where=f"data[{i}].values")
            sheet, ref = book.resolve(text)
            plans.append((sheet, *_place(sheet, ref, text, rows), rows))
        responses, cells, touched_rows, touched_cols, sheets = [], set(), set(), set(), set()
        query = {k: [str(v)] for k, v in body.items() if k.startswith(("response", "include"))}
        for sheet, r0, c0, rows in plans:
            written = write_values(sheet, r0, c0, rows, user_entered=user_entered)
            responses.append(_update_response(book, sheet, r0, c0, rows, written, query))
            for dr, line in enumerate(rows):
                for dc, value in enumerate(line):
                    if value is not None:
                        key = sheet.sheet_id
                        cells.add((key, r0 + dr, c0 + dc))
                        touched_rows.add((key, r0 + dr))
                        touched_cols.add((key, c0 + dc))
                        sheets.add(key)
        book.touch()
        out: dict[str, Any] = {"spreadsheetId": book.id}
        totals = {"totalUpdatedRows": len(touched_rows), "totalUpdatedColumns": len(touched_cols),
                  "totalUpdatedCells": len(cells), "totalUpdatedSheets": len(sheets)}
        out.update({k: v for k, v in totals.items() if v})
        if responses:
            out["responses"] = responses
        return 200, out

    def values_append(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.book_for(info, info.spreadsheet_id or "", write=True)
        user_entered = _input_option(info.query)
        insert = _enum(info.query, "insertDataOption", ("OVERWRITE", "INSERT_ROWS"), "OVERWRITE",
                       "insert_data_option")
        rows = _rows(_json_body(info))
        sheet, ref = book.resolve(info.range or "")
        r0, r1, c0, c1 = grid_bounds(sheet, ref)
        table = find_table(sheet, r0, r1, c0, c1)
        row, col = (table[1], table[2]) if table else (r0, c0)
        height, width = block_size(rows)
        if insert == "INSERT_ROWS" and height:
            sheet.insert_rows(row, height)
        sheet.grow_to(row + height, col + width)
        written = write_values(sheet, row, col, rows, user_entered=user_entered)
        book.touch()
        out: dict[str, Any] = {"spreadsheetId": book.id}
        if table:
            out["tableRange"] = format_range(sheet.title, table[0], table[2], table[1], table[3])
        out["updates"] = _update_response(book, sheet, row, col, rows, written, info.query)
        return 200, out

    def values_clear(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.book_for(info, info.spreadsheet_id or "", write=True)
        cleared = self._clear(book, info.range or "")
        return 200, {"spreadsheetId": book.id, "clearedRange": cleared}

    def values_batch_clear(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.book_for(info, info.spreadsheet_id or "", write=True)
        ranges = _json_body(info).get("ranges") or []
        for text in ranges:  # validate everything before clearing anything
            sheet, ref = book.resolve(text)
            grid_bounds(sheet, ref)
        cleared = [self._clear(book, text) for text in ranges]
        out: dict[str, Any] = {"spreadsheetId": book.id}
        if cleared:
            out["clearedRanges"] = cleared
        return 200, out

    def _clear(self, book: Spreadsheet, text: str) -> str:
        sheet, ref = book.resolve(text)
        r0, r1, c0, c1 = grid_bounds(sheet, ref)
        clear_values(sheet, r0, r1, c0, c1)
        book.touch()
        return format_range(sheet.title, r0, c0, r1, c1)

    # -- drive -------------------------------------------------------------------

    def drive_file(self, info: RequestInfo, fid: str, owner: bool = False) -> Spreadsheet:
        book = self.books.get(fid)
        if book is None or book.role_of(info.principal) is None:
            raise _drive_error(404, f"File not found: {fid}.", "notFound", "fileId")
        if owner and book.role_of(info.principal) != "owner":
            raise _drive_error(403, "The user does not have sufficient permissions for this "
                               "file.", "insufficientFilePermissions")
        return book

    def drive_create(self, info: RequestInfo) -> tuple[int, Any]:
        body = _json_body(info)
        if body.get("mimeType") != SPREADSHEET_MIME:
            raise _drive_error(400, "The emulator only creates Google Sheets files.",
                               "badRequest")
        book = self.create_book(body.get("name") or "Untitled spreadsheet", info.principal or "")
        return 200, book.drive_json()

    def drive_get(self, info: RequestInfo) -> tuple[int, Any]:
        return 200, self.drive_file(info, info.params["fid"]).drive_json()

    def drive_update(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.drive_file(info, info.params["fid"])
        name = _json_body(info).get("name")
        if name:
            book.title = name
            book.touch()
        return 200, book.drive_json()

    def drive_delete(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.drive_file(info, info.params["fid"], owner=True)
        del self.books[book.id]
        return 204, None

    def drive_copy(self, info: RequestInfo) -> tuple[int, Any]:
        source = self.drive_file(info, info.params["fid"])
        clone = copy.deepcopy(source)
        clone.id = self.new_spreadsheet_id()
        clone.title = _json_body(info).get("name") or f"Copy of {source.title}"
        clone.owner = info.principal or ""
        clone.permissions = {clone.owner: "owner"}
        self.books[clone.id] = clone
        return 200, clone.drive_json()

    def drive_list(self, info: RequestInfo) -> tuple[int, Any]:
        match = _drive_query(info.query.get("q", [""])[0])
        files = [b.drive_json() for b in self.books.values()
                 if b.role_of(info.principal) is not None and match(b)]
        return 200, {"kind": "drive#fileList", "incompleteSearch": False, "files": files}

    def permissions_list(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.drive_file(info, info.params["fid"])
        return 200, {"kind": "drive#permissionList",
                     "permissions": [_permission(email, role)
                                     for email, role in book.permissions.items()]}

    def permissions_create(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.drive_file(info, info.params["fid"])
        if book.role_of(info.principal) not in ("owner", "writer"):
            raise _drive_error(403, "The user does not have sufficient permissions for this "
                               "file.", "insufficientFilePermissions")
        body = _json_body(info)
        email = "anyone" if body.get("type") == "anyone" else body.get("emailAddress", "")
        role = body.get("role", "reader")
        if not email:
            raise _drive_error(400, "The permission emailAddress field is required.",
                               "required")
        book.permissions[email] = role
        return 200, _permission(email, role)

    def permissions_delete(self, info: RequestInfo) -> tuple[int, Any]:
        book = self.drive_file(info, info.params["fid"])
        pid = info.params["pid"]
        for email in list(book.permissions):
            if _permission_id(email) == pid and book.permissions[email] != "owner":
                del book.permissions[email]
                return 204, None
        raise _drive_error(404, f"Permission not found: {pid}.", "notFound", "permissionId")


# ---------------------------------------------------------------- helpers


def _json_body(info: RequestInfo) -> dict:
    if info.body is None:
        return {}
    if not isinstance(info.body, dict):
        raise ApiError(400, "Invalid JSON payload received. Expected an object.")
    return info.body


def _bool(query: dict, name: str) -> bool:
    return query.get(name, ["false"])[0].lower() == "true"


def _enum(query: dict, name: str, allowed: tuple[str, ...], default: str, proto: str) -> str:
    value = query.get(name, [default])[0] or default
    if value not in allowed:
        raise ApiError(400, f"Invalid value at '{proto}', \"{value}\"")
    return value


def _input_option(query: dict) -> bool:
    """True for USER_ENTERED, False for RAW; Google requires the parameter."""
    value = (query.get("valueInputOption") or [""])[0]
    if not value or value == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise ApiError(400, "'valueInputOption' is required but not specified")
    if value not in ("RAW", "USER_ENTERED"):
        raise ApiError(400, f"Invalid value at 'value_input_option', \"{value}\"")
    return value == "USER_ENTERED"


def _rows(body: dict, where: str = "values") -> list[list[Any]]:
    major = body.get("majorDimension") or "ROWS"
    if major not in ("ROWS", "COLUMNS"):
        raise ApiError(400, f"Invalid value at 'major_dimension', \"{major}\"")
    return to_row_major(check_values(body.get("values"), where), major)


def _place(sheet: Sheet, ref: A1Ref, text: str, rows: list[list[Any]]) -> tuple[int, int]:
    """Where a write starts; grows the grid for anchors, rejects overflowing ranges.

    A one-cell reference (``A1``) or a bare sheet name is an anchor: the data
    may extend past it (and past the grid, which grows). A bounded range must
    hold the data: ``Requested writing within range [...], but tried writing
    to row [N]``.
    """
    height, width = block_size(rows)
    r0, c0 = ref.rows[0], ref.cols[0]
    if ref.single_cell or ref.whole_sheet:
        if r0 >= sheet.row_count or c0 >= sheet.col_count:
            grid_bounds(sheet, ref)  # raises "exceeds grid limits"
        sheet.grow_to(r0 + height, c0 + width)
        return r0, c0
    open_rows, open_cols = ref.rows[1] is None, ref.cols[1] is None
    r0, r1, c0, c1 = grid_bounds(sheet, ref)
    if height > r1 - r0 and not open_rows:
        raise ApiError(400, f"Requested writing within range [{text}], but tried writing to "
                       f"row [{r1 + 1}]")
    if width > c1 - c0 and not open_cols:
        raise ApiError(400, f"Requested writing within range [{text}], but tried writing to "
                       f"column [{col_to_letters(c1)}]")
    sheet.grow_to(r0 + height, c0 + width)
    return r0, c0


def _update_response(book: Spreadsheet, sheet: Sheet, r0: int, c0: int,
                     rows: list[list[Any]], written: int, query: dict) -> dict:
    height, width = block_size(rows)
    out: dict[str, Any] = {"spreadsheetId": book.id}
    if not height or not width:
        return out
    updated = format_range(sheet.title, r0, c0, r0 + height, c0 + width)
    out.update({"updatedRange": updated, "updatedRows": height, "updatedColumns": width,
                "updatedCells": written})
    if _bool(query, "includeValuesInResponse"):
        render = _enum(query, "responseValueRenderOption", RENDER_OPTIONS, "FORMATTED_VALUE",
                       "response_value_render_option")
        when = _enum(query, "responseDateTimeRenderOption", DATETIME_OPTIONS, "SERIAL_NUMBER",
                     "response_date_time_render_option")
        data: dict[str, Any] = {"range": updated, "majorDimension": "ROWS"}
        values = read_values(sheet, r0, r0 + height, c0, c0 + width, value_render=render,
                             datetime_render=when)
        if values:
            data["values"] = values
        out["updatedData"] = data
    return out


def _drive_error(code: int, message: str, reason: str, location: str | None = None,
                 ) -> ApiError:
    error: dict[str, Any] = {"message": message, "domain": "global", "reason": reason}
    if location:
        error.update({"location": location, "locationType": "parameter"})
    return ApiError(code, message, status="", errors=[error])


def _permission_id(email: str) -> str:
    return "anyoneWithLink" if email == "anyone" else str(abs(hash(email)) % 10**20)


def _permission(email: str, role: str) -> dict:
    entry: dict[str, Any] = {"kind": "drive#permission", "id": _permission_id(email),
                             "type": "anyone" if email == "anyone" else "user", "role": role}
    if email != "anyone":
        entry.update({"emailAddress": email, "displayName": email.split("@")[0],
                      "deleted": False, "pendingOwner": False})
    return entry


_CLAUSE = re.compile(r"""^\s*(\w+)\s*(=|!=|contains)\s*(["'])(.*)\3\s*$""", re.S)


def _drive_query(q: str) -> Callable[[Spreadsheet], bool]:
    """A Drive ``q`` filter for the clauses gspread sends (mimeType, name, trashed)."""
    checks: list[Callable[[Spreadsheet], bool]] = []
    for clause in re.split(r"\s+and\s+", q.strip(), flags=re.I) if q.strip() else []:
        if re.match(r"^\s*trashed\s*=\s*(true|false)\s*$", clause, re.I):
            trashed = clause.lower().endswith("true")
            checks.append(lambda _b, wanted=trashed: not wanted)  # nothing is ever trashed
            continue
        if re.match(r"""^\s*(["']).*\1\s+in\s+parents\s*$""", clause):
            continue  # folders are not modelled: every file matches
        match = _CLAUSE.match(clause)
        if not match:
            raise _drive_error(400, "Invalid Value", "invalid", "q")
        name, op, value = match.group(1), match.group(2), match.group(4).replace('\\"', '"')
        getter = {"name": lambda b: b.title, "mimeType": lambda b: SPREADSHEET_MIME}.get(name)
        if getter is None:
            raise _drive_error(400, "Invalid Value", "invalid", "q")
        if op == "=":
            checks.append(lambda b, g=getter, v=value: g(b) == v)
        elif op == "!=":
            checks.append(lambda b, g=getter, v=value: g(b) != v)
        else:
            checks.append(lambda b, g=getter, v=value: v.lower() in g(b).lower())
    return lambda book: all(check(book) for check in checks)


DRIVE_DEFAULT_FIELDS = {
    "drive.files.create": "kind,id,name,mimeType",
    "drive.files.get": "kind,id,name,mimeType",
    "drive.files.update": "kind,id,name,mimeType",
    "drive.files.copy": "kind,id,name,mimeType",
    "drive.files.list": "kind,incompleteSearch,files(kind,id,name,mimeType)",
    "drive.permissions.list": "kind,permissions(kind,id,type,role)",
    "drive.permissions.create": "kind,id,type,role",
}
