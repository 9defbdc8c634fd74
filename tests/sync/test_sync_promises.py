"""Each sync promise of PRODUCT.md, on both backends: the Sheets API emulator through the real
gspread and google-auth over HTTP, and the local workbook file.

A test plays a person editing the sheet (``person``) and a lead editing in amtui (``ws.store``),
runs real syncs, and checks both sides afterwards."""

from __future__ import annotations

import pytest

from amtui.core.store import Store
from amtui.core.workspace import Workspace
from tests.sync.people import EmulatorPerson, XlsxPerson

BACKENDS = ["google", "xlsx"]


@pytest.fixture(params=BACKENDS)
def backend_kind(request):
    return request.param


@pytest.fixture
def ws(demo_config, backend_kind):
    """The small demo workspace; for "google" its sheet lives in the Sheets emulator."""
    if backend_kind == "google":
        from amtui.core.demo_workspace import move_demo_to_emulator
        from sync.emulator import SheetsEmulator

        emulator = SheetsEmulator(seed=99)
        emulator.start()
        sid = move_demo_to_emulator(demo_config, emulator)
        workspace = Workspace.open(demo_config)
        workspace.test_person = EmulatorPerson(emulator, sid, demo_config.parent /
                                               "service-account.json")
        yield workspace
        workspace.store.close()
        emulator.stop()
    else:
        workspace = Workspace.open(demo_config)
        workspace.test_person = XlsxPerson(workspace.config.spreadsheet)
        yield workspace
        workspace.store.close()


@pytest.fixture
def person(ws):
    """Someone editing the workspace's system of record by hand."""
    return ws.test_person


def sync(ws, person, **kwargs):
    return ws.sync(backend=person.backend(), **kwargs)


def row_of(person, tab: str, record_id: str) -> int:
    for number, row in enumerate(person.grid(tab), start=1):
        if row and row[0] == record_id:
            return number
    raise AssertionError(f"{record_id} not in {tab}")


def col_of(person, tab: str, header: str) -> str:
    from sync.spec import column_letter

    return column_letter(person.grid(tab)[0].index(header))


def cell(person, tab, record_id, header) -> str:
    grid = person.grid(tab)
    row = grid[row_of(person, tab, record_id) - 1]
    col = grid[0].index(header)
    return row[col] if col < len(row) else ""


def address(person, tab, record_id, header) -> str:
    return f"{col_of(person, tab, header)}{row_of(person, tab, record_id)}"


# -- the basics ------------------------------------------------------------------------


def test_first_sync_of_a_fresh_demo_changes_nothing(ws, person):
    report = sync(ws, person)
    assert report.counts == {"pulled": 0, "pushed": 0, "added": 0, "deleted": 0,
                             "conflicts": 0, "problems": 0}


def test_edits_flow_both_ways(ws, person):
    person.set_cell("Projects", address(person, "Projects", "P-0001", "Next Step"),
                    "Call the client back")
    ws.store.update("projects", "P-0002", {"stage": "Client Review"})
    report = sync(ws, person)
    assert report.counts["pulled"] == 1 and report.counts["pushed"] == 1
    assert ws.store.get("projects", "P-0001")["next_step"] == "Call the client back"
    assert cell(person, "Projects", "P-0002", "Stage") == "Client Review"
    assert ws.store.pending_count() == 0
    # and a second sync has nothing left to do
    assert sync(ws, person).counts["pushed"] == 0


def test_new_rows_both_ways(ws, person):
    new_id = ws.store.add("updates", {"date": "2026-11-26", "manager": "Li Wei",
                                      "note": "Standup note from amtui"})
    person.append_row("Updates", ["", "2026-11-26", "Li Wei", "", "Typed in the sheet"])
    report = sync(ws, person)
    assert report.counts["added"] == 1
    notes = {r["note"]: r["id"] for r in ws.store.records("updates")}
    assert "Typed in the sheet" in notes
    sheet_ids = [r[0] for r in person.grid("Updates")[1:]]
    assert new_id in sheet_ids
    assert notes["Typed in the sheet"] in sheet_ids  # the ID was written back
    assert len(sheet_ids) == len(set(sheet_ids))


# -- nothing typed is lost ------------------------------------------------------------


def test_conflict_is_kept_and_keep_mine_wins_at_next_sync(ws, person):
    person.set_cell("Projects", address(person, "Projects", "P-0003", "Next Step"), "sheet says")
    ws.store.update("projects", "P-0003", {"next_step": "amtui says"})
    report = sync(ws, person)
    assert report.counts["conflicts"] == 1
    conflict = ws.store.conflicts()[0]
    assert (conflict["mine"], conflict["theirs"]) == ("amtui says", "sheet says")
    # until resolved the sheet keeps its value; nothing was overwritten
    assert cell(person, "Projects", "P-0003", "Next Step") == "sheet says"
    assert ws.store.get("projects", "P-0003")["next_step"] == "sheet says"
    ws.store.resolve_conflict(conflict["id"], "mine")
    sync(ws, person)
    assert cell(person, "Projects", "P-0003", "Next Step") == "amtui says"
    assert ws.store.conflicts() == []


def test_conflict_keep_sheet_and_new_value(ws, person):
    for record_id, text in (("P-0004", "a"), ("P-0005", "b")):
        person.set_cell("Projects", address(person, "Projects", record_id, "Blocker"),
                        f"sheet {text}")
        ws.store.update("projects", record_id, {"blocker": f"mine {text}"})
    sync(ws, person)
    first, second = ws.store.conflicts()
    ws.store.resolve_conflict(first["id"], "sheet")
    ws.store.resolve_conflict(second["id"], "value", "agreed b")
    sync(ws, person)
    assert cell(person, "Projects", "P-0004", "Blocker") == "sheet a"
    assert cell(person, "Projects", "P-0005", "Blocker") == "agreed b"
    assert ws.store.get("projects", "P-0004")["blocker"] == "sheet a"


def test_same_change_on_both_sides_is_no_conflict(ws, person):
    person.set_cell("Projects", address(person, "Projects", "P-0006", "Stage"), "Planning")
    ws.store.update("projects", "P-0006", {"stage": "Planning"})
    report = sync(ws, person)
    assert report.counts["conflicts"] == 0


def test_columns_amtui_does_not_own_are_never_written(ws, person):
    grid = person.grid("Projects")
    extra_col = len(grid[0])
    from sync.spec import column_letter

    letter = column_letter(extra_col)
    person.set_cell("Projects", f"{letter}1", "Lead's notes")
    person.set_cell("Projects", f"{letter}2", "keep me")
    ws.store.update("projects", grid[1][0], {"stage": "Client Review", "blocker": "x"})
    ws.store.add("projects", {"project": "Brand new", "stage": "Intake"})
    sync(ws, person)
    after = person.grid("Projects")
    assert after[0][extra_col] == "Lead's notes"
    assert after[1][extra_col] == "keep me"
    assert all(len(r) <= extra_col or r[extra_col] in ("", "keep me") for r in after[1:])


def test_rows_without_id_get_one(ws, person):
    person.append_row("Feedback", ["", "2026-11-25", "Phone call", "Client", "", "", "Li Wei",
                                   4, "Praise", "Nice work on the launch", "New"])
    sync(ws, person)
    added = [r for r in ws.store.records("feedback") if r["text"] == "Nice work on the launch"]
    assert len(added) == 1
    assert cell(person, "Feedback", added[0]["id"], "Text") == "Nice work on the launch"
    # a second sync neither duplicates it nor gives it another ID
    sync(ws, person)
    again = [r for r in ws.store.records("feedback") if r["text"] == "Nice work on the launch"]
    assert [r["id"] for r in again] == [added[0]["id"]]


def test_duplicate_id_copy_gets_a_new_id_and_is_reported(ws, person):
    grid = person.grid("Updates")
    copied = list(grid[1])
    copied[4] = "copied and changed"
    person.append_row("Updates", copied)
    sync(ws, person)
    ids = [r[0] for r in person.grid("Updates")[1:]]
    assert len(ids) == len(set(ids))
    kept = ws.store.get("updates", grid[1][0])
    assert kept["note"] == grid[1][4]
    copy = [r for r in ws.store.records("updates") if r["note"] == "copied and changed"]
    assert len(copy) == 1 and copy[0]["id"] != grid[1][0]
    assert any(p["kind"] == "duplicate" and grid[1][0] in p["reason"]
               for p in ws.store.problems())


def test_bad_values_are_flagged_with_address_and_left_untouched(ws, person):
    rating_at = address(person, "Feedback", "F-00002", "Rating")
    due_at = address(person, "Projects", "P-0007", "Due")
    stage_at = address(person, "Projects", "P-0008", "Stage")
    person.set_cell("Feedback", rating_at, 7)
    person.set_cell("Projects", due_at, "next Friday")
    person.set_cell("Projects", stage_at, "Parked")
    sync(ws, person)
    problems = {p["address"]: p for p in ws.store.problems()}
    assert problems[f"Feedback!{rating_at}"]["value"] == "7"
    assert problems[f"Projects!{due_at}"]["value"] == "next Friday"
    assert "Parked" in problems[f"Projects!{stage_at}"]["value"]
    assert ws.store.get("projects", "P-0007")["due"] == "next Friday"
    # an unrelated local edit on the same row leaves the bad cells exactly as typed
    ws.store.update("projects", "P-0007", {"blocker": "waiting"})
    sync(ws, person)
    assert cell(person, "Projects", "P-0007", "Due") == "next Friday"
    assert cell(person, "Feedback", "F-00002", "Rating") == "7"
    assert cell(person, "Projects", "P-0008", "Stage") == "Parked"
    # rows unchanged since are not parsed again, and their problems stay listed
    sync(ws, person)
    still = {p["address"] for p in ws.store.problems()}
    assert {f"Feedback!{rating_at}", f"Projects!{due_at}", f"Projects!{stage_at}"} <= still
    # fixing the cell in the sheet clears its problem
    person.set_cell("Feedback", rating_at, 4)
    sync(ws, person)
    assert f"Feedback!{rating_at}" not in {p["address"] for p in ws.store.problems()}


def test_unknown_manager_is_a_problem_with_address(ws, person):
    at = address(person, "Projects", "P-0009", "Manager")
    person.set_cell("Projects", at, "Nobody Known")
    sync(ws, person)
    found = [p for p in ws.store.problems() if p["address"] == f"Projects!{at}"]
    assert found and "Nobody Known" in found[0]["reason"]


def test_renamed_header_stops_writes_to_that_tab_only(ws, person):
    person.rename_header("Projects", "Stage", "Phase")
    ws.store.update("projects", "P-0010", {"next_step": "held back"})
    ws.store.update("updates", "U-00001", {"note": "still goes out"})
    report = sync(ws, person)
    assert report.per_tab["Projects"]["readonly"]
    assert any(p["kind"] == "structure" and "Stage" in p["reason"] for p in ws.store.problems())
    assert cell(person, "Projects", "P-0010", "Next Step") != "held back"
    assert cell(person, "Updates", "U-00001", "Note") == "still goes out"
    assert ws.store.pending_count() == 1  # the project edit waits
    person.rename_header("Projects", "Phase", "Stage")
    sync(ws, person)
    assert cell(person, "Projects", "P-0010", "Next Step") == "held back"
    assert not [p for p in ws.store.problems() if p["kind"] == "structure"]


def test_deleted_id_column_deletes_nothing(ws, person):
    person.rename_header("Clients", "ID", "Code")
    report = sync(ws, person)
    assert report.per_tab["Clients"]["skipped"]
    assert ws.store.count("clients") == 20


def test_delete_guard_stops_and_asks(ws, person):
    before = ws.store.count("updates")
    person.delete_rows("Updates", 2, 12)
    report = sync(ws, person)
    assert report.deletes_blocked == {"Updates": 12}
    assert ws.store.count("updates") == before
    report = sync(ws, person, allow_deletes=True)
    assert ws.store.count("updates") == before - 12


def test_a_few_deletes_go_through_both_ways(ws, person):
    gone_in_sheet = person.grid("Updates")[1][0]
    person.delete_rows("Updates", 2, 1)
    ws.store.delete("updates", "U-00005")
    sync(ws, person)
    assert ws.store.get("updates", gone_in_sheet) is None
    assert "U-00005" not in [r[0] for r in person.grid("Updates")]


def test_deleted_in_sheet_but_edited_here_is_a_conflict(ws, person):
    row = row_of(person, "Updates", "U-00003")
    person.delete_rows("Updates", row, 1)
    ws.store.update("updates", "U-00003", {"note": "I changed this"})
    sync(ws, person)
    conflict = [c for c in ws.store.conflicts() if c["record_id"] == "U-00003"][0]
    assert ws.store.get("updates", "U-00003")["note"] == "I changed this"
    ws.store.resolve_conflict(conflict["id"], "mine")
    sync(ws, person)
    assert cell(person, "Updates", "U-00003", "Note") == "I changed this"


def test_formula_looking_text_stays_text(ws, person):
    for text, record_id in (('=IMPORTXML("http://x", "//a")', "U-00002"),
                            ("+1-2", "U-00004"), ("@SUM(A1:A3)", "U-00006")):
        ws.store.update("updates", record_id, {"note": text})
    sync(ws, person)
    for text, record_id in (('=IMPORTXML("http://x", "//a")', "U-00002"),
                            ("+1-2", "U-00004"), ("@SUM(A1:A3)", "U-00006")):
        value, kind = person.raw("Updates", address(person, "Updates", record_id, "Note"))
        assert (value, kind) == (text, "s")


def test_dates_and_numbers_stay_real(ws, person):
    ws.store.update("projects", "P-0011", {"due": "2027-01-15", "value": "125000"})
    sync(ws, person)
    due, due_kind = person.raw("Projects", address(person, "Projects", "P-0011", "Due"))
    value, value_kind = person.raw("Projects", address(person, "Projects", "P-0011", "Value"))
    assert due_kind != "s" and value_kind != "s"
    assert value == 125000


def test_row_moved_between_read_and_write_lands_on_the_right_row(ws, person):
    ws.store.update("projects", "P-0012", {"next_step": "right row"})
    backend = person.backend()
    original_read = backend.read

    edited = []

    def read_then_person_edits(titles):
        grids = original_read(titles)
        if not edited:  # once, right after amtui's read and before its write
            edited.append(True)
            person.insert_rows("Projects", 2, [["", "Inserted by a person"]])
            person.sort("Projects", "Project", descending=True)
        return grids

    backend.read = read_then_person_edits
    ws.sync(backend=backend)
    assert cell(person, "Projects", "P-0012", "Next Step") == "right row"
    column = person.grid("Projects")[0].index("Next Step")
    assert sum(1 for r in person.grid("Projects") if column < len(r)
               and r[column] == "right row") == 1


def test_sync_killed_between_sheet_write_and_local_commit_converges(ws, person, monkeypatch):
    ws.store.update("projects", "P-0013", {"stage": "Delivered", "delivered": "2026-11-26"})
    new_id = ws.store.add("updates", {"date": "2026-11-26", "manager": "Li Wei", "note": "n"})

    def killed(*args, **kwargs):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(Store, "sync_commit", killed)
    with pytest.raises(KeyboardInterrupt):
        sync(ws, person)
    monkeypatch.undo()
    report = sync(ws, person)
    assert report.counts["conflicts"] == 0
    ids = [r[0] for r in person.grid("Updates")[1:]]
    assert ids.count(new_id) == 1
    assert cell(person, "Projects", "P-0013", "Stage") == "Delivered"
    assert ws.store.pending_count() == 0
    assert sync(ws, person).counts == {"pulled": 0, "pushed": 0, "added": 0, "deleted": 0,
                                      "conflicts": 0, "problems": 0}


def test_sync_killed_between_two_writes_converges(ws, person):
    ws.store.update("projects", "P-0014", {"blocker": "after crash"})
    new_id = ws.store.add("updates", {"date": "2026-11-26", "manager": "Li Wei", "note": "m"})
    backend = person.backend()

    def crash(*args, **kwargs):
        raise ConnectionError("lost the network mid-sync")

    backend.append_rows = crash
    with pytest.raises(ConnectionError):
        ws.sync(backend=backend)
    assert ws.store.pending_count() == 2  # nothing was marked synced
    sync(ws, person)
    assert cell(person, "Projects", "P-0014", "Blocker") == "after crash"
    assert [r[0] for r in person.grid("Updates")[1:]].count(new_id) == 1
    assert ws.store.pending_count() == 0


def test_two_leads_and_a_person_converge(ws, person, tmp_path):
    import shutil

    other_folder = tmp_path / "second-lead"
    shutil.copytree(ws.config.folder, other_folder)
    other = Workspace.open(other_folder / "config.toml")
    ws.store.update("projects", "P-0015", {"stage": "Planning"})
    other.store.update("projects", "P-0016", {"health": "At risk"})
    other.store.add("updates", {"date": "2026-11-26", "manager": "Li Wei", "note": "lead two"})
    person.set_cell("Projects", address(person, "Projects", "P-0017", "Blocker"), "person")
    for _round in range(2):
        sync(ws, person)
        other.sync(backend=person.backend())
    for store in (ws.store, other.store):
        assert store.get("projects", "P-0015")["stage"] == "Planning"
        assert store.get("projects", "P-0016")["health"] == "At risk"
        assert store.get("projects", "P-0017")["blocker"] == "person"
        assert [r["note"] for r in store.records("updates")].count("lead two") == 1
    assert ws.store.records_by_tab() == other.store.records_by_tab()
