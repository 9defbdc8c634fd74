"""Conflicts: a field changed in the sheet and here since the last sync. A person decides:
keep the sheet's value, keep mine, or type a new one. The choice is written at the next sync.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from amtui.domain import schema
from amtui.domain.i18n import N_, _
from amtui.services.texts import describe_conflict_value as describe_value
from amtui.ui.screens.common import guarded
from amtui.ui.screens.synclog import SyncScreen, cell


class ConflictsScreen(SyncScreen):
    HELP_TITLE = N_("Conflicts")
    ROW_ACTION, ROW_KEY = "open", (N_("Open record"), "conflicts.open", False)
    BINDINGS = [
        Binding("s", "resolve('sheet')", N_("Keep sheet"), id="conflicts.sheet"),
        Binding("m", "resolve('mine')", N_("Keep mine"), id="conflicts.mine"),
        Binding("e", "edit_value", N_("New value"), id="conflicts.edit"),
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
            # a header the sheet uses as built in is shown in the UI's language
            field = (_("(whole row)") if c["field"] == "*"
                     else _(config.header_of(c["tab"], c["field"])) if tab else c["field"])
            rows.append((
                cell(f"{_(config.title_of(c['tab']))} {c['record_id']}", 18),
                cell(name, 24), field,
                cell(describe_value(c, "base"), 18), cell(describe_value(c, "mine"), 18),
                cell(describe_value(c, "theirs"), 18),
            ))
        self.fill([_("Record"), _("Name"), _("Field"), _("At last sync"), _("Mine (here)"),
                   _("Sheet")], rows,
                  {str(c["id"]): c for c in conflicts})
        self.set_count_title(
            _("Conflicts"), len(conflicts),
            _("open · s keep sheet · m keep mine · e new value · enter open the record · "
              "escape back"),
            _("none open: every field changed on both sides has been decided"))

    def show_detail(self, detail: Static, conflict: dict) -> None:
        muted = "$text-muted"
        if conflict["field"] == "*":
            what = (_("The row was deleted in the sheet and edited here.") if
                    conflict.get("theirs") == "deleted" else
                    _("The row was deleted here and edited in the sheet."))
            detail.update(Content.assemble(
                (what, "bold"), "\n",
                (_("s keeps the sheet's state, m keeps this side's."), muted)))
            return
        detail.update(Content.assemble(
            *label_rows([(_("At last sync:"), describe_value(conflict, "base"), ""),
                         (_("Mine (here):"), describe_value(conflict, "mine"), "bold"),
                         (_("Sheet:"), describe_value(conflict, "theirs"), "bold")], muted)))

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
            self.notify(_("A deleted row can only be kept or dropped: s or m."))
            return

        def save(value: str) -> str | None:
            if self.app.resolve_conflict(conflict, "value", value):
                return None
            return _("not taken: see the message")

        self.ask_value(
            _("New value for {record} {field}").format(
                record=conflict["record_id"], field=schema.label(conflict["tab"],
                                                                 conflict["field"])),
            value=conflict.get("mine") or "",
            hint=_("Sheet has: {value}").format(value=describe_value(conflict, "theirs")),
            save=save)


def label_rows(rows: list[tuple[str, str, str]], label_style: str) -> list:
    """``Content.assemble`` parts: one line per (label, value, value style), the values
    lined up one space after the longest label (in cells, so Chinese labels align too)."""
    width = max(cell_len(label) for label, _value, _style in rows)
    parts: list = []
    for n, (label, value, style) in enumerate(rows):
        if n:
            parts.append("\n")
        parts += [(label + " " * (width - cell_len(label) + 1), label_style), (value, style)]
    return parts
