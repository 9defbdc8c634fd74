"""Live sync benchmark: the real app (Textual's headless driver, real background workers) on
the small demo, synced with the Sheets API emulator on 127.0.0.1 through real gspread.
Prints figures; not a test.

    python bench/bench_live.py                 # poll_interval 5 s, push_delay 2 s (defaults)
    python bench/bench_live.py --poll 2 --runs 5

1. Cell edit -> on screen: a person types a project name into the emulated sheet; time until
   amtui's board shows it (target: poll_interval + 2 s). Median and worst of --runs.
2. Card move -> in sheet: ``>`` on the board; time until the emulator's sheet has the new
   stage (target: 4 s). Median and worst of --runs.
3. Request budget: the live schedule (amtui.services.live) on a simulated clock drives the
   real checks and syncs against the emulator (real HTTP, real store), so an idle hour costs
   seconds. Counts Sheets and Drive requests per endpoint for: two copies idle for 8 hours
   with nobody at the keyboard; one copy with the lead at the keyboard for an hour; one copy
   with a person editing the sheet once a minute for an hour.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amtui.core.demo_workspace import create_demo, move_demo_to_emulator  # noqa: E402
from amtui.core.workspace import Workspace  # noqa: E402
from amtui.services.live import CHECK, Live, LivePolicy  # noqa: E402
from sync.emulator import SheetsEmulator  # noqa: E402
from sync.spec import column_letter  # noqa: E402

TODAY = date(2026, 11, 26)
SHEETS = ("spreadsheets.", "values.")


def screen_text(app) -> str:
    return "\n".join("".join(s.text for s in strip)
                     for strip in app.screen._compositor.render_strips())


def where(emulator, sid, record_id, header) -> str:
    grid = emulator.get_values(sid, "Projects")
    row = next(n for n, r in enumerate(grid, start=1) if r and r[0] == record_id)
    return f"{column_letter(grid[0].index(header))}{row}"


async def until(pilot, condition, timeout=30.0) -> float:
    """Seconds until condition() holds, checked every 20 ms."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise TimeoutError("condition not met")
        await pilot.pause(0.02)
    return time.monotonic() - start


async def latencies(config: Path, emulator, sid: str, poll: float, runs: int):
    from amtui.ui.app import AmtuiApp

    workspace = Workspace.open(config)
    workspace.config.poll_interval = poll
    app = AmtuiApp(workspace)
    app.warm_up = False
    edits, moves = [], []
    async with app.run_test(size=(160, 45)) as pilot:
        await until(pilot, lambda: app.live_status() == "live")
        await until(pilot, lambda: not app.sync_state.running and not app.store.pending_count())
        records = app.store.records("projects")
        for n in range(runs):
            record = records[n]
            app.screen.show_record(record["id"])
            await pilot.pause()
            name = f"Sheet edit {n}"
            await pilot.pause(poll * (n % 5) / 5)  # edits land at different poll phases
            emulator.set_cell(sid, "Projects", where(emulator, sid, record["id"], "Project"),
                              name)
            edits.append(await until(pilot, lambda name=name: name in screen_text(app)))
        # one Planning card moved to In Progress and back (no dialog on either move)
        record = next(r for r in app.store.records("projects") if r["stage"] == "Planning")
        a1 = where(emulator, sid, record["id"], "Stage")
        app.screen.show_record(record["id"])
        await pilot.pause()
        for n in range(runs):
            await pilot.press("greater_than_sign" if n % 2 == 0 else "less_than_sign")
            after = app.store.get("projects", record["id"])["stage"]
            moves.append(await until(pilot, lambda after=after: emulator.get_cell(
                sid, "Projects", a1) == after))
            await until(pilot, lambda: not app.sync_state.running
                        and not app.store.pending_count())
    app.store.close()
    return edits, moves


def budget(template: Path, hours: float, *, copies: int, active: bool, edit_every: float | None,
           step: float = 0.5) -> tuple[dict, int]:
    """Drive the live schedule on a simulated clock; real checks and syncs. Returns the
    request counts per endpoint after the first sync, and the number of syncs."""
    with tempfile.TemporaryDirectory() as tmp, SheetsEmulator(seed=11) as emulator:
        folder = Path(tmp) / "ws0"
        shutil.copytree(template, folder)
        sid = move_demo_to_emulator(folder / "config.toml", emulator)
        copies_ = []
        for n in range(copies):
            target = Path(tmp) / f"ws{n + 1}"
            shutil.copytree(folder, target)
            ws = Workspace.open(target / "config.toml")
            backend = ws.backend()
            copies_.append([ws, backend, Live(LivePolicy(), now=0.0)])
        record_ids = [r["id"] for r in copies_[0][0].store.records("projects")]
        a1 = {rid: where(emulator, sid, rid, "Next Step") for rid in record_ids[:50]}
        syncs = 0
        first_done = [False] * copies
        t, next_edit, n_edit = 0.0, edit_every or 0.0, 0
        while t <= hours * 3600:
            if edit_every and t >= next_edit:
                rid = record_ids[n_edit % 50]
                emulator.set_cell(sid, "Projects", a1[rid], f"person's edit {n_edit}")
                n_edit += 1
                next_edit += edit_every
            for i, (ws, backend, live) in enumerate(copies_):
                if active and t % 30 == 0:
                    live.active(t)
                action = live.due(t)
                if action is None:
                    continue
                live.started(action, t)
                due = ws.check_due(backend, now=t) if action == CHECK else "local"
                if due:
                    state = ws.sync_state()
                    changed_before = state.get("change_at")
                    ws.sync(backend=backend)
                    state["full_at"] = t  # the simulated clock, not the wall clock
                    if state.get("change_at") != changed_before:
                        state["change_at"] = t
                    syncs += 1
                    if not first_done[i]:
                        first_done[i] = True
                        if all(first_done):
                            emulator.reset_counts()  # count what comes after the first sync
                live.finished(t)
            t += step
        counts = {k: v for k, v in emulator.counts().items() if v and k != "token"}
        for ws, _b, _l in copies_:
            ws.store.close()
        return counts, syncs


def fmt(counts: dict) -> str:
    sheets = sum(v for k, v in counts.items() if k.startswith(SHEETS))
    drive = sum(v for k, v in counts.items() if k.startswith("drive."))
    detail = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
    return f"Sheets {sheets:>4}  Drive {drive:>5}   ({detail})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--poll", type=float, default=5.0, help="poll_interval (s)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "template"
        create_demo(template, size="small", today=TODAY)
        if not args.skip_latency:
            folder = Path(tmp) / "latency"
            shutil.copytree(template, folder)
            with SheetsEmulator(seed=3) as emulator:
                sid = move_demo_to_emulator(folder / "config.toml", emulator)
                Workspace.open(folder / "config.toml").sync()
                edits, moves = asyncio.run(latencies(folder / "config.toml", emulator, sid,
                                                     args.poll, args.runs))
            print(f"poll_interval {args.poll:g} s, push_delay 2 s, {args.runs} runs each")
            print(f"{'':28}{'median s':>9}{'worst s':>9}  target")
            print(f"{'cell edit -> on screen':28}{statistics.median(edits):9.2f}"
                  f"{max(edits):9.2f}  <= {args.poll + 2:g} s")
            print(f"{'card move -> in sheet':28}{statistics.median(moves):9.2f}"
                  f"{max(moves):9.2f}  <= 4 s")
            print()
        print("requests after the first sync (simulated clock, real HTTP and store):")
        started = time.perf_counter()
        counts, syncs = budget(template, 8, copies=2, active=False, edit_every=None)
        print(f"  2 copies, 8 h idle, nobody at the keys:   {fmt(counts)}  syncs {syncs}")
        counts, syncs = budget(template, 1, copies=1, active=True, edit_every=None)
        print(f"  1 copy, 1 h idle, lead at the keys:       {fmt(counts)}  syncs {syncs}")
        counts, syncs = budget(template, 1, copies=1, active=True, edit_every=60)
        sheets = sum(v for k, v in counts.items() if k.startswith(SHEETS))
        print(f"  1 copy, 1 h, a person edits every minute: {fmt(counts)}  syncs {syncs}")
        print(f"    = {sheets / 60:.2f} Sheets requests/min = {sheets / 60 / 60:.1%} of the "
              "60/min user quota")
        print(f"  (simulated in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
