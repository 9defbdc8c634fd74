"""The status bar at the top of every mode screen: mode tabs (clickable), workspace and
sheet, last successful sync, pending edits, conflicts, problems and the sync's state.

Every screen yields it from ``compose``::

    from amtui.ui.widgets.status import status_bar

    def compose(self):
        yield status_bar()
        ...
"""

from __future__ import annotations

import time
from datetime import datetime

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from amtui.domain.i18n import N_, _, ngettext
from amtui.domain.text import clip
from amtui.services.live import bar
from amtui.ui.protocol import MODES
from amtui.ui.widgets.updates import update_if_changed

DEMO_TEXT = N_("Demo data — connect your sheet: see README / config.example.toml")
# the sync's phases as the status bar names them (amtui.services.live.PHASES)
PHASE_WORDS = (N_("starting"), N_("reading"), N_("reconciling"), N_("writing"), N_("saving"))


def status_bar() -> StatusBar:
    """The status bar for a screen's ``compose``."""
    return StatusBar()


def age_text(last_ok: str | None, now: datetime, *, precise: bool = False) -> str:
    """``synced just now`` / ``synced 5 min ago`` / ``not synced yet``. ``precise``: while
    syncs fail, the first minute counts in seconds too (``synced 40 s ago``), so "just now"
    never stands for a sync that is long past."""
    if not last_ok:
        return _("not synced yet")
    try:
        seconds = (now - datetime.fromisoformat(last_ok)).total_seconds()
    except ValueError:
        return _("synced ?")
    if precise and 10 <= seconds < 60:
        return _("synced {n} s ago").format(n=int(seconds))
    if seconds < 60:
        return _("synced just now")
    if seconds < 3600:
        return _("synced {n} min ago").format(n=int(seconds // 60))
    if seconds < 86400:
        return _("synced {n} h ago").format(n=int(seconds // 3600))
    return _("synced {n} d ago").format(n=int(seconds // 86400))


COMPACT_BELOW = 160
NARROW = 100


class ModeTabs(Static):
    """``1 Board  2 Inbox ...``: the current mode highlighted, each tab clickable."""

    def on_mount(self) -> None:
        self.app.mode_change_signal.subscribe(self, lambda _mode: self.show())
        self.watch(self.app, "sync_state", lambda _s: self.show(), init=False)
        self.show()

    def show(self) -> None:
        app = self.app
        current = app.current_mode
        # the other tabs fold to their keys on narrow terminals, and below COMPACT_BELOW
        # columns while a sync problem is shown, so the counts (and the problem) stay in
        # view (`?` lists the modes)
        width = app.size.width
        compact = width < NARROW or (bool(app.sync_state.trouble) and width < COMPACT_BELOW)
        parts: list = []
        for n, (mode, label, _module, _name) in enumerate(MODES, start=1):
            style = "bold reverse $primary" if mode == current else "$text-muted"
            # one space between tabs: six tabs leave room for the sheet name at 120 columns
            label = _(label)
            if mode == current:
                text = f" {n} {label} "
            else:
                text = f" {n}" if compact else f" {n} {label}"
            parts += [(text, f"{style} @click=app.switch_mode('{mode}')")]
        parts.append(" ")
        tabs = Content.assemble(*parts)
        shown = self.content
        # another mode highlighted, the same width: no layout
        update_if_changed(self, tabs, layout=not isinstance(shown, Content)
                          or tabs.cell_length != shown.cell_length)


class SyncStatus(Static):
    """Right side of the bar: where, when, how many, and the sync's state."""

    def on_mount(self) -> None:
        self.watch(self.app, "sync_state", lambda _s: self.show(), init=False)
        self.watch(self.app, "data_version", lambda _v: self.show(), init=False)
        # repaint what changed while another mode or screen was showing
        self.app.screen_change_signal.subscribe(self, lambda _screen: self.show())
        if self.app.autosync:
            # ages and "retrying in 20 s" count down; tests pin the clock and do not tick
            self.set_interval(1.0, self.show)
        self.show()

    def on_resize(self) -> None:
        self.show()

    def show(self) -> None:
        if not self.is_attached or self.screen not in self.app.screen_stack:
            return  # another mode is showing: repainted when it comes back
        app = self.app
        state = app.sync_state
        pending, conflicts, problems = app.sync_counts()
        name = app.workspace.config.name
        name = clip(name, 14)  # in cells: a Chinese name is cut between characters
        sep = ("  ", "")
        # most important first: the bar is cut at its right end when narrow
        parts: list = [(ngettext("{n} conflict", "{n} conflicts", conflicts).format(n=conflicts),
                   ("bold $error" if conflicts else "$text-muted") + " @click=app.conflicts"),
                  sep,
                  (ngettext("{n} problem", "{n} problems", problems).format(n=problems),
                   ("$warning" if problems else "$text-muted") + " @click=app.problems"),
                  sep,
                  (_("{n} pending").format(n=pending), "$warning" if pending else "$text-muted"), sep,
                  self.live_part() or (age_text(state.last_ok, app.clock(),
                                                precise=bool(state.trouble)),
                                       "@click=app.sync_log"), sep,
                  # a demo's name is on its banner line
                  (app.sheet_label() if app.workspace.config.demo
                   else f"{name} · {app.sheet_label()}", "$text-muted")]
        state_text, state_style = self.state_part(state)
        if state_text:
            # the sentence yields: the counts always stay in view (a long
            # error message is in the notification and the sync log)
            room = self.content_size.width or self.size.width
            keep = cell_len("".join(p[0] for p in parts[:5]))  # the three counts
            state_text = clip(state_text, max(room - keep - 4, 12))
            parts = [(state_text, state_style + " @click=app.sync_log"), sep, *parts]
        # the clock ticks every second; one line, fixed width
        update_if_changed(self, Content.assemble(*parts), layout=False)

    def live_part(self) -> tuple[str, str] | None:
        """``● live`` while the sheet is checked every few seconds, else the last check's
        age (None when the app is not live: the last sync's age shows instead)."""
        text = self.app.live_status()
        # the live schedule's words come translated (services/live.py)
        if text == _("live"):
            return "● " + text, "$success @click=app.sync_log"
        return (text, "@click=app.sync_log") if text else None

    @staticmethod
    def state_part(state) -> tuple[str, str]:
        if state.running:
            phase = _(state.phase or "starting")
            fraction = getattr(state, "fraction", None)
            head = f"⟳ {bar(fraction, 8)} " if fraction is not None else "⟳ " + _("syncing: ")
            return (head + phase + (f" {state.detail}" if state.detail else "")
                    + "…", "$accent")
        retry = ""
        if state.retry_at is not None:
            seconds = max(0, round(state.retry_at - time.monotonic()))
            retry = " — " + _("retrying in {n} s").format(n=seconds)
        if state.trouble == "offline":
            return "⚠ " + _("offline") + retry, "bold $warning"
        if state.trouble == "rate-limited":
            return "⚠ " + _("rate-limited") + retry, "bold $warning"
        if state.trouble == "not-written":
            return "⚠ " + _("not written: {reason}").format(reason=state.message), "bold $warning"
        if state.trouble == "access":
            return ("✗ " + _("no access to the sheet: {reason}").format(reason=state.message),
                    "bold $error")
        if state.trouble:
            return "✗ " + _("sync failed: {reason}").format(reason=state.message), "bold $error"
        return "", ""


class StatusBar(Widget):
    """Docked at the top of the screen; two lines in a demo workspace."""

    def compose(self) -> ComposeResult:
        config = self.app.workspace.config
        if getattr(config, "demo", False):
            yield Static(Content.assemble((_(DEMO_TEXT), "bold"), (f"   ·   {config.name}", "")),
                         id="demo-banner")
        with Horizontal(id="status-line"):
            yield ModeTabs(id="mode-tabs")
            yield SyncStatus(id="sync-status")

    def on_resize(self) -> None:
        # the tabs are as wide as their text: only the bar sees the terminal narrow
        self.query_one(ModeTabs).show()
