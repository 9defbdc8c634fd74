"""Run the emulator standalone: ``python -m sync.emulator [--port 8787] [--state FILE]``.

It writes a service-account key file, creates (or reuses, from ``--state``) a spreadsheet
shared with that account, prints how to point a client at it and serves until Ctrl-C.
Data can be loaded from a function returning ``{tab: rows}``:

    python -m sync.emulator --seed-data mypackage.fixtures:workbook_tabs

or from JSON (``--tabs-json tabs.json``). Other processes can edit the sheet
"as a person" through ``POST /_control/<method>`` (see ``RemoteEmulator``).

A plain emulator: it knows no app. amtui's demo workspace on the emulator is
``amtui demo --emulator`` (``amtui/core/emulator_demo.py``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from .server import DEFAULT_SERVICE_ACCOUNT, SheetsEmulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sync.emulator",
                                     description="Local Google Sheets API emulator.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787, help="0 picks a free port")
    parser.add_argument("--state", type=Path, help="JSON file keeping data across runs")
    parser.add_argument("--key-file", type=Path, default=Path("emulator-service-account.json"),
                        help="service-account key file to write (mode 0600)")
    parser.add_argument("--account", default=DEFAULT_SERVICE_ACCOUNT,
                        help="service-account email")
    parser.add_argument("--title", default="amtui demo", help="spreadsheet title")
    parser.add_argument("--seed-data", metavar="MODULE:FUNCTION",
                        help="function returning {tab title: rows} to fill a new spreadsheet")
    parser.add_argument("--tabs-json", type=Path, help="JSON file {tab title: rows}")
    # the demo workspace moved to the app's side; say where instead of failing obscurely
    parser.add_argument("--demo", type=Path, metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--quota-per-minute", type=int, default=None)
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if args.demo is not None:
        parser.error(f"--demo moved: run `amtui demo --emulator --path {args.demo}`")
    return args


def load_tabs(args: argparse.Namespace) -> dict[str, list[list[Any]]] | None:
    """Demo tabs from ``--seed-data module:function`` or ``--tabs-json``."""
    if args.seed_data:
        module_name, _, function = args.seed_data.partition(":")
        return getattr(importlib.import_module(module_name), function or "workbook_tabs")()
    if args.tabs_json:
        return json.loads(args.tabs_json.read_text(encoding="utf-8"))
    return None


def ensure_key_file(emulator: SheetsEmulator, path: Path, email: str) -> str:
    """Reuse an existing key file (re-registered, token_uri refreshed) or write a new one."""
    if path.exists():
        try:
            return emulator.register_key_file(path)
        except (ValueError, KeyError):
            print(f"{path} is not a service-account key; writing a new one", file=sys.stderr)
    return emulator.create_service_account(path, email)


def ensure_spreadsheet(emulator: SheetsEmulator, title: str, email: str,
                       tabs: dict[str, list[list[Any]]] | None) -> str:
    """The first spreadsheet titled ``title`` (from --state), or a new one."""
    existing = emulator.spreadsheet_ids(title=title)
    if existing:
        emulator.share(existing[0], email)
        if tabs:
            emulator.load_workbook_tabs(existing[0], tabs)
        return existing[0]
    return emulator.create_spreadsheet(title, tabs, shared_with=[email])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    emulator = SheetsEmulator(state_file=args.state, quota_per_minute=args.quota_per_minute,
                              verbose=args.verbose)
    base_url = emulator.start(args.host, args.port)
    email = ensure_key_file(emulator, args.key_file, args.account)
    sid = ensure_spreadsheet(emulator, args.title, email, load_tabs(args))
    print(f"Google Sheets emulator listening on {base_url}", flush=True)
    print(f"Spreadsheet id: {sid}")
    print(f"Service-account key: {args.key_file} ({email})")
    print("Point a client at it:")
    print(f"  export AMTUI_SHEETS_ENDPOINT={base_url}")
    print(f"  and configure spreadsheet id {sid} with key file {args.key_file}")
    print(f"Edit as a person: POST {base_url}/_control/<method> (see RemoteEmulator)")
    print("Ctrl-C to stop.", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
