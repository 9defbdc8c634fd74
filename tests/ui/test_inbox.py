"""The feedback inbox: order, counts, detail, the answering actions and the filters. Each
test checks the store afterwards."""

from __future__ import annotations

from datetime import date

from amtui.domain import schema
from amtui.ui.screens.confirm import TextEditor
from amtui.ui.screens.feedback_form import FeedbackForm
from amtui.ui.screens.inbox import RATING_FILTERS, InboxScreen, inbox_order
from amtui.ui.screens.pickers import PickerScreen
from amtui.ui.widgets.cards import clock_style, response_hours
from tests.ui.conftest import SIZE, notifications, screen_text

TODAY = date(2026, 11, 26).isoformat()


async def open_inbox(pilot) -> InboxScreen:
    await pilot.press("2")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, InboxScreen)
    return screen


def shown_ids(inbox: InboxScreen) -> list[str]:
    return [o.id for o in inbox.listing.options]


def first_with(app, **values) -> dict:
    return next(r for r in inbox_order(app.store.records("feedback"))
                if all(r[k] == v for k, v in values.items()))


async def test_newest_unhandled_first_with_counts(app):
    async with app.run_test(size=SIZE) as pilot:
        inbox = await open_inbox(pilot)
        records = app.store.records("feedback")
        ids = shown_ids(inbox)
        assert len(ids) == len(records)
        handled = [app.store.get("feedback", i)["status"] in schema.HANDLED_STATUS for i in ids]
        assert handled == sorted(handled)  # every open item before every handled one
        open_dates = [app.store.get("feedback", i)["received"]
                      for i, done in zip(ids, handled, strict=True) if not done]
        assert open_dates == sorted(open_dates, reverse=True)
        text = screen_text(app)
        for status in ("New", "Acknowledged", "In Progress", "Resolved", "Closed"):
            count = sum(r["status"] == status for r in records)
            assert f"{status} {count}" in text
        # response targets come from the Targets tab (this month), else the default
        target = next(t for t in app.store.records("targets") if t["period"] == "2026-11")
        assert inbox.target_for({"manager": target["manager"]}) == float(
            target["response_hours"])
        assert inbox.target_for({"manager": "someone else"}) == (
            app.rules.default_targets["response_hours"])
        # the detail pane shows the highlighted item's full text
        first = app.store.get("feedback", ids[0])
        detail = str(inbox.query_one("#detail-text").render())
        assert first["text"] in detail and first["id"] in detail


async def test_acknowledge_respond_resolve_reopen(app):
    async with app.run_test(size=SIZE) as pilot:
        inbox = await open_inbox(pilot)
        item = first_with(app, status="New")
        inbox.show_record(item["id"])
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert app.store.get("feedback", item["id"])["status"] == "Acknowledged"

        inbox.show_record(item["id"])
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextEditor)
        app.screen.query_one("TextArea").text = "Thanks — fixed the subtitles,\nnew cut Friday."
        await pilot.press("ctrl+s")
        await pilot.pause()
        stored = app.store.get("feedback", item["id"])
        assert stored["response"] == "Thanks — fixed the subtitles,\nnew cut Friday."
        assert stored["responded"] == TODAY
        assert stored["status"] == "In Progress"

        inbox.show_record(item["id"])
        await pilot.press("x")
        await pilot.pause()
        stored = app.store.get("feedback", item["id"])
        assert (stored["status"], stored["resolved"]) == ("Resolved", TODAY)
        # a resolved item moves down; the cursor stays in place for the next open item
        assert inbox.listing.highlighted_id() != item["id"]

        inbox.show_record(item["id"])
        await pilot.press("o")
        await pilot.pause()
        stored = app.store.get("feedback", item["id"])
        assert (stored["status"], stored["resolved"]) == ("In Progress", "")
        assert "reopened" in " ".join(notifications(app))

        # acknowledge only new items; resolve only open ones
        done = first_with(app, status="Resolved")
        inbox.show_record(done["id"])
        await pilot.press("a", "x")
        await pilot.pause()
        assert app.store.get("feedback", done["id"])["status"] == "Resolved"
        assert any("already Resolved" in n for n in notifications(app))


async def test_assign_to_a_manager_with_type_ahead(app):
    async with app.run_test(size=SIZE) as pilot:
        inbox = await open_inbox(pilot)
        item = first_with(app, status="New")
        names = app.store.refs().names("managers")
        other = next(n for n in names if n != item["manager"])
        inbox.show_record(item["id"])
        await pilot.press("g")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        picker.query_one("Input").value = other[:4]
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.get("feedback", item["id"])["manager"] == other


async def test_log_new_feedback_from_a_phone_call(app):
    async with app.run_test(size=SIZE) as pilot:
        inbox = await open_inbox(pilot)
        before = app.store.count("feedback")
        client = app.store.refs().names("clients")[0]
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackForm)
        form.query_one("#f-client").value = client
        form.query_one("#f-rating").value = "★★★★★"
        form.query_one("#f-from_").value = "王总 (phone)"
        form.query_one("#f-text").text = "电话反馈：新方案很好。Loved the new concept."
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert app.store.count("feedback") == before + 1
        new = app.store.get("feedback", inbox.listing.highlighted_id())
        assert new["client"] == client and new["rating"] == "5"
        assert (new["received"], new["status"], new["source"]) == (TODAY, "New", "Client")
        assert new["text"].startswith("电话反馈")


async def test_filters_by_status_source_manager_client_rating_and_text(app):
    async with app.run_test(size=SIZE) as pilot:
        inbox = await open_inbox(pilot)
        records = app.store.records("feedback")
        total = len(records)

        inbox.set_filter("status", "New")
        await pilot.pause()
        assert {app.store.get("feedback", i)["status"] for i in shown_ids(inbox)} == {"New"}
        assert "status New" in screen_text(app)

        inbox.set_filter("source", "Internal")
        expected = {r["id"] for r in records if r["status"] == "New" and r["source"] == "Internal"}
        assert set(shown_ids(inbox)) == expected
        inbox.set_filter("status", "")
        inbox.set_filter("source", "")

        manager = records[0]["manager"]
        inbox.set_filter("manager", manager)
        assert set(shown_ids(inbox)) == {r["id"] for r in records if r["manager"] == manager}
        inbox.set_filter("manager", "")

        inbox.set_filter("rating", "1–2 (unhappy)")
        assert set(shown_ids(inbox)) == {r["id"] for r in records if r["rating"] in ("1", "2")}

        # the picker path, as a person uses it
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        app.screen.query_one("Input").value = "open"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert all(app.store.get("feedback", i)["status"] not in schema.HANDLED_STATUS
                   for i in shown_ids(inbox))

        await pilot.press("escape")
        await pilot.pause()
        assert len(shown_ids(inbox)) == total
        inbox.action_only_status("Closed")  # what a click on "Closed 71" does
        await pilot.pause()
        assert {app.store.get("feedback", i)["status"] for i in shown_ids(inbox)} == {"Closed"}
        await pilot.press("escape")
        await pilot.pause()

        word = "invoice"
        await pilot.press("slash", *word)
        await pilot.pause()
        hits = {r["id"] for r in records
                if word in " ".join((r["text"], r["client"], r["project"], r["manager"],
                                     r["from_"], r["response"], r["id"])).casefold()}
        assert set(shown_ids(inbox)) == hits and hits
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert len(shown_ids(inbox)) == total


def test_response_clock_colours_follow_the_target():
    today = date(2026, 11, 26)
    open_item = {"received": "2026-11-24", "status": "New", "responded": ""}
    assert response_hours(open_item, today) == (48, True)
    assert clock_style(48, True, 24) == "$warning"  # past the target
    assert clock_style(72, True, 24) == "bold $error"  # far past it, still unanswered
    assert clock_style(12, True, 24) == ""
    answered = {"received": "2026-11-20", "status": "Resolved", "responded": "2026-11-21"}
    assert response_hours(answered, today) == (24, False)
    assert response_hours({"received": "", "status": "New"}, today) == (None, False)




async def test_a_filter_puts_the_cursor_on_the_first_match(app):
    """Issue 13 (Navigation): after a filter the cursor is on the first item shown, not
    where it was before."""
    async with app.run_test(size=SIZE) as pilot:
        inbox = await open_inbox(pilot)
        records = [app.store.get("feedback", i) for i in shown_ids(inbox)]
        late = next(n for n, r in enumerate(records) if n > 5 and r["source"] == "Client")
        inbox.show_record(records[late]["id"])
        await pilot.pause()
        inbox.set_filter("source", "Client")
        await pilot.pause()
        assert inbox.listing.highlighted == 0
        assert inbox.listing.highlighted_id() == shown_ids(inbox)[0]
        assert inbox.listing.scroll_offset.y == 0
        assert shown_ids(inbox)[0] in str(inbox.query_one("#detail-text").render())
        await pilot.press("slash", "t", "h", "e")  # typing a search: the same
        await pilot.pause()
        assert inbox.listing.highlighted == 0 and shown_ids(inbox)


async def test_the_rating_filter_offers_groups_that_do_not_overlap(app):
    """Issue 13 (Navigation): not "1–2, 3, 4–5, 1, 2, 4, 5": each rating is in exactly one
    choice, from unhappy to happy, and every item matches one."""
    async with app.run_test(size=SIZE) as pilot:
        inbox = await open_inbox(pilot)
        await pilot.press("v")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        offered = [o.prompt for o in picker.query_one("OptionList").options
                   if str(o.prompt) in RATING_FILTERS]
        assert [str(o) for o in offered] == ["1–2 (unhappy)", "3 (neutral)", "4–5 (happy)",
                                             "No rating"]
        await pilot.press("escape")
        total = 0
        for choice in RATING_FILTERS:
            inbox.set_filter("rating", choice)
            total += len(shown_ids(inbox))
        ratings = {r["rating"] for r in app.store.records("feedback")}
        assert ratings <= {"", "1", "2", "3", "4", "5"}
        assert total == len(app.store.records("feedback"))  # one choice per item
