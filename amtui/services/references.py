"""References left behind by a rename: a project, manager or client renamed (same ID, new
name) leaves the Feedback, Updates... rows that name it pointing at the old name, which then
shows as "unknown project". This finds them and updates them through the store's edit path
(each one recorded, undoable and pushed at the next sync, like an edit typed by a person).

    fixes = renamed_references(store)        # after a sync
    print(describe_fixes(fixes))             # Feedback F-00012 Project: "Old" → "New" ...
    apply_fixes(store, fixes)                # one edit per record

No Textual here: the CLI (``amtui fix-references``) and the app both call it.
"""

from __future__ import annotations

from dataclasses import dataclass

from amtui.domain import schema
from amtui.domain.i18n import _, ngettext
from amtui.domain.text import fold


@dataclass(frozen=True)
class ReferenceFix:
    tab: str  # the record that refers, e.g. "feedback"
    record_id: str
    field: str  # e.g. "project"
    old: str  # the name it still uses
    new: str  # the renamed record's name now
    target_tab: str  # e.g. "projects"
    target_id: str

    def describe(self) -> str:
        return _('{tab} {id} {field}: "{old}" → "{new}"').format(
            tab=schema.tab_label(self.tab), id=self.record_id,
            field=schema.label(self.tab, self.field), old=self.old, new=self.new)


def renamed_references(store, report=None) -> list[ReferenceFix]:
    """References to a name that no record has any more, where a record of the referred tab
    had that name before a rename (seen in the store's events, from the sheet or the app).
    Only unknown names are touched: a reference a current record answers to is left alone.
    ``report`` (the sync's) is not needed; it is accepted so callers may pass it."""
    ref_fields = {(t.key, f.key): schema.REF_KINDS[f.kind] for t in schema.TABS.values()
                  for f in t.fields if f.kind in schema.REF_KINDS}
    # the rules check already lists every unknown name: a cheap first look
    unknown = [p for p in store.problems()
               if (p["tab"], p.get("field")) in ref_fields and p.get("record_id")]
    if not unknown:
        return []
    refs = store.refs()
    renamed = _renames(store)
    fixes = []
    for problem in unknown:
        tab, field = problem["tab"], problem["field"]
        record = store.get(tab, problem["record_id"])
        if record is None or not record.get(field):
            continue
        old = record[field]
        target = ref_fields[(tab, field)]
        target_id = renamed.get(target, {}).get(fold(old))
        if target_id is None or refs.resolve(target, old) is not None:
            continue
        new = refs.display(target, target_id)
        if not new or fold(new) == fold(old):
            continue
        fixes.append(ReferenceFix(tab, record["id"], field, old, new, target, target_id))
    return fixes


def _renames(store) -> dict[str, dict[str, str]]:
    """Per referred tab: an earlier name (normalised) → the ID of the record that had it."""
    renames: dict[str, dict[str, str]] = {}
    for tab in set(schema.REF_KINDS.values()):
        name_field = schema.TABS[tab].name_field
        found = renames.setdefault(tab, {})
        for event in store.events(tab=tab):
            if event["field"] == name_field and event["old"] and event["record_id"]:
                found[fold(event["old"])] = event["record_id"]  # the latest rename wins
    return renames


def describe_fixes(fixes: list[ReferenceFix]) -> str:
    count = len(fixes)
    lines = [ngettext("{n} reference still uses a name that was changed:",
                      "{n} references still use a name that was changed:", count).format(n=count)]
    lines += [f"  {fix.describe()}" for fix in fixes]
    return "\n".join(lines)


def apply_fixes(store, fixes: list[ReferenceFix]) -> int:
    """Update each reference to the new name through the store's edit API (validated,
    recorded for the next sync, undoable). Returns how many records changed."""
    changed = 0
    for fix in fixes:
        current = store.get(fix.tab, fix.record_id)
        if current is None or current.get(fix.field) != fix.old:
            continue  # changed since it was found: leave the person's value alone
        if store.update(fix.tab, fix.record_id, {fix.field: fix.new}) is not None:
            changed += 1
    return changed
