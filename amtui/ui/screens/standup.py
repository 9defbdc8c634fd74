"""Standup: walk the team one manager at a time, with a per-person timer and a note field.

The content is :func:`amtui.domain.standup.build_standup` fed with the store's events since
the chosen day (local edits and what each sync observed in the sheet), the same as
``amtui standup``. A note is saved as an Updates row (date, manager, note) and synced.

The timer counts with ``clock`` (``time.monotonic`` unless a test injects one) on every
``tick`` while the standup is on screen; tests call :meth:`StandupScreen.advance` or freeze
it with ``pause_timer``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from amtui.domain.i18n import N_, _, date_text, ngettext, weekday_text
from amtui.domain.standup import (
    SECTIONS,
    ManagerStandup,
    build_standup,
    next_working_day,
    previous_working_day,
    section_title,
)
from amtui.services.kpis import cached_records, records_for
from amtui.ui.screens.common import DataScreen, guarded, load_then
from amtui.ui.widgets.keybar import KeyBar
from amtui.ui.widgets.kpi_cells import status_style
from amtui.ui.widgets.status import status_bar
from amtui.ui.widgets.tables import enter_does

# Which tab a section's record IDs point into (enter opens them on the Board or in the Inbox).
SECTION_TAB = {"changes": "projects", "due_soon": "projects", "overdue": "projects",
               "blocked": "projects", "new_feedback": "feedback",
               "resolved_feedback": "feedback", "complaints": "feedback"}


ManagerPicker = enter_does(OptionList, N_("Go to manager"), "standup.go_to")
StandupItems = enter_does(OptionList, N_("Open in Board/Inbox"), "standup.open_item")


def day_label(day: date) -> str:
    """``Thu 2026-12-03`` / ``周四 2026年12月3日``."""
    return f"{weekday_text(day)} {date_text(day)}"


def clock_text(seconds: float) -> str:
    seconds = int(abs(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class StandupScreen(DataScreen):
    """One manager at a time: what changed since the last working day, what is due, overdue
    and blocked, open complaints; a note per manager; a timer per person."""

    CSS_PATH = "standup.tcss"
    BINDINGS = [
        Binding("n", "next_manager", N_("Next manager"), id="standup.next"),
        Binding("p", "prev_manager", N_("Previous"), id="standup.prev"),
        Binding("m", "pick_manager", N_("Pick manager"), id="standup.pick"),
        Binding("i", "write_note", N_("Write note"), id="standup.note"),
        Binding("left_square_bracket", "since_earlier", N_("Since earlier"),
                id="standup.since_earlier"),
        Binding("right_square_bracket", "since_later", N_("Since later"),
                id="standup.since_later"),
        Binding("t", "toggle_timer", N_("Pause/resume timer"), id="standup.timer"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.since: date | None = None
        self.standups: list[ManagerStandup] = []
        self.index = 0
        self.current_id: str | None = None
        # the timer: seconds spent per manager, counted between ticks while running
        self.clock: Callable[[], float] = time.monotonic
        self.elapsed: dict[str, float] = {}
        self.timer_running = True
        self.last_tick: float | None = None
        self.noted: set[str] = set()  # managers with a note saved in this standup
        self.visited: set[str] = set()
        self.listed: list[str] = []  # manager IDs in the list, to redraw only what changed
        self.listed_index = 0

    def compose(self) -> ComposeResult:
        yield status_bar()
        with Horizontal(id="standup-top"):
            yield Static("", id="standup-title")
            yield Static("", id="standup-timer")
        with Horizontal(id="standup-body"):
            yield ManagerPicker(id="standup-managers")
            with Vertical(id="standup-main"):
                yield Static("", id="standup-summary")
                yield StandupItems(id="standup-items")
                with Horizontal(id="note-row"):
                    yield Label(_("Note"), id="note-label")
                    yield Input(id="standup-note", compact=True,
                                placeholder=_("what they said; enter saves it as an Updates "
                                              "row"))
        yield KeyBar()

    def on_mount(self) -> None:
        # DataScreen.on_mount (called too) reloads on new data; the first reload comes when
        # the screen is shown.
        self.since = previous_working_day(self.app.today)
        self.last_tick = self.clock()
        self.set_interval(1.0, self.tick)
        self.query_one("#standup-items", OptionList).focus()

    @property
    def minutes(self) -> float:
        return self.app.workspace.config.standup_minutes  # the config checks it is > 0

    # -- loading ---------------------------------------------------------------------------

    def reload(self, full: bool = False) -> None:
        """Rebuild the standups (a note saved, a sync pulled changes) and keep the person."""
        if self.since is None:
            return
        records = cached_records(self.app)
        if records is None:
            self.query_one("#standup-summary", Static).update(
                _("Reading the team's records…"))
            self.load_in_background()
            return
        self.build_view(records)

    @work(thread=True, exclusive=True, group="standup-load")
    def load_in_background(self) -> None:
        load_then(self.app, records_for, self.reload)

    def build_view(self, records: dict[str, list[dict]]) -> None:
        assert self.since is not None
        store = self.app.store
        events = store.events(self.since.isoformat())
        self.standups = build_standup(records, events, today=self.app.today, since=self.since)
        ids = [s.manager_id for s in self.standups]
        if self.current_id in ids:
            self.index = ids.index(self.current_id)
        else:
            self.index = min(self.index, max(len(ids) - 1, 0))
        self.show_manager(keep_cursor=True)

    # -- drawing ---------------------------------------------------------------------------

    @property
    def current(self) -> ManagerStandup | None:
        return self.standups[self.index] if 0 <= self.index < len(self.standups) else None

    def show_manager(self, *, keep_cursor: bool = False) -> None:
        standup = self.current
        self.current_id = standup.manager_id if standup else None
        if standup is not None:
            self.visited.add(standup.manager_id)
        self.fill_managers()
        self.fill_title()
        items = self.query_one("#standup-items", OptionList)
        keep = items.highlighted if keep_cursor else None
        items.clear_options()
        summary = self.query_one("#standup-summary", Static)
        if standup is None:
            summary.update(_("No managers to walk through: every manager has Status Left, or "
                             "the Managers tab is empty."))
            self.show_timer()
            return
        items.add_options(self.item_options(standup))
        first = next((i for i in range(items.option_count)
                      if not items.get_option_at_index(i).disabled), None)
        if keep is not None and keep < items.option_count:
            items.highlighted = keep
        elif first is not None:
            items.highlighted = first
        summary.update(self.summary_text(standup))
        note = self.query_one("#standup-note", Input)
        note.placeholder = _("what {name} said; enter saves it as an Updates row").format(
            name=standup.manager_name)
        self.show_timer()

    def item_options(self, standup: ManagerStandup) -> list[Option]:
        options: list[Option] = []
        n = 0
        if not (standup.changes or standup.new_feedback or standup.resolved_feedback):
            options.append(Option(Text(_("Nothing new since {day}").format(
                day=day_label(self.since)), style="dim"), disabled=True))
        for key, _title in SECTIONS:
            items = getattr(standup, key)
            if not items:
                continue
            options.append(Option(Text(f"{section_title(key)} ({len(items)})", style="bold"),
                                  disabled=True))
            for item in items:
                n += 1
                options.append(Option(Text.assemble(
                    "  ", (f"{item.record_id} ", "dim"), item.text),
                    id=f"{SECTION_TAB[key]}|{item.record_id}|{n}"))
        if standup.latest_note is not None:
            options.append(Option(Text(section_title("latest_note"), style="bold"),
                                  disabled=True))
            n += 1
            note = standup.latest_note
            options.append(Option(Text.assemble("  ", (f"{note.record_id} ", "dim"), note.text),
                                  id=f"updates|{note.record_id}|{n}"))
        return options

    def summary_text(self, standup: ManagerStandup) -> Text:
        """``Li Wei  3 changes · 1 overdue · 2 blocked``: what to expect, bad news coloured."""
        def count(n: int, text: str, bad: bool = False) -> tuple[int, str, bool]:
            return n, text.format(n=n), bad

        c = standup
        counts = [
            count(len(c.changes), ngettext("{n} change", "{n} changes", len(c.changes))),
            count(len(c.new_feedback), ngettext("{n} new feedback", "{n} new feedback",
                                                len(c.new_feedback))),
            count(len(c.resolved_feedback), ngettext("{n} resolved", "{n} resolved",
                                                     len(c.resolved_feedback))),
            count(len(c.due_soon), ngettext("{n} due soon", "{n} due soon", len(c.due_soon))),
            count(len(c.overdue), _("{n} overdue"), True),
            count(len(c.blocked), _("{n} blocked"), True),
            count(len(c.complaints), ngettext("{n} open complaint", "{n} open complaints",
                                              len(c.complaints)), True),
        ]
        bad = status_style(self.app, "off track")
        parts: list = []
        for n, text, is_bad in counts:
            if n:
                parts += [(text, bad if is_bad else ""), " · "]
        if not parts:
            parts = [(_("nothing to bring up"), "dim"), " · "]
        return Text.assemble((standup.manager_name, "bold"), "  ", *parts[:-1])

    def manager_prompt(self, n: int, standup: ManagerStandup) -> Text:
        mark = "✓" if standup.manager_id in self.noted else (
            "·" if standup.manager_id in self.visited else " ")
        spent = self.elapsed.get(standup.manager_id, 0.0)
        return Text.assemble(
            f"{mark} ", (standup.manager_name, "bold" if n == self.index else ""),
            (f"  {clock_text(spent)}" if spent >= 1 else "", "dim"))

    def fill_managers(self) -> None:
        """The list of managers with ✓ (note saved) and · (seen). When only the person
        changed, just the two rows are redrawn: stepping must stay instant on 50 people."""
        widget = self.query_one("#standup-managers", OptionList)
        ids = [s.manager_id for s in self.standups]
        if self.listed == ids:
            for n in {self.listed_index, self.index}:
                if 0 <= n < len(ids):
                    widget.replace_option_prompt_at_index(
                        n, self.manager_prompt(n, self.standups[n]))
        else:
            widget.clear_options()
            widget.add_options([Option(self.manager_prompt(n, s), id=s.manager_id)
                                for n, s in enumerate(self.standups)])
            self.listed = ids
        self.listed_index = self.index
        if self.standups:
            widget.highlighted = self.index

    def fill_title(self) -> None:
        assert self.since is not None
        today = self.app.today
        total = len(self.standups)
        position = (_("{n} of {total}").format(n=self.index + 1, total=total) if total
                    else _("nobody"))
        self.query_one("#standup-title", Static).update(Text.assemble(
            (_("Standup") + " ", "bold"), f"{day_label(today)}  ·  " + _("changes since") + " ",
            (day_label(self.since), "bold"), f"  ·  {position}"))

    # -- the timer -------------------------------------------------------------------------

    def tick(self) -> None:
        """Count the time since the last tick for the current manager (set_interval calls
        this every second)."""
        now = self.clock()
        # counts while the standup is on screen (a form over it too), not while the lead
        # is on another mode
        if (self.timer_running and self.current_id is not None
                and self.last_tick is not None and self.is_active):
            self.elapsed[self.current_id] = (self.elapsed.get(self.current_id, 0.0)
                                             + max(0.0, now - self.last_tick))
        self.last_tick = now
        self.show_timer()

    def advance(self, seconds: float) -> None:
        """Add time to the current manager without waiting (tests, demos)."""
        if self.current_id is not None:
            self.elapsed[self.current_id] = self.elapsed.get(self.current_id, 0.0) + seconds
        self.show_timer()

    def pause_timer(self) -> None:
        self.tick()
        self.timer_running = False
        self.show_timer()

    def resume_timer(self) -> None:
        self.last_tick = self.clock()
        self.timer_running = True
        self.show_timer()

    @property
    def time_left(self) -> float:
        spent = self.elapsed.get(self.current_id or "", 0.0)
        return self.minutes * 60 - spent

    def show_timer(self) -> None:
        widget = self.query_one("#standup-timer", Static)
        left = self.time_left
        over = left <= 0
        paused = "" if self.timer_running else " " + _("(paused)")
        if over:
            text = "⏱ " + _("time's up +{time}").format(time=clock_text(left)) + paused
        else:
            text = "⏱ " + _("{time} left").format(time=clock_text(left)) + paused
        widget.update(text)
        widget.set_class(over, "-over")

    @guarded
    def action_toggle_timer(self) -> None:
        if self.timer_running:
            self.pause_timer()
        else:
            self.resume_timer()

    # -- moving between managers -----------------------------------------------------------

    @guarded
    def go_to(self, index: int) -> None:
        if not self.standups:
            return
        self.tick()  # credit the time so far to the person we leave
        self.index = max(0, min(index, len(self.standups) - 1))
        self.show_manager()

    @guarded
    def action_next_manager(self) -> None:
        if self.index >= len(self.standups) - 1:
            spent = sum(self.elapsed.values())
            self.notify(_("That was everyone: {n} managers in {time}, {notes} notes saved.")
                        .format(n=len(self.standups), time=clock_text(spent),
                                notes=len(self.noted)),
                        title=_("Standup done"), timeout=6)
            return
        self.go_to(self.index + 1)

    @guarded
    def action_prev_manager(self) -> None:
        if self.index > 0:
            self.go_to(self.index - 1)

    @guarded
    def action_pick_manager(self) -> None:
        self.query_one("#standup-managers", OptionList).focus()

    @on(OptionList.OptionSelected, "#standup-managers")
    def manager_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.go_to(event.option_index)
        self.query_one("#standup-items", OptionList).focus()

    @guarded
    def action_since_earlier(self) -> None:
        if self.since is not None:
            self.since = previous_working_day(self.since)
            self.reload()

    @guarded
    def action_since_later(self) -> None:
        if self.since is not None and self.since < self.app.today:
            self.since = min(next_working_day(self.since), self.app.today)
            self.reload()

    # -- items and notes -------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#standup-items")
    def item_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        tab, record_id, _n = str(event.option.id).split("|")
        if tab in ("projects", "feedback"):
            self.app.open_record(tab, record_id)

    @guarded
    def action_write_note(self) -> None:
        self.query_one("#standup-note", Input).focus()

    @on(Input.Submitted, "#standup-note")
    def note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save_note(event.value)

    @guarded
    def save_note(self, text: str) -> str | None:
        """Save a note for the current manager as an Updates row; returns its ID."""
        standup = self.current
        note = text.strip()
        if standup is None or not note:
            return None
        record_id = self.app.add_record("updates", {
            # the ID, not the name: the store writes the name, or the ID when two share it
            "date": self.app.today.isoformat(), "manager": standup.manager_id,
            "note": note,
        })
        if record_id is None:
            return None
        self.noted.add(standup.manager_id)
        self.query_one("#standup-note", Input).value = ""
        self.notify(_("Note for {name} saved ({id}); n for the next manager").format(
            name=standup.manager_name, id=record_id), timeout=4)
        self.fill_managers()
        return record_id

    def on_key(self, event) -> None:
        # escape leaves the note field for the list, so n/p work again
        if event.key == "escape" and self.focused is self.query_one("#standup-note", Input):
            event.stop()
            self.query_one("#standup-items", OptionList).focus()
