"""Control interface (in-process and over HTTP), persistence and the standalone CLI."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from sync.emulator import RemoteEmulator, SheetsEmulator
from sync.gclient import make_client

REPO = Path(__file__).parents[2]


def test_column_edits(emulator, spreadsheet_id, gspread_client):
    ws = gspread_client.open_by_key(spreadsheet_id).worksheet("Projects")
    emulator.move_column(spreadsheet_id, "Projects", "ID", 3)
    assert ws.row_values(1) == ["Project", "Client", "Stage", "ID", "Due", "Value"]
    emulator.delete_column(spreadsheet_id, "Projects", "ID")
    emulator.insert_columns(spreadsheet_id, "Projects", 0, header="My notes")
    assert ws.row_values(1) == ["My notes", "Project", "Client", "Stage", "Due", "Value"]
    assert ws.row_values(2) == ["", "Website", "Acme", "In Progress", "2026-11-26", "120000"]


def test_tab_edits(emulator, spreadsheet_id, gspread_client):
    emulator.add_tab(spreadsheet_id, "Updates", [["ID", "Date", "Note"]], index=0)
    emulator.rename_tab(spreadsheet_id, "Feedback", "反馈")
    emulator.delete_tab(spreadsheet_id, "Projects")
    book = gspread_client.open_by_key(spreadsheet_id)
    assert [ws.title for ws in book.worksheets()] == ["Updates", "反馈"]
    assert book.worksheet("反馈").acell("A2").value == "F1"
    assert emulator.tab_titles(spreadsheet_id) == ["Updates", "反馈"]


def test_get_values_is_a_padded_unformatted_grid(emulator, spreadsheet_id):
    rows = emulator.get_values(spreadsheet_id, "Projects")
    assert rows[1] == ["P1", "Website", "Acme", "In Progress", 46352, 120000]
    assert rows[3] == ["P3", "Brand book", "Initech", "Intake", "", 15000]
    shown = emulator.get_values(spreadsheet_id, "Projects", render_option="FORMATTED_VALUE")
    assert shown[1][4] == "2026-11-26"


def test_remote_control_over_http(emulator, spreadsheet_id):
    remote = RemoteEmulator(emulator.base_url)
    remote.set_cell(spreadsheet_id=spreadsheet_id, tab="Projects", a1="B2", value="Web v2")
    assert remote.get_values(spreadsheet_id=spreadsheet_id, tab="Projects")[1][1] == "Web v2"
    remote.fail_next(n=1, status=503)
    url = f"{emulator.base_url}/v4/spreadsheets/{spreadsheet_id}"
    assert requests.get(url, timeout=5).status_code == 503
    assert remote.counts() == {"spreadsheets.get": 1}
    with pytest.raises(RuntimeError, match="KeyError"):
        remote.get_values(spreadsheet_id=spreadsheet_id, tab="Nope")
    with pytest.raises(AttributeError):
        remote.launch_missiles  # noqa: B018 - only control methods are proxied


def test_state_survives_a_restart(tmp_path, service_account_key_pem):
    state = tmp_path / "state.json"
    first = SheetsEmulator(state_file=state)
    first.start()
    email = first.create_service_account(tmp_path / "sa.json",
                                         private_key_pem=service_account_key_pem)
    sid = first.create_spreadsheet("Kept", {"Tab": [["ID"], ["1"]]}, shared_with=[email])
    client = make_client(tmp_path / "sa.json", endpoint=first.base_url)
    client.open_by_key(sid).sheet1.update([["written by amtui"]], "B1")
    port = int(first.base_url.rsplit(":", 1)[1])
    first.stop()

    with SheetsEmulator(state_file=state) as _unused:
        pass  # loading twice must not duplicate anything
    second = SheetsEmulator(state_file=state)
    second.start(port=port)  # same port: the key file's token_uri still points here
    try:
        again = make_client(tmp_path / "sa.json", endpoint=second.base_url)
        assert again.open_by_key(sid).sheet1.get_all_values() == [["ID", "written by amtui"],
                                                                  ["1", ""]]
        assert second.spreadsheet_ids() == [sid]
    finally:
        second.stop()


def read_until(proc: subprocess.Popen, marker: str, timeout: float = 15) -> str:
    """Collect the child's stdout until ``marker`` appears (bounded by ``timeout``)."""
    deadline, data = time.monotonic() + timeout, b""
    while marker.encode() not in data:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {marker!r} in output: {data!r}"
        ready, _, _ = select.select([proc.stdout], [], [], remaining)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 65536)  # unbuffered: select stays truthful
            assert chunk, f"emulator exited early: {data!r}"
            data += chunk
    return data.decode()


def test_standalone_cli(tmp_path):
    tabs = tmp_path / "tabs.json"
    tabs.write_text(json.dumps({"Managers": [["ID", "Name"], ["M1", "李娜"]]}), encoding="utf-8")
    key, state = tmp_path / "key.json", tmp_path / "state.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sync.emulator", "--port", "0", "--key-file", str(key),
         "--state", str(state), "--tabs-json", str(tabs)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        output = read_until(proc, "Ctrl-C")
        base_url = output.split("listening on ", 1)[1].split()[0]
        sid = output.split("Spreadsheet id: ", 1)[1].split()[0]
        assert f"AMTUI_SHEETS_ENDPOINT={base_url}" in output
        client = make_client(key, endpoint=base_url)
        ws = client.open_by_key(sid).worksheet("Managers")
        RemoteEmulator(base_url).set_cell(spreadsheet_id=sid, tab="Managers", a1="B2",
                                          value="Li Na")
        assert ws.get_all_values() == [["ID", "Name"], ["M1", "Li Na"]]
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    saved = json.loads(state.read_text())
    assert [b["id"] for b in saved["spreadsheets"]] == [sid]
