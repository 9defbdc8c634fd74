"""Sentences the CLI and the app both say: what an undo put back, what the delete guard
held back (with the runner's own thresholds), what the conflicts are.

    describe_undo(edit, store)      # Projects P-0042 "Spring launch": Stage back to Planning
    delete_guard_rule()             # more than 20% of a tab, or over 50 rows
"""

from __future__ import annotations

from amtui.domain import schema
from amtui.domain.i18n import N_, _, ngettext
from sync.runner import DELETE_MAX, DELETE_MIN, DELETE_SHARE


def describe_undo(edit, store) -> str:
    """``Projects P-0042 "Spring launch": Stage back to Planning``."""
    tab = schema.TABS[edit.tab]
    record = store.get(edit.tab, edit.record_id) or {}
    name = record.get(tab.name_field, "")
    head = (_('{tab} {id} "{name}"') if name else _("{tab} {id}")).format(
        tab=schema.tab_label(edit.tab), id=edit.record_id, name=name[:40])
    if edit.op == "add":
        return _("{record}: added record removed").format(record=head)
    if edit.op == "delete":
        return _("{record}: deleted record restored").format(record=head)
    parts = [_("{field} back to {value}").format(field=schema.label(edit.tab, key),
                                                 value=schema.shown(old) if old else _("(blank)"))
             for key, (old, _new) in edit.changes.items()]
    return _("{record}: {changes}").format(record=head, changes=_(", ").join(parts))


NOTHING_TO_UNDO = N_("Nothing to undo: every edit has been synced.")


def delete_guard_rule() -> str:
    """The runner's rule in words: ``more than 20% of a tab (at least 3 rows), or over 50``."""
    return _("more than {share} of a tab (at least {min} rows), or over {max} rows").format(
        share=f"{DELETE_SHARE:.0%}", min=DELETE_MIN, max=DELETE_MAX)


def delete_question(blocked: dict[str, int]) -> str:
    """The app's question after a sync held deletes back."""
    lines = [ngettext("{tab}: {n} row", "{tab}: {n} rows", count).format(tab=title, n=count)
             for title, count in blocked.items()]
    return (_("The sync would delete many rows ({rule}):").format(rule=delete_guard_rule())
            + "\n" + "\n".join(lines) + "\n\n"
            + _("They were held back. Check the sheet first: was a tab sorted, "
                "filtered or cleared by mistake?\nGo ahead and delete them?"))


def deletes_held_line(title: str, count: int) -> str:
    """The CLI's line for one tab whose deletes were held back."""
    return _("{tab}: {n} deletes held back ({rule}); check the sheet, "
             "then run `amtui sync --allow-deletes`").format(tab=title, n=count,
                                                             rule=delete_guard_rule())


DELETES_KEPT = N_("Deletes held back; the next sync asks again.")


def new_conflicts(count: int) -> str:
    return _("{n} new conflict(s): the same field changed in the sheet and here. "
             "Press C to decide.").format(n=count)


def conflict_settled(record_id: str, choice: str, value: str | None = None) -> str:
    """What a resolved conflict did, in the app's words."""
    said = {"sheet": _("kept the sheet's value"), "mine": _("kept mine"),
            "value": _("set to {value}").format(value=repr(value))}[choice]
    return _("{record}: {done}; written at the next sync.").format(record=record_id, done=said)


def describe_conflict_value(conflict: dict, side: str) -> str:
    """A conflict's value on one side (``base``, ``mine``, ``theirs``) for people."""
    value = conflict.get(side) or ""
    if conflict["field"] == "*":
        return value or _("(unchanged)")
    return value if value else _("(blank)")
