"""The built-in demo workspace: generated data in a local workbook (``team.xlsx``) that is its
system of record, a config beside it, and a store that starts in sync with the workbook.

    config_path = create_demo(Path("/tmp/w"), size="small", today=date(2026, 11, 26))
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from amtui.core.config import demo_folder, find_config
from amtui.core.workspace import Workspace
from amtui.domain import schema

WORKBOOK = "team.xlsx"
DATABASE = "amtui.db"

CONFIG_TEMPLATE = """\
# amtui demo workspace: generated sample data, safe to change.
# Its system of record is {workbook} in this folder: open it in LibreOffice or Excel, edit,
# save, and amtui picks the change up at the next sync. To use your team's Google Sheet,
# copy config.example.toml from the amtui README and point amtui at it with --config.

[workspace]
name = "{name}"
database = "{database}"
demo = true
{today_line}
[sheet]
backend = "xlsx"
spreadsheet = "{workbook}"

[sync]
interval = 60
"""

# `amtui demo --language zh-CN`: the UI speaks Chinese, and so does the sheet (its names are
# the init-sheet template's, from sheet_language.config_text).
ZH_CONFIG = """
[ui]
language = "zh-CN"

"""


def create_demo(folder: Path, *, size: str = "small", today: date | None = None,
                seed: int = 7, force: bool = False, language: str = "en") -> Path:
    """Create a demo workspace in ``folder``; returns its config path. ``language="zh-CN"``:
    a Chinese one (names, texts, the sheet's tabs, headers and dropdown words, the UI)."""
    folder = Path(folder)
    config_path = folder / "config.toml"
    if config_path.exists() and not force:
        raise FileExistsError(f"{folder} already holds a workspace (config.toml); "
                              "choose another --path or remove it")
    if force and folder.exists():
        for name in (WORKBOOK, DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm", "config.toml"):
            (folder / name).unlink(missing_ok=True)
        shutil.rmtree(folder / "reports", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    pinned = today is not None
    today = today or date.today()
    # the workspace's own name, in the demo's language (a config value, not a UI text)
    name = (f"演示代理公司（{'小型' if size == 'small' else '大型'}示例数据）"
            if language == "zh-CN" else f"Demo agency ({size} sample data)")
    text = CONFIG_TEMPLATE.format(
        workbook=WORKBOOK, database=DATABASE, name=name,
        today_line=f'today = "{today.isoformat()}"  # the demo\'s date is pinned\n'
        if pinned else "",
    )
    if language == "zh-CN":
        from amtui.core.sheet_language import config_text

        text += ZH_CONFIG + config_text(language)
    config_path.write_text(text, encoding="utf-8")
    workspace = Workspace.open(config_path)
    # imported here: every `amtui` start imports this module, only `amtui demo` generates
    from amtui.domain.demo import demo_workbook_rows, generate

    records = generate(size, today=today, seed=seed, language=language)
    # the demo config uses the default tab and header names (or the Chinese template's),
    # as demo_workbook_rows does
    names = schema.sheet_names(language) if language != "en" else None
    tabs = demo_workbook_rows(records, workspace.config.rules, names)
    from sync.xlsx_backend import XlsxBackend

    workspace.store.bulk_load(
        records, synced_titles={t: workspace.config.title_of(t) for t in schema.TABS})
    XlsxBackend(workspace.config.spreadsheet).fill(tabs, workspace.layout())
    workspace.store.revalidate()
    return config_path


def ensure_default_demo() -> Path:
    """The demo workspace in the user data folder, created on first use."""
    folder = demo_folder()
    config_path = folder / "config.toml"
    if not config_path.exists():
        create_demo(folder, force=True)
    return config_path


def open_workspace(config_path: str | None) -> Workspace:
    """The workspace for a command line: the given config, ``$AMTUI_CONFIG``, the user's
    config, or else the demo workspace (created on first use). It lives here, not in
    ``workspace``, because only the demo needs to know both (no import cycle)."""
    path = find_config(config_path)
    if path is None:
        path = ensure_default_demo()
    return Workspace.open(path)


def workbook_tabs(workspace) -> dict[str, list[list]]:
    """The demo workbook's tabs as rows of cell values (dates as ``date``), header first."""
    from sync.xlsx_backend import XlsxBackend

    titles = [workspace.config.title_of(t) for t in schema.TABS]
    grids = XlsxBackend(workspace.config.spreadsheet).read(titles)
    return {title: grid for title, grid in grids.items() if grid is not None}


def move_demo_to_emulator(config_path: Path, emulator, *, title: str = "amtui demo") -> str:
    """Make a demo workspace sync with a Sheets API emulator instead of its workbook: the
    workbook's tabs are loaded into a new spreadsheet shared with a new service account, and
    the config is rewritten to ``backend = "google"`` at the emulator's URL. Returns the
    spreadsheet id. Used by tests and benchmarks (``amtui demo --emulator`` has its own, in
    ``emulator_demo.py``, which keeps no workbook)."""
    config_path = Path(config_path)
    workspace = Workspace.open(config_path)
    key_file = config_path.parent / "service-account.json"
    email = emulator.create_service_account(key_file)
    sid = emulator.create_spreadsheet(title, shared_with=[email])
    emulator.load_workbook_tabs(sid, workbook_tabs(workspace), value_input="RAW")
    text = config_path.read_text(encoding="utf-8")
    head, _sep, rest = text.partition("[sheet]")
    after = rest.split("\n[", 1)
    tail = ("\n[" + after[1]) if len(after) > 1 else ""
    config_path.write_text(
        head + "[sheet]\n"
        'backend = "google"\n'
        f'spreadsheet = "{sid}"\n'
        'credentials = "service-account.json"\n'
        f'endpoint = "{emulator.base_url}"\n' + tail,
        encoding="utf-8",
    )
    workspace.store.close()
    return sid
