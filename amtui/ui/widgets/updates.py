"""Redraw a ``Static`` only when what it shows changed.

    update_if_changed(header, Content.assemble(("12 projects", "bold")), layout=False)

``Static.update`` always repaints, and by default lays the screen out again: on a screen with
lists that repaints every scrollbar, in a frame of its own. Status lines, headers and form
hints are set far more often than they change.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def update_if_changed(widget: Static, content: Content | str, *, layout: bool = True) -> bool:
    """Show ``content`` unless ``widget`` shows it already (text *and* styles: ``==`` on
    Content compares the text only). ``layout=False`` when the size cannot change. Returns
    whether it was updated."""
    shown = widget.content
    if isinstance(content, Content) and isinstance(shown, Content):
        same = content.is_same(shown)
    else:
        same = isinstance(content, str) and isinstance(shown, str) and content == shown
    if not same:
        widget.update(content, layout=layout)
    return not same
