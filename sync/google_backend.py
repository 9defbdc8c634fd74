"""Google Sheets as the system of record, through gspread's low-level calls.

Every sync costs the fewest requests the API allows (the quota is 60 per minute per user and
a batch counts as one): the spreadsheet's metadata only when the caller's ``cache`` does not
hold the tab ids and titles yet (or a tab went missing or was renamed), one
``values:batchGet`` for all tabs, and only when something changed: one narrow
``values:batchGet`` to re-check row positions, one ``values:batchUpdate`` for every changed
cell, one ``values:append`` per tab with new rows, one ``spreadsheets:batchUpdate`` for
deletes.

    backend = GoogleSheetBackend(make_client("key.json"), "1AbC...")
    backend.read(["Projects", "Feedback"])
    backend.version()   # Drive's file version: no Sheets request, for "did anything change?"

``cache`` is a plain dict the caller keeps between runs (amtui stores it as JSON): the
backend fills it with the tab ids and titles it read and uses them instead of asking again.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import gspread
from gspread.urls import DRIVE_FILES_API_V3_URL

from sync.spec import column_letter, quote_title

READ_PARAMS = {
    "majorDimension": "ROWS",
    "valueRenderOption": "UNFORMATTED_VALUE",
    "dateTimeRenderOption": "SERIAL_NUMBER",
}
EPOCH = date(1899, 12, 30)
KEY_IN_URL = re.compile(r"/spreadsheets/d/([a-zA-Z0-9-_]+)")


def spreadsheet_key(url_or_key: str) -> str:
    """``spreadsheet_key("https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0") == "1AbC"``."""
    found = KEY_IN_URL.search(url_or_key)
    return found.group(1) if found else url_or_key.strip()


def to_json_cell(value):
    """Dates go to the API as serial numbers (the column is date-formatted)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return (value - EPOCH).days
    return value


def merge_column(grid: list[list], col: int, values: list[list]) -> list[list]:
    """Put a one-column read (``[[a], [b], []]``) into column ``col`` of a sparse grid."""
    while len(grid) < len(values):
        grid.append([])
    for row, cells in zip(grid, values, strict=False):
        if cells:
            row.extend([""] * (col + 1 - len(row)))
            row[col] = cells[0]
    return grid


class GoogleSheetBackend:
    def __init__(self, client: gspread.Client, key: str, *, counter=None,
                 cache: dict | None = None):
        self.client = client
        self.http = client.http_client
        self.key = spreadsheet_key(key)
        self._meta: dict | None = None
        self._counts: dict[str, int] = {}
        self.cache = cache if cache is not None else {}
        if self.cache.get("key") != self.key:  # another sheet's ids are of no use
            self.cache.clear()
        self.name = self.cache.get("title") or self.key

    # -- bookkeeping --------------------------------------------------------------------

    def _count(self, what: str) -> None:
        self._counts[what] = self._counts.get(what, 0) + 1

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def metadata(self, refresh: bool = False) -> dict:
        if self._meta is None or refresh:
            self._count("spreadsheets.get")
            self._meta = self.http.fetch_sheet_metadata(self.key)
            self.name = self._meta.get("properties", {}).get("title", self.key)
            self.cache.clear()
            self.cache.update(key=self.key, title=self.name, sheets={
                s["properties"]["title"]: s["properties"]["sheetId"]
                for s in self._meta.get("sheets", [])})
        return self._meta

    def sheet_ids(self) -> dict[str, int]:
        if "sheets" not in self.cache:
            self.metadata()
        return dict(self.cache["sheets"])

    def version(self) -> str:
        """Drive's version of the file: it moves on every change to the spreadsheet. One
        Drive ``files.get`` (Drive's quota, not the Sheets API's 60 per minute)."""
        self._count("drive.files.get")
        answer = self.http.request(
            "get", f"{DRIVE_FILES_API_V3_URL}/{self.key}",
            params={"fields": "version,modifiedTime", "supportsAllDrives": True}).json()
        return f"{answer.get('version', '')}@{answer.get('modifiedTime', '')}"

    def url(self, title: str | None = None, cell: str | None = None) -> str:
        """A browser link to the sheet, at a tab and cell when given."""
        link = f"https://docs.google.com/spreadsheets/d/{self.key}/edit"
        if title is None:
            return link
        gid = self.sheet_ids().get(title, 0)
        return link + f"#gid={gid}" + (f"&range={cell}" if cell else "")

    def writable(self) -> str | None:
        return None

    # -- the Backend protocol ------------------------------------------------------------

    def read(self, titles: list[str]) -> dict[str, list[list] | None]:
        fresh = "sheets" not in self.cache
        if not fresh and any(t not in self.cache["sheets"] for t in titles):
            self.metadata(refresh=True)  # a tab missing from the cached list: added since?
            fresh = True
        for attempt in (1, 2):
            present = [t for t in titles if t in self.sheet_ids()]
            try:
                grids = self._batch_get([quote_title(t) for t in present]) if present else []
            except gspread.exceptions.APIError as exc:
                # a tab renamed since the metadata was read: look once more, then give up
                if attempt == 1 and not fresh and exc.response.status_code == 400:
                    self.metadata(refresh=True)
                    fresh = True
                    continue
                raise
            found = dict(zip(present, grids, strict=True))
            return {t: found.get(t) for t in titles}
        raise AssertionError("unreachable")

    def read_check(self, requests: dict[str, list[int] | None]) -> dict[str, list[list]]:
        """Read some columns (or whole tabs, for None) of several tabs in one call. Each grid
        comes back full width, with the columns not asked for left empty."""
        titles = [t for t in requests if t in self.sheet_ids()]
        ranges, owners = [], []
        for title in titles:
            cols = requests[title]
            if cols is None:
                ranges.append(quote_title(title))
                owners.append((title, None))
                continue
            for col in cols:
                letter = column_letter(col)
                ranges.append(f"{quote_title(title)}!{letter}:{letter}")
                owners.append((title, col))
        grids: dict[str, list[list]] = {}
        for (title, col), values in zip(owners, self._batch_get(ranges), strict=True):
            if col is None:
                grids[title] = values
            else:
                grids[title] = merge_column(grids.get(title, []), col, values)
        return grids

    def _batch_get(self, ranges: list[str]) -> list[list[list]]:
        self._count("values.batchGet")
        answer = self.http.values_batch_get(self.key, ranges, params=READ_PARAMS)
        return [vr.get("values", []) for vr in answer.get("valueRanges", [])]

    def write_cells(self, writes: list[tuple[str, int, int, object]]) -> None:
        data = [
            {"range": f"{quote_title(title)}!{column_letter(col)}{row}",
             "majorDimension": "ROWS", "values": [[to_json_cell(value)]]}
            for title, row, col, value in writes
        ]
        self._count("values.batchUpdate")
        # RAW: text typed in amtui is never parsed into a formula in the sheet
        self.http.values_batch_update(self.key, body={"valueInputOption": "RAW", "data": data})

    def append_rows(self, title: str, rows: list[list]) -> int:
        self._count("values.append")
        answer = self.http.values_append(
            self.key, f"{quote_title(title)}!A1",
            params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
            body={"majorDimension": "ROWS",
                  "values": [[to_json_cell(v) for v in row] for row in rows]},
        )
        updated = answer.get("updates", {}).get("updatedRange", "")
        found = re.search(r"![A-Z]+(\d+)", updated)
        return int(found.group(1)) if found else 0

    def delete_rows(self, rows_by_title: dict[str, list[int]]) -> None:
        ids = self.sheet_ids()
        requests = []
        for title, rows in rows_by_title.items():
            for row in sorted(rows, reverse=True):  # bottom first: row numbers stay valid
                requests.append({"deleteDimension": {"range": {
                    "sheetId": ids[title], "dimension": "ROWS",
                    "startIndex": row - 1, "endIndex": row}}})
        if not requests:
            return
        self._count("spreadsheets.batchUpdate")
        try:
            self.http.batch_update(self.key, {"requests": requests})
        except gspread.exceptions.APIError as exc:
            if exc.response.status_code != 400 or self._meta is not None:
                raise
            # the cached tab ids are stale (a tab deleted and re-added): read them, try again
            self.metadata(refresh=True)
            self.delete_rows(rows_by_title)

    def forget_layout(self) -> None:
        """Drop the cached tab ids (after a write failed on one): the next use reads them."""
        self.cache.pop("sheets", None)
        self._meta = None

    # -- layout (init-sheet) -------------------------------------------------------------

    def prepare(self, layout: list[dict]) -> list[str]:
        """Missing tabs and headers, frozen header row, dropdowns, date formats, a warning
        on the ID column: one ``spreadsheets:batchUpdate`` (plus one read of the headers).
        Never overwrites a cell that has a value."""
        self.metadata()  # fresh ids and protected ranges, not the cached ones
        ids = self.sheet_ids()
        done, requests = [], []
        next_id = max(ids.values(), default=0) + 1
        new_ids = {}
        for tab in layout:
            if tab["title"] not in ids:
                new_ids[tab["title"]] = next_id
                requests.append({"addSheet": {"properties": {
                    "sheetId": next_id, "title": tab["title"],
                    "gridProperties": {"frozenRowCount": 1}}}})
                done.append(f"added tab {tab['title']}")
                next_id += 1
        present = [t["title"] for t in layout if t["title"] in ids]
        headers = dict(zip(present, self._batch_get(
            [f"{quote_title(t)}!1:1" for t in present]), strict=True)) if present else {}
        protected = {s["properties"]["title"] for s in self.metadata().get("sheets", [])
                     if s.get("protectedRanges")}
        for tab in layout:
            title = tab["title"]
            sheet_id = ids.get(title, new_ids.get(title))
            header = [str(c) for c in (headers.get(title) or [[]])[0]] if title in headers else []
            start = len(header)
            missing = [h for h in tab["headers"] if h not in header]
            if missing:
                # headers go in as plain strings in the same batch: one request in all
                requests.append({"updateCells": {
                    "start": {"sheetId": sheet_id, "rowIndex": 0, "columnIndex": start},
                    "rows": [{"values": [{"userEnteredValue": {"stringValue": h}}
                                         for h in missing]}],
                    "fields": "userEnteredValue"}})
                done.append(f"added columns {title}!{', '.join(missing)}")
            header = header + missing
            requests += _tab_requests(tab, sheet_id, header, protect=title not in protected)
        self._count("spreadsheets.batchUpdate")
        self.http.batch_update(self.key, {"requests": requests})
        self.metadata(refresh=True)
        return done


def _tab_requests(tab: dict, sheet_id: int, header: list[str], protect: bool) -> list[dict]:
    requests = [{"updateSheetProperties": {
        "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
        "fields": "gridProperties.frozenRowCount"}}]

    def column(name):
        col = header.index(name)
        return {"sheetId": sheet_id, "startRowIndex": 1, "startColumnIndex": col,
                "endColumnIndex": col + 1}

    for name, values in tab.get("choices", {}).items():
        requests.append({"setDataValidation": {"range": column(name), "rule": {
            "condition": {"type": "ONE_OF_LIST",
                          "values": [{"userEnteredValue": v} for v in values]},
            "showCustomUi": True, "strict": False}}})
    patterns = {"date": {"type": "DATE", "pattern": "yyyy-mm-dd"},
                "percent": {"type": "PERCENT", "pattern": "0%"},
                "money": {"type": "NUMBER", "pattern": "#,##0.00"}}
    for name, kind in tab.get("formats", {}).items():
        requests.append({"repeatCell": {
            "range": column(name),
            "cell": {"userEnteredFormat": {"numberFormat": patterns[kind]}},
            "fields": "userEnteredFormat.numberFormat"}})
    id_header = tab.get("id_header")
    if protect and id_header in header:
        requests.append({"addProtectedRange": {"protectedRange": {
            "range": column(id_header) | {"startRowIndex": 0},
            "description": "IDs are filled in by amtui; changing one breaks the sync",
            "warningOnly": True}}})
    return requests
