"""Change detection that costs no Sheets request: the emulator's Drive ``version`` and
``modifiedTime`` move on every content change (checked against Google's recorded answers),
the Google backend asks Drive for them, the workbook backend looks at the file's mtime, size
and content hash, and the sheet metadata (tab ids and titles) is cached between runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest
import requests

from sync.emulator import SheetsEmulator
from sync.google_backend import GoogleSheetBackend
from sync.runner import check_due
from sync.xlsx_backend import XlsxBackend
from tests.sync.test_emulator_cassettes import OWNER, IdMap, cassette_files, replay_one

DRIVE_FIELDS = {"fields": "version,modifiedTime"}


def drive_stamp(emulator: SheetsEmulator, sid: str, token: str) -> tuple[str, str]:
    answer = requests.get(f"{emulator.base_url}/drive/v3/files/{sid}", params=DRIVE_FIELDS,
                          headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"version", "modifiedTime"}  # the mask is honoured
    return body["version"], body["modifiedTime"]


def test_version_and_modified_time_move_on_every_content_change_and_only_then(emulator,
                                                                           spreadsheet_id):
    token = emulator.issue_token(OWNER)
    emulator.share(spreadsheet_id, OWNER)
    base = f"{emulator.base_url}/v4/spreadsheets/{spreadsheet_id}"
    auth = {"Authorization": f"Bearer {token}"}
    seen = [drive_stamp(emulator, spreadsheet_id, token)]

    def moved(what: str) -> None:
        now = drive_stamp(emulator, spreadsheet_id, token)
        before = seen[-1]
        assert int(now[0]) > int(before[0]), f"{what}: version did not move"
        assert now[1] > before[1], f"{what}: modifiedTime did not move"
        seen.append(now)

    def still(what: str) -> None:
        assert drive_stamp(emulator, spreadsheet_id, token) == seen[-1], f"{what} moved it"

    requests.get(f"{base}/values:batchGet", params={"ranges": "Projects"}, headers=auth,
                 timeout=5)
    requests.get(base, headers=auth, timeout=5)
    still("reading values and metadata")
    requests.put(f"{base}/values/Projects!B2", params={"valueInputOption": "RAW"},
                 json={"values": [["x"]]}, headers=auth, timeout=5)
    moved("values.update")
    requests.post(f"{base}/values:batchUpdate", headers=auth, timeout=5, json={
        "valueInputOption": "RAW", "data": [{"range": "Projects!B3", "values": [["y"]]}]})
    moved("values.batchUpdate")
    requests.post(f"{base}/values/Projects!A1:append", headers=auth, timeout=5,
                  params={"valueInputOption": "RAW"}, json={"values": [["P9", "z"]]})
    moved("values.append")
    requests.post(f"{base}:batchUpdate", headers=auth, timeout=5, json={"requests": [
        {"addSheet": {"properties": {"title": "New tab"}}}]})
    moved("spreadsheets.batchUpdate")
    emulator.set_cell(spreadsheet_id, "Projects", "C2", "typed by a person")
    moved("a person's edit")
    emulator.set_cell(spreadsheet_id, "Projects", "C3", "and another")  # same millisecond
    moved("a second edit right after")


def test_modified_time_stays_put_between_reads_as_in_googles_recordings():
    """Where a cassette reads a file's Drive metadata twice with no change in between,
    Google answered the same modifiedTime; the emulator must too (and never go back)."""
    checked = 0
    with SheetsEmulator(seed=7) as emu, requests.Session() as session:
        token = emu.issue_token(OWNER)
        for path in cassette_files():
            ids = IdMap()
            recorded_times: dict[str, str] = {}
            emulated_times: dict[str, str] = {}
            for interaction in json.loads(path.read_text("utf-8"))["interactions"]:
                _want, _got, expected, actual = replay_one(session, emu.base_url, token, ids,
                                                           interaction)
                if not (isinstance(expected, dict) and "modifiedTime" in expected):
                    continue
                fid = expected["id"]
                if fid in recorded_times:
                    same = recorded_times[fid] == expected["modifiedTime"]
                    assert same == (emulated_times[fid] == actual["modifiedTime"]), path.stem
                    assert actual["modifiedTime"] >= emulated_times[fid], path.stem
                    checked += 1
                assert actual["modifiedTime"] >= actual["createdTime"], path.stem
                recorded_times[fid] = expected["modifiedTime"]
                emulated_times[fid] = actual["modifiedTime"]
    assert checked >= 2  # the cassettes do hold repeated reads of one file


def test_a_cli_sync_with_nothing_to_do_costs_one_sheets_request(demo_config):
    from amtui.core.demo_workspace import move_demo_to_emulator
    from amtui.core.workspace import Workspace

    with SheetsEmulator(seed=3) as emu:
        move_demo_to_emulator(demo_config, emu)
        first = Workspace.open(demo_config)
        first.sync()
        first.store.close()
        emu.reset_counts()
        again = Workspace.open(demo_config)  # a new process: the tab ids come from the store
        report = again.sync()
        again.store.close()
        assert {k: v for k, v in emu.counts().items() if k != "token"} == {
            "values.batchGet": 1}
        assert report.api_calls == {"values.batchGet": 1}


def test_version_survives_a_restart_from_the_state_file(tmp_path):
    state = tmp_path / "state.json"
    with SheetsEmulator(state_file=state) as emu:
        sid = emu.create_spreadsheet("Team", {"Projects": [["ID"], ["P1"]]})
        emu.set_cell(sid, "Projects", "A2", "P2")
        version = emu._api.books[sid].version
    with SheetsEmulator(state_file=state) as emu:
        assert emu._api.books[sid].version == version


# -- the Google backend ----------------------------------------------------------------


def test_google_version_costs_one_drive_request_and_no_sheets_request(emulator, spreadsheet_id,
                                                                      gspread_client):
    backend = GoogleSheetBackend(gspread_client, spreadsheet_id)
    emulator.reset_counts()
    first = backend.version()
    assert backend.version() == first
    emulator.set_cell(spreadsheet_id, "Projects", "B2", "Renamed")
    assert backend.version() != first
    calls = {k: v for k, v in emulator.counts().items() if k != "token"}
    assert calls == {"drive.files.get": 3}
    assert backend.counts() == {"drive.files.get": 3}


def test_check_due_reads_nothing_while_idle_and_says_why_when_due(emulator, spreadsheet_id,
                                                                  gspread_client):
    backend = GoogleSheetBackend(gspread_client, spreadsheet_id)
    state: dict = {}
    emulator.reset_counts()
    # nothing known yet: a full sync is due
    assert check_due(backend, state, pending=False, full_interval=600, now=1000.0) == "first"
    state.update(version=backend.version(), full_at=1000.0)
    assert check_due(backend, state, pending=False, full_interval=600, now=1005.0) is None
    assert check_due(backend, state, pending=True, full_interval=600, now=1010.0) == "local"
    emulator.set_cell(spreadsheet_id, "Projects", "B2", "Renamed")
    assert check_due(backend, state, pending=False, full_interval=600, now=1015.0) == "sheet"
    state["version"] = backend.version()
    # no change seen since the last full read: the safety net rests
    assert check_due(backend, state, pending=False, full_interval=600, now=1700.0) is None
    state["change_at"] = 1000.0  # that read found a change: one more read 10 min later
    assert check_due(backend, state, pending=False, full_interval=600, now=1599.0) is None
    assert check_due(backend, state, pending=False, full_interval=600, now=1700.0) == "safety"
    state["full_at"] = 1700.0  # ... and then it rests again
    assert check_due(backend, state, pending=False, full_interval=600, now=9000.0) is None
    assert {k for k in emulator.counts() if k != "token"} == {"drive.files.get"}


def test_sheet_metadata_is_cached_and_refetched_only_when_a_tab_moves(emulator, spreadsheet_id,
                                                                      gspread_client):
    cache: dict = {}
    GoogleSheetBackend(gspread_client, spreadsheet_id, cache=cache).read(["Projects"])
    assert cache["sheets"] and cache["key"] == spreadsheet_id
    persisted = json.loads(json.dumps(cache))  # what the caller keeps in its store

    emulator.reset_counts()
    backend = GoogleSheetBackend(gspread_client, spreadsheet_id, cache=persisted)
    grids = backend.read(["Projects", "Feedback"])
    assert grids["Projects"][1][0] == "P1" and grids["Feedback"][1][0] == "F1"
    assert backend.name == "amtui test"
    assert {k: v for k, v in emulator.counts().items() if k != "token"} == {
        "values.batchGet": 1}

    # a tab renamed in the sheet: the read fails on the old title, metadata is read again
    emulator.rename_tab(spreadsheet_id, "Feedback", "Comments")
    emulator.reset_counts()
    backend = GoogleSheetBackend(gspread_client, spreadsheet_id, cache=persisted)
    grids = backend.read(["Projects", "Feedback", "Comments"])
    assert grids["Feedback"] is None and grids["Comments"][1][0] == "F1"
    assert "Comments" in persisted["sheets"] and "Feedback" not in persisted["sheets"]
    calls = {k: v for k, v in emulator.counts().items() if k != "token"}
    assert calls["spreadsheets.get"] == 1

    # a cache that belongs to another spreadsheet is not used
    other = {"key": "another", "sheets": {"Projects": 1}}
    GoogleSheetBackend(gspread_client, spreadsheet_id, cache=other).read(["Projects"])
    assert other["key"] == spreadsheet_id and "Comments" in other["sheets"]


# -- the workbook backend ----------------------------------------------------------------


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "team.xlsx"
    XlsxBackend(path).fill({"Projects": [["ID", "Project"], ["P-0001", "Web"]]})
    return path


def test_workbook_version_reads_the_file_only_when_it_changed(workbook):
    backend = XlsxBackend(workbook)
    first = backend.version()
    assert backend.counts() == {"hash": 1}
    assert backend.version() == first  # same mtime and size: not read again
    assert backend.counts() == {"hash": 1}

    book = openpyxl.load_workbook(workbook)  # a person saves a change (openpyxl, as Calc)
    book["Projects"]["B2"] = "Website"
    book.save(workbook)
    changed = backend.version()
    assert changed != first and backend.counts() == {"hash": 2}

    # touched (saved without a change): the file is hashed again, the version stays
    stat = workbook.stat()
    os.utime(workbook, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert backend.version() == changed and backend.counts() == {"hash": 3}
