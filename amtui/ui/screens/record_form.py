"""A form for one record with every field, checked as you type.

Each field is read the way the sync reads the sheet (``amtui.domain.parse.normalize``, names
through the store's index), so the form refuses exactly what the store would refuse and says
why under the field. Names and allowed values complete as you type (``→`` accepts).

    app.open_form(RecordForm("projects", "P-0042"), callback)   # -> saved ID or None
    app.open_form(RecordForm("feedback", None, defaults={...}), callback)
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static, TextArea

from amtui.domain import i18n, schema
from amtui.domain.i18n import N_, _
from amtui.domain.parse import normalize
from amtui.domain.validate import prepare_value
from amtui.ui.screens.forms import FormScreen, put_text
from amtui.ui.widgets.cards import fitting_chars
from amtui.ui.widgets.updates import update_if_changed

KIND_HINTS = {
    schema.DATE: N_("a date, e.g. 2026-12-05"),
    schema.DATETIME: N_("a date, or a date and time, e.g. 2026-12-05 14:30"),
    schema.MONEY: N_("an amount, e.g. 120000 or ¥120,000"),
    schema.PERCENT: N_("a percentage, e.g. 60%"),
    schema.RATING: N_("1 to 5"),
    schema.NUMBER: N_("a number"),
    schema.PERIOD: N_("2026-11 or 2026-Q4"),
    schema.EMAIL: "name@example.com",
}
# what a record is called in a form's title
NOUNS = {"projects": N_("Project"), "feedback": N_("Feedback")}


def field_name(config, tab: str, key: str) -> str:
    """A field's name in a form: in Chinese the field's Chinese name; in English the
    sheet's header (the config may rename it)."""
    if i18n.is_chinese():
        return schema.label(tab, key)
    return config.header_of(tab, key)


class RecordForm(FormScreen):
    """Edit (``record_id`` given) or add (``record_id=None``) a record of ``tab``."""

    ASK_TO_DISCARD = True
    ENTER_SAVES = True
    MULTILINE: tuple[str, ...] = ()
    HIDDEN: tuple[str, ...] = ("id",)

    def __init__(self, tab: str, record_id: str | None = None, *,
                 defaults: dict[str, str] | None = None, title: str | None = None):
        super().__init__()
        self.tab = tab
        self.table = schema.TABS[tab]
        self.set_subject(record_id=record_id, defaults=defaults, title=title)

    def set_subject(self, *, record_id: str | None, defaults: dict[str, str] | None,
                    title: str | None) -> None:
        super().set_subject(record_id=record_id, defaults=defaults, title=title)
        self.record_id = record_id
        self.original: dict[str, str] = {}
        self.defaults = defaults or {}
        self.title_text = title
        self.errors: dict[str, str] = {}

    def pool_key(self) -> str:
        return f"{super().pool_key()}:{self.tab}"

    # -- building -----------------------------------------------------------------------

    def fields(self) -> list[schema.Field]:
        return [f for f in self.table.fields if f.key not in self.HIDDEN]

    def compose(self) -> ComposeResult:
        config = self.app.workspace.config
        with self.box():
            yield self.heading("")
            # one grid, three widgets a field (label, input, reason): forms open faster
            # the fewer widgets they have
            with self.field_grid():
                for f in self.fields():
                    label = field_name(config, self.tab, f.key) + (" *" if f.required else "")
                    yield Label(label, classes="field-label")
                    if f.key in self.MULTILINE:
                        yield TextArea(id=f"f-{f.key}", soft_wrap=True, compact=True,
                                       classes="field-area")
                    else:
                        yield Input(id=f"f-{f.key}", compact=True,
                                    placeholder=_(KIND_HINTS[f.kind])
                                    if f.kind in KIND_HINTS else "")
                    yield Static(Content(""), id=f"h-{f.key}", classes="field-hint")
            yield self.actions()

    def heading_text(self) -> str:
        config = self.app.workspace.config
        if self.tab in NOUNS:
            noun = _(NOUNS[self.tab])
        elif i18n.is_chinese():
            noun = schema.tab_label(self.tab)
        else:
            noun = config.title_of(self.tab).rstrip("s")
        name = " ".join(self.original.get(self.table.name_field, "").split())
        if cell_len(name) > 50:
            name = name[:fitting_chars(name, 49)] + "…"
        return self.title_text or (
            f"{noun} {self.record_id}" + (f" · {name}" if name else "") if self.record_id
            else _("New {noun}").format(noun=noun.lower()))

    def fill(self) -> None:
        """The record's values (or the defaults of a new one), checked; the names it
        suggests as they are now; the cursor in the first field."""
        app = self.app
        if self.record_id is not None:
            self.original = app.store.get(self.tab, self.record_id) or {}
        start = {**self.original, **self.defaults} if self.record_id is None else self.original
        self.show_heading(self.heading_text())
        refs = app.store.refs()
        for f in self.fields():
            value = start.get(f.key, "")
            if f.kind == schema.CHOICE:
                value = schema.shown(value)  # stored canonical, shown translated
            widget = self.query_one(f"#f-{f.key}")
            if isinstance(widget, TextArea):
                widget.load_text(value)  # and no undo into the last subject
            else:
                put_text(widget, value)
                widget.suggester = self.suggester_for(f, refs)
            self.check_field(f.key, self.typed_text(f.key))
        first = self.query(Input).first() if self.query(Input) else None
        if first is not None:
            self.focus_field(first)

    def suggester_for(self, f: schema.Field, refs) -> SuggestFromList | None:
        if f.kind == schema.CHOICE:
            return SuggestFromList([schema.shown(c) for c in
                                    self.app.rules.choices_for(self.tab, f.key)],
                                   case_sensitive=False)
        if f.kind in schema.REF_KINDS:
            return SuggestFromList(refs.names(schema.REF_KINDS[f.kind]), case_sensitive=False)
        return None

    # -- checking -----------------------------------------------------------------------

    def typed_text(self, key: str) -> str:
        """What is in a field, as it will be stored (a choice shown in Chinese is stored as
        its canonical value)."""
        widget = self.query_one(f"#f-{key}")
        text = widget.text if isinstance(widget, TextArea) else widget.value
        return self.stored_text(key, text)

    def stored_text(self, key: str, text: str) -> str:
        f = self.table.field(key)
        if f.kind != schema.CHOICE or not text.strip():
            return text
        wanted = text.strip().casefold()
        for choice in self.app.rules.choices_for(self.tab, key):
            if schema.shown(choice).casefold() == wanted and choice.casefold() != wanted:
                return choice
        return text

    def check_value(self, key: str, text: str) -> tuple[str, str]:
        """(error, note): why ``text`` is refused, or how it will be stored."""
        f = self.table.field(key)
        # the same check as the store's edit path (domain.validate), so both refuse alike
        reason, _value = prepare_value(self.tab, f, text, self.app.rules, self.app.store.refs())
        if reason:
            return reason, ""
        parsed = normalize(f, text, self.app.rules, tab=self.tab)
        if f.kind == schema.CHOICE and not parsed.value:
            choices = _(", ").join(
                schema.shown(c) for c in self.app.rules.choices_for(self.tab, key))
            return "", _("one of {choices}").format(choices=choices)
        if parsed.value and parsed.value != text.strip() and f.kind not in schema.REF_KINDS:
            unit = "%" if f.kind == schema.PERCENT else ""
            value = parsed.value
            if f.kind == schema.CHOICE:
                value = schema.shown(value)
                if value == self.shown_text(key).strip():
                    return "", ""  # the choice as the UI shows it: stored canonical
            return "", _("saved as {value}").format(value=f"{value}{unit}")
        return "", ""

    def shown_text(self, key: str) -> str:
        widget = self.query_one(f"#f-{key}")
        return widget.text if isinstance(widget, TextArea) else widget.value

    def check_field(self, key: str, text: str) -> None:
        error, note = self.check_value(key, self.stored_text(key, text))
        hint = self.query_one(f"#h-{key}", Static)
        if error:
            self.errors[key] = error
        else:
            self.errors.pop(key, None)
        # an update lays the form out again
        update_if_changed(hint, Content.styled("✗ " + error, "$error") if error else
                          Content.styled(note, "$text-muted") if note else Content(""))
        hint.set_class(bool(error or note), "-shown")
        widget = self.query_one(f"#f-{key}")
        widget.set_class(bool(error), "-invalid-value")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("f-"):
            self.check_field(event.input.id[2:], event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        area = event.text_area
        if area.id and area.id.startswith("f-"):
            self.check_field(area.id[2:], area.text)

    # -- saving -------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {f.key: self.typed_text(f.key) for f in self.fields()}

    def changes(self) -> dict[str, str]:
        typed = self.values()
        if self.record_id is None:
            return {k: v for k, v in typed.items() if v.strip()}
        return {k: v for k, v in typed.items() if v != self.original.get(k, "")}

    @property
    def dirty(self) -> bool:
        changes = self.changes()
        if self.record_id is None:  # the defaults alone are nothing to lose
            return bool(changes) and changes != {
                k: v for k, v in self.defaults.items() if v.strip()}
        return bool(changes)

    def action_save(self) -> None:
        # check what is in the fields now: ctrl+s can come before their Changed messages
        for f in self.fields():
            self.check_field(f.key, self.typed_text(f.key))
        changes = self.changes()
        bad = [k for k in changes if k in self.errors] + [
            k for k in self.errors if self.record_id is None and self.table.field(k).required]
        if bad:
            config = self.app.workspace.config
            headers = _(", ").join(
                field_name(config, self.tab, k) if i18n.is_chinese() else self.table.header_of(k)
                for k in dict.fromkeys(bad))
            self.notify(_("Fix {fields} first (the reason is under the field).").format(
                fields=headers), title=_("Not saved"), severity="error")
            self.query_one(f"#f-{bad[0]}").focus()
            return
        if self.record_id is None:
            new_id = self.app.add_record(self.tab, changes)
            if new_id is not None:
                self.dismiss(new_id)
            return
        if not changes:
            self.dismiss(self.record_id)
            return
        if self.app.edit(self.tab, self.record_id, changes):
            self.dismiss(self.record_id)
