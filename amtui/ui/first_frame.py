"""The board as it was when amtui last closed, on screen at once while the app starts.

Importing Python and Textual, styling the board and drawing its cards take about a second
before Textual's first frame (an empty Textual app alone takes 0.4 s). When nothing the board
shows can have changed since the last time amtui closed on this terminal — the same command,
terminal size and colours, language and code, and the config and database files exactly as
they were then (size and modification time) — ``show`` writes that last frame to the terminal
before anything else is imported. Textual then starts behind it and draws over it with the
live board: the same picture, unless the first sync brings news or a day has passed (dates
said relative to today, "due in 3d" or overdue, are the day's it was kept, for that second;
the first start of the morning is the one that matters most, so the day is not part of the
key). Keys typed meanwhile wait for the app, as they would anyway; they are not echoed over
the picture.

Nothing here imports Textual: the command line calls ``show`` first thing. The app captures
the frame when the person quits (``AmtuiApp.action_quit``), hands it to ``keep``, and the
command line ``save``-s it once the database is closed. ``AMTUI_NO_FRAME_CACHE=1`` turns it
off. The frames live in the user cache folder (``platformdirs.user_cache_dir("amtui")``).

    >>> request_key(["demo"], {}, (120, 40)) is None   # a command, not the app
    True
    >>> len(request_key(["--config", "team.toml"], {}, (120, 40)))
    40
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

ENV_OFF = "AMTUI_NO_FRAME_CACHE"
# what Textual's colours and amtui's words depend on
ENV_KEYS = ("TERM", "COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM", "LC_ALL", "LC_MESSAGES",
            "LANG", "AMTUI_CONFIG", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "HOME")
ENTER = "\x1b[?1049h\x1b[?25l"  # the alternate screen (as Textual's), no cursor
LEAVE = "\x1b[?1049l\x1b[?25h"
KEEP = 12  # frames kept in the cache folder


class State:
    """This process's request (None: not the app, or not in a terminal) and what was shown."""

    key: str | None = None
    shown_at: float | None = None  # time.perf_counter() when the frame was written
    saved_attrs: list | None = None  # the terminal's settings before ``show`` changed them
    frame: str | None = None  # captured by the app at quit
    size: tuple[int, int] | None = None
    app_started = False  # Textual took the terminal over (it leaves the alternate screen)


state = State()


def request_key(argv: list[str], environ, size: tuple[int, int]) -> str | None:
    """What the board's first frame depends on besides files, hashed; None when ``argv``
    does not open the app (a command, ``--help``, ``--version``)."""
    words: list[str] = []
    args = iter(argv)
    for arg in args:
        name, has_value, value = arg.partition("=")
        if name not in ("--config", "--lang"):
            return None
        if not has_value:
            value = next(args, None)
            if value is None:
                return None
        if name == "--config":
            value = os.path.abspath(value)
        words += [name, value]
    code = [str(_mtime(Path(__file__).parent))]
    try:
        from importlib.util import find_spec

        spec = find_spec("textual")
        if spec is not None and spec.origin:
            code.append(str(_mtime(Path(spec.origin))))
    except (ImportError, ValueError):
        pass
    parts = {"argv": words, "env": {k: environ.get(k) for k in ENV_KEYS}, "size": list(size),
             "code": code,
             "cwd": os.getcwd() if "--config" not in words else ""}
    return hashlib.sha1(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _mtime(path: Path) -> int:
    """The newest modification time of a file, or of the files in a folder and its
    subfolders (the UI's code)."""
    try:
        if path.is_file():
            return path.stat().st_mtime_ns
        return max((entry.stat().st_mtime_ns for entry in path.rglob("*")
                    if entry.suffix in (".py", ".tcss", ".mo")), default=0)
    except OSError:
        return 0


def cache_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("amtui")) / "frames"


def file_stamps(paths) -> dict[str, list[int] | None]:
    """Size and modification time of each file (None: missing)."""
    stamps: dict[str, list[int] | None] = {}
    for path in paths:
        try:
            info = os.stat(path)
            stamps[str(path)] = [info.st_size, info.st_mtime_ns]
        except OSError:
            stamps[str(path)] = None
    return stamps


def cached_frame(key: str, folder: Path | None = None) -> str | None:
    """The frame saved for ``key`` when every file it depends on is as it was then."""
    folder = folder or cache_folder()
    try:
        meta = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        if file_stamps(meta["files"]) != meta["files"]:
            return None
        return (folder / f"{key}.frame").read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return None


def show(argv: list[str], *, stream=None, stdin=None, folder: Path | None = None) -> bool:
    """Write the cached board to the terminal if there is one for this start. True if so."""
    stream = stream or sys.__stderr__  # the stream Textual's driver writes to
    stdin = stdin or sys.__stdin__
    try:
        if os.environ.get(ENV_OFF) or not (stream.isatty() and stdin.isatty()):
            return False
        size = tuple(os.get_terminal_size(stream.fileno()))
    except (OSError, ValueError, AttributeError):
        return False
    state.size = size
    state.key = request_key(argv, os.environ, size)
    if state.key is None:
        return False
    frame = cached_frame(state.key, folder)
    if frame is None:
        return False
    _quiet_keys(stdin)
    stream.write(ENTER + frame)
    stream.flush()
    state.shown_at = time.perf_counter()
    return True


def _quiet_keys(stdin) -> None:
    """Keys typed before Textual reads them are not echoed over the picture."""
    try:
        import termios

        fd = stdin.fileno()
        attrs = termios.tcgetattr(fd)
        quiet = list(attrs)
        quiet[3] &= ~(termios.ECHO | termios.ICANON)
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
        state.saved_attrs = attrs
    except (ImportError, OSError, ValueError):
        state.saved_attrs = None
    except Exception:  # noqa: BLE001 - termios.error: a terminal that says no
        state.saved_attrs = None


def release(stream=None, stdin=None) -> None:
    """After the app (or a failure before it): the terminal as it was before ``show``."""
    stream = stream or sys.__stderr__
    stdin = stdin or sys.__stdin__
    if state.shown_at is not None and not state.app_started:
        stream.write(LEAVE)  # the app never took the screen over: give it back
        stream.flush()
    if state.saved_attrs is not None:
        try:
            import termios

            termios.tcsetattr(stdin.fileno(), termios.TCSANOW, state.saved_attrs)
        except Exception:  # noqa: BLE001 - the terminal went away
            pass
        state.saved_attrs = None
    state.shown_at = None


def keep(frame: str, size: tuple[int, int]) -> None:
    """The app's last board, as written to the terminal (saved by ``save``)."""
    if size == state.size:
        state.frame = frame


def save(files, folder: Path | None = None) -> bool:
    """Store the kept frame for this start's key, with the stamps of ``files`` (the config
    and the database, once closed). False when there is nothing to save or no place to."""
    if state.key is None or state.frame is None or os.environ.get(ENV_OFF):
        return False
    folder = folder or cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / f"{state.key}.frame", state.frame)
        _write(folder / f"{state.key}.json", json.dumps({"files": file_stamps(files)}))
        prune(folder)
    except OSError:
        return False
    return True


def prune(folder: Path, keep: int = KEEP) -> None:
    """Only the ``keep`` frames used last (one per terminal size, workspace and language)."""
    frames = sorted(folder.glob("*.frame"), key=lambda path: path.stat().st_mtime_ns,
                    reverse=True)
    for old in frames[keep:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


def _write(path: Path, text: str) -> None:
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)
