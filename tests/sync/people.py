"""A person editing the system of record by hand, for the sync tests: one interface over the
local workbook (openpyxl, as LibreOffice would save it) and the Sheets emulator (its control
API, as a person typing in the browser)."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
from openpyxl.utils import column_index_from_string

from sync.spec import cell_text


def split_a1(a1: str) -> tuple[int, int]:
    """``"F14"`` → (14, 5): 1-based row, 0-based column."""
    letters = "".join(c for c in a1 if c.isalpha())
    return int(a1[len(letters):]), column_index_from_string(letters) - 1


class XlsxPerson:
    kind = "xlsx"

    def __init__(self, path):
        self.path = path

    def backend(self):
        from sync.xlsx_backend import XlsxBackend

        return XlsxBackend(self.path)

    def _edit(self, change):
        book = openpyxl.load_workbook(self.path)
        change(book)
        book.save(self.path)

    def grid(self, tab: str) -> list[list[str]]:
        book = openpyxl.load_workbook(self.path, data_only=True)
        rows = []
        for row in book[tab].iter_rows(values_only=True):
            rows.append([_text(v) for v in row])
        return _trim(rows)

    def raw(self, tab: str, a1: str):
        book = openpyxl.load_workbook(self.path)
        cell = book[tab][a1]
        return cell.value, cell.data_type

    def set_cell(self, tab: str, a1: str, value) -> None:
        def change(book):
            book[tab][a1] = value
        self._edit(change)

    def insert_rows(self, tab: str, at: int, rows: list[list]) -> None:
        def change(book):
            sheet = book[tab]
            sheet.insert_rows(at, len(rows))
            for offset, values in enumerate(rows):
                for col, value in enumerate(values, start=1):
                    sheet.cell(row=at + offset, column=col, value=value)
        self._edit(change)

    def delete_rows(self, tab: str, start: int, count: int = 1) -> None:
        self._edit(lambda book: book[tab].delete_rows(start, count))

    def append_row(self, tab: str, values: list) -> None:
        self._edit(lambda book: book[tab].append(values))

    def sort(self, tab: str, header: str, descending: bool = False) -> None:
        def change(book):
            sheet = book[tab]
            rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
            col = [c.value for c in sheet[1]].index(header)
            rows.sort(key=lambda r: cell_text(r[col]), reverse=descending)
            sheet.delete_rows(2, sheet.max_row)
            for values in rows:
                sheet.append(values)
        self._edit(change)

    def rename_header(self, tab: str, old: str, new: str) -> None:
        def change(book):
            for cell in book[tab][1]:
                if cell.value == old:
                    cell.value = new
        self._edit(change)


class EmulatorPerson:
    kind = "google"

    def __init__(self, emulator, spreadsheet_id: str, key_file):
        self.emulator, self.sid, self.key_file = emulator, spreadsheet_id, key_file

    def backend(self, **client_options):
        from sync.gclient import make_client
        from sync.google_backend import GoogleSheetBackend

        client = make_client(self.key_file, endpoint=self.emulator.base_url, **client_options)
        return GoogleSheetBackend(client, self.sid)

    def grid(self, tab: str) -> list[list[str]]:
        return _trim([[_text(v) for v in row] for row in self.emulator.get_values(self.sid, tab)])

    def raw(self, tab: str, a1: str):
        row, col = split_a1(a1)
        values = self.emulator.get_values(self.sid, tab)
        value = values[row - 1][col] if row <= len(values) and col < len(values[row - 1]) else None
        return value, "s" if isinstance(value, str) else "n"

    def set_cell(self, tab: str, a1: str, value) -> None:
        if isinstance(value, date | datetime):
            value = value.isoformat()[:10]
        self.emulator.set_cell(self.sid, tab, a1, value)

    def insert_rows(self, tab: str, at: int, rows: list[list]) -> None:
        self.emulator.insert_rows(self.sid, tab, at, len(rows), values=rows)

    def delete_rows(self, tab: str, start: int, count: int = 1) -> None:
        self.emulator.delete_rows(self.sid, tab, start, count)

    def append_row(self, tab: str, values: list) -> None:
        rows = self.emulator.get_values(self.sid, tab)
        self.emulator.set_values(self.sid, tab, f"A{len(rows) + 1}", [values])

    def sort(self, tab: str, header: str, descending: bool = False) -> None:
        self.emulator.sort_tab(self.sid, tab, header, descending=descending)

    def rename_header(self, tab: str, old: str, new: str) -> None:
        self.emulator.rename_header(self.sid, tab, old, new)


def _text(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return cell_text(value)


def _trim(rows: list[list[str]]) -> list[list[str]]:
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows
