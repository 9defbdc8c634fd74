"""The amtui app: modes (Board, Inbox, KPIs, People, Standup), the status bar's state, the
background sync, undo, themes and the one place errors end up.

    app = AmtuiApp(Workspace.open(Path("config.toml")))
    app.run()

Screens read through ``app.store`` and change data only through ``app.edit`` /
``app.add_record``; every change bumps ``app.data_version`` and visible screens reload.
"""

from __future__ import annotations

import gc
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive, var
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from amtui.core.store import EditRejected, UnknownRecord
from amtui.core.workspace import Workspace
from amtui.domain import schema
from amtui.ui.commands import AmtuiCommands
from amtui.ui.screens.board import BoardScreen
from amtui.ui.screens.common import RecordCache
from amtui.ui.screens.inbox import InboxScreen

log = logging.getLogger("amtui")

RETRY_FIRST = 20  # seconds before retrying a sync that failed offline or rate-limited
RETRY_MAX = 300

AMTUI_THEME = Theme(
    name="amtui",
    primary="#3D8BFD",
    secondary="#7C6CF2",
    accent="#F2A541",
    warning="#E8B339",
    error="#E5534B",
    success="#3FB950",
    foreground="#D7DCE2",
    background="#12161C",
    surface="#1A2028",
    panel="#222B36",
    dark=True,
)


@dataclass(frozen=True)
class SyncState:
    """What the status bar says about the sync."""

    running: bool = False
    phase: str = ""  # reading, reconciling, writing, saving
    detail: str = ""  # "1,204 cells" while writing
    trouble: str = ""  # "", offline, rate-limited, access, error, not-written
    message: str = ""  # a sentence about the trouble
    retry_at: float | None = None  # time.monotonic() of the next automatic try
    last_ok: str | None = None  # ISO time of the last successful sync


class SyncProgress(Message):
    def __init__(self, phase: str, info: dict):
        super().__init__()
        self.phase, self.info = phase, info


class SyncFinished(Message):
    def __init__(self, report, changed: bool, last_ok: str | None):
        super().__init__()
        self.report, self.changed, self.last_ok = report, changed, last_ok


class SyncFailed(Message):
    def __init__(self, error: BaseException):
        super().__init__()
        self.error = error


def _screen(module: str, name: str):
    """A mode's screen, imported when the mode is first opened."""
    import importlib

    return getattr(importlib.import_module(module), name)()


def process_age() -> float | None:
    """Seconds since this process started (Linux), for the startup time in the log."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/self/stat") as stat:
            start = int(stat.read().rsplit(")", 1)[1].split()[19]) / ticks
        with open("/proc/uptime") as uptime:
            return float(uptime.read().split()[0]) - start
    except (OSError, ValueError, IndexError):
        return None


_IMPORTED_AT = time.perf_counter()


class AmtuiApp(App):
    """See the module docstring. ``backend`` replaces ``workspace.backend()`` (tests pass an
    emulator-backed one); ``autosync=False`` turns the timer sync off; ``clock`` pins "now"
    for the status bar's "synced 2 min ago" (snapshots)."""

    # every screen's styles load at start: a screen bringing new CSS later would restyle
    # the whole app (~0.5 s) the first time it opens
    # (absolute paths: a subclass in another module finds them too)
    CSS_PATH = [str(Path(__file__).parent / "app.tcss"),
                *sorted(str(p) for p in (Path(__file__).parent / "screens").glob("*.tcss"))]
    TITLE = "amtui"
    COMMANDS = App.COMMANDS | {AmtuiCommands}
    MODES = {
        "board": BoardScreen,
        "inbox": InboxScreen,
        # imported on first use: they are not needed for the first frame
        "kpis": lambda: _screen("amtui.ui.screens.kpis", "KpisScreen"),
        "people": lambda: _screen("amtui.ui.screens.people", "PeopleScreen"),
        "standup": lambda: _screen("amtui.ui.screens.standup", "StandupScreen"),
        "timeline": lambda: _screen("amtui.ui.screens.timeline", "TimelineScreen"),
    }
    DEFAULT_MODE = "board"
    BINDINGS = [
        Binding("1", "switch_mode('board')", "Board", id="mode.board", show=False),
        Binding("2", "switch_mode('inbox')", "Inbox", id="mode.inbox", show=False),
        Binding("3", "switch_mode('kpis')", "KPIs", id="mode.kpis", show=False),
        Binding("4", "switch_mode('people')", "People", id="mode.people", show=False),
        Binding("5", "switch_mode('standup')", "Standup", id="mode.standup", show=False),
        Binding("6", "switch_mode('timeline')", "Timeline", id="mode.timeline", show=False),
        Binding("ctrl+r", "sync", "Sync now", id="app.sync", show=False),
        Binding("ctrl+z", "undo", "Undo last edit", id="app.undo", show=False),
        Binding("C", "conflicts", "Conflicts", id="app.conflicts", show=False),
        Binding("P", "problems", "Problems", id="app.problems", show=False),
        Binding("L", "sync_log", "Sync log", id="app.sync_log", show=False),
        Binding("ctrl+t", "change_theme", "Change theme", id="app.theme", show=False),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit_any", show=False, priority=True),
    ]

    data_version: reactive[int] = reactive(0, init=False)
    sync_state: var[SyncState] = var(SyncState(), init=False)

    def __init__(self, workspace: Workspace, *, backend=None, autosync: bool = True,
                 clock: Callable[[], datetime] | None = None):
        super().__init__()
        self.workspace = workspace
        self.store = workspace.store
        self.today: date = workspace.today()
        self.rules = workspace.config.rules
        self.autosync = autosync
        self.clock = clock or datetime.now
        self.records = RecordCache(self.store)
        # (tab, record_id) of the change behind the last data_version bump; None = many
        self.last_change: tuple[str, str] | None = None
        self._tab_versions: dict[str, int] = {}  # changes per tab (a sync counts for all)
        self._all_version = 0
        self.errors: list[str] = []  # every error reported to the person (tests check it)
        self.startup_seconds: float | None = None
        self.freeze_gc = False  # run_app: fewer, shorter garbage-collector pauses
        self.warm_up = True  # open the inbox in the background after the first frame
        self._backend = backend
        self._syncing = False
        self._asking_deletes = False
        self._retry_timer = None
        self.retry_first = RETRY_FIRST  # tests shorten it
        self._retry_delay = RETRY_FIRST
        self.register_theme(AMTUI_THEME)
        self._set_initial_theme(self._initial_theme())
        self.sync_state = SyncState(last_ok=self.store.last_successful_sync())

    # -- start and stop -----------------------------------------------------------------

    def _initial_theme(self) -> str:
        remembered = self.store.get_meta("theme")
        for name in (remembered, self.workspace.config.theme, "amtui"):
            if name and name in self.available_themes:
                return name
        return "amtui"

    def _set_initial_theme(self, name: str) -> None:
        """What ``self.theme = name`` does, minus the second full restyle it would queue for
        startup (~0.1 s before the first frame); later theme changes go the normal way."""
        if name == self.theme:
            return
        self.set_reactive(AmtuiApp.theme, name)
        dark = self.current_theme.dark
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes.update({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark})
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())  # parsed once, at start

    def on_mount(self) -> None:
        keys = self.workspace.config.keys
        if keys:
            self.set_keymap(keys)

    def on_ready(self) -> None:
        age = process_age()
        self.startup_seconds = age if age is not None else time.perf_counter() - _IMPORTED_AT
        log.info("first frame %.3f s after process start", self.startup_seconds)
        self.log.info(f"amtui first frame after {self.startup_seconds:.3f} s")
        self._freeze_gc()
        # the inbox's records load in the background, so opening it is instant
        self.run_worker(self._preload, thread=True, group="preload", exit_on_error=False)
        interval = self.workspace.config.interval
        if self.autosync and interval > 0:  # interval 0: sync on ctrl+r only
            # first sync a moment after the first frame: the board answers keys meanwhile
            self.set_timer(0.5, self._timer_sync)
            self.set_interval(interval, self._timer_sync)

    def _preload(self) -> None:
        """Thread: read the feedback into the cache (the inbox opens from it)."""
        try:
            self.records.load("feedback")
        finally:
            self.store.close()  # this thread's connection

    def watch_theme(self, theme: str) -> None:
        try:
            if self.store.get_meta("theme") != theme:
                self.store.set_meta("theme", theme)
        except sqlite3.Error as err:  # remembering the theme is not worth a crash
            log.warning("could not remember the theme: %s", err)

    # -- editing (every UI edit goes through here) --------------------------------------

    def edit(self, tab: str, record_id: str, changes: dict[str, str]) -> bool:
        """Change fields of one record; shows why when refused. True when saved."""
        try:
            edit = self.store.update(tab, record_id, changes)
        except EditRejected as err:
            self._refused(err.reasons)
            return False
        except (UnknownRecord, KeyError) as err:
            self.notify(str(err.args[0] if err.args else err), title="Not saved",
                        severity="error")
            return False
        except sqlite3.Error as err:
            self.report_error(err, context="saving an edit")
            return False
        if edit is not None:
            self.changed(tab, record_id)
        return True

    def add_record(self, tab: str, values: dict[str, str]) -> str | None:
        """Add a record; returns its ID, or None (with the reasons shown) when refused."""
        try:
            record_id = self.store.add(tab, values)
        except EditRejected as err:
            self._refused(err.reasons)
            return None
        except sqlite3.Error as err:
            self.report_error(err, context="adding a record")
            return None
        self.changed(tab, record_id)
        return record_id

    def _refused(self, reasons: list[str]) -> None:
        self.notify("\n".join(reasons), title="Not saved", severity="error", timeout=8)

    def changed(self, tab: str | None = None, record_id: str | None = None) -> None:
        """Tell every screen the data changed (one record, or anything when no ID)."""
        if tab and record_id:
            self.records.touch(tab, record_id)
            self.last_change = (tab, record_id)
        else:
            if tab:
                self.records.invalidate(tab)
            self.last_change = None
        if tab:
            self._tab_versions[tab] = self._tab_versions.get(tab, 0) + 1
        else:
            self._all_version += 1
        self.data_version += 1

    def versions(self, *tabs: str) -> tuple[int, ...]:
        """A key that changes whenever data of these tabs may have changed: a screen that
        shows only them can skip reloading after edits elsewhere."""
        return (self._all_version, *(self._tab_versions.get(tab, 0) for tab in tabs))

    def action_undo(self) -> None:
        try:
            edit = self.store.undo()
        except sqlite3.Error as err:
            self.report_error(err, context="undo")
            return
        if edit is None:
            self.notify("Nothing to undo: every edit has been synced.", title="Undo")
            return
        self.changed(edit.tab, edit.record_id)
        self.notify(describe_undo(edit, self.store), title="Undone")

    def open_record(self, tab: str, record_id: str) -> None:
        """Show a record where it lives: projects on the Board, feedback in the Inbox."""
        mode = {"projects": "board", "feedback": "inbox"}.get(tab)
        if mode is None:
            self.notify(f"{schema.TABS[tab].title} {record_id} has no screen of its own yet.")
            return
        # close sync screens and forms stacked on the target mode first
        self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.screen_stack[0].show_record(record_id)

    # -- navigation ---------------------------------------------------------------------

    async def action_switch_mode(self, mode: str) -> None:
        if mode in self._modes and mode != self.current_mode:
            await self.switch_mode(mode)

    def action_conflicts(self) -> None:
        from amtui.ui.screens.conflicts import ConflictsScreen

        self._push_once(ConflictsScreen)

    def action_problems(self) -> None:
        from amtui.ui.screens.problems import ProblemsScreen

        self._push_once(ProblemsScreen)

    def action_sync_log(self) -> None:
        from amtui.ui.screens.synclog import SyncLogScreen

        self._push_once(SyncLogScreen)

    def _push_once(self, screen_type) -> None:
        # one sync screen at a time: switching between them replaces the top one
        if isinstance(self.screen, screen_type):
            return
        from amtui.ui.screens.synclog import SyncScreen

        if isinstance(self.screen, SyncScreen):
            self.switch_screen(screen_type())
        else:
            self.push_screen(screen_type())

    def action_help(self) -> None:
        from amtui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))

    # -- sync ---------------------------------------------------------------------------

    def action_sync(self) -> None:
        self.start_sync(manual=True)

    def _timer_sync(self) -> None:
        if self.sync_state.retry_at is None:  # a retry is already scheduled
            self.start_sync()

    def start_sync(self, *, allow_deletes: bool | None = None, manual: bool = False) -> bool:
        """Run one sync in a thread; False when one is already running."""
        if self._syncing:
            if manual:
                self.notify("A sync is already running.", title="Sync")
            return False
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        self._syncing = True
        self.sync_state = replace(self.sync_state, running=True, phase="starting", detail="",
                                  retry_at=None)
        self.run_worker(partial(self._sync_in_thread, allow_deletes), name="sync",
                        group="sync", thread=True, exit_on_error=False)
        return True

    def _sync_in_thread(self, allow_deletes: bool | None) -> None:
        """The worker: never touches widgets, only posts messages."""
        store = self.store
        started = datetime.now().isoformat(timespec="seconds")
        try:
            before = (store.problem_count(), store.conflict_count())
            if self._backend is None:
                self._backend = self.workspace.backend()
            report = self.workspace.sync(
                backend=self._backend, allow_deletes=allow_deletes,
                progress=lambda phase, info: self.post_message(SyncProgress(phase, info)))
            counts = report.counts
            after = (store.problem_count(), store.conflict_count())
            changed = bool(counts.get("pulled") or counts.get("conflicts")
                           or counts.get("added") or before != after)
            if changed:  # read the new records here, not in the UI thread
                for tab in self.records.loaded():
                    self.records.load(tab)
            self.post_message(SyncFinished(report, changed, store.last_successful_sync()))
        except Exception as err:  # noqa: BLE001 - every failure becomes a status
            try:  # the sync log shows failures too
                from sync.errors import describe_sync_error

                store.record_sync_run(started, False, {}, describe_sync_error(err)[0])
            except Exception:  # noqa: BLE001 - a locked database must not hide the cause
                log.warning("could not record the failed sync", exc_info=True)
            self.post_message(SyncFailed(err))
        finally:
            store.close()  # this thread's connection

    def on_sync_progress(self, message: SyncProgress) -> None:
        info = message.info
        detail = ""
        if message.phase == "reading":
            detail = f"{info.get('tabs', 0)} tabs"
        elif message.phase == "writing":
            detail = f"{info.get('cells', 0):,} cells, {info.get('rows', 0):,} rows"
        self.sync_state = replace(self.sync_state, phase=message.phase, detail=detail)

    def on_sync_finished(self, message: SyncFinished) -> None:
        self._syncing = False
        self._retry_delay = self.retry_first
        report = message.report
        trouble, text = "", ""
        if report.not_written:
            trouble, text = "not-written", report.not_written
            self.notify(report.not_written, title="Sync: nothing written", severity="warning",
                        timeout=10)
        self.sync_state = SyncState(trouble=trouble, message=text, last_ok=message.last_ok)
        if message.changed:
            self.changed()
        else:
            self.data_version += 1  # pending counts changed: status bar and screens
        new_conflicts = report.counts.get("conflicts", 0)
        if new_conflicts:
            self.notify(f"{new_conflicts} new conflict(s): the same field changed in the "
                        "sheet and here. Press C to decide.", title="Sync",
                        severity="warning", timeout=10)
        if report.deletes_blocked:
            self._ask_about_deletes(report.deletes_blocked)

    def _ask_about_deletes(self, blocked: dict[str, int]) -> None:
        from amtui.ui.screens.confirm import ConfirmScreen

        if self._asking_deletes:  # the question is on screen already
            return
        self._asking_deletes = True

        lines = [f"{title}: {count} rows" for title, count in blocked.items()]
        question = ("The sync would delete many rows (more than 20% of a tab, or over 50):\n"
                    + "\n".join(lines)
                    + "\n\nThey were held back. Check the sheet first: was a tab sorted, "
                      "filtered or cleared by mistake?\nGo ahead and delete them?")

        def decided(yes: bool | None) -> None:
            self._asking_deletes = False
            if yes:
                self.start_sync(allow_deletes=True, manual=True)
            else:
                self.notify("Deletes held back; the next sync asks again.", title="Sync")

        self.push_screen(ConfirmScreen(question, title="Delete rows?", yes="Delete them",
                                       no="Keep them"), decided)

    def on_sync_failed(self, message: SyncFailed) -> None:
        from sync.errors import ACCESS, OFFLINE, RATE_LIMITED, classify, describe_sync_error

        self._syncing = False
        err = message.error
        kind = classify(err)
        text, _code = describe_sync_error(err)
        if type(err).__name__ == "ConfigError":
            kind, text = ACCESS, str(err)
        log.warning("sync failed (%s): %s", kind, text)
        retry_at = None
        if kind in (OFFLINE, RATE_LIMITED) and self.autosync:
            delay = min(self._retry_delay, max(self.retry_first, RETRY_MAX))
            self._retry_delay = min(self._retry_delay * 2, max(self.retry_first, RETRY_MAX))
            retry_at = time.monotonic() + delay
            self._retry_timer = self.set_timer(delay, self._retry)
        previous = self.sync_state
        self.sync_state = SyncState(trouble=kind, message=text, retry_at=retry_at,
                                    last_ok=previous.last_ok)
        if kind not in (OFFLINE, RATE_LIMITED) or previous.trouble != kind:
            # say it once; the status bar keeps saying it while it lasts
            self.notify(text, title="Sync failed",
                        severity="warning" if kind in (OFFLINE, RATE_LIMITED) else "error",
                        timeout=10)
        self.data_version += 1

    def _retry(self) -> None:
        self._retry_timer = None
        self.start_sync()

    def _warm_up_inbox(self) -> None:
        """Build the inbox screen now, while the person reads the board, so switching to it
        is a repaint (~60 ms) rather than building 20,000 rows (~200 ms)."""
        try:
            if "inbox" not in self._screen_stacks and self.current_mode != "inbox":
                self._init_mode("inbox")  # what switch_mode does first, without showing it
        except Exception as err:  # noqa: BLE001 - only a speed-up; the switch still works
            log.warning("could not prepare the inbox: %r", err)
        self._freeze_gc()

    def _freeze_gc(self) -> None:
        # What is loaded now lives as long as the app: keep the collector from walking it
        # again and again (each full pass over 25,000 records is a visible pause).
        if self.freeze_gc:
            gc.freeze()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for errors that escaped a worker."""
        if event.state == WorkerState.SUCCESS and event.worker.group == "preload":
            if self.warm_up:
                self.call_after_refresh(self._warm_up_inbox)
            else:
                self._freeze_gc()
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            if event.worker.group == "sync":
                self._syncing = False
            self.report_error(event.worker.error, context=f"background task {event.worker.name}")

    def uses_google(self) -> bool:
        backend = self._backend
        if backend is not None:
            return hasattr(backend, "url")
        return self.workspace.config.backend == "google"

    def sheet_label(self) -> str:
        """The sheet's name for the status bar: the workbook file or the spreadsheet title."""
        backend = self._backend
        if self.uses_google():
            return getattr(backend, "name", "") or "Google Sheet"
        return Path(self.workspace.config.spreadsheet).name

    def backend_for_links(self):
        """The sheet backend (for links to cells); created on first use."""
        if self._backend is None:
            self._backend = self.workspace.backend()
        return self._backend

    # -- errors -------------------------------------------------------------------------

    def report_error(self, err: BaseException, context: str = "") -> None:
        """Show an error to the person (and log it) instead of ending the app."""
        self.errors.append(f"{context}: {type(err).__name__}: {err}")
        log.error("error in %s: %r", context, err, exc_info=err)
        if isinstance(err, sqlite3.OperationalError) and "locked" in str(err):
            text = ("The local database is busy (another amtui or a sync is writing). "
                    "Try again in a moment.")
        else:
            text = f"{type(err).__name__}: {err}"
        self.notify(text + (f"\n(while {context})" if context else ""),
                    title="Something went wrong", severity="error", timeout=10)

    def action_change_theme(self) -> None:
        self.search_themes()


def describe_undo(edit, store) -> str:
    """``Projects P-0042 "Spring launch": Stage back to Planning``."""
    tab = schema.TABS[edit.tab]
    record = store.get(edit.tab, edit.record_id) or {}
    name = record.get(tab.name_field, "")
    head = f"{tab.title} {edit.record_id}" + (f' "{name[:40]}"' if name else "")
    if edit.op == "add":
        return f"{head}: added record removed"
    if edit.op == "delete":
        return f"{head}: deleted record restored"
    parts = []
    for key, (old, _new) in edit.changes.items():
        parts.append(f"{tab.header_of(key)} back to {old or '(blank)'}")
    return f"{head}: " + ", ".join(parts)


def _log_to_file(folder: Path) -> None:
    handler = logging.FileHandler(folder / "amtui.log", encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def run_app(workspace: Workspace) -> int:
    """Run the app on a workspace; returns the exit code for the command line."""
    try:
        _log_to_file(workspace.config.folder)
    except OSError:
        pass
    app = AmtuiApp(workspace)
    app.freeze_gc = True
    app.run()
    return app.return_code or 0
