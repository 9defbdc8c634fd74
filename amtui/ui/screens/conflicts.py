"""Conflicts: a field changed in the sheet and here since the last sync. A person decides:
keep the sheet's value, keep mine, or type a new one. The choice is written at the next sync.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from amtui.domain import schema
from amtui.services.texts import describe_conflict_value as describe_value
from amtui.ui.screens.common import guarded
from amtui.ui.screens.synclog import SyncScreen, cell


class ConflictsScreen(SyncScreen):
    HELP_TITLE = "Conflicts"
    ROW_ACTION, ROW_KEY = "open", ("Open record", "conflicts.open", False)
    BINDINGS = [
        Binding("s", "resolve('sheet')", "Keep sheet", id="conflicts.sheet"),
        Binding("m", "resolve('mine')", "Keep mine", id="conflicts.mine"),
        Binding("e", "edit_value", "New value", id="conflicts.edit"),
    ]

    def reload(self, full: bool = False) -> None:
        store = self.app.store
        config = self.app.workspace.config
        conflicts = store.conflicts()
        rows = []
        for c in conflicts:
            tab = schema.TABS.get(c["tab"])
            record = store.get(c["tab"], c["record_id"]) or {}
            name = record.get(tab.name_field, "") if tab else ""
            field = ("(whole row)" if c["field"] == "*"
                     else config.header_of(c["tab"], c["field"]) if tab else c["field"])
            rows.append((
                cell(f"{config.title_of(c['tab'])} {c['record_id']}", 18),
                cell(name, 24), field,
                cell(describe_value(c, "base"), 18), cell(describe_value(c, "mine"), 18),
                cell(describe_value(c, "theirs"), 18),
            ))
        self.fill(["Record", "Name", "Field", "At last sync", "Mine (here)", "Sheet"], rows,
                  {str(c["id"]): c for c in conflicts})
        self.set_count_title(
            "Conflicts", len(conflicts),
            "open · s keep sheet · m keep mine · e new value · enter open the record · "
            "escape back",
            "none open: every field changed on both sides has been decided")

    def show_detail(self, detail: Static, conflict: dict) -> None:
        muted = "$text-muted"
        if conflict["field"] == "*":
            what = ("The row was deleted in the sheet and edited here." if
                    conflict.get("theirs") == "deleted" else
                    "The row was deleted here and edited in the sheet.")
            detail.update(Content.assemble(
                (what, "bold"), "\n",
                ("s keeps the sheet's state, m keeps this side's.", muted)))
            return
        detail.update(Content.assemble(
            ("At last sync: ", muted), (describe_value(conflict, "base"), ""), "\n",
            ("Mine (here):  ", muted), (describe_value(conflict, "mine"), "bold"), "\n",
            ("Sheet:        ", muted), (describe_value(conflict, "theirs"), "bold")))

    @guarded
    def action_resolve(self, choice: str) -> None:
        conflict = self.current_or_bell()
        if conflict is not None:
            self.app.resolve_conflict(conflict, choice)

    @guarded
    def action_edit_value(self) -> None:
        conflict = self.current_or_bell()
        if conflict is None:
            return
        if conflict["field"] == "*":
            self.notify("A deleted row can only be kept or dropped: s or m.")
            return

        def save(value: str) -> str | None:
            if self.app.resolve_conflict(conflict, "value", value):
                return None
            return "not taken: see the message"

        self.ask_value(
            f"New value for {conflict['record_id']} "
            f"{schema.TABS[conflict['tab']].header_of(conflict['field'])}",
            value=conflict.get("mine") or "",
            hint=f"Sheet has: {describe_value(conflict, 'theirs')}", save=save)
