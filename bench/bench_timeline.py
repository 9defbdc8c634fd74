"""Timeline benchmark: the real app in a pseudo-terminal (120x40) on the large demo
(50 managers, 5,000 projects), driven the way bench_ui.py drives the board.

    python bench/bench_timeline.py                # large demo in a temp folder
    python bench/bench_timeline.py --runs 5 --json

Measures, from the key written to the terminal to the last byte of the repaint it caused:

* first open: ``6`` from the board, the Timeline built for the first time (median of runs,
  one fresh app per run);
* key to repaint: cursor (``j``/``k``), zoom (``z``/``Z``), scroll in time (``l``/``h``),
  today (``t``);
* due move: ``shift+←/→`` / ``ctrl+←/→`` (a validated edit through ``app.edit``, the row
  redrawn), then ``ctrl+z`` undoing each (the app's undo, with its notification);
* peak memory of the app process (max RSS).

Targets on the 2-core reference machine: first open < 300 ms, key to repaint < 50 ms,
peak memory < 250 MB. The machine is shared: the first-paint figure (first byte) is shown
too, and a loaded machine makes every figure slower.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_ui import (  # noqa: E402
    COLS,
    ROWS,
    Terminal,
    bench_parser,
    demo_workspace,
    summary,
    wait_for,
)

TARGETS = {"first_open": 0.300, "key": 0.050, "due_move": 0.050, "undo": 0.050,
           "peak_mb": 250}
SHIFT_RIGHT, SHIFT_LEFT = "\x1b[1;2C", "\x1b[1;2D"
CTRL_RIGHT, CTRL_LEFT = "\x1b[1;5C", "\x1b[1;5D"
CTRL_Z = "\x1a"


def session(config: Path, tmp: Path, n: int, repeat: int, keys: bool) -> dict:
    out = tmp / f"tl{n}"
    term = Terminal(config, out, "interactive")
    wait_for(Path(str(out) + ".ready"), term=term)
    term.quiet(1.0)
    time.sleep(1.5)  # the inbox's records load in the background after the first frame
    results: dict[str, list[float]] = {"first_open": [], "key": [], "due_move": [],
                                       "undo": []}
    first: dict[str, list[float]] = {k: [] for k in results}

    def timed(what: str, sequence: str) -> None:
        results[what].append(term.key(sequence))
        first[what].append(term.first_paint)

    timed("first_open", "6")
    if keys:
        for step in range(repeat):
            timed("key", "j")
            timed("key", "k" if step % 3 == 0 else "j")
        for _ in range(max(repeat // 3, 1)):
            timed("key", "z")  # month
            timed("key", "z")  # quarter
            timed("key", "Z")
            timed("key", "Z")  # back to week
            timed("key", "l")
            timed("key", "h")
            timed("key", "t")
        term.key("j")  # onto a project row (the first rows of a group are its header/load)
        term.key("j")
        for _ in range(max(repeat // 2, 1)):
            timed("due_move", SHIFT_RIGHT)
            timed("due_move", CTRL_RIGHT)
            timed("due_move", SHIFT_LEFT)
            timed("due_move", CTRL_LEFT)
        for _ in range(max(repeat // 2, 1) * 4):
            timed("undo", CTRL_Z)
    term.key("q")
    done = wait_for(Path(str(out) + ".done"), term=term)
    term.close()
    return {"timings": results, "first_paint": first, "peak_mb": done["max_rss_kb"] / 1024}


def main(argv: list[str] | None = None) -> int:
    args = bench_parser(__doc__.split("\n\n")[0], "first-open runs (median)").parse_args(argv)
    config = demo_workspace(args.size, args.workspace)
    timings: dict[str, list[float]] = {"first_open": [], "key": [], "due_move": [],
                                       "undo": []}
    first: dict[str, list[float]] = {k: [] for k in timings}
    peak = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.runs):
            result = session(config, Path(tmp), n, args.repeat, keys=n == args.runs - 1)
            for key, values in result["timings"].items():
                timings[key] += values
                first[key] += result["first_paint"][key]
            peak = max(peak, result["peak_mb"])
    report = {"size": args.size,
              **summary(timings, first),
              "peak_mb": peak}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0

    def line(label, value, unit, target):
        ok = "ok " if value <= target else "SLOW"
        print(f"  [{ok}] {label:<34} {value:8.1f} {unit:<3} (target < {target:g} {unit})")

    print(f"amtui Timeline benchmark, {args.size} demo workspace, {COLS}x{ROWS} terminal")
    for key, label in (("first_open", "Timeline first open (6)"),
                       ("key", "key to repaint (j/k z/Z h/l t)"),
                       ("due_move", "due move (shift/ctrl+←/→)"),
                       ("undo", "undo a due move (ctrl+z)")):
        stats = report[f"{key}_ms"]
        line(label + " median", stats["median"], "ms", TARGETS[key] * 1000)
        print(f"         {'':<34} max {stats['max']:.1f} ms, first paint median "
              f"{stats['first_paint_median']:.1f} ms")
    line("peak memory", report["peak_mb"], "MB", TARGETS["peak_mb"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
