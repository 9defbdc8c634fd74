"""UI benchmark: the real app in a pseudo-terminal (120x40) on a demo workspace.

    python bench/bench_ui.py                 # the large demo (5,000 projects, 20,000 feedback)
    python bench/bench_ui.py --size small
    python bench/bench_ui.py --runs 5 --json
    python bench/bench_ui.py --size small --lang zh-CN   # the Chinese UI

Measures, as a person at the terminal sees it:

* first frame: from starting the process to the first frame on screen (median of runs);
* key to repaint: from a key press on the board (cursor down) to the end of the screen
  update it causes; card move (``>`` / ``<``), opening the inbox, applying a filter
  (text filter on the board, a status filter on the inbox);
* peak memory of the app process (``resource.getrusage``, max RSS).

Each timing is "key written to the terminal" to "last byte of the repaint read back" (the
screen has settled), so it includes the app's whole work for that key, not only one
function; the first byte's time ("first paint") is reported beside it. The timer sync is
off (``autosync=False``) so nothing else paints meanwhile.

Targets on the 2-core reference machine: first frame < 1.0 s (large) / < 0.5 s (small),
key and move < 50 ms, inbox open and filter < 150 ms, peak memory < 250 MB.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from datetime import date
from pathlib import Path

COLS, ROWS = 120, 40
TODAY = date(2026, 11, 26)
TARGETS = {"first_frame_large": 1.0, "first_frame_small": 0.5, "key": 0.05, "move": 0.05,
           "inbox_open": 0.15, "filter": 0.15, "peak_mb": 250}

# The app as `amtui --config ...` starts it, reporting when its first frame is on screen.
CHILD = r"""
import json, os, resource, sys, time
config, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
from pathlib import Path
from amtui.ui.app import AmtuiApp
from amtui.core.workspace import Workspace

class BenchApp(AmtuiApp):
    def on_ready(self):
        with open(out + ".ready", "w") as f:
            json.dump({"ready": time.time()}, f)
        if mode == "first-frame":
            self.exit()
            return
        super().on_ready()  # what the app does after its first frame (no sync: autosync off)

app = BenchApp(Workspace.open(Path(config)), autosync=False,
               language=os.environ.get("AMTUI_BENCH_LANG") or None)
app.freeze_gc = True
try:
    app.run()
finally:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    with open(out + ".done", "w") as f:
        json.dump({"max_rss_kb": rss}, f)
"""


def demo_workspace(size: str, folder: Path | None) -> Path:
    folder = folder or Path(tempfile.gettempdir()) / f"amtui-bench-{size}"
    config = folder / "config.toml"
    if not config.exists():
        from amtui.core.demo_workspace import create_demo

        print(f"creating the {size} demo workspace in {folder} …", file=sys.stderr)
        create_demo(folder, size=size, today=TODAY, force=True)
    return config


class Terminal:
    """The app in a pseudo-terminal; remembers when output last arrived."""

    def __init__(self, config: Path, out: Path, mode: str, child: str = CHILD,
                 env: dict[str, str] | None = None):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS),
               "LINES": str(ROWS), "TEXTUAL_ANIMATIONS": "none", **(env or {})}
        self.started = time.time()
        self.proc = subprocess.Popen([sys.executable, "-c", child, str(config), str(out), mode],
                                     stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.last_output = time.time()
        self.bytes = 0
        self.tail = b""
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                self.last_output = time.time()
                self.bytes += len(data)
                self.tail = (self.tail + data)[-4000:]

    def quiet(self, seconds: float = 0.3, limit: float = 30.0) -> None:
        """Wait until nothing was written for ``seconds``."""
        deadline = time.time() + limit
        while time.time() < deadline:
            if time.time() - self.last_output >= seconds:
                return
            time.sleep(0.01)

    def key(self, keys: str, settle: float = 0.25) -> float:
        """Send keys; seconds until the screen update they caused was complete (its last
        byte). The first byte's time is kept in ``first_paint``."""
        self.quiet(0.3)
        with self._lock:
            before = self.bytes
        sent = time.time()
        self.first_paint = float("nan")
        os.write(self.master, keys.encode())
        deadline = sent + 10
        while time.time() < deadline:
            with self._lock:
                changed, last = self.bytes != before, self.last_output
            if changed and self.first_paint != self.first_paint:  # nan: not seen yet
                self.first_paint = last - sent
            if changed and time.time() - last >= settle:
                return last - sent
            time.sleep(0.001)
        return float("nan")

    def close(self) -> None:
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.master)


def wait_for(path: Path, limit: float = 60.0, term: Terminal | None = None) -> dict:
    deadline = time.time() + limit
    while not path.exists():
        if time.time() > deadline or (term is not None and term.proc.poll() is not None):
            said = term.tail.decode(errors="replace")[-2000:] if term is not None else ""
            raise TimeoutError(f"no {path.name} after {limit} s\n{said}")
        time.sleep(0.005)
    time.sleep(0.01)
    return json.loads(path.read_text())


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc, 10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle(term: Terminal, seconds: float = 0.5, limit: float = 60) -> None:
    """Until the app has written nothing and used no CPU for ``seconds``."""
    start = time.time()
    used, busy_at = cpu_seconds(term.proc.pid), start
    while time.time() - start < limit:
        now = time.time()
        if cpu_seconds(term.proc.pid) != used:
            used, busy_at = cpu_seconds(term.proc.pid), now
        if now - busy_at >= seconds and now - term.last_output >= seconds:
            return
        time.sleep(0.01)


def first_frame(config: Path, runs: int, tmp: Path) -> list[float]:
    times = []
    for n in range(runs):
        out = tmp / f"ff{n}"
        term = Terminal(config, out, "first-frame")
        ready = wait_for(Path(str(out) + ".ready"), term=term)
        times.append(ready["ready"] - term.started)
        term.close()
    return times


def interactive(config: Path, tmp: Path, repeat: int) -> dict:
    out = tmp / "ui"
    term = Terminal(config, out, "interactive")
    wait_for(Path(str(out) + ".ready"), term=term)
    # a person reads the board while the app builds the inbox and People and the KPI engine
    # in the background: until it has written nothing and used no CPU for half a second
    idle(term)
    results: dict[str, list[float]] = {"key": [], "move": [], "inbox_open": [], "filter": []}
    first: dict[str, list[float]] = {k: [] for k in results}

    def timed(what: str, keys: str) -> None:
        results[what].append(term.key(keys))
        first[what].append(term.first_paint)

    for n in range(repeat):  # the cursor: down a column, and across columns
        timed("key", "j")
        timed("key", "l" if n % 2 == 0 else "h")
    term.key("l")  # the next column (Planning)
    for _ in range(max(repeat // 2, 1)):
        timed("move", ">")
        timed("move", "<")
    term.key("/")  # board: text filter, one keystroke at a time over every project
    for char in "ret":
        timed("filter", char)
    term.key("\x1b")  # escape clears it
    timed("inbox_open", "2")
    term.key("t")  # inbox: status picker, then choose "New"
    term.key("new")
    timed("filter", "\r")
    term.key("\x1b")
    term.key("1")  # back to the board, then the inbox again
    timed("inbox_open", "2")
    term.key("q")
    done = wait_for(Path(str(out) + ".done"), term=term)
    term.close()
    return {"timings": results, "first_paint": first, "peak_mb": done["max_rss_kb"] / 1024}


def bench_parser(description: str, runs_help: str) -> argparse.ArgumentParser:
    """The options every pty benchmark takes (this one and bench_timeline.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", choices=("small", "large"), default="large")
    parser.add_argument("--workspace", type=Path, help="folder for the demo workspace")
    parser.add_argument("--runs", type=int, default=3, help=runs_help)
    parser.add_argument("--repeat", type=int, default=10, help="key presses per timing")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--lang", choices=("en", "zh-CN"),
                        help="the app's language (as amtui --lang; default: the config's)")
    return parser


def summary(timings: dict[str, list[float]], first: dict[str, list[float]]) -> dict:
    """``{name}_ms``: median, max and median first paint of each timing, in ms."""
    return {f"{k}_ms": {"median": 1000 * statistics.median(v), "max": 1000 * max(v),
                        "first_paint_median": 1000 * statistics.median(first[k])}
            for k, v in timings.items() if v}


def main(argv: list[str] | None = None) -> int:
    args = bench_parser(__doc__.split("\n\n")[0], "first-frame runs (median)").parse_args(argv)
    if args.lang:
        os.environ["AMTUI_BENCH_LANG"] = args.lang  # the app processes inherit it
    config = demo_workspace(args.size, args.workspace)
    with tempfile.TemporaryDirectory() as tmp:
        frames = first_frame(config, args.runs, Path(tmp))
        ui = interactive(config, Path(tmp), args.repeat)
    target_ff = TARGETS[f"first_frame_{args.size}"]
    report = {
        "size": args.size,
        "language": args.lang or "config",
        "first_frame_s": statistics.median(frames),
        "first_frame_runs_s": frames,
        **summary(ui["timings"], ui["first_paint"]),
        "peak_mb": ui["peak_mb"],
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0

    def line(label, value, unit, target):
        ok = "ok " if value <= target else "SLOW"
        print(f"  [{ok}] {label:<32} {value:8.1f} {unit:<3} (target < {target:g} {unit})")

    print(f"amtui UI benchmark, {args.size} demo workspace, {COLS}x{ROWS} terminal, "
          f"language {report['language']}")
    line("first frame (median)", report["first_frame_s"], "s", target_ff)
    for key, label, target in (("key", "key to repaint (board, j/h/l)", "key"),
                               ("move", "card move (> / <)", "move"),
                               ("inbox_open", "inbox open", "inbox_open"),
                               ("filter", "filter apply (board / inbox)", "filter")):
        stats = report[f"{key}_ms"]
        line(label + " median", stats["median"], "ms", TARGETS[target] * 1000)
        print(f"         {'':<32} max {stats['max']:.1f} ms, first paint median "
              f"{stats['first_paint_median']:.1f} ms")
    line("peak memory", report["peak_mb"], "MB", TARGETS["peak_mb"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
