"""`amtui sync`, `init-sheet` and `doctor` against the emulator (real gspread over HTTP) and
against the demo's local workbook."""

from __future__ import annotations

import json

import pytest

from amtui.cli.main import main
from amtui.core.demo_workspace import move_demo_to_emulator
from sync.emulator import SheetsEmulator


@pytest.fixture
def emulator():
    with SheetsEmulator(seed=3) as emu:
        yield emu


@pytest.fixture
def google_config(demo_config, emulator):
    sid = move_demo_to_emulator(demo_config, emulator)
    return demo_config, sid


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("kind", ["google", "xlsx"])
def test_dry_run_then_json_sync(kind, demo_config, emulator, capsys):
    if kind == "google":
        move_demo_to_emulator(demo_config, emulator)
    run(demo_config, capsys, "records", "set", "Projects", "P-0001", "Stage=Client Review")
    run(demo_config, capsys, "records", "add", "Updates", "Note=from the command line")
    code, out, _ = run(demo_config, capsys, "sync", "--dry-run")
    assert code == 0
    assert "Projects: write 1 cell (Projects!E2)" in out
    assert "Updates: add 1 row" in out
    # the dry run changed nothing: the same plan again
    assert run(demo_config, capsys, "sync", "--dry-run")[1] == out
    code, out, _ = run(demo_config, capsys, "sync", "--json")
    summary = json.loads(out)
    assert code == 0
    assert (summary["pushed"], summary["added"], summary["pending_edits"]) == (1, 1, 0)
    reads = "values.batchGet" if kind == "google" else "read"
    assert summary["api_calls"][reads] >= 1


def test_sync_exit_code_1_with_conflict(google_config, emulator, capsys):
    config, sid = google_config
    emulator.set_cell(sid, "Projects", "M2", "sheet blocker")
    run(config, capsys, "records", "set", "Projects", "P-0001", "Blocker=my blocker")
    code, out, _ = run(config, capsys, "sync")
    assert code == 1
    assert "1 open conflict: `amtui conflicts`" in out
    code, out, _ = run(config, capsys, "conflicts", "--format", "json")
    conflict = json.loads(out)[0]
    assert (conflict["Mine"], conflict["Sheet"]) == ("my blocker", "sheet blocker")
    run(config, capsys, "conflicts", "--resolve", str(conflict["ID"]), "--keep", "mine")
    assert run(config, capsys, "sync")[0] == 0
    assert emulator.get_values(sid, "Projects")[1][12] == "my blocker"


def test_sync_offline_is_exit_1_and_keeps_edits(google_config, emulator, capsys, monkeypatch):
    config, _sid = google_config
    run(config, capsys, "records", "set", "Projects", "P-0002", "Blocker=offline edit")
    emulator.stop()
    # a quick give-up so the test does not wait through the real back-off
    import sync.gclient as gclient

    monkeypatch.setattr(gclient, "DEFAULT_RETRY", gclient.RetryPolicy(max_attempts=1))
    monkeypatch.setattr(
        "amtui.core.workspace.Workspace.backend",
        lambda self, **kw: _backend(self, gclient.RetryPolicy(max_attempts=1)))
    code, _out, err = run(config, capsys, "sync")
    assert code == 1
    assert "could not be reached" in err
    assert "Traceback" not in err
    code, out, _ = run(config, capsys, "records", "show", "Projects", "P-0002", "--format",
                       "json")
    assert json.loads(out)[0]["Blocker"] == "offline edit"


def _backend(workspace, retry):
    from sync.gclient import make_client
    from sync.google_backend import GoogleSheetBackend

    client = make_client(workspace.config.credentials, endpoint=workspace.config.endpoint,
                         retry=retry)
    return GoogleSheetBackend(client, workspace.config.spreadsheet)


def test_init_sheet_prepares_an_empty_sheet_in_one_batch(demo_config, emulator, capsys):
    sid = move_demo_to_emulator(demo_config, emulator)
    emulator.load_workbook_tabs(sid, {"Projects": [["ID", "Project", "Notes of mine"],
                                                   ["P-9000", "Keep this row", "mine"]]})
    emulator.reset_counts()
    code, out, _ = run(demo_config, capsys, "init-sheet")
    assert code == 0
    assert "added tab Managers" in out and "added columns Projects!" in out
    counts = {k: v for k, v in emulator.counts().items() if v and k != "token"}
    assert counts.get("spreadsheets.batchUpdate") == 1
    assert counts.get("values.batchUpdate") is None and counts.get("values.update") is None
    projects = emulator.get_values(sid, "Projects")
    assert projects[0][:4] == ["ID", "Project", "Notes of mine", "Client"]
    assert projects[1][:3] == ["P-9000", "Keep this row", "mine"]
    assert set(emulator.tab_titles(sid)) >= {"Managers", "Feedback", "Updates"}
    # running it again changes nothing
    code, out, _ = run(demo_config, capsys, "init-sheet")
    assert "already had every tab" in out
    assert emulator.get_values(sid, "Projects")[1][:3] == ["P-9000", "Keep this row", "mine"]


def test_init_sheet_on_a_local_workbook(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text('[sheet]\nbackend = "xlsx"\nspreadsheet = "new.xlsx"\n', encoding="utf-8")
    code, out, _ = run(config, capsys, "init-sheet")
    assert code == 0 and "created new.xlsx" in out
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "new.xlsx")
    assert "Projects" in book.sheetnames
    assert [c.value for c in book["Projects"][1]][:3] == ["ID", "Project", "Client"]
    assert book["Projects"].freeze_panes == "A2"


def test_doctor_names_the_account_to_share_with(google_config, emulator, capsys):
    config, sid = google_config
    emulator.unshare(sid, "amtui@demo-project.iam.gserviceaccount.com")
    code, out, _ = run(config, capsys, "doctor")
    assert code == 1
    assert "share it with amtui@demo-project.iam.gserviceaccount.com" in out


def test_doctor_flags_a_key_others_can_read(google_config, capsys):
    config, _sid = google_config
    key = config.parent / "service-account.json"
    key.chmod(0o644)
    code, out, _ = run(config, capsys, "doctor")
    assert code == 1
    assert "chmod 600" in out
    assert "PRIVATE KEY" not in out


def test_workbook_open_in_office_is_not_written(workspace, capsys):
    from pathlib import Path

    workbook = Path(workspace.config.spreadsheet)
    lock = workbook.with_name(f".~lock.{workbook.name}#")
    lock.write_text("someone,host,2026", encoding="utf-8")
    workspace.store.update("updates", "U-00001", {"note": "wait for the file"})
    report = workspace.sync()
    assert report.not_written and "open in an office program" in report.not_written
    assert workspace.store.pending_count() == 1
    lock.unlink()
    workspace.sync()
    assert workspace.store.pending_count() == 0


# -- issue 13: what a new user runs into ---------------------------------------------------


def test_sync_exits_1_when_the_workbook_is_open_in_an_office_program(demo_config, capsys):
    workbook = demo_config.parent / "team.xlsx"
    lock = workbook.with_name(f"~${workbook.name}")
    lock.write_text("someone", encoding="utf-8")
    before = workbook.read_bytes()
    run(demo_config, capsys, "records", "set", "Updates", "U-00001", "Note=wait for it")
    code, out, _ = run(demo_config, capsys, "sync")
    assert code == 1
    assert "save and close it there" in out and f"delete {lock.name}" in out
    assert workbook.read_bytes() == before
    code, out, _ = run(demo_config, capsys, "sync", "--json")
    assert code == 1 and json.loads(out)["pending_edits"] == 1
    lock.unlink()
    assert run(demo_config, capsys, "sync")[0] == 0


def test_a_corrupted_workbook_names_the_file_and_the_fix(demo_config, capsys):
    workbook = demo_config.parent / "team.xlsx"
    workbook.write_bytes(b"PK\x03\x04 this is not a whole workbook any more")
    code, _out, err = run(demo_config, capsys, "sync")
    assert code == 1
    assert str(workbook) in err
    assert "restore it from a backup" in err and "amtui init-sheet --refill" in err
    assert "Traceback" not in err
    code, out, _ = run(demo_config, capsys, "doctor")
    assert code == 1 and "restore it from a backup" in out
    # the fix the message gives: re-create it from the local database
    workbook.rename(workbook.with_name("team.broken.xlsx"))
    code, out, _ = run(demo_config, capsys, "init-sheet", "--refill")
    assert code == 0 and "the next `amtui sync` writes" in out
    code, out, _ = run(demo_config, capsys, "sync", "--json")
    summary = json.loads(out)
    assert code == 0 and summary["deleted"] == 0
    _code, out, _ = run(demo_config, capsys, "records", "list", "Projects", "--format", "json")
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    assert book["Projects"].max_row - 1 == len(json.loads(out)) == summary["per_tab"][
        "Projects"]["added"]
    assert run(demo_config, capsys, "init-sheet", "--refill")[0] == 1  # not on a full sheet


def test_a_key_file_that_is_not_json_fails_doctor_and_sync_with_the_fix(google_config,
                                                                        capsys):
    config, _sid = google_config
    key = config.parent / "service-account.json"
    secret = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
    key.write_text(secret, encoding="utf-8")  # a PEM where the JSON key should be
    key.chmod(0o600)
    code, out, _ = run(config, capsys, "doctor")
    assert code == 1
    assert "[FAIL] credentials" in out and "not readable JSON" in out
    assert "download the service account's key again as JSON" in out
    code, out, err = run(config, capsys, "sync")
    assert code == 2
    assert "download the service account's key again as JSON" in err
    assert "PRIVATE KEY" not in out + err and "MIIEv" not in out + err


def test_a_key_json_that_is_not_a_usable_key_says_the_fix(google_config, capsys):
    config, _sid = google_config
    key = config.parent / "service-account.json"
    info = json.loads(key.read_text(encoding="utf-8"))
    info["private_key"] = "-----BEGIN PRIVATE KEY-----\nnot really\n-----END PRIVATE KEY-----\n"
    key.write_text(json.dumps(info), encoding="utf-8")
    code, out, _ = run(config, capsys, "doctor")
    assert code == 1 and "not a usable service_account file" in out
    assert "download the service account's key again as JSON" in out
    assert "not really" not in out


def test_renamed_project_offers_to_update_its_references(demo_config, capsys):
    import openpyxl

    from amtui.core.workspace import Workspace

    ws = Workspace.open(demo_config)
    old = ws.store.get("projects", "P-0001")["project"]
    referring = {(tab, r["id"]) for tab in ("feedback", "updates")
                 for r in ws.store.records(tab) if r["project"] == old}
    ws.store.close()
    assert referring
    path = demo_config.parent / "team.xlsx"
    book = openpyxl.load_workbook(path)
    book["Projects"]["B2"] = "Brand Refresh 2027"  # a person renames it in the sheet
    book.save(path)
    code, out, _ = run(demo_config, capsys, "sync")
    assert code == 1  # the references are unknown names now: problems
    assert f"{len(referring)} references still use a name that was changed" in out
    assert "amtui fix-references --apply" in out
    code, out, _ = run(demo_config, capsys, "fix-references")
    assert code == 1 and f'"{old}" → "Brand Refresh 2027"' in out
    code, out, _ = run(demo_config, capsys, "fix-references", "--apply")
    assert code == 0 and f"updated {len(referring)} records" in out
    code, out, _ = run(demo_config, capsys, "sync", "--json")
    summary = json.loads(out)
    assert code == 0, summary
    assert summary["pushed"] == len(referring) and summary["problems_total"] == 0
    book = openpyxl.load_workbook(path)
    for tab, column in (("Feedback", "F"), ("Updates", "D")):
        ids = {rid for t, rid in referring if t == tab.lower()}
        for row in book[tab].iter_rows(min_row=2):
            if row[0].value in ids:
                assert book[tab][f"{column}{row[0].row}"].value == "Brand Refresh 2027"
    assert run(demo_config, capsys, "fix-references")[0] == 0


def test_fixed_references_are_undoable_edits(workspace):
    from amtui.services.references import apply_fixes, renamed_references

    store = workspace.store
    old = store.get("projects", "P-0001")["project"]
    store.update("projects", "P-0001", {"project": "Renamed here"})
    store.revalidate()
    fixes = renamed_references(store)
    assert fixes and all(f.old == old and f.new == "Renamed here" for f in fixes)
    pending = store.pending_count()
    assert apply_fixes(store, fixes) == len(fixes)
    assert store.pending_count() == pending + len(fixes)
    store.undo()
    assert store.get(fixes[-1].tab, fixes[-1].record_id)["project"] == old


def test_a_row_added_while_the_sheet_is_read_is_not_left_pending(workspace):
    """Issue 13 #16: an app edit lands between the sync's first look at the store and its
    read of the sheet (the app's add during a slow read). The plan reads the store after
    the sheet, so the new row is appended; it must not stay "1 pending" after that."""
    import openpyxl

    store = workspace.store
    added = []

    def add_during(phase, _info):
        if phase == "reading" and not added:
            added.append(store.add("updates", {"note": "typed while the sync read"}))
        if phase == "writing":  # too late for this plan: stays pending, correctly
            added.append(store.add("updates", {"note": "typed while the sync wrote"}))

    workspace.sync(progress=add_during)
    book = openpyxl.load_workbook(workspace.config.spreadsheet)
    ids = {row[0].value for row in book["Updates"].iter_rows(min_row=2)}
    assert added[0] in ids and added[1] not in ids
    assert [e.record_id for e in store.pending_edits()] == [added[1]]
    workspace.sync()
    assert store.pending_count() == 0


def test_a1_columns_agree_with_gspread_and_openpyxl():
    from gspread.utils import rowcol_to_a1
    from openpyxl.utils import get_column_letter

    from sync.spec import address, column_index, column_letter

    for index in (0, 25, 26, 51, 52, 701, 702, 16383):
        assert column_letter(index) == get_column_letter(index + 1)
        assert column_index(column_letter(index)) == index
    assert address("Projects", 14, 5) == "Projects!" + rowcol_to_a1(14, 6) == "Projects!F14"
