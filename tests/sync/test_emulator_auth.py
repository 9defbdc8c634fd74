"""The emulator's OAuth token endpoint and Google's error bodies, over raw HTTP."""

from __future__ import annotations

import json
import time

import pytest
import requests
from google.auth import crypt, jwt

from sync.emulator import DEFAULT_OWNER, SheetsEmulator
from sync.emulator.auth import generate_private_key_pem

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
SCOPE = "https://www.googleapis.com/auth/spreadsheets"
HELP = ("Expected OAuth 2 access token, login cookie or other valid authentication credential. "
        "See https://developers.google.com/identity/sign-in/web/devconsole-project.")


@pytest.fixture
def key_info(service_account_file) -> dict:
    return json.loads(service_account_file.read_text())


def assertion(info: dict, pem: str | None = None, **claims) -> str:
    now = int(time.time())
    payload = {"iss": info["client_email"], "aud": "https://oauth2.googleapis.com/token",
               "scope": SCOPE, "iat": now, "exp": now + 3600, **claims}
    signer = crypt.RSASigner.from_string(pem or info["private_key"], info["private_key_id"])
    return jwt.encode(signer, payload).decode()


def token_call(emulator, **form) -> requests.Response:
    return requests.post(emulator.token_uri, data=form, timeout=5)


def test_jwt_bearer_grant(emulator, key_info):
    answer = token_call(emulator, grant_type=JWT_GRANT, assertion=assertion(key_info))
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert (body["expires_in"], body["token_type"]) == (3599, "Bearer")
    emulator_aud = token_call(emulator, grant_type=JWT_GRANT,
                              assertion=assertion(key_info, aud=emulator.token_uri))
    assert emulator_aud.status_code == 200


@pytest.mark.parametrize(("change", "description"), [
    ({"pem": "other"}, "Invalid JWT Signature."),
    ({"iss": "ghost@x.iam.gserviceaccount.com"}, "Invalid grant: account not found"),
    ({"exp": 1000, "iat": 0}, "Invalid JWT: Token must be a short-lived token (60 minutes) and "
     "in a reasonable timeframe. Check your iat and exp values in the JWT claim."),
    ({"aud": "https://example.com/token"}, "Invalid JWT: Failed audience check. The right "
     "audience is https://oauth2.googleapis.com/token"),
])
def test_jwt_bearer_grant_errors(emulator, key_info, change, description):
    pem = generate_private_key_pem() if change.pop("pem", None) else None
    answer = token_call(emulator, grant_type=JWT_GRANT,
                        assertion=assertion(key_info, pem, **change))
    assert answer.status_code == 400
    assert answer.json() == {"error": "invalid_grant", "error_description": description}


def test_unsupported_grant_type(emulator):
    answer = token_call(emulator, grant_type="password")
    assert answer.json() == {"error": "unsupported_grant_type",
                             "error_description": "Invalid grant_type: password"}


def test_refresh_token_grant(emulator, tmp_path):
    path = tmp_path / "user.json"
    emulator.create_authorized_user_file(path, "lead@example.com")
    info = json.loads(path.read_text())
    good = token_call(emulator, grant_type="refresh_token", refresh_token=info["refresh_token"],
                      client_id=info["client_id"], client_secret=info["client_secret"])
    assert good.status_code == 200 and good.json()["token_type"] == "Bearer"
    revoked = token_call(emulator, grant_type="refresh_token", refresh_token="1//nope",
                         client_id=info["client_id"], client_secret=info["client_secret"])
    assert (revoked.status_code, revoked.json()) == (400, {
        "error": "invalid_grant", "error_description": "Token has been expired or revoked."})
    bad_client = token_call(emulator, grant_type="refresh_token",
                            refresh_token=info["refresh_token"], client_id=info["client_id"],
                            client_secret="wrong")
    assert (bad_client.status_code, bad_client.json()["error"]) == (401, "invalid_client")


def test_self_signed_jwt_is_accepted_as_bearer(emulator, key_info, spreadsheet_id):
    emulator.share(spreadsheet_id, key_info["client_email"])
    token = assertion(key_info, aud="https://sheets.googleapis.com/")
    answer = requests.get(f"{emulator.base_url}/v4/spreadsheets/{spreadsheet_id}",
                          headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert answer.status_code == 200


def test_error_bodies(emulator, spreadsheet_id):
    url = f"{emulator.base_url}/v4/spreadsheets/{spreadsheet_id}"
    missing = requests.get(url, timeout=5)
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="https://accounts.google.com/"'
    body = missing.json()["error"]
    assert (body["code"], body["status"]) == (401, "UNAUTHENTICATED")
    assert body["message"] == "Request is missing required authentication credential. " + HELP
    invalid = requests.get(url, headers={"Authorization": "Bearer ya29.stale"}, timeout=5)
    assert invalid.json()["error"]["message"] == (
        "Request had invalid authentication credentials. " + HELP)

    stranger = {"Authorization": f"Bearer {emulator.issue_token('x@example.com')}"}
    assert requests.get(url, headers=stranger, timeout=5).json() == {"error": {
        "code": 403, "message": "The caller does not have permission",
        "status": "PERMISSION_DENIED"}}
    owner = {"Authorization": f"Bearer {emulator.issue_token(DEFAULT_OWNER)}"}
    assert requests.get(url + "x", headers=owner, timeout=5).json() == {"error": {
        "code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}}

    emulator.fail_next(1, status=429, retry_after=7)
    limited = requests.get(url, headers=owner, timeout=5)
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "7")
    error = limited.json()["error"]
    assert error["status"] == "RESOURCE_EXHAUSTED"
    assert error["message"].startswith(
        "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute "
        "per user' of service 'sheets.googleapis.com'")
    emulator.fail_next(1, status=503, endpoint="spreadsheets.get")
    assert requests.get(url, headers=owner, timeout=5).json() == {"error": {
        "code": 503, "message": "The service is currently unavailable.", "status": "UNAVAILABLE"}}
    emulator.fail_next(1, status=500)
    assert requests.get(url, headers=owner, timeout=5).json()["error"]["status"] == "INTERNAL"


def test_failure_after_apply(emulator, spreadsheet_id):
    """``applied=True``: the write lands although the client is told it failed."""
    owner = {"Authorization": f"Bearer {emulator.issue_token(DEFAULT_OWNER)}"}
    emulator.fail_next(1, status=503, endpoint="values.update", applied=True)
    answer = requests.put(f"{emulator.base_url}/v4/spreadsheets/{spreadsheet_id}/values/"
                          "Projects!B2", params={"valueInputOption": "RAW"},
                          json={"values": [["Landed"]]}, headers=owner, timeout=5)
    assert answer.status_code == 503
    assert emulator.get_cell(spreadsheet_id, "Projects", "B2") == "Landed"


def test_require_auth_off():
    with SheetsEmulator(require_auth=False) as emu:
        sid = emu.create_spreadsheet("Open", {"Tab": [["x"]]})
        answer = requests.get(f"{emu.base_url}/v4/spreadsheets/{sid}/values/Tab", timeout=5)
        assert answer.json()["values"] == [["x"]]
