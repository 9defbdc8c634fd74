"""`amtui demo --emulator`: the demo workspace on the local Sheets API emulator.

Issue 13 #5: running it again on the same folder reuses the spreadsheet, key and database
(a pending edit survives and syncs), or refuses without --force. #17: its config says the
emulator is the system of record, and no stray team.xlsx sits beside it.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from amtui.cli.main import main
from amtui.core.config import load_config
from amtui.core.emulator_demo import KEY, STATE, EmulatorDemoError, start_emulator_demo
from amtui.core.workspace import Workspace
from tests.conftest import TODAY

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def emulator_demo_template(tmp_path_factory) -> Path:
    """One emulator demo created from scratch (in-process), stopped: tests serve copies."""
    folder = tmp_path_factory.mktemp("emulator-demo") / "emu"
    start_emulator_demo(folder, port=0, today=TODAY).emulator.stop()
    return folder


@pytest.fixture
def emu_folder(emulator_demo_template, tmp_path) -> Path:
    folder = tmp_path / "emu"
    shutil.copytree(emulator_demo_template, folder)
    return folder


@pytest.fixture
def served(emu_folder):
    """Serve a folder (the copied demo by default) as `amtui demo --emulator` does."""
    demos = []

    def start(folder=None, **options):
        options.setdefault("port", 0)
        demo = start_emulator_demo(folder or emu_folder, today=TODAY, **options)
        demos.append(demo)
        return demo

    yield start
    for demo in demos:
        demo.emulator.stop()


def run(config, capsys, *args):
    code = main(["--config", str(config), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_config_names_the_emulator_as_system_of_record_and_no_workbook_is_left(
        emulator_demo_template, served, capsys):
    folder = emulator_demo_template  # as created: nothing served it again yet
    text = (folder / "config.toml").read_text(encoding="utf-8")
    assert "team.xlsx" not in text and ".xlsx" not in text
    assert "system of record is the emulator's spreadsheet" in text
    assert not (folder / "team.xlsx").exists()
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("amtui.db")) == [
        "config.toml", STATE, KEY]
    demo = served()
    config = load_config(demo.config_path)
    assert (config.backend, config.spreadsheet, config.endpoint) == (
        "google", demo.spreadsheet_id, demo.emulator.base_url)
    assert config.demo is True
    # the store starts in sync with the emulator's sheet: nothing to do
    code, out, _ = run(demo.config_path, capsys, "sync", "--json")
    assert code == 0, out
    summary = json.loads(out)
    assert (summary["pushed"], summary["added"], summary["pulled"]) == (0, 0, 0)


def test_running_it_again_reuses_spreadsheet_key_and_database(served, capsys):
    first = served()
    config_before = first.config_path.read_text(encoding="utf-8")
    key_before = json.loads((first.folder / KEY).read_text(encoding="utf-8"))
    run(first.config_path, capsys, "records", "set", "Projects", "P-0001", "Stage=Client Review")
    first.emulator.stop()  # the emulator stops; the app's pending edit is in the store

    again = served(first.folder, port=None)  # None: the port the config already names
    assert again.reused
    assert again.spreadsheet_id == first.spreadsheet_id
    assert again.emulator.base_url == first.emulator.base_url
    assert again.config_path.read_text(encoding="utf-8") == config_before
    key_after = json.loads((first.folder / KEY).read_text(encoding="utf-8"))
    assert key_after["private_key"] == key_before["private_key"]
    workspace = Workspace.open(again.config_path)
    try:
        assert workspace.store.pending_count() == 1
    finally:
        workspace.store.close()
    # the same key is accepted (no "Invalid JWT Signature") and the edit reaches the sheet
    code, out, err = run(again.config_path, capsys, "sync", "--json")
    assert code == 0, out + err
    assert json.loads(out)["pushed"] == 1
    assert again.emulator.get_values(again.spreadsheet_id, "Projects")[1][4] == "Client Review"


def test_a_new_port_moves_only_the_endpoint(served):
    first = served()
    before = first.config_path.read_text(encoding="utf-8")
    first.emulator.stop()
    again = served(first.folder, port=0)
    after = again.config_path.read_text(encoding="utf-8")
    assert again.reused
    if again.emulator.base_url != first.emulator.base_url:
        assert after == before.replace(first.emulator.base_url, again.emulator.base_url)
    assert load_config(again.config_path).endpoint == again.emulator.base_url


def test_another_workspace_is_refused_without_force(served, demo_config):
    folder = demo_config.parent  # an xlsx demo workspace
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    with pytest.raises(EmulatorDemoError, match="not an emulator demo.*--force"):
        served(folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_a_demo_whose_emulator_data_is_gone_is_refused_without_force(served):
    first = served()
    first.emulator.stop()
    (first.folder / STATE).unlink()
    config_before = first.config_path.read_text(encoding="utf-8")
    with pytest.raises(EmulatorDemoError, match=f"no {STATE}.*--force"):
        served(first.folder)
    assert first.config_path.read_text(encoding="utf-8") == config_before
    second = served(first.folder, force=True)
    assert not second.reused
    assert second.spreadsheet_id != first.spreadsheet_id
    assert load_config(second.config_path).spreadsheet == second.spreadsheet_id
    assert not (first.folder / "team.xlsx").exists()


def test_plain_emulator_points_at_the_new_command(capsys):
    from sync.emulator.__main__ import parse_args

    with pytest.raises(SystemExit) as exit_:
        parse_args(["--demo", "/tmp/x"])
    assert exit_.value.code == 2
    assert "amtui demo --emulator --path /tmp/x" in capsys.readouterr().err


# -- the real command -----------------------------------------------------------------------


def read_until(proc: subprocess.Popen, marker: str, timeout: float = 60) -> str:
    """The child's stdout until ``marker`` appears (bounded by ``timeout``)."""
    deadline, data = time.monotonic() + timeout, b""
    while marker.encode() not in data:
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"no {marker!r} in output: {data!r}"
        ready, _, _ = select.select([proc.stdout], [], [], remaining)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 65536)
            assert chunk, f"amtui exited early: {data!r}"
            data += chunk
    return data.decode()


def serve_once(folder: Path, *extra: str) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-m", "amtui", "demo", "--emulator", "--path", str(folder),
         "--today", TODAY.isoformat(), *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        output = read_until(proc, "Ctrl-C to stop.")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    return output


def test_the_command_serves_the_same_demo_when_run_again(emu_folder):
    sid = load_config(emu_folder / "config.toml").spreadsheet
    key_before = (emu_folder / KEY).read_text(encoding="utf-8")
    output = serve_once(emu_folder, "--port", "0")
    assert "again (same spreadsheet, key and database)" in output
    assert output.split("Spreadsheet id: ", 1)[1].split()[0] == sid
    assert f"amtui --config {emu_folder / 'config.toml'}" in output
    assert (json.loads((emu_folder / KEY).read_text(encoding="utf-8"))["private_key"]
            == json.loads(key_before)["private_key"])
    saved = json.loads((emu_folder / STATE).read_text(encoding="utf-8"))
    assert [book["id"] for book in saved["spreadsheets"]] == [sid]
