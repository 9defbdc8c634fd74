"""The amtui app: modes (Board, Inbox, KPIs, People, Standup), the status bar's state, the
background sync, undo, themes and the one place errors end up.

    app = AmtuiApp(Workspace.open(Path("config.toml")))
    app.run()

Screens read through ``app.store`` and change data only through ``app.edit`` /
``app.add_record``; every change bumps ``app.data_version`` and visible screens reload.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary, WeakSet

from textual import events
from textual.app import App, ScreenStackError, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.css.stylesheet import Stylesheet
from textual.driver import Driver
from textual.reactive import var
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.worker import Worker, WorkerState, get_current_worker

from amtui.core.config import ConfigError
from amtui.core.store import EditRejected, StoreError, StoreReadOnly, UnknownRecord
from amtui.core.workspace import Workspace
from amtui.domain import i18n, schema
from amtui.domain.i18n import N_, _
from amtui.services import texts
from amtui.services.live import CHECK, Live, LivePolicy, progress
from amtui.services.records import DataVersions, RecordCache, SyncCounts
from amtui.services.sync_retry import RetryPolicy
from amtui.ui import first_frame
from amtui.ui.commands import AmtuiCommands
from amtui.ui.messages import (
    LiveChecked,
    RemindersFound,
    SyncFailed,
    SyncFinished,
    SyncProgress,
)
from amtui.ui.protocol import MODES as MODE_LIST
from amtui.ui.screens.board import BoardScreen
from amtui.ui.screens.common import load_then
from amtui.ui.screens.inbox import InboxScreen

if TYPE_CHECKING:
    from amtui.ui.screens.forms import FormScreen

log = logging.getLogger("amtui")

REMINDERS_EVERY = 300  # seconds between reminder runs after syncs that changed nothing
LIVE_TICK = 0.25  # seconds between looks at the live schedule (cheap: no I/O)
FRESH_SECONDS = 4.0  # a record changed in the sheet stays highlighted this long
FRAME = 1 / 60  # seconds: updates are held this long when what comes next is ready

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


# Textual's own command-palette commands (App.get_system_commands), titles and help, so
# the palette speaks the UI's language; an unknown one passes through
SYSTEM_COMMANDS = (N_("Theme"), N_("Quit"), N_("Keys"), N_("Minimize"), N_("Maximize"),
                   N_("Screenshot"))
# their help texts, as Textual says them (marked for the catalog)
SYSTEM_HELP = (
    N_("Change the current theme"),
    N_("Quit the application as soon as possible"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize the focused widget"),
    N_("Save an SVG 'screenshot' of the current screen"),
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
    fraction: float | None = None  # share of a running sync done (for the progress bar)


def _screen(module: str, name: str):
    """A mode's screen, imported when the mode is first opened."""
    return getattr(importlib.import_module(module), name)()


def _mode_screens() -> dict:
    """MODES for Textual: the board and the inbox at hand (the first frame and the warm-up
    need them), the others imported on first use."""
    ready = {"board": BoardScreen, "inbox": InboxScreen}
    return {mode: ready.get(mode) or partial(_screen, module, name)
            for mode, _label, module, name in MODE_LIST}


# the startup time in the log counts from here (the app's module is imported first thing)
IMPORTED_AT = time.perf_counter()


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
    MODES = _mode_screens()
    DEFAULT_MODE = "board"
    BINDINGS = [
        *(Binding(str(n), f"switch_mode('{mode}')", label, id=f"mode.{mode}", show=False)
          for n, (mode, label, _module, _name) in enumerate(MODE_LIST, start=1)),
        Binding("ctrl+r", "sync", N_("Sync now"), id="app.sync", show=False),
        Binding("ctrl+z", "undo", N_("Undo last edit"), id="app.undo", show=False),
        Binding("C", "conflicts", N_("Conflicts"), id="app.conflicts", show=False),
        Binding("P", "problems", N_("Problems"), id="app.problems", show=False),
        Binding("L", "sync_log", N_("Sync log"), id="app.sync_log", show=False),
        Binding("A", "alerts", N_("Alerts"), id="app.alerts", show=False,
                tooltip=N_("Alerts: reminders that need attention")),
        Binding("ctrl+t", "change_theme", N_("Change theme"), id="app.theme", show=False),
        Binding("question_mark", "help", N_("Keys"), id="app.help"),
        Binding("q", "quit", N_("Quit"), id="app.quit"),
        Binding("ctrl+q", "quit", N_("Quit"), id="app.quit_any", show=False, priority=True),
    ]

    # a var, not a reactive: a reactive repaints the whole screen on each change
    data_version: var[int] = var(0, init=False)
    sync_state: var[SyncState] = var(SyncState(), init=False)
    # bumped when records start or stop being highlighted as just changed in the sheet
    fresh_version: var[int] = var(0, init=False)

    def __init__(self, workspace: Workspace, *, backend=None, autosync: bool = True,
                 clock: Callable[[], datetime] | None = None, language: str | None = None):
        super().__init__()
        self.workspace = workspace
        self.store = workspace.store
        # --lang, else what the palette's switch remembered, else the config (auto: $LANG)
        i18n.use(language or self.store.get_meta("language") or workspace.config.language)
        self.today: date = workspace.today()
        self.rules = workspace.config.rules
        self.autosync = autosync
        self.clock = clock or datetime.now
        self.records = RecordCache(self.store)
        self.data_versions = DataVersions()
        self.counts = SyncCounts(self.store)
        # (tab, record_id) of the change behind the last data_version bump; None = many
        self.last_change: tuple[str, str] | None = None
        self.errors: list[str] = []  # every error reported to the person (tests check it)
        self.startup_seconds: float | None = None
        self.freeze_gc = False  # run_app: fewer, shorter garbage-collector pauses
        self.warm_up = True  # build the inbox and People in the background (warm_up_modes)
        self.modes_opened: set[str] = set()
        self.switching_to_built = False  # see switch_mode
        self.warm_up_waiting = False  # the person was off the board: go on when back
        self.kpis_warm: bool | None = None  # None: not started, False: building
        self.backend = backend
        self.sync_running = False
        self.asking_deletes = False
        self.retry_timer = None
        self.retry = RetryPolicy()
        self.reminders_ran_at: float | None = None  # monotonic time of the last rule run
        self.live: Live | None = None  # the live schedule (start_live), None when not live
        self.fresh: dict[tuple[str, str], float] = {}  # (tab, id) changed in the sheet -> until
        self.live_mark: tuple = ()
        self.register_theme(AMTUI_THEME)
        theme = self.initial_theme()
        if theme != self.theme:
            self.theme = theme
            # the stylesheet is parsed at start with these variables (not the default's)
            self.stylesheet.set_variables(self.get_css_variables())
        self.sync_state = SyncState(last_ok=self.store.last_successful_sync())
        # Textual asked get_driver_class in super().__init__()
        self.tapped_driver = self.driver_class if hasattr(self.driver_class, "tap") else None
        # css_state() the stylesheet was last parsed with; the style_mark() each screen was
        # last styled with; how often the app's own classes changed (focus, dark/light)
        self.css_parsed: tuple | None = None
        self.styled_at: WeakKeyDictionary[Screen, tuple] = WeakKeyDictionary()
        self.app_restyles = 0
        # pushed or switched to, styled as they are: Textual's restyle at resume is skipped
        self.resuming: WeakSet[Screen] = WeakSet()
        self.kept_forms: dict[str, FormScreen] = {}  # open_form: one of each kind
        self.theme_cache: tuple[str, Theme] | None = None
        # (theme name, its CSS variables, the stylesheet parsed with them): the theme
        # highlighted in the palette, parsed in a thread before it is chosen
        self.styles_ready: tuple[str, dict[str, str], Stylesheet] | None = None
        self.styles_timer: Timer | None = None  # the highlight rests, then it is parsed
        # restyle_kept_forms: (the screen on show then, the steps left)
        self.kept_form_restyles: tuple[Screen, Iterator[bool]] | None = None

    @property
    def retry_first(self) -> float:
        """Seconds before the first retry of a failed sync (tests shorten it)."""
        return self.retry.first

    @retry_first.setter
    def retry_first(self, seconds: float) -> None:
        self.retry.reset(seconds)

    # -- start and stop -----------------------------------------------------------------

    def initial_theme(self) -> str:
        remembered = self.store.get_meta("theme")
        for name in (remembered, self.workspace.config.theme, "amtui"):
            if name and name in self.available_themes:
                return name
        return "amtui"

    def on_mount(self) -> None:
        keys = self.workspace.config.keys
        if keys:
            self.set_keymap(keys)
        self.mode_change_signal.subscribe(self, self.mode_opened)
        self.screen_change_signal.subscribe(self, self.board_again)

    def mode_opened(self, mode: str) -> None:
        self.modes_opened.add(mode)

    def on_ready(self) -> None:
        self.modes_opened.add(self.current_mode)
        self.startup_seconds = time.perf_counter() - IMPORTED_AT
        log.info("first frame %.3f s after start", self.startup_seconds)
        if first_frame.state.shown_at is not None:
            log.info("the cached board was on screen %.3f s before the live one",
                     time.perf_counter() - first_frame.state.shown_at)
        self.log.info(f"amtui first frame after {self.startup_seconds:.3f} s")
        self.freeze_garbage()
        # the inbox's records load in the background, so opening it is instant
        self.run_worker(self.preload, thread=True, group="preload", exit_on_error=False)
        interval = self.workspace.config.interval
        if self.autosync:
            self.start_live()
        if self.autosync and interval > 0 and not self.workspace.config.poll_interval > 0:
            # no polling: a full sync every `interval` (0: on ctrl+r and edits only)
            # first sync a moment after the first frame: the board answers keys meanwhile
            self.set_timer(0.5, self.timer_sync)
            self.set_interval(interval, self.timer_sync)

    def get_driver_class(self) -> type[Driver]:
        return tapping(super().get_driver_class())

    async def action_quit(self) -> None:
        # in a worker: switching to the board needs the app's own timers, which wait while
        # an action of the app runs
        self.run_worker(self.leave(), group="quit", exclusive=True)

    async def leave(self) -> None:
        try:
            await self.keep_board_frame()
        finally:
            self.exit()

    async def keep_board_frame(self) -> None:
        """For the next start (``first_frame``): the board as this terminal would show it,
        drawn in full and kept in memory instead of written (the person has left it)."""
        driver = self.tapped_driver
        if driver is None or first_frame.state.key is None or self.sync_running:
            return
        frames: list[str] = []
        driver.tap = frames
        driver.written = written = asyncio.Event()
        try:
            if self.current_mode != "board":
                await self.switch_mode("board")
            if len(self.screen_stack) != 1:  # a form or dialog on the board: not the board
                return
            frames.clear()  # what the switch wrote, if there was one
            written.clear()
            self.screen.refresh()  # the whole screen, not the changes since the last frame
            # a frame is written in one go (Textual's _display): once its first write is
            # here, so is the rest
            await asyncio.wait_for(written.wait(), 1.0)
            first_frame.keep("".join(frames), tuple(self.size))
        except (TimeoutError, ScreenStackError) as err:
            log.info("no board frame kept for the next start: %r", err)
        finally:
            driver.tap = driver.written = None

    def preload(self) -> None:
        """Thread: read the feedback into the cache (the inbox opens from it), and the name
        index every edit validates against (the first card move would build it)."""
        try:
            self.records.load("feedback")
            self.store.refs()
        finally:
            self.store.close()  # this thread's connection

    def watch_theme(self, theme: str) -> None:
        try:
            if self.store.get_meta("theme") != theme:
                self.store.set_meta("theme", theme)
        except (sqlite3.Error, StoreError) as err:  # remembering the theme is not worth a crash
            log.warning("could not remember the theme: %s", err)

    # -- editing (every UI edit goes through here) --------------------------------------

    def edit(self, tab: str, record_id: str, changes: dict[str, str]) -> bool:
        """Change fields of one record; shows why when refused. True when saved."""
        reason, shown = self.attempt_edit(tab, record_id, changes)
        if reason is not None and not shown:
            self.notify(reason, title=_("Not saved"), severity="error", timeout=8)
        return reason is None

    def edit_reason(self, tab: str, record_id: str, changes: dict[str, str]) -> str | None:
        """Change fields of one record; None when saved, else why not, for the caller to
        show where the value was typed (a dialog that stays open)."""
        return self.attempt_edit(tab, record_id, changes)[0]

    def attempt_edit(self, tab: str, record_id: str,
                     changes: dict[str, str]) -> tuple[str | None, bool]:
        """(why not saved or None, whether that was already shown to the person)."""
        try:
            edit = self.store.update(tab, record_id, changes)
        except EditRejected as err:
            return "\n".join(err.reasons), False
        except (UnknownRecord, KeyError) as err:
            return str(err.args[0] if err.args else err), False
        except (sqlite3.Error, StoreError) as err:
            return self.database_trouble(err, N_("saving an edit")), True
        if edit is not None:
            self.changed(tab, record_id)
        return None, False

    def add_record(self, tab: str, values: dict[str, str]) -> str | None:
        """Add a record; returns its ID, or None (with the reasons shown) when refused."""
        try:
            record_id = self.store.add(tab, values)
        except EditRejected as err:
            self.notify("\n".join(err.reasons), title=_("Not saved"), severity="error",
                        timeout=8)
            return None
        except (sqlite3.Error, StoreError) as err:
            self.database_trouble(err, N_("adding a record"))
            return None
        self.changed(tab, record_id)
        return record_id

    def resolve_conflict(self, conflict: dict, choice: str, value: str | None = None) -> bool:
        """Decide a conflict (``sheet``, ``mine`` or ``value``); written at the next sync."""
        try:
            self.store.resolve_conflict(conflict["id"], choice, value)
        except EditRejected as err:
            self.notify("\n".join(err.reasons), title=_("Not resolved"), severity="error")
            return False
        except (KeyError, ValueError) as err:
            self.notify(str(err.args[0] if err.args else err), title=_("Not resolved"),
                        severity="error")
            self.changed()  # someone else decided it: show what is left
            return False
        except (sqlite3.Error, StoreError) as err:
            self.database_trouble(err, N_("resolving a conflict"))
            return False
        self.notify(texts.conflict_settled(conflict["record_id"], choice, value),
                    title=_("Conflict resolved"))
        self.changed(conflict["tab"], conflict["record_id"])
        return True

    def revalidate(self) -> None:
        """Check every record again in a thread (after a fix), so fixed values leave the
        problem list."""
        self.run_worker(self.revalidate_in_thread, thread=True, exit_on_error=False,
                        group="recheck")

    def revalidate_in_thread(self) -> None:
        try:
            self.store.revalidate()
        finally:
            self.store.close()
        self.call_from_thread(self.changed)

    def changed(self, tab: str | None = None, record_id: str | None = None) -> None:
        """Tell every screen the data changed (one record, or anything when no ID)."""
        if tab and record_id:
            self.records.touch(tab, record_id)
            self.last_change = (tab, record_id)
            if self.live is not None:  # a local edit: pushed push_delay after the last one
                self.live.edited(time.monotonic())
        else:
            if tab:
                self.records.invalidate(tab)
            self.last_change = None
        self.data_versions.bump(tab)
        self.data_version += 1

    def versions(self, *tabs: str) -> tuple[int, ...]:
        """A key that changes whenever data of these tabs may have changed: a screen that
        shows only them can skip reloading after edits elsewhere."""
        return self.data_versions.key(*tabs)

    def sync_counts(self) -> tuple[int, int, int]:
        """(pending edits, open conflicts, problems), read once per data version."""
        return self.counts.get(self.data_version)

    def action_undo(self) -> None:
        try:
            edit = self.store.undo()
        except (sqlite3.Error, StoreError) as err:
            self.database_trouble(err, N_("undo"))
            return
        if edit is None:
            self.notify(_(texts.NOTHING_TO_UNDO), title=_("Undo"))
            return
        self.changed(edit.tab, edit.record_id)
        self.notify(texts.describe_undo(edit, self.store), title=_("Undone"))

    def open_record(self, tab: str, record_id: str) -> None:
        """Show a record where it lives: projects on the Board, feedback in the Inbox."""
        mode = {"projects": "board", "feedback": "inbox"}.get(tab)
        if mode is None:
            self.notify(_("{tab} {record_id} has no screen of its own yet.").format(
                tab=schema.tab_label(tab), record_id=record_id))
            return
        # close sync screens and forms stacked on the target mode first
        self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.screen_stack[0].show_record(record_id)

    def form_context(self) -> tuple:
        """What a form's fields are built from besides its subject: the config (headers,
        choices) and the language. A kept form built with another is built again."""
        return (self.workspace.config, self.rules, i18n.current())

    def open_form(self, form: FormScreen, callback=None):
        """Show ``form``. A form of its kind built before and closed since is shown
        instead, filled with ``form``'s subject: ~70 ms instead of ~250 ms to build.

            self.app.open_form(ProjectForm("P-0042"), saved)"""
        key = form.pool_key()
        kept = self.kept_forms.get(key)
        if kept is not None and not self.on_a_stack(kept):
            if kept.built_for == self.form_context():
                kept.take_subject(form)
                return self.push_screen(kept, callback)
            self.uninstall_screen(kept)  # built with another config or language
            kept.remove()
            del self.kept_forms[key]
        if kept is None:
            self.install_screen(form, f"form:{key}")
            self.kept_forms[key] = form
        # else the kept one is open in another mode: this one is built and dropped after
        return self.push_screen(form, callback)

    def on_a_stack(self, screen: Screen) -> bool:
        for mode in self.MODES:
            try:
                if screen in self.get_screen_stack(mode):
                    return True
            except KeyError:  # a mode not opened yet
                continue
        return False

    # -- navigation ---------------------------------------------------------------------

    async def action_switch_mode(self, mode: str) -> None:
        if mode in self.MODES and mode != self.current_mode:
            await self.switch_mode(mode)

    def refresh_css(self, animate: bool = True) -> None:
        """Parse the stylesheet again only when what it depends on changed (theme, style
        files), and restyle only the screens on show that have not seen that state.

        Textual's own refresh re-parses everything (~0.1 s) and restyles every screen of
        every mode (~0.05 s each) on a theme change and again on each mode's first open; a
        screen that is not on show is restyled when it comes back (Textual calls this on
        every switch to a screen that has not seen the latest refresh). A screen mounted
        meanwhile was styled at mount with the rules then current."""
        key = self.css_state()
        stylesheet = self.stylesheet
        if key != self.css_parsed:
            variables = self.get_css_variables()
            ready, self.styles_ready = self.styles_ready, None
            if ready is not None and ready[1] == variables and ready[2].source == stylesheet.source:
                self.stylesheet = stylesheet = ready[2]  # as Textual swaps in its first parse
            else:
                stylesheet.set_variables(variables)
                stylesheet.reparse()
            self.css_parsed = key
            stylesheet.apply(self, animate=animate)
            if self.kept_forms:  # in steps short enough for the new frame to pass between
                self.set_timer(0.1, self.restyle_kept_forms)
        for screen in self.screen_stack:
            if self.styled_at.get(screen, (None,))[0] != key:
                stylesheet.update(screen, animate=animate)
                self.styled_at[screen] = self.style_mark(screen)
                if screen is self.screen and screen.is_mounted:
                    screen.refresh(layout=True)

    def on_command_palette_option_highlighted(self, event: CommandPalette.OptionHighlighted) -> None:
        """A theme highlighted in the theme palette is parsed in a thread once the highlight
        rests: choosing it then only restyles (Textual parses every style file again for a
        new theme, ~0.1 s of the ~0.4 s a theme change took). Arrowing through the list
        starts no parse for each theme passed (15 parses made 15 arrow keys 2.6x slower)."""
        self.stop_styles_timer()
        prompt = event.highlighted_event.option.prompt
        theme = self.get_theme(getattr(prompt, "plain", str(prompt)))
        if theme is None or theme.name == self.theme:
            return
        if self.styles_ready is not None and self.styles_ready[0] == theme.name:
            return
        self.styles_timer = self.set_timer(0.1, partial(self.parse_styles_ahead, theme))

    def stop_styles_timer(self) -> None:
        if self.styles_timer is not None:
            self.styles_timer.stop()
            self.styles_timer = None

    def parse_styles_ahead(self, theme: Theme) -> None:
        self.styles_timer = None
        if theme.name == self.theme:  # chosen meanwhile
            return
        stylesheet = self.stylesheet.copy()  # its sources as of now, taken on this thread
        self.run_worker(partial(self.parse_styles, theme, stylesheet), thread=True,
                        group="styles", exclusive=True, exit_on_error=False)

    def on_command_palette_closed(self, event: CommandPalette.Closed) -> None:
        self.stop_styles_timer()
        if not event.option_selected:
            self.styles_ready = None

    def parse_styles(self, theme: Theme, stylesheet: Stylesheet) -> None:
        """(thread) ``stylesheet`` parsed with ``theme``'s variables, kept in ``styles_ready``
        for ``refresh_css``, which takes it only if the variables and sources still match."""
        # what get_css_variables gives once the theme is chosen (refresh_css compares them)
        variables = {**self.get_theme_variable_defaults(), **theme.to_color_system().generate(),
                     **theme.variables}
        stylesheet.set_variables(variables)
        try:
            stylesheet.parse()
            stylesheet.rules_map  # noqa: B018 - built here rather than at the first restyle
        except Exception as err:  # noqa: BLE001 - the theme change itself will report it
            log.debug("could not parse the styles for theme %s ahead: %r", theme.name, err)
            return
        if not get_current_worker().is_cancelled:  # not an older highlight's parse
            self.styles_ready = (theme.name, variables, stylesheet)  # one assignment: atomic

    def push_screen(self, screen, *args, **kwargs):
        """Textual's ``push_screen``; a new screen, or a kept form that nothing restyled
        since it was last shown, is noted for ``update_styles``."""
        if isinstance(screen, Screen):
            self.note_resuming(screen)
        return super().push_screen(screen, *args, **kwargs)

    def switch_mode(self, mode: str):
        """Textual's ``switch_mode``; the mode's screen, new or unchanged since it was last
        shown, is noted for ``update_styles`` (restyling the board is ~40 ms of a switch).

        Textual holds every update for 50 ms when the mode changes, to hide a screen still
        being built. A mode's screen opened before (or built by the warm-up) is switched
        to whole, at once: it is held for one frame, else the switch waits idle (~30 ms of
        the ~80 ms an Inbox open took)."""
        self.switching_to_built = mode in self.modes_opened
        try:
            switched = super().switch_mode(mode)
        finally:
            self.switching_to_built = False
        self.note_resuming(self.screen)  # its ScreenResume is posted, not handled yet
        return switched

    def delay_update(self, delay: float = 0.05) -> None:
        """Textual's hold of updates for 50 ms (a mode switch, the palette closing on a
        command): one frame for a mode's screen that is built already (``switch_mode``), and
        for the palette until its command has run and one frame more, not a fixed time (a
        theme's restyle is done in ~25 ms)."""
        if self.switching_to_built:
            super().delay_update(FRAME)
        elif isinstance(self.screen, CommandPalette):
            self.hold_until_command_ran()
        else:
            super().delay_update(delay)

    def hold_until_command_ran(self) -> None:
        """No update from now until the command the palette is closing on has run (Textual's
        ``batch_update``, entered and left by hand)."""
        hold = self.batch_update()
        hold.__enter__()

        def release() -> None:
            hold.__exit__(None, None, None)
            if self.screen_stack:
                self.screen.refresh()  # as Textual's hold ends

        # the palette queues its command right after this call: the release goes behind it,
        # one frame later: the widgets the command restyled (a theme) ask for their repaint
        # meanwhile, and one frame shows them all (else a second frame ~30 ms after)
        self.call_later(self.call_later, self.set_timer, FRAME, release)

    def style_mark(self, screen: Screen) -> tuple:
        """What a screen's styles depend on besides its widgets' own state."""
        return (self.css_parsed, self.app_restyles, screen.classes)

    def note_resuming(self, screen: Screen) -> None:
        mark = self.style_mark(screen)
        if not screen.is_mounted or self.styled_at.get(screen) == mark:
            self.resuming.add(screen)
        self.styled_at[screen] = mark  # styled as of now once it resumes

    def restyle_kept_forms(self) -> None:
        """After a theme change, once its frame is out, the kept forms off screen take the
        new styles, a few widgets at a time, while the same screen is on show: a key pressed
        meanwhile waits for one step (~8 ms and a widget), not for a whole form (~100 ms)."""
        if not self.screen_stack:  # the app is closing
            return
        running = self.kept_form_restyles is not None
        self.kept_form_restyles = (self.screen, self.restyle_steps())
        if not running:  # else the running chain of timers goes on with the new steps
            self.restyle_next()

    def restyle_next(self) -> None:
        if self.kept_form_restyles is None:
            return
        screen, steps = self.kept_form_restyles
        # stops once the person opens something (a form left is restyled as it opens), or
        # once the app closes its screens
        stack = self.screen_stack
        if stack and screen is stack[-1] and next(steps, False):
            self.set_timer(0.02, self.restyle_next)
        else:
            self.kept_form_restyles = None

    def restyle_steps(self) -> Iterator[bool]:
        """Steps of ~8 ms: each widget styled as ``Stylesheet.update`` would, each form's
        screen last (styling a screen refreshes every widget in it, ~50 ms)."""
        for form in list(self.kept_forms.values()):
            mark = self.style_mark(form)
            if not form.is_mounted or self.styled_at.get(form) == mark or self.on_a_stack(form):
                continue
            step_ends = time.perf_counter() + 0.008
            for node in [*form.walk_children(), form]:
                if time.perf_counter() > step_ends:
                    yield True
                    if self.style_mark(form) != mark:
                        break  # another change came: the next steps start with it
                    step_ends = time.perf_counter() + 0.008
                self.stylesheet.update_nodes([node], animate=False)
            else:
                self.styled_at[form] = mark

    def update_styles(self, node, animate: bool = True) -> None:
        """Textual's ``update_styles``, without the second styling of a screen that resumes.

        A pushed screen is styled as its widgets mount; when it then resumes, Textual styles
        the whole screen again (a third of opening a form), and again each time a kept form
        or a mode's screen comes back. That pass is skipped when nothing it depends on
        changed since the push or switch (``style_mark``: the stylesheet's state, the app's
        classes, the screen's classes; a widget's own changes, such as focus, restyle that
        widget)."""
        if node is not self and not node.is_attached:
            return  # not in the DOM yet (an input's __init__ sets classes): styled as it mounts
        if isinstance(node, Screen):
            if node in self.resuming:
                self.resuming.discard(node)
                if node.is_mounted and self.styled_at.get(node) == self.style_mark(node):
                    return
        elif node is self:
            self.app_restyles += 1
        super().update_styles(node, animate=animate)

    @property
    def current_theme(self) -> Theme:
        """Textual looks the theme up by name (copying the table of every theme) for each
        widget it styles (the ``:ansi`` check): ~800 times on opening a form."""
        name = self.theme
        cached = self.theme_cache
        if cached is None or cached[0] != name:
            cached = self.theme_cache = (name, super().current_theme)
        return cached[1]

    def register_theme(self, theme: Theme) -> None:
        self.theme_cache = None
        super().register_theme(theme)

    def unregister_theme(self, theme_name: str) -> None:
        self.theme_cache = None
        super().unregister_theme(theme_name)

    def css_state(self) -> tuple:
        """What a full refresh depends on: the theme's variables, its ANSI colours and the
        style files."""
        return (tuple(sorted(self.get_css_variables().items())), self.ansi_theme,
                tuple((where, source.content) for where, source
                      in self.stylesheet.source.items() if not source.is_defaults))

    def action_conflicts(self) -> None:
        from amtui.ui.screens.conflicts import ConflictsScreen

        self.push_once(ConflictsScreen)

    def action_problems(self) -> None:
        from amtui.ui.screens.problems import ProblemsScreen

        self.push_once(ProblemsScreen)

    def action_sync_log(self) -> None:
        from amtui.ui.screens.synclog import SyncLogScreen

        self.push_once(SyncLogScreen)

    def action_alerts(self) -> None:
        from amtui.ui.screens.alerts import AlertsScreen

        self.push_once(AlertsScreen)

    # -- reminders (issue 11) -------------------------------------------------------------

    def reminders_after_sync(self, changed: bool = True) -> None:
        """Worker thread, after a sync: run the rules, deliver what is due (never raises:
        a failed delivery is retried at the next sync), post what is new. Runs when the
        data changed, else at most every REMINDERS_EVERY seconds (time makes things late;
        frequent polls that pull nothing need not re-read every record)."""
        if not self.workspace.config.notify.in_app:
            return
        last = self.reminders_ran_at
        if not changed and last is not None and time.monotonic() - last < REMINDERS_EVERY:
            return
        self.reminders_ran_at = time.monotonic()
        try:
            from amtui.services.notify import run_notify

            result = run_notify(self.workspace)
        except Exception:  # noqa: BLE001 - reminders must never break the sync
            log.warning("reminder rules failed", exc_info=True)
            return
        self.post_message(RemindersFound(result))

    def on_reminders_found(self, message: RemindersFound) -> None:
        from amtui.services.notify import describe, pick_language

        result = message.result
        config = self.workspace.config
        language = pick_language(config)
        if 0 < len(result.new) <= 3:
            for r in result.new:
                self.notify(describe(r, language, config), title=_("Reminder"), severity="warning",
                            timeout=10)
        elif result.new:
            self.notify(_("{n} new reminders. Press A for Alerts.").format(n=len(result.new)),
                        title=_("Reminders"), severity="warning", timeout=10)
        failed = sorted({label for _key, label, _error in result.failed})
        if failed or result.errors:
            self.notify(_("Reminders not delivered to {targets}; retried at a later sync.").format(
                            targets=", ".join(failed + result.errors)), title=_("Reminders"), severity="warning",
                        timeout=10)
        from amtui.ui.screens.alerts import AlertsScreen

        if isinstance(self.screen, AlertsScreen):
            self.screen.reload()

    def push_once(self, screen_type) -> None:
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

    def timer_sync(self) -> None:
        if self.sync_state.retry_at is None:  # a retry is already scheduled
            self.start_sync()

    def start_sync(self, *, allow_deletes: bool | None = None, manual: bool = False,
                   check: bool = False) -> bool:
        """Run one sync in a thread; False when one is already running. ``check``: first ask
        whether the sheet changed (no Sheets request) and sync only then."""
        if self.sync_running:
            if manual:
                self.notify(_("A sync is already running."), title=_("Sync"))
            return False
        if self.retry_timer is not None:
            self.retry_timer.stop()
            self.retry_timer = None
        self.sync_running = True
        if not check:
            self.sync_state = replace(self.sync_state, running=True, phase="starting",
                                      detail="", retry_at=None, fraction=None)
        self.run_worker(partial(self.sync_in_thread, allow_deletes, check), name="sync",
                        group="sync", thread=True, exit_on_error=False)
        return True

    def sync_in_thread(self, allow_deletes: bool | None, check: bool = False) -> None:
        """The worker: never touches widgets, only posts messages."""
        store = self.store
        started = datetime.now().isoformat(timespec="seconds")
        try:
            before = (store.problem_count(), store.conflict_count())
            if self.backend is None:
                self.backend = self.workspace.backend()
            if check and self.workspace.check_due(self.backend) is None:
                self.post_message(LiveChecked())
                return
            report = self.workspace.sync(
                backend=self.backend, allow_deletes=allow_deletes,
                progress=lambda phase, info: self.post_message(SyncProgress(phase, info)))
            counts = report.counts
            after = (store.problem_count(), store.conflict_count())
            changed = bool(counts.get("pulled") or counts.get("conflicts")
                           or counts.get("added") or before != after)
            if changed:  # read the new records here, not in the UI thread
                for tab in self.records.loaded():
                    self.records.load(tab)
            report.fresh = fresh_records(report)
            self.post_message(SyncFinished(report, changed, store.last_successful_sync()))
            self.reminders_after_sync(changed)
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
        fraction, words = progress(message.phase, message.info)
        phase, _sep, detail = words.partition(" ")
        self.sync_state = replace(self.sync_state, running=True, phase=phase, detail=detail,
                                  fraction=fraction, retry_at=None)

    def on_sync_finished(self, message: SyncFinished) -> None:
        self.sync_running = False
        self.retry.reset()
        report = message.report
        if self.live is not None:
            self.live.finished(time.monotonic())
        self.mark_fresh(getattr(report, "fresh", ()))
        trouble, text = "", ""
        if report.not_written:
            trouble, text = "not-written", report.not_written
            self.notify(report.not_written, title=_("Sync: nothing written"), severity="warning",
                        timeout=10)
        self.sync_state = SyncState(trouble=trouble, message=text, last_ok=message.last_ok)
        if message.changed:
            self.changed()
        else:
            self.data_version += 1  # pending counts changed: status bar and screens
        new_conflicts = report.counts.get("conflicts", 0)
        if new_conflicts:
            self.notify(texts.new_conflicts(new_conflicts), title=_("Sync"), severity="warning",
                        timeout=10)
        if report.deletes_blocked:
            self.ask_about_deletes(report.deletes_blocked)

    def ask_about_deletes(self, blocked: dict[str, int]) -> None:
        from amtui.ui.screens.confirm import ConfirmScreen

        if self.asking_deletes:  # the question is on screen already
            return
        self.asking_deletes = True

        def decided(yes: bool | None) -> None:
            self.asking_deletes = False
            if yes:
                self.start_sync(allow_deletes=True, manual=True)
            else:
                self.notify(_(texts.DELETES_KEPT), title=_("Sync"))

        self.push_screen(ConfirmScreen(texts.delete_question(blocked), title=_("Delete rows?"),
                                       yes=_("Delete them"), no=_("Keep them")), decided)

    def on_sync_failed(self, message: SyncFailed) -> None:
        from sync.errors import ACCESS, OFFLINE, RATE_LIMITED, classify, describe_sync_error

        self.sync_running = False
        err = message.error
        if isinstance(err, ConfigError):
            kind, text = ACCESS, str(err)
        else:
            kind = classify(err)
            text, _code = describe_sync_error(err)
        log.warning("sync failed (%s): %s", kind, text)
        retry_at = None
        if self.live is not None:  # the live schedule backs off and keeps queued edits
            delay = self.live.failed(kind, time.monotonic(),
                                     retry=kind in (OFFLINE, RATE_LIMITED))
            retry_at = self.live.retry_at if delay is not None else None
        elif kind in (OFFLINE, RATE_LIMITED) and self.autosync:
            delay = self.retry.next_delay()
            retry_at = time.monotonic() + delay
            self.retry_timer = self.set_timer(delay, self.retry_sync)
        previous = self.sync_state
        self.sync_state = SyncState(trouble=kind, message=text, retry_at=retry_at,
                                    last_ok=previous.last_ok)
        if kind not in (OFFLINE, RATE_LIMITED) or previous.trouble != kind:
            # say it once; the status bar keeps saying it while it lasts
            self.notify(text, title=_("Sync failed"),
                        severity="warning" if kind in (OFFLINE, RATE_LIMITED) else "error",
                        timeout=10)
        self.data_version += 1

    def retry_sync(self) -> None:
        self.retry_timer = None
        self.start_sync()

    # -- live: poll the sheet's version, push edits as they happen (amtui.services.live) --

    def start_live(self) -> None:
        config = self.workspace.config
        self.live = Live(LivePolicy(poll_interval=config.poll_interval,
                                    push_delay=config.push_delay,
                                    retry_first=self.retry_first),
                         now=time.monotonic())
        self.set_interval(LIVE_TICK, self.live_tick)

    def live_tick(self) -> None:
        live = self.live
        if live is None:
            return
        now = time.monotonic()
        mark = self.activity_mark()
        if mark != self.live_mark:
            self.live_mark = mark
            live.active(now)
        action = None if self.sync_running or self.asking_deletes else live.due(now)
        if action is not None:
            live.started(action, now)
            self.start_sync(check=action == CHECK)
        if self.fresh and min(self.fresh.values()) < now:
            self.fresh = {k: t for k, t in self.fresh.items() if t >= now}
            self.fresh_version += 1  # the highlight ends

    def on_live_checked(self, _message: LiveChecked) -> None:
        self.sync_running = False
        if self.live is not None:
            self.live.finished(time.monotonic())
        if self.sync_state.trouble:
            self.sync_state = SyncState(last_ok=self.sync_state.last_ok)

    def live_status(self) -> str:
        """``live`` / ``checked 3 min ago`` for the status bar ("" when not live)."""
        return self.live.status(time.monotonic()) if self.live is not None else ""

    def mark_fresh(self, keys) -> None:
        """Highlight records a sync brought from the sheet for a moment. The hook for
        screens: ask ``is_fresh(tab, record_id)`` when drawing a card or row, and redraw when
        ``fresh_version`` changes (the board's cards and the inbox's rows do)."""
        until = time.monotonic() + FRESH_SECONDS
        for key in keys:
            self.fresh[key] = until
        if keys:
            self.fresh_version += 1

    def is_fresh(self, tab: str, record_id: str) -> bool:
        until = self.fresh.get((tab, record_id))
        return until is not None and until >= time.monotonic()

    def activity_mark(self) -> tuple:
        """What moves when a person uses the app (screen, focus, cursor, typed text): a
        change between two ticks means someone is here (polling stays at full speed)."""
        try:
            screen = self.screen
        except ScreenStackError:  # starting or closing
            return ()
        focused = screen.focused
        return (id(screen), id(focused), getattr(focused, "highlighted", None),
                getattr(focused, "cursor_coordinate", None), getattr(focused, "value", None))

    def on_app_focus(self, _event: events.AppFocus) -> None:
        if self.live is not None:
            self.live.focus(True, time.monotonic())

    def on_app_blur(self, _event: events.AppBlur) -> None:
        if self.live is not None:
            self.live.focus(False, time.monotonic())

    # built in the background, in this order, while the person reads the board: switching to
    # a built screen is a repaint (~60-90 ms), building it costs 0.2-0.7 s (the inbox's
    # 20,000 rows, People's lists). Not the standup: opening it starts its timer.
    WARM_UP_MODES = ("inbox", "people")

    async def warm_up_modes(self) -> None:
        """Build the next mode of ``WARM_UP_MODES`` not opened yet: switch to it and back in
        one update, while the board is in front with nothing on it (else when the person
        is back on it: ``board_again``), then the next one after the following frame.
        After the modes: the KPI engine (in a thread), then one form of each kind."""
        if not self.board_in_front():
            self.warm_up_waiting = True
            return
        mode = next((m for m in self.WARM_UP_MODES if m not in self.modes_opened), None)
        if mode is None:
            self.warm_up_next()
            return
        try:
            with self.batch_update():
                await self.switch_mode(mode)
                await self.switch_mode("board")
        except Exception as err:  # noqa: BLE001 - only a speed-up; the switch still works
            log.warning("could not prepare the %s screen: %r", mode, err)
            self.freeze_garbage()
            return
        self.modes_opened.add(mode)
        self.call_after_refresh(self.warm_up_modes)

    def warm_up_next(self) -> None:
        if self.kpis_warm is None:
            # in a thread: the KPI engine KPIs, People's review form and scorecards share
            # (~0.7 s on the large demo, else spent when one of them first opens)
            self.kpis_warm = False
            self.run_worker(self.warm_up_kpis, thread=True, group="warm-kpis",
                            exit_on_error=False)
            return
        if not self.kpis_warm:
            return  # warm_up_kpis calls back
        form = next((f for f in self.forms_to_warm_up() if f.pool_key() not in self.kept_forms),
                    None)
        if form is None:
            self.freeze_garbage()
            log.info("background warm-up done")
            return
        try:
            # pushed and popped at once: the form mounts (and fills) off screen, and keys
            # meanwhile go to the board
            self.open_form(form)
            self.pop_screen()
        except Exception as err:  # noqa: BLE001 - only a speed-up; the form still opens
            log.warning("could not prepare the %s: %r", type(form).__name__, err)
            return
        self.call_after_refresh(self.warm_up_modes)

    def forms_to_warm_up(self) -> Iterator[FormScreen]:
        """One form of each kind, about the first project, feedback item and manager."""
        from amtui.ui.screens.development_form import DevelopmentForm
        from amtui.ui.screens.feedback_form import FeedbackForm
        from amtui.ui.screens.project_form import ProjectForm
        from amtui.ui.screens.review_form import ReviewForm

        # about a project and a feedback item that exist: an edit is the commonest open, and
        # finds the form laid out as it was (a new one shows "required" under the name, and
        # a form whose height changes lays out twice, in two frames)
        project = next(iter(self.records.get("projects")), None)
        yield ProjectForm(project) if project else ProjectForm(None, stage=self.rules.stages[0])
        feedback = next(iter(self.records.get("feedback")), None)
        yield FeedbackForm(feedback) if feedback else FeedbackForm(None, today=self.today)
        manager = next(iter(self.records.get("managers")), None)
        if manager is not None:
            yield ReviewForm(manager)
            yield DevelopmentForm(manager)

    def board_in_front(self) -> bool:
        return self.current_mode == "board" and len(self.screen_stack) == 1

    def board_again(self, _screen: Screen) -> None:
        """A screen changed: a warm-up that waited goes on once the board is in front."""
        if self.warm_up_waiting and self.board_in_front():
            self.warm_up_waiting = False
            self.call_after_refresh(self.warm_up_modes)

    def warm_up_kpis(self) -> None:
        """Thread: build the KPI data now (see warm_up_modes)."""
        from amtui.services.kpis import kpi_data

        load_then(self, kpi_data, self.warm_up_kpis_done)

    def warm_up_kpis_done(self) -> None:
        self.kpis_warm = True
        self.call_after_refresh(self.warm_up_modes)

    def freeze_garbage(self) -> None:
        # What is loaded now lives as long as the app: keep the collector from walking it
        # again and again (each full pass over 25,000 records is a visible pause).
        if self.freeze_gc:
            gc.freeze()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for errors that escaped a worker."""
        if event.state == WorkerState.SUCCESS and event.worker.group == "preload":
            if self.warm_up:
                self.call_after_refresh(self.warm_up_modes)
            else:
                self.freeze_garbage()
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            if event.worker.group == "sync":
                self.sync_running = False
            self.report_error(event.worker.error, context=_("background task {name}").format(
                name=event.worker.name))

    def uses_google(self) -> bool:
        backend = self.backend
        if backend is not None:
            return hasattr(backend, "url")
        return self.workspace.config.backend == "google"

    def sheet_label(self) -> str:
        """The sheet's name for the status bar: the workbook file or the spreadsheet title."""
        backend = self.backend
        if self.uses_google():
            return getattr(backend, "name", "") or _("Google Sheet")
        return Path(self.workspace.config.spreadsheet).name

    def backend_for_links(self):
        """The sheet backend (for links to cells); created on first use."""
        if self.backend is None:
            self.backend = self.workspace.backend()
        return self.backend

    # -- errors -------------------------------------------------------------------------

    def database_trouble(self, err: BaseException, context: str) -> str:
        """Show a database error (read-only, busy, other) with its fix; returns the text.
        The edit that failed stays where it was typed."""
        text = store_error_text(err, self.store.path)
        if text is None:
            self.report_error(err, context=context)
            return f"{type(err).__name__}: {err}"
        self.errors.append(f"{context}: {type(err).__name__}: {err}")
        log.error("error in %s: %r", context, err)
        self.notify(text, title=_("Not saved"), severity="error", timeout=15)
        return text

    def report_error(self, err: BaseException, context: str = "") -> None:
        """Show an error to the person (and log it) instead of ending the app."""
        self.errors.append(f"{context}: {type(err).__name__}: {err}")
        log.error("error in %s: %r", context, err, exc_info=err)
        text = store_error_text(err, self.store.path) or f"{type(err).__name__}: {err}"
        self.notify(text + ("\n" + _("(while {context})").format(context=_(context)) if context else ""),
                    title=_("Something went wrong"), severity="error", timeout=10)

    def action_change_theme(self) -> None:
        self.search_themes()

    def get_system_commands(self, screen):
        """Textual's own palette commands (Theme, Quit, Keys, ...) in the UI's language;
        a command this list does not know passes through as Textual names it."""
        for command in super().get_system_commands(screen):
            if command.title in SYSTEM_COMMANDS:
                command = SystemCommand(_(command.title), _(command.help), command.callback,
                                        command.discover)
            yield command

    # -- language -----------------------------------------------------------------------

    async def action_switch_language(self, language: str = "") -> None:
        """English <-> 简体中文 at once: every mode's screen is built again in the new
        language (filters and cursors start fresh), and the choice is remembered."""
        language = i18n.use(language or ("en" if i18n.is_chinese() else "zh-CN"))
        try:
            self.store.set_meta("language", language)
        except (sqlite3.Error, StoreError) as err:  # like the theme: not worth a crash
            log.warning("could not remember the language: %s", err)
        await self.rebuild_modes()
        self.notify(_("Language: English") if language == "en" else _("Language: 简体中文"))

    async def rebuild_modes(self) -> None:
        """Throw away every mode's screens and build them again (the current one through
        another mode, since Textual cannot remove the mode in use)."""
        current = self.current_mode
        for mode in [m for m in self.MODES if m != current]:
            await self.remove_mode(mode)
            self.add_mode(mode, type(self).MODES[mode])
            self.modes_opened.discard(mode)  # to be built again (switch_mode, warm-up)
        spare = next(m for m in self.MODES if m != current)
        await self.switch_mode(spare)
        await self.remove_mode(current)
        self.add_mode(current, type(self).MODES[current])
        self.modes_opened.discard(current)
        await self.switch_mode(current)
        if self.warm_up:
            self.call_after_refresh(self.warm_up_modes)
        # dialogs stacked on the old screens went with them: a delete question that was
        # open is asked again by the next sync
        self.asking_deletes = False


def store_error_text(err: BaseException, path: Path) -> str | None:
    """A database error a person can fix, in words with the fix; None for others."""
    message = str(err)
    if isinstance(err, StoreReadOnly):  # its message names the file and the fix
        return _("{message} A form keeps what you typed: save again.").format(message=message)
    if isinstance(err, sqlite3.OperationalError) and "readonly" in message:
        return _("The local database {path} is read-only: nothing was saved (a form keeps "
                 "what you typed). Fix: make the file and its folder writable "
                 "(chmod u+w {path}), or move the workspace to a folder you may write to; "
                 "then save again.").format(path=path)
    if isinstance(err, sqlite3.OperationalError) and "locked" in message:
        return _("The local database is busy (another amtui or a sync is writing). "
                 "Try again in a moment.")
    return None


def fresh_records(report) -> set[tuple[str, str]]:
    """(tab, record ID) of the records a sync changed from the sheet."""
    keys = set()
    for plan in report.plans:
        tab = plan.spec.key
        keys |= {(tab, record_id) for record_id, *_rest in plan.pulls}
        keys |= {(tab, record.get(plan.spec.id_key, "")) for record in plan.inserts}
    return keys


def _log_to_file(folder: Path) -> None:
    handler = logging.FileHandler(folder / "amtui.log", encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def tapping(base: type[Driver]) -> type[Driver]:
    """Textual's driver for this terminal, whose writes can go to a list instead (``tap``):
    the board frame kept at quit for the next start."""

    class TappedDriver(base):
        tap: list[str] | None = None
        written: asyncio.Event | None = None  # set by the first write to the tap

        def start_application_mode(self) -> None:
            super().start_application_mode()
            first_frame.state.app_started = True  # Textual gives the screen back at exit

        def write(self, data: str) -> None:
            tap = TappedDriver.tap
            if tap is not None:
                tap.append(data)
                if TappedDriver.written is not None:
                    TappedDriver.written.set()
                return
            super().write(data)

    return TappedDriver


def run_app(workspace: Workspace, language: str | None = None) -> int:
    """Run the app on a workspace; returns the exit code for the command line."""
    try:
        _log_to_file(workspace.config.folder)
    except OSError:
        pass
    app = AmtuiApp(workspace, language=language)
    app.freeze_gc = True
    app.run()
    if first_frame.state.frame is not None:
        workspace.store.close()
        db = workspace.store.path
        wal = db.with_name(db.name + "-wal")
        # a connection left open would change the file when it closes: no frame then
        if wal.exists():
            log.info("no board frame kept: a connection to the database is still open")
        elif first_frame.save([workspace.config.path, db, wal]):
            log.info("board frame kept for the next start")
    return app.return_code or 0
