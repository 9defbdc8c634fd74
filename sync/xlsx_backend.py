"""A local spreadsheet file (.xlsx) as the system of record: the demo workspace's sheet, and a
real option for teams that keep a shared workbook. People open it in LibreOffice or Excel,
edit, save; the next sync sees their changes.

    backend = XlsxBackend("team.xlsx")
    backend.read(["Projects"])   # {"Projects": [["ID", "Project", ...], [...], ...]}
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sync.spec import cell_text

DATE_FORMAT = "yyyy-mm-dd"


class WorkbookError(Exception):
    """The workbook cannot be read or written; the message says why and what to do."""


class XlsxBackend:
    """Reads the whole workbook per sync (one "call"), writes by saving a new copy and
    renaming it over the old one, so a crash never leaves a half-written file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = self.path.name
        self._counts: dict[str, int] = {}
        self._seen: tuple[int, int, str] | None = None  # (mtime_ns, size, content hash)

    # -- helpers ----------------------------------------------------------------------

    def _count(self, what: str) -> None:
        self._counts[what] = self._counts.get(what, 0) + 1

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def version(self) -> str:
        """The content hash of the file, for "did anything change?". The file is read only
        when its modification time or size moved since the last look; the hash then tells a
        real change from a save that changed nothing."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return ""
        if self._seen is not None and self._seen[:2] == (stat.st_mtime_ns, stat.st_size):
            return self._seen[2]
        self._count("hash")
        digest = hashlib.blake2b(self.path.read_bytes(), digest_size=16).hexdigest()
        self._seen = (stat.st_mtime_ns, stat.st_size, digest)
        return digest

    def lock_file(self) -> Path | None:
        """The lock file an office program leaves beside a workbook it has open."""
        for name in (f".~lock.{self.path.name}#", f"~${self.path.name}"):
            candidate = self.path.with_name(name)
            if candidate.exists():
                return candidate
        return None

    def writable(self) -> str | None:
        lock = self.lock_file()
        if lock is not None:
            return (f"{self.path.name} is open in an office program (lock file {lock}); "
                    "fix: save and close it there, then sync again. If no program has it "
                    f"open (one crashed), the lock file is stale: delete {lock.name} "
                    "(see Troubleshooting in the README). Nothing was written; your edits "
                    "wait for the next sync.")
        return None

    def _load(self, read_only: bool = False) -> openpyxl.Workbook:
        if not self.path.exists():
            raise WorkbookError(f"{self.path} does not exist (run `amtui init-sheet` to create it)")
        try:
            # data_only: a formula a person typed is read as its last computed value
            return openpyxl.load_workbook(self.path, data_only=True, read_only=read_only)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise WorkbookError(
                f"{self.path} is not a readable .xlsx workbook ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else 'damaged'}); fix: restore it from "
                "a backup or your office program's version history; or move it aside, run "
                "`amtui init-sheet --refill` and then `amtui sync` to re-create it from the "
                "local database (see Troubleshooting in the README). Nothing was changed."
            ) from exc

    def _save(self, book: openpyxl.Workbook) -> None:
        why = self.writable()
        if why:
            raise WorkbookError(why)
        fd, tmp = tempfile.mkstemp(prefix=".amtui-", suffix=".xlsx", dir=self.path.parent)
        os.close(fd)
        # a shared workbook keeps its permissions (mkstemp makes the copy private)
        mode = self.path.stat().st_mode & 0o777 if self.path.exists() else 0o644
        try:
            book.save(tmp)
            os.chmod(tmp, mode)
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    # -- the Backend protocol ---------------------------------------------------------

    def read(self, titles: list[str]) -> dict[str, list[list] | None]:
        self._count("read")
        book = self._load(read_only=True)
        try:
            return {title: (_grid(book[title]) if title in book.sheetnames else None)
                    for title in titles}
        finally:
            book.close()

    def read_check(self, requests: dict[str, list[int] | None]) -> dict[str, list[list]]:
        """The tabs as they are now (the whole file is read anyway)."""
        return {t: g for t, g in self.read(list(requests)).items() if g is not None}

    def write_cells(self, writes: list[tuple[str, int, int, object]]) -> None:
        self._count("write")
        book = self._load()
        for title, row, col, value in writes:
            _put(book[title], row, col + 1, value)
        self._save(book)

    def append_rows(self, title: str, rows: list[list]) -> int:
        self._count("append")
        book = self._load()
        sheet = book[title]
        first = _last_row(sheet) + 1
        for offset, values in enumerate(rows):
            for col, value in enumerate(values, start=1):
                if value != "":
                    _put(sheet, first + offset, col, value)
        self._save(book)
        return first

    def delete_rows(self, rows_by_title: dict[str, list[int]]) -> None:
        self._count("delete")
        book = self._load()
        for title, rows in rows_by_title.items():
            for row in sorted(rows, reverse=True):
                book[title].delete_rows(row)
        self._save(book)

    # -- layout (init-sheet) -----------------------------------------------------------

    def prepare(self, layout: list[dict]) -> list[str]:
        """Create the file, missing tabs and headers, frozen header rows, dropdowns and date
        formats. Never overwrites a cell that has a value. Returns what it did."""
        done = []
        if self.path.exists():
            book = self._load()
        else:
            book = openpyxl.Workbook()
            book.remove(book.active)
            done.append(f"created {self.path.name}")
        for tab in layout:
            done += _prepare_tab(book, tab)
        self._save(book)
        return done

    def fill(self, tabs: dict[str, list[list]], layout: list[dict] | None = None) -> None:
        """Write whole tabs (header row first): used to create the demo workbook."""
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in tabs.items():
            sheet = book.create_sheet(title)
            for values in rows:
                sheet.append(values)
        for tab in layout or []:
            _prepare_tab(book, tab)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"  # text that looks like a formula stays text
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._save(book)


def _grid(sheet) -> list[list]:
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    # like the Sheets API: drop trailing empty cells and rows
    for row in rows:
        while row and (row[-1] is None or row[-1] == ""):
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return [[_cell(v) for v in row] for row in rows]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def _last_row(sheet) -> int:
    for row in range(sheet.max_row, 0, -1):
        if any(cell_text(c.value) for c in sheet[row]):
            return row
    return 0


def _put(sheet, row: int, col: int, value) -> None:
    cell = sheet.cell(row=row, column=col)
    if isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # RAW semantics: text from amtui is never a formula
    elif isinstance(value, int | float) and cell.number_format == "General" and row > 2:
        above = sheet.cell(row=row - 1, column=col).number_format
        cell.number_format = above  # keep the column's look (dates, percent, money)


def _prepare_tab(book, tab: dict) -> list[str]:
    """``tab``: {"title", "headers": [...], "choices": {header: [...]}, "formats":
    {header: "date"|"percent"|"money"}, "id_header": "ID"}."""
    done = []
    title = tab["title"]
    if title not in book.sheetnames:
        book.create_sheet(title)
        done.append(f"added tab {title}")
    sheet = book[title]
    header = [cell_text(c.value) for c in sheet[1]] if sheet.max_row >= 1 else []
    while header and header[-1] == "":
        header.pop()
    for name in tab["headers"]:
        if name not in header:
            header.append(name)
            sheet.cell(row=1, column=len(header), value=name)
            done.append(f"added column {title}!{name}")
    sheet.freeze_panes = "A2"
    existing = {(dv.formula1, str(dv.sqref)) for dv in sheet.data_validations.dataValidation}
    for name, values in tab.get("choices", {}).items():
        col = get_column_letter(header.index(name) + 1)
        formula = '"' + ",".join(values) + '"'
        ref = f"{col}2:{col}5000"
        if (formula, ref) in existing or len(formula) > 255:
            continue
        validation = DataValidation(type="list", formula1=formula, allow_blank=True,
                                    showErrorMessage=False)
        validation.add(ref)
        sheet.add_data_validation(validation)
    formats = {"date": DATE_FORMAT, "percent": "0%", "money": "#,##0.00"}
    for name, kind in tab.get("formats", {}).items():
        col = header.index(name) + 1
        for row in range(2, max(sheet.max_row, 2) + 1):
            cell = sheet.cell(row=row, column=col)
            if cell.number_format == "General":
                cell.number_format = formats[kind]
    return done
