"""The feedback form: log new feedback (a phone call, a chat) or correct a feedback item.

    app.open_form(FeedbackForm(None, today=app.today), on_saved)   # new
    app.open_form(FeedbackForm("F-00042"), on_saved)               # edit
"""

from __future__ import annotations

from datetime import date

from amtui.ui.screens.record_form import RecordForm


class FeedbackForm(RecordForm):
    MULTILINE = ("text", "response")

    def __init__(self, record_id: str | None = None, *, today: date | None = None,
                 defaults: dict[str, str] | None = None):
        values = dict(defaults or {})
        if record_id is None:
            values.setdefault("received", (today or date.today()).isoformat())
            values.setdefault("source", "Client")
            values.setdefault("status", "New")
        super().__init__("feedback", record_id, defaults=values)
