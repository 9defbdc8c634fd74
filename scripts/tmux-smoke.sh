#!/usr/bin/env bash
# Smoke test in a real terminal: start `amtui` on a fresh demo inside tmux (120x40), move a
# card to the next stage, open the inbox, respond to the first item, quit with q; then check
# what the screen showed and what the store holds. Then scripts/tmux-smoke-kpis.sh on the
# same workspace (KPIs, scorecard, standup). Exits non-zero on the first failure.
#
#   scripts/tmux-smoke.sh            # uses the `amtui` on PATH
#   AMTUI=/path/to/amtui scripts/tmux-smoke.sh
set -euo pipefail

AMTUI=${AMTUI:-amtui}
export LANG=${LANG:-C.UTF-8} LC_ALL=${LC_ALL:-C.UTF-8} TERM=${TERM:-xterm-256color}
command -v tmux >/dev/null || { echo "tmux-smoke: tmux is not installed" >&2; exit 2; }
command -v "$AMTUI" >/dev/null || { echo "tmux-smoke: $AMTUI is not on PATH" >&2; exit 2; }

work=$(mktemp -d)
session="amtui-smoke-$$"
# a tmux server of its own (watch it with: tmux -S /tmp/tmp.*/tmux.sock attach), so that
# runs in parallel, or a person's own tmux sessions, cannot change its size or environment
tmux() { command tmux -S "$work/tmux.sock" "$@"; }
cleanup() {
    tmux kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "tmux-smoke: FAIL: $*" >&2
    echo "---- last screen ----" >&2
    tmux capture-pane -p -t "$session" 2>/dev/null >&2 || cat "$work/screen.txt" >&2 || true
    exit 1
}

screen() { tmux capture-pane -p -t "$session" >"$work/screen.txt" 2>/dev/null && cat "$work/screen.txt"; }

# wait_for TEXT [SECONDS]: poll the screen until TEXT shows up
wait_for() {
    local text=$1 limit=${2:-20} waited=0
    until screen | grep -qF -- "$text"; do
        sleep 0.2
        waited=$((waited + 1))
        [ "$waited" -ge $((limit * 5)) ] && fail "waited ${limit}s for \"$text\""
    done
    return 0
}

count() {  # count STAGE: projects in a stage, from the store
    "$AMTUI" --config "$config" records list Projects --where "Stage=$1" --format csv | tail -n +2 | wc -l
}

"$AMTUI" demo --path "$work/ws" --today 2026-11-26 >/dev/null
config="$work/ws/config.toml"
intake_before=$(count Intake)
planning_before=$(count Planning)

tmux -u new-session -d -s "$session" -x 120 -y 40 \
    "$AMTUI --config '$config'; echo \"exit=\$?\" > '$work/exit'; sleep 30"

# the board with the demo data
wait_for "Demo data — connect your sheet" 20
wait_for "Intake" 10
wait_for "Client Review" 5
wait_for "projects" 5
screen | grep -qF "1 Board" || fail "mode tabs missing"

# move the highlighted card (first card of Intake) to the next stage
tmux send-keys -t "$session" ">"
wait_for "1 pending" 10

# the inbox, and a response to the newest New item
tmux send-keys -t "$session" "2"
wait_for "Acknowledged" 10
wait_for "Received" 5
# only New items (status filter, type-ahead), so the response starts empty
tmux send-keys -t "$session" "t"
wait_for "Show feedback with status" 10
tmux send-keys -t "$session" -l "new"
tmux send-keys -t "$session" Enter
wait_for "status New" 10
tmux send-keys -t "$session" "r"
wait_for "Respond to" 10
tmux send-keys -t "$session" -l "Thanks, on it: smoke test reply"
tmux send-keys -t "$session" C-s
wait_for "response saved" 10

# quit
tmux send-keys -t "$session" "q"
for _ in $(seq 1 50); do [ -f "$work/exit" ] && break; sleep 0.2; done
[ -f "$work/exit" ] || fail "amtui did not quit on q"
grep -qx "exit=0" "$work/exit" || fail "amtui exited with $(cat "$work/exit")"

# the store has both edits
[ "$(count Intake)" -eq $((intake_before - 1)) ] || fail "Intake should have lost a card"
[ "$(count Planning)" -eq $((planning_before + 1)) ] || fail "Planning should have gained a card"
responded=$("$AMTUI" --config "$config" records list Feedback \
    --where "Response=Thanks, on it: smoke test reply" --format csv | tail -n +2)
[ -n "$responded" ] || fail "the response is not in the store"
echo "$responded" | grep -q "2026-11-26" || fail "Responded is not today's date"
echo "$responded" | grep -q "In Progress" || fail "the status did not move to In Progress"

echo "tmux-smoke: ok (card moved Intake -> Planning, response saved, quit with q)"

# part 2 on the same workspace: KPIs, previous period, a scorecard, a standup with notes
beside="$(dirname "$(command -v "$AMTUI")")/python"
PYTHON=${PYTHON:-$([ -x "$beside" ] && echo "$beside" || echo python3)} \
    bash "$(dirname "$0")/tmux-smoke-kpis.sh" "$config"
