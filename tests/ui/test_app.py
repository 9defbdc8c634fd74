"""The app shell: modes, status bar, help, command palette, themes, undo, open_record, the
edit API and refreshing without losing the cursor or an open form."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from textual.color import Color
from textual.command import CommandPalette
from textual.widgets import OptionList

from amtui.ui.app import FRAME
from amtui.ui.commands import screen_commands
from amtui.ui.screens.board import BoardScreen
from amtui.ui.screens.help import HelpScreen, key_table
from amtui.ui.screens.inbox import InboxScreen
from amtui.ui.screens.kpis import KpisScreen
from amtui.ui.screens.people import PeopleScreen
from amtui.ui.screens.project_form import ProjectForm
from amtui.ui.screens.standup import StandupScreen
from amtui.ui.widgets.status import StatusBar, age_text
from tests.ui.conftest import SIZE, make_app, notifications, screen_text, until


async def test_modes_are_one_key_away(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        for key, screen_type in (("2", InboxScreen), ("3", KpisScreen), ("4", PeopleScreen),
                                 ("5", StandupScreen), ("1", BoardScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, screen_type)
        # the status bar: demo banner, sheet, sync age, pending, conflicts, problems
        text = screen_text(app)
        assert "Demo data — connect your sheet: see README / config.example.toml" in text
        assert "team.xlsx" in text and "not synced yet" in text
        assert "0 pending" in text and "0 conflicts" in text and "0 problems" in text
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert "1 pending" in screen_text(app)
        # the mode tabs in the status bar are clickable
        await pilot.click("#mode-tabs", offset=(11, 0))
        await pilot.pause()
        assert app.current_mode == "inbox"
        assert app.screen.query_one(StatusBar)


def test_age_text():
    from datetime import datetime

    now = datetime(2026, 11, 26, 12, 0, 0)
    assert age_text(None, now) == "not synced yet"
    assert age_text("2026-11-26T11:59:30", now) == "synced just now"
    assert age_text("2026-11-26T11:55:00", now) == "synced 5 min ago"
    assert age_text("2026-11-26T09:00:00", now) == "synced 3 h ago"
    assert age_text("2026-11-24T12:00:00", now) == "synced 2 d ago"


async def test_help_lists_the_screens_keys(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = dict(key_table(app.screen))
        board_keys = {description: keys for keys, description, _id in table["This screen"]}
        assert board_keys["Move the card to the next stage"] == "shift+→ / >"
        assert "Filter cards by text" in board_keys
        assert "Filter the board by manager" in board_keys
        everywhere = {description for _k, description, _id in table["Everywhere"]}
        assert {"Sync now", "Undo last edit", "Quit", "Board", "Conflicts"} <= everywhere
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "board.move_next" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("2", "question_mark")
        await pilot.pause()
        assert "Respond" in screen_text(app)


async def test_command_palette_has_every_action(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = {name for name, _keys, _node, _action in screen_commands(app.screen)}
        assert {"Move the card to the next stage", "Move the card to the previous stage",
                "New project in this column", "Toggle blocked (with a blocker note)",
                "Filter cards by text", "Filter the board by manager",
                "Filter the board by client", "Show only overdue or at-risk projects",
                "Open the project form", "Sync now", "Undo last edit", "Inbox", "KPIs",
                "People", "Standup", "Conflicts", "Problems", "Sync log"} <= names
        # run one through the palette as a person would
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"sync log")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "SyncLogScreen"


async def test_theme_is_ours_and_remembered(demo_config):
    app = make_app(demo_config)
    assert app.theme == "amtui" and "amtui" in app.available_themes
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    assert app.store.get_meta("theme") == "nord"
    again = make_app(demo_config)
    assert again.theme == "nord"


async def test_edit_api_refuses_with_reasons(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record = app.store.records("projects")[0]
        version = app.data_version
        assert app.edit("projects", record["id"], {"due": "someday", "progress": "lots"}) is False
        await pilot.pause()
        assert app.data_version == version
        assert any("Due" in n and "Progress" in n for n in notifications(app))
        assert app.store.get("projects", record["id"]) == record
        assert app.edit("projects", record["id"], {"manager": "Nobody Known"}) is False
        assert app.edit("projects", record["id"], {"due": "2026-12-31"}) is True
        assert app.data_version == version + 1
        assert app.add_record("projects", {"project": ""}) is None
        new_id = app.add_record("projects", {"project": "Launch", "stage": "intake"})
        assert app.store.get("projects", new_id)["stage"] == "Intake"

        # an error escaping a worker ends in the one handler: a notification, no crash
        app.run_worker(lambda: 1 / 0, thread=True, exit_on_error=False, name="boom")
        await until(pilot, lambda: app.errors, what="the error report")
        assert any("ZeroDivisionError" in e for e in app.errors)
        assert any("Something went wrong" == n.title for n in app._notifications)
        app.errors.clear()

        # undo works for any screen's edits and names what it undid
        feedback = next(r for r in app.store.records("feedback") if r["status"] == "New")
        app.edit("feedback", feedback["id"], {"status": "Acknowledged"})
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.store.get("feedback", feedback["id"])["status"] == "New"
        assert any(f"Feedback {feedback['id']}" in n and "Status back to New" in n
                   for n in notifications(app))


async def test_refresh_keeps_the_cursor_and_the_open_form(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen
        await pilot.press("l", "j")
        column, record_id = board.current()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        form.query_one("#f-next_step").value = "typing, not saved yet"
        # another record changes behind the scenes (as a sync would do)
        other = next(r for r in app.store.records("projects") if r["id"] != record_id)
        app.store.update("projects", other["id"], {"next_step": "changed elsewhere"})
        app.changed()
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#f-next_step").value == "typing, not saved yet"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert board.current() == (column, record_id)


async def test_open_record_goes_to_the_right_place(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        feedback = app.store.records("feedback")[-1]["id"]
        app.open_record("feedback", feedback)
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert app.screen.listing.highlighted_id() == feedback
        project = app.store.records("projects")[-1]["id"]
        app.open_record("projects", project)
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.current()[1] == project


async def test_startup_time_is_logged_and_q_quits(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.startup_seconds is not None and app.startup_seconds > 0
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (0, None)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_smoke_script():
    """scripts/tmux-smoke.sh: the real app in a real terminal (see the script)."""
    root = Path(__file__).resolve().parents[2]
    beside = Path(sys.executable).with_name("amtui")
    env = {**os.environ, "AMTUI": str(beside) if beside.exists() else "amtui"}
    done = subprocess.run(["bash", str(root / "scripts" / "tmux-smoke.sh")], env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr


async def test_the_stylesheet_is_parsed_again_only_when_the_theme_changes(app):
    # Textual re-parses the whole stylesheet on each mode's first open (~0.1 s) and restyles
    # every screen of every mode on a theme change; amtui parses only for a new theme and
    # restyles a screen when it is on show
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        stylesheet = app.stylesheet
        parses = []
        reparse = stylesheet.reparse

        def counted() -> None:
            parses.append(app.current_mode)
            reparse()

        stylesheet.reparse = counted
        await pilot.press("2")
        await pilot.pause()
        inbox = app.screen
        await pilot.press("6")
        await pilot.pause()
        assert app.current_mode == "timeline" and parses == []
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert parses == ["timeline"]
        background = Color.parse(app.get_css_variables()["background"])
        assert app.screen.styles.background == background
        assert inbox.styles.background != background  # not on show: restyled on return
        await pilot.press("3")  # a mode opened after the change gets the new theme
        await pilot.pause()
        assert app.screen.styles.background == background
        await pilot.press("2")
        await pilot.pause()
        assert app.screen is inbox and inbox.styles.background == background
        assert parses == ["timeline"]


def record_holds(app) -> list[float]:
    """The holds of updates Textual sets on ``app`` (``delay_update``'s timer)."""
    holds: list[float] = []
    set_timer = app.set_timer

    def spy(delay, callback=None, *args, name=None, **kwargs):
        if name == "delay_update":
            holds.append(delay)
        return set_timer(delay, callback, *args, name=name, **kwargs)

    app.set_timer = spy
    return holds


async def test_a_mode_shown_before_is_held_one_frame_a_new_one_50_ms(app):
    # Textual holds updates 50 ms on every mode switch to hide a screen being built; a
    # screen built already waited idle for most of it (~30 ms of an 80 ms Inbox open)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        holds = record_holds(app)
        await pilot.press("3")  # KPIs: never opened, built now
        await until(pilot, lambda: isinstance(app.screen, KpisScreen), what="KPIs")
        await pilot.press("1")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen), what="the board")
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, KpisScreen), what="KPIs again")
        await pilot.pause()
        assert holds == [0.05, FRAME, FRAME]
        assert "KPIs" in screen_text(app)
    assert app.errors == []


async def test_after_a_language_switch_a_rebuilt_mode_is_held_as_a_new_one(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, KpisScreen), what="KPIs")
        await pilot.press("1")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen), what="the board")
        await app.run_action("switch_language")
        await pilot.pause()
        holds = record_holds(app)
        await pilot.press("3")  # its screen was thrown away: built again, in Chinese
        await until(pilot, lambda: isinstance(app.screen, KpisScreen), what="KPIs")
        await pilot.press("1")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen), what="the board")
        assert holds == [0.05, FRAME]
    assert app.errors == []


async def test_the_palette_holds_updates_until_its_command_has_run(app):
    # not Textual's fixed 50 ms: a theme's restyle (~25 ms) then shows at once, and never a
    # frame with the palette gone but the old theme still on
    steps = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        holds = record_holds(app)
        refresh_css = app.refresh_css
        app.refresh_css = lambda *a, **k: (steps.append(f"restyled for {app.theme}"),
                                           refresh_css(*a, **k))
        batch_update = app.batch_update

        @contextmanager
        def watched_batch():
            with batch_update():
                steps.append("held")
                yield
                steps.append("released")

        app.batch_update = watched_batch
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        themes = app.screen.query_one(OptionList)
        await until(pilot, lambda: themes.option_count > 1, what="the themes listed")
        await pilot.press("down")
        option = themes.highlighted_option
        while option is None or option.prompt.plain == app.theme:
            await pilot.press("down")
            option = themes.highlighted_option
        name = option.prompt.plain
        await pilot.press("enter")
        await until(pilot, lambda: "released" in steps, what="the hold released")
        assert steps == ["held", f"restyled for {name}", "released"]
        assert holds == []
        assert isinstance(app.screen, BoardScreen)
        assert app.screen.styles.background == Color.parse(app.get_css_variables()["background"])
    assert app.errors == []


async def test_the_theme_highlighted_in_the_palette_is_parsed_before_it_is_chosen(app):
    # choosing it then restyles with that stylesheet, without parsing on the UI thread; one
    # whose style sources changed meanwhile is parsed again as before
    parses = []

    def highlighted(themes: OptionList) -> str | None:
        option = themes.highlighted_option
        return option.prompt.plain if option is not None else None

    async def highlight_another_theme(pilot) -> tuple[str, dict, object]:
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        themes = app.screen.query_one(OptionList)
        await until(pilot, lambda: themes.option_count > 1, what="the themes listed")
        while highlighted(themes) in (None, app.theme):
            await pilot.press("down")
        await until(pilot, lambda: app.styles_ready is not None
                    and app.styles_ready[0] == highlighted(themes), what="a theme parsed ahead")
        return app.styles_ready

    async def choose(pilot, name: str) -> None:
        await pilot.press("enter")
        await until(pilot, lambda: app.theme == name, what="the theme chosen")
        await pilot.pause()

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reparse = app.stylesheet.reparse
        app.stylesheet.reparse = lambda: (parses.append(app.theme), reparse())
        name, variables, ready = await highlight_another_theme(pilot)
        assert ready is not app.stylesheet
        await choose(pilot, name)
        assert app.stylesheet is ready and parses == []
        assert app.get_css_variables() == variables
        assert app.screen.styles.background == Color.parse(variables["background"])

        # closed without choosing: the parse is dropped
        await highlight_another_theme(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, CommandPalette), what="closed")
        assert app.styles_ready is None and app.theme == name

        # a style source added meanwhile (as a widget class mounted for the first time adds
        # its own): the parse ahead lacks it, so the stylesheet is parsed again
        stylesheet = app.stylesheet
        reparse = stylesheet.reparse
        stylesheet.reparse = lambda: (parses.append(app.theme), reparse())
        name, variables, ready = await highlight_another_theme(pilot)
        stylesheet.add_source("RecordList { height: 1fr; }", read_from=("test", ""))
        await choose(pilot, name)
        assert app.stylesheet is stylesheet and parses == [name]
        assert app.screen.styles.background == Color.parse(variables["background"])
    assert app.errors == []


async def test_styles_follow_classes_set_before_mount_at_mount_and_after(app):
    """The app skips styling widgets not yet in the DOM and a new screen's second styling
    when it resumes: classes set before mounting, while mounting and later all still show,
    and a theme change restyles the pushed screen."""
    from textual.screen import ModalScreen
    from textual.widgets import Input, Static

    class Probe(ModalScreen):
        DEFAULT_CSS = """
        Probe Input.-flagged { width: 17; }
        Probe.-wide #tag { width: 30; }
        Probe.-narrow #tag { width: 9; }
        Probe #tag { background: $error; }
        """

        def compose(self):
            flagged = Input("x")
            flagged.add_class("-flagged")  # before it is in the DOM
            yield Static("tag", id="tag")
            yield flagged

        def on_mount(self) -> None:
            self.add_class("-wide")  # after its widgets were styled, before it resumes

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        probe = Probe()
        app.push_screen(probe)
        await pilot.pause()
        tag = probe.query_one("#tag")
        assert probe.query_one(Input).styles.width.value == 17
        assert tag.styles.width.value == 30
        probe.add_class("-narrow")
        probe.remove_class("-wide")
        await pilot.pause()
        assert tag.styles.width.value == 9
        before = tag.styles.background
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert tag.styles.background != before


async def test_a_screen_shown_again_takes_what_changed_while_it_was_away(app):
    """A mode's screen or a kept form is not styled again when it comes back unless
    something changed meanwhile (``note_resuming``): here a theme and an app class."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen
        await pilot.press("2")
        await pilot.pause()
        before = board.styles.background
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is board and board.styles.background != before
        # unchanged meanwhile: still the new theme's
        after = board.styles.background
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        assert board.styles.background == after


async def test_the_mode_tabs_follow_the_mode_and_fold_on_a_narrow_terminal(app):
    """Another mode highlighted keeps the strip's width (repainted, not laid out again);
    folding to the keys narrows it, and the strip is as wide as what it shows."""
    from rich.cells import cell_len

    from amtui.ui.widgets.status import NARROW, ModeTabs

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        tabs = app.screen.query_one(ModeTabs)
        wide = str(tabs.render())
        assert " 2 Inbox " in wide and " 1 Board" in wide
        assert tabs.size.width == cell_len(wide)
        await pilot.resize_terminal(NARROW - 1, SIZE[1])
        await pilot.pause()
        narrow = str(tabs.render())
        assert " 2 Inbox " in narrow and "Board" not in narrow
        assert tabs.size.width == cell_len(narrow) < cell_len(wide)
        await pilot.press("1")
        await pilot.pause()
        board_tabs = app.screen.query_one(ModeTabs)
        assert " 1 Board " in str(board_tabs.render()) and "Inbox" not in str(
            board_tabs.render())
