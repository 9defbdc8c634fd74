"""Fault injection: failures, delays and a per-minute quota, matched per request.

    >>> faults = Faults()
    >>> faults.fail_next(2, status=429, retry_after=20, endpoint="values.batchGet")
    >>> info = RequestInfo("GET", "/v4/spreadsheets/x/values:batchGet", {}, "values.batchGet")
    >>> faults.take_failure(info).status
    429

Token and OAuth requests are only affected when a rule names them explicitly
(``endpoint="token"`` or ``path_contains="/token"``), so a 429 storm on the
Sheets API does not also break authentication.
"""

from __future__ import annotations

import collections
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .model import ApiError

AUTH_ENDPOINTS = ("token", "oauth.authorize")
READ_ENDPOINTS = ("spreadsheets.get", "values.get", "values.batchGet", "drive.files.get",
                  "drive.files.list", "drive.permissions.list")


@dataclass
class RequestInfo:
    """What a predicate or hook sees about one request (``status`` once answered)."""

    method: str
    path: str
    query: dict[str, list[str]]
    endpoint: str
    spreadsheet_id: str | None = None
    body: Any = None
    principal: str | None = None
    status: int | None = None
    range: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def ranges(self) -> list[str]:
        """Every A1 range the request names (path, ``ranges=`` query, body data)."""
        found = [self.range] if self.range else []
        found += self.query.get("ranges", [])
        if isinstance(self.body, dict):
            found += [d.get("range") for d in self.body.get("data") or [] if isinstance(d, dict)]
            found += [r for r in self.body.get("ranges") or [] if isinstance(r, str)]
        return [r for r in found if r]

    @property
    def is_read(self) -> bool:
        return self.endpoint in READ_ENDPOINTS


@dataclass
class Rule:
    """One failure or delay rule; ``remaining=None`` means "until cleared"."""

    remaining: int | None
    status: int = 503
    retry_after: float | None = None
    path_contains: str | None = None
    endpoint: str | None = None
    applied: bool = False
    rate: float | None = None
    seconds: float = 0.0
    process_first: bool = True
    rng: random.Random = field(default_factory=random.Random)

    def matches(self, info: RequestInfo) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return False
        explicit = bool(self.endpoint or self.path_contains)
        if info.endpoint in AUTH_ENDPOINTS and not explicit:
            return False
        if self.endpoint and info.endpoint != self.endpoint:
            return False
        if self.path_contains and self.path_contains not in info.path:
            return False
        return self.rate is None or self.rng.random() < self.rate

    def consume(self) -> None:
        if self.remaining is not None:
            self.remaining -= 1


class Faults:
    """Failure/delay rules and the optional per-minute quota."""

    def __init__(self, quota_per_minute: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.quota_per_minute = quota_per_minute
        self.clock = clock
        self._failures: list[Rule] = []
        self._delays: list[Rule] = []
        self._window: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def fail_next(self, n: int = 1, status: int = 429, retry_after: float | None = None,
                  path_contains: str | None = None, endpoint: str | None = None,
                  applied: bool = False) -> None:
        """Answer the next ``n`` matching requests with ``status``.

        ``applied=True`` performs the request first and then reports the error
        (Google sometimes applies a write and still answers 500/503).
        """
        with self._lock:
            self._failures.append(Rule(n, status, retry_after, path_contains, endpoint, applied))

    def fail_rate(self, rate: float, status: int = 503, retry_after: float | None = None,
                  path_contains: str | None = None, endpoint: str | None = None,
                  seed: int | None = None) -> None:
        """Fail a random share ``rate`` of matching requests (seeded for repeatability)."""
        with self._lock:
            self._failures.append(Rule(None, status, retry_after, path_contains, endpoint,
                                       rate=rate, rng=random.Random(seed)))

    def delay_next(self, n: int, seconds: float, path_contains: str | None = None,
                   endpoint: str | None = None, process_first: bool = True) -> None:
        """Hold the answer to the next ``n`` matching requests for ``seconds``.

        With ``process_first`` (default) the request is applied at once and only
        the answer is late, like a write that landed while the client timed out.
        """
        with self._lock:
            self._delays.append(Rule(n, path_contains=path_contains, endpoint=endpoint,
                                     seconds=seconds, process_first=process_first))

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()
            self._delays.clear()
            self._window.clear()

    def take_failure(self, info: RequestInfo) -> Rule | None:
        with self._lock:
            for rule in self._failures:
                if rule.matches(info):
                    rule.consume()
                    return rule
        return None

    def take_delay(self, info: RequestInfo) -> Rule | None:
        with self._lock:
            for rule in self._delays:
                if rule.matches(info):
                    rule.consume()
                    return rule
        return None

    def over_quota(self, info: RequestInfo) -> bool:
        """Count the request against the per-minute quota; True when past it."""
        if self.quota_per_minute is None or info.endpoint in AUTH_ENDPOINTS:
            return False
        with self._lock:
            now = self.clock()
            while self._window and now - self._window[0] >= 60:
                self._window.popleft()
            if len(self._window) >= self.quota_per_minute:
                return True
            self._window.append(now)
            return False


def quota_error(info: RequestInfo, retry_after: float | None = None) -> ApiError:
    """Google's 429 for Sheets quota (read or write metric by request kind)."""
    metric = "Read requests" if info.is_read else "Write requests"
    message = (f"Quota exceeded for quota metric '{metric}' and limit '{metric} per minute "
               "per user' of service 'sheets.googleapis.com' for consumer "
               "'project_number:123456789012'.")
    details = [{
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {
            "quota_metric": f"sheets.googleapis.com/{metric.split()[0].lower()}_requests",
            "quota_limit": f"{metric.split()[0]}RequestsPerMinutePerUser",
            "service": "sheets.googleapis.com",
            "consumer": "projects/123456789012",
        },
    }, {
        "@type": "type.googleapis.com/google.rpc.Help",
        "links": [{"description": "Request a higher quota limit.",
                   "url": "https://cloud.google.com/docs/quota#requesting_higher_quota"}],
    }]
    headers = {"Retry-After": _seconds(retry_after)} if retry_after is not None else {}
    return ApiError(429, message, "RESOURCE_EXHAUSTED", details=details, headers=headers)


_MESSAGES = {
    400: "Request contains an invalid argument.",
    401: "Request had invalid authentication credentials.",
    403: "The caller does not have permission",
    404: "Requested entity was not found.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
    504: "The request timed out. Please try again.",
}


def injected_error(rule: Rule, info: RequestInfo) -> ApiError | str:
    """The error body for an injected failure (HTML for 502, like Google's front end)."""
    headers = {"Retry-After": _seconds(rule.retry_after)} if rule.retry_after is not None else {}
    if rule.status == 429:
        return quota_error(info, rule.retry_after)
    if rule.status == 502:
        return BAD_GATEWAY_HTML
    message = _MESSAGES.get(rule.status, "Injected failure.")
    return ApiError(rule.status, message, headers=headers)


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


BAD_GATEWAY_HTML = """<!DOCTYPE html>
<html lang=en>
  <meta charset=utf-8>
  <title>Error 502 (Server Error)!!1</title>
  <p><b>502.</b> <ins>That's an error.</ins>
  <p>The server encountered a temporary error and could not complete your request.<p>Please \
try again in 30 seconds.  <ins>That's all we know.</ins>
"""
