"""Lists and tables whose enter key says what it does here.

    KpiGrid = enter_does(DataTable, "Scorecard", "kpis.open_scorecard")
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


def enter_does(base: type, description: str, binding_id: str) -> type:
    """``base`` (a DataTable or OptionList) whose enter key is labelled for this place, so
    the key bar and the ? help say "enter Scorecard" rather than "enter Select"."""
    action = "select_cursor" if issubclass(base, DataTable) else "select"
    binding = Binding("enter", action, description, id=binding_id)
    return type(base.__name__, (base,), {"BINDINGS": [binding], "__module__": __name__,
                                         "__doc__": f"{base.__name__}: enter = {description}"})
