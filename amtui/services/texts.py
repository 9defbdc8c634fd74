"""Sentences the CLI and the app both say: what an undo put back, what the delete guard
held back (with the runner's own thresholds), what the conflicts are.

    describe_undo(edit, store)      # Projects P-0042 "Spring launch": Stage back to Planning
    delete_guard_rule()             # more than 20% of a tab, or over 50 rows
"""

from __future__ import annotations

from amtui.domain import schema
from sync.runner import DELETE_MAX, DELETE_MIN, DELETE_SHARE


def describe_undo(edit, store) -> str:
    """``Projects P-0042 "Spring launch": Stage back to Planning``."""
    tab = schema.TABS[edit.tab]
    record = store.get(edit.tab, edit.record_id) or {}
    name = record.get(tab.name_field, "")
    head = f"{tab.title} {edit.record_id}" + (f' "{name[:40]}"' if name else "")
    if edit.op == "add":
        return f"{head}: added record removed"
    if edit.op == "delete":
        return f"{head}: deleted record restored"
    parts = [f"{tab.header_of(key)} back to {old or '(blank)'}"
             for key, (old, _new) in edit.changes.items()]
    return f"{head}: " + ", ".join(parts)


NOTHING_TO_UNDO = "Nothing to undo: every edit has been synced."


def delete_guard_rule() -> str:
    """The runner's rule in words: ``more than 20% of a tab (at least 3 rows), or over 50``."""
    return (f"more than {DELETE_SHARE:.0%} of a tab (at least {DELETE_MIN} rows), "
            f"or over {DELETE_MAX} rows")


def delete_question(blocked: dict[str, int]) -> str:
    """The app's question after a sync held deletes back."""
    lines = [f"{title}: {count} rows" for title, count in blocked.items()]
    return (f"The sync would delete many rows ({delete_guard_rule()}):\n"
            + "\n".join(lines)
            + "\n\nThey were held back. Check the sheet first: was a tab sorted, "
              "filtered or cleared by mistake?\nGo ahead and delete them?")


def deletes_held_line(title: str, count: int) -> str:
    """The CLI's line for one tab whose deletes were held back."""
    return (f"{title}: {count} deletes held back ({delete_guard_rule()}); check the sheet, "
            "then run `amtui sync --allow-deletes`")


DELETES_KEPT = "Deletes held back; the next sync asks again."


def new_conflicts(count: int) -> str:
    return (f"{count} new conflict(s): the same field changed in the sheet and here. "
            "Press C to decide.")


def conflict_settled(record_id: str, choice: str, value: str | None = None) -> str:
    """What a resolved conflict did, in the app's words."""
    said = {"sheet": "kept the sheet's value", "mine": "kept mine",
            "value": f"set to {value!r}"}[choice]
    return f"{record_id}: {said}; written at the next sync."


def describe_conflict_value(conflict: dict, side: str) -> str:
    """A conflict's value on one side (``base``, ``mine``, ``theirs``) for people."""
    value = conflict.get(side) or ""
    if conflict["field"] == "*":
        return value or "(unchanged)"
    return value if value else "(blank)"
