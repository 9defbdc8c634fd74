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
    assert "Projects: write 1 cells (Projects!E2)" in out
    assert "Updates: add 1 rows" in out
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
    assert "1 open conflicts" in out
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
