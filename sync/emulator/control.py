"""Control interface: a test (or a person) editing the sheet behind amtui's back.

    sid = emu.create_spreadsheet("Team", {"Projects": [["ID", "Project"], ["P1", "Web"]]})
    emu.set_cell(sid, "Projects", "B2", "Website")            # as if typed in the browser
    emu.insert_rows(sid, "Projects", 2, values=[["", "New"]])  # a person inserts a row
    emu.get_values(sid, "Projects")
    # -> [['ID', 'Project'], ['', 'New'], ['P1', 'Website']]

Conventions: rows are 1-based like the Sheets UI (``at_row=2`` is the first
row under the header); a column is either an int (0-based index) or a str
(the header text in row 1). Every method takes the emulator lock, so tests
may call them from any thread, including from an :meth:`on_request` hook.
The same methods are served over HTTP as ``POST /_control/<name>`` with the
keyword arguments as a JSON object (see :class:`RemoteEmulator`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import requests

from .a1 import parse_a1
from .model import (
    Sheet,
    Spreadsheet,
    clear_values,
    header_column,
    read_values,
    sort_rows,
    write_values,
)
from .values import Cell, enter_user_value, render

DEFAULT_OWNER = "owner@example.com"

CONTROL_METHODS = frozenset({
    "create_spreadsheet", "share", "unshare", "load_workbook_tabs", "spreadsheet_ids",
    "tab_titles", "get_values", "get_cell", "cell_info", "set_cell", "set_values",
    "insert_rows", "delete_rows", "insert_columns", "delete_column", "move_column",
    "sort_tab", "rename_header", "add_tab", "delete_tab", "rename_tab", "fail_next",
    "fail_rate", "delay_next", "clear_faults", "counts", "reset_counts", "revoke_tokens",
    "save_state",
})  # fmt: skip


class ControlMixin:
    """Person-like edits and test helpers; mixed into :class:`SheetsEmulator`."""

    # Provided by SheetsEmulator.
    _lock: Any
    _api: Any
    faults: Any
    state_file: Path | None

    # -- spreadsheets ------------------------------------------------------------

    def create_spreadsheet(self, title: str = "amtui test",
                           tabs: dict[str, list[list[Any]]] | None = None,
                           shared_with: tuple[str, ...] | list[str] = (),
                           owner: str = DEFAULT_OWNER) -> str:
        """Create a spreadsheet owned by ``owner`` (a person) and return its id.

        ``tabs`` maps tab titles to rows typed as a person would
        (USER_ENTERED); without it the file has one empty ``Sheet1``.
        """
        with self._lock:
            book = self._api.create_book(title, owner)
            for email in shared_with:
                book.permissions[email] = "writer"
            if tabs:
                self._load_tabs(book, tabs, user_entered=True)
            self._changed()
            return book.id

    def share(self, spreadsheet_id: str, email: str, role: str = "writer") -> None:
        """Give ``email`` access (``reader``, ``commenter``, ``writer`` or ``owner``)."""
        with self._lock:
            self._book(spreadsheet_id).permissions[email] = role
            self._changed()

    def unshare(self, spreadsheet_id: str, email: str) -> None:
        with self._lock:
            self._book(spreadsheet_id).permissions.pop(email, None)
            self._changed()

    def load_workbook_tabs(self, spreadsheet_id: str, tabs: dict[str, list[list[Any]]], *,
                           value_input: str = "USER_ENTERED") -> None:
        """Replace the workbook's tabs with ``tabs`` (title -> rows), in order.

        Tabs whose title already exists keep their sheet id; other tabs are
        removed. Values are entered as a person types them (``USER_ENTERED``:
        ``"2026-11-26"`` becomes a date) or kept as-is with ``value_input="RAW"``.
        Python ``date``/``datetime`` values become real dates either way.

            emu.load_workbook_tabs(sid, {"Managers": [["ID", "Name"], ["M1", "Li Na"]]})
        """
        with self._lock:
            self._load_tabs(self._book(spreadsheet_id), tabs,
                            user_entered=value_input == "USER_ENTERED")
            self._changed()

    def _load_tabs(self, book: Spreadsheet, tabs: dict[str, list[list[Any]]],
                   user_entered: bool) -> None:
        sheets = []
        for title, rows in tabs.items():
            sheet = book.sheet_by_title(title) or Sheet(self._api.new_sheet_id(), title)
            sheet.title = title
            sheet.rows = []
            width = max((len(r) for r in rows), default=0)
            sheet.row_count = max(sheet.row_count, len(rows))
            sheet.col_count = max(sheet.col_count, width)
            _write_person(sheet, 0, 0, rows, user_entered)
            sheets.append(sheet)
        book.sheets = sheets
        book.reindex()
        book.touch()

    def spreadsheet_ids(self, title: str | None = None) -> list[str]:
        """Ids of all spreadsheets (or only those named ``title``), oldest first."""
        with self._lock:
            return [sid for sid, book in self._api.books.items()
                    if title is None or book.title == title]

    def tab_titles(self, spreadsheet_id: str) -> list[str]:
        with self._lock:
            return [s.title for s in self._book(spreadsheet_id).sheets]

    # -- reading -------------------------------------------------------------------

    def get_values(self, spreadsheet_id: str, tab: str, render_option: str = "UNFORMATTED_VALUE",
                   datetime_render: str = "SERIAL_NUMBER") -> list[list[Any]]:
        """The tab's data as a rectangle padded with ``""`` (unformatted by default)."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            height, width = sheet.data_extent()
            rows = read_values(sheet, 0, height, 0, width, value_render=render_option,
                               datetime_render=datetime_render)
            rows += [[] for _ in range(height - len(rows))]
            return [row + [""] * (width - len(row)) for row in rows]

    def get_cell(self, spreadsheet_id: str, tab: str, a1: str,
                 render_option: str = "FORMATTED_VALUE") -> Any:
        """One cell rendered like the values API (``""`` when empty)."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            row, col = _cell_ref(a1)
            cell = sheet.cell(row, col)
            if cell is None or not cell.has_value:
                return ""
            return render(cell, render_option, "FORMATTED_STRING", sheet.evaluate)

    def cell_info(self, spreadsheet_id: str, tab: str, a1: str) -> dict:
        """Everything stored in a cell: value, formula, format, validation, note."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            cell = sheet.cell(*_cell_ref(a1)) or Cell()
            return {"value": cell.value, "formula": cell.formula, "format": cell.format,
                    "validation": cell.validation, "note": cell.note,
                    "formatted": render(cell, "FORMATTED_VALUE", "FORMATTED_STRING",
                                        sheet.evaluate)}

    # -- person edits ----------------------------------------------------------------

    def set_cell(self, spreadsheet_id: str, tab: str, a1: str, value: Any) -> None:
        """Type ``value`` into one cell (USER_ENTERED: ``=`` formulas, dates...)."""
        self.set_values(spreadsheet_id, tab, a1, [[value]])

    def set_values(self, spreadsheet_id: str, tab: str, a1_start: str,
                   rows: list[list[Any]]) -> None:
        """Paste a block of typed values starting at ``a1_start``; None skips a cell."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            row, col = _cell_ref(a1_start)
            _write_person(sheet, row, col, rows, user_entered=True)
            self._touch(spreadsheet_id)

    def insert_rows(self, spreadsheet_id: str, tab: str, at_row: int, count: int = 1,
                    values: list[list[Any]] | None = None) -> None:
        """Insert ``count`` blank rows so the first becomes row ``at_row`` (1-based)."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            sheet.insert_rows(at_row - 1, count, inherit_row=at_row - 1)
            if values:
                _write_person(sheet, at_row - 1, 0, values, user_entered=True)
            self._touch(spreadsheet_id)

    def delete_rows(self, spreadsheet_id: str, tab: str, start_row: int, count: int = 1) -> None:
        """Delete rows ``start_row`` .. ``start_row+count-1`` (1-based)."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            sheet.delete_rows(start_row - 1, start_row - 1 + count)
            self._touch(spreadsheet_id)

    def insert_columns(self, spreadsheet_id: str, tab: str, at_column: int | str,
                       count: int = 1, header: str | None = None) -> None:
        """Insert blank columns before ``at_column``; optionally name the first one."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            col = _column(sheet, at_column)
            sheet.insert_cols(col, count)
            if header is not None:
                _write_person(sheet, 0, col, [[header]], user_entered=True)
            self._touch(spreadsheet_id)

    def delete_column(self, spreadsheet_id: str, tab: str, column: int | str) -> None:
        """Delete a whole column (by 0-based index or header text)."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            col = _column(sheet, column)
            sheet.delete_cols(col, col + 1)
            self._touch(spreadsheet_id)

    def move_column(self, spreadsheet_id: str, tab: str, column: int | str, to_index: int) -> None:
        """Drag a column to 0-based position ``to_index`` (others shift)."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            col = _column(sheet, column)
            for cells in sheet.rows:
                cells.extend([None] * (max(col, to_index) + 1 - len(cells)))
                cells.insert(to_index, cells.pop(col))
            self._touch(spreadsheet_id)

    def sort_tab(self, spreadsheet_id: str, tab: str, column_index_or_header: int | str,
                 descending: bool = False) -> None:
        """Sort the data rows by one column, keeping the header row in place."""
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            col = _column(sheet, column_index_or_header)
            height, width = sheet.data_extent()
            sort_rows(sheet, 1, height, 0, max(width, col + 1), [(col, descending)])
            self._touch(spreadsheet_id)

    def rename_header(self, spreadsheet_id: str, tab: str, old: str, new: str) -> None:
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            col = header_column(sheet, old)
            _write_person(sheet, 0, col, [[new]], user_entered=True)
            self._touch(spreadsheet_id)

    def add_tab(self, spreadsheet_id: str, title: str, rows: list[list[Any]] | None = None,
                index: int | None = None) -> int:
        """Add a tab (optionally filled) and return its sheet id."""
        with self._lock:
            book = self._book(spreadsheet_id)
            if book.sheet_by_title(title) is not None:
                raise ValueError(f"a tab named {title!r} already exists")
            sheet = Sheet(self._api.new_sheet_id(), title)
            _write_person(sheet, 0, 0, rows or [], user_entered=True)
            book.sheets.insert(len(book.sheets) if index is None else index, sheet)
            book.reindex()
            self._touch(spreadsheet_id)
            return sheet.sheet_id

    def delete_tab(self, spreadsheet_id: str, tab: str) -> None:
        with self._lock:
            book = self._book(spreadsheet_id)
            book.sheets.remove(self._sheet(spreadsheet_id, tab))
            book.reindex()
            self._touch(spreadsheet_id)

    def rename_tab(self, spreadsheet_id: str, tab: str, new_title: str) -> None:
        with self._lock:
            self._sheet(spreadsheet_id, tab).title = new_title
            self._touch(spreadsheet_id)

    def clear_tab(self, spreadsheet_id: str, tab: str) -> None:
        with self._lock:
            sheet = self._sheet(spreadsheet_id, tab)
            clear_values(sheet, 0, sheet.row_count, 0, sheet.col_count)
            self._touch(spreadsheet_id)

    # -- faults, counting ------------------------------------------------------------

    def fail_next(self, n: int = 1, status: int = 429, retry_after: float | None = None,
                  path_contains: str | None = None, endpoint: str | None = None,
                  applied: bool = False) -> None:
        """Fail the next ``n`` matching API requests (see :meth:`Faults.fail_next`)."""
        self.faults.fail_next(n, status, retry_after, path_contains, endpoint, applied)

    def fail_rate(self, rate: float, status: int = 503, retry_after: float | None = None,
                  path_contains: str | None = None, endpoint: str | None = None,
                  seed: int | None = None) -> None:
        self.faults.fail_rate(rate, status, retry_after, path_contains, endpoint, seed)

    def delay_next(self, n: int, seconds: float, path_contains: str | None = None,
                   endpoint: str | None = None, process_first: bool = True) -> None:
        """Answer the next ``n`` matching requests ``seconds`` late (to cause timeouts)."""
        self.faults.delay_next(n, seconds, path_contains, endpoint, process_first)

    def clear_faults(self) -> None:
        self.faults.clear()

    # -- persistence ---------------------------------------------------------------------

    def save_state(self, path: str | os.PathLike | None = None) -> None:
        """Write spreadsheets and accounts to a JSON file (``state_file`` by default)."""
        target = Path(path) if path else self.state_file
        if target is None:
            raise ValueError("no state file configured")
        with self._lock:
            data = {"spreadsheets": [_book_json(b) for b in self._api.books.values()],
                    "auth": self._api.authority.to_json()}
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)

    def load_state(self, path: str | os.PathLike) -> None:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        with self._lock:
            for entry in data.get("spreadsheets", []):
                book = _book_from_json(entry)
                self._api.books[book.id] = book
            self._api.authority.load_json(data.get("auth", {}))

    # -- internals -------------------------------------------------------------------

    def _book(self, spreadsheet_id: str) -> Spreadsheet:
        book = self._api.books.get(spreadsheet_id)
        if book is None:
            raise KeyError(f"no spreadsheet {spreadsheet_id!r}")
        return book

    def _sheet(self, spreadsheet_id: str, tab: str) -> Sheet:
        sheet = self._book(spreadsheet_id).sheet_by_title(tab)
        if sheet is None:
            raise KeyError(f"no tab {tab!r} in {spreadsheet_id!r}")
        return sheet

    def _touch(self, spreadsheet_id: str) -> None:
        self._book(spreadsheet_id).touch()
        self._changed()

    def _changed(self) -> None:
        if self.state_file is not None:
            self.save_state()


def _cell_ref(a1: str) -> tuple[int, int]:
    ref = parse_a1(a1)
    return ref.rows[0], ref.cols[0]


def _column(sheet: Sheet, column: int | str) -> int:
    return column if isinstance(column, int) else header_column(sheet, column)


def _write_person(sheet: Sheet, row: int, col: int, rows: list[list[Any]],
                  user_entered: bool) -> None:
    """Write like a person pasting: dates stay dates, the grid grows as needed."""
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    sheet.grow_to(row + height, col + width)
    if user_entered:
        for dr, line in enumerate(rows):
            for dc, value in enumerate(line):
                if value is not None:
                    enter_user_value(sheet.ensure_cell(row + dr, col + dc), value)
        return
    plain = [[_plain(v) for v in line] for line in rows]
    write_values(sheet, row, col, plain, user_entered=False)
    for dr, line in enumerate(rows):
        for dc, value in enumerate(line):
            if isinstance(value, dt.date):
                enter_user_value(sheet.ensure_cell(row + dr, col + dc), value)


def _plain(value: Any) -> Any:
    return None if isinstance(value, dt.date) else value


# ---------------------------------------------------------------- persistence


def _book_json(book: Spreadsheet) -> dict:
    sheets = []
    for sheet in book.sheets:
        cells = []
        for r, line in enumerate(sheet.rows):
            for c, cell in enumerate(line):
                if cell is not None and not cell.is_blank():
                    cells.append([r, c, {k: v for k, v in {
                        "v": cell.value, "f": cell.formula, "fmt": cell.format,
                        "dv": cell.validation, "n": cell.note}.items() if v is not None}])
        sheets.append({"id": sheet.sheet_id, "title": sheet.title, "rows": sheet.row_count,
                       "cols": sheet.col_count, "frozen_rows": sheet.frozen_rows,
                       "frozen_cols": sheet.frozen_cols, "hidden": sheet.hidden,
                       "extra": sheet.extra_props, "protected": sheet.protected_ranges,
                       "cells": cells})
    return {"id": book.id, "title": book.title, "owner": book.owner,
            "permissions": book.permissions, "created": book.created.isoformat(),
            "modified": book.modified.isoformat(), "version": book.version,
            "sheets": sheets}


def _book_from_json(data: dict) -> Spreadsheet:
    book = Spreadsheet(id=data["id"], title=data["title"], owner=data["owner"],
                       permissions=dict(data["permissions"]),
                       created=dt.datetime.fromisoformat(data["created"]),
                       modified=dt.datetime.fromisoformat(data["modified"]),
                       version=int(data.get("version", 1)))
    for entry in data["sheets"]:
        sheet = Sheet(entry["id"], entry["title"], row_count=entry["rows"],
                      col_count=entry["cols"], frozen_rows=entry["frozen_rows"],
                      frozen_cols=entry["frozen_cols"], hidden=entry["hidden"],
                      extra_props=entry["extra"], protected_ranges=entry["protected"])
        for r, c, stored in entry["cells"]:
            cell = sheet.ensure_cell(r, c)
            cell.value, cell.formula = stored.get("v"), stored.get("f")
            cell.format, cell.validation, cell.note = (stored.get("fmt"), stored.get("dv"),
                                                       stored.get("n"))
        book.sheets.append(sheet)
    book.reindex()
    return book


# ---------------------------------------------------------------- remote control


class RemoteEmulator:
    """Drive a standalone emulator (``python -m sync.emulator``) from another process.

        remote = RemoteEmulator("http://127.0.0.1:8787")
        remote.set_cell(sid, "Projects", "E5", "Delivered")
        remote.fail_next(3, status=503)
    """

    def __init__(self, base_url: str, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()

    def call(self, name: str, **kwargs: Any) -> Any:
        response = self.session.post(f"{self.base_url}/_control/{name}", json=kwargs, timeout=30)
        body = response.json()
        if response.status_code != 200:
            raise RuntimeError(f"emulator control {name} failed: {body.get('error')}")
        return body.get("result")

    def __getattr__(self, name: str) -> Any:
        if name in CONTROL_METHODS:
            return lambda **kwargs: self.call(name, **kwargs)
        raise AttributeError(name)


__all__ = ["CONTROL_METHODS", "DEFAULT_OWNER", "ControlMixin", "RemoteEmulator"]
