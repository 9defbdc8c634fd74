"""Add or edit a development entry: a training, mentoring session, certification or coaching.

    app.open_form(DevelopmentForm("M-006", kind="Mentoring"), on_saved)

A mentoring session is logged on the mentee (the Manager column is the person being
developed) with the mentor in With, as in the Development tab. The form writes through
``app.add_record`` / ``app.edit`` and dismisses with the entry's ID, or None.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Select

from amtui.domain import schema
from amtui.domain.i18n import N_, _
from amtui.domain.parse import read_date
from amtui.domain.text import fold
from amtui.ui.screens.common import guarded
from amtui.ui.screens.forms import FormScreen, put_choice, put_text

# a new entry's title, written in the UI's language (a title is free text)
DEFAULT_TITLES = {"training": "", "mentoring": N_("Mentoring session"),
                  "coaching": N_("1:1 coaching"), "certification": ""}
DEFAULT_HOURS = {"training": "2", "mentoring": "1", "coaching": "1", "certification": ""}


class DevelopmentForm(FormScreen):
    """Type, title, with (trainer or mentor), date, hours, status and notes."""

    def __init__(self, manager_id: str, *, kind: str = "Training", record: dict | None = None):
        super().__init__()
        self.set_subject(manager_id=manager_id, kind=kind, record=record)

    def set_subject(self, *, manager_id: str, kind: str, record: dict | None) -> None:
        super().set_subject(manager_id=manager_id, kind=kind, record=record)
        self.manager_id = manager_id
        self.manager_name = manager_id
        self.kind = kind
        self.record = record

    def compose(self) -> ComposeResult:
        rules = self.app.rules
        types = rules.choices_for("development", "type")
        statuses = rules.choices_for("development", "status")

        def label(field: str) -> str:
            return schema.label("development", field)

        with self.box():
            yield self.heading("")
            with self.field_grid():
                # choices show in the UI's language; the stored value stays canonical
                yield from self.field(label("type"), Select(
                    [(schema.shown(t), t) for t in types], id="type", allow_blank=False,
                    compact=True))
                yield from self.field(label("title") + " *", Input(
                    id="title", placeholder=_("course, session or certificate"),
                    compact=True))
                yield from self.field(label("with_"), Input(
                    id="with_", placeholder=_("trainer, mentor or provider"), compact=True))
                yield from self.field(label("date"), Input(
                    id="date", placeholder=_("YYYY-MM-DD"), compact=True))
                yield from self.field(label("hours"), Input(
                    id="hours", placeholder=_("e.g. 1.5"), compact=True))
                yield from self.field(label("status"), Select(
                    [(schema.shown(s), s) for s in statuses], id="status", allow_blank=False,
                    compact=True))
                yield from self.field(label("notes"), Input(id="notes", compact=True))
            yield self.error_line()
            yield self.actions()

    def fill(self) -> None:
        """The entry's values; a new one: the kind asked for, its usual title and hours,
        the manager's mentor for mentoring, today, Done."""
        rules = self.app.rules
        manager = self.load_manager(self.manager_id)
        record = self.record or {}
        types = rules.choices_for("development", "type")
        statuses = rules.choices_for("development", "status")
        kind = record.get("type") or next((t for t in types if fold(t) == fold(self.kind)),
                                          types[0])
        key = fold(kind)
        with_ = record.get("with_")
        if with_ is None:  # a new mentoring session is usually with the manager's mentor
            with_ = (manager.get("mentor") or "") if key in ("mentoring", "coaching") else ""
        status = record.get("status") or next((s for s in statuses if fold(s) == "done"),
                                              statuses[0])
        heading = (_("Edit {id} for {name}").format(id=record["id"], name=self.manager_name)
                   if record else _("New {kind} entry for {name}").format(
                       kind=schema.shown(kind).lower(), name=self.manager_name))
        default_title = DEFAULT_TITLES.get(key, "")
        self.show_heading(heading)
        put_choice(self.query_one("#type", Select), kind if kind in types else types[0])
        put_choice(self.query_one("#status", Select),
                   status if status in statuses else statuses[0])
        texts = {"title": record.get("title", _(default_title) if default_title else ""),
                 "with_": with_, "date": record.get("date") or self.app.today.isoformat(),
                 "hours": record.get("hours", DEFAULT_HOURS.get(key, "")),
                 "notes": record.get("notes") or ""}
        for field, text in texts.items():
            put_text(self.query_one(f"#{field}", Input), text)
        self.remember_initial()
        self.focus_field(self.query_one("#title" if not self.record else "#status"))

    def values(self) -> dict[str, str]:
        out = {}
        for key in ("title", "with_", "date", "hours", "notes"):
            out[key] = self.query_one(f"#{key}", Input).value.strip()
        for key in ("type", "status"):
            value = self.query_one(f"#{key}", Select).value
            out[key] = "" if value is Select.NULL or value is None else str(value)
        return out

    @guarded
    def action_save(self) -> None:
        values = self.values()
        problems = []
        if not values["title"]:
            problems.append(_("a title"))
        day = read_date(values["date"])
        if (day is not None and day > self.app.today and fold(values["status"]) == "done"):
            problems.append(_("a date that has passed for a Done entry (or status Planned)"))
        if problems:
            joined = _(" and ").join(problems)
            self.show_error(_("Needs {what}.").format(what=joined))
            return
        self.save_record("development", self.record, values, manager=self.manager_id)
