"""A demo workspace whose sheet lives in the local Sheets API emulator: the Google path
without a Google account (``amtui demo --emulator [--path DIR]``).

The folder holds the config (``backend = "google"`` at the emulator's URL), the store, the
service-account key and ``emulator-state.json``, the emulator's data. Running it again on the
same folder serves the same spreadsheet with the same key, and leaves the database and config
alone (only the endpoint moves with the port), so an app open on it keeps its pending edits.
A folder holding anything else is refused unless ``force=True``::

    demo = start_emulator_demo(Path("/tmp/emu"), port=0)
    print(demo.config_path, demo.spreadsheet_id, demo.emulator.base_url)
    demo.emulator.stop()   # saves emulator-state.json
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from amtui.core.config import ConfigError, load_config
from amtui.core.demo_workspace import DATABASE, WORKBOOK, ZH_CONFIG, create_demo, workbook_tabs
from amtui.domain.i18n import _
from sync.emulator import SheetsEmulator

CONFIG = "config.toml"
KEY = "service-account.json"
STATE = "emulator-state.json"
DEFAULT_PORT = 8787
TITLE = "amtui demo"

CONFIG_TEMPLATE = """\
# amtui demo workspace on the local Google Sheets API emulator: generated sample data, safe
# to change. Its system of record is the emulator's spreadsheet (id below), kept in
# {state} in this folder. Serve it (again: same spreadsheet, key and database) with
#   amtui demo --emulator --path {folder}
# and leave it running while amtui syncs. Edit the sheet "as a person" through
# POST <endpoint>/_control/<method>.

[workspace]
name = "Demo agency ({size} sample data, emulator)"
database = "{database}"
demo = true
{today_line}
[sheet]
backend = "google"
spreadsheet = "{sid}"
credentials = "{key}"
endpoint = "{endpoint}"

[sync]
interval = 60
"""


class EmulatorDemoError(Exception):
    """The folder holds something that is not a reusable emulator demo; the text says why and
    what to do."""


@dataclass
class EmulatorDemo:
    folder: Path
    config_path: Path
    spreadsheet_id: str
    emulator: SheetsEmulator
    reused: bool  # True: an existing demo served again, nothing regenerated


def start_emulator_demo(folder: Path, *, host: str = "127.0.0.1", port: int | None = None,
                        size: str = "small", today: date | None = None,
                        force: bool = False, language: str = "en") -> EmulatorDemo:
    """Serve the emulator demo in ``folder`` (in a daemon thread), creating it the first time.

    ``port=None`` keeps the port of an existing demo's endpoint (an app open on it keeps
    working), else 8787; 0 picks a free one. Raises :class:`EmulatorDemoError` when the folder
    holds something else (or a demo that cannot be served again) and ``force`` is not set, and
    ``OSError`` when the port is taken.
    """
    folder = Path(folder)
    config_path = folder / CONFIG
    present = [name for name in (CONFIG, STATE, KEY) if (folder / name).exists()]
    if force:
        _clear(folder)
    elif present:
        sid, saved_port = _check_reusable(folder, present)
        emulator = SheetsEmulator(state_file=folder / STATE)
        if sid not in emulator.spreadsheet_ids():
            raise EmulatorDemoError(_(
                "{state} has no spreadsheet {sid} (the id in {config}); add --force to create "
                "a new emulator demo there (new data, key and database)").format(
                    state=folder / STATE, sid=sid, config=config_path))
        base_url = emulator.start(host, port if port is not None else saved_port)
        try:
            email = emulator.register_key_file(folder / KEY)  # same key, token_uri here
            emulator.share(sid, email)
        except (ValueError, KeyError, OSError) as err:
            emulator.stop()
            raise EmulatorDemoError(_(
                "{key} is not a usable service-account key ({error}); add --force to create a "
                "new emulator demo there").format(key=folder / KEY, error=err)) from None
        _set_endpoint(config_path, base_url)
        return EmulatorDemo(folder, config_path, sid, emulator, reused=True)

    emulator = SheetsEmulator(state_file=folder / STATE)
    base_url = emulator.start(host, DEFAULT_PORT if port is None else port)
    try:
        sid = _create(folder, emulator, base_url, size=size, today=today, language=language)
    except BaseException:
        emulator.stop()
        raise
    return EmulatorDemo(folder, config_path, sid, emulator, reused=False)


def _check_reusable(folder: Path, present: list[str]) -> tuple[str, int]:
    """The spreadsheet id and port of the emulator demo in ``folder``, or why it is not one."""
    missing = [name for name in (CONFIG, STATE, KEY) if name not in present]
    if missing:
        raise EmulatorDemoError(_(
            "{folder} already holds {present} but no {missing}, so it is not an emulator demo "
            "that can be served again; choose another --path, or add --force to replace it "
            "with a new emulator demo").format(folder=folder, present=", ".join(present),
                                               missing=", ".join(missing)))
    try:
        config = load_config(folder / CONFIG)
    except ConfigError as err:
        raise EmulatorDemoError(f"{err}\n  " + _(
            "(or add --force to create a new emulator demo there)")) from None
    if config.backend != "google" or not config.endpoint:
        raise EmulatorDemoError(_(
            "{config} is not an emulator demo (backend {backend}, no endpoint); choose another "
            "--path, or add --force to replace it").format(config=folder / CONFIG,
                                                           backend=repr(config.backend)))
    found = re.search(r":(\d+)/?$", config.endpoint)
    return config.spreadsheet, int(found.group(1)) if found else DEFAULT_PORT


def _clear(folder: Path) -> None:
    """Remove what an (emulator) demo keeps in ``folder``, before creating a new one."""
    for name in (CONFIG, STATE, KEY, WORKBOOK, DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm"):
        (folder / name).unlink(missing_ok=True)
    shutil.rmtree(folder / "reports", ignore_errors=True)


def _create(folder: Path, emulator: SheetsEmulator, base_url: str, *, size: str,
            today: date | None, language: str = "en") -> str:
    """A new demo: generated data in a new spreadsheet shared with a new service account."""
    from amtui.core.workspace import Workspace

    # the demo generator writes a workbook and a store in sync with it; the workbook's tabs
    # move to the emulator and the workbook goes (the emulator is the system of record now)
    config_path = create_demo(folder, size=size, today=today, language=language)
    # a Chinese demo's [ui] and sheet names (everything after [sync]) stay as they are
    _head, _sep, names = config_path.read_text(encoding="utf-8").partition(ZH_CONFIG)
    workspace = Workspace.open(config_path)
    try:
        tabs = workbook_tabs(workspace)
    finally:
        workspace.store.close()
    email = emulator.create_service_account(folder / KEY)
    sid = emulator.create_spreadsheet(TITLE, shared_with=[email])
    emulator.load_workbook_tabs(sid, tabs, value_input="RAW")
    config_path.write_text(CONFIG_TEMPLATE.format(
        state=STATE, folder=folder, size=size, database=DATABASE, sid=sid, key=KEY,
        endpoint=base_url,
        today_line=f'today = "{today.isoformat()}"  # the demo\'s date is pinned\n'
        if today else "",
    ) + (ZH_CONFIG + names if names else ""), encoding="utf-8")
    (folder / WORKBOOK).unlink(missing_ok=True)
    return sid


def _set_endpoint(config_path: Path, base_url: str) -> None:
    """Point the config's ``endpoint`` at ``base_url``, changing nothing else in the file."""
    text = config_path.read_text(encoding="utf-8")
    new = re.sub(r'(?m)^(\s*endpoint\s*=\s*)"[^"]*"', lambda m: f'{m.group(1)}"{base_url}"',
                 text, count=1)
    if new != text:
        config_path.write_text(new, encoding="utf-8")
