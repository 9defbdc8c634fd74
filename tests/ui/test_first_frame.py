"""The board kept at quit and shown at once on the next start (amtui.ui.first_frame): the
cache's rules on their own, ``show`` on a real pseudo-terminal, and the whole round trip in
tmux."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from amtui.ui import first_frame

SIZE = (120, 40)


@pytest.fixture
def frames(tmp_path, monkeypatch):
    """A clean state for this process's request, and a folder for frames."""
    monkeypatch.setattr(first_frame, "state", first_frame.State())
    return tmp_path / "frames"


def test_only_opening_the_app_has_a_request():
    env = {"TERM": "xterm-256color"}
    assert first_frame.request_key(["records", "list"], env, SIZE) is None
    assert first_frame.request_key(["--help"], env, SIZE) is None
    assert first_frame.request_key(["--config"], env, SIZE) is None
    key = first_frame.request_key(["--config", "a.toml"], env, SIZE)
    assert key == first_frame.request_key(["--config=a.toml"], env, SIZE)
    # anything the picture depends on makes another request
    assert key != first_frame.request_key(["--config", "b.toml"], env, SIZE)
    assert key != first_frame.request_key(["--config", "a.toml"], env, (100, 40))
    assert key != first_frame.request_key(["--config", "a.toml"], {"TERM": "xterm"}, SIZE)
    assert key != first_frame.request_key(["--config", "a.toml", "--lang", "zh-CN"], env, SIZE)


def test_a_frame_is_shown_only_while_its_files_are_unchanged(frames, tmp_path):
    db = tmp_path / "amtui.db"
    db.write_bytes(b"one")
    first_frame.state.key = "k"
    first_frame.keep("BOARD", SIZE)  # another terminal size than this start's: not kept
    assert first_frame.save([db], frames) is False
    first_frame.state.size = SIZE
    first_frame.keep("BOARD", SIZE)
    assert first_frame.save([db, tmp_path / "amtui.db-wal"], frames)
    assert first_frame.cached_frame("k", frames) == "BOARD"
    assert first_frame.cached_frame("other", frames) is None
    (tmp_path / "amtui.db-wal").write_bytes(b"")  # a file that was not there
    assert first_frame.cached_frame("k", frames) is None
    (tmp_path / "amtui.db-wal").unlink()
    db.write_bytes(b"two")  # a sync or another amtui changed the database
    assert first_frame.cached_frame("k", frames) is None


def test_only_the_frames_used_last_are_kept(frames, tmp_path):
    first_frame.state.size = SIZE
    for n in range(first_frame.KEEP + 2):
        first_frame.state.key = f"k{n}"
        first_frame.keep(f"BOARD {n}", SIZE)
        assert first_frame.save([tmp_path / "amtui.db"], frames)
        os.utime(frames / f"k{n}.frame", ns=(n * 10**9, n * 10**9))
    first_frame.prune(frames)
    assert sorted(p.stem for p in frames.glob("*.frame")) == sorted(
        f"k{n}" for n in range(2, first_frame.KEEP + 2))
    assert len(list(frames.glob("*.json"))) == first_frame.KEEP


def test_show_writes_the_frame_and_release_gives_the_terminal_back(frames, tmp_path,
                                                                   monkeypatch):
    monkeypatch.chdir(tmp_path)
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    terminal = os.fdopen(slave, "w", encoding="utf-8")
    before = termios.tcgetattr(slave)
    argv = ["--config", "team.toml"]
    try:
        assert first_frame.show(argv, stream=terminal, stdin=terminal, folder=frames) is False
        first_frame.keep("\x1b[1;1HIntake  Planning", SIZE)
        first_frame.save([tmp_path / "amtui.db"], frames)
        first_frame.state = first_frame.State()

        assert first_frame.show(argv, stream=terminal, stdin=terminal, folder=frames)
        shown = os.read(master, 65536).decode()
        assert shown == first_frame.ENTER + "\x1b[1;1HIntake  Planning"
        assert not termios.tcgetattr(slave)[3] & termios.ECHO  # keys are not echoed over it
        first_frame.release(stream=terminal, stdin=terminal)
        assert os.read(master, 65536).decode() == first_frame.LEAVE  # Textual never started
        assert termios.tcgetattr(slave) == before
    finally:
        terminal.close()
        os.close(master)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_board_of_the_last_quit_is_on_screen_at_the_next_start(demo_config, tmp_path):
    """In a real terminal: quit with q keeps the board; the next start shows it before the
    live one (the app logs how long before), and a changed database shows none."""
    # no sync (a quit during one keeps no frame: the database may change after it)
    config = Path(demo_config)
    text = config.read_text().replace("interval = 60", "interval = 0\npoll_interval = 0")
    config.write_text(text)
    session = f"amtui-ff-{os.getpid()}"  # and a tmux server of its own (tests run in parallel)
    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    log = Path(demo_config).parent / "amtui.log"
    cache = tmp_path / "cache"  # a tmux server started earlier has its own environment
    command = (f"env XDG_CACHE_HOME={cache} TERM=xterm-256color LANG=C.UTF-8 "
               f"{sys.executable} -m amtui --config {demo_config}; sleep 30")
    assert "poll_interval = 0" in text

    def tmux(*args: str, **options) -> subprocess.CompletedProcess:
        return subprocess.run(["tmux", "-S", str(tmp_path / "tmux.sock"), *args], **options)

    def screen() -> str:
        return tmux("capture-pane", "-p", "-t", session, capture_output=True, text=True).stdout

    def wait_for(found, what: str, limit: float = 30) -> None:
        deadline = time.monotonic() + limit
        while not found():
            if time.monotonic() > deadline:
                said = log.read_text() if log.exists() else ""
                raise AssertionError(f"waited {limit} s for {what}:\n{screen()}\n{said}")
            time.sleep(0.05)

    def run_and_quit(*keys: str, at_once: str = "") -> str:
        tmux("kill-session", "-t", session, capture_output=True)
        lines = log.read_text().count("\n") if log.exists() else 0
        tmux("-u", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command,
             check=True, env=env)
        if at_once:  # typed while amtui starts (with the kept board on screen)
            tmux("send-keys", "-t", session, at_once, check=True)

        def said(text: str) -> bool:
            return log.exists() and text in "\n".join(log.read_text().splitlines()[lines:])

        # quit once the board is up and the background warm-up done, as a person reading
        # the board would (quitting during a sync keeps no frame)
        if at_once:  # the key did what it does on the board, it was not typed into a box
            wait_for(lambda: "backlog as of" in screen(), "the KPIs")
            assert "Filters:" not in screen()
            tmux("send-keys", "-t", session, "1", check=True)
            wait_for(lambda: "Client Review" in screen(), "the board again")
        wait_for(lambda: said("background warm-up done"), "the warm-up")
        assert "Client Review" in screen()
        for key in keys:
            tmux("send-keys", "-t", session, key, check=True)
        tmux("send-keys", "-t", session, "q", check=True)
        wait_for(lambda: said("board frame kept for the next start"), "the frame kept")
        return "\n".join(log.read_text().splitlines()[lines:])

    try:
        first = run_and_quit()
        assert "cached board" not in first
        # quit from the inbox: the board is kept all the same; and "3" typed at once, while
        # amtui starts, opens the KPIs
        second = run_and_quit("2", at_once="3")
        assert "the cached board was on screen" in second
        frames = list((cache / "amtui" / "frames").glob("*.frame"))
        assert len(frames) == 1
        assert "Client Review" in frames[0].read_text() and "Acknowledged" not in frames[0].read_text()
        db = Path(demo_config).parent / "amtui.db"
        os.utime(db, ns=(time.time_ns(), time.time_ns()))  # as a sync from elsewhere would
        third = run_and_quit()
        assert "cached board" not in third
    finally:
        tmux("kill-server", capture_output=True)
