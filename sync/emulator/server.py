"""The HTTP face of the emulator: :class:`SheetsEmulator`.

    with SheetsEmulator() as emu:                  # serves on 127.0.0.1, a free port
        key = emu.create_service_account(tmp / "sa.json")
        sid = emu.create_spreadsheet("Team", {"Projects": rows}, shared_with=[key])
        client = make_client(tmp / "sa.json", endpoint=emu.base_url)   # sync.gclient
        client.open_by_key(sid).worksheet("Projects").get_all_values()

It serves ``/v4/spreadsheets/...`` (Sheets API v4), ``/drive/v3/files...``
(Drive v3), ``/token`` and ``/o/oauth2/auth`` (OAuth) and ``/_control/<method>``
(the control interface as JSON). Every request is counted per endpoint, can
be failed, delayed or rate-limited, and can trigger a hook after it has been
answered.
"""

from __future__ import annotations

import base64
import collections
import json
import random
import socket
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .api import DRIVE_DEFAULT_FIELDS, Api
from .auth import (
    Authority,
    TokenError,
    generate_private_key_pem,
    public_pem,
    service_account_key,
    write_private_json,
)
from .control import CONTROL_METHODS, ControlMixin
from .faults import Faults, RequestInfo, injected_error, quota_error
from .fieldmask import apply_mask, parse_mask
from .model import ANY_PRINCIPAL, ApiError

DEFAULT_SERVICE_ACCOUNT = "amtui@demo-project.iam.gserviceaccount.com"
HOOK_GATE_TIMEOUT = 10.0  # a hook that never finishes must not wedge the server
LOG_LIMIT = 10_000  # request_log() keeps the most recent requests only


@dataclass
class Hook:
    """An :meth:`SheetsEmulator.on_request` registration; ``fired`` is set once run."""

    predicate: Callable[[RequestInfo], bool]
    callback: Callable[[RequestInfo], Any]
    nth: int = 1
    seen: int = 0
    done: bool = False
    fired: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


@dataclass
class Reply:
    status: int
    body: Any = None  # dict -> JSON, str -> HTML, None -> empty
    headers: dict[str, str] = field(default_factory=dict)
    hooks: list[Hook] = field(default_factory=list)  # to run once the reply is sent
    info: RequestInfo | None = None


class SheetsEmulator(ControlMixin):
    """A local Google Sheets v4 / Drive v3 / OAuth server with test controls.

    ``quota_per_minute`` answers 429 past that many API requests in a sliding
    minute (``clock`` is injectable); ``require_auth=False`` accepts requests
    without a token (every caller may use every spreadsheet); ``state_file``
    keeps spreadsheets and accounts across runs; ``seed`` makes ids repeatable.
    """

    def __init__(self, *, quota_per_minute: int | None = None, require_auth: bool = True,
                 seed: int | None = None, clock: Callable[[], float] = time.monotonic,
                 state_file: str | Path | None = None, verbose: bool = False) -> None:
        self._lock = threading.RLock()
        self._api = Api(Authority(token_uri=""), rng=random.Random(seed))
        self.faults = Faults(quota_per_minute, clock)
        self.require_auth = require_auth
        self.verbose = verbose
        self.offline = False
        self.state_file = Path(state_file) if state_file else None
        self._counts: collections.Counter[str] = collections.Counter()
        self._log: collections.deque[RequestInfo] = collections.deque(maxlen=LOG_LIMIT)
        self._hooks: list[Hook] = []
        self._gate = threading.Condition()
        self._pending_hooks = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._host = "127.0.0.1"
        self._port = 0
        if self.state_file is not None and self.state_file.exists():
            self.load_state(self.state_file)

    # -- lifecycle ---------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in a daemon thread and return the base URL.

        ``port=0`` picks a free port the first time; after :meth:`stop` it
        reuses the previous port, so clients and key files keep working.
        """
        if self._server is not None:
            raise RuntimeError("emulator already running")
        port = port or self._port
        self._server = _Server((host, port), self)
        self._host = "127.0.0.1" if host in ("", "0.0.0.0") else host
        self._port = self._server.server_address[1]
        self._api.authority.token_uri = f"{self.base_url}/token"
        self._stopping.clear()
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.02},
                                        name=f"sheets-emulator:{self._port}", daemon=True)
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving (connections are cut); data is kept for a later :meth:`start`."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.state_file is not None:
            self.save_state()

    def __enter__(self) -> SheetsEmulator:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        if not self._port:
            raise RuntimeError("emulator not started")
        return f"http://{self._host}:{self._port}"

    @property
    def token_uri(self) -> str:
        return f"{self.base_url}/token"

    # -- accounts ----------------------------------------------------------------

    def create_service_account(self, path: str | Path, email: str = DEFAULT_SERVICE_ACCOUNT,
                               *, private_key_pem: str | None = None) -> str:
        """Write a Google-shaped service-account key file (mode 0600) and register it.

        Returns the account's email, the address to share spreadsheets with.
        Pass ``private_key_pem`` to reuse a key (RSA generation takes ~0.1 s).
        """
        pem = private_key_pem or generate_private_key_pem()
        key_id = f"{random.getrandbits(160):040x}"
        with self._lock:
            self._api.authority.register_service_account(email, public_pem(pem), key_id)
        write_private_json(path, service_account_key(email, pem, key_id, self.base_url))
        self._changed()
        return email

    def register_key_file(self, path: str | Path) -> str:
        """Accept an existing service-account key file and point its token_uri here.

        Used to keep one key file across emulator runs; returns its email.
        """
        info = json.loads(Path(path).read_text(encoding="utf-8"))
        if info.get("type") != "service_account" or not info.get("private_key"):
            raise ValueError(f"{path} is not a service-account key file")
        email, pem, key_id = info["client_email"], info["private_key"], info["private_key_id"]
        with self._lock:
            self._api.authority.register_service_account(email, public_pem(pem), key_id)
        write_private_json(path, service_account_key(email, pem, key_id, self.base_url))
        self._changed()
        return email

    def create_oauth_client(self, path: str | Path, user_email: str = "lead@example.com",
                            ) -> str:
        """Write an installed-app ``client_secret.json`` pointing at this emulator.

        Opening its auth URL (``GET /o/oauth2/auth``) acts as ``user_email``
        consenting and redirects with a code. Returns the client id.
        """
        client_id = f"{random.getrandbits(40)}-emu.apps.googleusercontent.com"
        secret = "GOCSPX-emu-" + base64.urlsafe_b64encode(random.randbytes(18)).decode()
        with self._lock:
            self._api.authority.register_client(client_id, secret, user_email)
        write_private_json(path, {"installed": {
            "client_id": client_id,
            "project_id": "demo-project",
            "auth_uri": f"{self.base_url}/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_secret": secret,
            "redirect_uris": ["http://localhost"],
        }})
        self._changed()
        return client_id

    def create_authorized_user_file(self, path: str | Path,
                                    user_email: str = "lead@example.com") -> str:
        """Write an ``authorized_user`` credentials file for a person (refresh token).

        This is what a cached OAuth login looks like; google-auth refreshes it
        against this emulator. Returns ``user_email``.
        """
        client_secret_path = Path(path).with_suffix(".client.json")
        client_id = self.create_oauth_client(client_secret_path, user_email)
        client_secret_path.unlink()
        with self._lock:
            client = self._api.authority.clients[client_id]
            refresh = self._api.authority.add_refresh_token(client_id, user_email, " ".join(
                ("https://www.googleapis.com/auth/spreadsheets",
                 "https://www.googleapis.com/auth/drive")))
        write_private_json(path, {
            "type": "authorized_user", "client_id": client_id,
            "client_secret": client.client_secret, "refresh_token": refresh,
            "token_uri": self.token_uri, "universe_domain": "googleapis.com",
        })
        return user_email

    def issue_token(self, email: str) -> str:
        """An access token for ``email`` without going through OAuth (for raw HTTP tests)."""
        with self._lock:
            return self._api.authority.issue_token(email)

    def revoke_tokens(self) -> None:
        """Invalidate all access tokens: clients get 401 and must refresh."""
        with self._lock:
            self._api.authority.revoke_access_tokens()

    # -- hooks & counting -----------------------------------------------------------

    def on_request(self, predicate: str | Callable[[RequestInfo], bool],
                   callback: Callable[[RequestInfo], Any], *, nth: int = 1) -> Hook:
        """Run ``callback(info)`` right after the ``nth`` matching request is answered.

        ``predicate`` is an endpoint name (``"values.batchGet"``, matching
        successful answers only) or a function of :class:`RequestInfo`. The
        next request waits until the callback is done, so a person's edit made
        here lands exactly between two of amtui's calls. Callbacks must use the
        Python control methods, not HTTP requests to this emulator.

            emu.on_request("values.batchGet",
                           lambda info: emu.set_cell(sid, "Projects", "F3", "Blocked"))
        """
        if isinstance(predicate, str):
            name = predicate
            predicate = lambda info: info.endpoint == name and (info.status or 0) < 300  # noqa: E731
        hook = Hook(predicate, callback, nth)
        with self._lock:
            self._hooks.append(hook)
        return hook

    def counts(self) -> dict[str, int]:
        """Requests received per endpoint (``values.batchGet``, ``token`` ...), faults included."""
        with self._lock:
            return dict(self._counts)

    def reset_counts(self) -> None:
        with self._lock:
            self._counts.clear()
            self._log.clear()

    def request_log(self) -> list[RequestInfo]:
        """Every API request since the last :meth:`reset_counts`, oldest first."""
        with self._lock:
            return list(self._log)

    # -- request handling (called from server threads) ------------------------------

    def _serve(self, method: str, target: str, headers: Any, raw_body: bytes) -> Reply:
        parts = urllib.parse.urlsplit(target)
        if parts.path.startswith("/_control/"):
            return self._control(parts.path[len("/_control/"):], raw_body)
        self._wait_for_hooks()
        route = self._api.route(method, parts.path)
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        info = RequestInfo(method.upper(), urllib.parse.unquote(parts.path), query,
                           route.endpoint, route.params.get("sid") or route.params.get("fid"),
                           range=route.params.get("range"), params=route.params)
        with self._lock:
            self._counts[route.endpoint] += 1
            self._log.append(info)
        try:
            info.body = _parse_body(raw_body, headers.get("Content-Type", ""))
        except ValueError:
            return self._finish(info, _error_reply(ApiError(
                400, "Invalid JSON payload received. Unexpected token.")))
        delay = self.faults.take_delay(info)
        if delay is not None and not delay.process_first:
            self._stopping.wait(delay.seconds)
        reply = self._answer(route, info, headers)
        reply = self._finish(info, reply)
        if delay is not None and delay.process_first:
            self._stopping.wait(delay.seconds)
        return reply

    def _answer(self, route: Any, info: RequestInfo, headers: Any) -> Reply:
        failure = self.faults.take_failure(info)
        if failure is not None and not failure.applied:
            return _error_reply(injected_error(failure, info))
        if self.faults.over_quota(info):
            return _error_reply(quota_error(info))
        reply = self._process(route, info, headers)
        if failure is not None:
            return _error_reply(injected_error(failure, info))
        return reply

    def _process(self, route: Any, info: RequestInfo, headers: Any) -> Reply:
        try:
            with self._lock:
                if route.endpoint == "token":
                    return self._token(info, headers)
                if route.endpoint == "oauth.authorize":
                    flat = {k: v[0] for k, v in info.query.items()}
                    return Reply(302, None, {"Location": self._api.authority.authorize(flat)})
                if route.handler is None:
                    raise ApiError(404, "Method not found.")
                info.principal = (self._api.authority.principal(headers.get("Authorization"))
                                  if self.require_auth else ANY_PRINCIPAL)
                status, body = route.handler(info)
                body = self._apply_fields(info, body)
                if status < 300 and info.method != "GET" and self.state_file is not None:
                    self.save_state()
                return Reply(status, body)
        except ApiError as err:
            return _error_reply(err)
        except Exception:  # an emulator bug: answer like Google's 500 and show it
            traceback.print_exc()
            return _error_reply(ApiError(500, "Internal error encountered."))

    def _apply_fields(self, info: RequestInfo, body: Any) -> Any:
        mask = info.query.get("fields", [DRIVE_DEFAULT_FIELDS.get(info.endpoint, "")])[0]
        if not mask or not isinstance(body, dict):
            return body
        return apply_mask(body, parse_mask(mask))

    def _token(self, info: RequestInfo, headers: Any) -> Reply:
        form = {k: v[0] for k, v in (info.body or {}).items()} if isinstance(
            info.body, dict) else {}
        basic = None
        auth = headers.get("Authorization") or ""
        if auth.lower().startswith("basic "):
            decoded = base64.b64decode(auth[6:]).decode()
            user, _, secret = decoded.partition(":")
            basic = (urllib.parse.unquote_plus(user), urllib.parse.unquote_plus(secret))
        try:
            return Reply(200, self._api.authority.token_request(form, basic))
        except TokenError as err:
            return Reply(err.status, err.body)

    def _finish(self, info: RequestInfo, reply: Reply) -> Reply:
        """Record the status and queue hooks; the next request waits for them."""
        info.status = reply.status
        fire = []
        with self._lock:
            for hook in self._hooks:
                if hook.done or not _safe_predicate(hook, info):
                    continue
                hook.seen += 1
                if hook.seen == hook.nth:
                    hook.done = True
                    fire.append(hook)
        if fire:
            with self._gate:
                self._pending_hooks += 1
        reply.hooks, reply.info = fire, info
        return reply

    def _run_hooks(self, reply: Reply) -> None:
        if not reply.hooks:
            return
        try:
            for hook in reply.hooks:
                try:
                    hook.callback(reply.info)
                except BaseException as err:  # noqa: BLE001 - reported through the hook
                    hook.error = err
                hook.fired.set()
        finally:
            with self._gate:
                self._pending_hooks -= 1
                self._gate.notify_all()

    def _wait_for_hooks(self) -> None:
        with self._gate:
            self._gate.wait_for(lambda: self._pending_hooks == 0, timeout=HOOK_GATE_TIMEOUT)

    def _control(self, name: str, raw_body: bytes) -> Reply:
        if name not in CONTROL_METHODS:
            return Reply(404, {"error": f"unknown control method {name!r}"})
        try:
            kwargs = json.loads(raw_body or b"{}")
            result = getattr(self, name)(**kwargs)
        except Exception as err:  # noqa: BLE001 - reported to the remote caller
            return Reply(400, {"error": f"{type(err).__name__}: {err}"})
        return Reply(200, {"result": result})


def _safe_predicate(hook: Hook, info: RequestInfo) -> bool:
    try:
        return bool(hook.predicate(info))
    except Exception as err:  # noqa: BLE001 - a broken predicate must not break serving
        hook.error = err
        return False


def _error_reply(error: ApiError | str) -> Reply:
    if isinstance(error, str):
        return Reply(502, error)
    return Reply(error.code, error.body(), dict(error.headers))


def _parse_body(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    if "application/x-www-form-urlencoded" in content_type:
        return urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True)
    return json.loads(raw.decode("utf-8"))


# ---------------------------------------------------------------- HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: SheetsEmulator) -> None:
        self.emulator = emulator
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def close_connections(self) -> None:
        """Cut kept-alive connections so a stopped emulator really is unreachable."""
        with self.connections_lock:
            connections = list(self.connections)
        for sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without NODELAY, Nagle plus
        # the client's delayed ACK adds ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.connections_lock:
                self.server.connections.discard(self.connection)

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.emulator.verbose:
            super().log_message(format, *args)

    def _handle(self) -> None:
        emulator = self.server.emulator
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if emulator.offline or emulator._stopping.is_set():
            self.close_connection = True  # drop it: the client sees a connection error
            return
        reply = emulator._serve(self.command, self.path, self.headers, raw)
        try:
            self._send(reply)
        except OSError:
            self.close_connection = True  # the client gave up (timeout) or we stopped
        finally:
            emulator._run_hooks(reply)

    def _send(self, reply: Reply) -> None:
        if isinstance(reply.body, dict):
            data = json.dumps(reply.body, ensure_ascii=False, indent=2).encode() + b"\n"
            content_type = "application/json; charset=UTF-8"
        elif isinstance(reply.body, str):
            data, content_type = reply.body.encode(), "text/html; charset=UTF-8"
        else:
            data, content_type = b"", None
        self.send_response(reply.status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in reply.headers.items():
            self.send_header(name, str(value))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)
        self.wfile.flush()
