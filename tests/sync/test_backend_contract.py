"""One contract for every sheet backend: what the sync engine relies on, checked the same way
on the Google backend (real gspread over HTTP to the emulator) and the local workbook."""

from __future__ import annotations

from datetime import date

import pytest

from sync.emulator import SheetsEmulator
from sync.gclient import make_client
from sync.google_backend import GoogleSheetBackend
from sync.xlsx_backend import XlsxBackend

TABS = {
    "Projects": [["ID", "Project", "Due", "Value", "Notes"],
                 ["P-1", "Website", date(2026, 11, 26), 120000, "theirs"],
                 ["P-2", "App", date(2026, 12, 15), 80000],
                 ["P-3", "Brand book", "", 15000]],
    "项目 's tab": [["ID", "名称"], ["X-1", "测试"]],
}


@pytest.fixture(params=["google", "xlsx"])
def backend(request, tmp_path):
    if request.param == "xlsx":
        sheet = XlsxBackend(tmp_path / "team.xlsx")
        sheet.fill(TABS)
        yield sheet
        return
    with SheetsEmulator(seed=8) as emulator:
        key = tmp_path / "key.json"
        email = emulator.create_service_account(key)
        sid = emulator.create_spreadsheet("contract", shared_with=[email])
        emulator.load_workbook_tabs(sid, TABS, value_input="RAW")
        yield GoogleSheetBackend(make_client(key, endpoint=emulator.base_url), sid)


def test_read_gives_header_first_ragged_rows_and_none_for_missing_tabs(backend):
    grids = backend.read(["Projects", "项目 's tab", "Missing"])
    projects = grids["Projects"]
    assert projects[0] == ["ID", "Project", "Due", "Value", "Notes"]
    assert projects[1][0] == "P-1" and projects[1][4] == "theirs"
    assert len(projects[2]) == 4  # trailing empty cells are dropped
    assert projects[3][2] == ""
    assert grids["项目 's tab"] == [["ID", "名称"], ["X-1", "测试"]]
    assert grids["Missing"] is None


def test_dates_come_back_as_dates_or_serial_numbers(backend):
    due = backend.read(["Projects"])["Projects"][1][2]
    assert due in (date(2026, 11, 26), 46352)


def test_write_cells_touches_only_those_cells(backend):
    backend.write_cells([("Projects", 2, 1, "Website v2"), ("Projects", 3, 3, 90000),
                         ("Projects", 4, 1, "=IMPORTXML(\"x\")")])
    projects = backend.read(["Projects"])["Projects"]
    assert projects[1][:2] == ["P-1", "Website v2"] and projects[1][4] == "theirs"
    assert projects[2][3] == 90000
    assert projects[3][1] == '=IMPORTXML("x")'  # text, not a formula


def test_append_rows_returns_the_first_new_row(backend):
    first = backend.append_rows("Projects", [["P-4", "New one"], ["P-5", "Another"]])
    assert first == 5
    projects = backend.read(["Projects"])["Projects"]
    assert [r[0] for r in projects[1:]] == ["P-1", "P-2", "P-3", "P-4", "P-5"]


def test_delete_rows_bottom_up(backend):
    backend.delete_rows({"Projects": [2, 4]})
    projects = backend.read(["Projects"])["Projects"]
    assert [r[0] for r in projects[1:]] == ["P-2"]


def test_read_check_gives_columns_at_their_place(backend):
    grids = backend.read_check({"Projects": [0, 3]})
    projects = grids["Projects"]
    assert projects[1][0] == "P-1" and projects[1][3] == 120000


def test_prepare_adds_tabs_and_headers_without_overwriting(backend):
    done = backend.prepare([
        {"title": "Projects", "headers": ["ID", "Project", "Stage"],
         "choices": {"Stage": ["Intake", "Planning"]}, "formats": {}, "id_header": "ID"},
        {"title": "Updates", "headers": ["ID", "Date", "Note"], "choices": {},
         "formats": {"Date": "date"}, "id_header": "ID"},
    ])
    assert any("Updates" in line for line in done)
    grids = backend.read(["Projects", "Updates"])
    assert grids["Projects"][0] == ["ID", "Project", "Due", "Value", "Notes", "Stage"]
    assert grids["Projects"][1][4] == "theirs"
    assert grids["Updates"][0] == ["ID", "Date", "Note"]


def test_counts_each_call(backend):
    before = sum(backend.counts().values())
    backend.read(["Projects"])
    backend.write_cells([("Projects", 2, 1, "x")])
    assert sum(backend.counts().values()) - before >= 2
