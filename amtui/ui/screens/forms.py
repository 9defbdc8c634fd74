"""What every form shares (project, feedback, review, development): one look (a dialog with
a title, a grid of labelled fields, a line for what went wrong, Save and Cancel), ctrl+s to
save, escape to cancel without losing typing by accident.

    class ReviewForm(FormScreen):
        def compose(self):
            with self.box():
                yield self.heading("New review for Li Wei")
                with self.field_grid():
                    yield from self.field("Period", Input(...))
        def values(self) -> dict[str, str]: ...
        def action_save(self) -> None: ...

A form writes through ``app.add_record`` / ``app.edit`` and stays open when the store
refuses a value; it dismisses with the record's ID, or None when cancelled.

What a form shows is its *subject* (the record, the manager, the defaults: the arguments of
its constructor, kept by ``set_subject``); ``fill`` puts the subject into the fields. A form
built once is kept and opened again for the next subject (``app.open_form``): filling ~15
fields takes a fraction of building them (a form opens in ~70 ms instead of ~250).
"""

from __future__ import annotations

import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.widgets.select import InvalidSelectValueError

from amtui.domain.i18n import N_, _
from amtui.ui.screens.common import guarded
from amtui.ui.widgets.updates import update_if_changed

# A second escape within this many seconds throws away unsaved typing.
DISCARD_WINDOW = 3.0


def put_text(field: Input, value: str) -> None:
    """A value the form puts in (not typed): the cursor at its end, and no suggestion
    looked up for it."""
    suggester, field.suggester = field.suggester, None
    field.value = value
    field.cursor_position = len(value)
    field.suggester = suggester


def put_choice(field: Select, value: str) -> None:
    """Choose ``value``, or nothing when it is not one of the choices."""
    try:
        field.value = value if value else Select.NULL
    except InvalidSelectValueError:
        field.value = Select.NULL


class FormScreen(ModalScreen[str | None]):
    """The base of every form. ``ASK_TO_DISCARD``: escape with unsaved typing asks in a
    dialog (True) or wants a second escape (False). ``ENTER_SAVES``: enter in a one-line
    field saves (True) or moves to the next field (False)."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save", priority=True),
        Binding("escape", "cancel", N_("Cancel"), id="form.cancel"),
    ]
    ASK_TO_DISCARD = False
    ENTER_SAVES = False

    def __init__(self) -> None:
        super().__init__()
        self.initial_values: dict[str, str] = {}
        self.escape_at = 0.0
        self.subject: dict = {}
        self.built_for: tuple | None = None  # what the fields were built with (open_form)

    # -- the subject --------------------------------------------------------------------

    def set_subject(self, **subject) -> None:
        """What the form is about (called by the constructor; then ``fill`` shows it)."""
        self.subject = subject

    def fill(self) -> None:  # pragma: no cover - overridden
        """Put the subject into the fields, as a new form would show it."""
        raise NotImplementedError

    def pool_key(self) -> str:
        """Forms with the same key have the same fields and can take each other's subject."""
        return type(self).__name__

    def take_subject(self, other: FormScreen) -> None:
        """Show ``other``'s subject in this form (built before, not on show)."""
        self.set_subject(**other.subject)
        self.show_subject()

    def load_manager(self, manager_id: str) -> dict:
        """The manager's record, its name set (their ID when the store has no name), and
        ``self.manager_name`` with it: the forms about a person show who it is."""
        manager = self.app.store.get("managers", manager_id) or {}
        self.manager_name = manager.get("name") or manager_id
        return {**manager, "name": self.manager_name}

    def show_subject(self) -> None:
        self.escape_at = 0.0
        for line in self.query("#form-error").results(Static):
            line.update("")
        # fill checks what it puts in; the fields' Changed messages would check it all
        # again and draw a second frame
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            self.fill()

    def on_mount(self) -> None:
        if not self.is_attached:
            return  # the app quits (q during the warm-up): its fields are gone already
        self.built_for = self.app.form_context()
        self.show_subject()

    def on_screen_suspend(self) -> None:
        if self not in self.app.screen_stack:
            # closed, not covered by a dialog: a kept form's cursor must not blink off
            # screen, and focusing a field when it opens again restarts the blink there
            self.set_focus(None)

    def focus_field(self, field: Widget) -> None:
        """The cursor in ``field``, its text selected (typing replaces it), whether the form
        is new or kept (focused already, so no Focus event would select it)."""
        self.set_focus(field)
        if isinstance(field, Input) and field.select_on_focus:
            field.select_all()

    # -- the look ---------------------------------------------------------------------

    @staticmethod
    def box(*, wide: bool = False) -> Vertical:
        """The dialog around a form (use as a context manager in ``compose``)."""
        return Vertical(classes="dialog form" + (" wide-form" if wide else ""))

    @staticmethod
    def heading(text: str | Content) -> Label:
        return Label(text, classes="dialog-title")

    def show_heading(self, text: str) -> None:
        update_if_changed(self.query_one(".dialog-title", Label), text)

    @staticmethod
    def field_grid() -> Grid:
        """The grid of labels and fields (use as a context manager in ``compose``)."""
        return Grid(id="form-fields")

    @staticmethod
    def field(label: str, widget: Widget) -> ComposeResult:
        yield Label(label, classes="field-label")
        if widget.has_class("field-area"):
            # a grid row is as tall as its cells' content: a box gives the text area its
            # three lines (on its own it would get the one line of its empty text)
            box = Vertical(classes="field-box")
            box.compose_add_child(widget)
            yield box
        else:
            yield widget

    @staticmethod
    def error_line() -> Static:
        return Static("", id="form-error")

    @staticmethod
    def actions() -> Static:
        """Save and Cancel, clickable, with their keys."""
        return Static(Content.assemble(
            (f" {_('Save')} ", "bold reverse $primary @click=screen.save"), " ctrl+s   ",
            (f" {_('Cancel')} ", "bold reverse $panel-lighten-2 @click=screen.cancel"),
            " escape   ",
            (_("tab next field · → accepts a suggestion"), "$text-muted")),
            classes="form-actions")

    # -- state ------------------------------------------------------------------------

    def values(self) -> dict[str, str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def remember_initial(self) -> None:
        self.initial_values = self.values()

    @property
    def dirty(self) -> bool:
        return self.values() != self.initial_values

    def show_error(self, text: str) -> None:
        """Say what is wrong, in the form (it stays open)."""
        found = self.query("#form-error")
        if found:
            found.first(Static).update(Content.styled(text, "$text-error"))
        else:
            self.notify(text, title=_("Not saved"), severity="error")

    # -- keys -------------------------------------------------------------------------

    @guarded
    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        if self.ASK_TO_DISCARD:
            from amtui.ui.screens.confirm import ConfirmScreen

            def decided(discard: bool | None) -> None:
                if discard:
                    self.dismiss(None)

            self.app.push_screen(ConfirmScreen(_("Discard your changes to this form?"),
                                               title=_("Unsaved changes"), yes=_("Discard"),
                                               no=_("Keep editing")), decided)
            return
        now = time.monotonic()
        if now - self.escape_at > DISCARD_WINDOW:
            self.escape_at = now
            self.show_error(_("Not saved yet: ctrl+s saves, escape again throws it away."))
            return
        self.dismiss(None)

    @on(Input.Submitted)
    def enter_pressed(self, event: Input.Submitted) -> None:
        event.stop()
        if self.ENTER_SAVES:
            self.action_save()
        else:
            self.focus_next()

    @guarded
    def action_save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def save_record(self, tab: str, record: dict | None, values: dict[str, str],
                    **fixed: str) -> None:
        """Add (``record`` None, with ``fixed`` values) or change a record, then close with
        its ID; on refusal the form stays open with the reason shown."""
        if record is None:
            record_id = self.app.add_record(tab, {**fixed, **values})
        else:
            changes = {k: v for k, v in values.items() if v != (record.get(k) or "")}
            record_id = record["id"] if (
                not changes or self.app.edit(tab, record["id"], changes)) else None
        if record_id is None:
            self.show_error(_("Not saved: see the message for what to fix."))
            return
        self.dismiss(record_id)
