"""Pick one name from a list by typing part of it (managers, clients, statuses...).

    self.app.push_screen(PickerScreen("Manager", names, current="Li Wei"), callback)

The callback gets the chosen name, ``""`` for "any" (clear the filter), or None when the
picker was cancelled.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from amtui.domain.i18n import N_, _
from amtui.domain.text import fold

ANY = "\0any"
ANY_LABEL = N_("Any (clear this filter)")


class PickerScreen(ModalScreen[str | None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="picker.cancel"),
        Binding("down", "move(1)", N_("Next"), id="picker.down", show=False, priority=True),
        Binding("up", "move(-1)", N_("Previous"), id="picker.up", show=False, priority=True),
    ]

    def __init__(self, title: str, names: list[str], *, current: str | None = None,
                 any_label: str | None = ANY_LABEL):
        super().__init__()
        self.title_text = title
        self.names = names
        self.current = current
        self.any_label = _(any_label) if any_label else any_label
        self.name_keys = [fold(n) for n in names]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder=_("type to narrow the list"), id="picker-input")
            yield OptionList(id="picker-list")
            yield Static(_("enter choose · ↑↓ move · escape cancel"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.fill_list("")
        self.query_one(Input).focus()

    def fill_list(self, typed: str) -> None:
        wanted = fold(typed)
        options = []
        if self.any_label and not wanted:
            options.append(Option(self.any_label, id=ANY))
        # names starting with what was typed come first, then those containing it
        starts = [n for n, k in zip(self.names, self.name_keys, strict=True) if k.startswith(wanted)]
        inside = [n for n, k in zip(self.names, self.name_keys, strict=True)
                  if wanted and wanted in k and not k.startswith(wanted)]
        for n, name in enumerate(starts + inside):
            options.append(Option(name, id=f"n{n}"))
        self.shown_names = starts + inside
        listing = self.query_one(OptionList)
        listing.set_options(options)
        if options:
            index = 0
            if self.current and not wanted and self.current in self.shown_names:
                index = self.shown_names.index(self.current) + (1 if self.any_label else 0)
            listing.highlighted = index

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill_list(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.choose(self.query_one(OptionList).highlighted_option)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.choose(event.option)

    def choose(self, option: Option | None) -> None:
        if option is None:
            self.app.bell()
            return
        if option.id == ANY:
            self.dismiss("")
        else:
            self.dismiss(self.shown_names[int(option.id[1:])])

    def action_move(self, step: int) -> None:
        listing = self.query_one(OptionList)
        if step > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
