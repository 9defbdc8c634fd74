"""sync.gclient through real gspread + google-auth against the emulator (no mocks)."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import gspread
import pytest
import requests

from sync.emulator import SheetsEmulator
from sync.emulator.auth import service_account_key, write_private_json
from sync.gclient import (
    CredentialsError,
    CredentialsRejectedError,
    EndpointHTTPClient,
    RetryPolicy,
    SheetAccessError,
    SheetsRequestError,
    SheetsUnavailableError,
    SpreadsheetNotFoundError,
    make_client,
    open_spreadsheet,
)

SECRETS = ("-----BEGIN", "PRIVATE KEY", "ya29.", "1//emu-")


def assert_no_secrets(message: str) -> None:
    for secret in SECRETS:
        assert secret not in message


# ---------------------------------------------------------------- reading and writing


def test_open_by_key_lists_worksheets(gspread_client, spreadsheet_id):
    book = open_spreadsheet(gspread_client, spreadsheet_id)
    assert book.title == "amtui test"
    assert [ws.title for ws in book.worksheets()] == ["Projects", "Feedback"]
    assert book.worksheet("Projects").row_count == 1000


def test_values_batch_get_returns_ragged_rows(gspread_client, spreadsheet_id, emulator):
    emulator.set_values(spreadsheet_id, "Feedback", "A4", [["F3", "", "", "", ""]])
    book = gspread_client.open_by_key(spreadsheet_id)
    result = book.values_batch_get(["Projects!A1:F", "'Feedback'!A:E"])
    projects, feedback = result["valueRanges"]
    assert projects["range"] == "Projects!A1:F1000"
    assert projects["values"][3] == ["P3", "Brand book", "Initech", "Intake", "", "15000"]
    assert feedback["range"] == "Feedback!A1:E1000"
    assert feedback["values"][1:] == [["F1", "2026-11-20", "Acme", "5", "Great work"], [], ["F3"]]


def test_raw_update_keeps_formula_looking_text(gspread_client, spreadsheet_id, emulator):
    ws = gspread_client.open_by_key(spreadsheet_id).worksheet("Projects")
    text = '=IMPORTXML("https://evil.example", "//a")'
    ws.update([[text]], "B2", value_input_option="RAW")
    info = emulator.cell_info(spreadsheet_id, "Projects", "B2")
    assert info["formula"] is None and info["value"] == text
    assert ws.get("B2", value_render_option="FORMULA") == [[text]]
    ws.update([["=2*21"]], "G2", value_input_option="USER_ENTERED")
    assert emulator.cell_info(spreadsheet_id, "Projects", "G2")["formula"] == "=2*21"
    assert ws.acell("G2").value == "42"


def test_gspread_formatting_helpers(gspread_client, spreadsheet_id, emulator):
    ws = gspread_client.open_by_key(spreadsheet_id).worksheet("Projects")
    ws.freeze(rows=1)
    ws.format("E2:E4", {"numberFormat": {"type": "DATE", "pattern": "dd.mm.yyyy"},
                        "textFormat": {"bold": True}})
    ws.insert_note("A1", "IDs are filled in by amtui")
    assert ws.get_note("A1") == "IDs are filled in by amtui"
    assert ws.get_notes(grid_range="A1:B1") == [["IDs are filled in by amtui", ""]]
    assert ws.acell("E2").value == "26.11.2026"
    fmt = emulator.cell_info(spreadsheet_id, "Projects", "E3")["format"]
    assert fmt == {"numberFormat": {"type": "DATE", "pattern": "dd.mm.yyyy"},
                   "textFormat": {"bold": True}}
    assert gspread_client.open_by_key(spreadsheet_id).worksheet("Projects").frozen_row_count == 1


def test_endpoint_from_environment(monkeypatch, emulator, service_account_file, spreadsheet_id):
    monkeypatch.setenv("AMTUI_SHEETS_ENDPOINT", emulator.base_url)
    client = make_client(service_account_file)
    assert client.open_by_key(spreadsheet_id).sheet1.title == "Projects"


def test_configured_client_class_rewrites_only_google_hosts():
    klass = EndpointHTTPClient.configured(endpoint="http://127.0.0.1:9/")
    client = klass.__new__(klass)
    client.endpoint = klass.options["endpoint"]
    assert client.rewrite("https://sheets.googleapis.com/v4/spreadsheets/x") == (
        "http://127.0.0.1:9/v4/spreadsheets/x")
    assert client.rewrite("https://www.googleapis.com/drive/v3/files") == (
        "http://127.0.0.1:9/drive/v3/files")
    assert client.rewrite("https://oauth2.googleapis.com/token") == (
        "https://oauth2.googleapis.com/token")


# ---------------------------------------------------------------- errors


def test_unknown_key_is_rejected_clearly(emulator, spreadsheet_id, tmp_path,
                                         service_account_key_pem):
    path = tmp_path / "stranger.json"
    write_private_json(path, service_account_key("stranger@other.iam.gserviceaccount.com",
                                                 service_account_key_pem, "abc123",
                                                 emulator.base_url))
    client = make_client(path, endpoint=emulator.base_url, sleep=lambda _s: None)
    with pytest.raises(CredentialsRejectedError) as caught:
        open_spreadsheet(client, spreadsheet_id)
    assert "invalid_grant" in str(caught.value)
    assert_no_secrets(str(caught.value))
    assert emulator.counts().get("spreadsheets.get", 0) == 0


def test_bad_signature_is_rejected(emulator, spreadsheet_id, tmp_path, service_account_key_pem):
    path = tmp_path / "sa.json"
    email = emulator.create_service_account(path)  # registers a fresh key ...
    emulator.share(spreadsheet_id, email)
    info = json.loads(path.read_text())
    info["private_key"] = service_account_key_pem  # ... but we sign with another one
    write_private_json(path, info)
    client = make_client(path, endpoint=emulator.base_url)
    with pytest.raises(CredentialsRejectedError, match="Invalid JWT Signature"):
        client.open_by_key(spreadsheet_id)


def test_not_shared_names_the_account_to_share_with(emulator, gspread_client):
    private = emulator.create_spreadsheet("Private")
    with pytest.raises(SheetAccessError) as caught:
        open_spreadsheet(gspread_client, private)
    assert caught.value.email == "amtui@demo-project.iam.gserviceaccount.com"
    assert "share it with amtui@demo-project.iam.gserviceaccount.com" in str(caught.value)
    assert private in str(caught.value)
    with pytest.raises(PermissionError):  # plain gspread behaviour is unchanged
        gspread_client.open_by_key(private)


def test_unknown_spreadsheet_is_not_found(gspread_client):
    with pytest.raises(SpreadsheetNotFoundError, match="not found"):
        open_spreadsheet(gspread_client, "1doesNotExist")
    with pytest.raises(gspread.SpreadsheetNotFound):
        gspread_client.open_by_key("1doesNotExist")


def test_bad_range_is_a_request_error(gspread_client, spreadsheet_id):
    book = gspread_client.open_by_key(spreadsheet_id)
    with pytest.raises(SheetsRequestError, match=r"Unable to parse range: 'Nope'!A1") as caught:
        book.values_get("'Nope'!A1")
    assert isinstance(caught.value, gspread.exceptions.APIError)
    assert caught.value.code == 400


def test_missing_key_file(tmp_path):
    with pytest.raises(CredentialsError, match="not found"):
        make_client(tmp_path / "nope.json")


def test_expired_access_token_is_refreshed(gspread_client, spreadsheet_id, emulator):
    ws = gspread_client.open_by_key(spreadsheet_id).sheet1
    emulator.revoke_tokens()
    assert ws.acell("A2").value == "P1"
    assert emulator.counts()["token"] == 2


# ---------------------------------------------------------------- retries


def test_429_storm_honours_retry_after(emulator, service_account_file, spreadsheet_id):
    sleeps, notices = [], []
    client = make_client(service_account_file, endpoint=emulator.base_url,
                         retry=RetryPolicy(max_attempts=5, max_total_wait=100),
                         sleep=sleeps.append,
                         on_retry=lambda attempt, delay, reason: notices.append(
                             (attempt, delay, reason)))
    ws = client.open_by_key(spreadsheet_id).sheet1
    emulator.reset_counts()
    emulator.fail_next(3, status=429, retry_after=20, endpoint="values.get")
    assert ws.get_all_values()[1][0] == "P1"
    assert emulator.counts()["values.get"] == 4
    assert sleeps == [20, 20, 20]
    assert notices == [(1, 20, "429 Too Many Requests"), (2, 20, "429 Too Many Requests"),
                       (3, 20, "429 Too Many Requests")]


def test_retry_after_beyond_budget_gives_up_at_once(emulator, service_account_file,
                                                    spreadsheet_id):
    sleeps = []
    client = make_client(service_account_file, endpoint=emulator.base_url,
                         retry=RetryPolicy(max_total_wait=30), sleep=sleeps.append)
    book = client.open_by_key(spreadsheet_id)
    emulator.fail_next(1, status=429, retry_after=120, endpoint="values.get")
    with pytest.raises(SheetsUnavailableError, match="asked to wait 120 s") as caught:
        book.values_get("Projects!A1")
    assert (caught.value.attempts, caught.value.status, sleeps) == (1, 429, [])


def test_503_then_success(gspread_client, spreadsheet_id, emulator, retry_sleeps):
    book = gspread_client.open_by_key(spreadsheet_id)
    emulator.fail_next(1, status=503, endpoint="values.batchGet")
    assert book.values_batch_get(["Projects!A1"])["valueRanges"][0]["values"] == [["ID"]]
    assert len(retry_sleeps) == 1 and 0 <= retry_sleeps[0] <= 1.0


def test_permanent_503_raises_after_max_attempts(gspread_client, spreadsheet_id, emulator,
                                                 retry_sleeps):
    book = gspread_client.open_by_key(spreadsheet_id)
    emulator.reset_counts()
    emulator.fail_rate(1.0, status=503)
    started = time.monotonic()
    with pytest.raises(SheetsUnavailableError) as caught:
        book.values_get("Projects!A1")
    assert caught.value.attempts == 4 and caught.value.status == 503
    assert emulator.counts() == {"values.get": 4}
    assert len(retry_sleeps) == 3
    assert all(0 <= d <= 2 ** i for i, d in enumerate(retry_sleeps))  # full jitter bounds
    assert time.monotonic() - started < 2


def test_502_html_page_is_retried(gspread_client, spreadsheet_id, emulator, retry_sleeps):
    book = gspread_client.open_by_key(spreadsheet_id)
    emulator.fail_next(2, status=502)
    assert book.values_get("Projects!A2")["values"] == [["P1"]]
    assert len(retry_sleeps) == 2


def test_timeout_is_retried(emulator, service_account_file, spreadsheet_id):
    notices = []
    client = make_client(service_account_file, endpoint=emulator.base_url,
                         retry=RetryPolicy(max_attempts=3, timeout=0.3), sleep=lambda _s: None,
                         on_retry=lambda attempt, delay, reason: notices.append(reason))
    book = client.open_by_key(spreadsheet_id)
    emulator.delay_next(1, seconds=30, endpoint="values.get")
    started = time.monotonic()
    assert book.values_get("Projects!A2")["values"] == [["P1"]]
    assert notices == ["timeout"]
    assert time.monotonic() - started < 3


def test_stopped_server_fails_promptly_and_recovers(emulator, service_account_file,
                                                    spreadsheet_id):
    sleeps = []
    client = make_client(service_account_file, endpoint=emulator.base_url,
                         retry=RetryPolicy(max_attempts=3, timeout=2), sleep=sleeps.append)
    book = client.open_by_key(spreadsheet_id)
    emulator.stop()
    started = time.monotonic()
    with pytest.raises(SheetsUnavailableError, match="connection error") as caught:
        book.values_get("Projects!A2")
    assert caught.value.attempts == 3 and caught.value.status is None
    assert len(sleeps) == 2
    assert time.monotonic() - started < 3
    emulator.start()  # same port, same data
    assert book.values_get("Projects!A2")["values"] == [["P1"]]


def test_offline_flag_drops_connections(gspread_client, spreadsheet_id, emulator):
    book = gspread_client.open_by_key(spreadsheet_id)
    emulator.offline = True
    with pytest.raises(SheetsUnavailableError):
        book.values_get("Projects!A2")
    emulator.offline = False
    assert book.values_get("Projects!A2")["values"] == [["P1"]]


def test_quota_per_minute(tmp_path, service_account_key_pem):
    now = [0.0]
    sleeps = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds  # the quota window moves with the fake clock

    with SheetsEmulator(quota_per_minute=3, clock=lambda: now[0]) as emu:
        email = emu.create_service_account(tmp_path / "sa.json",
                                           private_key_pem=service_account_key_pem)
        sid = emu.create_spreadsheet("Quota", shared_with=[email])
        client = make_client(tmp_path / "sa.json", endpoint=emu.base_url, sleep=sleep,
                             retry=RetryPolicy(max_attempts=10, base_delay=30, max_delay=30,
                                               max_total_wait=600))
        book = client.open_by_key(sid)
        for _ in range(3):
            book.values_get("Sheet1!A1")
        assert sleeps and now[0] > 0
        assert emu.counts()["values.get"] > 2


# ---------------------------------------------------------------- a person's account


def test_authorized_user_file(emulator, spreadsheet_id, tmp_path):
    path = tmp_path / "lead.json"
    person = emulator.create_authorized_user_file(path, "lead@example.com")
    emulator.share(spreadsheet_id, person)
    client = make_client(path, endpoint=emulator.base_url)
    assert client.open_by_key(spreadsheet_id).sheet1.acell("B2").value == "Website"


def test_console_sign_in_caches_refresh_token(emulator, spreadsheet_id, tmp_path):
    secrets_path = tmp_path / "client_secret.json"
    emulator.create_oauth_client(secrets_path, user_email="lead@example.com")
    emulator.share(spreadsheet_id, "lead@example.com")
    printed: list[str] = []

    def browser(_question: str) -> str:
        url = next(line.strip() for text in printed for line in text.splitlines()
                   if "/o/oauth2/auth?" in line)
        answer = requests.get(url, allow_redirects=False, timeout=5)  # the person consents
        return answer.headers["Location"]

    cache = tmp_path / "cache" / "token.json"
    client = make_client(oauth_client=secrets_path, token_cache=cache,
                         endpoint=emulator.base_url, prompt=browser, output=printed.append)
    assert client.open_by_key(spreadsheet_id).sheet1.acell("A2").value == "P1"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert json.loads(cache.read_text())["refresh_token"].startswith("1//")

    def no_prompt(_question: str) -> str:
        raise AssertionError("the cached refresh token should be used")

    again = make_client(oauth_client=secrets_path, token_cache=cache,
                        endpoint=emulator.base_url, prompt=no_prompt)
    assert again.open_by_key(spreadsheet_id).sheet1.acell("A3").value == "P2"


# ---------------------------------------------------------------- control through gspread


def test_person_edits_change_what_gspread_reads(gspread_client, spreadsheet_id, emulator):
    ws = gspread_client.open_by_key(spreadsheet_id).worksheet("Projects")
    emulator.insert_rows(spreadsheet_id, "Projects", 2, values=[["P0", "Inserted"]])
    assert ws.col_values(1) == ["ID", "P0", "P1", "P2", "P3"]
    emulator.sort_tab(spreadsheet_id, "Projects", "Value", descending=True)
    assert ws.col_values(1) == ["ID", "P1", "P2", "P3", "P0"]
    emulator.delete_rows(spreadsheet_id, "Projects", 2, count=2)
    assert ws.col_values(1) == ["ID", "P3", "P0"]
    emulator.rename_header(spreadsheet_id, "Projects", "Stage", "阶段")
    assert ws.row_values(1)[3] == "阶段"


def test_hook_applies_an_edit_between_two_calls(gspread_client, spreadsheet_id, emulator):
    book = gspread_client.open_by_key(spreadsheet_id)
    hook = emulator.on_request(
        "values.batchGet", lambda info: emulator.set_cell(spreadsheet_id, "Projects", "D2",
                                                          "Client Review"))
    first = book.values_batch_get(["Projects!D2"])["valueRanges"][0]["values"]
    assert first == [["In Progress"]]  # the edit lands after this answer ...
    assert book.values_get("Projects!D2")["values"] == [["Client Review"]]  # ... before this
    assert hook.fired.is_set() and hook.error is None


def test_counts_per_endpoint(gspread_client, spreadsheet_id, emulator):
    ws = gspread_client.open_by_key(spreadsheet_id).sheet1
    ws.update([["x"]], "H1")
    ws.batch_update([{"range": "H2", "values": [["y"]]}])
    ws.append_row(["P4", "New"], table_range="A1")
    ws.get_all_values()
    counts = emulator.counts()
    # open_by_key and gspread's .sheet1 property each fetch the metadata
    assert counts == {"token": 1, "spreadsheets.get": 2, "values.update": 1,
                      "values.batchUpdate": 1, "values.append": 1, "values.get": 1}
    written = [info.ranges for info in emulator.request_log()
               if info.endpoint == "values.batchUpdate"]
    assert written == [["'Projects'!H2"]]
    emulator.reset_counts()
    assert emulator.counts() == {}


def test_key_file_is_private_and_google_shaped(emulator, service_account_file):
    assert stat.S_IMODE(Path(service_account_file).stat().st_mode) == 0o600
    info = json.loads(Path(service_account_file).read_text())
    assert info["type"] == "service_account"
    assert info["token_uri"] == f"{emulator.base_url}/token"
    assert set(info) >= {"project_id", "private_key_id", "private_key", "client_email",
                         "client_id", "auth_uri", "token_uri", "auth_provider_x509_cert_url",
                         "client_x509_cert_url"}
