"""Fidelity: replay real recorded Google traffic against the emulator.

Each cassette in ``tests/data/gspread-cassettes`` holds the requests gspread's own
test suite sent to Google and Google's real answers. We replay every request
in order (same method, path, query and body) and require the same status and
the same JSON, key for key and value for value.

What the comparison maps or ignores, precisely:

* spreadsheet ids: learned from each Drive ``files.create`` answer and mapped
  both ways (in URIs, request bodies and response bodies, ``spreadsheetUrl``
  included);
* sheet ids: learned from each ``addSheet`` reply and mapped both ways
  (``sheetId`` keys in request and response bodies);
* Drive ``createdTime`` / ``modifiedTime``: values ignored, but they must be
  present in the same places and be RFC 3339 UTC timestamps;
* headers: not compared. Authorization was scrubbed in the recordings; the
  replay sends a valid emulator token for the account that owns the files.

Nothing is skipped: every interaction of every cassette is replayed
(``SKIPPED`` below is empty and kept to document that choice).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import requests

from sync.emulator import SheetsEmulator

# Google's recorded answers (from gspread's test suite, MIT licence beside them)
CASSETTES = Path(os.environ.get(
    "AMTUI_CASSETTES", Path(__file__).parents[1] / "data" / "gspread-cassettes"))
GOOGLE_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
OWNER = "gspread-tests@demo-project.iam.gserviceaccount.com"
SKIPPED: dict[str, str] = {}  # cassette name -> reason (none needed)

REQUIRED = {
    "ClientTest.test_create", "ClientTest.test_open_by_key_has_metadata",
    "ClientTest.test_open_by_name_has_metadata", "SpreadsheetTest.test_add_del_worksheet",
    "SpreadsheetTest.test_values_batch_get", "SpreadsheetTest.test_values_get",
    "WorksheetTest.test_append_row", "WorksheetTest.test_append_row_with_empty_value",
    "WorksheetTest.test_append_row_with_empty_value_and_table_range",
    "WorksheetTest.test_batch_clear", "WorksheetTest.test_batch_get",
    "WorksheetTest.test_batch_update", "WorksheetTest.test_clear", "WorksheetTest.test_delete_row",
    "WorksheetTest.test_get_all_values",
    "WorksheetTest.test_get_all_values_date_time_render_options",
    "WorksheetTest.test_get_all_values_title_is_a1_notation", "WorksheetTest.test_insert_row",
    "WorksheetTest.test_range_get_all_values", "WorksheetTest.test_sort",
    "WorksheetTest.test_update_and_get", "WorksheetTest.test_update_cell_unicode",
    "WorksheetTest.test_update_cells_unicode",
}  # fmt: skip


def cassette_files() -> list[Path]:
    if not CASSETTES.is_dir():
        return []
    return sorted(CASSETTES.glob("*.json"))


@pytest.fixture(scope="module")
def replay_emulator():
    with SheetsEmulator(seed=7) as emu:
        yield emu


class IdMap:
    """Recorded <-> emulator ids for spreadsheets and sheets."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.sheets: dict[int, int] = {}

    def to_emulator(self, text: str) -> str:
        for recorded, actual in self.files.items():
            text = text.replace(recorded, actual)
        return text

    def to_recorded(self, text: str) -> str:
        for recorded, actual in self.files.items():
            text = text.replace(actual, recorded)
        return text

    def sheet_ids(self, obj: Any, mapping: dict[int, int]) -> Any:
        if isinstance(obj, dict):
            return {k: (mapping.get(v, v) if k == "sheetId" else self.sheet_ids(v, mapping))
                    for k, v in obj.items()}
        if isinstance(obj, list):
            return [self.sheet_ids(item, mapping) for item in obj]
        return obj

    def learn(self, request: dict, recorded: Any, actual: Any) -> None:
        if request["method"] == "POST" and request["uri"].split("?")[0].endswith("/drive/v3/files"):
            self.files[recorded["id"]] = actual["id"]
        for old, new in zip(recorded.get("replies", []) if isinstance(recorded, dict) else [],
                            actual.get("replies", []) if isinstance(actual, dict) else [],
                            strict=False):
            if "addSheet" in old and "addSheet" in new:
                self.sheets[old["addSheet"]["properties"]["sheetId"]] = (
                    new["addSheet"]["properties"]["sheetId"])


def normalise_times(obj: Any, where: str = "$") -> Any:
    """Replace Drive timestamps by a marker after checking their format."""
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if key in ("createdTime", "modifiedTime"):
                assert TIMESTAMP.match(value), f"{where}.{key}: {value!r} is not RFC 3339"
                out[key] = "<time>"
            else:
                out[key] = normalise_times(value, f"{where}.{key}")
        return out
    if isinstance(obj, list):
        return [normalise_times(v, f"{where}[{i}]") for i, v in enumerate(obj)]
    return obj


def replay_one(session: requests.Session, base_url: str, token: str, ids: IdMap,
               interaction: dict) -> tuple[int, int, Any, Any]:
    request, response = interaction["request"], interaction["response"]
    uri = request["uri"]
    for host in GOOGLE_HOSTS:
        if uri.startswith(host):
            uri = base_url + uri[len(host):]
    uri = ids.to_emulator(uri)
    body = request["body"]
    headers = {"Authorization": f"Bearer {token}"}
    if body:
        payload = ids.sheet_ids(json.loads(ids.to_emulator(body)), ids.sheets)
        body = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    answer = session.request(request["method"], uri, data=body, headers=headers, timeout=10)
    recorded_text = response["body"]["string"]
    recorded = json.loads(recorded_text) if recorded_text.strip() else None
    actual = answer.json() if answer.content.strip() else None
    if recorded is not None and actual is not None:
        ids.learn(request, recorded, actual)
        reverse = {v: k for k, v in ids.sheets.items()}
        actual = ids.sheet_ids(json.loads(ids.to_recorded(json.dumps(actual))), reverse)
    return response["status"]["code"], answer.status_code, recorded, actual


def describe_difference(expected: Any, actual: Any, where: str = "$") -> str | None:
    if type(expected) is not type(actual) and not (
            isinstance(expected, int | float) and isinstance(actual, int | float)):
        return f"{where}: expected {expected!r}, got {actual!r}"
    if isinstance(expected, dict):
        if set(expected) != set(actual):
            return (f"{where}: keys differ: missing {sorted(set(expected) - set(actual))}, "
                    f"extra {sorted(set(actual) - set(expected))}")
        for key in expected:
            found = describe_difference(expected[key], actual[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return f"{where}: expected {len(expected)} items {expected!r}, got {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = describe_difference(e, a, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if expected == actual else f"{where}: expected {expected!r}, got {actual!r}"


def test_every_required_cassette_is_present():
    # the fidelity check must not pass quietly without its reference data
    assert CASSETTES.is_dir(), (f"cassettes not found at {CASSETTES}: "
                                "checkout or set AMTUI_CASSETTES")
    names = {path.stem for path in cassette_files()}
    assert REQUIRED <= names, f"missing cassettes: {sorted(REQUIRED - names)}"


@pytest.mark.parametrize("path", cassette_files(), ids=lambda p: p.stem)
def test_replay_matches_google(path: Path, replay_emulator: SheetsEmulator):
    if path.stem in SKIPPED:
        pytest.skip(SKIPPED[path.stem])
    interactions = json.loads(path.read_text(encoding="utf-8"))["interactions"]
    token = replay_emulator.issue_token(OWNER)
    ids = IdMap()
    with requests.Session() as session:
        for number, interaction in enumerate(interactions):
            request = interaction["request"]
            label = f"{path.stem}[{number}] {request['method']} {request['uri'][:120]}"
            want_status, got_status, expected, actual = replay_one(
                session, replay_emulator.base_url, token, ids, interaction)
            assert got_status == want_status, f"{label}: status {got_status}, body {actual}"
            if expected is None:
                assert actual is None, f"{label}: expected an empty body, got {actual}"
                continue
            difference = describe_difference(normalise_times(expected), normalise_times(actual))
            assert difference is None, f"{label}: {difference}"
