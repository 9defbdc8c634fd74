#!/usr/bin/env bash
# Smoke test of KPIs, scorecard and standup in a real terminal (tmux, 120x40):
# open KPIs, go to the previous period, open a scorecard, run a standup for two managers
# with a note each, quit; then check what the screen showed and what the store holds.
#
#   scripts/tmux-smoke-kpis.sh path/to/config.toml
#
# PYTHON (default: python3) must be able to import amtui. Exits non-zero on any failure;
# the last screen is printed to help find out why.
set -euo pipefail

CONFIG=${1:?usage: scripts/tmux-smoke-kpis.sh CONFIG_PATH}
CONFIG=$(cd "$(dirname "$CONFIG")" && pwd)/$(basename "$CONFIG")
PYTHON=${PYTHON:-python3}
SESSION="amtui-smoke-kpis-$$"
WORK=$(mktemp -d)
NOTE="smoke note $$"
SCREEN="$WORK/screen.txt"

# a tmux server of its own (see tmux-smoke.sh)
tmux() { command tmux -S "$WORK/tmux.sock" "$@"; }
cleanup() {
    tmux kill-server 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "tmux-smoke-kpis: FAIL: $*" >&2
    if [[ -s "$SCREEN" ]]; then
        echo "---- last screen ----" >&2
        cat "$SCREEN" >&2
    fi
    exit 1
}

capture() { tmux capture-pane -p -t "$SESSION" > "$SCREEN" 2>/dev/null || true; }

# wait_for TEXT [SECONDS]: until the screen shows TEXT (a fixed string)
wait_for() {
    local text=$1 limit=${2:-20} waited=0
    while (( waited < limit * 10 )); do
        capture
        grep -qF -- "$text" "$SCREEN" && return 0
        sleep 0.1
        waited=$((waited + 1))
    done
    fail "the screen never showed \"$text\" (waited ${limit}s)"
}

# wait_for_re REGEX [SECONDS]: until the screen matches an extended regular expression
wait_for_re() {
    local pattern=$1 limit=${2:-20} waited=0
    while (( waited < limit * 10 )); do
        capture
        grep -qE -- "$pattern" "$SCREEN" && return 0
        sleep 0.1
        waited=$((waited + 1))
    done
    fail "the screen never matched /$pattern/ (waited ${limit}s)"
}

keys() { tmux send-keys -t "$SESSION" "$@"; sleep 0.3; }

"$PYTHON" -c "import amtui" 2>/dev/null || fail "$PYTHON cannot import amtui (set PYTHON=...)"

before=$("$PYTHON" - "$CONFIG" <<'EOF'
import sys
from pathlib import Path
from amtui.core.workspace import Workspace
print(len(Workspace.open(Path(sys.argv[1])).store.records("updates")))
EOF
)

tmux new-session -d -s "$SESSION" -x 120 -y 40 \
    "$PYTHON -m amtui.cli.main --config '$CONFIG'; echo \$? > '$WORK/exit'"
wait_for "1 Board" 30

# KPIs for this month, then the previous period
PERIOD_RE="KPIs ([A-Z][a-z]{2}|Q[1-4]) [0-9]{4}"
keys 3
wait_for_re "$PERIOD_RE" 30
wait_for "Team"
month=$(grep -oE "$PERIOD_RE" "$SCREEN" | head -1 || true)
[[ -n "$month" ]] || fail "no period in the KPI title"
keys "["
for _ in $(seq 1 50); do
    capture
    now=$(grep -oE "$PERIOD_RE" "$SCREEN" | head -1 || true)
    [[ -n "$now" && "$now" != "$month" ]] && break
    sleep 0.1
done
[[ -n "$now" && "$now" != "$month" ]] || fail "[ did not go to the previous period ($month)"
grep -q "Team" "$SCREEN" || fail "no team row in the KPI table"

# a scorecard: enter on the first manager, evidence and trend shown, escape back
keys Enter
wait_for "Scorecard"
wait_for "Evidence"
grep -qE "last 6 (months|quarters)" "$SCREEN" || fail "no trend chart on the scorecard"
keys Escape
wait_for "$now"

# a standup for two managers, with a note for each
keys 5
wait_for "Standup" 30
wait_for "1 of "
for n in 1 2; do
    keys i
    tmux send-keys -t "$SESSION" -l "$NOTE $n"
    sleep 0.3
    keys Enter
    wait_for "saved"
    keys Escape
    if (( n == 1 )); then
        keys n
        wait_for "2 of "
    fi
done
wait_for "$NOTE 2"  # shown as the latest note

# quit
keys Escape
keys q
for _ in $(seq 1 100); do
    [[ -f "$WORK/exit" ]] && break
    sleep 0.1
done
[[ -f "$WORK/exit" ]] || fail "amtui did not quit on q"
[[ "$(cat "$WORK/exit")" == "0" ]] || fail "amtui exited with $(cat "$WORK/exit")"

# the store: two new Updates rows, today's date, two different managers
"$PYTHON" - "$CONFIG" "$NOTE" "$before" <<'EOF' || fail "the notes are not in the store"
import sys
from pathlib import Path
from amtui.core.workspace import Workspace

config, note, before = sys.argv[1], sys.argv[2], int(sys.argv[3])
ws = Workspace.open(Path(config))
updates = ws.store.records("updates")
mine = [u for u in updates if u["note"].startswith(note)]
assert len(updates) == before + 2, (len(updates), before)
assert sorted(u["note"] for u in mine) == [f"{note} 1", f"{note} 2"], mine
assert len({u["manager"] for u in mine}) == 2, mine
assert all(u["date"] == ws.today().isoformat() for u in mine), mine
print(f"tmux-smoke-kpis: ok ({len(mine)} notes for {', '.join(u['manager'] for u in mine)})")
EOF
