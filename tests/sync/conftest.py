"""Fixtures for talking to a local Google Sheets emulator through real gspread.

    def test_something(emulator, spreadsheet_id, gspread_client, retry_sleeps):
        ws = gspread_client.open_by_key(spreadsheet_id).worksheet("Projects")
        emulator.set_cell(spreadsheet_id, "Projects", "B2", "Renamed")  # a person edits
        assert ws.acell("B2").value == "Renamed"

* ``emulator``: a running :class:`SheetsEmulator` on 127.0.0.1 (free port), per test.
* ``spreadsheet_id``: a test spreadsheet (tabs ``Projects`` and ``Feedback``).
* ``service_account_file``: a key file registered with the emulator, shared
  on ``spreadsheet_id`` (Editor).
* ``gspread_client``: ``make_client(service_account_file, endpoint=...)`` with a
  fast retry policy whose sleeps are recorded in ``retry_sleeps`` (no real waiting).
"""

from __future__ import annotations

from pathlib import Path

import gspread
import pytest

from sync.emulator import SheetsEmulator
from sync.emulator.auth import generate_private_key_pem
from sync.gclient import RetryPolicy, make_client

TEST_TABS = {
    "Projects": [
        ["ID", "Project", "Client", "Stage", "Due", "Value"],
        ["P1", "Website", "Acme", "In Progress", "2026-11-26", "120000"],
        ["P2", "App", "Globex", "Planning", "2026-12-15", "80000"],
        ["P3", "Brand book", "Initech", "Intake", "", "15000"],
    ],
    "Feedback": [
        ["ID", "Received", "From", "Rating", "Text"],
        ["F1", "2026-11-20", "Acme", "5", "Great work"],
    ],
}
FAST_RETRY = RetryPolicy(max_attempts=4, max_total_wait=120, timeout=5)


@pytest.fixture(scope="session")
def service_account_key_pem() -> str:
    """One RSA key for the whole run (generating one takes ~0.1 s)."""
    return generate_private_key_pem()


@pytest.fixture
def emulator():
    with SheetsEmulator(seed=1234) as emu:
        yield emu


@pytest.fixture
def spreadsheet_id(emulator: SheetsEmulator) -> str:
    return emulator.create_spreadsheet("amtui test", TEST_TABS)


@pytest.fixture
def service_account_file(emulator: SheetsEmulator, spreadsheet_id: str, tmp_path: Path,
                         service_account_key_pem: str) -> Path:
    path = tmp_path / "service-account.json"
    email = emulator.create_service_account(path, private_key_pem=service_account_key_pem)
    emulator.share(spreadsheet_id, email)
    return path


@pytest.fixture
def retry_sleeps() -> list[float]:
    """Delays the client asked to sleep between retries (nothing really sleeps)."""
    return []


@pytest.fixture
def gspread_client(emulator: SheetsEmulator, service_account_file: Path,
                   retry_sleeps: list[float]) -> gspread.Client:
    return make_client(service_account_file, endpoint=emulator.base_url, retry=FAST_RETRY,
                       sleep=retry_sleeps.append)
