"""Real local transports for the reminder tests: an HTTP receiver and an SMTP server
(aiosmtpd), both on 127.0.0.1. Nothing of apprise is mocked: it posts and mails to these."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Collects POSTs; a path containing ``/fail`` answers 500 while ``failing`` is True."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.failing = True
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                size = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(size)
                fail = "/fail" in self.path and receiver.failing
                with receiver.lock:
                    receiver.posts.append({"path": self.path, "body": json.loads(raw or b"{}"),
                                           "auth": self.headers.get("Authorization"),
                                           "status": 500 if fail else 200})
                self.send_response(500 if fail else 200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):  # keep test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def on(self, path: str) -> list[dict]:
        with self.lock:
            return [p for p in self.posts if p["path"].startswith(path)]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServer:
    """aiosmtpd on 127.0.0.1 accepting any login (no TLS); ``messages`` are parsed emails."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.messages = []
        self.logins: list[str] = []
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):  # noqa: N802
                server.messages.append(message_from_bytes(envelope.content,
                                                          policy=policy.default))
                return "250 OK"

        def authenticate(smtp, session, envelope, mechanism, auth_data):
            server.logins.append(getattr(auth_data, "login", b"").decode())
            return AuthResult(success=True)

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port,
                                     authenticator=authenticate, auth_require_tls=False)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def body_text(message) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part else ""
