"""Lists and tables whose enter key says what it does here.

    KpiGrid = enter_does(DataTable, "Scorecard", "kpis.open_scorecard")
"""

from __future__ import annotations

from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable


class SteadyTable(DataTable):
    """A ``DataTable`` that keeps its drawn rows when a restyle changed nothing it draws
    with. Textual restyles every widget of a screen each time the screen is shown again,
    and DataTable throws its whole render cache away on each restyle: on the large demo
    that was ~0.1 s of every switch to People. The styles are compared when the table is
    next drawn (its part styles are only updated after the restyle has told it)."""

    steady_look: tuple | None = None
    look_checked = True

    def notify_style_update(self) -> None:
        Widget.notify_style_update(self)  # the widget's own style caches
        self.look_checked = False
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        if not self.look_checked:
            self.look_checked = True
            look = (self.rich_style, *(self.get_component_rich_style(name, partial=True)
                                       for name in sorted(self.COMPONENT_CLASSES)))
            if look != self.steady_look:
                self.steady_look = look
                super().notify_style_update()  # DataTable's: every drawn row again
        return super().render_lines(crop)


def enter_does(base: type, description: str, binding_id: str) -> type:
    """``base`` (a DataTable or OptionList) whose enter key is labelled for this place, so
    the key bar and the ? help say "enter Scorecard" rather than "enter Select"."""
    action = "select_cursor" if issubclass(base, DataTable) else "select"
    binding = Binding("enter", action, description, id=binding_id)
    return type(base.__name__, (base,), {"BINDINGS": [binding], "__module__": __name__,
                                         "__doc__": f"{base.__name__}: enter = {description}"})
