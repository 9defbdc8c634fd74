"""People: profiles, reviews (with KPIs beside the form), development log, mentors and who
needs attention. Every flow is checked in the store, where the sync picks it up."""

from __future__ import annotations

from amtui.ui.screens.development_form import DevelopmentForm
from amtui.ui.screens.people import MentorPicker, PeopleScreen, load_people
from amtui.ui.screens.review_form import ReviewForm

SIZE = (120, 40)



async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_people(pilot, manager: str | None = None) -> PeopleScreen:
    await settle(pilot)
    await pilot.press("4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PeopleScreen)
    if manager is not None:
        index = [p.name for p in screen.people].index(manager)
        await pilot.press(*["down"] * index)
        assert screen.person().name == manager
    return screen


def manager_id(app, name: str) -> str:
    return next(m["id"] for m in app.store.records("managers") if m["name"] == name)


async def test_profile_and_assigning_a_mentor(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_people(pilot, "Li Wei")
        profile = str(screen.query_one("#profile").render())
        assert "Senior Account Manager" in profile and "Consumer" in profile
        assert "Mentees: Emily Zhao" in profile
        assert "Started 2022-10-18" in profile
        assert "Consumer brands" in profile  # responsibilities
        reviews = [r for r in app.store.records("reviews") if r["manager"] == "Li Wei"]
        grid = screen.query_one("#reviews")
        assert grid.row_count == len(reviews)
        assert str(grid.get_row_at(0)[0]) == max(r["period"] for r in reviews)  # newest first
        dev = [r for r in app.store.records("development") if r["manager"] == "Li Wei"]
        assert screen.query_one("#dev-log").row_count == len(dev)
        # assign a mentor to Tom Becker, who is new and has none
        await pilot.press("down", "down")
        assert screen.person().name == "Tom Becker"
        await pilot.press("m")
        picker = app.screen
        assert isinstance(picker, MentorPicker)
        options = picker.query_one("#mentor-options")
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert not any(p.startswith("Tom Becker") for p in prompts)  # not their own mentor
        options.highlighted = next(i for i, p in enumerate(prompts) if p.startswith("David"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.get("managers", manager_id(app, "Tom Becker"))["mentor"] == "David Park"
        assert "Mentor: David Park" in str(screen.query_one("#profile").render())
        assert not any(text.startswith("Tom Becker")
                       for _m, _r, text in screen.attention.no_mentor)
        # the cursor stayed on Tom
        assert screen.person().name == "Tom Becker"


async def test_attention_lists_no_mentor_overdue_training_and_missing_reviews(app):
    store = app.store
    # one review of the last quarter (2026-Q3) goes missing
    q3 = next(r for r in store.records("reviews") if r["period"] == "2026-Q3"
              and r["manager"] == "David Park")
    store.delete("reviews", q3["id"])
    people, attention = load_people(store, app.today)
    assert str(attention.period) == "2026-Q3"
    no_mentor = [text.split(" · ")[0] for _m, _r, text in attention.no_mentor]
    assert no_mentor[0] == "Tom Becker"  # onboarding and newest first
    assert "Emily Zhao" not in no_mentor  # has a mentor
    overdue = {rid for _m, rid, _t in attention.overdue_training}
    assert overdue == {r["id"] for r in store.records("development")
                       if r["status"] == "Planned" and r["date"] < "2026-11-26"}
    missing = [text for _m, _r, text in attention.no_review]
    assert any(t.startswith("David Park · last review 2026-Q2") for t in missing)
    # people who joined after the quarter have nothing to be reviewed for yet
    assert not any(t.startswith("Tom Becker") for t in missing)

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_people(pilot)
        options = screen.query_one("#people-attention")
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert "No mentor (4)" in prompts and "No review for 2026-Q3 (1)" in prompts
        # enter on an overdue training shows that manager's log at that entry
        index = next(i for i, p in enumerate(prompts) if "Project management" in p)
        options.focus()
        options.highlighted = index
        await pilot.press("enter")
        dev = screen.query_one("#dev-log")
        assert screen.person().name == "张伟"
        assert app.focused is dev
        row_key = dev.coordinate_to_cell_key(dev.cursor_coordinate).row_key.value
        assert store.get("development", row_key)["title"].startswith("Project management")


async def test_write_and_edit_reviews_with_the_kpis_beside_the_form(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_people(pilot, "David Park")
        before = len(app.store.records("reviews"))
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ReviewForm)
        # the manager's KPIs for the period are beside the form, and follow the period
        assert "Q3 2026" in str(form.query_one("#kpis-title").render())
        kpis = form.query_one("#review-kpi-table")
        assert kpis.row_count == 13 and str(kpis.get_row_at(0)[0]) == "CSAT"
        period = form.query_one("#period")
        period.value = "2026-10"
        await pilot.pause()
        assert "Oct 2026" in str(form.query_one("#kpis-title").render())
        # saving without a score is refused and the form stays open
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert "score" in str(form.query_one("#form-error").render())
        # fill it in by keyboard: score 2 from the list, then the texts
        form.query_one("#score").focus()
        await pilot.press("enter", "down", "down", "down", "down", "enter")
        assert form.query_one("#score").value == "2"
        form.query_one("#strengths").text = "Clients trust him"
        form.query_one("#improvements").text = "Deliver on time; answer complaints fast"
        form.query_one("#outcome").value = "Improvement plan"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        reviews = app.store.records("reviews")
        assert len(reviews) == before + 1
        new = reviews[-1]
        assert new["manager"] == "David Park" and new["period"] == "2026-10"
        assert new["score"] == "2" and new["outcome"] == "Improvement plan"
        assert new["reviewer"] == "Sarah Chen"  # the usual reviewer is suggested
        assert new["date"] == "2026-11-26"
        assert any(e.tab == "reviews" and e.op == "add" for e in app.store.pending_edits())
        # the profile shows it at once
        assert str(screen.query_one("#reviews").get_row_at(0)[0]) == "2026-10"

        # edit Li Wei's latest review
        screen.query_one("#people-list").focus()
        await pilot.press("down", "down")
        assert screen.person().name == "Li Wei"
        await pilot.press("enter")  # from the list to the manager's reviews
        assert app.focused is screen.query_one("#reviews")
        review_id = str(screen.query_one("#reviews").coordinate_to_cell_key(
            screen.query_one("#reviews").cursor_coordinate).row_key.value)
        await pilot.press("enter")
        form = app.screen
        assert isinstance(form, ReviewForm) and form.review["id"] == review_id
        assert form.query_one("#score").value == app.store.get("reviews", review_id)["score"]
        outcome = "Bonus" if form.review["outcome"] != "Bonus" else "Recognition"
        form.query_one("#outcome").value = outcome
        await pilot.press("escape")
        assert app.screen is form  # something was changed: a second escape throws it away
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.store.get("reviews", review_id)["outcome"] == outcome
        edit = app.store.pending_edits()[-1]
        assert edit.op == "update" and list(edit.changes) == ["outcome"]




async def test_log_a_mentoring_session_and_a_training(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_people(pilot, "Emily Zhao")
        await pilot.press("s")
        form = app.screen
        assert isinstance(form, DevelopmentForm)
        assert form.query_one("#type").value == "Mentoring"
        assert form.query_one("#with_").value == "Li Wei"  # her mentor
        assert form.query_one("#title").value == "Mentoring session"
        await pilot.press("ctrl+s")
        await settle(pilot)
        new = app.store.records("development")[-1]
        assert (new["manager"], new["type"], new["with_"], new["status"], new["date"]) == (
            "Emily Zhao", "Mentoring", "Li Wei", "Done", "2026-11-26")
        assert new["hours"] == "1"

        await pilot.press("t")
        form = app.screen
        assert form.query_one("#type").value == "Training"
        await pilot.press(*"Client workshops")  # typed into the focused title
        form.query_one("#with_").value = "Internal academy"
        form.query_one("#date").value = "2026-12-10"
        await pilot.press("ctrl+s")  # Done in the future is refused
        assert app.screen is form
        form.query_one("#status").value = "Planned"
        await pilot.press("ctrl+s")
        await settle(pilot)
        new = app.store.records("development")[-1]
        assert (new["title"], new["status"], new["date"], new["hours"]) == (
            "Client workshops", "Planned", "2026-12-10", "2")
