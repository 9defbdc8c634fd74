"""Forms are built once and opened again for the next record (``app.open_form``): what the
person sees must be the new subject's, never a trace of the last one (values, title, the
reason under a field, the error line, undo in a text area, the KPIs beside a review)."""

from __future__ import annotations

import asyncio

from textual.widgets import DataTable, Input, Label, Static, TextArea

from amtui.domain import i18n
from amtui.ui.screens.board import BoardScreen
from amtui.ui.screens.development_form import DevelopmentForm
from amtui.ui.screens.project_form import ProjectForm
from amtui.ui.screens.review_form import ReviewForm
from tests.ui.conftest import SIZE, until
from tests.ui.test_people_screen import manager_id, open_people, settle


def two_projects(app) -> tuple[dict, dict]:
    projects = [p for p in app.store.records("projects") if p.get("due") and p.get("client")]
    first = projects[0]
    second = next(p for p in projects if p["client"] != first["client"]
                  and p["due"] != first["due"] and p["project"] != first["project"])
    return first, second


async def open_project(pilot, record_id: str) -> ProjectForm:
    app = pilot.app
    assert isinstance(app.screen, BoardScreen)
    app.screen.show_record(record_id)
    await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, ProjectForm) and form.record_id == record_id
    return form


async def opened_and_closed(pilot) -> tuple[ProjectForm, dict]:
    """The project form opened on a project and closed again: kept, off screen."""
    await settle(pilot)
    first, _second = two_projects(pilot.app)
    form = await open_project(pilot, first["id"])
    await pilot.press("escape")
    await settle(pilot)
    return form, first


def field(form, key: str) -> str:
    widget = form.query_one(f"#f-{key}")
    return widget.text if isinstance(widget, TextArea) else widget.value


async def test_a_kept_project_form_shows_the_next_subject_and_nothing_of_the_last(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, second = two_projects(app)
        form = await open_project(pilot, first["id"])
        assert field(form, "client") == first["client"]
        # leave traces: a refused date (reason under the field), a retro typed, a warning
        form.query_one("#f-due", Input).value = "some day"
        form.query_one("#f-retro", TextArea).load_text("went well")
        await pilot.pause()
        assert "not a date" in str(form.query_one("#h-due", Static).render())
        await pilot.press("escape")  # unsaved typing: asks
        await pilot.pause()
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert app.store.get("projects", first["id"])["due"] == first["due"]

        again = await open_project(pilot, second["id"])
        assert again is form  # the same screen, filled again
        assert field(again, "client") == second["client"]
        assert field(again, "due") == second["due"]
        assert field(again, "retro") == (second.get("retro") or "")
        assert second["id"] in str(again.query_one(".dialog-title", Label).render())
        assert first["project"] not in str(again.query_one(".dialog-title", Label).render())
        assert str(again.query_one("#h-due", Static).render()) == ""
        assert not again.query_one("#f-due").has_class("-invalid-value")
        assert not again.dirty and again.errors == {}
        # the cursor in the first field, its text selected as in a new form
        name = again.query_one("#f-project", Input)
        assert app.focused is name and name.selected_text == second["project"]
        # undo in the text area does not bring back the last project's retro
        area = again.query_one("#f-retro", TextArea)
        area.focus()
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "went well" not in area.text

        # an edit saved through the kept form lands on its own record only
        progress = "37" if second.get("progress") != "37" else "38"
        again.query_one("#f-progress", Input).value = progress + "%"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert app.store.get("projects", second["id"])["progress"] == progress
        assert app.store.get("projects", first["id"])["progress"] == first["progress"]
        # and shows when it opens next
        third = await open_project(pilot, second["id"])
        assert field(third, "progress") == progress

        # a new project after the edits starts from the column's defaults
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        new = app.screen
        assert new is form and new.record_id is None
        assert field(new, "project") == "" and field(new, "client") == ""
        assert field(new, "start") == app.today.isoformat()
        assert field(new, "priority") == "Medium"
        assert "New project" in str(new.query_one(".dialog-title", Label).render())


async def test_a_form_is_built_again_in_another_language(app):
    async with app.run_test(size=SIZE) as pilot:
        english, first = await opened_and_closed(pilot)
        try:
            i18n.use("zh-CN")
            chinese = await open_project(pilot, first["id"])
            assert chinese is not english
            assert any("客户" in str(label.render()) for label in chinese.query(".field-label"))
        finally:
            i18n.use("en")


async def test_a_kept_review_form_shows_the_next_manager_and_their_kpis(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_people(pilot, "Li Wei")
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReviewForm) and form.manager_id == manager_id(app, "Li Wei")
        form.query_one("#strengths", TextArea).load_text("Li Wei's strengths")
        form.query_one("#period", Input).value = "not a period"
        await pilot.press("ctrl+s")  # refused: the error line says why
        await pilot.pause()
        assert "Needs" in str(form.query_one("#form-error", Static).render())
        await pilot.press("escape", "escape")  # the second escape throws the typing away
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("down")
        other = screen.person().name
        await pilot.press("a")
        await settle(pilot)
        again = app.screen
        assert again is form and again.manager_id == manager_id(app, other)
        assert other in str(again.query_one(".dialog-title", Label).render())
        assert again.query_one("#strengths", TextArea).text == ""
        assert str(again.query_one("#form-error", Static).render()) == ""
        assert again.query_one("#period", Input).value != "not a period"
        assert other in str(again.query_one("#kpis-title", Static).render())
        assert again.query_one("#review-kpi-table", DataTable).row_count > 0


async def test_a_kept_development_form_takes_the_new_kind_defaults(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_people(pilot, "Emily Zhao")
        mentor = app.store.get("managers", manager_id(app, "Emily Zhao"))["mentor"]
        assert mentor
        await pilot.press("t")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DevelopmentForm)
        assert form.query_one("#with_", Input).value == ""
        form.query_one("#title", Input).value = "A course"
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("s")
        await settle(pilot)
        again = app.screen
        assert again is form and again.kind.lower() == "mentoring"
        assert again.query_one("#title", Input).value == "Mentoring session"
        assert again.query_one("#with_", Input).value == mentor
        assert again.query_one("#hours", Input).value == "1"
        assert not again.dirty


async def test_the_warm_up_builds_one_form_of_each_kind_off_screen(demo_config):
    from tests.ui.conftest import make_app

    app = make_app(demo_config)
    app.warm_up = True
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: len(app.kept_forms) == 4, what="the forms built ahead")
        await pilot.pause()
        # built and filled, never on show: the board is in front with the cards focused
        assert isinstance(app.screen, BoardScreen) and len(app.screen_stack) == 1
        assert app.focused is not None and app.focused.has_class("cards")
        kept = app.kept_forms["ProjectForm:projects"]
        assert kept.is_mounted and kept.focused is None  # no cursor blinking off screen
        first, _second = two_projects(app)
        form = await open_project(pilot, first["id"])
        assert form is kept  # the first open fills the form built ahead
        assert field(form, "client") == first["client"]
        assert app.focused is form.query_one("#f-project")
    assert app.errors == []
    app.store.close()


async def test_a_kept_form_takes_a_theme_chosen_while_it_was_closed(app):
    async with app.run_test(size=SIZE) as pilot:
        form, first = await opened_and_closed(pilot)
        title = form.query_one(".dialog-title", Label)
        before = title.styles.color
        steps = []
        step = app.restyle_next
        app.restyle_next = lambda: (steps.append(title.styles.color), step())
        app.theme = "textual-light"
        # restyled in idle time after the new frame, a few widgets at a time (a key pressed
        # meanwhile waits for one step, not for the whole form)
        await until(pilot, lambda: title.styles.color != before, what="the kept form restyled")
        await until(pilot, lambda: app.styled_at.get(form) == app.style_mark(form),
                    what="the whole form")
        assert len(steps) > 2
        colours = [(w.styles.color, w.styles.background) for w in form.walk_children()]
        app.stylesheet.update(form)  # the steps styled it as this does
        assert [(w.styles.color, w.styles.background) for w in form.walk_children()] == colours
        again = await open_project(pilot, first["id"])
        assert again is form and title.styles.color != before
        await pilot.press("escape")
        await settle(pilot)

        # opened after the first step of another change: styled whole as it opens
        app.restyle_next = lambda: (steps.append(None), step()) if None not in steps else None
        app.theme = "nord"
        await until(pilot, lambda: None in steps, what="the first step")
        assert app.styled_at.get(form) != app.style_mark(form)
        again = await open_project(pilot, first["id"])
        colours = [(w.styles.color, w.styles.background) for w in form.walk_children()]
        app.stylesheet.update(form)
        assert [(w.styles.color, w.styles.background) for w in form.walk_children()] == colours
    assert app.errors == []




async def test_quitting_while_a_form_is_built_off_screen_ends_cleanly(app):
    # the warm-up pushes and pops a form in one step; q pressed then (a few seconds after
    # start) closed the form before it mounted, and its fill crashed the exit (code 1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first, _second = two_projects(app)
        app.open_form(ProjectForm(first["id"]))
        app.pop_screen()
        app.exit()
    assert app.return_code == 0
    assert app.errors == []


async def test_quitting_while_kept_forms_take_a_new_theme_ends_cleanly(app):
    # the restyle steps run on timers for ~1 s after a theme change; q pressed then let a
    # step fire once the screens were gone, and its ScreenStackError crashed the exit
    async with app.run_test(size=SIZE) as pilot:
        await opened_and_closed(pilot)
        step = app.restyle_next
        quit_mid_chain: list[bool] = []
        quitting = asyncio.Event()

        def step_then_quit() -> None:
            step()
            if not quitting.is_set():  # quit with the next step's timer set
                quit_mid_chain.append(app.kept_form_restyles is not None)
                quitting.set()
                app.exit()

        app.restyle_next = step_then_quit
        app.theme = "nord"
        await asyncio.wait_for(quitting.wait(), 15)
    assert quit_mid_chain == [True]
    assert app.return_code == 0
    assert app.errors == []
    # the same, deterministically: the steps' timers fired once no screen is up
    app.restyle_next = step
    app.restyle_kept_forms()
    app.restyle_next()
    assert app.kept_form_restyles is None
