"""The gspread client amtui uses: endpoint override, bounded retry, clear errors.

    from sync.gclient import make_client, open_spreadsheet

    client = make_client("service-account.json")                     # real Google
    client = make_client("sa.json", endpoint="http://127.0.0.1:8787")  # the emulator
    book = open_spreadsheet(client, spreadsheet_id)                   # SheetsError on failure

Retries: 429/500/502/503/504, connection errors and timeouts are retried with
exponential backoff and full jitter, honouring ``Retry-After``, at most
``RetryPolicy.max_attempts`` attempts and ``max_total_wait`` seconds of
sleeping; then :class:`SheetsUnavailableError` is raised. Other failures map to
:class:`SheetAccessError` (403), :class:`SpreadsheetNotFoundError` (404),
:class:`CredentialsRejectedError` (401 / invalid_grant) or
:class:`SheetsRequestError`. Messages never contain tokens or key material.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import os
import random
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import google.auth.exceptions
import gspread
import requests
from google.auth.credentials import Credentials
from google.oauth2 import credentials as user_credentials
from google.oauth2 import service_account
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)
GOOGLE_BASES = ("https://sheets.googleapis.com", "https://www.googleapis.com")
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ENDPOINT_ENV = "AMTUI_SHEETS_ENDPOINT"
# Desktop OAuth clients accept any loopback redirect. Nothing listens on port 1,
# so the browser stops on an error page whose address holds the code to paste.
CONSOLE_REDIRECT_URI = "http://localhost:1/"

Sleeper = Callable[[float], None]
RetryCallback = Callable[[int, float, str], None]


# ---------------------------------------------------------------- errors


class SheetsError(Exception):
    """Base class for every error this module raises."""


class SheetsAPIError(APIError, SheetsError):
    """An HTTP error from the Sheets/Drive API, still a ``gspread.APIError``.

    Subclassing APIError keeps gspread's own error handling working (for
    instance ``open_by_key`` turns a 404 into ``SpreadsheetNotFound``).
    """

    def __init__(self, response: requests.Response, message: str) -> None:
        super().__init__(response)
        self.message = message
        self.status_code = response.status_code

    def __str__(self) -> str:
        return self.message


class SheetAccessError(SheetsAPIError):
    """403: the account may not open this spreadsheet; ``.email`` is who to share with."""

    def __init__(self, response: requests.Response, email: str | None,
                 spreadsheet_id: str | None) -> None:
        target = f"spreadsheet {spreadsheet_id}" if spreadsheet_id else "this spreadsheet"
        if email:
            message = (f"No access to {target}: share it with {email} (as Editor) in Google "
                       "Sheets, then sync again.")
        else:
            message = (f"No access to {target} with the Google account amtui signed in with; "
                       "ask its owner to share it with you (as Editor).")
        super().__init__(response, message)
        self.email = email
        self.spreadsheet_id = spreadsheet_id


class SpreadsheetNotFoundError(SheetsAPIError):
    """404: no spreadsheet with this id (or it was deleted)."""

    def __init__(self, response: requests.Response, spreadsheet_id: str | None) -> None:
        what = f"spreadsheet {spreadsheet_id}" if spreadsheet_id else "spreadsheet"
        super().__init__(response, f"Google Sheets: {what} not found. Check the spreadsheet "
                         "id/URL in the config; the file may have been deleted.")
        self.spreadsheet_id = spreadsheet_id


class SheetsRequestError(SheetsAPIError):
    """Any other client error (400 bad range, ...), with Google's message."""


class CredentialsRejectedError(SheetsError):
    """401 or ``invalid_grant``: Google did not accept the credentials."""


class CredentialsError(SheetsError):
    """The credentials file is missing or not a usable key/client file."""


class SheetsUnavailableError(SheetsError):
    """Retries exhausted (rate limit, server errors, network down or timeouts)."""

    def __init__(self, message: str, attempts: int, status: int | None) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.status = status


# ---------------------------------------------------------------- retry policy


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retry: attempts, sleeping budget, backoff and per-request timeout.

    >>> RetryPolicy(max_attempts=3, max_total_wait=10).max_attempts
    3
    """

    max_attempts: int = 5
    max_total_wait: float = 60.0
    base_delay: float = 1.0
    max_delay: float = 32.0
    timeout: float = 30.0
    retry_statuses: frozenset[int] = field(
        default_factory=lambda: frozenset({429, 500, 502, 503, 504}))

    def backoff(self, attempt: int, rng: random.Random | None = None) -> float:
        """Full jitter: uniform in [0, min(max_delay, base_delay * 2**(attempt-1))]."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return (rng or random).uniform(0, ceiling)


DEFAULT_RETRY = RetryPolicy()


def retry_after_seconds(value: str | None) -> float | None:
    """Parse ``Retry-After`` (seconds or an HTTP date) into seconds from now."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# ---------------------------------------------------------------- HTTP client


class EndpointHTTPClient(HTTPClient):
    """gspread HTTP client that talks to ``endpoint`` instead of Google, with retries.

    gspread builds it as ``http_client(auth, session)``; :meth:`configured`
    returns a subclass carrying the options:

        client = gspread.Client(creds, http_client=EndpointHTTPClient.configured(
            endpoint="http://127.0.0.1:8787", retry=RetryPolicy(max_attempts=3),
            on_retry=lambda attempt, delay, reason: print(f"retrying in {delay:.0f} s")))
    """

    options: dict[str, Any] = {}

    def __init__(self, auth: Credentials, session: requests.Session | None = None, *,
                 endpoint: str | None = None, retry: RetryPolicy | None = None,
                 sleep: Sleeper | None = None, on_retry: RetryCallback | None = None,
                 rng: random.Random | None = None) -> None:
        super().__init__(auth, session)
        opts = self.options
        self.endpoint = (endpoint if endpoint is not None else opts.get("endpoint")) or None
        self.retry: RetryPolicy = retry or opts.get("retry") or DEFAULT_RETRY
        self.sleep: Sleeper = sleep or opts.get("sleep") or time.sleep
        self.on_retry: RetryCallback | None = on_retry or opts.get("on_retry")
        self.rng = rng or opts.get("rng") or random.Random()
        self.timeout = self.retry.timeout

    @classmethod
    def configured(cls, **options: Any) -> type[EndpointHTTPClient]:
        """A subclass with fixed options, to pass as ``gspread.Client(http_client=...)``."""
        return type(cls.__name__, (cls,), {"options": {**cls.options, **options}})

    def rewrite(self, url: str) -> str:
        """Point a Google API URL at the configured endpoint (other URLs unchanged)."""
        if not self.endpoint:
            return url
        for base in GOOGLE_BASES:
            if url.startswith(base):
                return self.endpoint.rstrip("/") + url[len(base):]
        return url

    def request(self, method: str, endpoint: str, params: Any = None, data: Any = None,
                json: Any = None, files: Any = None, headers: Any = None,
                ) -> requests.Response:
        url = self.rewrite(endpoint)
        waited = 0.0
        attempt = 0
        while True:
            attempt += 1
            retry_after, status = None, None
            try:
                response = self.session.request(
                    method=method, url=url, json=json, params=params, data=data, files=files,
                    headers=headers, timeout=self.timeout)
            except requests.Timeout:
                if method.upper() == "POST" and ":append" in url:
                    # an append that timed out may have landed: retrying could add the rows
                    # twice, so give up; the next sync sees them by their IDs
                    raise SheetsUnavailableError(
                        "Google Sheets timed out while adding rows; amtui will check at the "
                        "next sync whether they arrived.", attempt, None) from None
                reason = "timeout"
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                    google.auth.exceptions.TransportError):
                reason = "connection error"
            except google.auth.exceptions.RefreshError as err:
                if not getattr(err, "retryable", False):
                    raise _credentials_rejected(err) from None
                reason = "token endpoint unavailable"
            else:
                if response.ok:
                    return response
                status = response.status_code
                if not self._retryable(response):
                    raise self._translate(response, url)
                retry_after = retry_after_seconds(response.headers.get("Retry-After"))
                reason = f"{status} {response.reason or ''}".strip()
            delay = self._next_delay(attempt, retry_after, waited, reason, status)
            if self.on_retry is not None:
                self.on_retry(attempt, delay, reason)
            self.sleep(delay)
            waited += delay

    def _retryable(self, response: requests.Response) -> bool:
        if response.status_code in self.retry.retry_statuses:
            return True
        if response.status_code == 403:  # Drive reports rate limits as 403
            reason = _error_reason(response)
            return reason in ("rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED")
        return False

    def _next_delay(self, attempt: int, retry_after: float | None, waited: float,
                    reason: str, status: int | None) -> float:
        """The sleep before the next attempt, or SheetsUnavailableError if out of budget."""
        remaining = self.retry.max_total_wait - waited
        if attempt >= self.retry.max_attempts:
            raise SheetsUnavailableError(
                f"Google Sheets unavailable after {attempt} attempts ({reason}); "
                "amtui keeps working offline and will retry later.", attempt, status)
        if retry_after is not None:
            if retry_after > remaining:
                raise SheetsUnavailableError(
                    f"Google Sheets asked to wait {retry_after:.0f} s ({reason}), more than the "
                    f"{remaining:.0f} s retry budget left; will retry later.", attempt, status)
            return retry_after
        if remaining <= 0:
            raise SheetsUnavailableError(
                f"Google Sheets unavailable ({reason}); gave up after waiting "
                f"{waited:.0f} s.", attempt, status)
        return min(self.retry.backoff(attempt, self.rng), remaining)

    def _translate(self, response: requests.Response, url: str) -> SheetsError:
        sheet_id = _spreadsheet_id(url)
        if response.status_code == 401:
            return CredentialsRejectedError(
                "Google rejected the credentials (401 Unauthenticated). Check the key file or "
                "sign in again.")
        if response.status_code == 403:
            # gspread only sets .auth when it builds the session itself
            email = getattr(getattr(self, "auth", None), "service_account_email", None)
            return SheetAccessError(response, email, sheet_id)
        if response.status_code == 404 and sheet_id:
            return SpreadsheetNotFoundError(response, sheet_id)
        message = _error_message(response)
        return SheetsRequestError(response, f"Google Sheets rejected the request "
                                  f"({response.status_code}): {message}")


def _error_message(response: requests.Response) -> str:
    try:
        return str(response.json()["error"]["message"])
    except (ValueError, KeyError, TypeError):
        return (response.text or response.reason or "").strip()[:200]


def _error_reason(response: requests.Response) -> str | None:
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return None
    for entry in error.get("errors") or []:
        return entry.get("reason")
    for entry in error.get("details") or []:
        if "reason" in entry:
            return entry["reason"]
    return None


def _spreadsheet_id(url: str) -> str | None:
    parts = urllib.parse.urlsplit(url).path.split("/")
    for marker in ("spreadsheets", "files"):
        if marker in parts:
            index = parts.index(marker) + 1
            if index < len(parts) and parts[index]:
                return urllib.parse.unquote(parts[index]).split(":")[0]
    return None


def _credentials_rejected(err: google.auth.exceptions.RefreshError) -> CredentialsRejectedError:
    detail = ""
    if len(err.args) > 1 and isinstance(err.args[1], dict):
        info = err.args[1]
        detail = ": ".join(str(info[k]) for k in ("error", "error_description") if k in info)
    detail = detail or "the token request failed"
    return CredentialsRejectedError(
        f"Google rejected the credentials ({detail}). Check that the service-account key is "
        "current (not deleted in Cloud Console) or sign in again.")


# ---------------------------------------------------------------- client factory


def make_client(credentials_path: str | os.PathLike | None = None, *,
                endpoint: str | None = None, oauth_client: str | os.PathLike | None = None,
                token_cache: str | os.PathLike | None = None,
                retry: RetryPolicy = DEFAULT_RETRY, sleep: Sleeper | None = None,
                on_retry: RetryCallback | None = None,
                prompt: Callable[[str], str] = input,
                output: Callable[[str], None] = print) -> gspread.Client:
    """A gspread client for a service account or a person's Google account.

    ``credentials_path`` is a service-account key (or an ``authorized_user``
    file); ``oauth_client`` is an installed-app ``client_secret.json`` used
    for a console sign-in (URL printed with ``output``, code read with
    ``prompt``) whose refresh token is cached in ``token_cache`` (mode 0600).
    ``endpoint`` (default: ``$AMTUI_SHEETS_ENDPOINT``) replaces Google's API
    hosts; token requests go wherever the credentials' ``token_uri`` says.
    """
    if endpoint is None:
        endpoint = os.environ.get(ENDPOINT_ENV) or None
    if credentials_path is not None:
        creds = load_credentials_file(credentials_path, endpoint=endpoint)
    elif oauth_client is not None:
        creds = load_user_credentials(oauth_client, token_cache, endpoint=endpoint,
                                      prompt=prompt, output=output)
    else:
        raise CredentialsError("No Google credentials configured: set a service-account key "
                               "file or an OAuth client file.")
    http_client = EndpointHTTPClient.configured(endpoint=endpoint, retry=retry, sleep=sleep,
                                                on_retry=on_retry)
    return gspread.Client(creds, http_client=http_client)


def open_spreadsheet(client: gspread.Client, key: str) -> gspread.Spreadsheet:
    """``client.open_by_key`` raising this module's errors instead of gspread's wrappers."""
    try:
        return client.open_by_key(key)
    except (PermissionError, gspread.SpreadsheetNotFound) as err:
        if isinstance(err.__cause__, SheetsError):
            raise err.__cause__ from None
        raise


def load_credentials_file(path: str | os.PathLike, endpoint: str | None = None) -> Credentials:
    """Service-account key or ``authorized_user`` JSON -> google-auth credentials."""
    info = _read_json(path, "credentials file")
    kind = info.get("type")
    try:
        if kind == "service_account":  # token_uri comes from the key file itself
            return service_account.Credentials.from_service_account_file(str(path),
                                                                         scopes=SCOPES)
        if kind == "authorized_user":
            return user_credentials_from_info(info, endpoint)
    except (ValueError, KeyError) as err:  # the reason only: a key's text is never shown
        raise CredentialsError(f"{path} is not a usable {kind} file ({type(err).__name__}); "
                               + KEY_FIX) from None
    raise CredentialsError(f"{path} is not a service-account key or authorized-user file "
                           f"(type {kind!r}); " + KEY_FIX)


def user_credentials_from_info(info: dict, endpoint: str | None = None) -> Credentials:
    """A person's refresh-token credentials from ``authorized_user`` JSON.

    google-auth's own loader always refreshes at Google. We keep the file's
    ``token_uri`` when it is Google's, a loopback address or under the
    configured endpoint (an emulator), so a refresh token is never sent to an
    arbitrary host named in a file.
    """
    missing = [k for k in ("client_id", "client_secret", "refresh_token") if not info.get(k)]
    if missing:
        raise ValueError(f"authorized_user info is missing {', '.join(missing)}")
    token_uri = info.get("token_uri") or GOOGLE_TOKEN_URI
    if not _trusted_token_uri(token_uri, endpoint):
        token_uri = GOOGLE_TOKEN_URI
    return user_credentials.Credentials(
        token=None, refresh_token=info["refresh_token"], token_uri=token_uri,
        client_id=info["client_id"], client_secret=info["client_secret"], scopes=list(SCOPES),
        quota_project_id=info.get("quota_project_id"),
        universe_domain=info.get("universe_domain", "googleapis.com"))


def _trusted_token_uri(uri: str, endpoint: str | None) -> bool:
    parts = urllib.parse.urlsplit(uri)
    if uri.startswith(("https://oauth2.googleapis.com/", "https://accounts.google.com/")):
        return True
    if parts.hostname in LOOPBACK_HOSTS:
        return True
    return bool(endpoint) and uri.startswith(endpoint.rstrip("/") + "/")


def load_user_credentials(client_secrets: str | os.PathLike,
                          token_cache: str | os.PathLike | None = None, *,
                          endpoint: str | None = None,
                          prompt: Callable[[str], str] = input,
                          output: Callable[[str], None] = print) -> Credentials:
    """A person's credentials: the cached refresh token, or a console sign-in."""
    cache = Path(token_cache) if token_cache else default_token_cache()
    if cache.exists():
        info = _read_json(cache, "token cache", f"fix: delete {cache} and sign in again")
        try:
            return user_credentials_from_info(info, endpoint)
        except ValueError:
            output(f"Ignoring unreadable token cache {cache}; signing in again.")
    creds = console_sign_in(client_secrets, prompt=prompt, output=output)
    write_private_text(cache, creds.to_json())
    return creds


def console_sign_in(client_secrets: str | os.PathLike, *,
                    prompt: Callable[[str], str] = input,
                    output: Callable[[str], None] = print) -> Credentials:
    """Installed-app OAuth without a local browser: print the URL, read the pasted code."""
    from google_auth_oauthlib.flow import Flow

    _read_json(client_secrets, "OAuth client file",  # a clear error if missing/broken
               "fix: download the OAuth client again as JSON in the Google Cloud console "
               "(APIs & Services > Credentials)")
    flow = Flow.from_client_secrets_file(str(client_secrets), scopes=list(SCOPES),
                                         redirect_uri=CONSOLE_REDIRECT_URI)
    config = flow.client_config
    with _loopback_http_allowed(config.get("auth_uri", ""), config.get("token_uri", "")):
        url, state = flow.authorization_url(access_type="offline", prompt="consent")
        output("Open this address in a browser, sign in and allow amtui:\n\n  " + url + "\n")
        output("The browser then shows a page that cannot be reached. Copy its full address "
               "(it contains code=...) and paste it here.")
        pasted = prompt("Address or code: ").strip()
        code = _code_from_paste(pasted, state)
        try:
            flow.fetch_token(code=code)
        except Exception as err:  # oauthlib raises many types; the message has no secrets
            raise CredentialsRejectedError(f"Google sign-in failed ({type(err).__name__}: "
                                           f"{getattr(err, 'description', '') or err}).") from None
    return flow.credentials


def _code_from_paste(pasted: str, state: str) -> str:
    if "code=" not in pasted:
        if not pasted:
            raise CredentialsRejectedError("No sign-in code was pasted.")
        return pasted
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(pasted).query or pasted)
    if query.get("state", [state])[0] != state:
        raise CredentialsRejectedError("The pasted address belongs to another sign-in attempt.")
    return query["code"][0]


@contextlib.contextmanager
def _loopback_http_allowed(*uris: str) -> Iterator[None]:
    """Let oauthlib use plain HTTP, but only for a local emulator's OAuth URIs."""
    local = all(urllib.parse.urlsplit(u).hostname in LOOPBACK_HOSTS
                and u.startswith("http://") for u in uris if u)
    if not local:
        yield
        return
    previous = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
        else:
            os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = previous


def default_token_cache() -> Path:
    import platformdirs

    return platformdirs.user_config_path("amtui") / "google-token.json"


def write_private_text(path: str | os.PathLike, text: str) -> Path:
    """Write a file only its owner can read (0600), creating parent folders."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(target, 0o600)
    return target


# What to do about a key file that is not one (the README's Troubleshooting says the same).
KEY_FIX = ("fix: download the service account's key again as JSON in the Google Cloud "
           "console (IAM & Admin > Service accounts > the account > Keys > Add key > Create "
           "new key > JSON) and point [sheet] credentials at it (see Troubleshooting in the "
           "README)")


def _read_json(path: str | os.PathLike, what: str, fix: str = KEY_FIX) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CredentialsError(f"{what} not found: {path}") from None
    except (OSError, ValueError) as err:  # never the file's text: it may hold a key
        raise CredentialsError(f"{what} {path} is not readable JSON ({type(err).__name__}); "
                               + fix) from None
    if not isinstance(data, dict):
        raise CredentialsError(f"{what} {path} is not a JSON object; " + fix)
    return data
