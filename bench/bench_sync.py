"""Sync benchmark on the large demo workspace against the Sheets API emulator, with gspread
doing real HTTP on 127.0.0.1. Prints a table; not a test.

    python bench/bench_sync.py            # large workspace (5,000 projects, 20,000 feedback)
    python bench/bench_sync.py --size small

The emulator runs in this process, so "cpu s" includes its work too; "reconcile cpu s" is
amtui's own merge step (reading the store's index, parsing changed rows, planning).

Scenarios: first full upload, first full download, a sync with nothing changed, and a sync
with 1,000 changed cells spread over all tabs plus 100 new rows on each side. Beside the last
one, a naive baseline on the same emulator that writes each changed row with its own
``worksheet.update`` call and each new row with ``append_row`` (what most gspread scripts do).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amtui.core.demo_workspace import create_demo, workbook_tabs  # noqa: E402
from amtui.core.workspace import Workspace  # noqa: E402
from amtui.domain import schema  # noqa: E402
from sync.emulator import SheetsEmulator  # noqa: E402
from sync.gclient import make_client  # noqa: E402
from sync.google_backend import GoogleSheetBackend  # noqa: E402

TODAY = date(2026, 11, 26)
TEXT_FIELDS = {
    "managers": "responsibilities", "clients": "industry", "projects": "next_step",
    "feedback": "response", "targets": None, "reviews": "strengths",
    "development": "notes", "updates": "note",
}


def workspace_copy(template: Path, folder: Path, *, empty_store: bool) -> Workspace:
    shutil.copytree(template, folder)
    if empty_store:
        for name in ("amtui.db", "amtui.db-wal", "amtui.db-shm"):
            (folder / name).unlink(missing_ok=True)
    return Workspace.open(folder / "config.toml")


def timed_sync(ws: Workspace, backend, emulator) -> dict:
    emulator.reset_counts()
    wall = time.perf_counter()
    cpu = time.process_time()
    report = ws.sync(backend=backend, allow_deletes=True)
    return {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
            "reconcile": report.reconcile_cpu, "calls": _api_calls(emulator.counts()),
            "report": report}


def _api_calls(counts: dict) -> dict:
    return {k: v for k, v in counts.items() if v and k != "token"}


def change_things(ws: Workspace, emulator, sid: str, rng: random.Random) -> list[tuple]:
    """500 cells changed locally and 500 in the sheet, over every tab with text fields, plus
    100 new rows on each side. Returns the local changes (for the naive baseline)."""
    tabs = [t for t, f in TEXT_FIELDS.items() if f]
    local_changes = []
    for n in range(500):
        tab = tabs[n % len(tabs)]
        record = _pick(ws, tab, rng)
        ws.store.update(tab, record["id"], {TEXT_FIELDS[tab]: f"local change {n}"})
        local_changes.append((tab, record["id"]))
    for n in range(100):
        ws.store.add("updates", {"date": TODAY.isoformat(), "note": f"new local row {n}"})
    for n in range(500):
        tab = tabs[n % len(tabs)]
        title = schema.TABS[tab].title
        grid = emulator.get_values(sid, title)
        header = grid[0]
        col = header.index(schema.TABS[tab].header_of(TEXT_FIELDS[tab]))
        row = rng.randrange(2, len(grid) + 1)
        emulator.set_cell(sid, title, f"{_letter(col)}{row}", f"sheet change {n}")
    updates = emulator.get_values(sid, "Updates")
    emulator.set_values(sid, "Updates", f"A{len(updates) + 1}",
                        [["", TODAY.isoformat(), "", "", f"new sheet row {n}"] for n in range(100)])
    return local_changes


_cache: dict = {}


def _pick(ws, tab, rng):
    if tab not in _cache:
        _cache[tab] = ws.store.records(tab)
    return rng.choice(_cache[tab])


def _letter(col: int) -> str:
    from sync.spec import column_letter

    return column_letter(col)


def naive_baseline(ws: Workspace, client, sid: str, emulator, changes, new_rows) -> dict:
    """One ``worksheet.update`` per changed row, one ``append_row`` per new row."""
    emulator.reset_counts()
    wall = time.perf_counter()
    book = client.open_by_key(sid)
    sheets = {w.title: w for w in book.worksheets()}
    for tab, record_id in changes:
        sheet = sheets[schema.TABS[tab].title]
        ids = sheet.col_values(1)  # scripts look the row up each time
        row = ids.index(record_id) + 1
        record = ws.store.get(tab, record_id)
        values = [record[k] for k in schema.TABS[tab].keys]
        sheet.update([values], f"A{row}", raw=True)
    for values in new_rows:
        sheets["Updates"].append_row(values, value_input_option="RAW")
    return {"wall": time.perf_counter() - wall, "calls": _api_calls(emulator.counts())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="large")
    args = parser.parse_args()
    rng = random.Random(11)
    root = Path(tempfile.mkdtemp(prefix="amtui-bench-"))
    template = root / "template"
    started = time.perf_counter()
    create_demo(template, size=args.size, today=TODAY)
    print(f"demo workspace ({args.size}) created in {time.perf_counter() - started:.1f} s")
    rows = {}
    with SheetsEmulator() as emulator:
        base = emulator.base_url
        key = root / "sa.json"
        email = emulator.create_service_account(key)
        tabs = workbook_tabs(Workspace.open(template / "config.toml"))
        headers_only = {title: grid[:1] for title, grid in tabs.items()}
        sid = emulator.create_spreadsheet("bench", shared_with=[email])
        emulator.load_workbook_tabs(sid, headers_only, value_input="RAW")
        client = make_client(key, endpoint=base)

        # 1. first full upload: local data, a sheet with headers only
        uploader = workspace_copy(template, root / "a", empty_store=False)
        _forget_base(uploader)
        backend_a = GoogleSheetBackend(client, sid)
        rows["first full upload"] = timed_sync(uploader, backend_a, emulator)
        # 2. first full download: an empty store against the full sheet
        downloader = workspace_copy(template, root / "b", empty_store=True)
        rows["first full download"] = timed_sync(downloader, GoogleSheetBackend(client, sid),
                                                 emulator)
        # 3. nothing changed (the app keeps its backend, so metadata is cached). The first
        # sync after an upload still parses every row once to record its hash.
        rows["next sync (records hashes)"] = timed_sync(uploader, backend_a, emulator)
        rows["nothing changed"] = timed_sync(uploader, backend_a, emulator)
        # 4. 1,000 changed cells + 100 new rows each side
        changes = change_things(uploader, emulator, sid, rng)
        new_rows = [[r["id"], r["date"], r["manager"], r["project"], r["note"]]
                    for r in uploader.store.records("updates") if r["note"].startswith("new local")]
        rows["1,000 cells + 2x100 rows"] = timed_sync(uploader, backend_a, emulator)
        # the naive script does the same local writes on a second copy of the sheet
        sid2 = emulator.create_spreadsheet("naive", shared_with=[email])
        emulator.load_workbook_tabs(sid2, tabs, value_input="RAW")
        naive = naive_baseline(uploader, client, sid2, emulator, changes, new_rows)

    print()
    print(f"{'scenario':28} {'wall s':>8} {'cpu s':>7} {'reconcile cpu s':>16}  API calls")
    for name, row in rows.items():
        calls = ", ".join(f"{k} {v}" for k, v in sorted(row["calls"].items()))
        print(f"{name:28} {row['wall']:8.2f} {row['cpu']:7.2f} {row['reconcile']:16.3f}  {calls}")
    smart = rows["1,000 cells + 2x100 rows"]
    smart_calls = sum(smart["calls"].values())
    naive_calls = sum(naive["calls"].values())
    calls = ", ".join(f"{k} {v}" for k, v in sorted(naive["calls"].items()))
    print(f"{'naive: row-by-row update':28} {naive['wall']:8.2f} {'':>7} {'':>16}  {calls}")
    print()
    print(f"naive/amtui: {naive_calls / smart_calls:.0f}x the API calls, "
          f"{naive['wall'] / smart['wall']:.1f}x the wall time "
          f"(the naive script only writes; amtui also reads and merges both sides)")
    print(f"at 60 requests/minute the naive script needs {naive_calls / 60:.0f} minutes of "
          f"quota; amtui needs {smart_calls}")
    shutil.rmtree(root, ignore_errors=True)


def _forget_base(ws: Workspace) -> None:
    """Turn a demo store into one that has never synced (every record is new locally)."""
    with ws.store.transaction() as db:
        for tab in schema.TABS:
            db.execute(f"DELETE FROM [base_{tab}]")


if __name__ == "__main__":
    main()
