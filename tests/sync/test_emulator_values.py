"""Emulator value semantics, A1 notation, append, batchUpdate and Drive, over raw HTTP."""

from __future__ import annotations

import urllib.parse

import pytest
import requests

from sync.emulator import DEFAULT_OWNER, SheetsEmulator


class Api:
    """Tiny Sheets/Drive caller with a valid token for the spreadsheets' owner."""

    def __init__(self, emulator: SheetsEmulator, sid: str, email: str = DEFAULT_OWNER) -> None:
        self.base = emulator.base_url
        self.sid = sid
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {emulator.issue_token(email)}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.base + path, timeout=5, **kwargs)

    def get(self, a1: str, **params) -> requests.Response:
        return self.request("GET", f"/v4/spreadsheets/{self.sid}/values/{quote(a1)}",
                            params=params)

    def values(self, a1: str, **params):
        answer = self.get(a1, **params)
        assert answer.status_code == 200, answer.text
        return answer.json().get("values")

    def update(self, a1: str, rows, option: str = "USER_ENTERED", **extra) -> requests.Response:
        params = {"valueInputOption": option, **extra.pop("params", {})}
        return self.request("PUT", f"/v4/spreadsheets/{self.sid}/values/{quote(a1)}",
                            params=params, json={"values": rows, **extra})

    def append(self, a1: str, rows, **params) -> dict:
        params.setdefault("valueInputOption", "RAW")
        answer = self.request("POST", f"/v4/spreadsheets/{self.sid}/values/{quote(a1)}:append",
                              params=params, json={"values": rows})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def batch(self, *requests_: dict) -> requests.Response:
        return self.request("POST", f"/v4/spreadsheets/{self.sid}:batchUpdate",
                            json={"requests": list(requests_)})

    def meta(self, **params) -> dict:
        return self.request("GET", f"/v4/spreadsheets/{self.sid}", params=params).json()

    def sheet_id(self, title: str) -> int:
        return next(s["properties"]["sheetId"] for s in self.meta()["sheets"]
                    if s["properties"]["title"] == title)


def quote(a1: str) -> str:
    return urllib.parse.quote(a1, safe="")


def error(answer: requests.Response) -> tuple[int, str, str]:
    body = answer.json()["error"]
    return body["code"], body["message"], body.get("status", "")


@pytest.fixture
def api(emulator, spreadsheet_id) -> Api:
    return Api(emulator, spreadsheet_id)


# ---------------------------------------------------------------- A1 notation


def test_a1_ranges_are_parsed_and_echoed_like_google(api, emulator, spreadsheet_id):
    emulator.add_tab(spreadsheet_id, "My tab", [["a"], ["b"]])
    emulator.add_tab(spreadsheet_id, "It's", [["x", "y"]])
    emulator.add_tab(spreadsheet_id, "项目", [["客户经理"]])
    cases = {
        "'My tab'!A:A": ("'My tab'!A1:A1000", [["a"], ["b"]]),
        "'It''s'!1:1": ("'It''s'!A1:Z1", [["x", "y"]]),
        "'项目'!A1": ("'项目'!A1", [["客户经理"]]),
        "Projects!A3:B": ("Projects!A3:B1000", [["P2", "App"], ["P3", "Brand book"]]),
        "projects!b2:b2": ("Projects!B2", [["Website"]]),
        "A1:B1": ("Projects!A1:B1", [["ID", "Project"]]),
        "Projects!B2:A1": ("Projects!A1:B2", [["ID", "Project"], ["P1", "Website"]]),
        "Projects!$A$2": ("Projects!A2", [["P1"]]),
        "'Feedback'": ("Feedback!A1:Z1000", None),
    }
    for a1, (echo, values) in cases.items():
        answer = api.get(a1)
        assert answer.status_code == 200, (a1, answer.text)
        body = answer.json()
        assert body["range"] == echo, a1
        if values is not None:
            assert body["values"] == values, a1


@pytest.mark.parametrize("a1", ["'Nope'!A1", "Nope!A1:B2", "Projects!A1:ZZZZ1", "Projects!A0",
                                "Projects!A:1", "'Projects'x!A1", ""])
def test_unparseable_ranges_are_400(api, a1):
    answer = api.get(a1) if a1 else api.request(
        "GET", f"/v4/spreadsheets/{api.sid}/values:batchGet", params={"ranges": ""})
    assert answer.status_code == 400
    assert answer.json() == {"error": {"code": 400, "message": f"Unable to parse range: {a1}",
                                       "status": "INVALID_ARGUMENT"}}


def test_range_beyond_the_grid(api):
    assert error(api.get("Projects!A1:A1001")) == (
        400, "Range ('Projects'!A1:A1001) exceeds grid limits. Max rows: 1000, max columns: 26",
        "INVALID_ARGUMENT")


# ---------------------------------------------------------------- values


def test_user_entered_values_are_parsed_like_the_sheets_ui(api):
    typed = ["42", "3.5", "1,234.50", "50%", "$1,200", "¥120,000", "2026-11-26", "11/26/2026",
             "'00123", "TRUE", "=B20*2", "next Friday", "2026-Q4", "2026-11-26 14:30", "0042"]
    assert api.update("Projects!A20", [typed]).status_code == 200
    api.update("Projects!B20", [["21"]])
    formatted = api.values("Projects!A20:O20")[0]
    assert formatted == ["42", "21", "1,234.50", "50%", "$1,200.00", "¥120,000", "2026-11-26",
                         "11/26/2026", "00123", "TRUE", "42", "next Friday", "2026-Q4",
                         "2026-11-26 14:30", "42"]
    raw = api.values("Projects!A20:O20", valueRenderOption="UNFORMATTED_VALUE")[0]
    assert raw[:10] == [42, 21, 1234.5, 0.5, 1200, 120000, 46352, 46352, "00123", True]
    assert raw[10:13] == [42, "next Friday", "2026-Q4"]
    assert raw[13] == pytest.approx(46352 + 14.5 / 24)
    strings = api.values("Projects!G20:H20", valueRenderOption="UNFORMATTED_VALUE",
                         dateTimeRenderOption="FORMATTED_STRING")
    assert strings == [["2026-11-26", "11/26/2026"]]
    assert api.values("Projects!K20", valueRenderOption="FORMULA") == [["=B20*2"]]


def test_raw_values_are_stored_as_given(api):
    api.update("Projects!A30", [["2026-11-26", "=1+1", 5, True, "'x", 0.1]], option="RAW")
    assert api.values("Projects!A30:F30", valueRenderOption="UNFORMATTED_VALUE") == [
        ["2026-11-26", "=1+1", 5, True, "'x", 0.1]]
    assert api.values("Projects!A30:F30") == [["2026-11-26", "=1+1", "5", "TRUE", "'x", "0.1"]]
    assert api.values("Projects!B30", valueRenderOption="FORMULA") == [["=1+1"]]


def test_date_number_format_from_repeat_cell(api, emulator, spreadsheet_id):
    api.update("Projects!H2", [[46352, 46352]], option="RAW")
    sheet = api.sheet_id("Projects")
    fmt = {"numberFormat": {"type": "DATE", "pattern": "dd/mm/yyyy"}}
    answer = api.batch({"repeatCell": {
        "range": {"sheetId": sheet, "startRowIndex": 1, "endRowIndex": 2,
                  "startColumnIndex": 7, "endColumnIndex": 8},
        "cell": {"userEnteredFormat": fmt}, "fields": "userEnteredFormat.numberFormat"}})
    assert answer.json() == {"spreadsheetId": spreadsheet_id, "replies": [{}]}
    assert api.values("Projects!H2:I2") == [["26/11/2026", "46352"]]
    assert api.values("Projects!H2", valueRenderOption="UNFORMATTED_VALUE") == [[46352]]
    api.update("Projects!H2", [["2026-12-01"]])  # a typed date keeps the cell's date format
    assert api.values("Projects!H2") == [["01/12/2026"]]
    assert emulator.cell_info(spreadsheet_id, "Projects", "H2")["format"] == fmt


def test_ragged_reads_and_empty_ranges(api):
    api.update("Projects!A10", [["a", "", ""], ["", "", ""], ["", "b", ""]], option="RAW")
    body = api.get("Projects!A10:C13").json()
    assert body == {"range": "Projects!A10:C13", "majorDimension": "ROWS",
                    "values": [["a"], [], ["", "b"]]}
    assert api.get("Projects!K1:L5").json() == {"range": "Projects!K1:L5",
                                                "majorDimension": "ROWS"}
    assert api.values("Projects!A1:B3", majorDimension="COLUMNS") == [
        ["ID", "P1", "P2"], ["Project", "Website", "App"]]


def test_nulls_are_skipped_and_columns_input(api):
    api.update("Projects!A2", [[None, "Site"]], option="RAW")
    assert api.values("Projects!A2:B2") == [["P1", "Site"]]
    answer = api.update("Projects!J1", [["h", "1", "2"]], option="RAW", majorDimension="COLUMNS")
    assert answer.json()["updatedRange"] == "Projects!J1:J3"
    assert api.values("Projects!J1:J3") == [["h"], ["1"], ["2"]]


def test_update_response_and_included_values(api, spreadsheet_id):
    answer = api.update("Projects!A1", [["ID", "Project"], ["P1", "=1+1"]],
                        params={"includeValuesInResponse": "true"})
    assert answer.json() == {
        "spreadsheetId": spreadsheet_id, "updatedRange": "Projects!A1:B2", "updatedRows": 2,
        "updatedColumns": 2, "updatedCells": 4,
        "updatedData": {"range": "Projects!A1:B2", "majorDimension": "ROWS",
                        "values": [["ID", "Project"], ["P1", "2"]]}}


def test_write_errors(api):
    assert error(api.update("Projects!A1:B1", [["a", "b", "c"]])) == (
        400, "Requested writing within range [Projects!A1:B1], but tried writing to column [C]",
        "INVALID_ARGUMENT")
    assert error(api.update("Projects!A1:B1", [["a"], ["b"]]))[1] == (
        "Requested writing within range [Projects!A1:B1], but tried writing to row [2]")
    missing = api.request("PUT", f"/v4/spreadsheets/{api.sid}/values/A1", json={"values": [[1]]})
    assert error(missing) == (400, "'valueInputOption' is required but not specified",
                              "INVALID_ARGUMENT")


def test_anchor_writes_grow_the_grid(api):
    api.update("Projects!Z1000", [["a", "b"], ["c", "d"]], option="RAW")
    grid = api.meta()["sheets"][0]["properties"]["gridProperties"]
    assert grid == {"rowCount": 1001, "columnCount": 27}


def test_batch_update_values_totals(api, spreadsheet_id):
    body = {"valueInputOption": "RAW", "data": [
        {"range": "Projects!H1:I1", "values": [["x", "y"]]},
        {"range": "Feedback!H1", "values": [["z"]]},
        {"range": "Projects!H3", "values": [["w"]]}]}
    answer = api.request("POST", f"/v4/spreadsheets/{api.sid}/values:batchUpdate", json=body)
    out = answer.json()
    assert {k: v for k, v in out.items() if k != "responses"} == {
        "spreadsheetId": spreadsheet_id, "totalUpdatedRows": 3, "totalUpdatedColumns": 3,
        "totalUpdatedCells": 4, "totalUpdatedSheets": 2}
    assert [r["updatedRange"] for r in out["responses"]] == [
        "Projects!H1:I1", "Feedback!H1", "Projects!H3"]
    bad = dict(body, data=[*body["data"], {"range": "Nope!A1", "values": [["q"]]}])
    api.update("Projects!H1", [[""]], option="RAW")
    answer = api.request("POST", f"/v4/spreadsheets/{api.sid}/values:batchUpdate", json=bad)
    assert answer.status_code == 400
    assert api.values("Projects!H1") is None  # nothing of a failed batch is written


def test_clear_keeps_formats(api, spreadsheet_id):
    cleared = api.request("POST", f"/v4/spreadsheets/{api.sid}/values/Projects:clear").json()
    assert cleared == {"spreadsheetId": spreadsheet_id, "clearedRange": "Projects!A1:Z1000"}
    assert "values" not in api.get("Projects").json()


# ---------------------------------------------------------------- append


def test_append_finds_the_table_and_insert_rows_shifts(api, emulator, spreadsheet_id):
    emulator.set_cell(spreadsheet_id, "Projects", "A8", "Notes below the table")
    out = api.append("Projects!A1", [["P4", "New"]], insertDataOption="INSERT_ROWS",
                     includeValuesInResponse="True")
    assert out == {"spreadsheetId": spreadsheet_id, "tableRange": "Projects!A1:F4",
                   "updates": {"spreadsheetId": spreadsheet_id, "updatedRange": "Projects!A5:B5",
                               "updatedRows": 1, "updatedColumns": 2, "updatedCells": 2,
                               "updatedData": {"range": "Projects!A5:B5",
                                               "majorDimension": "ROWS",
                                               "values": [["P4", "New"]]}}}
    assert api.values("Projects!A9") == [["Notes below the table"]]
    assert api.meta()["sheets"][0]["properties"]["gridProperties"]["rowCount"] == 1001


def test_append_on_empty_range_and_past_the_grid(api, emulator, spreadsheet_id):
    emulator.add_tab(spreadsheet_id, "Small")
    sheet = api.sheet_id("Small")
    resized = api.batch({"updateSheetProperties": {
        "properties": {"sheetId": sheet, "gridProperties": {"rowCount": 2, "columnCount": 2}},
        "fields": "gridProperties(rowCount,columnCount)"}})
    assert resized.status_code == 200, resized.text
    first = api.append("Small", [["a", "b"], ["c", "d"]])
    assert "tableRange" not in first
    assert first["updates"]["updatedRange"] == "Small!A1:B2"
    second = api.append("Small", [["e", "f", "g"]])
    assert second["tableRange"] == "Small!A1:B2"
    assert second["updates"]["updatedRange"] == "Small!A3:C3"
    grid = [s for s in api.meta()["sheets"] if s["properties"]["title"] == "Small"][0]
    assert grid["properties"]["gridProperties"] == {"rowCount": 3, "columnCount": 3}


# ---------------------------------------------------------------- batchUpdate


def test_batch_update_is_atomic_and_errors_like_google(api):
    answer = api.batch({"addSheet": {"properties": {"title": "Extra"}}},
                       {"addSheet": {"properties": {"title": "projects"}}})
    assert error(answer) == (400, 'Invalid requests[1].addSheet: A sheet with the name '
                             '"projects" already exists. Please enter another name.',
                             "INVALID_ARGUMENT")
    assert [s["properties"]["title"] for s in api.meta()["sheets"]] == ["Projects", "Feedback"]
    assert error(api.batch({"frobnicate": {}}))[1] == (
        "Invalid JSON payload received. Unknown name \"frobnicate\" at 'requests[0]': "
        "Cannot find field.")
    assert error(api.batch({"deleteSheet": {"sheetId": 99}}))[1] == (
        "Invalid requests[0].deleteSheet: No grid with id: 99")
    sheet = api.sheet_id("Feedback")
    assert error(api.batch({"deleteDimension": {"range": {
        "sheetId": sheet, "dimension": "ROWS", "startIndex": 0, "endIndex": 1000}}}))[1] == (
        "Invalid requests[0].deleteDimension: You can't delete all the rows on the sheet.")


def test_sheet_structure_requests(api, emulator, spreadsheet_id):
    projects = api.sheet_id("Projects")
    rule = {"condition": {"type": "ONE_OF_LIST", "values": [
        {"userEnteredValue": "Intake"}, {"userEnteredValue": "Planning"}]},
        "strict": False, "showCustomUi": True}
    protected = {"range": {"sheetId": projects, "startColumnIndex": 0, "endColumnIndex": 1},
                 "description": "IDs are managed by amtui", "warningOnly": True}
    answer = api.batch(
        {"updateSheetProperties": {"properties": {"sheetId": projects,
                                                  "gridProperties": {"frozenRowCount": 1}},
                                   "fields": "gridProperties.frozenRowCount"}},
        {"setDataValidation": {"range": {"sheetId": projects, "startRowIndex": 1,
                                         "startColumnIndex": 3, "endColumnIndex": 4},
                               "rule": rule}},
        {"addProtectedRange": {"protectedRange": protected}},
        {"updateDimensionProperties": {"range": {"sheetId": projects, "dimension": "COLUMNS"},
                                       "properties": {"pixelSize": 120}, "fields": "pixelSize"}},
        {"appendDimension": {"sheetId": projects, "dimension": "ROWS", "length": 10}},
        {"insertDimension": {"range": {"sheetId": projects, "dimension": "ROWS",
                                       "startIndex": 2, "endIndex": 3},
                             "inheritFromBefore": True}},
    )
    replies = answer.json()["replies"]
    assert replies[0] == replies[1] == replies[3] == replies[4] == replies[5] == {}
    added = replies[2]["addProtectedRange"]["protectedRange"]
    assert isinstance(added.pop("protectedRangeId"), int)
    assert added == {**protected, "requestingUserCanEdit": True}
    meta = api.meta()["sheets"][0]
    assert meta["properties"]["gridProperties"] == {"rowCount": 1011, "columnCount": 26,
                                                    "frozenRowCount": 1}
    assert meta["protectedRanges"][0]["description"] == "IDs are managed by amtui"
    assert emulator.cell_info(spreadsheet_id, "Projects", "D2")["validation"] == rule
    assert emulator.cell_info(spreadsheet_id, "Projects", "D3")["validation"] == rule  # inherited
    assert emulator.get_cell(spreadsheet_id, "Projects", "A4") == "P2"  # shifted down
    grid = api.meta(includeGridData="true", ranges="Projects!D2")["sheets"]
    assert grid[0]["data"][0]["rowData"][0]["values"][0]["dataValidation"] == rule
    assert grid[0]["data"][0]["startRow"] == 1


def test_sort_range_numbers_text_blanks(api, emulator, spreadsheet_id):
    emulator.load_workbook_tabs(spreadsheet_id, {"Projects": [
        ["ID", "Score"], ["a", "10"], ["b", ""], ["c", "9"], ["d", "x"], ["e", "TRUE"]]})
    sheet = api.sheet_id("Projects")
    api.batch({"sortRange": {"range": {"sheetId": sheet, "startRowIndex": 1, "endRowIndex": 6,
                                       "startColumnIndex": 0, "endColumnIndex": 2},
                             "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "ASCENDING"}]}})
    assert [r[0] for r in emulator.get_values(spreadsheet_id, "Projects")] == [
        "ID", "c", "a", "d", "e", "b"]
    emulator.sort_tab(spreadsheet_id, "Projects", "Score", descending=True)
    assert [r[0] for r in emulator.get_values(spreadsheet_id, "Projects")] == [
        "ID", "e", "d", "a", "c", "b"]


def test_metadata_fields_mask(api, spreadsheet_id):
    assert api.meta(fields="sheets.properties.title") == {
        "sheets": [{"properties": {"title": "Projects"}}, {"properties": {"title": "Feedback"}}]}
    masked = api.meta(fields="spreadsheetId,sheets(properties(sheetId,index))")
    assert masked["spreadsheetId"] == spreadsheet_id
    assert masked["sheets"][1] == {"properties": {"sheetId": api.sheet_id("Feedback"),
                                                  "index": 1}}


# ---------------------------------------------------------------- Drive


def test_drive_files_and_permissions(emulator, spreadsheet_id):
    owner = Api(emulator, spreadsheet_id)
    listed = owner.request("GET", "/drive/v3/files", params={
        "q": 'mimeType="application/vnd.google-apps.spreadsheet" and name = "amtui test"'}).json()
    assert listed == {"kind": "drive#fileList", "incompleteSearch": False, "files": [{
        "kind": "drive#file", "id": spreadsheet_id, "name": "amtui test",
        "mimeType": "application/vnd.google-apps.spreadsheet"}]}
    created = owner.request("POST", f"/drive/v3/files/{spreadsheet_id}/permissions",
                            json={"type": "user", "role": "reader",
                                  "emailAddress": "finance@example.com"})
    assert created.json()["role"] == "reader"
    permissions = owner.request("GET", f"/drive/v3/files/{spreadsheet_id}/permissions",
                                params={"fields": "permissions(emailAddress,role)"}).json()
    assert {"emailAddress": "finance@example.com", "role": "reader"} in permissions["permissions"]
    reader = Api(emulator, spreadsheet_id, "finance@example.com")
    assert reader.values("Projects!A2") == [["P1"]]
    assert error(reader.update("Projects!A2", [["x"]])) == (
        403, "The caller does not have permission", "PERMISSION_DENIED")
    denied = reader.request("DELETE", f"/drive/v3/files/{spreadsheet_id}")
    assert denied.status_code == 403
    assert denied.json()["error"]["errors"][0]["reason"] == "insufficientFilePermissions"
    assert owner.request("DELETE", f"/drive/v3/files/{spreadsheet_id}").status_code == 204
    gone = owner.request("GET", f"/drive/v3/files/{spreadsheet_id}")
    assert gone.json() == {"error": {"code": 404, "message": f"File not found: {spreadsheet_id}.",
                                     "errors": [{"message": f"File not found: {spreadsheet_id}.",
                                                 "domain": "global", "reason": "notFound",
                                                 "location": "fileId",
                                                 "locationType": "parameter"}]}}
