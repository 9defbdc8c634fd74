"""Progress of a long sync: phase, counts and a bar, in `amtui sync` on a terminal (stderr,
only when it is a tty) and in the words the app's status bar shows."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from amtui.services.live import bar, progress, progress_line

RUN_CLI = "import sys; from amtui.cli import main; sys.exit(main(sys.argv[1:]))"


def test_progress_gives_phase_counts_and_a_growing_fraction():
    steps = [("reading", {"tabs": 7}),
             *[("reconciling", {"tab": f"T{n}", "done": n, "tabs": 7, "rows": 25000})
               for n in range(7)],
             ("writing", {"cells": 1200, "rows": 3}), ("saving", {"records": 25000}),
             ("done", {})]
    fractions = [progress(phase, info)[0] for phase, info in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert progress("reconciling", steps[3][1])[1] == (
        "reconciling T2 (3/7 tabs, 25,000 rows)")
    assert progress("saving", {"records": 25000})[1] == "saving 25,000 records"
    assert bar(0.3) == "▰▰▰▱▱▱▱▱▱▱"
    assert progress_line("reading", {"tabs": 7}).endswith("0%  reading 7 tabs")


def run_sync(config, stderr) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", RUN_CLI, "--config", str(config), "sync"],
                          stdout=subprocess.PIPE, stderr=stderr, timeout=120,
                          env={**os.environ, "COLUMNS": "100"})


def test_cli_sync_shows_progress_on_a_terminal_only(demo_config):
    leader, follower = pty.openpty()
    try:
        done = run_sync(demo_config, follower)
        os.close(follower)
        follower = -1
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    text = seen.decode("utf-8", "replace")
    assert done.returncode in (0, 1), text
    assert "▰" in text or "▱" in text
    assert "reading 8 tabs" in text and "saving" in text

    piped = run_sync(demo_config, subprocess.PIPE)  # not a terminal: no progress
    assert "▱" not in piped.stderr.decode() and "reading" not in piped.stderr.decode()
    assert b"synced in" in piped.stdout
