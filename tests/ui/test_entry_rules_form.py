"""Issue 13 #3 in the app: an entirely empty New feedback form is not saved; it stays open
and says why (the store's required-field rule, the same as the CLI's and the sync's)."""

from __future__ import annotations

from amtui.ui.screens.feedback_form import FeedbackForm
from amtui.ui.screens.inbox import InboxScreen
from tests.ui.conftest import SIZE, notifications


async def test_an_empty_new_feedback_form_cannot_be_saved(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        before = app.store.count("feedback")
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open, nothing typed is lost
        assert app.store.count("feedback") == before
        assert any("Text or Rating is required" in text for text in notifications(app))
        # a rating alone is feedback
        form.query_one("#f-rating").value = "4"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InboxScreen)
        assert app.store.count("feedback") == before + 1
