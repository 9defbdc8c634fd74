#!/usr/bin/env bash
# First frame in a real terminal (tmux), side by side in one run: an empty Textual app, amtui
# on the small demo and amtui on the large demo (5,000 projects, 20,000 feedback), three runs
# each, from process start until the screen shows the board's column headers (the empty app:
# its one line of text). Prints the medians and the ratios to the empty app.
#
# amtui is measured twice a round: as a person meets it (the board it drew when they last
# quit, shown at once while the app starts, see amtui/ui/first_frame.py; each round first
# opens amtui and quits with `q` so that frame is there), and with that off
# (AMTUI_NO_FRAME_CACHE=1: Textual's own first frame of the live board, the moment keys work).
#
#     bench/bench_first_frame.sh            # uses .venv/bin/python
#     bench/bench_first_frame.sh DIR        # demos kept in DIR/small, DIR/large (made once)
#     PYTHON=python3 bench/bench_first_frame.sh
#
# Wall time on a monotonic (high-resolution) clock, the screen polled with
# `tmux capture-pane -p` every 5 ms. The demos are made with --today 2026-11-26, the date the
# other benchmarks use, so the board shows the same cards on every machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
WORK=$(mktemp -d)
DEMOS=${1:-$WORK}
trap 'tmux kill-session -t amtui-ff 2>/dev/null || true; rm -rf "$WORK"' EXIT

cat >"$WORK/empty.py" <<'EOF'
from textual.app import App
from textual.widgets import Static


class Empty(App):
    def compose(self):
        yield Static("EMPTY-APP-READY")


Empty().run()
EOF

RUN_AMTUI="import sys; from amtui.cli import main; sys.exit(main(sys.argv[1:]))"
# Byte-compile amtui as `pip install` does: with PYTHONDONTWRITEBYTECODE set (as in some dev
# shells and CI) an editable install would otherwise compile every module on every start.
"$PY" -m compileall -q amtui sync >/dev/null
for size in small large; do
    if [ ! -f "$DEMOS/$size/config.toml" ]; then
        echo "creating the $size demo workspace in $DEMOS/$size ..." >&2
        "$PY" -c "$RUN_AMTUI" demo --path "$DEMOS/$size" --size "$size" --today 2026-11-26 \
            --force >/dev/null
    fi
done

"$PY" - "$PY" "$WORK" "$DEMOS" "$RUN_AMTUI" <<'EOF'
import shlex
import statistics
import subprocess
import sys
import os
import time

TICKS = os.sysconf("SC_CLK_TCK")
py, work, demos, run_amtui = sys.argv[1:5]
SESSION = "amtui-ff"
def amtui(size, cached=True):
    command = [py, "-c", run_amtui, "--config", f"{demos}/{size}/config.toml"]
    return command if cached else ["env", "AMTUI_NO_FRAME_CACHE=1", *command]


cases = {
    "empty Textual app": (["env", "TERM=xterm-256color", py, f"{work}/empty.py"],
                          "EMPTY-APP-READY"),
    "amtui small": (amtui("small"), "Client Review"),
    "amtui large": (amtui("large"), "Client Review"),
    "small, no cached": (amtui("small", cached=False), "Client Review"),
    "large, no cached": (amtui("large", cached=False), "Client Review"),
}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def new_session(command) -> None:
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    subprocess.run(["tmux", "new-session", "-d", "-s", SESSION, "-x", "160", "-y", "45",
                    "sleep 30"], check=True)
    subprocess.run(["tmux", "respawn-pane", "-k", "-t", SESSION, "exec " + shlex.join(command)],
                   check=True)


def pane() -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", SESSION],
                          capture_output=True, text=True).stdout


def open_and_quit(command, marker) -> None:
    """amtui opened and left with `q`, as a person does: it keeps its board for next time."""
    new_session(command)
    start = time.monotonic()
    while marker not in pane():
        if time.monotonic() - start > 60:
            raise SystemExit(f"{command} never showed {marker!r}")
        time.sleep(0.05)
    # a person reads the board while the first sync and the preload finish (quitting during
    # a sync keeps no frame): until the app has used no CPU for a second
    pid = int(subprocess.run(["tmux", "display", "-p", "-t", SESSION, "#{pane_pid}"],
                             capture_output=True, text=True).stdout)
    used, quiet_since = cpu_seconds(pid), time.monotonic()
    while time.monotonic() - quiet_since < 1.0 and time.monotonic() - start < 60:
        time.sleep(0.1)
        if cpu_seconds(pid) != used:
            used, quiet_since = cpu_seconds(pid), time.monotonic()
    subprocess.run(["tmux", "send-keys", "-t", SESSION, "q"], check=True)
    while subprocess.run(["tmux", "has-session", "-t", SESSION],
                         capture_output=True).returncode == 0:
        if time.monotonic() - start > 90:  # the session ends with the app
            raise SystemExit(f"{command} did not quit on q")
        time.sleep(0.05)


def once(command, marker) -> tuple[float, float]:
    """(wall s, CPU s of the app's process) until the marker is on screen."""
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    subprocess.run(["tmux", "new-session", "-d", "-s", SESSION, "-x", "160", "-y", "45",
                    "sleep 30"], check=True)
    start = time.monotonic()
    subprocess.run(["tmux", "respawn-pane", "-k", "-t", SESSION, "exec " + shlex.join(command)],
                   check=True)
    pid = None
    while time.monotonic() - start < 30:
        pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", SESSION],
                              capture_output=True, text=True).stdout
        if marker in pane:
            elapsed = time.monotonic() - start
            try:
                pid = pid or int(subprocess.run(
                    ["tmux", "display", "-p", "-t", SESSION, "#{pane_pid}"],
                    capture_output=True, text=True).stdout)
                cpu = cpu_seconds(pid)
            except (OSError, ValueError):
                cpu = float("nan")
            subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
            return elapsed, cpu
        time.sleep(0.005)
    raise SystemExit(f"{command} never showed {marker!r}")


results = {name: [] for name in cases}
for _round in range(3):  # interleaved: the cases see the same machine load
    for size in ("small", "large"):
        open_and_quit(amtui(size), "Client Review")
    for name, (command, marker) in cases.items():
        results[name].append(once(command, marker))
print(f"load average {os.getloadavg()[0]:.1f}; wall s from start to the headers on screen, "
      "and the app's CPU s by then (the machine is shared: CPU leaves the others out)")
print(f"{'':20}{'run 1':>8}{'run 2':>8}{'run 3':>8}{'median':>9}{'x empty':>9}"
      f"{'cpu s':>8}{'x empty':>9}")
empty = statistics.median(w for w, _c in results["empty Textual app"])
empty_cpu = statistics.median(c for _w, c in results["empty Textual app"])
for name, times in results.items():
    median = statistics.median(w for w, _c in times)
    cpu = statistics.median(c for _w, c in times)
    print(f"{name:20}" + "".join(f"{w:8.2f}" for w, _c in times)
          + f"{median:9.2f}{median / empty:9.2f}{cpu:8.2f}{cpu / empty_cpu:9.2f}")
print("targets: amtui small <= 1.5x, amtui large <= 2x the empty app (\"no cached\": the same\n"
      "apps with the remembered board off, for comparison)")
EOF
