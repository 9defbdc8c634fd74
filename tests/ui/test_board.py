"""The board: columns, cards, moving cards, the project form, filters, blocked, undo.
Every test checks the store afterwards, not only the screen."""

from __future__ import annotations

from datetime import date

from amtui.ui.screens.board import BoardScreen, Column
from amtui.ui.screens.confirm import TextEditor, TextPrompt
from amtui.ui.screens.pickers import PickerScreen
from amtui.ui.screens.project_form import ProjectForm
from amtui.ui.widgets.cards import needs_attention
from tests.ui.conftest import SIZE, make_app, notifications, screen_text

TODAY = date(2026, 11, 26)


def projects_in(app, stage: str) -> list[dict]:
    return [r for r in app.store.records("projects") if r["stage"] == stage]


def column(app, stage: str) -> Column:
    return next(c for c in app.screen.query(Column) if c.stage == stage)


async def focus_card(pilot, record_id: str) -> None:
    pilot.app.screen.show_record(record_id)
    await pilot.pause()
    assert pilot.app.screen.current()[1] == record_id


async def test_columns_follow_the_stages_with_counts(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        stages = [c.stage for c in board.query(Column) if c.display]
        assert stages == list(app.rules.stages)
        for stage in app.rules.stages:
            col = column(app, stage)
            assert col.cards.option_count == len(projects_in(app, stage))
        # On Hold and Cancelled start collapsed (config.collapsed_stages)
        assert column(app, "On Hold").collapsed and column(app, "Cancelled").collapsed
        assert not column(app, "Planning").collapsed
        text = screen_text(app)
        count = len(projects_in(app, "In Progress"))
        assert "In Progress" in text and f"{count} · " in text
        # the first card of the focused column is highlighted
        assert board.current()[1] is not None


async def test_keys_and_mouse_move_around_the_board(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen
        start = board.current()[0].stage
        await pilot.press("l")
        assert board.current()[0].stage != start
        await pilot.press("h")
        assert board.current()[0].stage == start
        first = board.current()[1]
        await pilot.press("j")
        assert board.current()[1] != first
        await pilot.press("k")
        assert board.current()[1] == first
        await pilot.press("right")
        assert board.current()[0].stage != start  # arrows move between columns too
        await pilot.press("down", "left")
        assert board.current()[0].stage == start
        # z opens the collapsed stages (On Hold, Cancelled) and closes them again
        await pilot.press("z")
        await pilot.pause()
        assert not column(app, "On Hold").collapsed
        assert column(app, "On Hold").cards.option_count == len(projects_in(app, "On Hold"))
        await pilot.press("z")
        assert column(app, "On Hold").collapsed
        # a click on a card opens its form
        cards = column(app, "Planning").cards
        await pilot.click(cards, offset=(3, 1))
        await pilot.pause()
        assert isinstance(app.screen, ProjectForm)
        assert app.screen.record_id == cards.options[0].id


async def test_move_card_to_next_and_previous_stage(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record = projects_in(app, "Planning")[0]
        await focus_card(pilot, record["id"])
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["stage"] == "In Progress"
        # the cursor follows the card into its new column
        column_now, highlighted = app.screen.current()
        assert (column_now.stage, highlighted) == ("In Progress", record["id"])
        await pilot.press("shift+left")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["stage"] == "Planning"
        await pilot.press("shift+right", "less_than_sign")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["stage"] == "Planning"
        assert [e.record_id for e in app.store.pending_edits()] == [record["id"]] * 4

        # ctrl+z undoes the last edit that has not been synced, and says what it undid
        await pilot.press("greater_than_sign")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["stage"] == "Planning"
        assert app.store.pending_count() == 4
        assert any("Stage back to Planning" in n for n in notifications(app))
        assert column(app, "Planning").cards.index_of(record["id"]) is not None
        for _ in range(4):
            app.action_undo()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert any("Nothing to undo" in n for n in notifications(app))


async def test_moving_to_delivered_sets_the_date_and_offers_the_retro(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record = projects_in(app, "Client Review")[0]
        await focus_card(pilot, record["id"])
        await pilot.press("greater_than_sign")
        await pilot.pause()
        stored = app.store.get("projects", record["id"])
        assert stored["stage"] == "Delivered"
        assert stored["delivered"] == TODAY.isoformat()
        assert isinstance(app.screen, TextEditor)
        await pilot.press("escape")  # the retro can be skipped...
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.store.get("projects", record["id"])["retro"] == record["retro"]
        await pilot.press("less_than_sign", "greater_than_sign")  # ...or written
        await pilot.pause()
        assert isinstance(app.screen, TextEditor)
        app.screen.query_one("TextArea").text = "Scope was clear; keep weekly demos."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["retro"] == (
            "Scope was clear; keep weekly demos.")
        # moving it back out of Delivered clears the date again
        await pilot.press("less_than_sign")
        await pilot.pause()
        stored = app.store.get("projects", record["id"])
        assert (stored["stage"], stored["delivered"]) == ("Client Review", "")


async def test_project_form_checks_as_you_type_and_saves(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record = projects_in(app, "In Progress")[0]
        await focus_card(pilot, record["id"])
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        due = form.query_one("#f-due")
        due.value = "next friday"
        await pilot.pause()
        hint = str(form.query_one("#h-due").render())
        assert "not a date" in hint
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProjectForm)  # refused, still open
        assert app.store.get("projects", record["id"])["due"] == record["due"]
        due.value = "24/12/2026"
        await pilot.pause()
        assert "saved as 2026-12-24" in str(form.query_one("#h-due").render())
        form.query_one("#f-manager").value = "nobody we know"
        await pilot.pause()
        assert "unknown manager" in str(form.query_one("#h-manager").render())
        managers = app.store.refs().names("managers")
        form.query_one("#f-manager").value = managers[-1].upper()
        form.query_one("#f-progress").value = "0.7"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        stored = app.store.get("projects", record["id"])
        assert stored["due"] == "2026-12-24"
        assert stored["manager"] == managers[-1]
        assert stored["progress"] == "70"
        # the board shows the change and keeps the cursor on the card
        assert app.screen.current()[1] == record["id"]

        # escape with unsaved changes asks first
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-next_step").value = "call the client"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ConfirmScreen"
        await pilot.press("n")  # keep editing
        assert app.screen is form
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.store.get("projects", record["id"])["next_step"] != "call the client"


async def test_new_project_lands_in_the_current_column(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await focus_card(pilot, projects_in(app, "Planning")[0]["id"])
        before = app.store.count("projects")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm) and form.record_id is None
        await pilot.press("ctrl+s")  # no name yet: refused
        await pilot.pause()
        assert app.store.count("projects") == before
        form.query_one("#f-project").value = "客户答谢会 🎉 Year-end party"
        form.query_one("#f-due").value = "2027-01-15"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)
        assert app.store.count("projects") == before + 1
        new = [r for r in app.store.records("projects")
               if r["project"] == "客户答谢会 🎉 Year-end party"][0]
        assert (new["stage"], new["due"], new["start"]) == ("Planning", "2027-01-15",
                                                           TODAY.isoformat())
        assert app.screen.current() == (column(app, "Planning"), new["id"])


async def test_block_and_unblock_with_a_note(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record = next(r for r in projects_in(app, "In Progress") if r["health"] != "Blocked")
        await focus_card(pilot, record["id"])
        await pilot.press("b")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        prompt.query_one("Input").value = "waiting on legal review"
        await pilot.press("enter")
        await pilot.pause()
        stored = app.store.get("projects", record["id"])
        assert (stored["health"], stored["blocker"]) == ("Blocked", "waiting on legal review")
        await pilot.press("b")
        await pilot.pause()
        stored = app.store.get("projects", record["id"])
        assert (stored["health"], stored["blocker"]) == ("On track", "")


async def test_filters_show_in_the_header_and_clear_with_escape(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        board = app.screen
        total = app.store.count("projects")
        target = projects_in(app, "In Progress")[0]
        word = target["project"].split()[-1]
        await pilot.press("slash", *word)
        await pilot.pause()
        shown = sum(c.cards.option_count for c in board.query(Column))
        matching = [r for r in app.store.records("projects")
                    if word.casefold() in " ".join((r["project"], r["client"], r["manager"],
                                                    r["blocker"], r["next_step"], r["id"]))
                    .casefold()]
        assert shown == len(matching) < total
        assert f'text "{word.casefold()}"' in screen_text(app)
        await pilot.press("enter")  # back to the cards, filter kept
        assert board.current()[1] is not None
        await pilot.press("escape")
        await pilot.pause()
        assert sum(c.cards.option_count for c in board.query(Column)) == total

        # manager picker with type-ahead
        manager = target["manager"]
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        app.screen.query_one("Input").value = manager[:3]  # type-ahead
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        shown = {o.id for c in board.query(Column) for o in c.cards.options}
        assert shown == {r["id"] for r in app.store.records("projects")
                         if r["manager"] == manager}
        assert f"manager {manager}" in screen_text(app)

        # client picker stacks on top
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("Input").value = target["client"][:4]
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        shown = {o.id for c in board.query(Column) for o in c.cards.options}
        assert target["id"] in shown
        assert all(app.store.get("projects", i)["client"] == target["client"] for i in shown)
        await pilot.press("escape")
        await pilot.pause()
        assert sum(c.cards.option_count for c in board.query(Column)) == total

        # o: only overdue or at risk
        await pilot.press("o")
        await pilot.pause()
        shown = {o.id for c in board.query(Column) for o in c.cards.options}
        assert shown == {r["id"] for r in app.store.records("projects")
                         if needs_attention(r, TODAY)} and shown
        assert "only overdue / at risk" in screen_text(app)
        await pilot.press("o")
        await pilot.pause()
        assert sum(c.cards.option_count for c in board.query(Column)) == total


async def test_bad_data_is_shown_not_fatal(demo_config):
    """Values people typed that cannot be read stay visible; nothing crashes."""
    app = make_app(demo_config)
    store = app.store
    first, second = store.records("projects")[:2]
    store.update("projects", first["id"], {"stage": "Doing", "due": "next Friday",
                                           "value": "lots", "progress": "most"},
                 validate=False)
    store.update("projects", second["id"], {"health": "???", "priority": "urgent!!"},
                 validate=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        unknown = next(c for c in app.screen.query(Column) if c.stage == "?")
        assert unknown.display and unknown.cards.option_count == 1
        text = screen_text(app)
        assert "Unknown stage" in text and "Due next Frid" in text
        await focus_card(pilot, first["id"])
        await pilot.press("greater_than_sign")  # an unknown stage moves to the first one
        await pilot.pause()
        assert store.get("projects", first["id"])["stage"] == app.rules.stages[0]
        await focus_card(pilot, second["id"])
        await pilot.press("enter")
        await pilot.pause()
        assert "not one of" in str(app.screen.query_one("#h-health").render())
    assert app.errors == []


async def test_remapped_keys_from_the_config(demo_config):
    app = make_app(demo_config)
    app.workspace.config.keys = {"board.move_next": "ctrl+n"}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record = projects_in(app, "Planning")[0]
        await focus_card(pilot, record["id"])
        await pilot.press("greater_than_sign")  # no longer bound
        await pilot.pause()
        assert app.store.get("projects", record["id"])["stage"] == "Planning"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.store.get("projects", record["id"])["stage"] == "In Progress"


async def test_a_project_made_in_the_delivered_column_gets_a_delivered_date(app):
    """Issue 13 (Delivered): a project added directly as delivered was delivered today."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await focus_card(pilot, projects_in(app, "Delivered")[0]["id"])
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ProjectForm)
        form.query_one("#f-project").value = "Launch video (already shipped)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        new = next(r for r in app.store.records("projects")
                   if r["project"] == "Launch video (already shipped)")
        assert (new["stage"], new["delivered"]) == ("Delivered", TODAY.isoformat())
        assert "Delivered ?" not in screen_text(app)


async def test_delivering_a_blocked_card_finishes_it_in_one_undoable_edit(app):
    """Issue 13 (Delivered): a Blocked card at 20% moved to Delivered is done: progress
    100%, health On track, no blocker, the date set; one ctrl+z restores all of it."""
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        record = projects_in(app, "Client Review")[0]
        app.store.update("projects", record["id"], {"health": "Blocked", "progress": "20",
                                                    "blocker": "legal sign-off"})
        app.records.invalidate("projects")
        before = app.store.get("projects", record["id"])
        pending = app.store.pending_count()
        await focus_card(pilot, record["id"])
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert isinstance(app.screen, TextEditor)  # the retro, as before
        await pilot.press("escape")
        await pilot.pause()
        stored = app.store.get("projects", record["id"])
        assert {k: stored[k] for k in ("stage", "progress", "health", "blocker", "delivered")} \
            == {"stage": "Delivered", "progress": "100", "health": "On track", "blocker": "",
                "delivered": TODAY.isoformat()}
        assert any("progress 20% → 100%" in n and "blocker cleared" in n
                   for n in notifications(app))
        assert app.store.pending_count() == pending + 1  # one edit
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.store.get("projects", record["id"]) == before
