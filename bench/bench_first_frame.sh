#!/usr/bin/env bash
# First frame in a real terminal (tmux), side by side in one run: an empty Textual app, amtui
# on the small demo and amtui on the large demo (5,000 projects, 20,000 feedback), three runs
# each, from process start until the screen shows the board's column headers (the empty app:
# its one line of text). Prints the medians and the ratios to the empty app.
#
#     bench/bench_first_frame.sh            # uses .venv/bin/python
#     PYTHON=python3 bench/bench_first_frame.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
WORK=$(mktemp -d)
trap 'tmux kill-session -t amtui-ff 2>/dev/null || true; rm -rf "$WORK"' EXIT

cat >"$WORK/empty.py" <<'EOF'
from textual.app import App
from textual.widgets import Static


class Empty(App):
    def compose(self):
        yield Static("EMPTY-APP-READY")


Empty().run()
EOF

echo "creating the demo workspaces..." >&2
RUN_AMTUI="import sys; from amtui.cli import main; sys.exit(main(sys.argv[1:]))"
"$PY" -c "$RUN_AMTUI" demo --path "$WORK/small" --size small >/dev/null
"$PY" -c "$RUN_AMTUI" demo --path "$WORK/large" --size large >/dev/null

"$PY" - "$PY" "$WORK" "$RUN_AMTUI" <<'EOF'
import shlex
import statistics
import subprocess
import sys
import time

py, work, run_amtui = sys.argv[1], sys.argv[2], sys.argv[3]
SESSION = "amtui-ff"
cases = {
    "empty Textual app": ([py, f"{work}/empty.py"], "EMPTY-APP-READY"),
    "amtui small": ([py, "-c", run_amtui, "--config", f"{work}/small/config.toml"],
                    "Client Review"),
    "amtui large": ([py, "-c", run_amtui, "--config", f"{work}/large/config.toml"],
                    "Client Review"),
}


def once(command, marker) -> float:
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    subprocess.run(["tmux", "new-session", "-d", "-s", SESSION, "-x", "160", "-y", "45",
                    "sleep 30"], check=True)
    start = time.monotonic()
    subprocess.run(["tmux", "respawn-pane", "-k", "-t", SESSION, shlex.join(command)],
                   check=True)
    while time.monotonic() - start < 30:
        pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", SESSION],
                              capture_output=True, text=True).stdout
        if marker in pane:
            elapsed = time.monotonic() - start
            subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
            return elapsed
        time.sleep(0.01)
    raise SystemExit(f"{command} never showed {marker!r}")


results = {name: [] for name in cases}
for _round in range(3):  # interleaved: the three cases see the same machine load
    for name, (command, marker) in cases.items():
        results[name].append(once(command, marker))
empty = statistics.median(results["empty Textual app"])
print(f"{'':20}{'run 1':>8}{'run 2':>8}{'run 3':>8}{'median':>9}{'x empty':>9}")
for name, times in results.items():
    median = statistics.median(times)
    print(f"{name:20}" + "".join(f"{t:8.2f}" for t in times)
          + f"{median:9.2f}{median / empty:9.2f}")
print("targets: amtui small <= 1.5x, amtui large <= 2x the empty app")
EOF
