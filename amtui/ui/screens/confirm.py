"""Small dialogs: yes/no, one line of text, several lines of text.

    self.app.push_screen(ConfirmScreen("Delete 12 rows?"), callback)      # -> bool
    self.app.push_screen(TextPrompt("Blocker", value="waiting on legal"), callback)  # -> str | None
    self.app.push_screen(TextEditor("Response", value=""), callback)     # -> str | None
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from amtui.domain.i18n import N_, _


def buttons(*items: tuple[str, str, str]) -> Static:
    """A line of clickable buttons (label, action, colour): one widget, not one each, so
    dialogs open fast. Each also has a key, shown in its label."""
    parts: list = []
    for label, action, colour in items:
        parts += [(f" {label} ", f"bold reverse {colour} @click={action}"), "  "]
    return Static(Content.assemble(*parts), classes="dialog-buttons")


class ConfirmScreen(ModalScreen[bool]):
    """A question with two buttons; ``y``/``n``, ``enter`` on a button, ``escape`` = no."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: str, *, title: str | None = None, yes: str | None = None,
                 no: str | None = None):
        super().__init__()
        self.question, self.title_text = question, title or _("Are you sure?")
        self.yes, self.no = yes or _("Yes"), no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.question, classes="dialog-body", markup=False)
            yield buttons((f"{self.yes} (y)", "screen.answer(True)", "$warning"),
                          (f"{self.no} (n)", "screen.answer(False)", "$primary"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TextPrompt(ModalScreen[str | None]):
    """One line of text: ``enter`` saves, ``escape`` cancels (returns None).

    ``save``: called with the text on enter; it returns None when the text was taken, or
    why not, which the prompt shows while it stays open with the text as typed."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="prompt.cancel")]

    def __init__(self, title: str, *, value: str = "", hint: str = "",
                 placeholder: str = "", save: Callable[[str], str | None] | None = None):
        super().__init__()
        self.title_text, self.value, self.hint, self.placeholder = title, value, hint, placeholder
        self.save = save
        self.refused = ""  # why the last text was not taken

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            if self.hint:
                yield Static(self.hint, classes="dialog-hint")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("", id="prompt-error", classes="dialog-error")
            yield Static(_("enter save · escape cancel"), classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.save is not None:
            reason = self.save(event.value)
            if reason is not None:
                self.refused = reason
                error = self.query_one("#prompt-error", Static)
                error.update(Content.styled("✗ " + reason, "$text-error"))
                error.add_class("-shown")
                return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextEditor(ModalScreen[str | None]):
    """Several lines of text: ``ctrl+s`` saves, ``escape`` cancels (returns None)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="editor.save"),
        Binding("escape", "cancel", N_("Cancel"), id="editor.cancel"),
    ]

    def __init__(self, title: str, *, value: str = "", context: str = ""):
        super().__init__()
        self.title_text, self.value, self.context = title, value, context

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.title_text, classes="dialog-title")
            if self.context:
                yield Static(self.context, classes="dialog-context", markup=False)
            yield TextArea(self.value, id="editor-text", soft_wrap=True)
            yield buttons((_("Save (ctrl+s)"), "screen.save", "$primary"),
                          (_("Cancel (esc)"), "screen.cancel", "$panel-lighten-2"))

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
