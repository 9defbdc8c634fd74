"""One place that turns whatever went wrong talking to a sheet into a sentence for a person.

    message, exit_code = describe_sync_error(err)
"""

from __future__ import annotations

OFFLINE = "offline"
RATE_LIMITED = "rate-limited"
ACCESS = "access"
OTHER = "error"


def classify(err: BaseException) -> str:
    """``offline``, ``rate-limited``, ``access`` (credentials, sharing, config) or ``error``,
    by the exception's class (``sync.gclient``'s hierarchy, requests, google-auth)."""
    import google.auth.exceptions
    import requests

    from sync.gclient import (
        CredentialsError,
        CredentialsRejectedError,
        SheetAccessError,
        SheetsUnavailableError,
        SpreadsheetNotFoundError,
    )

    if isinstance(err, SheetsUnavailableError):
        return RATE_LIMITED if err.status == 429 else OFFLINE
    if isinstance(err, CredentialsRejectedError | CredentialsError | SheetAccessError
                  | SpreadsheetNotFoundError):
        return ACCESS
    status = _status(err)
    if status == 429:
        return RATE_LIMITED
    if status in (401, 403, 404):
        return ACCESS
    if isinstance(err, requests.exceptions.ConnectionError | requests.exceptions.Timeout
                  | ConnectionError | TimeoutError | google.auth.exceptions.TransportError):
        return OFFLINE
    if isinstance(err, google.auth.exceptions.RefreshError):
        return ACCESS
    cause = err.__cause__ or err.__context__
    if cause is not None and cause is not err:
        return classify(cause)
    return OTHER


def _status(err: BaseException) -> int | None:
    response = getattr(err, "response", None)
    status = getattr(response, "status_code", None)
    if status is None:
        status = getattr(err, "status", None) or getattr(err, "code", None)
    return status if isinstance(status, int) else None


def describe_sync_error(err: BaseException) -> tuple[str, int]:
    """A one-line message (never a token or key) and the CLI exit code: 2 for access and
    config problems a person must fix, 1 for passing trouble (offline, rate limits)."""
    kind = classify(err)
    status = _status(err)
    if kind == OFFLINE:
        return ("the sheet could not be reached (offline, or the service is down); every "
                "local edit is kept and goes out at the next sync", 1)
    if kind == RATE_LIMITED:
        return ("Google's rate limit was hit (429) and retries ran out; every local edit "
                "is kept and the next sync catches up", 1)
    detail = str(err).splitlines()[0] if str(err) else type(err).__name__
    if status == 404:
        return ("the spreadsheet was not found: check [sheet] spreadsheet in the config", 2)
    if kind == ACCESS:
        return (detail, 2)
    return (f"{type(err).__name__}: {detail}", 1)
