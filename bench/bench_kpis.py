"""UI benchmark for KPIs, scorecards and standup on the large demo workspace (50 managers,
5,000 projects, 20,000 feedback), headless at 120x40. Prints a table; not a test.

    python bench/bench_kpis.py                 # creates the large demo in a temp folder
    python bench/bench_kpis.py --folder DIR    # reuses (or creates) a large demo in DIR

Each figure is the time from the key press until the screen shows the result (the key
handled, workers done, the next frame painted), the median of several runs, as wall time
and as this process's CPU time (the machine is shared; CPU time leaves the others out), and
"net": CPU minus what the test driver costs for a key press that does nothing. Targets are
checked against "net":

* KPI table for a quarter (``p`` on the KPI table): target 300 ms. The records and the
  KPI engine are read once per data version (shown as "first open of KPIs").
* opening a manager's scorecard (``enter``): target 150 ms.
* stepping to the next manager in the standup (``n``): target 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amtui.core.demo_workspace import create_demo  # noqa: E402
from amtui.core.workspace import Workspace  # noqa: E402
from amtui.domain.kpi import KpiEngine  # noqa: E402
from amtui.domain.period import Period  # noqa: E402
from amtui.ui.app import AmtuiApp  # noqa: E402
from amtui.ui.screens.kpis import KpisScreen  # noqa: E402
from amtui.ui.screens.standup import StandupScreen  # noqa: E402

TODAY = date(2026, 11, 26)
RUNS = 5
TARGETS = {"kpi_quarter": 0.300, "scorecard": 0.150, "standup_next": 0.100}


async def step(pilot, *keys: str) -> tuple[float, float]:
    """(wall, cpu) seconds from pressing ``keys`` until the app is idle with the result
    painted. CPU time leaves out what other processes on the machine took meanwhile."""
    app = pilot.app
    wall, cpu = time.perf_counter(), time.process_time()
    await pilot.press(*keys)
    await app.workers.wait_for_complete()
    await pilot.pause()
    return time.perf_counter() - wall, time.process_time() - cpu


async def measure(config: Path) -> dict[str, list[tuple[float, float]]]:
    app = AmtuiApp(Workspace.open(config), autosync=False,
                   clock=lambda: datetime(2026, 11, 26, 9, 0))
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in (
        "noop_key", "first_open_kpis", "kpi_quarter", "kpi_month", "kpi_prev_quarter",
        "scorecard", "scorecard_back", "first_open_standup", "standup_next")}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        times["first_open_kpis"].append(await step(pilot, "3"))
        kpis = app.screen
        assert isinstance(kpis, KpisScreen) and kpis.table is not None
        assert len(kpis.table.rows) >= 50, "expected the large demo"
        for _ in range(RUNS):
            # what the test driver itself costs: a key nothing is bound to
            times["noop_key"].append(await step(pilot, "x"))
            # a fresh engine each run, so the quarter is computed, not taken from the cache
            app.data_version += 1
            await app.workers.wait_for_complete()
            await pilot.pause()
            times["kpi_quarter"].append(await step(pilot, "p"))
            assert str(kpis.period).endswith("Q4"), kpis.period
            times["kpi_prev_quarter"].append(await step(pilot, "left_square_bracket"))
            await step(pilot, "right_square_bracket")
            times["kpi_month"].append(await step(pilot, "p"))
        for _ in range(RUNS):
            await step(pilot, "down")
            times["scorecard"].append(await step(pilot, "enter"))
            assert kpis.showing_scorecard and kpis.scorecard.row is not None
            times["scorecard_back"].append(await step(pilot, "escape"))
            assert not kpis.showing_scorecard
        times["first_open_standup"].append(await step(pilot, "5"))
        standup = app.screen
        assert isinstance(standup, StandupScreen) and len(standup.standups) >= 50
        for _ in range(RUNS * 2):
            before = standup.index
            times["standup_next"].append(await step(pilot, "n"))
            assert standup.index == before + 1
    return times


def compute_only(config: Path) -> dict[str, float]:
    """The same work without the UI: read, build the engine, compute a quarter."""
    ws = Workspace.open(config)
    start = time.perf_counter()
    records = ws.store.records_by_tab()
    read = time.perf_counter() - start
    start = time.perf_counter()
    engine = KpiEngine(records, ws.config.rules.default_targets)
    build = time.perf_counter() - start
    start = time.perf_counter()
    engine.table(Period.parse("2026-Q4"), today=TODAY)
    quarter = time.perf_counter() - start
    return {"read records": read, "build engine": build, "quarter table": quarter}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, help="large demo folder (created if missing)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp) / "large"
        config = folder / "config.toml"
        if not config.exists():
            print(f"creating the large demo in {folder} …", flush=True)
            create_demo(folder, size="large", today=TODAY, force=True)
        print("compute only (no UI):")
        for name, seconds in compute_only(config).items():
            print(f"  {name:<16} {seconds * 1000:7.0f} ms")
        times = asyncio.run(measure(config))
    print("\nUI, key press to painted result, 120x40 headless, median of runs (ms):")
    print("  wall = elapsed; cpu = this process only (other processes on the machine left")
    print("  out); net = cpu minus the test driver's own cost for a key press (noop_key)")
    noop = statistics.median(c for _w, c in times["noop_key"])
    failed = False
    print(f"  {'':<20} {'wall':>6} {'cpu':>6} {'net':>6}")
    for name, values in times.items():
        wall = statistics.median(w for w, _c in values)
        cpu = statistics.median(c for _w, c in values)
        net = max(0.0, cpu - noop) if name != "noop_key" else cpu
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            ok = net <= target
            failed |= not ok
            verdict = f"target {target * 1000:.0f}: {'ok' if ok else 'OVER'}"
        print(f"  {name:<20} {wall * 1000:6.0f} {cpu * 1000:6.0f} {net * 1000:6.0f}  "
              f"n={len(values):<3} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
