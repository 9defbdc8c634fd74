"""``?``: every key of the screen it was opened on, grouped, remapped keys included."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from amtui.domain.i18n import N_, _

# keys that work through the focused widget and have no binding id of ours
BUILT_IN = {
    "BoardScreen": [(N_("enter / click"), N_("Open the project form")),
                    ("↑ ↓ ← →", N_("Previous / next card, previous / next column")),
                    ("pgup pgdn home end", N_("Page through a column"))],
    "InboxScreen": [(N_("enter / click"), N_("Open the feedback form")),
                    ("↑ ↓", N_("Previous / next")),
                    ("tab", N_("Focus the detail pane (scroll it with ↑ ↓)"))],
}
GLOBAL = [("ctrl+p", N_("Command palette: every action by name")),
          ("ctrl+q", N_("Quit from anywhere")),
          ("tab / shift+tab", N_("Next / previous field or pane"))]


def key_lines(table: list[tuple[str, list[tuple[str, str, str]]]]) -> list[Content]:
    """One Content per section: keys, description and binding id in columns as wide as
    their longest entry (in cells), two spaces apart, so nothing runs together."""
    rows = [row for _section, rows in table for row in rows]
    keys_width = max((cell_len(keys) for keys, _d, _i in rows), default=0)
    text_width = max((cell_len(text) for _k, text, _i in rows), default=0)
    result = []
    for section, section_rows in table:
        parts: list = [(section, "bold $text-primary"), "\n"]
        for keys, description, binding_id in section_rows:
            parts += [("  " + keys + " " * (keys_width - cell_len(keys) + 2), "bold $accent"),
                      (description + " " * (text_width - cell_len(description) + 2), ""),
                      (binding_id, "$text-muted"), "\n"]
        result.append(Content.assemble(*parts))
    return result


def key_table(screen: Screen) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """[(section, [(keys, description, binding id)])]: the screen's keys, then the app's."""
    app = screen.app
    sections: dict[str, dict[str, tuple[list[str], str]]] = {}
    for _key, active in screen.active_bindings.items():
        binding = active.binding
        # our bindings have ids; the rest (a list's arrows, copy...) are listed by hand
        if not binding.description or binding.system or not binding.id:
            continue
        section = N_("Everywhere") if active.node is app else N_("This screen")
        rows = sections.setdefault(section, {})
        keys, _bid = rows.setdefault(binding.tooltip or binding.description,
                                  ([], binding.id or ""))
        shown = app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
    result = []
    for section in ("This screen", "Everywhere"):
        rows = [(" / ".join(keys), _(desc), bid)
                for desc, (keys, bid) in sections.get(section, {}).items()]
        if section == "This screen":
            rows += [(_(k), _(d), "") for k, d in BUILT_IN.get(type(screen).__name__, [])]
        else:
            rows += [(k, _(d), "") for k, d in GLOBAL]
        if rows:
            result.append((_(section), rows))
    return result


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape,question_mark,q", "close", N_("Close"), id="help.close")]

    def __init__(self, screen: Screen):
        super().__init__()
        self.table = key_table(screen)
        self.screen_name = _(getattr(screen, "HELP_TITLE", type(screen).__name__.replace(
            "Screen", "")))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Label(_("Keys — {screen}").format(screen=self.screen_name), classes="dialog-title")
            # a fixed share of the screen with a visible scrollbar: keys below the fold
            # are seen to be there
            with VerticalScroll(id="help-keys"):
                for content in key_lines(self.table):
                    yield Static(content, classes="help-section")
            yield Static(_("escape closes · change keys in the config's [keys] table "
                           '(binding id = "key")'), classes="dialog-keys", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
