"""The three-way merge table of sync/reconcile.py, on plain data (no backend, no store)."""

from __future__ import annotations

import itertools

import pytest

from sync.reconcile import reconcile_tab
from sync.spec import ColumnSpec, TabSpec

SPEC = TabSpec("projects", "Projects", (ColumnSpec("id", "ID"), ColumnSpec("stage", "Stage"),
                                        ColumnSpec("note", "Note")), id_prefix="P")


def plan_for(sheet_rows, local, base, **kwargs):
    counter = itertools.count(100)
    grid = [["ID", "Stage", "Note"], *sheet_rows]
    return reconcile_tab(SPEC, grid, local, base, new_id=lambda: f"P-{next(counter)}", **kwargs)


def rec(stage="Intake", note="", rid="P-1", row=None):
    record = {"id": rid, "stage": stage, "note": note}
    if row is not None:
        record["_row"] = row
    return record


@pytest.mark.parametrize("sheet, local, base, pulls, pushes, conflicts", [
    ("Intake", "Intake", "Intake", 0, 0, 0),  # nothing changed
    ("Planning", "Intake", "Intake", 1, 0, 0),  # changed in the sheet: pull
    ("Intake", "Planning", "Intake", 0, 1, 0),  # changed here: push
    ("Planning", "Planning", "Intake", 0, 0, 0),  # same change both sides
    ("Planning", "Delivered", "Intake", 1, 0, 1),  # different changes: conflict
])
def test_three_way_per_field(sheet, local, base, pulls, pushes, conflicts):
    plan = plan_for([["P-1", sheet]], {"P-1": rec(local)}, {"P-1": rec(base, row=2)})
    assert (len(plan.pulls), len(plan.cell_writes), len(plan.conflicts)) == (pulls, pushes,
                                                                               conflicts)


def test_conflict_keeps_both_values_and_the_store_takes_the_sheets():
    plan = plan_for([["P-1", "Planning"]], {"P-1": rec("Delivered")}, {"P-1": rec(row=2)})
    conflict = plan.conflicts[0]
    assert (conflict["base"], conflict["mine"], conflict["theirs"]) == (
        "Intake", "Delivered", "Planning")
    assert plan.pulls == [("P-1", "stage", "Delivered", "Planning")]
    assert plan.cell_writes == []


def test_rows_by_id_not_position():
    base = {"P-1": rec("Intake", rid="P-1", row=2), "P-2": rec("Planning", rid="P-2", row=3)}
    local = {"P-1": rec("Intake", rid="P-1"), "P-2": rec("Delivered", rid="P-2")}
    plan = plan_for([["P-2", "Planning"], ["P-1", "Intake"]], local, base)  # sorted
    assert [(w.record_id, w.row) for w in plan.cell_writes] == [("P-2", 2)]


def test_new_rows_each_side_and_ids_for_rows_without_one():
    plan = plan_for([["P-1", "Intake"], ["", "Planning", "typed by a person"]],
                    {"P-1": rec(), "P-9": rec("Planning", rid="P-9")}, {"P-1": rec(row=2)})
    assert [r["id"] for r in plan.appends] == ["P-9"]
    assert [r["note"] for r in plan.inserts] == ["typed by a person"]
    assert plan.cell_writes[0].record_id is None and plan.cell_writes[0].value == "P-100"


def test_deletes_both_ways_and_edited_deleted_rows_are_conflicts():
    base = {rid: rec(rid=rid, row=n) for n, rid in enumerate(["P-1", "P-2", "P-3", "P-4"], 2)}
    local = {"P-2": rec(rid="P-2"), "P-3": rec(rid="P-3", note="edited here"),
             "P-4": rec(rid="P-4")}
    sheet = [["P-1", "Planning"], ["P-4", "Intake"]]  # P-2, P-3 deleted there; P-1 here
    plan = plan_for(sheet, local, base)
    assert [r["id"] for r in plan.local_deletes] == ["P-2"]
    assert plan.remote_deletes == []  # P-1 was edited in the sheet: brought back instead
    assert {c["record_id"] for c in plan.conflicts} == {"P-1", "P-3"}


def test_missing_header_makes_the_tab_read_only():
    grid_header = ["ID", "Phase", "Note"]
    plan = reconcile_tab(SPEC, [grid_header, ["P-1", "x", "new note"]],
                         {"P-1": rec(note="mine")}, {"P-1": rec(row=2)},
                         new_id=lambda: "P-100")
    assert plan.readonly and plan.cell_writes == [] and plan.appends == []
    assert any("Stage" in p["reason"] for p in plan.problems)


def test_missing_id_column_skips_the_tab():
    plan = reconcile_tab(SPEC, [["Code", "Stage"], ["P-1", "Intake"]], {"P-1": rec()},
                         {"P-1": rec(row=2)}, new_id=lambda: "P-100")
    assert plan.skipped and plan.local_deletes == [] and plan.base_deletes == []


def test_unreadable_values_are_problems_with_addresses():
    from sync.spec import Codec

    def read(tab, key, cell):
        return (str(cell), "not a stage") if key == "stage" and cell == "Parked" else (
            str(cell), None)

    plan = plan_for([["P-1", "Parked"]], {"P-1": rec()}, {"P-1": rec(row=2)},
                    codec=Codec(read=read))
    assert [(p["address"], p["value"]) for p in plan.problems] == [("Projects!B2", "Parked")]
